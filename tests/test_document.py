"""The reader: structure and offsets of the real document, documents of the same shape, and bad input."""

from __future__ import annotations

from datetime import datetime

import pytest

from wcokg import layout
from wcokg.errors import SourceError
from wcokg.extraction.document import parse_document, read_document

from .conftest import DATA

# Typed from the source document by reading it, not from the program's output.
TITLES = [
    "International Co-operation and Information Sharing",
    "Harmonization and Simplification of Customs Systems and Procedures",
    "Compliance and Enforcement",
    "Trade Facilitation",
    "Supply Chain Security and Facilitation",
    "Capacity Building",
    "Promotion and Marketing",
    "Research and Analysis",
    "Good Governance and Use of Resources",
]


@pytest.fixture(scope="module")
def doc():
    return read_document(layout.SOURCE)


def source_bytes() -> bytes:
    return layout.SOURCE.read_bytes()


def test_header_title_and_sections(doc) -> None:
    assert doc.issued == datetime(2013, 6, 24, 19, 28, 0)
    assert doc.page == 1
    assert doc.title.text == "The World Customs Organization (WCO)"
    assert doc.goals_heading.text == "WCO Goals"
    assert len(doc.paragraphs) == 6
    assert doc.paragraphs[0].text.startswith("The World Customs Organization (WCO), established in 1952")
    assert doc.paragraphs[-1].text.startswith("Finally, in an international environment")


def test_goals_in_order_with_titles(doc) -> None:
    assert [goal.number for goal in doc.goals] == list(range(1, 10))
    assert [goal.title.clean for goal in doc.goals] == TITLES
    assert doc.goals[5].title.text == "Capacity\u00a0Building", "the exact quote keeps the no-break space"
    assert doc.goals[3].description.text.startswith("The WCO promotes the Revised Kyoto Convention")


def test_every_span_is_the_source_at_its_offsets(doc, source_text) -> None:
    spans = [doc.title, doc.date_line, doc.goals_heading, *doc.paragraphs]
    spans += [span for goal in doc.goals for span in (goal.heading, goal.title, goal.description)]
    for span in spans:
        assert source_text[span.start : span.end] == span.text
        assert source_text.count("\n", 0, span.start) + 1 == span.line


def test_sha256_and_length_of_the_file_as_received(doc) -> None:
    assert doc.sha256 == "109a65fb8a7c5f72bb12a72da2d59d886e682021d1db92de40151ec703f1e104"
    assert doc.byte_length == len(source_bytes())


def test_windows_line_endings_give_the_same_structure(doc) -> None:
    crlf = parse_document(source_bytes().replace(b"\n", b"\r\n"), "crlf.txt")
    assert [g.title.text for g in crlf.goals] == [g.title.text for g in doc.goals]
    assert [p.text for p in crlf.paragraphs] == [p.text for p in doc.paragraphs]
    for span in (*crlf.paragraphs, *(g.description for g in crlf.goals)):
        assert crlf.text[span.start : span.end] == span.text and "\r" not in span.text


def test_a_bom_is_not_counted_in_offsets(doc) -> None:
    with_bom = parse_document(b"\xef\xbb\xbf" + source_bytes(), "bom.txt")
    assert with_bom.goals[3].title.start == doc.goals[3].title.start
    assert with_bom.text == doc.text


def test_a_document_of_the_same_shape_with_other_goals_and_dashes() -> None:
    other = read_document(DATA / "other-overview.txt")
    assert other.issued == datetime(2023, 6, 1, 10, 5)
    assert other.page == 2
    assert other.goals_heading.text == "Strategic Goals"
    # Typed from tests/data/other-overview.txt, lines 12-29.
    assert [(g.number, g.title.text) for g in other.goals] == [
        (1, "Trade Facilitation"),
        (2, "Compliance and Enforcement"),
        (3, "International Co-operation and Information Sharing"),
        (4, "Harmonization and Simplification of Customs Procedures"),
        (5, "Supply Chain Security"),
        (6, "Capacity Building"),
        (7, "Communication and Partnership"),
        (8, "Research and Analysis"),
        (9, "Good Governance and Accountability"),
    ]
    assert other.goals[8].heading.line == 28 and other.goals[8].heading.text.startswith("Goal 9 \u2013 ")
    assert other.quarantined == ()


