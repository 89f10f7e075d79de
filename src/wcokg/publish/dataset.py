"""Describe the published dataset with VoID and DCAT: triple counts, classes, distributions, source."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from ..extraction.graph import KnowledgeGraph
from ..namespaces import PREFIXES, slugify

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
EXAMPLES = ("world-customs-organization", "goal-4", "revised-kyoto-convention")


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def describe_dataset(kg: KnowledgeGraph, files: dict[str, bytes], media_types: dict[str, str]) -> Graph:
    """The VoID/DCAT description of the dataset and of each published file in ``files``."""
    iris = kg.iris
    graph = kg.merged()
    void = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        void.bind(prefix, namespace)
    dataset = iris.dataset()
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, RDF.type, DCAT.Dataset))
    void.add((dataset, DCTERMS.title, Literal("World Customs Organization knowledge graph", lang="en")))
    void.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "The World Customs Organization's overview document of 24 June 2013 as linked data: the organization, "
                "its units, membership figures, nine strategic goals and the instruments they name, each fact with the "
                "quote that states it.",
                lang="en",
            ),
        )
    )
    void.add((dataset, DCTERMS.license, LICENSE))
    for source in kg.sources:
        void.add((dataset, DCTERMS.source, source))
    void.add((dataset, DCTERMS.conformsTo, URIRef(PREFIXES["wcosh"].rstrip("#"))))
    void.add((dataset, VOID.uriSpace, Literal(iris.id(""))))
    # the whole dataset is its four graphs (what wcokg.nq and wcokg.trig hold): the sum of its subsets
    void.add((dataset, VOID.triples, _count(sum(len(part) for part in kg.named().values()))))
    void.add((dataset, VOID.entities, _count(len(set(graph.subjects(RDF.type, None))))))
    for slug in EXAMPLES:
        if (iris.id(slug), None, None) in graph:
            void.add((dataset, VOID.exampleResource, iris.id(slug)))
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
