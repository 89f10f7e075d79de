"""Read a source document with its claims file: the text, its metadata, the claimed spans and the account of every
character (claimed, not modelled, layout or quarantined). Nothing here knows any one document."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..budgets import Budgets, read_input
from ..errors import ClaimsError, SourceError
from ..names import slugify
from .claims import SUFFIX, ClaimEntry, ClaimsFile, Declared, Words, claims_path, read_claims
from .coverage import CATEGORIES, Coverage, account
from .locate import closest, occurrences
from .quarantine import Quarantine, contact_details, merge

MAX_BYTES = 1 << 20
SOURCE_BUDGET = Budgets(max_bytes=MAX_BYTES)
AFTER_THE_END = "text after the end of the document"


def quoted(text: str, limit: int = 60) -> str:
    """Text as a message quotes it: whitespace-normalized, in double quotes, cut at ``limit`` characters.

    >>> quoted("licenses\\n214 pilots", limit=11)
    '"licenses 21…"'
    """
    text = normalize_space(text)
    return f'"{text[:limit]}{"…" if len(text) > limit else ""}"'


def normalize_space(text: str) -> str:
    """Text as people read it: any run of Unicode whitespace becomes one space, none at the ends.

    >>> normalize_space("Item 6 -\\u00a0Harbour\\u00a0Services ")
    'Item 6 - Harbour Services'
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class Span:
    """A stretch of the source: ``text == source[start:end]``, starting on 1-based ``line``."""

    start: int
    end: int
    text: str
    line: int

    @property
    def clean(self) -> str:
        """The text whitespace-normalized, for labels and descriptions."""
        return normalize_space(self.text)


@dataclass(frozen=True)
class Stated:
    """A claim of the claims file and the span of the source its words are."""

    entry: ClaimEntry
    span: Span


@dataclass(frozen=True)
class Placed:
    """A span the claims file declares not modelled or layout, and where its words are."""

    entry: Declared
    span: Span


