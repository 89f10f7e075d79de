"""An overlay copy of a graph: changed without changing its base, its changes known without comparing graphs."""

from __future__ import annotations

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from wcokg.edit.overlay import Overlay, StoreView, changes

A, B, C = (URIRef(f"http://example.org/{name}") for name in "abc")


def base() -> Graph:
    graph = Graph()
    graph.add((A, RDFS.label, Literal("a")))
    graph.add((B, RDFS.label, Literal("b")))
    return graph


def test_a_copy_changes_without_changing_its_base() -> None:
    original = base()
    copy = Overlay.copy(original)
    copy.remove((A, None, None))
    copy.add((C, RDFS.label, Literal("c")))
    copy.add((B, RDFS.label, Literal("b")))  # already there: no change
    assert set(copy) == {(B, RDFS.label, Literal("b")), (C, RDFS.label, Literal("c"))}
    assert len(copy) == 2 and (A, None, None) not in copy and copy.value(C, RDFS.label) == Literal("c")
    assert set(original) == set(base())
    assert changes(original, copy) == ({(C, RDFS.label, Literal("c"))}, {(A, RDFS.label, Literal("a"))})


def test_a_copy_of_a_copy_keeps_one_level_and_its_changes_are_exact() -> None:
    original = base()
    first = Overlay.copy(original)
    first.remove((A, None, None))
    first.add((C, RDFS.label, Literal("c")))
    second = Overlay.copy(first)
    assert second.store.base is original
    second.add((A, RDFS.label, Literal("a")))  # back as it was
    second.remove((C, None, None))
    assert set(second) == set(original)
    assert changes(first, second) == ({(A, RDFS.label, Literal("a"))}, {(C, RDFS.label, Literal("c"))})
    assert changes(first, second) == tuple(map(set, (set(second) - set(first), set(first) - set(second))))


def test_a_store_view_matches_a_literal_as_written() -> None:
    """pyoxigraph's store keeps "09"^^xsd:integer as "9": the view does not take one for the other."""
    store, graph = pyoxigraph.Store(), pyoxigraph.NamedNode("http://example.org/g")
    integer = pyoxigraph.NamedNode(str(XSD.integer))
    store.add(
        pyoxigraph.Quad(
            *(pyoxigraph.NamedNode(str(t)) for t in (A, RDFS.label)), pyoxigraph.Literal("9", datatype=integer), graph
        )
    )
    view = Graph(store=StoreView(store, graph))
    nine, written = Literal("9", datatype=XSD.integer), Literal("09", datatype=XSD.integer, normalize=False)
    assert (A, RDFS.label, nine) in view and (A, RDFS.label, written) not in view
    store.add(pyoxigraph.Quad(*(pyoxigraph.NamedNode(str(t)) for t in (B, RDFS.label)), pyoxigraph.Literal("b"), graph))
    assert (B, RDFS.label, Literal("b", datatype=XSD.string)) in view  # the same term in RDF 1.1
    copy = Overlay.copy(view)
    copy.add((A, RDFS.label, written))
    assert changes(view, copy) == ({(A, RDFS.label, written)}, set()) and len(view) == 2
