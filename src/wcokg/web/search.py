"""Finding resources by their label, their other names (acronyms, notations) and the words of their evidence:
the server's /search and the JSON index the pages' search box (static/search.js) reads, on the server and on
the static site alike."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from .published import Published

SKOS = "http://www.w3.org/2004/02/skos/core#"
OTHER_NAMES = (SKOS + "altLabel", SKOS + "notation")
MOST = 20
"""The most results a search returns."""


@dataclass(frozen=True)
class Entry:
    """One resource as the search sees it: ``path`` is its server path (``/id/SLUG``)."""

    label: str
    names: tuple[str, ...]
    words: str
    path: str


def entries(published: Published) -> list[Entry]:
    """Every labelled resource of the data graph under the base, by label: its other names and the words its
    facts are quoted from."""
    data = ox.NamedNode(published.base + "graph/data")
    quoted: dict[str, dict[str, None]] = {}
    for (subject, _, _), quotes in published.evidence.items():
        for quote in quotes:
            quoted.setdefault(subject.value, {})[quote.exact] = None
    found = []
    for iri, label in published.labels.items():
        quads = published.by_subject.get(iri, [])
        if not iri.startswith(published.base + "id/") or not any(q.graph_name == data for q in quads):
            continue
        names = dict.fromkeys(
            " ".join(q.object.value.split()) for q in quads if q.predicate.value in OTHER_NAMES and q.object != label
        )
        words = " ".join(" ".join(quoted.get(iri, {})).split())
        found.append(Entry(label, tuple(names), words, published.local_path(iri) or iri))
    return sorted(found, key=lambda e: (e.label.lower(), e.path))


def find(index: list[Entry], query: str, most: int = MOST) -> list[Entry]:
    """The entries holding every word of ``query`` (ignoring case): those whose label holds them first, then
    those whose other names do, then those whose evidence does; by label within each. static/search.js ranks
    the same way."""
    terms = query.lower().split()
    if not terms:
        return []
    ranked = []
    for entry in index:
        for rank, text in enumerate((entry.label, " ".join([entry.label, *entry.names]), entry.words)):
            if all(term in text.lower() for term in terms):
                ranked.append((rank, entry))
                break
    return [entry for _, entry in sorted(ranked, key=lambda r: r[0])][:most]


def index_json(index: list[Entry], suffix: str = "") -> bytes:
    """The index as the search box reads it: each entry's ``href`` relative to the site's root, with ``suffix``
    (``.html`` on the static site)."""
    rows = [
        {"label": e.label, "names": list(e.names), "words": e.words, "href": e.path.lstrip("/") + suffix} for e in index
    ]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
