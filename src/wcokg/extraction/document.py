"""Read the WCO overview into header, title, paragraphs and numbered goals, with character offsets."""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..budgets import Budgets, read_input
from ..errors import SourceError
from .quarantine import Quarantine, contact_details, merge

MAX_BYTES = 1 << 20
SOURCE_BUDGET = Budgets(max_bytes=MAX_BYTES)
GOAL_COUNT = 9
"""How many goals the overview has, numbered 1 to ``GOAL_COUNT``: a goals section with fewer or more fails."""
_MONTHS = "|".join(calendar.month_name[1:])
_DATE_LINE = re.compile(
    rf"(?:(?P<weekday>[A-Za-z]+),?\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTHS})\s+(?P<year>\d{{4}})",
    re.IGNORECASE,
)
_TIME_LINE = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?:\s+(?P<page>\d+))?",
    re.IGNORECASE,
)
_GOALS_HEADING = re.compile(r"(?:\S+\s+)?Goals", re.IGNORECASE)
_GOAL_CANDIDATE = re.compile(r"Goal\b[^-–—:]{0,12}[-–—:]")
_GOAL_HEADING = re.compile(r"Goal\s+(?P<number>\d+)\s*[-–—:]\s*(?P<title>\S.*)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ALL_GOALS = f"the overview has {GOAL_COUNT} goals, Goal 1 to Goal {GOAL_COUNT}"


def normalize_space(text: str) -> str:
    """Text as people read it: any run of Unicode whitespace becomes one space, none at the ends.

    >>> normalize_space("Goal 6 -\\u00a0Capacity\\u00a0Building ")
    'Goal 6 - Capacity Building'
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
class Goal:
    """One "Goal N - Title" heading and the description under it."""

    number: int
    heading: Span
    title: Span
    description: Span


@dataclass(frozen=True)
class Document:
    """The accepted structure of a WCO overview document, and what was quarantined."""

    path: Path
    text: str
    sha256: str
    byte_length: int
    date_line: Span
    time_line: Span
    issued: datetime
    page: int | None
    title: Span
    paragraphs: tuple[Span, ...]
    goals_heading: Span
    goals: tuple[Goal, ...]
    quarantined: tuple[Quarantine, ...]

    @property
    def date(self) -> date:
        """The document's date: the "as of" date of every figure it gives."""
        return self.issued.date()

    @property
    def accepted(self) -> tuple[Span, ...]:
        """The spans of the document's structure, in order: what is published (quoted, described)."""
        goals = tuple(span for goal in self.goals for span in (goal.heading, goal.description))
        return (self.date_line, self.time_line, self.title, *self.paragraphs, self.goals_heading, *goals)

    @property
    def accepted_characters(self) -> int:
        """How many characters of the text the accepted spans hold."""
        return sum(span.end - span.start for span in self.accepted)

    @property
    def quarantined_characters(self) -> int:
        """How many characters of the text the quarantined spans hold."""
        return sum(span.end - span.start for span in self.quarantined)

    def accepts(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside the text and outside every quarantined span."""
        return 0 <= start < end <= len(self.text) and not any(start < q.end and q.start < end for q in self.quarantined)


@dataclass(frozen=True)
class _Line:
    number: int
    start: int  # first non-space character
    end: int  # after the last non-space character
    text: str  # stripped content


def read_document(path: str | Path) -> Document:
    """Read and parse the overview document at ``path``.

    Raises:
        SourceError: the file is missing, empty, binary, not UTF-8, or not shaped like the overview.
    """
    path = Path(path)
    try:
        data = read_input(path, SOURCE_BUDGET, option="the limit of a source document")
    except OSError as exc:
        raise SourceError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_document(data, path)


def parse_document(data: bytes, path: str | Path = "<source>") -> Document:
    """Parse the bytes of an overview document (see :func:`read_document`)."""
    path = Path(path)
    text = decode_text(data, path)
    lines = _lines(text)
    contact = {line.number: reasons for line in lines if (reasons := contact_details(line.text))}
    body = [line for line in lines if line.text and line.number not in contact]
    if not body:
        raise SourceError(path, None, "the document has no text")
    parser = _Parser(path, text, body)
    date_line, time_line, issued, page = parser.header()
    title = parser.title()
    paragraphs, goals_heading = parser.overview()
    goals = parser.goals()
    spans = [
        Quarantine(line.start, line.end, line.number, reasons)
        for line in lines
        if (reasons := contact.get(line.number))
    ]
    after = [line for line in lines if line.text and line.start >= goals[-1].description.end]
    if after:
        _check_nothing_follows(path, after, goals[-1].number)
        spans.append(
            Quarantine(after[0].start, after[-1].end, after[0].number, ("text after the end of the document",))
        )
    _check_all_goals(path, goals)
    doc = Document(
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_length=len(data),
        date_line=date_line,
        time_line=time_line,
        issued=issued,
        page=page,
        title=title,
        paragraphs=paragraphs,
        goals_heading=goals_heading,
        goals=goals,
        quarantined=merge(spans),
    )
    _check_accounted(doc, lines)
    return doc


def _check_nothing_follows(path: Path, after: list[_Line], last: int) -> None:
    """Fail when the text after the goals section holds a heading: the section was cut short, not ended."""
    for line in after:
        if _GOAL_CANDIDATE.match(line.text) or _GOALS_HEADING.fullmatch(line.text):
            raise SourceError(
                path,
                line.number,
                f'heading "{line.text[:60]}" after the goals section ended at goal {last} '
                f"(the text from line {after[0].number} is not the document's): the goals must run without a break",
            )


def _check_all_goals(path: Path, goals: tuple[Goal, ...]) -> None:
    """Fail when the goals section, in sequence from goal 1, ends before goal ``GOAL_COUNT``: on its last line."""
    if len(goals) < GOAL_COUNT:
        last = goals[-1].description
        line = last.line + len(_LINE_BREAK.findall(last.text))
        raise SourceError(path, line, f"the goals section ends at goal {goals[-1].number}: {_ALL_GOALS}")


def _check_accounted(doc: Document, lines: list[_Line]) -> None:
    """Fail unless every non-blank character is in an accepted span or in a quarantined one (fail closed)."""
    covered = sorted((span.start, span.end) for span in (*doc.accepted, *doc.quarantined))
    for line in lines:
        position = line.start
        for start, end in covered:
            if start <= position < end:
                position = end
        if line.text and position < line.end:
            raise SourceError(
                doc.path, line.number, "text that is neither part of the document's structure nor quarantined"
            )


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


def _lines(text: str) -> list[_Line]:
    lines = []
    for number, match in enumerate(_LINE.finditer(text), start=1):
        raw = match.group().rstrip("\r\n")
        if not match.group():
            break
        stripped = raw.strip()
        start = match.start() + (len(raw) - len(raw.lstrip()))
        lines.append(_Line(number, start, start + len(stripped), stripped))
    return lines


class _Parser:
    """Walks the non-blank, non-quarantined lines of a document in order."""

    def __init__(self, path: Path, text: str, lines: list[_Line]):
        self.path, self.text, self.lines, self.index = path, text, lines, 0

    def error(self, line: _Line | None, message: str) -> SourceError:
        return SourceError(self.path, line.number if line else None, message)

    def next(self, what: str) -> _Line:
        if self.index >= len(self.lines):
            raise self.error(None, f"the document ends before {what}")
        self.index += 1
        return self.lines[self.index - 1]

    def span(self, line: _Line, start: int = 0, end: int | None = None) -> Span:
        end = len(line.text) if end is None else end
        return Span(line.start + start, line.start + end, line.text[start:end], line.number)

    def header(self) -> tuple[Span, Span, datetime, int | None]:
        line = self.next("its date line")
        found = _DATE_LINE.fullmatch(line.text)
        if not found:
            raise self.error(line, f'expected a date line such as "Monday 24 June 2013", found "{line.text[:60]}"')
        month = [m.lower() for m in calendar.month_name].index(found["month"].lower())
        try:
            day = date(int(found["year"]), month, int(found["day"]))
        except ValueError as exc:
            raise self.error(line, f'not a real date: "{line.text}" ({exc})') from None
        weekday = found["weekday"]
        if weekday and weekday.lower() != calendar.day_name[day.weekday()].lower():
            raise self.error(
                line, f"the date line says {weekday}, but {day.isoformat()} is a {calendar.day_name[day.weekday()]}"
            )
        time_line = self.next("its time line")
        clock = _TIME_LINE.fullmatch(time_line.text)
        if not clock:
            raise self.error(time_line, f'expected a time line such as "7:28:00 pm 1", found "{time_line.text[:60]}"')
        hour, minute, second = int(clock["hour"]), int(clock["minute"]), int(clock["second"] or 0)
        if clock["ampm"]:
            if not 1 <= hour <= 12:
                raise self.error(time_line, f"hour {hour} is not a 12-hour clock hour")
            hour = hour % 12 + (12 if clock["ampm"].lower().startswith("p") else 0)
        try:
            issued = datetime(day.year, day.month, day.day, hour, minute, second)
        except ValueError as exc:
            raise self.error(time_line, f'not a real time: "{time_line.text}" ({exc})') from None
        page = int(clock["page"]) if clock["page"] else None
        return self.span(line), self.span(time_line), issued, page

    def title(self) -> Span:
        line = self.next("its title")
        if _GOALS_HEADING.fullmatch(line.text) or _GOAL_CANDIDATE.match(line.text):
            raise self.error(line, "expected the document's title, found a goals heading")
        return self.span(line)

    def overview(self) -> tuple[tuple[Span, ...], Span]:
        paragraphs = []
        while True:
            line = self.next('a goals section (a heading such as "WCO Goals")')
            if _GOALS_HEADING.fullmatch(line.text):
                if not paragraphs:
                    raise self.error(line, "the document has no overview paragraphs before its goals")
                return tuple(paragraphs), self.span(line)
            if _GOAL_CANDIDATE.match(line.text):
                raise self.error(line, 'goal heading before the goals section heading (such as "WCO Goals")')
            paragraphs.append(self.span(line))

    def goals(self) -> tuple[Goal, ...]:
        """The goals; the section ends at the first line after a blank that is no goal heading."""
        goals: list[Goal] = []
        first_line: dict[int, int] = {}
        heading: _Line | None = None
        described: list[_Line] = []
        previous = self.lines[self.index - 1]
        for line in self.lines[self.index :]:
            follows, previous = line.number == previous.number + 1, line
            if _GOAL_CANDIDATE.match(line.text):
                if heading:
                    goals.append(self._goal(heading, described))
                heading, described = line, []
                number = self._number(line)
                if number in first_line:
                    raise self.error(line, f"duplicate goal number {number} (first at line {first_line[number]})")
                if number != len(first_line) + 1:
                    raise self.error(line, f"goal {number} is out of sequence: expected goal {len(first_line) + 1}")
                if number > GOAL_COUNT:
                    raise self.error(line, f"goal {number} is one goal too many: {_ALL_GOALS}")
                first_line[number] = line.number
            elif heading is None:
                raise self.error(line, 'expected a goal heading such as "Goal 1 - International Co-operation"')
            elif follows and described:
                number = self._number(heading)
                raise self.error(
                    line, f"goal {number}'s description runs on to a second line: a goal is a heading and one line"
                )
            elif follows:
                described.append(line)
            elif not described:
                number = self._number(heading)
                raise self.error(line, f"goal {number} heading is separated from its description by a blank line")
            else:
                break
        if heading is None:
            raise self.error(None, "the goals section has no goals")
        goals.append(self._goal(heading, described))
        return tuple(goals)

    def _number(self, line: _Line) -> int:
        found = _GOAL_HEADING.fullmatch(line.text)
        if not found:
            raise self.error(line, f'goal heading without a number: "{line.text[:60]}"')
        number = int(found["number"])
        if number < 1:
            raise self.error(line, f"goal number {number} is not a positive integer")
        return number

    def _goal(self, heading: _Line, described: list[_Line]) -> Goal:
        found = _GOAL_HEADING.fullmatch(heading.text)
        assert found  # checked by _number
        if not described:
            raise self.error(heading, f"goal {found['number']} has no description")
        first, last = described[0], described[-1]
        description = Span(first.start, last.end, self.text[first.start : last.end], first.number)
        return Goal(int(found["number"]), self.span(heading), self.span(heading, found.start("title")), description)
