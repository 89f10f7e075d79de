"""The edit log: reviewed SPARQL Update files in ``edits/``, each with a header: who, when, why, on what evidence.

A log entry is ``edits/NNNN-<slug>.ru``, numbered from 0001 without gaps, opening with ``# key: value`` lines::

    # author: Ada Lovelace
    # date: 2026-11-30
    # reason: The report names the tug operators only in passing.
    # quote: licenses pilots and tug operators
    DELETE DATA { wco:pilot-service wcokg:involvesStakeholder wco:tug-operators }

``quote`` (the exact words of the source that state the facts the edit adds; ``quote-start`` picks one of several
occurrences) or ``cites`` (``<IRI> title`` of another document) is required when the edit adds facts.

A value is written as it is, unless it could not be read back so: one that starts or ends with white space,
starts with a double quote, or holds a line break or other control character (a newline, CR, U+000B, U+000C,
U+001C-U+001E, U+0085, U+2028, U+2029; a tab is kept) is written as a JSON string literal, on one line::

    # quote: "Harbour Services\nThe Authority licenses pilots"

A value that starts with a double quote is read as a JSON string literal; any other is read as it is, white
space around it dropped. Author, reason and the title of ``cites`` are read with their white space collapsed;
the quote is kept exactly, as it must match the source. Lines end at a newline only (as SPARQL comments do).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..budgets import Budgets, read_input, without_bom
from ..errors import EditLogError
from ..names import slugify

FIELDS = ("author", "date", "reason", "quote", "quote-start", "cites")
"""Header fields, in the order they are written."""
_NAME = re.compile(r"(?P<number>\d{4})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.ru")
_HEADER = re.compile(r"#\s*(?P<key>[a-z-]+)\s*:\s*(?P<value>.*?)\s*")
_CITES = re.compile(r"<(?P<iri>https?://[^<>\s\"{}|\\^`]+)>\s*(?P<title>\S.*)?", re.DOTALL)
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029]")
"""Characters that break a line and that json.dumps(ensure_ascii=False) leaves as they are."""
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_PATCH_BYTES = 1 << 20


@dataclass(frozen=True)
class Patch:
    """One edit: its header fields, the SPARQL Update, its name in the log, and where its text was read
    (``origin``, which error messages name)."""

    name: str
    text: str
    origin: str
    author: str
    date: str
    reason: str
    quote: str | None = None
    quote_start: int | None = None
    cites: str | None = None
    cites_title: str | None = None
    body_line: int = 1

    @property
    def stem(self) -> str:
        """The name without ``.ru``: ``0001-retract-a-link``."""
        return self.name.removesuffix(".ru")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def field_line(self, key: str) -> int:
        """The 1-based line of a header field, for error messages (1 where it is absent)."""
        for number, line in enumerate(self.text.split("\n"), start=1):
            match = _HEADER.fullmatch(line)
            if match and match["key"] == key:
                return number
        return 1


def encode_value(value: str) -> str:
    """A header value as it is written: as it is where it reads back so, else as a JSON string literal.

    >>> encode_value("licenses pilots and tug operators")
    'licenses pilots and tug operators'
    >>> print(encode_value("Harbour Services\\nThe Authority "))
    "Harbour Services\\nThe Authority "
    """
    if value == value.strip() and not value.startswith('"') and not any(map(_breaks, value)):
        return value
    return _ESCAPED.sub(lambda found: f"\\u{ord(found[0]):04x}", json.dumps(value, ensure_ascii=False))


def _breaks(character: str) -> bool:
    return character != "\t" and unicodedata.category(character) in ("Cc", "Zl", "Zp")


def decode_value(written: str, key: str, origin: str, line: int) -> str:
    """A header value as it was meant: a JSON string literal decoded, any other value as it is.

    Raises:
        EditLogError: a value that starts with a double quote but is not one JSON string literal.
    """
    if not written.startswith('"'):
        return written
    try:
        value = json.loads(written, strict=False)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, str):
        raise EditLogError(
            origin, line, f'{key} starts with a double quote, so it must be one JSON string literal ("…", \\" for ")'
        )
    return value


def read_header(text: str, origin: str) -> tuple[dict[str, str], int]:
    """A patch's header fields (values decoded) and the 1-based line on which its update starts.

    Raises:
        EditLogError: a repeated field, or a value that is not the JSON string literal it starts as.
    """
    fields: dict[str, str] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        match = _HEADER.fullmatch(line)
        if not match or match["key"] not in FIELDS:  # the header ends at the first line that is not a field
            return fields, number
        key, value = match["key"], match["value"]
        if key in fields:
            raise EditLogError(origin, number, f"the header gives {key!r} twice")
        fields[key] = decode_value(value, key, origin, number)
    return fields, len(lines) + 1


def parse_patch(
    text: str,
    name: str,
    origin: str,
    options: dict[str, str | None] | None = None,
    defaults: dict[str, str | None] | None = None,
) -> Patch:
    """Read a patch's header; ``options`` (command-line options, None where not given) win over its lines,
    ``defaults`` fill the fields neither gives. An option ``quote`` or ``cites`` replaces all the header's
    evidence (quote, quote-start and cites).

    Raises:
        EditLogError: a repeated field, a bad date, IRI or offset, a missing author, date or reason.
    """
    fields, body_line = read_header(text, origin)
    given = _given(options)
    fields = {key: value for key, value in fields.items() if key not in _replaced(given)} | given
    for key, value in (defaults or {}).items():
        if value is not None:
            fields.setdefault(key, value)
    return _patch(text, name, origin, fields, body_line)


def overridden(text: str, origin: str, options: dict[str, str | None]) -> list[str]:
    """One line for each header field an option replaces with another value, as :func:`parse_patch` does:
    ``--author overrides the patch's "# author: Ada Lovelace"``.

    Raises:
        EditLogError: as :func:`read_header`.
    """
    header, _ = read_header(text, origin)
    given = _given(options)
    replaced = _replaced(given)
    notices = []
    for key in FIELDS:
        if key not in header or given.get(key, None if key in replaced else header[key]) == header[key]:
            continue
        option = key if key in given else next(k for k in ("quote", "cites") if k in given)
        notices.append(f'--{option} overrides the patch\'s "# {key}: {encode_value(header[key])}"')
    return notices


def _given(options: dict[str, str | None] | None) -> dict[str, str]:
    return {key: value for key, value in (options or {}).items() if value is not None}


def _replaced(given: dict[str, str]) -> tuple[str, ...]:
    """The header fields that options replace whether or not they name them: the evidence, given anew."""
    return ("quote", "quote-start", "cites") if given.keys() & {"quote", "cites"} else ()


def _patch(text: str, name: str, origin: str, fields: dict[str, str], body_line: int) -> Patch:
    for key, value in fields.items():
        if found := _SURROGATE.search(value):
            raise EditLogError(origin, 1, f"{key} holds {found[0]!r}, which is not a character: give it as UTF-8 text")
    for key in ("author", "date", "reason"):
        if not fields.get(key, "").strip():
            raise EditLogError(origin, 1, f"an edit needs its {key} (a '# {key}: …' header line or --{key})")
    try:
        date.fromisoformat(fields["date"])
    except ValueError:
        raise EditLogError(origin, 1, f"date {fields['date']!r} is not a date such as 2026-11-30") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"]):
        raise EditLogError(origin, 1, f"date {fields['date']!r} must be written YYYY-MM-DD")
    if "quote" in fields and "cites" in fields:
        raise EditLogError(origin, 1, "give the evidence as a quote of the source or as a citation, not both")
    start = fields.get("quote-start")
    if start is not None and (not start.isdecimal() or "quote" not in fields):
        raise EditLogError(origin, 1, "quote-start must be a character offset, and goes with quote")
    cites = title = None
    if "cites" in fields:
        match = _CITES.fullmatch(fields["cites"])
        if not match:
            raise EditLogError(origin, 1, f"cites {fields['cites']!r} must be '<https://…> title of the document'")
        cites, title = match["iri"], match["title"] and " ".join(match["title"].split())
    return Patch(
        name=name,
        text=text,
        origin=origin,
        author=" ".join(fields["author"].split()),
        date=fields["date"],
        reason=" ".join(fields["reason"].split()),
        quote=fields.get("quote") or None,
        quote_start=int(start) if start is not None else None,
        cites=cites,
        cites_title=title,
        body_line=body_line,
    )


def compose(patch: Patch, number: int, slug: str) -> Patch:
    """The patch as it is written into the log: entry ``number``, its header filled in, the body unchanged;
    read back to check that it gives the patch's fields and update.

    Raises:
        EditLogError: the entry would not read back as the patch (nothing may be written then).
    """
    body = _body(patch)
    if _HEADER.fullmatch(body.split("\n")[0]):  # a comment the header would take as one of its own
        body = "\n" + body
    values = {
        "author": patch.author,
        "date": patch.date,
        "reason": patch.reason,
        "quote": patch.quote,
        "quote-start": None if patch.quote_start is None else str(patch.quote_start),
        "cites": patch.cites and f"<{patch.cites}>" + (f" {patch.cites_title}" if patch.cites_title else ""),
    }
    header = "".join(f"# {key}: {encode_value(values[key])}\n" for key in FIELDS if values[key] is not None)
    name = f"{number:04d}-{slugify(slug)[:48].strip('-') or 'edit'}.ru"
    unreadable = f"{name} would not read back as it was meant"
    try:
        entry = parse_patch(header + body, name, name)
    except EditLogError as exc:
        raise EditLogError(patch.origin, None, f"{unreadable} ({exc}); nothing written") from None
    for field in ("author", "date", "reason", "quote", "quote_start", "cites", "cites_title"):
        if getattr(entry, field) != getattr(patch, field):
            meant, read = getattr(patch, field), getattr(entry, field)
            raise EditLogError(patch.origin, None, f"{unreadable}: {field} {read!r}, not {meant!r}; nothing written")
    if _body(entry) != _body(patch):
        raise EditLogError(patch.origin, None, f"{unreadable}: its update would differ; nothing written")
    return entry


def _body(patch: Patch) -> str:
    """The update after the header, without blank lines around it."""
    return "\n".join(patch.text.split("\n")[patch.body_line - 1 :]).strip("\n") + "\n"


def read_log(edits_dir: str | Path) -> tuple[Patch, ...]:
    """The log in order; an absent directory is an empty log.

    Files not ending in ``.ru`` (a README) are not part of the log.

    Raises:
        EditLogError: a ``.ru`` file that is not ``NNNN-slug.ru``, a gap or repeat in the numbers, an unreadable file,
            a bad header.
    """
    folder = Path(edits_dir)
    if not folder.is_dir():
        return ()
    patches = []
    entries = sorted(p for p in folder.iterdir() if p.suffix == ".ru" and not p.name.startswith("."))
    for expected, path in enumerate(entries, start=1):
        match = _NAME.fullmatch(path.name)
        if not match:
            raise EditLogError(path, None, "not a log entry: name edits NNNN-slug.ru (0001-fix-a-title.ru)")
        if int(match["number"]) != expected:
            raise EditLogError(path, None, f"the log's numbers must run 1, 2, 3 …: expected {expected:04d} here")
        patches.append(parse_patch(read_text(path), path.name, f"{folder.name}/{path.name}"))
    return tuple(patches)


def read_text(path: Path) -> str:
    """A patch file's text (UTF-8, at most MAX_PATCH_BYTES; a byte-order mark skipped).

    Raises:
        EditLogError: unreadable, too large, or not UTF-8.
    """
    try:
        data = read_input(path, Budgets(max_bytes=MAX_PATCH_BYTES), option="the limit of a patch")
    except OSError as exc:
        raise EditLogError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return without_bom(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditLogError(path, None, f"not UTF-8 (byte {exc.start})") from None


def listing(edits_dir: str | Path) -> tuple[tuple[str, str], ...]:
    """(name, sha256) of every log file, in order: the state a writer checks before it commits."""
    folder = Path(edits_dir)
    if not folder.is_dir():
        return ()
    return tuple(
        (path.name, hashlib.sha256(read_input(path)).hexdigest())
        for path in sorted(folder.iterdir())
        if path.suffix == ".ru" and not path.name.startswith(".")
    )
