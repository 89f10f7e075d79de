"""Validate the graphs against the SHACL shapes with pyshacl; non-conformance is a Report, not an exception."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph
from rdflib.namespace import SH

from .namespaces import DEFAULT_BASE, prefixes


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, as an editor reads it."""

    severity: str
    focus: str
    path: str
    message: str
    shape: str
    value: str


@dataclass(frozen=True)
class Report:
    """The verdict and its results (sorted: violations first, then by focus node)."""

    conforms: bool
    results: tuple[Result, ...]

    @property
    def violations(self) -> int:
        return sum(result.severity == "Violation" for result in self.results)

    @property
    def warnings(self) -> int:
        return sum(result.severity == "Warning" for result in self.results)


def _short(term: object, base: str = DEFAULT_BASE) -> str:
    """A term as a prefixed name where a known prefix fits, else as written.

    >>> _short("http://www.w3.org/2004/02/skos/core#prefLabel")
    'skos:prefLabel'
    """
    text = str(term) if term is not None else ""
    for prefix, namespace in prefixes(base).items():
        if text.startswith(namespace) and text != namespace:
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, base: str = DEFAULT_BASE) -> Report:
    """Validate ``data`` against ``shapes``, with ``ontology`` supplying the class hierarchy.

    Warnings and infos are reported but do not break conformance; violations do.
    """
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
    )
    results = []
    for node in report.subjects(SH.resultSeverity, None):
        severity = _short(report.value(node, SH.resultSeverity)).removeprefix("sh:")
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            Result(
                severity=severity,
                focus=_short(report.value(node, SH.focusNode), base),
                path=_short(report.value(node, SH.resultPath)),
                message=messages[0] if messages else "",
                shape=_short(report.value(node, SH.sourceShape)),
                value=str(report.value(node, SH.value) or ""),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return Report(bool(conforms), tuple(sorted(set(results), key=lambda r: (order.get(r.severity, 3), r))))
