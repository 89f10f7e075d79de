"""Describe the published dataset with VoID and DCAT: triple counts, classes, distributions, source."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from ..extraction.graph import KnowledgeGraph
from ..namespaces import PREFIXES, slugify
from .about import About

IANA = "https://www.iana.org/assignments/media-types/"


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def describe_dataset(
    kg: KnowledgeGraph, graph: Graph, files: dict[str, bytes], media_types: dict[str, str], about: About
) -> Graph:
    """The VoID/DCAT description of the dataset (as ``about`` says) and of each published file in ``files``;
    ``graph`` is ``kg.merged()``."""
    iris = kg.iris
    void = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        void.bind(prefix, namespace)
    dataset = iris.dataset()
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, RDF.type, DCAT.Dataset))
    void.add((dataset, DCTERMS.title, Literal(about.title, lang="en")))
    void.add((dataset, DCTERMS.description, Literal(about.description, lang="en")))
    void.add((dataset, DCTERMS.license, URIRef(about.license)))
    for source in kg.sources:
        void.add((dataset, DCTERMS.source, source))
    void.add((dataset, DCTERMS.conformsTo, URIRef(PREFIXES["wcosh"].rstrip("#"))))
    void.add((dataset, VOID.uriSpace, Literal(iris.id(""))))
    # the whole dataset is its four graphs (what wcokg.nq and wcokg.trig hold): the sum of its subsets
    void.add((dataset, VOID.triples, _count(sum(len(part) for part in kg.named().values()))))
    void.add((dataset, VOID.entities, _count(len(set(graph.subjects(RDF.type, None))))))
    for name in about.examples:
        if (example := iris.id(name.removeprefix("wco:"))) and (example, None, None) in graph:
            void.add((dataset, VOID.exampleResource, example))
    terms = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    for namespace in sorted({ns for ns in PREFIXES.values() if any(str(term).startswith(ns) for term in terms)}):
        void.add((dataset, VOID.vocabulary, URIRef(namespace)))
    for name, part in kg.named().items():
        node = iris.graph(name)
        void.add((dataset, VOID.subset, node))
        void.add((node, RDF.type, VOID.Dataset))
        void.add((node, VOID.triples, _count(len(part))))
    classes = Counter(cls for _, cls in graph.subject_objects(RDF.type))
    for cls, entities in sorted(classes.items()):
        partition = iris.dataset("class/" + slugify(graph.namespace_manager.normalizeUri(cls)))
        void.add((dataset, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, _count(entities)))
    for name, data in files.items():
        distribution = iris.dataset(name)
        media = URIRef(IANA + media_types[name])
        void.add((dataset, DCAT.distribution, distribution))
        void.add((distribution, RDF.type, DCAT.Distribution))
        void.add((distribution, DCAT.downloadURL, distribution))
        void.add((distribution, DCAT.mediaType, media))
        void.add((distribution, DCAT.byteSize, _count(len(data))))
        if name.startswith("wcokg."):
            void.add((dataset, VOID.dataDump, distribution))
    return void
