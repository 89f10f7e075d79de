"""Synthetic graphs shaped like the WCO data: the published quads, copied with every wco: IRI renamed per copy."""

from __future__ import annotations

import pyoxigraph

from wcokg.namespaces import Iris
from wcokg.query import QueryDataset, load_dataset


def scaled(dataset: QueryDataset, triples: int, base: str = Iris().id("")) -> QueryDataset:
    """About ``triples`` triples in the default graph: as many renamed copies of ``dataset`` as it takes."""
    template = dataset.quads
    per_copy = sum(isinstance(q.graph_name, pyoxigraph.DefaultGraph) for q in template)
    copies = max(1, round(triples / per_copy))

    def rename(term, copy: int):
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(base):
            return pyoxigraph.NamedNode(f"{term.value}-copy{copy}")
        return term

    quads = [
        pyoxigraph.Quad(rename(q.subject, copy), q.predicate, rename(q.object, copy), q.graph_name)
        for copy in range(copies)
        for q in template
    ]
    return QueryDataset(quads, dataset.graphs)


if __name__ == "__main__":
    import sys

    from wcokg.query import default_files

    base = load_dataset(default_files())
    for size in map(int, sys.argv[1:] or ["100000"]):
        data = scaled(base, size)
        print(size, len(data.store))
