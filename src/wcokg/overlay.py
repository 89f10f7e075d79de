"""A graph that is another graph plus and minus some triples: an edit's copy costs the edit, not the graph."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store


class Overlay(Store):
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
        self._namespaces = Memory()

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

    def bind(self, prefix, namespace, override=True) -> None:
        self._namespaces.bind(prefix, namespace, override)

    def namespace(self, prefix):
        return self._namespaces.namespace(prefix)

    def prefix(self, namespace):
        return self._namespaces.prefix(namespace)

    def namespaces(self):
        return self._namespaces.namespaces()


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
