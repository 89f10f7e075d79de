"""The ontology is OWL 2 DL and the data consistent with it (HermiT, run by owlready2); the concept schemes
pass skosify's SKOS checks."""

from __future__ import annotations

import logging

import owlready2
import pytest
import skosify
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from wcokg import layout
from wcokg.edit.apply import load_published
from wcokg.namespaces import WCOKG
from wcokg.rdfio import load_turtle

ORG = "http://www.w3.org/ns/org#"
MAPPINGS = {
    SKOS.closeMatch,
    SKOS.exactMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    SKOS.mappingRelation,
}
KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
BUILT_IN = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, RDFS.subClassOf, RDFS.subPropertyOf}
BUILT_IN |= {
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    OWL.versionIRI,
    OWL.versionInfo,
    OWL.priorVersion,
}
# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps) and rdf:langString (RDF 1.1, built
# into the OWL API); any other datatype must be declared (rdfs:Datatype).
DATATYPE_MAP = {XSD[name] for name in ("string", "integer", "decimal", "boolean", "dateTime", "anyURI", "double")}
DATATYPE_MAP |= {RDF.langString, RDF.PlainLiteral, RDFS.Literal}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle(layout.ONTOLOGY)[1]


@pytest.fixture(scope="module")
def data(out_dir) -> Graph:
    return load_published(out_dir).data


def declared(ontology: Graph, term: URIRef) -> set[URIRef]:
    return set(ontology.objects(term, RDF.type)) & (KINDS | {OWL.Class, RDFS.Datatype})


def test_no_skos_mapping_relation_on_an_owl_term(ontology) -> None:
    """A SKOS mapping relation would make the class or property a skos:Concept: OWL Full."""
    assert [(s, p) for s, p, _ in ontology if p in MAPPINGS] == []


def test_every_term_is_declared_as_exactly_one_kind_of_entity(ontology, data) -> None:
    """OWL 2 DL: every class, property and non-built-in datatype is declared, and no IRI is punned across kinds."""
    graph = ontology + data
    properties = {p for _, p, _ in graph} - BUILT_IN
    properties |= set(ontology.objects(None, RDFS.subPropertyOf))
    classes = {o for p in (RDFS.subClassOf, OWL.disjointWith) for o in ontology.objects(None, p)}
    classes |= set(data.objects(None, RDF.type))
    classes |= {o for p in (RDFS.domain, RDFS.range) for o in ontology.objects(None, p) if o not in DATATYPE_MAP}
    for term in properties:
        assert len(declared(ontology, term) & KINDS) == 1, term
    for term in classes:
        assert declared(ontology, term) in ({OWL.Class}, {RDFS.Datatype}), term
    for s, p, o in graph:
        kinds = declared(ontology, p)
        assert OWL.ObjectProperty not in kinds or isinstance(o, URIRef), (s, p, o)
        assert OWL.DatatypeProperty not in kinds or isinstance(o, Literal), (s, p, o)
        if isinstance(o, Literal) and o.datatype and p != RDF.type:
            assert o.datatype in DATATYPE_MAP or (o.datatype, RDF.type, RDFS.Datatype) in ontology, o.datatype
    assert not [t for t in graph.all_nodes() if isinstance(t, BNode)]


def test_the_kinds_the_source_sets_apart_are_disjoint(ontology) -> None:
    kinds = [WCOKG.Instrument, WCOKG.Tool, WCOKG.Network, WCOKG.Approach, WCOKG.Programme]
    for i, a in enumerate(kinds):
        assert (a, RDFS.subClassOf, WCOKG.Means) in ontology
        for b in kinds[i + 1 :]:
            assert (a, OWL.disjointWith, b) in ontology or (b, OWL.disjointWith, a) in ontology, (a, b)


def hermit(graph: Graph, tmp_path) -> list[str]:
    """Run HermiT (owlready2) over ``graph``: the unsatisfiable classes; OwlReadyInconsistentOntologyError if the
    graph is inconsistent. xsd:date and xsd:gYear (declared, outside the OWL 2 datatype map) are opaque to it."""
    path = tmp_path / "graph.owl"
    graph.serialize(path, format="xml")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    return [str(c) for c in world.inconsistent_classes()]


def test_hermit_finds_the_ontology_and_the_data_consistent_and_every_class_satisfiable(ontology, data, tmp_path):
    assert hermit(ontology + data, tmp_path) == []


@pytest.mark.parametrize(
    "contradiction",
    [
        (WCOKG.Tool, "compliance-and-enforcement-tools", WCOKG.Instrument),  # instruments and tools are apart
        (WCOKG.Programme, "training", URIRef(ORG + "FormalOrganization")),  # a means is never an organization
    ],
)
def test_hermit_rejects_data_that_contradicts_the_ontology(ontology, data, tmp_path, contradiction) -> None:
    _, slug, cls = contradiction
    node = next(s for s in data.subjects(RDF.type, WCOKG.Means) if str(s).endswith("/" + slug))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit((ontology + data).add((node, RDF.type, cls)), tmp_path)


CHECKS = (
    lambda g: skosify.check.hierarchy_cycles(g, fix=False),
    lambda g: skosify.check.disjoint_relations(g, fix=False),
    lambda g: skosify.check.hierarchical_redundancy(g, fix=False),
    lambda g: skosify.check.preflabel_uniqueness(g, policy="shortest"),  # its "all" is not implemented (2.3.0)
    lambda g: skosify.check.label_overlap(g, fix=False),
)


def skos_warnings(graph: Graph, caplog) -> list[str]:
    """What skosify's checks log at WARNING or above over ``graph`` (a copy: some checks repair as they go)."""
    graph = Graph() + graph
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        for check in CHECKS:
            check(graph)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_skosify_checks_find_nothing(data, caplog) -> None:
    assert skos_warnings(Graph() + data, caplog) == []


def test_skosify_checks_can_fail(data, caplog) -> None:
    goal = next(data.subjects(SKOS.notation, Literal(4)))
    broken = (Graph() + data).add((goal, SKOS.prefLabel, Literal("Facilitation", lang="en")))
    assert skos_warnings(broken, caplog)
