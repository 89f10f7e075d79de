"""Evidence for what an edit changes: the edit as a ``prov:Activity`` with its author, date and reason; for each
fact it adds, an annotation that quotes the source or cites another document; nothing left of a removed fact's."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import EditLogError
from ..extraction.document import Document, Span
from ..extraction.graph import KnowledgeGraph, add_annotation, add_quote, annotation_iris
from ..namespaces import OA, WCOKG, Iris, bind, slugify
from .log import Patch
from .overlay import Overlay, changes


def edit_iri(iris: Iris, patch: Patch) -> URIRef:
    """The IRI of the edit as an activity: ``wco:edit-0001-retract-a-link``."""
    return iris.id(f"edit-{patch.stem}")


def attribute(before: KnowledgeGraph, data: Graph, links: Graph, patch: Patch, doc: Document) -> KnowledgeGraph:
    """The graphs after an edit: ``data`` and ``links`` as the update left them, and the evidence graph with
    the edit recorded, an annotation for each fact added, and the annotations of removed facts taken away.

    ``doc`` is the source document, in which the edit's quote is found.

    Raises:
        EditLogError: the edit adds facts but gives no evidence, or its quote is not in the accepted text.
    """
    iris = before.iris
    evidence = bind(Overlay.copy(before.evidence), iris.base)  # the triples of before.evidence are not copied
    plus, minus = changes(before.data, data)
    for triple in sorted(minus):
        _retract(evidence, iris, triple)
    activity = edit_iri(iris, patch)
    _record(evidence, iris, activity, patch)
    added = sorted(plus)
    if added:
        cite = _evidence(evidence, iris, patch, doc, before.source)
        for triple in added:
            annotation = cite(triple)
            evidence.add((annotation, PROV.wasGeneratedBy, activity))
    return KnowledgeGraph(iris, data, evidence, links, before.ontology, doc)


def _record(evidence: Graph, iris: Iris, activity: URIRef, patch: Patch) -> None:
    agent = iris.id(f"editor-{slugify(patch.author) or 'unnamed'}")
    evidence.add((activity, RDF.type, WCOKG.Edit))
    evidence.add((activity, RDF.type, PROV.Activity))
    evidence.add((activity, RDFS.label, Literal(f"Edit {patch.stem}", lang="en")))
    evidence.add((activity, DCTERMS.identifier, Literal(patch.name)))
    evidence.add((activity, DCTERMS.date, Literal(patch.date, datatype=XSD.date)))
    evidence.add((activity, DCTERMS.description, Literal(patch.reason, lang="en")))
    evidence.add((activity, PROV.wasAssociatedWith, agent))
    evidence.add((agent, RDF.type, PROV.Agent))
    evidence.add((agent, RDFS.label, Literal(patch.author)))


def _evidence(evidence: Graph, iris: Iris, patch: Patch, doc: Document, source: URIRef):
    """A function annotating one added triple with the edit's quote or citation."""
    if patch.quote is not None:
        target = add_quote(evidence, iris, doc, source, _find(doc, patch))
        return lambda triple: add_annotation(evidence, iris, triple, target)
    if patch.cites is not None:
        reference = URIRef(patch.cites)
        evidence.add((reference, RDF.type, DCTERMS.BibliographicResource))
        evidence.add((reference, DCTERMS.title, Literal(patch.cites_title or patch.cites)))
        return lambda triple: add_annotation(evidence, iris, triple, reference)
    raise EditLogError(
        patch.origin,
        1,
        "this edit adds facts, so it needs evidence: '# quote: <the exact words of the source>' "
        "or '# cites: <https://…> <title of the document>'",
    )


def _find(doc: Document, patch: Patch) -> Span:
    """Where the patch's quote stands in the accepted (not quarantined) text of the source."""
    quote, line = patch.quote or "", patch.field_line("quote")
    starts, at = [], doc.text.find(quote)
    while at >= 0:
        if doc.accepts(at, at + len(quote)):
            starts.append(at)
        at = doc.text.find(quote, at + 1)
    if patch.quote_start is not None:
        if patch.quote_start not in starts:
            raise EditLogError(patch.origin, line, f"the quote is not at character {patch.quote_start} of the source")
        starts = [patch.quote_start]
    if not starts:
        raise EditLogError(patch.origin, line, f"the quote {quote!r} is not in the accepted text of {doc.path.name}")
    if len(starts) > 1:
        where = ", ".join(map(str, starts))
        raise EditLogError(patch.origin, line, f"the quote occurs {len(starts)} times (at {where}): add a quote-start")
    start = starts[0]
    return Span(start, start + len(quote), quote, doc.text.count("\n", 0, start) + 1)


def _retract(evidence: Graph, iris: Iris, triple: tuple) -> None:
    """Remove a fact's annotation and statement, and its target if no other annotation uses it."""
    annotation, statement = annotation_iris(iris, triple)
    target = evidence.value(annotation, OA.hasTarget)
    evidence.remove((annotation, None, None))
    evidence.remove((statement, None, None))
    if target is None or (None, OA.hasTarget, target) in evidence:
        return
    for selector in list(evidence.objects(target, OA.hasSelector)):
        evidence.remove((selector, None, None))
    evidence.remove((target, None, None))
