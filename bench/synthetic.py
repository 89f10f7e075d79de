"""Synthetic graphs shaped like the WCO data: the published quads, copied with every wco: IRI renamed per copy."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from wcokg.namespaces import Iris
from wcokg.sparql.query import QueryDataset, load_dataset


def scaled(dataset: QueryDataset, triples: int, base: str = Iris().id("")) -> QueryDataset:
    """About ``triples`` quads: as many renamed copies of ``dataset``'s quads as it takes."""
    template = dataset.quads
    copies = max(1, round(triples / len(template)))

    def rename(term, copy: int):
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(base):
            return pyoxigraph.NamedNode(f"{term.value}-copy{copy}")
        return term

    store = pyoxigraph.Store()
    store.extend(
        pyoxigraph.Quad(rename(q.subject, copy), q.predicate, rename(q.object, copy), q.graph_name)
        for copy in range(copies)
        for q in template
    )
    return QueryDataset.from_store(store, dataset.prefixes)


def write_nquads(dataset: QueryDataset, path: Path) -> int:
    """Write the dataset's quads (void's triples put in no graph, as N-Quads allows) to ``path``; their number."""
    quads = dataset.quads
    pyoxigraph.serialize(quads, path, format=pyoxigraph.RdfFormat.N_QUADS)
    return len(quads)


if __name__ == "__main__":
    import sys

    from wcokg.sparql.query import default_files

    base = load_dataset(default_files())
    for size in map(int, sys.argv[1:] or ["100000"]):
        print(size, len(scaled(base, size).store))
