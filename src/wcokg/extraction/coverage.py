"""Account for every character of a source: claimed, deliberately not modelled, layout, or quarantined."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

CATEGORIES = ("claimed", "not-modelled", "layout", "quarantined")
"""What may become of a character. Quarantine wins over all; then a claim, then a not-modelled span, then layout."""


@dataclass(frozen=True)
class Coverage:
    """Per character of the text, its category (an index of CATEGORIES, or -1: unaccounted); the counts."""

    marks: tuple[int, ...]

    def count(self, category: str) -> int:
        """How many characters are of ``category``."""
        return self.marks.count(CATEGORIES.index(category))

    @property
    def counts(self) -> dict[str, int]:
        """The four counts, in the order of CATEGORIES."""
        return {category: self.count(category) for category in CATEGORIES}

    @property
    def unaccounted(self) -> list[tuple[int, int]]:
        """The stretches of text no category holds, as (start, end)."""
        return list(self.runs(-1))

    def runs(self, mark: int) -> list[tuple[int, int]]:
        """The maximal stretches whose characters all have ``mark``."""
        found, start = [], None
        for index, value in enumerate((*self.marks, None)):
            if value == mark and start is None:
                start = index
            elif value != mark and start is not None:
                found.append((start, index))
                start = None
        return found

    def segments(self) -> list[tuple[int, int, str]]:
        """The text cut into (start, end, category) stretches, in order, covering it all."""
        parts: list[tuple[int, int, str]] = []
        for index, value in enumerate(self.marks):
            name = CATEGORIES[value] if value >= 0 else "unaccounted"
            if parts and parts[-1][2] == name:
                parts[-1] = (parts[-1][0], index + 1, name)
            else:
                parts.append((index, index + 1, name))
        return parts


def _is_layout(character: str) -> bool:
    """Whitespace and punctuation carry no statement of their own."""
    return character.isspace() or unicodedata.category(character).startswith("P")


def account(text: str, claimed, not_modelled, layout, quarantined) -> Coverage:
    """The coverage of ``text`` by the spans of each category (anything with ``start`` and ``end``).

    Whitespace and punctuation outside every span are layout.

    >>> from types import SimpleNamespace as S
    >>> account("a, bc d", [S(start=0, end=1)], [S(start=3, end=5)], [], [S(start=6, end=7)]).counts
    {'claimed': 1, 'not-modelled': 2, 'layout': 3, 'quarantined': 1}
    """
    marks = [-1] * len(text)
    for category, spans in (
        ("layout", layout),
        ("not-modelled", not_modelled),
        ("claimed", claimed),
        ("quarantined", quarantined),
    ):
        value = CATEGORIES.index(category)
        for span in spans:
            marks[span.start : span.end] = [value] * (span.end - span.start)
    layout_mark = CATEGORIES.index("layout")
    for index, character in enumerate(text):
        if marks[index] == -1 and _is_layout(character):
            marks[index] = layout_mark
    return Coverage(tuple(marks))
