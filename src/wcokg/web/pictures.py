"""The pages' pictures of the graph, as inline SVG (``diagram``): a resource's links one step out and in, the
organization (its units, members, goals and what the goals name) on the home page, and the ontology's classes
with its object properties on the ontology page. Nodes are named and edges labelled as the pages name them."""

from __future__ import annotations

import pyoxigraph as ox
from markupsafe import Markup

from .diagram import Edge, Node, svg
from .pages import AXIOMS, OWL, RDFS, by_text, link, term
from .published import RDF, WCOKG, Published

ORG = "http://www.w3.org/ns/org#"

MOST = 60
"""Neighbours shown on each side of a resource's picture (the page lists them all)."""


def _sorted(published: Published, links: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """(neighbour, property) pairs by the property's label, then the neighbour's."""
    return sorted(links, key=lambda pair: (by_text(term(published, pair[1])), by_text(link(published, pair[0]))))


def neighbourhood(published: Published, iri: str) -> Markup:
    """The resource ``iri`` between what links to it (left) and what it links to (right), each edge labelled with
    its property; the evidence graph's links and ``rdf:`` statements are left out, as the page's mentions leave
    them; at most ``MOST`` neighbours a side. Empty markup for a resource linking nowhere."""
    evidence = ox.NamedNode(published.base + "graph/evidence")

    def kept(quad: ox.Quad, other: ox.Term) -> bool:
        return (
            isinstance(other, ox.NamedNode)
            and other.value != iri
            and quad.graph_name != evidence
            and not quad.predicate.value.startswith(RDF)
        )

    incoming = {(q.subject.value, q.predicate.value) for q in published.by_object.get(iri, []) if kept(q, q.subject)}
    outgoing = {(q.object.value, q.predicate.value) for q in published.by_subject.get(iri, []) if kept(q, q.object)}
    if not incoming and not outgoing:
        return Markup("")
    centre = 1 if incoming else 0
    label = link(published, iri).text
    nodes = [Node("centre", label, centre, kind="centre")]
    edges: list[Edge] = []
    for side, links in ((0, incoming), (centre + 1, outgoing)):
        shown: set[str] = set()
        for other, predicate in _sorted(published, links):
            if other not in shown and len(shown) == MOST:
                continue
            key = f"{side}:{other}"
            if other not in shown:
                shown.add(other)
                found = link(published, other)
                nodes.append(Node(key, found.text, side, found.href))
            verb = term(published, predicate).text
            edges.append(Edge(key, "centre", verb) if side == 0 else Edge("centre", key, verb))
    return svg(nodes, edges, f"{label}: what it links to and what links to it")


ORGANIZATION = """SELECT ?organization ?p ?part ?n ?q ?named {
  ?organization a org:FormalOrganization .
  OPTIONAL {
    ?organization ?p ?part . FILTER(?p IN (org:hasUnit, wcokg:hasMembers, org:purpose))
    OPTIONAL { ?part wcokg:goalNumber ?n }
    OPTIONAL { ?part ?q ?named . FILTER(?q IN (wcokg:namesInstrument, wcokg:namesPartner)) }
  }
}"""
"""The organizations of the graph, their units, members group and goals, and what each goal names."""
PARTS = (ORG + "hasUnit", WCOKG + "hasMembers", ORG + "purpose")
"""The order of an organization's parts in its picture."""


def organization(published: Published) -> Markup:
    """The organizations (left), their units, members and goals (middle, goals by number) and what the goals
    name (right), each edge labelled with its property."""
    nodes: dict[str, Node] = {}
    edges: set[Edge] = set()

    def node(iri: str, column: int) -> str:
        key = f"{column}:{iri}"
        found = link(published, iri)
        nodes.setdefault(key, Node(key, found.text, column, found.href))
        return key

    ranks: dict[str, tuple] = {}
    for row in published.query(ORGANIZATION):
        source = node(row["organization"].value, 0)
        if row["part"] is None:
            continue
        part = node(row["part"].value, 1)
        number = int(row["n"].value) if row["n"] is not None and row["n"].value.isdigit() else 0
        ranks[part] = (PARTS.index(row["p"].value), number)
        edges.add(Edge(source, part, term(published, row["p"].value).text))
        if row["named"] is not None:
            edges.add(Edge(part, node(row["named"].value, 2), term(published, row["q"].value).text))
    ordered = sorted(nodes.values(), key=lambda n: (n.column, ranks.get(n.key, ()), n.text.lower(), n.key))
    return svg(ordered, sorted(edges), "The organization")


def ontology(published: Published, triples: list[ox.Triple]) -> Markup:
    """The ontology's classes: each class with a super-class or an object property from it on the left, the
    classes they lead to on the right; edges labelled ``sub-class of`` or with the property's label. Blank-node
    domains and ranges (unions) are left out."""
    facts: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
            facts.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    sub_class = dict(AXIOMS)[RDFS + "subClassOf"]
    pairs: set[tuple[str, str, str]] = set()
    for iri, found in facts.items():
        kinds = found.get(RDF + "type", [])
        if OWL + "Class" in kinds:
            pairs |= {(iri, parent, sub_class) for parent in found.get(RDFS + "subClassOf", [])}
        if OWL + "ObjectProperty" in kinds:
            label = term(published, iri).text
            pairs |= {(d, r, label) for d in found.get(RDFS + "domain", []) for r in found.get(RDFS + "range", [])}
    nodes: dict[str, Node] = {}
    for source, target, _ in pairs:
        for iri, column in ((source, 0), (target, 1)):
            found = term(published, iri)
            nodes.setdefault(f"{column}:{iri}", Node(f"{column}:{iri}", found.text, column, found.href))
    ordered = sorted(nodes.values(), key=lambda n: (n.column, n.text.lower(), n.key))
    edges = sorted(Edge(f"0:{s}", f"1:{t}", label) for s, t, label in pairs)
    return svg(ordered, edges, "The ontology's classes and object properties")
