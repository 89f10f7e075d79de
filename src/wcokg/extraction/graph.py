"""Turn claims into the data, evidence and links graphs; the one place where resource IRIs are minted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SDO, XSD

from .. import __version__
from ..namespaces import OA, PREFIXES, WCOKG, Iris, bind, slugify
from .document import Document, Span
from .extract import Claim

CONTEXT_CHARS = 32
"""How many characters of prefix and suffix disambiguate a quote that occurs more than once."""


@dataclass(frozen=True)
class KnowledgeGraph:
    """The published graphs: data (facts), evidence (quotes and provenance), links, and the ontology."""

    iris: Iris
    data: Graph
    evidence: Graph
    links: Graph
    ontology: Graph
    documents: tuple[Document, ...] = field(default=(), compare=False, repr=False)
    """The source documents and their claims files, where the graphs were built or edited from them (not read
    back from output/): what output/coverage.md accounts for."""

    @property
    def sources(self) -> tuple[URIRef, ...]:
        """The source documents the graphs were read from (described in the evidence graph), in IRI order."""
        found = self.evidence.subjects(RDF.type, FOAF.Document)
        return tuple(sorted(source for source in found if isinstance(source, URIRef)))

    def named(self) -> dict[str, Graph]:
        """The graphs by name, in the order they are published."""
        return {"data": self.data, "evidence": self.evidence, "links": self.links, "ontology": self.ontology}

    def merged(self) -> Graph:
        """Data, evidence and links in one graph: what wcokg.ttl, .nt and .jsonld hold."""
        graph = bind(Graph(bind_namespaces="none"), self.iris.base)
        for part in (self.data, self.evidence, self.links):
            graph += part
        return graph

    def dataset(self) -> Dataset:
        """All four graphs as named graphs: what wcokg.trig and wcokg.nq hold."""
        dataset = Dataset(default_union=False)
        bind(dataset, self.iris.base)
        for name, graph in self.named().items():
            target = dataset.graph(self.iris.graph(name))
            for triple in graph:
                target.add(triple)
        return dataset


def _graph(iris: Iris) -> Graph:
    return bind(Graph(bind_namespaces="none"), iris.base)


def source_iri(iris: Iris, doc: Document) -> URIRef:
    """The IRI of a source document: ``{base}source/{slug of its file name}``."""
    return iris.source(slugify(doc.path.stem))


def build_graph(
    docs: tuple[Document, ...], claims: tuple[tuple[Claim, ...], ...], ontology: Graph, base: str
) -> KnowledgeGraph:
    """Build the published graphs from the documents and their claims.

    Args:
        docs: the source documents, each read with its claims file.
        claims: for each document, the facts its claims state, each with its quote.
        ontology: the ontology graph, published as it is.
        base: the base IRI of everything minted (``https://w3id.org/wcokg/`` by default).
    """
    iris = Iris(base)
    data, evidence, links = _graph(iris), _graph(iris), _graph(iris)
    for doc, stated in zip(docs, claims, strict=True):
        source = source_iri(iris, doc)
        for claim in stated:
            triple = (claim.subject, claim.predicate, claim.object)
            data.add(triple)
            annotate(evidence, iris, doc, source, triple, claim.evidence)
        _describe_source(evidence, iris, doc, source)
    _describe_build(evidence, iris, docs)
    _link(links, iris, data, tuple(sorted({pair for doc in docs for pair in doc.claims.wikidata})))
    return KnowledgeGraph(iris, data, evidence, links, ontology, docs)


def statement_iri(iris: Iris, triple: tuple) -> URIRef:
    """The IRI of a data triple's statement (the body of its annotations): a hash of the triple."""
    key = hashlib.sha256(" ".join(term.n3() for term in triple).encode()).hexdigest()[:16]
    return iris.id(f"statement-{key}")


def annotation_iris(iris: Iris, triple: tuple, source: URIRef) -> tuple[URIRef, URIRef]:
    """The IRIs of the annotation that ties a data triple to ``source`` (a source document whose quote states it,
    or a cited document: one annotation per triple and source), and of the triple's statement: hashes."""
    key = " ".join(term.n3() for term in (*triple, source))
    return iris.id(f"evidence-{hashlib.sha256(key.encode()).hexdigest()[:16]}"), statement_iri(iris, triple)


def add_annotation(evidence: Graph, iris: Iris, triple: tuple, target: URIRef, source: URIRef) -> URIRef:
    """Add the Web Annotation whose body is ``triple`` (as an rdf:Statement) and whose target is ``target``, a
    quote of ``source`` or the cited document ``source`` itself."""
    annotation, statement = annotation_iris(iris, triple, source)
    evidence.add((annotation, RDF.type, OA.Annotation))
    evidence.add((annotation, OA.motivatedBy, OA.describing))
    evidence.add((annotation, OA.hasBody, statement))
    evidence.add((annotation, OA.hasTarget, target))
    evidence.add((statement, RDF.type, RDF.Statement))
    for part, term in zip((RDF.subject, RDF.predicate, RDF.object), triple, strict=True):
        evidence.add((statement, part, term))
    return annotation


def annotate(evidence: Graph, iris: Iris, doc: Document, source: URIRef, triple: tuple, quote: Span) -> URIRef:
    """Add the Web Annotation that ties one data triple to its quote (quotes shared by triples are one target)."""
    return add_annotation(evidence, iris, triple, add_quote(evidence, iris, doc, source, quote), source)


def add_quote(evidence: Graph, iris: Iris, doc: Document, source: URIRef, quote: Span) -> URIRef:
    """Add the quote of ``source`` (an oa:SpecificResource with its two selectors) that annotations target."""
    name = f"quote-{slugify(doc.path.stem)}-{quote.start}-{quote.end}"
    target = iris.id(name)
    text_selector, position_selector = iris.id(f"{name}-text"), iris.id(f"{name}-position")
    evidence.add((target, RDF.type, OA.SpecificResource))
    evidence.add((target, OA.hasSource, source))
    evidence.add((target, OA.hasSelector, text_selector))
    evidence.add((target, OA.hasSelector, position_selector))
    evidence.add((text_selector, RDF.type, OA.TextQuoteSelector))
    evidence.add((text_selector, OA.exact, Literal(quote.text)))
    if doc.text.count(quote.text) > 1:
        low, high = _accepted_window(doc, quote)
        evidence.add((text_selector, OA.prefix, Literal(doc.text[low : quote.start])))
        evidence.add((text_selector, OA.suffix, Literal(doc.text[quote.end : high])))
    evidence.add((position_selector, RDF.type, OA.TextPositionSelector))
    evidence.add((position_selector, OA.start, Literal(quote.start, datatype=XSD.integer)))
    evidence.add((position_selector, OA.end, Literal(quote.end, datatype=XSD.integer)))
    return target


def _accepted_window(doc: Document, quote: Span) -> tuple[int, int]:
    """Where prefix and suffix may reach: CONTEXT_CHARS each way, never into a quarantined span."""
    low, high = max(0, quote.start - CONTEXT_CHARS), min(len(doc.text), quote.end + CONTEXT_CHARS)
    for span in doc.quarantined:
        if span.end <= quote.start:
            low = max(low, span.end)
        elif span.start >= quote.end:
            high = min(high, span.start)
    return low, high


def _describe_source(evidence: Graph, iris: Iris, doc: Document, source: URIRef) -> None:
    """Describe the source document and its quarantined spans."""
    evidence.add((source, RDF.type, FOAF.Document))
    evidence.add((source, RDF.type, PROV.Entity))
    evidence.add((source, DCTERMS.title, Literal(doc.title.clean, lang=doc.language)))
    evidence.add((source, DCTERMS.date, Literal(doc.issued.isoformat(), datatype=XSD.dateTime)))
    evidence.add((source, DCTERMS.format, Literal("text/plain; charset=utf-8")))
    evidence.add((source, WCOKG.byteLength, Literal(doc.byte_length, datatype=XSD.integer)))
    evidence.add((source, WCOKG.sha256, Literal(doc.sha256)))
    for span in doc.quarantined:
        node = iris.id(f"quarantine-{slugify(doc.path.stem)}-{span.start}-{span.end}")
        evidence.add((source, WCOKG.quarantinedSpan, node))
        evidence.add((node, RDF.type, WCOKG.QuarantinedSpan))
        evidence.add((node, OA.start, Literal(span.start, datatype=XSD.integer)))
        evidence.add((node, OA.end, Literal(span.end, datatype=XSD.integer)))
        for reason in span.reasons:
            evidence.add((node, WCOKG.quarantineReason, Literal(reason)))


def _describe_build(evidence: Graph, iris: Iris, docs: tuple[Document, ...]) -> None:
    """Describe the build that read the documents and made the graphs (no wall-clock time)."""
    digest = hashlib.sha256(" ".join(doc.sha256 for doc in docs).encode()).hexdigest()
    agent = iris.id(f"software-wcokg-{slugify(__version__)}")
    build = iris.id(f"build-{slugify(__version__)}-{digest[:12]}")
    evidence.add((agent, RDF.type, PROV.SoftwareAgent))
    evidence.add((agent, RDFS.label, Literal(f"wcokg {__version__}")))
    evidence.add((agent, SDO.softwareVersion, Literal(__version__)))
    evidence.add((build, RDF.type, PROV.Activity))
    evidence.add((build, PROV.wasAssociatedWith, agent))
    sources = [source_iri(iris, doc) for doc in docs]
    for source in sources:
        evidence.add((build, PROV.used, source))
    for name in ("data", "evidence", "links"):
        graph = iris.graph(name)
        evidence.add((graph, RDF.type, PROV.Entity))
        evidence.add((graph, PROV.wasGeneratedBy, build))
        evidence.add((build, PROV.generated, graph))
        for source in sources:
            evidence.add((graph, PROV.wasDerivedFrom, source))


def _link(links: Graph, iris: Iris, data: Graph, wikidata: tuple[tuple[str, str], ...]) -> None:
    """Add the Wikidata identifiers the claims file gives for resources present in the data, each marked as
    external (``wco:`` names follow the base)."""
    for name, qid in wikidata:
        slug = name.removeprefix("wco:")
        resource, item = iris.id(slug), URIRef(PREFIXES["wd"] + qid)
        if (resource, None, None) not in data:
            continue
        links.add((resource, SDO.sameAs, item))
        statement = iris.id(f"link-{slug}-wikidata")
        links.add((statement, RDF.type, RDF.Statement))
        links.add((statement, RDF.subject, resource))
        links.add((statement, RDF.predicate, SDO.sameAs))
        links.add((statement, RDF.object, item))
        links.add(
            (
                statement,
                RDFS.comment,
                Literal(
                    f"External identifier: Wikidata item {qid}. Not a statement of the source document.", lang="en"
                ),
            )
        )
        links.add((statement, DCTERMS.source, URIRef(f"https://www.wikidata.org/wiki/{qid}")))
