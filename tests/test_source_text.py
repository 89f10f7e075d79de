"""Reading a source's text: offsets as the Web Annotation selectors count them, its digest, and unreadable files."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from wcokg.errors import SourceError
from wcokg.extraction.claims import claims_path
from wcokg.extraction.coverage import CATEGORIES
from wcokg.extraction.document import read_document

from .conftest import OVERVIEW


@pytest.fixture(scope="module")
def doc():
    return read_document(OVERVIEW)


def overview_as(tmp_path, data: bytes):
    """The overview's claims file beside ``data``, read as a source."""
    source = tmp_path / OVERVIEW.name
    source.write_bytes(data)
    shutil.copy(claims_path(OVERVIEW), claims_path(source))
    return read_document(source)


def test_title_date_and_language(doc) -> None:
    assert doc.issued == datetime(2013, 6, 24, 19, 28, 0)
    assert (doc.title.text, doc.title.line) == ("The World Customs Organization (WCO)", 4)
    assert doc.language == "en"


def test_every_span_is_the_source_at_its_offsets(doc, source_text) -> None:
    for span in (doc.title, *(stated.span for stated in doc.stated)):
        assert source_text[span.start : span.end] == span.text
        assert source_text.count("\n", 0, span.start) + 1 == span.line


def test_sha256_and_length_of_the_file_as_received(doc) -> None:
    assert doc.sha256 == "109a65fb8a7c5f72bb12a72da2d59d886e682021d1db92de40151ec703f1e104"
    assert doc.byte_length == len(OVERVIEW.read_bytes())


def test_windows_line_endings_give_the_same_spans_on_the_same_lines(doc, tmp_path) -> None:
    crlf = overview_as(tmp_path, OVERVIEW.read_bytes().replace(b"\n", b"\r\n"))
    assert [(s.span.clean, s.span.line) for s in crlf.stated] == [(s.span.clean, s.span.line) for s in doc.stated]
    for stated in crlf.stated:
        assert crlf.text[stated.span.start : stated.span.end] == stated.span.text


def test_a_bom_is_not_counted_in_offsets(doc, tmp_path) -> None:
    with_bom = overview_as(tmp_path, b"\xef\xbb\xbf" + OVERVIEW.read_bytes())
    assert with_bom.text == doc.text
    assert [s.span for s in with_bom.stated] == [s.span for s in doc.stated]


def test_every_character_is_claimed_declared_quarantined_or_layout(doc, source_text) -> None:
    # Counted by hand from the file: 5614 code points; the spam runs from line 35 (offset 5221) to 5613.
    assert len(doc.text) == 5614
    assert doc.coverage.unaccounted == []
    assert sum(doc.coverage.counts.values()) == 5614
    assert doc.coverage.count("quarantined") == 5613 - 5221
    layout_mark = CATEGORIES.index("layout")
    laid_out = {source_text[i] for i, mark in enumerate(doc.coverage.marks) if mark == layout_mark}
    assert all(c.isspace() or not c.isalnum() for c in laid_out - {"1"}), laid_out  # "1": the printout's page


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"  \n\n\t\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte at offset 8), expected UTF-8 text"),
        (b"Monday 24 June 2013\n\xff\xfe bad", "2: not UTF-8 text: invalid byte 0xff at offset 20"),
        (b"Monday 24 June 2013\n\x07bell", "2: binary content: control character U+0007"),
    ],
    ids=["empty file", "whitespace only", "binary file", "not utf-8", "control character"],
)
def test_an_unreadable_text_is_one_line_naming_file_line_and_cause(tmp_path, data: bytes, message: str) -> None:
    source = tmp_path / "x.txt"
    source.write_bytes(data)
    with pytest.raises(SourceError) as raised:
        read_document(source)
    separator = ":" if message[0].isdigit() else ": "
    assert str(raised.value) == f"{source}{separator}{message}"


def test_a_missing_file_is_a_source_error(tmp_path) -> None:
    with pytest.raises(SourceError) as raised:
        read_document(tmp_path / "missing.txt")
    assert str(raised.value) == f"{tmp_path / 'missing.txt'}: cannot read the file: No such file or directory"
