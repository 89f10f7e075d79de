"""Validate graphs against the SHACL shapes with pyshacl; non-conformance is a Report, not an exception.

Importing this module registers, through rdflib's plugin registry, a SPARQL processor that remembers the
queries it has parsed: pyshacl sends the same SHACL-SPARQL text once per focus node, and parsing it with
pyparsing costs more than running it (validation of the published graph: 1.1 s without, 0.45 s with); and that
joins those queries from their focus node (see _anchored). It also works around pyshacl's message
formatting, which fails on a value with a backslash (see _escaped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph
import pyshacl
from pyshacl.constraints.constraint_component import ConstraintComponent
from rdflib import BNode, Graph, Literal, URIRef, Variable, plugin
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor

from ..edit.overlay import oxigraph_term
from ..namespaces import DEFAULT_BASE, bind, prefixes
from ..sparql.guard import RDFLIB_PARSER
from .compiled import Violation, compile_shapes, load_store, run

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def _anchored(triples: list, bound: frozenset) -> list:
    """The triples of a basic graph pattern in the order that joins them from what is ``bound``: next, always
    the triple with the most terms known (constants, bound variables, variables of the triples before it).

    rdflib orders a pattern before it knows that pyshacl binds $this, and breaks ties by the variables'
    names: ``?other skos:inScheme ?scheme`` came before ``$this skos:inScheme ?scheme`` and read every
    scheme's members for each goal, so the cost per focus node grew with the graph.

    >>> this, scheme, other = Variable("this"), Variable("scheme"), Variable("other")
    >>> p = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    >>> _anchored([(other, p, scheme), (this, p, scheme)], frozenset({this}))[0] == (this, p, scheme)
    True
    """
    known, rest, ordered = set(bound), list(triples), []
    while rest:
        best = max(rest, key=lambda triple: sum(not isinstance(t, Variable) or t in known for t in triple))
        rest.remove(best)
        ordered.append(best)
        known.update(term for term in best if isinstance(term, Variable))
    return ordered


@lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...], bound: frozenset) -> Query:
    with RDFLIB_PARSER:
        parsed = parseQuery(text)
    query = translateQuery(parsed, base, dict(namespaces) or None)
    if bound:

        def anchor(node: object) -> None:
            if isinstance(node, CompValue) and node.name == "BGP":
                node["triples"] = _anchored(node["triples"], bound)

        traverse(query.algebra, visitPost=anchor)
    return query


class PreparedQueryProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each distinct query text once (the parsed query is read-only), and
    joining a query with pre-bound variables (pyshacl's $this) from them."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 (rdflib's names)
        if isinstance(strOrQuery, str):
            bound = frozenset(Variable(name) for name in initBindings or {})
            strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())), bound)
        return super().query(strOrQuery, initBindings or {}, initNs, base, DEBUG)


plugin.register("sparql", Processor, __name__, "PreparedQueryProcessor")


def _escaped(bound: object) -> object:
    """The variables a SHACL-SPARQL result binds, as text with every backslash doubled.

    pyshacl (0.40.1) fills each sh:message with ``re.sub(pattern, str(value), message)`` for every bound
    variable, whether the message names it or not: ``re.sub`` reads the value as a replacement template, so
    a value such as "C:\\q" raises re.error ("bad escape \\q") and validation dies. Escaped, the value
    is put in as it is.
    """
    if isinstance(bound, dict):
        return {key: _escaped(value) for key, value in bound.items()}
    if isinstance(bound, (tuple, list)):
        return tuple(_escaped(value) for value in bound)
    return None if bound is None else str(bound).replace("\\", "\\\\")


def _format_message_literally(format_message):
    def format_message_with(self, msg, bound_vars):
        return format_message(self, msg, _escaped(bound_vars))

    return format_message_with


try:
    ConstraintComponent._format_sparql_based_result_message(None, "{?value}", {"value": "\\q"})
except re.error:  # the bug is there: work around it (a release that fixes it is left alone)
    ConstraintComponent._format_sparql_based_result_message = _format_message_literally(
        ConstraintComponent._format_sparql_based_result_message
    )


_TERMS = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape)
"""What the terms of a Result are in its sh:ValidationResult."""


def _ordered(results: Iterable[Result]) -> tuple[Result, ...]:
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
            for predicate, term in zip(_TERMS, result.terms, strict=True):
                if term is not None:  # no path, no value: none
                    graph.add((node, predicate, term))
            graph.add((node, SH.resultMessage, Literal(result.message)))
        conforms = self.conforms and not any(r.severity == "Violation" for r in results)
        graph.set((report, SH.conforms, Literal(conforms)))
        return Report(conforms, _ordered({*self.results, *results}), graph)

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


def _path(report: Graph, node: object, shapes: Graph, base: str) -> str:
    """The result's path as a prefixed name; for a rule on the node itself, the rule's name in brackets."""
    rules = (report.value(node, SH.sourceConstraint), report.value(node, SH.sourceShape))
    return path_name(report, report.value(node, SH.resultPath), rules, shapes, base)


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
    data: Graph,
    shapes: Graph,
    ontology: Graph,
    base: str = DEFAULT_BASE,
    rules: Iterable[URIRef] | None = None,
    consume: bool = False,
    engine: str = "pyshacl",
    store: pyoxigraph.Store | None = None,
) -> Report:
    """Validate ``data`` against ``shapes``, with ``ontology`` supplying the class hierarchy.

    Args:
        rules: check only these shapes (their property shapes named too), with pyshacl; all shapes when None.
        consume: ``data`` may be changed (pyshacl adds the ontology's class hierarchy to it), which spares
            pyshacl a copy of the whole graph.
        engine: one of ENGINES.
        store: for the compiled engine, ``data`` already in a pyoxigraph store (in any of its graphs, literals
            as written: see wcokg.check.compiled.load_store); the ontology is added to it.

    Warnings and infos are reported but do not break conformance; violations do.
    """
    if engine == "pyshacl" or rules is not None:
        return _pyshacl(data, shapes, shapes, ontology, base, rules, consume)
    plan = compile_shapes(shapes)
    if store is None:
        store = load_store(pyoxigraph.Quad(*map(oxigraph_term, triple)) for triple in data)
    store.extend(pyoxigraph.Quad(*map(oxigraph_term, triple)) for triple in ontology)
    found = run(plan, store, shapes)
    report = _pyshacl(data, plan.rest, shapes, ontology, base, None, consume)
    return report.extended((_compiled_result(v, shapes, base) for v in found), base)


def _compiled_result(violation: Violation, shapes: Graph, base: str) -> Result:
    shape = violation.shape
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = sorted(str(m) for m in shapes.objects(shape, SH.message))
    terms = (violation.focus, violation.path, violation.value, shape)
    return Result(
        severity=short(severity).removeprefix("sh:"),
        focus=short(violation.focus, base),
        path=path_name(shapes, violation.path, (shape,), shapes, base),
        message=messages[0] if messages else "",
        shape=short(shape, base),
        constraint=short(shape, base),
        value=short(violation.value, base),
        terms=terms,
    )


def _pyshacl(
    data: Graph,
    shapes: Graph,
    named: Graph,
    ontology: Graph,
    base: str,
    rules: Iterable[URIRef] | None,
    consume: bool,
) -> Report:
    """pyshacl's report on ``shapes``; paths without a name are named after the rules of ``named``."""
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
        inplace=consume,
        use_shapes=sorted(rules) if rules is not None else None,
    )
    results = set()
    # pyshacl nests the results that made an sh:node fail under it (sh:detail): the rule's own result speaks.
    details = set(report.objects(None, SH.detail))
    for node in report.subjects(SH.resultSeverity, None):
        if node in details:
            continue
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        terms = tuple(report.value(node, predicate) for predicate in _TERMS)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.add(
            Result(
                severity=short(report.value(node, SH.resultSeverity)).removeprefix("sh:"),
                focus=short(report.value(node, SH.focusNode), base),
                path=_path(report, node, named, base),
                message=messages[0] if messages else "",
                shape=short(shape, base),
                constraint=short(constraint if isinstance(constraint, URIRef) else shape, base),
                value=short(report.value(node, SH.value), base),
                terms=terms,
            )
        )
    return Report(bool(conforms), _ordered(results), report)
