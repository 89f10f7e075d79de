"""How deeply a SPARQL query or update nests its brackets, read before any parser sees the text.

Both SPARQL parsers recurse once or more for each level of ``{ [ (``: pyoxigraph's overflows the stack (a
segfault, nothing to catch) from about 2,150 nested braces, rdflib's gives up (RecursionError) from 25 nested
parentheses. One scan of the tokens that can hide a bracket (strings, IRIs, comments, escapes) finds the bracket
that goes past the limit, with its line and column.
"""

from __future__ import annotations

import re

from ..errors import QueryError

MAX_DEPTH = 100
"""Deepest nesting of brackets a query or update may have (the catalog's deepest nests 5; docs/querying.md, Nesting)."""

_TOKENS = re.compile(
    r"""(?P<string>'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | \#[^\n\r]* | \\.
    | (?P<open>[{\[(]) | (?P<close>[}\])])""",
    re.VERBOSE,
)
"""What a parser may read as a bracket, and what hides one: a string, an IRI, a comment, an escaped character (a
prefixed name's ``ex:a\\'`` or ``ex:a\\#``)."""
_BRACKETS = re.compile(r"(?P<open>[{\[(])|(?P<close>[}\])])")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_nesting(text: str, name: str = "query", limit: int = MAX_DEPTH) -> None:
    """Refuse a SPARQL text that nests brackets deeper than ``limit`` levels.

    The text is read as written (pyoxigraph's reading) and with its ``\\u`` escapes replaced (rdflib's).

    Raises:
        QueryError: ``name:line:column`` of the first bracket past the limit.

    >>> check_nesting("SELECT * { FILTER(((1))) }", "q.rq", 3)
    Traceback (most recent call last):
    wcokg.errors.QueryError: q.rq:1:20: nested deeper than 3 levels
    >>> check_nesting('ASK { FILTER("{{{{{{" != "(((((") }  # (((', "q.rq", 3)
    """
    if sum(map(text.count, "{[(")) <= limit and "\\u" not in text and "\\U" not in text:
        return  # nothing can go past the limit: no call per token
    offset = _too_deep(text, limit)
    if offset is None and _ESCAPE.search(text):
        expanded, starts = unescape(text)
        found = _too_deep(expanded, limit)
        offset = None if found is None else _raw_offset(starts, found)
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - text.rfind("\n", 0, offset)
        raise QueryError(f"{name}:{line}:{column}: nested deeper than {limit} levels")


def too_deep_for_rdflib(name: str) -> QueryError:
    """The error for a text within the limit that rdflib's parser cannot read (it gives up with a RecursionError)."""
    return QueryError(f"{name}: nested too deeply for rdflib's SPARQL parser (it reads about 25 levels of parentheses)")


def _too_deep(text: str, limit: int) -> int | None:
    """Offset of the first bracket past ``limit`` levels, or None.

    An IRI's brackets are counted too, and its closing ones never lower the depth below where the IRI starts:
    what one reads as an IRI (``<x:((>``) another may read as a comparison (``?a < x:((…``).
    """
    depth = 0
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            if depth > limit:
                return token.start()
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            start = depth
            for bracket in _BRACKETS.finditer(text, token.start(), token.end()):
                depth += 1 if bracket.lastgroup == "open" else -1
                if depth > limit:
                    return bracket.start()
            depth = max(depth, start)
    return None


def unescape(text: str) -> tuple[str, list[tuple[int, int]]]:
    r"""The text as SPARQL 1.1 (§19.2) reads it, its ``\u`` and ``\U`` escapes replaced before parsing; and
    (offset there, offset in ``text``) where each replaced escape and what follows it start.

    >>> unescape(r"\u0053ERVICE")[0]
    'SERVICE'
    """
    parts, starts, at, length = [], [(0, 0)], 0, 0
    for match in _ESCAPE.finditer(text):
        code = int(match[1] or match[2], 16)
        char = chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        parts += [text[at : match.start()], char]
        length += match.start() - at
        starts += [(length, match.start()), (length + 1, match.end())]
        length, at = length + 1, match.end()
    parts.append(text[at:])
    return "".join(parts), starts


def _raw_offset(starts: list[tuple[int, int]], offset: int) -> int:
    """The offset in the written text of a character of its unescaped reading."""
    expanded, raw = max(start for start in starts if start[0] <= offset)
    return raw + offset - expanded
