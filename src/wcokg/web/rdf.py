"""Write a set of triples in each RDF media type the server offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..loader import raw_literals

if TYPE_CHECKING:
    from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

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

        from ..publish import jsonld_bytes

        graph = Graph(bind_namespaces="none")
        with raw_literals():
            for triple in triples:
                graph.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
        return jsonld_bytes(graph, prefixes)
    used = {p: ns for p, ns in prefixes.items() if any(ns in str(t) for t in triples)}
    fmt = WRITERS[media_type]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt)
    return ox.serialize(triples, format=fmt, prefixes=used)


def _rdflib(term: ox.Term) -> URIRef | BNode | Literal:
    """``term`` in rdflib, a blank node keeping its name (a parser would rename it at random) and a literal its
    lexical form."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
