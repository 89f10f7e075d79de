"""Find a curator's words in a source text: every occurrence, with line and character span, or the closest passage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 40
"""How many characters of context :func:`Occurrence.context` shows on each side."""
_WORD_END = re.compile(r"\s|$")


def pattern(words: str) -> re.Pattern[str]:
    """The words as a pattern in which any run of whitespace matches any run (a line break, a no-break space).

    >>> bool(pattern("214  pilots").search("licenses 214\\u00a0pilots"))
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

    >>> [(o.start, o.end, o.line) for o in occurrences("a PCB\\nthe PCB", "PCB")]
    [(2, 5, 1), (10, 13, 2)]
    """
    if not words.split():
        return []
    return [
        Occurrence(found.start(), found.end(), text.count("\n", 0, found.start()) + 1)
        for found in pattern(words).finditer(text)
    ]


def closest(text: str, words: str) -> tuple[int, str]:
    """The line and passage of ``text`` most like ``words``: of the stretches of a line that start at a word and are
    as long as the words, the one SequenceMatcher rates closest (whitespace read as spaces), in whole words.

    >>> closest("one\\nThe Board licenses 214 pilots\\n", "the Board licenses 215 pilots")
    (2, 'The Board licenses 214 pilots')
    >>> text = "safety of harbour pilots.\\nlicenses\\u00a0214 harbour pilots"
    >>> closest(text, "licenses 215 harbour pilots")
    (2, 'licenses 214 harbour pilots')
    """
    flat = " ".join(words.split())
    best: tuple[float, int, str] = (-1.0, 1, "")
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(flat)
    for number, line in enumerate(text.split("\n"), start=1):
        for word in re.finditer(r"\S+", line):
            end = _WORD_END.search(line, word.start() + len(flat)).start()
            passage = " ".join(line[word.start() : end].split())
            matcher.set_seq1(passage)
            if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
                if (ratio := matcher.ratio()) > best[0]:
                    best = (ratio, number, passage)
    return best[1], best[2]
