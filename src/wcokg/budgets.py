"""Input budgets checked before any parser sees the bytes: file size, longest literal or IRI, nesting depth.

pyoxigraph's JSON-LD parser recurses (3,500 levels crash the process), its tokens stop at 16 MiB (a
MemoryError), and rdflib reads neither RDF 1.2 triple terms nor directional language tags: one linear scan
of the tokens (strings, IRIs, comments, brackets) finds each of these with its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import OptionError, RdfFileError

DEPTH_CEILING = 500
"""Highest ``max_depth`` allowed: pyoxigraph's JSON-LD parser overflows its stack from about 3,250 nested objects
(SIGSEGV), Python's json module and the JSON-LD pointers of a report give up near 1,000 (RecursionError)."""


@dataclass(frozen=True)
class Budgets:
    """The limits an RDF input must keep (the defaults are the options' defaults).

    Raises:
        OptionError: a ``max_depth`` over :data:`DEPTH_CEILING`.
    """

    max_bytes: int = 256 << 20
    max_literal: int = 4 << 20
    max_depth: int = 100

    def __post_init__(self) -> None:
        if self.max_depth > DEPTH_CEILING:
            raise OptionError(f"--max-depth {self.max_depth} is over {DEPTH_CEILING}, the most the parsers survive")


DEFAULT = Budgets()

_TURTLE = re.compile(
    rb'(?P<string>"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"'
    rb"|'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*')"
    rb"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    rb"|(?P<language>@[A-Za-z][A-Za-z0-9-]*)"
    rb"|(?P<open>[\[({]|<<)|(?P<close>[\])}]|>>)"
    rb"|#[^\r\n]*|\\."
)
_JSON = re.compile(
    rb'(?P<direction>"@direction"\s*:)'
    rb'|(?P<string>"[^"\\]*(?:\\.[^"\\]*)*")'
    rb"|(?P<open>[\[{])|(?P<close>[\]}])"
)


def check_budgets(data: bytes, path: str | Path, syntax: str, budgets: Budgets = DEFAULT) -> None:
    """Refuse ``data`` (an RDF file of ``syntax``) that exceeds a budget or uses RDF 1.2 syntax wcokg cannot hold.

    Raises:
        RdfFileError: the first offence, with its line and column, and the option that sets the limit.

    >>> check_budgets(b'{"a": [[[1]]]}', "x.jsonld", "jsonld", Budgets(max_depth=3))
    Traceback (most recent call last):
    wcokg.errors.RdfFileError: x.jsonld:1:9: nested deeper than 3 levels (--max-depth)
    """
    check_size(len(data), path, budgets)
    if syntax in ("ntriples", "nquads") and _plain_lines(data, budgets):
        return
    depth = 0
    for token in (_JSON if syntax == "jsonld" else _TURTLE).finditer(data):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            if token.group() == b"<<":
                _fail(data, token.start(), path, "RDF 1.2 triple terms (<< >>) are not supported")
            if depth > budgets.max_depth:
                _fail(data, token.start(), path, f"nested deeper than {budgets.max_depth} levels (--max-depth)")
        elif kind == "close":
            depth -= 1
        elif kind in ("string", "iri") and token.end() - token.start() - 2 > budgets.max_literal:
            limit = f"{budgets.max_literal}-byte limit (--max-literal)"
            _fail(data, token.start(), path, f"a {kind} of {token.end() - token.start() - 2} bytes, over the {limit}")
        elif kind == "language" and b"--" in token.group():
            _fail(data, token.start(), path, "directional language tags (RDF 1.2, @ar--rtl) are not supported")
        elif kind == "direction":
            _fail(data, token.start(), path, "JSON-LD @direction (RDF 1.2 directional text) is not supported")


def _plain_lines(data: bytes, budgets: Budgets) -> bool:
    """Whether N-Triples or N-Quads ``data`` has nothing the token scan refuses, seen at C speed (the scan is a
    Python step per term: 2 s at 10^6 triples): no triple term (``<<``), no directional tag (``--``), and no
    line that could hold a token over the limit (a token never spans lines; every run of ``max_literal`` bytes
    holds a whole aligned block of half that, which would then have no newline)."""
    if b"<<" in data or b"--" in data:
        return False
    half = max(budgets.max_literal // 2, 1)
    return all(data.find(b"\n", start, start + half) != -1 for start in range(0, len(data), half))


def check_size(size: int, path: str | Path, budgets: Budgets = DEFAULT) -> None:
    """Refuse a file of ``size`` bytes over ``budgets.max_bytes`` (checked before it is read, when it can be)."""
    if size > budgets.max_bytes:
        raise RdfFileError(path, None, None, f"{size} bytes, over the {budgets.max_bytes}-byte limit (--max-bytes)")


def place(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, the column counted in characters.

    >>> place("x é?".encode(), 4)  # é is two bytes, one character
    (1, 4)
    """
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _fail(data: bytes, offset: int, path: str | Path, message: str) -> None:
    raise RdfFileError(path, *place(data, offset), message)
