"""Every fact has one evidence annotation per source that states it, and the data graph holds facts only:
checked in one pass, over an rdflib graph (check_evidence) or, set-at-a-time, a pyoxigraph store
(check_stored_evidence).

A SHACL-SPARQL rule said the first (wcosh:EvidenceShape-quoted); pyshacl ran it once per resource with
joins whose cost grew with the graph (16.9 of 28.5 s at 10^5 triples, growing as n^1.76). Here each fact
costs a few index lookups (the statements about its subject), and the results join SHACL's in the same
report (as wcokg.check.quotes' do). Knowing which triples are the data graph's, it also
sees what SHACL on the merged graph cannot: evidence copied into the data graph, a fact about any subject.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, SDO

from ..namespaces import DEFAULT_BASE, OA, WCOKG
from .compiled import written_term
from .validate import Result, short

RULES = ("EvidenceShape-quoted", "EvidenceShape-factsOnly")
"""The rules checked here (documented in shapes/wcokg-shapes.ttl; they are not SHACL constraints)."""

EVIDENCE_CLASSES = frozenset(
    {
        OA.Annotation,
        OA.SpecificResource,
        OA.TextQuoteSelector,
        OA.TextPositionSelector,
        RDF.Statement,
        FOAF.Document,
        WCOKG.QuarantinedSpan,
        WCOKG.Edit,
        PROV.Activity,
        PROV.Agent,
        PROV.SoftwareAgent,
        PROV.Entity,
        DCTERMS.BibliographicResource,
    }
)
"""Classes of the evidence and links graphs' own nodes (annotations, quotes, statements, provenance, the
graphs themselves): their triples are evidence, never facts."""

QUOTED = "Every fact needs evidence, but no annotation quotes the source for this value."
ONCE = "A fact has one evidence annotation per source that states it, but {count} annotations of one source state it."
FACTS_ONLY = "The data graph holds facts only: this triple describes evidence or provenance ({node} is a {cls})."

Triple = tuple[object, object, object]


def evidence_nodes(graph: Graph, subjects: Iterable[object] | None = None) -> dict[object, URIRef]:
    """The nodes typed with an evidence class in ``graph`` (among ``subjects``, if given), with that class."""
    if subjects is None:
        return {s: o for s, _, o in graph.triples((None, RDF.type, None)) if o in EVIDENCE_CLASSES}
    return {s: o for s in set(subjects) for o in graph.objects(s, RDF.type) if o in EVIDENCE_CLASSES}


def facts_of(merged: Graph) -> Iterator[Triple]:
    """In a graph that merges data, evidence and links (a Turtle file, say): the triples that are facts, those
    whose subject is not an evidence node, except the links' external identifiers (schema:sameAs)."""
    nodes = evidence_nodes(merged)
    return (t for t in merged if t[0] not in nodes and t[1] != SDO.sameAs)


def _source(evidence: Graph, annotation: object) -> object:
    """What an annotation cites: the document its quote is of, or the cited document itself."""
    target = evidence.value(annotation, OA.hasTarget)
    return evidence.value(target, OA.hasSource) or target


def annotated(evidence: Graph, subjects: Iterable[object]) -> dict[Triple, int]:
    """For each triple about ``subjects``, the most annotations of ``evidence`` that state it for one source (1
    where all is well; index lookups per subject)."""
    counts: Counter[tuple[Triple, object]] = Counter()
    for subject in set(subjects):
        for statement in evidence.subjects(RDF.subject, subject):
            sources = [_source(evidence, a) for a in evidence.subjects(OA.hasBody, statement)]
            for p in evidence.objects(statement, RDF.predicate) if sources else ():
                for o in evidence.objects(statement, RDF.object):
                    counts.update(((subject, p, o), source) for source in sources)
    most: dict[Triple, int] = {}
    for (triple, _), count in counts.items():
        most[triple] = max(most.get(triple, 0), count)
    return most


def _result(rule: str, triple: Triple, message: str, base: str) -> Result:
    return Result.violation(*triple, message, rule, base)


