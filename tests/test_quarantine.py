"""Quarantine: text that is not the document's is found by generic rules and the end marker, and never published."""

from __future__ import annotations

import re

import pytest

from wcokg.extraction.claims import claims_path
from wcokg.extraction.document import read_document
from wcokg.extraction.quarantine import contact_details
from wcokg.pipeline import build

from .conftest import OVERVIEW

SECOND_SPAM = (
    "\n\nDear friend, I am Mrs Maria Loans and I give quick loans at 2% to anybody.\n"
    "Write to maria.loans@quick-money.example or call me on +1 (555) 123-4567 today.\n"
    "Visit www.quick-money.example/apply for more testimonies.\n"
)
SPAM_WORDS = [
    "Papillomavirus",
    "Godsent",
    "testimony",
    "LUPUS",
    "THYROID",
    "WhatsApp",
    "2348132777335",
    "Facebook",
    "Http://",
]


@pytest.mark.parametrize(
    "text, reasons",
    [
        ("WhatsApp him on +2348132777335 or email (", ("phone number", "contact request")),
        ("join his Facebook Page: Http://", ("web link", "contact request")),
        ("write to someone@example.org", ("email address",)),
        ("see www.example.com for details", ("web link",)),
        ("call me on 0803 123 4567", ("phone number", "contact request")),
        ("Today, the WCO represents\u00a0179 Customs administrations", ()),
        ("established in 1952 as the Customs Co-operation Council (CCC)", ()),
        ("approximately 98% of world trade", ()),
        ("7:28:00 pm 1", ()),
        ("Monday 24 June 2013", ()),
        ("co-operation, communication and partnership with governments", ()),
    ],
)
def test_contact_detail_rules(text: str, reasons: tuple[str, ...]) -> None:
    assert contact_details(text) == reasons


def test_the_spam_block_of_the_source_is_one_quarantined_span(source_text: str) -> None:
    doc = read_document(OVERVIEW)
    (span,) = doc.quarantined
    assert span.start == source_text.index("Thank you very much")
    assert span.end == len(source_text.rstrip())
    assert span.line == 35
    assert span.reasons[0] == "text after the end of the document"
    assert set(span.reasons) == {"text after the end of the document", "contact request", "phone number", "web link"}
    end = "an awareness of the international environment and drivers."  # the claims file's ends-after
    assert span.start > source_text.index(end) + len(end)


def test_claimed_text_holds_none_of_the_spam() -> None:
    doc = read_document(OVERVIEW)
    claimed = " ".join(s.span.text for s in doc.stated)
    for word in SPAM_WORDS:
        assert word not in claimed


def _copy(tmp_path, text: str):
    """``text`` as a source in tmp_path, with the overview's claims file beside it."""
    source = tmp_path / "x.txt"
    source.write_text(text, encoding="utf-8")
    claims_path(source).write_bytes(claims_path(OVERVIEW).read_bytes())
    return source


def test_a_second_different_spam_block_is_quarantined_and_never_published(tmp_path) -> None:
    source = _copy(tmp_path, OVERVIEW.read_text(encoding="utf-8") + SECOND_SPAM)
    result = build(source=source, out_dir=tmp_path / "out")
    text = source.read_text(encoding="utf-8")
    (span,) = result.documents[0].quarantined
    assert span.end == len(text.rstrip())
    assert {"email address", "phone number", "web link"} <= set(span.reasons)
    for path in result.written:
        # sha256 digests (manifest.json) and the 16-digit hashes in evidence IRIs (wco:evidence-8012693555595d77)
        # may hold any run of digits: they are hashes, not text of the source
        published = re.sub(r"\b[0-9a-f]{64}\b|-[0-9a-f]{16}\b", "", path.read_text(encoding="utf-8"))
        for word in [*SPAM_WORDS, "Maria", "quick-money", "123-4567", "loans"]:
            assert word not in published, f"{word!r} leaked into {path.name}"


def test_spam_inside_the_overview_is_quarantined_by_line(source_text: str, tmp_path) -> None:
    spam = "For cheap visas email agent.smith@visa-fast.example now!"
    text = source_text.replace("Finally, in an", spam + "\nFinally, in an", 1)
    doc = read_document(_copy(tmp_path, text))
    assert [(q.start, q.end, q.reasons) for q in doc.quarantined[:1]] == [
        (text.index(spam), text.index(spam) + len(spam), ("email address",))
    ]
    assert all("visa" not in s.span.text for s in doc.stated)


def test_off_topic_text_after_the_end_is_quarantined_without_contact_details(source_text: str, tmp_path) -> None:
    text = source_text.rstrip() + "\n\nBest recipes for banana bread, tried and tested.\n"
    doc = read_document(_copy(tmp_path, text))
    (span,) = doc.quarantined
    assert span.start == text.index("Thank you very much")
    assert text[span.end - len("tested.") : span.end] == "tested."
