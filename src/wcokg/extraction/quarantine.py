"""Generic rules that keep text which is not the document's (spam, contact details) out of the graph."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each rule names what it found; the matched text itself is never kept or reported.
CONTACT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("web link", re.compile(r"\b(?:https?://|www\.)|\b[\w-]+\.(?:com|net|org|info|biz|ru|ng)/\S*", re.IGNORECASE)),
    ("phone number", re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{7,}\d(?![\w.])")),
    (
        "contact request",
        re.compile(
            r"\b(?:whats\s?app|telegram|viber|wechat|signal\s+me|facebook\s+page|e-?mail\s+(?:him|her|me|us|\()"
            r"|(?:contact|call|text|message)\s+(?:him|her|me|us)\b)",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class Quarantine:
    """A quarantined span of the source: offsets (code points, end exclusive), first line, and why."""

    start: int
    end: int
    line: int
    reasons: tuple[str, ...]


def contact_details(text: str) -> tuple[str, ...]:
    """The kinds of contact detail found in ``text`` (phone numbers need at least 8 digits).

    >>> contact_details("WhatsApp him on +234 813 277 7335")
    ('phone number', 'contact request')
    >>> contact_details("licenses 214 pilots since 1887")
    ()
    """
    return tuple(
        reason
        for reason, pattern in CONTACT_RULES
        if any(reason != "phone number" or sum(c.isdigit() for c in m.group()) >= 8 for m in pattern.finditer(text))
    )


def merge(spans: list[Quarantine]) -> tuple[Quarantine, ...]:
    """Merge overlapping spans, uniting their reasons, in document order.

    >>> merge([Quarantine(10, 20, 3, ("web link",)), Quarantine(0, 50, 1, ("text after the end",))])
    (Quarantine(start=0, end=50, line=1, reasons=('text after the end', 'web link')),)
    """
    merged: list[Quarantine] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            reasons = tuple(dict.fromkeys(last.reasons + span.reasons))
            merged[-1] = Quarantine(last.start, max(last.end, span.end), last.line, reasons)
        else:
            merged.append(span)
    return tuple(merged)
