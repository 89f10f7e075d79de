"""Read a claims file: what a curator says the words of one source document state (TOML, triples in Turtle).

A claims file sits beside its source (``sources/NAME.claims.toml`` for ``sources/NAME.txt``)::

    [document]
    title = "The Harbour Authority"                    # words of the source: its title
    issued = 2020-03-02T09:00:00                       # when it was issued
    issued-words = ["2 March 2020"]
    ends-after = "on every quay."                      # nothing after these words is the document's

    [[claim]]
    quote = "founded in 1887"                          # the exact words (any whitespace matches any)
    occurrence = 1                                     # which one, where the words recur
    states = '''
    wco:harbour-authority schema:foundingDate "1887"^^xsd:gYear .
    '''
    note = "optional"

    [wikidata]                                         # external identifiers, not the document's statements
    "wco:harbour-authority" = "Q123"

    [[not-modelled]]                                   # also [[layout]] and [[quarantine]]
    quote = "proudly serving the city"
    reason = "rhetoric"

Words are a string, or a table ``{ quote = "…", occurrence = N }``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from ..budgets import Budgets, read_input
from ..errors import ClaimsError

SUFFIX = ".claims.toml"
KINDS = ("claim", "not-modelled", "layout", "quarantine")
WIKIDATA = re.compile(r"Q[1-9][0-9]*")
"""The arrays of tables a claims file holds: claims, and spans declared not modelled, layout or quarantined."""
_KEYS = {
    "document": {"title", "issued", "issued-words", "ends-after", "language"},
    "claim": {"quote", "occurrence", "states", "note"},
    "span": {"quote", "occurrence", "reason"},
}
_HEADER = re.compile(r"\s*\[\[\s*([\w-]+)\s*\]\]\s*(?:#.*)?$")
_TABLE = re.compile(r"\s*\[\s*([\w-]+)\s*\]\s*(?:#.*)?$")
_TOML_AT = re.compile(r"(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")
BUDGET = Budgets(max_bytes=1 << 22)


@dataclass(frozen=True)
class Words:
    """Words of the source a claims file names, on ``line`` of the claims file."""

    text: str
    occurrence: int | None
    line: int


@dataclass(frozen=True)
class ClaimEntry:
    """A claim: the words, the Turtle they state (its first line on ``states_line``), an optional note."""

    words: Words
    states: str
    states_line: int
    note: str | None


@dataclass(frozen=True)
class Declared:
    """A span declared not modelled, layout or quarantined, and why."""

    kind: str
    words: Words
    reason: str


@dataclass(frozen=True)
class ClaimsFile:
    """What a claims file says about its source document."""

    path: Path
    title: Words
    issued: datetime
    issued_words: tuple[Words, ...]
    ends_after: Words | None
    language: str
    claims: tuple[ClaimEntry, ...]
    declared: tuple[Declared, ...]
    wikidata: tuple[tuple[str, str], ...] = ()
    """External identifiers: (a resource's prefixed name, a Wikidata item), not statements of the document."""
    sha256: str = ""
    """The digest of the file's bytes (the manifest records it, so that an output of other claims is refused)."""


def claims_path(source: str | Path) -> Path:
    """The claims file of a source document: ``NAME.claims.toml`` beside ``NAME.txt``.

    >>> claims_path("sources/annual-report-2020.txt").as_posix()
    'sources/annual-report-2020.claims.toml'
    """
    source = Path(source)
    return source.with_name(source.stem + SUFFIX)


def read_claims(path: str | Path) -> ClaimsFile:
    """Read and check the form of a claims file (the words and triples are checked against the source later).

    Raises:
        ClaimsError: the file is missing, not TOML, or a table lacks a key, has an unknown one or a wrong type.
    """
    path = Path(path)
    try:
        raw = read_input(path, BUDGET, option="the limit of a claims file")
    except OSError as exc:
        raise ClaimsError(path, None, f"cannot read the claims file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ClaimsError(path, line, f"not UTF-8 text: invalid byte 0x{raw[exc.start]:02x}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.match(str(exc))
        line = int(found["line"]) if found else None
        what = (found["what"] if found else str(exc)).rstrip(".").lower()
        raise ClaimsError(path, line, f"not a valid TOML claims file: {what}") from None
    return replace(_Reader(path, text).read(data), sha256=hashlib.sha256(raw).hexdigest())


class _Reader:
    """Turns the parsed TOML into a ClaimsFile, naming the line of each table in errors."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.headers = _headers(self.lines)

    def error(self, line: int | None, message: str) -> ClaimsError:
        return ClaimsError(self.path, line, message)

    def read(self, data: dict) -> ClaimsFile:
        unknown = sorted(set(data) - {"document", "wikidata", *KINDS})
        if unknown:
            raise self.error(
                self._line_of_key(unknown[0]),
                f'unknown table "{unknown[0]}": expected [document], [wikidata], '
                + ", ".join(f"[[{kind}]]" for kind in KINDS),
            )
        document = data.get("document")
        if not isinstance(document, dict):
            raise self.error(None, "the claims file has no [document] table (its title and date)")
        line = self.headers.get(("document", 0), 1)
        self._keys(document, _KEYS["document"], "[document]", line)
        for key in ("title", "issued"):
            if key not in document:
                raise self.error(line, f'[document] has no "{key}"')
        issued = document["issued"]
        if isinstance(issued, date) and not isinstance(issued, datetime):
            issued = datetime(issued.year, issued.month, issued.day)
        if not isinstance(issued, datetime):
            raise self.error(line, '"issued" must be a TOML date or date-time, such as 2013-06-24T19:28:00')
        words = document.get("issued-words", [])
        if not isinstance(words, list):
            raise self.error(line, '"issued-words" must be a list of words of the source')
        ends = document.get("ends-after")
        language = document.get("language", "en")
        if not isinstance(language, str) or not re.fullmatch(r"[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*", language):
            raise self.error(line, f'"language" must be a language tag such as "en", not {language!r}')
        claims, declared = [], []
        for kind in KINDS:
            tables = data.get(kind, [])
            if not isinstance(tables, list):
                raise self.error(self._line_of_key(kind), f"{kind} must be written [[{kind}]], one table per entry")
            for index, table in enumerate(tables):
                at = self.headers.get((kind, index))
                if kind == "claim":
                    claims.append(self._claim(table, at))
                else:
                    declared.append(self._declared(kind, table, at))
        wikidata = data.get("wikidata", {})
        at = self.headers.get(("wikidata", 0))
        if not isinstance(wikidata, dict) or not all(
            isinstance(item, str) and WIKIDATA.fullmatch(item) for item in wikidata.values()
        ):
            raise self.error(at, '[wikidata] maps a resource to a Wikidata item: "wco:name" = "Q123"')
        return ClaimsFile(
            path=self.path,
            title=self._words(document["title"], line, '"title"'),
            issued=issued,
            issued_words=tuple(self._words(w, line, '"issued-words"') for w in words),
            ends_after=self._words(ends, line, '"ends-after"') if ends is not None else None,
            language=language,
            claims=tuple(claims),
            declared=tuple(declared),
            wikidata=tuple(sorted(wikidata.items())),
        )

    def _claim(self, table: dict, line: int | None) -> ClaimEntry:
        self._keys(table, _KEYS["claim"], "[[claim]]", line)
        if "quote" not in table:
            raise self.error(line, '[[claim]] has no "quote": the exact words of the source it rests on')
        states = table.get("states")
        if not isinstance(states, str) or not states.strip():
            raise self.error(line, "this claim states nothing: give its triples in \"states = '''…'''\"")
        note = table.get("note")
        if note is not None and not isinstance(note, str):
            raise self.error(line, '"note" must be a string')
        return ClaimEntry(self._words(table, line, "[[claim]]"), states, self._states_line(line), note)

    def _declared(self, kind: str, table: dict, line: int | None) -> Declared:
        self._keys(table, _KEYS["span"], f"[[{kind}]]", line)
        reason = table.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise self.error(line, f'[[{kind}]] has no "reason": say why these words are {kind.replace("-", " ")}')
        if "quote" not in table:
            raise self.error(line, f'[[{kind}]] has no "quote": the exact words of the source')
        return Declared(kind, self._words(table, line, f"[[{kind}]]"), reason.strip())

    def _words(self, value, line: int | None, what: str) -> Words:
        """Words given as a string, or as a table with "quote" and "occurrence"."""
        if isinstance(value, str):
            value = {"quote": value}
        if not isinstance(value, dict) or not isinstance(value.get("quote"), str):
            raise self.error(
                line, f'{what} must be words of the source: a string, or {{ quote = "…", occurrence = N }}'
            )
        if not value["quote"].strip():
            raise self.error(line, f"{what}: the quote is empty")
        occurrence = value.get("occurrence")
        if occurrence is not None and (
            not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1
        ):
            raise self.error(line, f'{what}: "occurrence" must be a whole number from 1, not {occurrence!r}')
        return Words(value["quote"], occurrence, line or 1)

    def _keys(self, table, allowed: set[str], what: str, line: int | None) -> None:
        if not isinstance(table, dict):
            raise self.error(line, f"{what} must be a table")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.error(line, f'{what} has an unknown key "{unknown[0]}" (known: {", ".join(sorted(allowed))})')

    def _states_line(self, line: int | None) -> int:
        """The claims-file line of the first line of a claim's Turtle (after ``states = '''``)."""
        start = (line or 1) - 1
        for number in range(start, len(self.lines)):
            if re.match(r"\s*states\s*=", self.lines[number]):
                rest = self.lines[number].split("=", 1)[1].strip()
                return number + (2 if rest in ("'''", '"""') else 1)
        return line or 1

    def _line_of_key(self, key: str) -> int | None:
        for number, text in enumerate(self.lines, start=1):
            if re.match(rf"\s*\[*\s*{re.escape(key)}\s*[\]=]", text):
                return number
        return None


def _headers(lines: list[str]) -> dict[tuple[str, int], int]:
    """The line of each table header, by (name, index), outside multi-line strings."""
    found: dict[tuple[str, int], int] = {}
    counts: dict[str, int] = {}
    inside: str | None = None
    for number, text in enumerate(lines, start=1):
        if inside is None:
            header = _HEADER.match(text) or _TABLE.match(text)
            if header:
                name = header.group(1)
                found[(name, counts.get(name, 0))] = number
                counts[name] = counts.get(name, 0) + 1
                continue
        for delimiter in re.findall(r"'''|\"\"\"", text):
            if inside is None:
                inside = delimiter
            elif delimiter == inside:
                inside = None
    return found
