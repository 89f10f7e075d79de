"""Validate graphs against the SHACL shapes; non-conformance is a Report, not an exception.

The compiled engine (wcokg.check.compiled) checks each constraint it compiles as one SPARQL query on
pyoxigraph; pyshacl (wcokg.check.pyshacl_engine, imported only when it has work) checks the rest, or all of
them with engine="pyshacl".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..edit.overlay import oxigraph_term
from ..namespaces import DEFAULT_BASE, bind, prefixes
from .compiled import Plan, Violation, compile_shapes, load_store, run

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


TERMS = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape)
"""What the terms of a Result are in its sh:ValidationResult."""


def ordered(results: Iterable[Result]) -> tuple[Result, ...]:
    return tuple(sorted(results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r)))


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, as an editor reads it (terms as prefixed names or N-Triples)."""

    severity: str
    focus: str
    path: str
    message: str
    shape: str
    constraint: str
    value: str
    terms: tuple = field(compare=False, repr=False)
    """The focus node, path, value and shape as terms (None where absent), as the report graph holds them."""

    @classmethod
    def violation(cls, focus: object, path: object, value: object, message: str, rule: str, base: str) -> Result:
        """A violation of ``rule`` (a wcosh: name) found by wcokg's own checks, not by pyshacl."""
        terms = (focus, path, value, URIRef(prefixes(base)["wcosh"] + rule))
        focus_name, path_name, value_name, shape = (short(term, base) for term in terms)
        return cls("Violation", focus_name, path_name, message, shape, shape, value_name, terms)


@dataclass(frozen=True)
class Report:
    """The verdict, its results (violations first, then by focus node), and pyshacl's sh:ValidationReport."""

    conforms: bool
    results: tuple[Result, ...]
    graph: Graph = field(default_factory=Graph, compare=False, repr=False)

    @property
    def violations(self) -> int:
        return sum(result.severity == "Violation" for result in self.results)

    @property
    def warnings(self) -> int:
        return sum(result.severity == "Warning" for result in self.results)

    def extended(self, results: Iterable[Result], base: str = DEFAULT_BASE) -> Report:
        """The report with ``results`` added (to its results, verdict and sh:ValidationReport graph)."""
        results = tuple(results)
        if not results:
            return self
        graph = bind(Graph(bind_namespaces="none"), base)
        for triple in self.graph:
            graph.add(triple)
        report = next(graph.subjects(RDF.type, SH.ValidationReport), None) or BNode()
        for result in results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, SH[result.severity]))
            for predicate, term in zip(TERMS, result.terms, strict=True):
                if term is not None:  # no path, no value: none
                    graph.add((node, predicate, term))
            graph.add((node, SH.resultMessage, Literal(result.message)))
        conforms = self.conforms and not any(r.severity == "Violation" for r in results)
        graph.set((report, SH.conforms, Literal(conforms)))
        return Report(conforms, ordered({*self.results, *results}), graph)

    def restricted(self, focus: set[str], base: str = DEFAULT_BASE, named: set[str] = frozenset()) -> Report:
        """The report on the nodes of ``focus`` only (verdict, results and report graph): the results whose focus
        node is one of them, and the results of a node in ``named`` (a shape's sh:targetNode) whose value is."""

        def kept(focus_node: str, value: str) -> bool:
            return focus_node in focus or (focus_node in named and value in focus)

        graph = Graph()
        for triple in self.graph:
            graph.add(triple)
        for result in list(graph.objects(None, SH.result)):
            if not kept(short(graph.value(result, SH.focusNode), base), short(graph.value(result, SH.value), base)):
                graph.remove((None, SH.result, result))
                graph.remove((result, None, None))
        results = tuple(r for r in self.results if kept(r.focus, r.value))
        conforms = not any(r.severity == "Violation" for r in results)
        for report in graph.subjects(RDF.type, SH.ValidationReport):
            graph.set((report, SH.conforms, Literal(conforms)))
        return Report(conforms, results, graph)


