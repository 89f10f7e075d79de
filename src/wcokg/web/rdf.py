"""Write a set of triples in each RDF media type the server offers."""

from __future__ import annotations

import pyoxigraph as ox

WRITERS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def serialize(triples: list[ox.Triple], media_type: str, prefixes: dict[str, str]) -> bytes:
    """``triples`` as ``media_type``: Turtle and RDF/XML with the project's prefixes, JSON-LD compacted with them.

    >>> x, name = ox.NamedNode("https://w3id.org/wcokg/id/x"), ox.NamedNode("https://schema.org/name")
    >>> t = ox.Triple(x, name, ox.Literal("X"))
    >>> serialize([t], "text/turtle", {"schema": "https://schema.org/"}).decode()
    '@prefix schema: <https://schema.org/> .\\n<https://w3id.org/wcokg/id/x> schema:name "X" .\\n'
    """
    if media_type == "application/ld+json":
        from rdflib import Graph

        from ..publish.serialize import jsonld_bytes
        from ..rdfio import converter, raw_literals

        # terms converted one by one (literals as written): a parser would rename the blank nodes at random
        graph, term = Graph(bind_namespaces="none"), converter()
        with raw_literals():
            graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
        return jsonld_bytes(graph, prefixes)
    fmt = WRITERS[media_type]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt)
    text = "\n".join(map(str, triples))  # written once, not once per prefix (a namespace holds no newline)
    used = {p: ns for p, ns in prefixes.items() if ns in text}
    return ox.serialize(triples, format=fmt, prefixes=used)
