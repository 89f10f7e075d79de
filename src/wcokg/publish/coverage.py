"""The coverage report of a source: what became of each character (claimed, not modelled, layout, quarantined),
as text for ``wcokg claims coverage`` and as ``output/coverage.md``, each claimed span with the resources its facts
are about. Quarantined words are never shown, only their extent and reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..extraction.coverage import CATEGORIES
from ..extraction.document import Document
from ..layout import shown
from ..names import prefixes
from ..namespaces import OA
from ..sparql.results import compact

NAMES = {"claimed": "claimed", "not-modelled": "not modelled", "layout": "layout", "quarantined": "quarantined"}
"""The categories as the report words them."""


@dataclass(frozen=True)
class Row:
    """A stretch of the source whose characters share a category and the same facts or reasons."""

    start: int
    end: int
    line: int
    category: str
    facts: tuple[URIRef, ...] = ()
    reasons: tuple[str, ...] = ()


def quoted_subjects(evidence: Graph, source: URIRef) -> dict[tuple[int, int], set[URIRef]]:
    """The resources the facts of each quote of ``source`` are about, by the quote's (start, end)."""
    found: dict[tuple[int, int], set[URIRef]] = {}
    for selector in evidence.subjects(RDF.type, OA.TextPositionSelector):
        targets = [t for t in evidence.subjects(OA.hasSelector, selector) if (t, OA.hasSource, source) in evidence]
        if not targets:
            continue
        span = (int(evidence.value(selector, OA.start)), int(evidence.value(selector, OA.end)))
        subjects = found.setdefault(span, set())
        for target in targets:
            for annotation in evidence.subjects(OA.hasTarget, target):
                subject = evidence.value(evidence.value(annotation, OA.hasBody), RDF.subject)
                if isinstance(subject, URIRef):
                    subjects.add(subject)
    return found


def rows(doc: Document, evidence: Graph, source: URIRef) -> list[Row]:
    """The source ``doc`` (whose IRI is ``source``) cut where any span begins or ends, pieces alike merged;
    whitespace-only stretches and the whitespace and punctuation outside every declared span (implicit layout)
    are left out."""
    marks = doc.coverage.marks
    quotes = quoted_subjects(evidence, source)
    cuts = {0, len(marks)} | {start for start, _, _ in doc.coverage.segments()}
    for start, end in quotes:
        cuts |= {start, end}
    for placed in doc.declared:
        cuts |= {placed.span.start, placed.span.end}
    for span in doc.quarantined:
        cuts |= {span.start, span.end}
    ordered = sorted(cut for cut in cuts if 0 <= cut <= len(marks))
    merged: list[Row] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        row = _piece(doc, quotes, start, end, CATEGORIES[marks[start]])
        last = merged[-1] if merged else None
        if last and (last.end, _kind(last)) == (start, _kind(row)):
            merged[-1] = Row(last.start, end, last.line, last.category, last.facts, last.reasons)
        else:
            merged.append(row)
    return [_trimmed(doc.text, row) for row in merged if doc.text[row.start : row.end].strip() and _listed(row)]


def _kind(row: Row) -> tuple:
    return row.category, row.facts, row.reasons


def _piece(doc: Document, quotes, start: int, end: int, category: str) -> Row:
    line = doc.text.count("\n", 0, start) + 1
    if category == "quarantined":
        reasons = next(q.reasons for q in doc.quarantined if q.start <= start and end <= q.end)
        return Row(start, end, line, category, reasons=reasons)
    if category == "claimed":
        facts = set().union(*(subjects for (a, b), subjects in quotes.items() if a <= start and end <= b))
        return Row(start, end, line, category, facts=tuple(sorted(facts)))
    reasons = tuple(
        dict.fromkeys(
            p.entry.reason
            for p in doc.declared
            if p.entry.kind == category and p.span.start <= start and end <= p.span.end
        )
    )
    return Row(start, end, line, category, reasons=reasons)


def _listed(row: Row) -> bool:
    """Implicit layout (whitespace and punctuation no span declares) is counted, not listed."""
    return row.category != "layout" or bool(row.reasons)


def _trimmed(text: str, row: Row) -> Row:
    """The row without the whitespace at its ends (its line that of its first character)."""
    part = text[row.start : row.end]
    start = row.start + len(part) - len(part.lstrip())
    end = row.end - (len(part) - len(part.rstrip()))
    return Row(start, end, text.count("\n", 0, start) + 1, row.category, row.facts, row.reasons)


def counts_line(doc: Document) -> str:
    """The four counts with their shares of the text: ``5614 characters: 2950 claimed (52.5%), …``."""
    total = len(doc.text)
    parts = [f"{n} {NAMES[name]} ({_share(n, total)})" for name, n in doc.coverage.counts.items()]
    return f"{total} characters: " + ", ".join(parts)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "0%"


def _shown_words(doc: Document, row: Row) -> str:
    if row.category == "quarantined":
        return f"[quarantined: {row.end - row.start} characters]"
    return " ".join(doc.text[row.start : row.end].split())


def coverage_text(doc: Document, base: str, listing: list[Row]) -> str:
    """The report for ``wcokg claims coverage``: the counts, then one line per row of the listing."""
    lines = [f"{shown(doc.path)}: {counts_line(doc)}"]
    for row in listing:
        where = f"line {row.line:<3} {row.start}-{row.end}"
        if row.category == "quarantined":
            what = f"[quarantined: {row.end - row.start} characters: {'; '.join(row.reasons)}]"
        else:
            what = f'"{_shown_words(doc, row)}"'
            if row.facts:
                what += " → " + ", ".join(compact(iri, prefixes(base)) for iri in row.facts)
            if row.reasons:
                what += f" ({'; '.join(row.reasons)})"
        lines.append(f"{where:<20} {NAMES[row.category]:<13} {what}")
    return "\n".join(lines) + "\n"


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    """Text for a cell of a Markdown table, its Markdown characters escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def coverage_markdown(doc: Document, base: str, listing: list[Row]) -> str:
    """``output/coverage.md``: the counts of the source, then its text row by row, each claimed stretch with
    links to the resources its facts are about, each declared one with its reason, quarantine without words."""
    total = len(doc.text)
    lines = [
        f"# What became of each character of {doc.path.name}",
        "",
        f"Every character of `{doc.path.name}` is claimed (its words state facts of the data graph, as "
        f"`{doc.claims.path.name}` says), deliberately not modelled, layout, or quarantined; `wcokg build` fails "
        "on text that is none of these. Generated by `wcokg build`; `wcokg claims coverage` prints the same.",
        "",
        "| characters | count | share |",
        "|---|---:|---:|",
        *(f"| {NAMES[name]} | {n} | {_share(n, total)} |" for name, n in doc.coverage.counts.items()),
        f"| in all | {total} | 100% |",
        "",
        "## The text, stretch by stretch",
        "",
        "Whitespace and punctuation outside every declared span are layout: counted above, not listed. A claimed "
        "stretch links to the resources its facts are about.",
        "",
        "| line | characters | what | text | facts, or why |",
        "|---:|---|---|---|---|",
    ]
    for row in listing:
        if row.facts:
            why = ", ".join(f"[{_md(compact(iri, prefixes(base)))}]({iri})" for iri in row.facts)
        else:
            why = _md("; ".join(row.reasons))
        words = _md(_shown_words(doc, row))
        lines.append(f"| {row.line} | {row.start}–{row.end} | {NAMES[row.category]} | {words} | {why} |")
    return "\n".join(lines) + "\n"
