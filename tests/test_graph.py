"""The graphs: IRIs, evidence for every data triple, source provenance, external links."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SDO, SKOS, XSD

from wcokg import layout
from wcokg.extraction.document import read_document
from wcokg.extraction.extract import extract, vocabulary
from wcokg.extraction.graph import build_graph
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.rdfio import load_turtle

from .conftest import OVERVIEW

ID = Iris()


def test_no_blank_nodes_anywhere(built) -> None:
    for name, graph in built.graph.named().items():
        if name == "ontology":
            continue
        for triple in graph:
            assert not any(isinstance(term, BNode) for term in triple), (name, triple)


def test_every_data_triple_has_exactly_one_annotation_with_its_statement(built) -> None:
    data, evidence = built.graph.data, built.graph.evidence
    for s, p, o in data:
        statements = (
            set(evidence.subjects(RDF.subject, s))
            & set(evidence.subjects(RDF.predicate, p))
            & set(evidence.subjects(RDF.object, o))
        )
        annotations = {a for st in statements for a in evidence.subjects(OA.hasBody, st)}
        assert len(annotations) == 1, (s, p, o)
        (annotation,) = annotations
        source = ID.source(OVERVIEW.stem)  # one annotation per fact and source document
        key = hashlib.sha256(f"{s.n3()} {p.n3()} {o.n3()} {source.n3()}".encode()).hexdigest()[:16]
        assert annotation == ID.id(f"evidence-{key}")
        assert (annotation, OA.motivatedBy, OA.describing) in evidence
    assert len(set(evidence.subjects(RDF.type, OA.Annotation))) == len(data)


def test_every_selector_quotes_the_source_at_its_offsets(built, source_text) -> None:
    evidence = built.graph.evidence
    targets = set(evidence.subjects(RDF.type, OA.SpecificResource))
    assert targets
    for target in targets:
        selectors = set(evidence.objects(target, OA.hasSelector))
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in evidence]
        (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in evidence]
        start, end = evidence.value(position, OA.start).toPython(), evidence.value(position, OA.end).toPython()
        exact = str(evidence.value(quote, OA.exact))
        assert source_text[start:end] == exact
        prefix, suffix = evidence.value(quote, OA.prefix), evidence.value(quote, OA.suffix)
        if source_text.count(exact) > 1:
            assert source_text[:start].endswith(str(prefix)) and source_text[end:].startswith(str(suffix))
        else:
            assert prefix is None and suffix is None


def test_the_source_document_is_described_without_its_spam(built, source_text) -> None:
    evidence = built.graph.evidence
    source = ID.source("wco-overview-2013-06-24")
    assert {FOAF.Document, PROV.Entity} <= set(evidence.objects(source, RDF.type))
    assert evidence.value(source, DCTERMS.date) == Literal("2013-06-24T19:28:00", datatype=XSD.dateTime)
    assert evidence.value(source, WCOKG.sha256) == Literal(
        "109a65fb8a7c5f72bb12a72da2d59d886e682021d1db92de40151ec703f1e104"
    )
    assert evidence.value(source, WCOKG.byteLength).toPython() == len(OVERVIEW.read_bytes())
    (span,) = evidence.objects(source, WCOKG.quarantinedSpan)
    assert evidence.value(span, OA.start).toPython() == source_text.index("Thank you very much")
    assert evidence.value(span, OA.exact) is None
    assert "phone number" in {str(r) for r in evidence.objects(span, WCOKG.quarantineReason)}


def test_the_build_is_recorded_without_wall_clock_time(built) -> None:
    evidence = built.graph.evidence
    (activity,) = evidence.subjects(RDF.type, PROV.Activity)
    assert evidence.value(activity, PROV.used) == ID.source("wco-overview-2013-06-24")
    agent = evidence.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in evidence
    assert not list(evidence.objects(activity, PROV.startedAtTime))


def test_external_identifiers_live_only_in_the_links_graph_and_say_so(built) -> None:
    links, data = built.graph.links, built.graph.data
    assert set(links.subject_objects(SDO.sameAs)) == {
        (ID.id("world-customs-organization"), URIRef("http://www.wikidata.org/entity/Q605326")),
        (ID.id("world-trade-organization"), URIRef("http://www.wikidata.org/entity/Q7825")),
    }
    for statement in links.subjects(RDF.type, RDF.Statement):
        assert "Not a statement of the source document" in str(links.value(statement, RDFS.comment))
    assert not list(data.triples((None, SDO.sameAs, None)))
    assert not any("wikidata" in str(term) for triple in data for term in triple)


def test_labels_are_normalized_and_quotes_exact(built) -> None:
    assert built.graph.data.value(ID.id("goal-6"), SKOS.prefLabel) == Literal("Capacity Building", lang="en")
    exacts = {str(o) for o in built.graph.evidence.objects(None, OA.exact)}
    assert "Capacity\u00a0Building" in exacts


def test_closed_vocabulary_rejects_misspelt_terms() -> None:
    with pytest.raises(AttributeError):
        WCOKG.Conventoin  # noqa: B018


def test_another_base_rehomes_every_resource() -> None:
    doc = read_document(OVERVIEW)
    _, ontology = load_turtle(layout.ONTOLOGY)
    known = vocabulary(ontology, load_turtle(layout.SHAPES)[1])
    claims = extract(doc, "https://example.org/kg/", known)
    kg = build_graph((doc,), (claims,), ontology, "https://example.org/kg/")
    terms = {str(t) for name in ("data", "evidence", "links") for triple in kg.named()[name] for t in triple}
    assert "https://example.org/kg/id/world-customs-organization" in terms
    assert not any(t.startswith("https://w3id.org/wcokg/id/") for t in terms)
