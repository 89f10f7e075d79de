"""Validate an edit: in full, or, for a large graph, only what the edit can affect; its quotes against the source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, PROV, RDF, SH

from .. import layout
from ..edit.apply import Edit
from ..extraction.graph import KnowledgeGraph
from ..namespaces import WCOKG, bind
from .evidence import check_evidence
from .quotes import check_quotes
from .validate import Report, short, validate_graph

INCREMENTAL_FROM = 50_000
"""Graphs with more triples than this are validated incrementally: only what an edit can affect."""
FOCUS_HOPS = 2
"""Resources this many links from an edit are validated again: a constraint reads at most its focus node's
neighbours and their neighbours (goal numbers within a scheme, evidence of a fact)."""
CONTEXT_HOPS = 4
"""What those resources' constraints read: up to four links further (a figure's date against its source
document's, through statement, annotation and quote)."""


SHARED = (FOAF.Document, PROV.Activity, PROV.SoftwareAgent, PROV.Entity)
"""Provenance shared by every fact: read by the constraints, never a path from one fact to another."""


def _shared(graphs: Sequence[Graph], node: URIRef) -> bool:
    """Shared provenance: a source document, the build, the software (an edit is not: only its facts cite it)."""
    typed = [cls for graph in graphs for cls in graph.objects(node, RDF.type)]
    return any(cls in SHARED for cls in typed) and WCOKG.Edit not in typed


def _passable(graphs: Sequence[Graph], node: URIRef) -> bool:
    """A path may go through a resource the graphs describe, but not through a vocabulary term (a class,
    a property named by a statement) nor through shared provenance: everything links to those."""
    return any((node, None, None) in graph for graph in graphs) and not _shared(graphs, node)


def neighbourhood(graphs: Sequence[Graph], start: Iterable[URIRef], hops: int) -> set[URIRef]:
    """IRIs within ``hops`` links of ``start`` in any of ``graphs``, following links either way and going
    through described resources only (see _passable); vocabulary and provenance are reached, not crossed."""
    found, frontier = set(start), set(start)
    for _ in range(hops):
        reached: set[URIRef] = set()
        for node in frontier:
            if not _passable(graphs, node):
                continue
            for graph in graphs:
                reached.update(o for p, o in graph.predicate_objects(node) if isinstance(o, URIRef) and p != RDF.type)
                reached.update(s for s, _ in graph.subject_predicates(node) if isinstance(s, URIRef))
        frontier = reached - found
        found |= frontier
    return found


def changed_nodes(edit: Edit) -> set[URIRef]:
    """The resources an edit touched: subjects of added or removed triples, and their objects where these
    are resources described in the graph (not vocabulary terms such as a class or oa:describing)."""
    lines = "\n".join(line for changed in (*edit.added.values(), *edit.removed.values()) for line in changed)
    subjects, objects = set(), set()
    for triple in pyoxigraph.parse(lines.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES):
        for term, found in ((triple.subject, subjects), (triple.object, objects)):
            if isinstance(term, pyoxigraph.NamedNode):
                found.add(URIRef(term.value))
    graphs = [graph for kg in (edit.before, edit.after) for graph in (kg.data, kg.evidence, kg.links)]
    return subjects | {o for o in objects - subjects if any((o, None, None) in graph for graph in graphs)}


def validate_edit(
    edit: Edit, shapes: Graph, incremental_from: int = INCREMENTAL_FROM, sources: str | Path = layout.SOURCE.parent
) -> Report:
    """Validate the edited graph: in full, or, above ``incremental_from`` triples, incrementally; and every
    evidence quote against the file of ``sources`` it names (see wcokg.check.quotes.check_quotes).

    Incrementally, the resources within FOCUS_HOPS links of what the edit touched are validated on the
    part of the graph within CONTEXT_HOPS further links, and only their results are kept; so are the quotes
    of that part (which holds every quote the edit wrote: each quote is checked on its own triples, so the
    others keep the verdict of the validation that published them). An edit of shared provenance (a source
    document, say) is always validated in full.
    """
    report, read = _validate_shapes(edit, shapes, incremental_from)
    return report.extended(check_quotes(read, sources, edit.after.iris.base), edit.after.iris.base)


def validate_knowledge_graph(kg: KnowledgeGraph, shapes: Graph) -> Report:
    """Validate the graphs in full: the shapes on data, evidence and links merged, and the evidence of every
    fact of the data graph (see wcokg.check.evidence.check_evidence); quotes are not checked here."""
    report = validate_graph(kg.merged(), shapes, kg.ontology, kg.iris.base, consume=True)
    return report.extended(check_evidence(kg.evidence, kg.data, kg.iris.base), kg.iris.base)


def _validate_shapes(edit: Edit, shapes: Graph, incremental_from: int) -> tuple[Report, Graph]:
    """The report, and the graph whose quotes are to be checked: the whole evidence, or the part validated."""
    after = edit.after
    graphs = [after.data, after.evidence, after.links]
    changed = changed_nodes(edit)
    if sum(map(len, graphs)) <= incremental_from or any(_shared(graphs, node) for node in changed):
        return validate_knowledge_graph(after, shapes), after.evidence
    # Shared provenance is only re-validated by a full validation (above); here it is context.
    focus = {node for node in neighbourhood(graphs, changed, FOCUS_HOPS) if _passable(graphs, node)}
    part = bind(Graph(bind_namespaces="none"), after.iris.base)
    for node in neighbourhood(graphs, focus, CONTEXT_HOPS):
        for graph in graphs:
            for p, o in graph.predicate_objects(node):
                part.add((node, p, o))
    facts = [t for node in focus for t in after.data.triples((node, None, None))]
    report = validate_graph(part, shapes, after.ontology, after.iris.base, consume=True)
    report = report.extended(check_evidence(after.evidence, facts, after.iris.base), after.iris.base)
    report = report.restricted({short(node, after.iris.base) for node in focus})
    # Rules on named classes (sh:targetNode org:FormalOrganization: the graph must describe the WCO and its
    # goals) read the whole data graph: only they are checked on it (pyshacl's use_shapes needs their property
    # shapes named too, or it skips them).
    required = set(shapes.subjects(SH.targetNode, None))
    if not required:
        return report, part
    rules = required | {rule for shape in required for rule in shapes.objects(shape, SH.property)}
    data = bind(Graph(bind_namespaces="none"), after.iris.base)
    data += after.data  # a copy in rdflib's own store, which pyshacl needs (an edit's data graph is an overlay)
    whole = validate_graph(data, shapes, after.ontology, after.iris.base, rules=rules, consume=True)
    return report.extended(whole.results), part
