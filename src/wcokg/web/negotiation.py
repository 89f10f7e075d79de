"""Content negotiation: parse an Accept header with its q-values and pick the best type a resource offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import WcoKgError

RDF_TYPES: dict[str, str] = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
"""Media type → the extension of its stable URL, in the server's order of preference (HTML first)."""
EXTENSIONS = {extension: media_type for media_type, extension in RDF_TYPES.items()}
MAX_ACCEPT = 4096
"""The longest Accept header read (browsers send about 100 characters); longer ones are refused."""


class NegotiationError(WcoKgError):
    """An Accept header the server will not read (over ``MAX_ACCEPT`` characters)."""


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: ``type/subtype`` (either may be ``*``) and its quality."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names ``media_type``: 2 exactly, 1 as ``type/*``, 0 as ``*/*``, -1 not at all."""
        kind, subtype = media_type.split("/", 1)
        if self.type == kind and self.subtype == subtype:
            return 2
        if self.type == kind and self.subtype == "*":
            return 1
        return 0 if self.type == "*" and self.subtype == "*" else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries (no slash, a bad q) are skipped.

    >>> parse_accept("text/turtle;q=0.9, text/*;q=0, application/ld+json")
    [MediaRange(type='text', subtype='turtle', q=0.9), MediaRange(type='text', subtype='*', q=0.0), \
MediaRange(type='application', subtype='ld+json', q=1.0)]

    Raises:
        NegotiationError: the header is longer than ``MAX_ACCEPT`` characters.
    """
    if len(header) > MAX_ACCEPT:
        raise NegotiationError(f"Accept header of {len(header)} characters refused (at most {MAX_ACCEPT})")
    ranges = []
    for entry in header.split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        kind, slash, subtype = name.lower().partition("/")
        if not slash or not kind or not subtype or (kind == "*" and subtype != "*"):
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append(MediaRange(kind, subtype, q))
    return ranges


@lru_cache(maxsize=256)
def _parsed(header: str) -> tuple[MediaRange, ...]:
    """:func:`parse_accept`, once for each header: clients send the same few again and again."""
    return tuple(parse_accept(header))


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value ``ranges`` give ``media_type``: that of the most specific range naming it (RFC 9110 §12.5.1)."""
    best, q = -1, 0.0
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best:
            best, q = specificity, media_range.q
    return q


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or ``None`` if it accepts none of them.

    A missing or empty header, or one without a valid range, accepts anything; q=0 means never. Ties go to the
    first offered type, so ``*/*`` gets the server's preference.

    >>> choose("text/turtle, */*;q=0.1", list(RDF_TYPES))
    'text/turtle'
    >>> choose("*/*", list(RDF_TYPES))
    'text/html'
    >>> choose("text/turtle;q=0", ["text/turtle"]) is None
    True
    """
    ranges = _parsed(header or "")
    if not ranges:
        return offered[0] if offered else None
    scored = [(quality(ranges, media_type), -index, media_type) for index, media_type in enumerate(offered)]
    q, _, media_type = max(scored, default=(0.0, 0, None))
    return media_type if q > 0 else None
