"""Render query answers: an aligned table for people, the SPARQL 1.1 result formats, or RDF for graphs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pyoxigraph

from ..errors import QueryError

if TYPE_CHECKING:
    from .query import Answer

RESULT_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt11", "jsonld": "json-ld"}
ALL_FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """An IRI as a prefixed name where one fits.

    >>> compact("https://w3id.org/wcokg/id/item-4", {"wco": "https://w3id.org/wcokg/id/"})
    'wco:item-4'
    """
    best = max((ns for ns in prefixes.values() if iri.startswith(ns) and iri != ns), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def _cell(term: dict[str, str] | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return compact(term["value"], prefixes)
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return " ".join(term["value"].split())


def table(answer: Answer, prefixes: dict[str, str]) -> str:
    """Solutions as an aligned table (IRIs as prefixed names, literals as their text); a boolean as true/false."""
    document = json.loads(answer.payload)
    if "boolean" in document:
        return "true" if document["boolean"] else "false"
    variables = document["head"]["vars"]
    rows = [[_cell(binding.get(v), prefixes) for v in variables] for binding in document["results"]["bindings"]]
    widths = [max([len(v) + 1, *(len(row[i]) for row in rows)]) for i, v in enumerate(variables)]
    lines = ["  ".join(f"?{v}".ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def render(answer: Answer, fmt: str, prefixes: dict[str, str]) -> str:
    """The answer in ``fmt`` (see ALL_FORMATS); "table" of a graph answer is Turtle.

    Raises:
        QueryError: a graph format asked of solutions, or a result format asked of a graph.
    """
    if answer.kind == "graph":
        if fmt in RESULT_FORMATS:
            raise QueryError(f"--format {fmt} is for SELECT and ASK; a graph is written as {', '.join(GRAPH_FORMATS)}")
        from rdflib import Graph

        graph = Graph(bind_namespaces="none")
        for prefix, namespace in prefixes.items():
            graph.bind(prefix, namespace)
        graph.parse(data=answer.payload, format="nt")
        if fmt == "jsonld":
            from ..publish.serialize import jsonld_bytes

            return jsonld_bytes(graph, prefixes).decode("utf-8")
        if fmt == "ntriples":
            return "".join(sorted(line + "\n" for line in graph.serialize(format="nt11").split("\n") if line))
        return graph.serialize(format="turtle")
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; results are written as table, {', '.join(RESULT_FORMATS)}"
        )
    if fmt == "table":
        return table(answer, prefixes)
    parsed = pyoxigraph.parse_query_results(answer.payload, format=pyoxigraph.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")


def is_empty(answer: Answer) -> bool:
    """True for no rows, an ASK answered false, or an empty graph."""
    if answer.kind == "graph":
        return not answer.payload.strip()
    document = json.loads(answer.payload)
    return not document["boolean"] if "boolean" in document else not document["results"]["bindings"]