def short(term: object, base: str = DEFAULT_BASE) -> str:
    """A term as a prefixed name where a known prefix fits, a literal in N-Triples form, else as written.

    >>> short(URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    'skos:prefLabel'
    >>> short(Literal("Trade", lang="en"))
    '"Trade"@en'
    >>> short(Literal("2013-06-24", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")))
    '"2013-06-24"^^xsd:date'
    """
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.datatype is None:
            return term.n3()
        return Literal(str(term)).n3() + "^^" + short(term.datatype, base)
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    for prefix, namespace in prefixes(base).items():
        if text.startswith(namespace) and text != namespace:
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def path_name(paths: Graph, path: object, rules: Iterable[object], shapes: Graph, base: str) -> str:
    """A result's ``path`` (its structure in ``paths``) as a prefixed name; None: the first of ``rules`` with a
    name in ``shapes``, in brackets."""
    if isinstance(path, BNode):  # a complex path (sequence, alternatives): name the first step
        first = paths.value(path, RDF.first) or paths.value(paths.value(path, SH.alternativePath), RDF.first)
        return short(first, base) + " …" if first is not None else "(path)"
    if path is not None:
        return short(path, base)
    for rule in rules:
        for predicate in (SH.name, RDFS.label, SH.description, RDFS.comment):
            if rule is not None and (name := shapes.value(rule, predicate)) is not None:
                return f"({name})"
    return ""


ENGINES = ("pyshacl", "compiled")
"""pyshacl alone, or the constraints wcokg.check.compiled handles as SPARQL queries and pyshacl the rest."""


def validate_graph(
    data: Graph | None,
    shapes: Graph,
    ontology: Graph,
    base: str = DEFAULT_BASE,
    rules: Iterable[URIRef] | None = None,
    consume: bool = False,
    engine: str = "pyshacl",
    store: pyoxigraph.Store | None = None,
    plan: Plan | None = None,
) -> Report:
    """Validate ``data`` against ``shapes``, with ``ontology`` supplying the class hierarchy.

    Args:
        data: the graph; None when ``store`` holds it and ``plan`` is complete (pyshacl has nothing to check).
        rules: check only these shapes (their property shapes named too), with pyshacl; all shapes when None.
        consume: ``data`` may be changed (pyshacl adds the ontology's class hierarchy to it), which spares
            pyshacl a copy of the whole graph.
        engine: one of ENGINES.
        store: for the compiled engine, ``data`` already in a pyoxigraph store (in any of its graphs, literals
            as written: see wcokg.check.compiled.load_store); the ontology is added to it.
        plan: for the compiled engine, ``shapes`` already compiled (wcokg.check.compiled.compile_shapes).

    Warnings and infos are reported but do not break conformance; violations do.
    """
    if engine == "pyshacl" or rules is not None:
        from .pyshacl_engine import run_pyshacl  # pyshacl and rdflib's SPARQL: imported only to be used

        return run_pyshacl(data, shapes, shapes, ontology, base, rules, consume)
    plan = plan or compile_shapes(shapes)
    if store is None:
        store = load_store(pyoxigraph.Quad(*map(oxigraph_term, triple)) for triple in data)
    store.extend(pyoxigraph.Quad(*map(oxigraph_term, triple)) for triple in ontology)
    found = run(plan, store, shapes)
    if plan.complete:
        report = _conforming(base)
    else:
        from .pyshacl_engine import run_pyshacl

        report = run_pyshacl(data, plan.rest, shapes, ontology, base, None, consume)
    return report.extended((_compiled_result(v, shapes, base) for v in found), base)


def _conforming(base: str) -> Report:
    """The report of no results, as pyshacl writes it."""
    graph = bind(Graph(bind_namespaces="none"), base)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(True)))
    return Report(True, (), graph)


def _compiled_result(violation: Violation, shapes: Graph, base: str) -> Result:
    shape, constraint = violation.shape, violation.constraint
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = [str(m) for m in shapes.objects(shape, SH.message)]
    if constraint is not None:  # a SHACL-SPARQL result: its constraint's messages too, with the variables put in
        own = shapes.objects(constraint, SH.message)
        messages = [_filled(m, violation) for m in [*(str(m) for m in own if str(m) not in messages), *messages]]
    rules = (shape,) if constraint is None else (constraint, shape)
    return Result(
        severity=short(severity).removeprefix("sh:"),
        focus=short(violation.focus, base),
        path=path_name(shapes, violation.path, rules, shapes, base),
        message=min(messages, default=""),
        shape=short(shape, base),
        constraint=short(constraint if isinstance(constraint, URIRef) else shape, base),
        value=short(violation.value, base),
        terms=(violation.focus, violation.path, violation.value, shape),
    )


def _filled(message: str, violation: Violation) -> str:
    """A SHACL-SPARQL message with {?name} and {$name} replaced by the values the result binds, as pyshacl
    fills them (the other variables first, then this, path and value)."""
    values = [*violation.bound, ("this", violation.focus), ("path", violation.path), ("value", violation.value)]
    for name, term in values:
        if term is not None:
            message = message.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
    return message