@dataclass(frozen=True)
class Document:
    """A source document as its claims file reads it: text, metadata, claimed spans, quarantine and coverage."""

    path: Path
    text: str
    sha256: str
    byte_length: int
    claims: ClaimsFile
    title: Span
    issued: datetime
    stated: tuple[Stated, ...]
    quarantined: tuple[Quarantine, ...]
    coverage: Coverage
    declared: tuple[Placed, ...] = ()

    @property
    def date(self) -> date:
        """The document's date."""
        return self.issued.date()

    @property
    def language(self) -> str:
        """The language tag of the document's words (its labels and descriptions)."""
        return self.claims.language

    def accepts(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside the text and outside every quarantined span."""
        return 0 <= start < end <= len(self.text) and not any(start < q.end and q.start < end for q in self.quarantined)


def read_document(path: str | Path) -> Document:
    """Read the source document at ``path`` and its claims file (``NAME.claims.toml`` beside it).

    Raises:
        SourceError: the text is missing, empty, binary, not UTF-8, or has text no claim or declaration accounts for.
        ClaimsError: the claims file is missing or malformed, or its words are not in the text (or recur unsaid,
            or stand in quarantined text).
    """
    path = Path(path)
    data = _read(path)
    text = decode_text(data, path)
    return _Resolver(path, text, read_claims(claims_path(path))).document(data)


def read_text(path: str | Path) -> str:
    """The text of the source document at ``path`` (checked as :func:`read_document` checks it).

    Raises:
        SourceError: the text is missing, empty, binary or not UTF-8.
    """
    return decode_text(_read(Path(path)), path)


def quarantine(path: str | Path, text: str, claims: ClaimsFile | None) -> tuple[Quarantine, ...]:
    """The quarantined spans of ``text``: lines with contact details and, with ``claims``, what follows its
    ``ends-after`` and its [[quarantine]] spans.

    Raises:
        ClaimsError: the words of ``ends-after`` or of a [[quarantine]] are not in the text, or recur unnamed.
    """
    return tuple(_Resolver(Path(path), text, claims).quarantined)


def _read(path: Path) -> bytes:
    try:
        return read_input(path, SOURCE_BUDGET, option="the limit of a source document")
    except OSError as exc:
        raise SourceError(path, None, f"cannot read the file: {exc.strerror or exc}") from None


class _Resolver:
    """Finds the claims file's words in the text and accounts for every character."""

    def __init__(self, path: Path, text: str, claims: ClaimsFile | None):
        self.path, self.text, self.claims = path, text, claims
        self.quarantined = merge(self._quarantine())

    def document(self, data: bytes) -> Document:
        claims = self.claims
        title = self.span(claims.title, '"title"')
        issued_words = [self.span(words, '"issued-words"') for words in claims.issued_words]
        stated = tuple(Stated(entry, self.span(entry.words, "the claim")) for entry in claims.claims)
        placed = tuple(
            Placed(entry, self.span(entry.words, f"[[{entry.kind}]]"))
            for entry in claims.declared
            if entry.kind in ("not-modelled", "layout")
        )
        declared = {kind: [p.span for p in placed if p.entry.kind == kind] for kind in ("not-modelled", "layout")}
        claimed = [title, *issued_words, *(s.span for s in stated)]
        coverage = account(self.text, claimed, declared["not-modelled"], declared["layout"], self.quarantined)
        if coverage.unaccounted:
            start, end = _first_unaccounted(self.text, coverage)
            line = self.text.count("\n", 0, start) + 1
            raise SourceError(
                self.path,
                line,
                f"{quoted(self.text[start:end])} is accounted for by no claim: quote it in a "
                f"[[claim]] of {claims.path.name}, or declare it [[not-modelled]], [[layout]] or [[quarantine]] "
                "with a reason",
            )
        return Document(
            path=self.path,
            text=self.text,
            sha256=hashlib.sha256(data).hexdigest(),
            byte_length=len(data),
            claims=claims,
            title=title,
            issued=claims.issued,
            stated=stated,
            quarantined=self.quarantined,
            coverage=coverage,
            declared=placed,
        )

    def error(self, words: Words, message: str) -> ClaimsError:
        return ClaimsError(self.claims.path, words.line, message)

    def find(self, words: Words, what: str) -> Span:
        """The span of ``words`` in the whole text (quarantined or not)."""
        found = occurrences(self.text, words.text)
        shown = quoted(words.text)
        if not found:
            line, passage = closest(self.text, words.text)
            raise self.error(
                words, f'{what}: {shown} is not in {self.path.name}; the closest passage, line {line}: "{passage}"'
            )
        if words.occurrence is None and len(found) > 1:
            lines = ", ".join(str(o.line) for o in found[:5]) + (", …" if len(found) > 5 else "")
            raise self.error(
                words,
                f"{what}: {shown} occurs {len(found)} times in {self.path.name} (lines {lines}): "
                "say which with occurrence = N",
            )
        index = (words.occurrence or 1) - 1
        if index >= len(found):
            raise self.error(
                words, f"{what}: {shown} occurs {len(found)} times in {self.path.name}, not {words.occurrence}"
            )
        at = found[index]
        return Span(at.start, at.end, self.text[at.start : at.end], at.line)

    def span(self, words: Words, what: str) -> Span:
        """The span of ``words`` in the text, which must lie outside every quarantined span."""
        span = self.find(words, what)
        for q in self.quarantined:
            if span.start < q.end and q.start < span.end:
                raise self.error(
                    words,
                    f'{what}: "{span.clean[:60]}" (line {span.line}) is inside quarantined text '
                    f"({'; '.join(q.reasons)}): it cannot be evidence",
                )
        return span

    def _quarantine(self) -> list[Quarantine]:
        """The quarantined spans: lines with contact details, what follows ``ends-after``, and declared spans."""
        spans = []
        position = 0
        for raw in self.text.splitlines(keepends=True):
            stripped = raw.strip()
            if stripped and (reasons := contact_details(stripped)):
                start = position + raw.index(stripped[0])
                line = self.text.count("\n", 0, position) + 1
                spans.append(Quarantine(start, start + len(stripped), line, reasons))
            position += len(raw)
        if self.claims is None:
            return spans
        if self.claims.ends_after is not None:
            end = self.find(self.claims.ends_after, '"ends-after"').end
            rest = re.search(r"\S(?:.*\S)?", self.text[end:], re.DOTALL)
            if rest:
                start = end + rest.start()
                line = self.text.count("\n", 0, start) + 1
                spans.append(Quarantine(start, end + rest.end(), line, (AFTER_THE_END,)))
        for entry in self.claims.declared:
            if entry.kind == "quarantine":
                span = self.find(entry.words, "[[quarantine]]")
                spans.append(Quarantine(span.start, span.end, span.line, (entry.reason,)))
        return spans


def _first_unaccounted(text: str, coverage: Coverage) -> tuple[int, int]:
    """The first stretch no category holds, taking in the next such words of its line that only layout separates.

    >>> text = "ok. Buy now, cheap!\\nmore"
    >>> text[slice(*_first_unaccounted(text, account(text, [], [], [], [])))]
    'ok. Buy now, cheap'
    """
    runs = coverage.unaccounted
    start, end = runs[0]
    layout = CATEGORIES.index("layout")
    for after_start, after_end in runs[1:]:
        if "\n" in text[end:after_start] or any(coverage.marks[i] != layout for i in range(end, after_start)):
            break
        end = after_end
    return start, end


def decode_text(data: bytes, path: str | Path) -> str:
    """The text of a source file as its offsets count it: UTF-8, a BOM not counted.

    Raises:
        SourceError: the file is empty, oversized, binary or not UTF-8.
    """
    if not data.strip():
        raise SourceError(path, None, "the file is empty")
    if len(data) > MAX_BYTES:
        raise SourceError(path, None, f"the file is {len(data)} bytes, over the {MAX_BYTES}-byte limit")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise SourceError(path, None, f"binary file (NUL byte at offset {offset}), expected UTF-8 text")
    try:
        # Offsets count code points after the BOM, as the Web Annotation TextPositionSelector requires.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path, line, f"not UTF-8 text: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}"
        ) from None
    if bad := re.search(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", text):
        line = text.count("\n", 0, bad.start()) + 1
        raise SourceError(path, line, f"binary content: control character U+{ord(bad.group()):04X}")
    return text


def document_files(source: str | Path) -> list[Path]:
    """The texts ``source`` names: itself, or every ``NAME.txt`` of the folder it is, in name order."""
    source = Path(source)
    return sorted(source.glob("*.txt")) if source.is_dir() else [source]


def read_documents(source: str | Path) -> tuple[Document, ...]:
    """The documents at ``source``: one text file, or every ``NAME.txt`` of a folder with its claims file
    ``NAME.claims.toml``, in name order.

    Raises:
        SourceError: a folder with no document, a text without its claims file (or a claims file without its
            text), two documents whose names make one IRI; and what :func:`read_document` raises.
    """
    source = Path(source)
    if not source.is_dir():
        return (read_document(source),)
    texts = {path.name[: -len(".txt")]: path for path in document_files(source)}
    claims = {path.name[: -len(SUFFIX)]: path for path in source.glob(f"*{SUFFIX}")}
    for name in sorted(texts.keys() ^ claims.keys()):
        if name in texts:
            raise SourceError(texts[name], None, f"no claims file: write {name}{SUFFIX} beside it (docs/sources.md)")
        raise SourceError(claims[name], None, f"no source document {name}.txt beside this claims file")
    if not texts:
        raise SourceError(source, None, f"no documents: a document is NAME.txt with its claims file NAME{SUFFIX}")
    slugs: dict[str, str] = {}
    for name in sorted(texts):
        if (slug := slugify(name)) in slugs:
            raise SourceError(texts[name], None, f"its IRI would be that of {slugs[slug]}.txt (both are {slug})")
        slugs[slug] = name
    return tuple(read_document(texts[name]) for name in sorted(texts))