def check_evidence(
    evidence: Graph, facts: Iterable[Triple] | None = None, base: str = DEFAULT_BASE
) -> tuple[Result, ...]:
    """Check that each fact is stated by an annotation of ``evidence``, one per source (wcosh:EvidenceShape-quoted)
    and, given the data graph's triples as ``facts``, that none of them describes an evidence node
    (wcosh:EvidenceShape-factsOnly).

    Args:
        evidence: the evidence graph, or a graph that merges data, evidence and links.
        facts: the data graph's triples; None when only the merged graph is known: its facts are then
            the triples about anything but evidence nodes (see facts_of).
    """
    results = []
    if facts is None:
        facts = list(facts_of(evidence))
    else:
        facts = list(facts)
        nodes = evidence_nodes(evidence, (s for s, _, _ in facts))
        nodes.update((s, o) for s, p, o in facts if p == RDF.type and o in EVIDENCE_CLASSES)
        for triple in facts:
            if triple[0] in nodes:
                message = FACTS_ONLY.format(node=short(triple[0], base), cls=short(nodes[triple[0]], base))
                results.append(_result("EvidenceShape-factsOnly", triple, message, base))
    counts = annotated(evidence, (s for s, _, _ in facts))
    for triple in facts:
        count = counts.get(triple, 0)
        if count != 1:
            results.append(_result("EvidenceShape-quoted", triple, ONCE.format(count=count) if count else QUOTED, base))
    return tuple(results)


DATA_GRAPH = "/graph/data"
"""How the name of the data graph ends (…/graph/data, as in wcokg.trig and wcokg.nq)."""

_EVIDENCE_CLASSES = " ".join(f"<{cls}>" for cls in sorted(EVIDENCE_CLASSES))
_IN_DATA = f'GRAPH ?graph {{ ?s ?p ?o }} FILTER(isIRI(?graph) && STRENDS(STR(?graph), "{DATA_GRAPH}"))'
_FACTS_OF_MERGED = f"""?s ?p ?o . FILTER(?p != <{SDO.sameAs}>)
    FILTER NOT EXISTS {{ ?s a ?class . VALUES ?class {{ {_EVIDENCE_CLASSES} }} }}"""
_UNQUOTED = f"""SELECT ?s ?p ?o (COALESCE(MAX(?count), 0) AS ?most) WHERE {{
    {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {{facts}} }} }}
    OPTIONAL {{ SELECT ?s ?p ?o ?source (COUNT(*) AS ?count) WHERE {{
        SELECT DISTINCT ?statement ?annotation ?s ?p ?o ?source WHERE {{
            ?statement <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o .
            ?annotation <{OA.hasBody}> ?statement .
            OPTIONAL {{ ?annotation <{OA.hasTarget}> ?target OPTIONAL {{ ?target <{OA.hasSource}> ?document }} }}
            BIND(COALESCE(?document, ?target) AS ?source)
        }}
    }} GROUP BY ?s ?p ?o ?source }}
}} GROUP BY ?s ?p ?o HAVING (COALESCE(MAX(?count), 0) != 1)"""
_EVIDENCE_IN_DATA = f"""SELECT ?s ?p ?o (MIN(?class) AS ?kind) WHERE {{
    {_IN_DATA} ?s a ?class . VALUES ?class {{ {_EVIDENCE_CLASSES} }}
}} GROUP BY ?s ?p ?o"""


def check_stored_evidence(store: pyoxigraph.Store, base: str = DEFAULT_BASE) -> tuple[Result, ...]:
    """check_evidence on the graphs of a pyoxigraph store (literals as written, see
    wcokg.check.compiled.load_store), as SPARQL queries: the facts are the data graph's triples (a named graph
    whose name ends with /graph/data) or, without one, the triples of the store that are facts (see facts_of).

    (Of a node typed with two evidence classes, the message names the first class by its IRI.)
    """
    term = written_term()

    def rows(query: str) -> Iterator[tuple]:
        for row in store.query(query, use_default_graph_as_union=True):
            yield tuple(term(value) for value in row)

    has_data = store.query(f"ASK {{ {_IN_DATA} }}")
    results = []
    if has_data:
        for s, p, o, cls in rows(_EVIDENCE_IN_DATA):
            message = FACTS_ONLY.format(node=short(s, base), cls=short(cls, base))
            results.append(_result("EvidenceShape-factsOnly", (s, p, o), message, base))
    for s, p, o, most in rows(_UNQUOTED.replace("{facts}", _IN_DATA if has_data else _FACTS_OF_MERGED)):
        count = int(most)
        results.append(_result("EvidenceShape-quoted", (s, p, o), ONCE.format(count=count) if count else QUOTED, base))
    return tuple(results)
