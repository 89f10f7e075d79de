"""Graphs that cost what is read of them: a view of a pyoxigraph store (terms converted when read), and a
graph that is another graph plus and minus some triples (an edit's copy costs the edit, not the graph)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store

from ..rdfio import converter


def oxigraph_term(term: object) -> object:
    """An rdflib term as pyoxigraph's (None stays None: any term)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise ValueError(f"not an RDF term: {term!r}")  # a variable or a path: rdflib resolves these itself


class _Namespaces(Store):
    """A store that keeps its own prefixes (what rdflib's Graph binds), whatever holds its triples."""

    def __init__(self) -> None:
        super().__init__()
        self._namespaces = Memory()

    def bind(self, prefix, namespace, override=True) -> None:
        self._namespaces.bind(prefix, namespace, override)

    def namespace(self, prefix):
        return self._namespaces.namespace(prefix)

    def prefix(self, namespace):
        return self._namespaces.prefix(namespace)

    def namespaces(self):
        return self._namespaces.namespaces()


class StoreView(_Namespaces):
    """rdflib's Store API, read-only, over one named graph of a pyoxigraph store: a graph of 10^5 triples is
    not converted to rdflib's terms at once, only what is read of it. The store keeps a typed literal in its
    canonical form ("09"^^xsd:integer as "9"); a pattern's literal matches only as written."""

    def __init__(self, store: pyoxigraph.Store, graph: pyoxigraph.NamedNode) -> None:
        super().__init__()
        self.store, self.graph, self.term, self.size = store, graph, converter(), None

    def triples(self, triple_pattern, context=None) -> Iterator:
        try:
            pattern = [oxigraph_term(term) for term in triple_pattern]
        except ValueError:  # a term pyoxigraph refuses (an IRI with a space) is in no triple of the store
            return
        term = self.term
        literal = term(pattern[2]) if isinstance(pattern[2], pyoxigraph.Literal) else None  # "x"^^xsd:string is "x"
        for quad in self.store.quads_for_pattern(*pattern, self.graph):
            triple = term(quad.subject), term(quad.predicate), term(quad.object)
            if literal is None or triple[2] == literal:  # the store matches "09"^^xsd:integer to its "9"
                yield triple, iter(())

    def __len__(self, context=None) -> int:
        if self.size is None:
            (row,) = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {self.graph} {{ ?s ?p ?o }} }}")
            self.size = int(row["n"].value)
        return self.size

    def add(self, triple, context=None, quoted=False) -> None:
        raise TypeError("a view of a pyoxigraph store is read-only: change an Overlay.copy of it")

    def remove(self, triple_pattern, context=None) -> None:
        raise TypeError("a view of a pyoxigraph store is read-only: change an Overlay.copy of it")


class Overlay(_Namespaces):
    """rdflib's Store API over a base graph, which it never changes, and the triples added to and removed from
    it (kept apart, so that the difference from the base is known without comparing the two)."""

    def __init__(self, base: Graph) -> None:
        super().__init__()
        if isinstance(base.store, Overlay):  # an overlay of an overlay: one level, whatever the number of edits
            self.base, self.removed = base.store.base, set(base.store.removed)
            self.added = Graph(bind_namespaces="none")
            self.added += base.store.added
        else:
            self.base, self.removed, self.added = base, set(), Graph(bind_namespaces="none")

    @classmethod
    def copy(cls, base: Graph) -> Graph:
        """A copy of ``base`` that can be changed without changing it (nor copying its triples)."""
        return Graph(store=cls(base), bind_namespaces="none")

    def add(self, triple, context=None, quoted=False) -> None:
        if triple in self.removed:
            self.removed.discard(triple)
        elif triple not in self.base:
            self.added.add(triple)

    def remove(self, triple_pattern, context=None) -> None:
        for triple in list(self.added.triples(triple_pattern)):
            self.added.remove(triple)
        self.removed.update(self.base.triples(triple_pattern))

    def triples(self, triple_pattern, context=None) -> Iterator:
        for triple in self.base.triples(triple_pattern):
            if triple not in self.removed:
                yield triple, iter(())
        for triple in self.added.triples(triple_pattern):
            yield triple, iter(())

    def __len__(self, context=None) -> int:
        return len(self.base) - len(self.removed) + len(self.added)


def changes(old: Graph, new: Graph) -> tuple[set, set]:
    """The triples added to ``old`` and removed from it to make ``new``: read from the overlays where ``new``
    overlays ``old`` (or both overlay the same graph), else by comparing the two."""
    if new is old:
        return set(), set()
    store = new.store
    if isinstance(store, Overlay) and store.base is old:
        return set(store.added), set(store.removed)
    if isinstance(store, Overlay) and isinstance(old.store, Overlay) and old.store.base is store.base:
        new_added, old_added = set(store.added), set(old.store.added)
        plus = (new_added - old_added) | (old.store.removed - store.removed)
        return plus, (old_added - new_added) | (store.removed - old.store.removed)
    new_triples, old_triples = set(new), set(old)
    return new_triples - old_triples, old_triples - new_triples
