"""What the commands print: build summaries, validation reports for editors (text, JSON, Turtle), edit diffs."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from rdflib import URIRef
from rdflib.namespace import RDF

from ..layout import shown
from .validate import Report, Result, short

if TYPE_CHECKING:  # the edit machinery imports rdflib's SPARQL (0.1 s): `wcokg validate` has no use for it
    from ..edit.apply import Edit
    from ..pipeline import BuildResult

REPORT_FORMATS = ("text", "turtle", "json")


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, in the plural unless the count is one.

    >>> plural(1, "violation"), plural(0, "warning")
    ('1 violation', '0 warnings')
    """
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _by_focus(results: Sequence[Result]) -> list[tuple[str, list[Result]]]:
    ordered = sorted(results, key=lambda r: (r.focus, r))
    return [(focus, list(group)) for focus, group in groupby(ordered, key=lambda r: r.focus)]


def render_report(report: Report, fmt: str, where: dict[str, str], name: str) -> str:
    """The report as "text" (grouped by focus node), "json", or "turtle" (the standard sh:ValidationReport).

    ``where`` maps a focus node (as the report writes it) to the place it is written ("file:line").
    """
    if fmt == "turtle":
        return report.graph.serialize(format="turtle")
    if fmt == "json":
        results = [{**vars(r), "line": where.get(r.focus)} for r in report.results]
        return json.dumps(
            {
                "conforms": report.conforms,
                "violations": report.violations,
                "warnings": report.warnings,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    lines = []
    groups = _by_focus(report.results)
    for focus, results in groups:
        lines.append(f"{focus}" + (f"  ({where[focus]})" if focus in where else ""))
        for r in results:
            lines.append(f"  {r.severity:<9}  {r.path or '-'}" + (f"  {r.value}" if r.value else ""))
            lines.append(f"    {r.message}")
            lines.append(f"    rule {r.constraint}")
        lines.append("")
    verdict = "conforms" if report.conforms else "does not conform"
    found = f", on {plural(len(groups), 'resource')}" if groups else ""
    lines.append(
        f"{name}: {verdict}: {plural(report.violations, 'violation')}, {plural(report.warnings, 'warning')}{found}"
    )
    return "\n".join(lines)


def _prefixed(lines: Sequence[str], base: str) -> list[str]:
    """N-Triples lines as prefixed names: ``wco:item-4 skos:prefLabel "Harbour Services"@en .``"""
    triples = pyoxigraph.parse("\n".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return [" ".join(_term(term, base) for term in (t.subject, t.predicate, t.object)) + " ." for t in triples]


def _term(term: object, base: str) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return short(URIRef(term.value), base)
    if isinstance(term, pyoxigraph.Literal) and not term.language:
        datatype = short(URIRef(term.datatype.value), base)
        quoted = json.dumps(term.value, ensure_ascii=False)
        return quoted if datatype == "xsd:string" else f"{quoted}^^{datatype}"
    return str(term)


def render_diff(edit: Edit, limit: int = 20) -> str:
    """Triples added (+) and removed (-) by an edit, graph by graph, as prefixed names, at most ``limit`` of each."""
    lines = []
    base = edit.after.iris.base
    for name in edit.added:
        added, removed = edit.added[name], edit.removed[name]
        lines.append(f"diff {name:<9} +{len(added)} -{len(removed)}")
        lines.extend(f"  + {line}" for line in _prefixed(added[:limit], base))
        lines.extend(f"  - {line}" for line in _prefixed(removed[:limit], base))
        if max(len(added), len(removed)) > limit:
            lines.append(f"  … (only the first {limit} of each are shown)")
    return "\n".join(lines)


def refused_claims(result: BuildResult) -> list[str]:
    """For each violation of the sources' own graph on a resource, the claims that state its focus node's facts
    on its path (or the focus node itself), as ``claims-file:line: the shapes refuse …: message``."""
    lines = []
    resources = str(result.graph.iris.id(""))
    for r in result.report.results:
        focus, path = r.terms[0], r.terms[1]
        if not str(focus).startswith(resources):  # a class or term of a vocabulary: no claim states it
            continue
        stating = [
            claim
            for claim in result.claims
            if (claim.subject == focus and path in (None, claim.predicate)) or (path is None and claim.object == focus)
        ] or [claim for claim in result.claims if focus in (claim.subject, claim.object)][:1]
        for origin in dict.fromkeys(shown(c.origin) for c in stating):
            lines.append(f"{origin}: the shapes refuse what this claim states about {r.focus}: {r.message}")
    return lines


def summary(result: BuildResult, edits_dir: Path, limit: int = 20) -> str:
    """The build summary: each source (its claims, quarantine and the account of its characters), edits
    replayed, triples per graph, entities per class, verdict, files (named relative to the current directory
    when under it)."""
    kg, report = result.graph, result.report
    lines = []
    for doc in result.documents:
        counts = doc.coverage.counts
        lines.append(
            f"source      {shown(doc.path)}: {doc.byte_length} bytes, sha256 {doc.sha256[:12]}…, "
            f"{plural(len(doc.stated), 'claim')} in {shown(doc.claims.path)}"
        )
        for span in doc.quarantined:
            reasons = "; ".join(span.reasons)
            lines.append(f"quarantined characters {span.start}-{span.end} (from line {span.line}): {reasons}")
        lines.append(
            f"characters  {len(doc.text)} in all: {counts['claimed']} claimed, {counts['not-modelled']} not "
            f"modelled, {counts['layout']} layout, {counts['quarantined']} quarantined"
        )
    lines.append(f"edits       {len(result.edits)} replayed from {shown(edits_dir)}/")
    lines.append("triples     " + ", ".join(f"{name} {len(graph)}" for name, graph in kg.named().items()))
    classes = Counter(kg.data.namespace_manager.normalizeUri(cls) for cls in kg.data.objects(None, RDF.type))
    lines.append("entities    " + ", ".join(f"{cls} {n}" for cls, n in sorted(classes.items())))
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines.append(
        f"shacl       {verdict} ({plural(report.violations, 'violation')}, {plural(report.warnings, 'warning')})"
    )
    lines.extend(f"  {r.severity:<9}  {r.focus}  {r.path or '-'}  {r.message}" for r in report.results[:limit])
    if len(report.results) > limit:
        lines.append(f"  … and {len(report.results) - limit} more results")
    lines.extend(f"wrote       {shown(path)} ({len(result.files[path.name])} bytes)" for path in result.written)
    if not report.conforms:
        if result.culprit:
            lines.append(f"the graph conforms before {result.culprit} but not after it: revise or revert that edit")
        else:
            lines.extend(refused_claims(result))
        lines.append("nothing written: fix the violations above")
    return "\n".join(lines)
