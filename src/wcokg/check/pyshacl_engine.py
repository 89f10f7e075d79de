"""pyshacl's validation, as wcokg.check.validate reports it, with two repairs of its SPARQL handling.

Importing this module registers, through rdflib's plugin registry, a SPARQL processor that remembers the
queries it has parsed: pyshacl sends the same SHACL-SPARQL text once per focus node, and parsing it with
pyparsing costs more than running it (validation of the published graph: 1.1 s without, 0.45 s with); and that
joins those queries from their focus node (see _anchored). It also works around pyshacl's message
formatting, which fails on a value with a backslash (see _escaped). Importing pyshacl, rdflib's SPARQL and
this costs about 0.15 s: wcokg.check.validate imports it only when pyshacl has constraints to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pyshacl
from pyshacl.constraints.constraint_component import ConstraintComponent
from rdflib import Graph, URIRef, Variable, plugin
from rdflib.namespace import SH
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor

from ..sparql.guard import RDFLIB_PARSER
from .validate import TERMS, Report, Result, ordered, path_name, short


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


def _path(report: Graph, node: object, shapes: Graph, base: str) -> str:
    """The result's path as a prefixed name; for a rule on the node itself, the rule's name in brackets."""
    rules = (report.value(node, SH.sourceConstraint), report.value(node, SH.sourceShape))
    return path_name(report, report.value(node, SH.resultPath), rules, shapes, base)


def run_pyshacl(
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
        terms = tuple(report.value(node, predicate) for predicate in TERMS)
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
    return Report(bool(conforms), ordered(results), report)
