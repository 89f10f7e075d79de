"""Hygiene of the hand-written ontology and shapes: every term documented, every class shaped."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from wcokg import layout
from wcokg.namespaces import PREFIXES, WCOKG
from wcokg.rdfio import load_turtle

NS = PREFIXES["wcokg"]
ONTOLOGY_IRI = URIRef(NS.rstrip("#"))


@pytest.fixture(scope="module")
def ontology():
    return load_turtle(layout.ONTOLOGY)[1]


@pytest.fixture(scope="module")
def shapes():
    return load_turtle(layout.SHAPES)[1]


def defined_terms(ontology) -> set[URIRef]:
    return {s for s in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI) if str(s).startswith(NS)}


def test_header_has_what_a_catalogue_needs(ontology) -> None:
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.source,
        OWL.versionIRI,
        OWL.versionInfo,
    ):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology


def test_closed_namespace_lists_exactly_the_ontology_terms(ontology) -> None:
    assert {URIRef(NS + name) for name in WCOKG.__annotations__} == defined_terms(ontology)


def test_every_term_has_english_label_definition_and_anchor(ontology) -> None:
    anchors = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.seeAlso, RDFS.range)
    for term in defined_terms(ontology):
        assert any(label.language == "en" for label in ontology.objects(term, RDFS.label)), term
        assert any(d.language == "en" for d in ontology.objects(term, SKOS.definition)), term
        assert any(ontology.value(term, a) is not None for a in anchors), term
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term


def test_the_custom_properties_sit_under_standard_ones_where_one_fits(ontology) -> None:
    """The goals' verbs are what an organization does, the figures' links are figures: one question each."""
    below = {
        str(row[0]).removeprefix(NS)
        for row in ontology.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf+ wcokg:actsThrough }", initNs=PREFIXES)
    }
    assert below == {"develops", "maintains", "promotes", "enhances", "provides", "offers", "takesPartInProviding"}
    figures = {
        str(r[0]).removeprefix(NS)
        for r in ontology.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf wcokg:hasFigure }", initNs=PREFIXES)
    }
    assert figures == {"numberOfMembers", "representsAdministrations", "shareOfWorldTrade"}
    properties = {t for t in defined_terms(ontology) if (t, RDF.type, OWL.Class) not in ontology}
    standard = [
        p
        for p in properties
        if any(not str(s).startswith(NS) for s in ontology.transitive_objects(p, RDFS.subPropertyOf) if s != p)
    ]
    assert len(standard) == 26 and len(properties) == 35, (len(standard), len(properties))


def test_every_prefix_of_the_ontology_is_used() -> None:
    text = layout.ONTOLOGY.read_text(encoding="utf-8")
    for prefix in re.findall(r"^@prefix (\w+):", text, re.MULTILINE):
        body = text.split("\n\n", 1)[1]
        assert re.search(rf"\b{prefix}:", body), f"unused prefix {prefix}"


def test_the_data_uses_only_defined_wcokg_terms(built, ontology) -> None:
    used = {t for triple in built.graph.merged() for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= defined_terms(ontology)


def test_one_node_shape_per_ontology_class(ontology, shapes) -> None:
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(NS)}
    for cls in classes:
        shape = URIRef(PREFIXES["wcosh"] + str(cls)[len(NS) :] + "Shape")
        assert (shape, RDF.type, SH.NodeShape) in shapes, shape
        assert (shape, SH.targetClass, cls) in shapes, shape


def test_every_resource_of_the_data_is_targeted_by_a_shape(built, shapes) -> None:
    graph = built.graph.merged()
    targeted = set(shapes.objects(None, SH.targetClass))
    by_property = set(shapes.objects(None, SH.targetSubjectsOf))
    for node, cls in graph.subject_objects(RDF.type):
        if cls != URIRef("http://www.w3.org/ns/prov#Entity"):
            assert cls in targeted or any((node, p, None) in graph for p in by_property), (node, cls)


def test_every_constraint_speaks_plain_english(shapes) -> None:
    for node in shapes.subjects(RDF.type, SH.NodeShape):
        if shapes.value(node, SH.targetClass) is not None:
            assert shapes.value(node, RDFS.label) is not None and shapes.value(node, RDFS.comment) is not None, node
            assert str(node).startswith(PREFIXES["wcosh"]) and str(node).endswith("Shape"), node
    for shape, prop in shapes.subject_objects(SH.property):
        if isinstance(shape, BNode):
            continue  # a part of a qualified value shape: its parent's rule reports it, with the parent's message
        assert isinstance(prop, URIRef), "property shapes have IRIs"
        message = shapes.value(prop, SH.message)
        assert isinstance(message, Literal) and message.language == "en" and len(message) > 20, prop
        assert shapes.value(prop, SH.name) is not None and shapes.value(prop, SH.order) is not None, prop
