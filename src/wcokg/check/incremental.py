"""Validate an edit: in full, or, for a large graph, only what the edit can affect; its quotes against the source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, SH

from .. import layout
from ..extraction.graph import KnowledgeGraph
from ..namespaces import WCOKG, bind
from .compiled import compile_shapes, store_of
from .evidence import check_evidence, check_stored_evidence
from .quotes import check_quotes
from .validate import Report, short, validate_graph

if TYPE_CHECKING:  # the edit machinery (rdflib's SPARQL) is imported by what makes an edit, not by a build
    from ..edit.apply import Edit

INCREMENTAL_FROM = 50_000
"""Graphs with more triples than this are validated incrementally: only what an edit can affect."""
FOCUS_HOPS = 2
"""Resources this many links from an edit are validated again: a constraint reads at most its focus node's
neighbours and their neighbours (goal numbers within a scheme, evidence of a fact)."""
CONTEXT_HOPS = 4
"""What those resources' constraints read: up to four links further (a figure's date against its source
document's, through statement, annotation and quote)."""


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
"""The target declarations that select nodes of the data graph (sh:targetNode names them)."""

SHARED = (FOAF.Document, PROV.Activity, PROV.SoftwareAgent, PROV.Entity)
"""Provenance shared by every fact: read by the constraints, never a path from one fact to another."""


def _shared(types: Iterable[URIRef]) -> bool:
    """Shared provenance: a source document, the build, the software (an edit is not: only its facts cite it)."""
    types = set(types)
    return any(cls in SHARED for cls in types) and WCOKG.Edit not in types


