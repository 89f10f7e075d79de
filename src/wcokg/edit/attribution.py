"""Evidence for what an edit changes: the edit as a ``prov:Activity`` with its author, date and reason; for each
fact it adds, an annotation that quotes the source or cites another document; nothing left of a removed fact's."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import EditLogError
from ..extraction.document import Document, Span
from ..extraction.graph import KnowledgeGraph, add_annotation, add_quote, source_iri, statement_iri
from ..namespaces import OA, WCOKG, Iris, bind, slugify
from .log import Patch
from .overlay import Overlay, changes


def edit_iri(iris: Iris, patch: Patch) -> URIRef:
    """The IRI of the edit as an activity: ``wco:edit-0001-retract-a-link``."""
    return iris.id(f"edit-{patch.stem}")


def attribute(
    before: KnowledgeGraph, data: Graph, links: Graph, patch: Patch, docs: tuple[Document, ...]
) -> KnowledgeGraph:
    """The graphs after an edit: ``data`` and ``links`` as the update left them, and the evidence graph with
    the edit recorded, an annotation for each fact added, and the annotations of removed facts taken away.

    ``docs`` are the source documents, in one of which the edit's quote is found.

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
        cite = _evidence(evidence, iris, patch, docs)
        for triple in added:
            annotation = cite(triple)
            evidence.add((annotation, PROV.wasGeneratedBy, activity))
    return KnowledgeGraph(iris, data, evidence, links, before.ontology, docs)


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


def _evidence(evidence: Graph, iris: Iris, patch: Patch, docs: tuple[Document, ...]):
    """A function annotating one added triple with the edit's quote or citation."""
    if patch.quote is not None:
        doc, span = _find(docs, patch)
        source = source_iri(iris, doc)
        target = add_quote(evidence, iris, doc, source, span)
        return lambda triple: add_annotation(evidence, iris, triple, target, source)
    if patch.cites is not None:
        reference = URIRef(patch.cites)
        evidence.add((reference, RDF.type, DCTERMS.BibliographicResource))
        evidence.add((reference, DCTERMS.title, Literal(patch.cites_title or patch.cites)))
        return lambda triple: add_annotation(evidence, iris, triple, reference, reference)
    raise EditLogError(
        patch.origin,
        1,
        "this edit adds facts, so it needs evidence: '# quote: <the exact words of the source>' "
        "or '# cites: <https://…> <title of the document>'",
    )


def _find(docs: tuple[Document, ...], patch: Patch) -> tuple[Document, Span]:
    """The source document and the place where the patch's quote stands in its accepted (not quarantined) text."""
    quote, line = patch.quote or "", patch.field_line("quote")
    found = []
    for doc in docs:
        at = doc.text.find(quote)
        while at >= 0:
            if doc.accepts(at, at + len(quote)) and patch.quote_start in (None, at):
                found.append((doc, at))
            at = doc.text.find(quote, at + 1)
    names = ", ".join(doc.path.name for doc in docs)
    if not found and patch.quote_start is not None:
        raise EditLogError(patch.origin, line, f"the quote is not at character {patch.quote_start} of {names}")
    if not found:
        raise EditLogError(patch.origin, line, f"the quote {quote!r} is not in the accepted text of {names}")
    if len(found) > 1:
        where = ", ".join(f"{doc.path.name} at {at}" for doc, at in found)
        raise EditLogError(patch.origin, line, f"the quote occurs {len(found)} times ({where}): add a quote-start")
    doc, start = found[0]
    return doc, Span(start, start + len(quote), quote, doc.text.count("\n", 0, start) + 1)


def _retract(evidence: Graph, iris: Iris, triple: tuple) -> None:
    """Remove a fact's annotations (one per source stating it) and statement, and each target no other
    annotation uses."""
    statement = statement_iri(iris, triple)
    for annotation in list(evidence.subjects(OA.hasBody, statement)):
        target = evidence.value(annotation, OA.hasTarget)
        evidence.remove((annotation, None, None))
        if target is None or (None, OA.hasTarget, target) in evidence:
            continue
        for selector in list(evidence.objects(target, OA.hasSelector)):
            evidence.remove((selector, None, None))
        evidence.remove((target, None, None))
    evidence.remove((statement, None, None))
