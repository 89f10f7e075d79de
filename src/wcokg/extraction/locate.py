"""Find a curator's words in a source text: every occurrence, with line and character span, or the closest passage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 40
"""How many characters of context :func:`Occurrence.context` shows on each side."""


def pattern(words: str) -> re.Pattern[str]:
    """The words as a pattern in which any run of whitespace matches any run (a line break, a no-break space).

    >>> bool(pattern("179  Customs").search("represents 179\\u00a0Customs"))
    True
    """
    return re.compile(r"\s+".join(re.escape(part) for part in words.split()))


@dataclass(frozen=True)
class Occurrence:
    """Where words stand in a text: ``text[start:end]``, on 1-based ``line``."""

    start: int
    end: int
    line: int

    def context(self, text: str) -> str:
        """The occurrence with up to CONTEXT characters each side, on one line, the words in [brackets]."""
        before = " ".join(text[max(0, self.start - CONTEXT) : self.start].split()[-6:])
        after = " ".join(text[self.end : self.end + CONTEXT].split()[:6])
        return f"…{before} [{' '.join(text[self.start : self.end].split())}] {after}…"


def occurrences(text: str, words: str) -> list[Occurrence]:
    """Every occurrence of ``words`` in ``text``, in order (whitespace-insensitive, not overlapping).

    >>> [(o.start, o.end, o.line) for o in occurrences("a WCO\\nthe WCO", "WCO")]
    [(2, 5, 1), (10, 13, 2)]
    """
    if not words.split():
        return []
    return [
        Occurrence(found.start(), found.end(), text.count("\n", 0, found.start()) + 1)
        for found in pattern(words).finditer(text)
    ]


def closest(text: str, words: str) -> tuple[int, str]:
    """The line and passage of ``text`` nearest to ``words`` (around their longest common stretch).

    >>> closest("one\\nThe WCO represents 179 administrations\\n", "the WCO represents 180 administrations")
    (2, 'The WCO represents 179 administrations')
    """
    flat = " ".join(words.split())
    match = SequenceMatcher(None, text, flat, autojunk=False).find_longest_match(0, len(text), 0, len(flat))
    start = max(0, match.a - match.b)
    end = min(len(text), start + len(flat) + 1)
    line = text.count("\n", 0, match.a) + 1
    line_start = text.rfind("\n", 0, match.a) + 1
    line_end = text.find("\n", match.a)
    line_end = len(text) if line_end < 0 else line_end
    passage = text[max(start, line_start) : min(end, line_end)]
    return line, " ".join(passage.split())