class _Reader:
    """What the graphs say of each node (links either way), read once however often it is asked."""

    def __init__(self, graphs: Sequence[Graph]) -> None:
        self.graphs, self._out, self._in = graphs, {}, {}

    def outgoing(self, node: URIRef) -> list[tuple[URIRef, object]]:
        found = self._out.get(node)
        if found is None:
            found = self._out[node] = [po for graph in self.graphs for po in graph.predicate_objects(node)]
        return found

    def incoming(self, node: URIRef) -> list[URIRef]:
        found = self._in.get(node)
        if found is None:
            found = self._in[node] = [s for graph in self.graphs for s, _ in graph.subject_predicates(node)]
        return found

    def passable(self, node: URIRef) -> bool:
        """A path may go through a resource the graphs describe, but not through a vocabulary term (a class,
        a property named by a statement) nor through shared provenance: everything links to those."""
        out = self.outgoing(node)
        return bool(out) and not _shared(o for p, o in out if p == RDF.type)

    def neighbourhood(self, start: Iterable[URIRef], hops: int) -> set[URIRef]:
        """IRIs within ``hops`` links of ``start``, following links either way and going through described
        resources only (see passable); vocabulary and provenance are reached, not crossed."""
        found, frontier = set(start), set(start)
        for _ in range(hops):
            reached: set[URIRef] = set()
            for node in frontier:
                if not self.passable(node):
                    continue
                reached.update(o for p, o in self.outgoing(node) if isinstance(o, URIRef) and p != RDF.type)
                reached.update(s for s in self.incoming(node) if isinstance(s, URIRef))
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

    Incrementally, the resources within FOCUS_HOPS links of what the edit touched (the focus) are validated
    on the part of the graph within CONTEXT_HOPS further links, each against the shapes that target it (see
    narrowed); a shape that names its target keeps its results on focus nodes. So are the quotes of that part
    checked (it holds every quote the edit wrote: each quote is checked on its own triples, so the others keep
    the verdict of the validation that published them). An edit of shared provenance (a source document, say)
    is always validated in full.
    """
    report, read = _validate_shapes(edit, shapes, incremental_from)
    return report.extended(check_quotes(read, sources, edit.after.iris.base), edit.after.iris.base)


def validate_knowledge_graph(kg: KnowledgeGraph, shapes: Graph) -> Report:
    """Validate the graphs in full: the shapes on data, evidence and links merged, and the evidence of every
    fact of the data graph (see wcokg.check.evidence.check_stored_evidence), with the compiled engine on a store
    of the three graphs; quotes are not checked here."""
    plan, base, named = compile_shapes(shapes), kg.iris.base, kg.named()
    store = store_of({kg.iris.graph(name): named[name] for name in ("data", "evidence", "links")})
    evidence = check_stored_evidence(store, base)  # before the ontology joins the store
    merged = None if plan.complete else kg.merged()
    report = validate_graph(merged, shapes, kg.ontology, base, consume=True, engine="compiled", store=store, plan=plan)
    return report.extended(evidence, base)


def narrowed(shapes: Graph, graphs: Sequence[Graph], focus: set[URIRef]) -> Graph | None:
    """The shapes with each target declaration (class, subjects of, objects of) replaced by the nodes of
    ``focus`` it selects in ``graphs`` (the data and the ontology), named by sh:targetNode: pyshacl then
    validates those nodes only, each against the shapes that target it. None when a shape has a target that
    cannot be narrowed so (SHACL-AF's sh:target, a shape that is also a class).

    (pyshacl's own focus_nodes option is no substitute: it also drops every value node outside its list when it
    checks sh:node, sh:or and the like, whose constraints then pass unchecked.)
    """
    shape_types = {t for kind in (SH.NodeShape, SH.PropertyShape) for t in shapes.subjects(RDF.type, kind)}
    if (None, SH.target, None) in shapes or any(
        (shape, RDF.type, kind) in shapes for shape in shape_types for kind in (RDFS.Class, OWL.Class)
    ):
        return None
    types = {node: {t for graph in graphs for t in graph.objects(node, RDF.type)} for node in focus}
    result = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        result.bind(prefix, namespace)
    for triple in shapes:
        if triple[1] not in TARGETS:
            result.add(triple)
    for kind in TARGETS:
        for shape, term in shapes.subject_objects(kind):
            if kind == SH.targetClass:
                classes = _subclasses(graphs, term)
                selected = {node for node in focus if types[node] & classes}
            elif kind == SH.targetSubjectsOf:
                selected = focus.intersection(s for graph in graphs for s in graph.subjects(term, None))
            else:
                selected = focus.intersection(o for graph in graphs for o in graph.objects(None, term))
            for node in selected:
                result.add((shape, SH.targetNode, node))
    return result


def _subclasses(graphs: Sequence[Graph], cls: URIRef) -> set[URIRef]:
    """``cls`` and its subclasses, at any depth (rdfs:subClassOf in any of ``graphs``)."""
    found, frontier = {cls}, [cls]
    while frontier:
        current = frontier.pop()
        for graph in graphs:
            for sub in graph.subjects(RDFS.subClassOf, current):
                if sub not in found:
                    found.add(sub)
                    frontier.append(sub)
    return found


def _validate_shapes(edit: Edit, shapes: Graph, incremental_from: int) -> tuple[Report, Graph]:
    """The report, and the graph whose quotes are to be checked: the whole evidence, or the part validated."""
    after = edit.after
    base = after.iris.base
    graphs = [after.data, after.evidence, after.links]
    changed = changed_nodes(edit)
    if sum(map(len, graphs)) <= incremental_from or any(
        _shared(cls for graph in graphs for cls in graph.objects(node, RDF.type)) for node in changed
    ):
        return validate_knowledge_graph(after, shapes), after.evidence
    # Shared provenance is only re-validated by a full validation (above); here it is context.
    reader = _Reader(graphs)
    focus = {node for node in reader.neighbourhood(changed, FOCUS_HOPS) if reader.passable(node)}
    part = bind(Graph(bind_namespaces="none"), base)
    for node in reader.neighbourhood(focus, CONTEXT_HOPS):
        for p, o in reader.outgoing(node):
            part.add((node, p, o))
    facts = [t for node in focus for t in after.data.triples((node, None, None))]
    targeted = narrowed(shapes, [part, after.ontology], focus)
    report = validate_graph(part, targeted or shapes, after.ontology, base, consume=True, engine="compiled")
    # A shape may name its target (sh:targetNode, such as a class: a rule on the graph as a whole; the shapes have
    # none since the rules on one document's organization and goals went); its results count where their value is
    # a focus node (the others' verdicts the edit cannot change). A result on such a target as a whole may be the
    # part's lack, not the graph's: those shapes are then checked on the whole data graph.
    names = {short(node, base) for node in focus}
    named = {short(node, base) for node in shapes.objects(None, SH.targetNode)}
    kept = report.restricted(names, base, named)
    if any(r.focus in named and not r.value for r in report.results):
        kept = kept.restricted(names, base)
        kept = kept.extended((r for r in _on_whole_data(after, shapes).results if r not in kept.results), base)
    return kept.extended(check_evidence(after.evidence, facts, base), base), part


def _on_whole_data(after: KnowledgeGraph, shapes: Graph) -> Report:
    """The shapes that name their targets, and their property shapes, checked on the whole data graph
    (pyshacl's use_shapes needs the property shapes named too, or it skips them)."""
    required = set(shapes.subjects(SH.targetNode, None))
    rules = required | {rule for shape in required for rule in shapes.objects(shape, SH.property)}
    data = bind(Graph(bind_namespaces="none"), after.iris.base)
    data += after.data  # a copy in rdflib's own store, which pyshacl needs (an edit's data graph is an overlay)
    return validate_graph(data, shapes, after.ontology, after.iris.base, rules=rules, consume=True)