def variant(old: str, new: str) -> bytes:
    data = source_bytes()
    assert old.encode() in data
    return data.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize(
    "data, line, message",
    [
        (
            variant("Goal 4 - Trade Facilitation", "Goal - Trade Facilitation"),
            21,
            'goal heading without a number: "Goal - Trade Facilitation"',
        ),
        (variant("Goal 5 - Supply", "Goal 4 - Supply"), 23, "duplicate goal number 4 (first at line 21)"),
        (variant("Goal 5 - Supply", "Goal 6 - Supply"), 23, "goal 6 is out of sequence: expected goal 5"),
        (variant("Goal 1 -", "Goal 0 -"), 15, "goal number 0 is not a positive integer"),
        (
            b"".join(source_bytes().splitlines(keepends=True)[:30] + source_bytes().splitlines(keepends=True)[32:]),
            30,
            "the goals section ends at goal 8: the overview has 9 goals, Goal 1 to Goal 9",
        ),
        (
            variant("drivers.\n", "drivers.\nGoal 10 - Customs Statistics\nThe WCO publishes statistics.\n"),
            33,
            "goal 10 is one goal too many: the overview has 9 goals, Goal 1 to Goal 9",
        ),
        (
            variant("Goal 5 - Supply", "Buy cheap watches today, best prices\n\nGoal 5 - Supply"),
            23,
            "goal 4's description runs on to a second line: a goal is a heading and one line",
        ),
        (
            variant("Monday 24 June 2013", "Friday 24 June 2013"),
            1,
            "the date line says Friday, but 2013-06-24 is a Monday",
        ),
        (variant("Monday 24 June 2013", "Monday 31 June 2013"), 1, "not a real date"),
        (variant("7:28:00 pm 1", "late evening"), 2, "expected a time line"),
        (variant("WCO Goals", "What the WCO aims at"), 15, "goal heading before the goals section heading"),
        (b"", None, "the file is empty"),
        (b"  \n\n\t\n", None, "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file (NUL byte at offset 8)"),
        (b"Monday 24 June 2013\n\xff\xfe bad", 2, "not UTF-8 text: invalid byte 0xff at offset 20"),
        (b"Monday 24 June 2013\n\x07bell", 2, "binary content: control character U+0007"),
    ],
    ids=[
        "missing goal number",
        "duplicate goal",
        "gap in numbering",
        "goal zero",
        "eight goals",
        "ten goals",
        "a spam line after a goal",
        "wrong weekday",
        "impossible date",
        "missing time line",
        "no goals section",
        "empty file",
        "whitespace only",
        "binary file",
        "not utf-8",
        "control character",
    ],
)
def test_unreadable_documents_fail_with_file_line_and_cause(data: bytes, line: int | None, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_document(data, "sources/x.txt")
    assert raised.value.line == line
    assert message in raised.value.message
    assert str(raised.value).startswith("sources/x.txt:" + (f"{line}: " if line else " "))
    assert "\n" not in str(raised.value)


def test_a_heading_without_description_is_an_error() -> None:
    data = variant(
        "Goal 9 - Good Governance and Use of Resources\n", "Goal 9 - Good Governance and Use of Resources\n\n"
    )
    with pytest.raises(SourceError, match="goal 9 heading is separated from its description"):
        parse_document(data, "x.txt")


def test_a_missing_file_is_a_source_error(tmp_path) -> None:
    with pytest.raises(SourceError, match="cannot read the file"):
        read_document(tmp_path / "missing.txt")


def _spam_before(heading: str) -> bytes:
    """The source with its own trailing spam block (lines 34-46) moved in front of ``heading``."""
    text = source_bytes().decode("utf-8")
    spam = text[text.index("\n\n\n    Thank you") :]
    body = text[: text.index("\n\n\n    Thank you")] + "\n"
    return body.replace(heading, spam.strip("\n") + "\n\n" + heading, 1).encode("utf-8")


@pytest.mark.parametrize("heading, line", [("Goal 5 - Supply", 36), ("Goal 9 - Good", 44)])
def test_spam_between_goals_fails_the_build_instead_of_cutting_the_goals_short(heading: str, line: int) -> None:
    data = _spam_before(heading)
    assert data.decode().splitlines()[line - 1].startswith(heading)
    with pytest.raises(SourceError) as raised:
        parse_document(data, "sources/x.txt")
    assert raised.value.line == line
    assert f'heading "{heading}' in raised.value.message
    assert "the goals must run without a break" in raised.value.message


def test_a_contact_line_inside_the_goals_is_quarantined_and_the_goals_go_on(doc) -> None:
    data = variant("Goal 5 - Supply", "WhatsApp him on +2348132777335\nGoal 5 - Supply")
    shifted = parse_document(data, "x.txt")
    assert [goal.title.clean for goal in shifted.goals] == TITLES
    assert shifted.quarantined[0].line == 23 and shifted.quarantined[0].reasons == ("phone number", "contact request")


def test_every_character_is_accepted_quarantined_or_blank(doc, source_text) -> None:
    # Counted by hand from the file: 5614 code points; the spam runs from line 35 (offset 5221) to 5613.
    assert len(doc.text) == 5614
    assert doc.quarantined_characters == 5613 - 5221
    blank = sum(c.isspace() for c in source_text[: doc.quarantined[0].start]) - sum(
        c.isspace() for span in doc.accepted for c in span.text
    )
    assert doc.accepted_characters == 5221 - blank
    assert doc.time_line.text == "7:28:00 pm 1"
