"""Every constraint of shapes/ has an edit that breaks exactly it (tests/data/violations.toml); pyshacl names
that constraint and the culprit, and Apache Jena's SHACL engine reaches the same verdict on the same shapes."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from wcokg import layout
from wcokg.check import evidence
from wcokg.check.incremental import validate_edit
from wcokg.check.review import validate_files
from wcokg.check.validate import Report, short
from wcokg.edit.apply import Edit, apply_update, load_published
from wcokg.namespaces import OA, PREFIXES
from wcokg.rdfio import load_turtle, raw_literals

from . import jena
from .conftest import DATA

FIXTURES = tomllib.loads((DATA / "violations.toml").read_text(encoding="utf-8"))
EVIDENCE_GRAPH = "https://w3id.org/wcokg/graph/evidence"
QUOTE = URIRef("https://w3id.org/wcokg/id/quote-wco-overview-2013-06-24-76-102")


def constraints(shapes: Graph) -> set[str]:
    """Every constraint of the shapes: each shape or SPARQL constraint with an IRI and a message."""
    return {
        short(s).removeprefix("wcosh:")
        for s in shapes.subjects(SH.message, None)
        if str(s).startswith(PREFIXES["wcosh"])
    }


def with_evidence(edit: Edit) -> None:
    """Quote every fact the edit added (from an existing quote), so that only the rule under test breaks."""
    evidence = edit.after.evidence
    with raw_literals():
        added = Graph().parse(data="\n".join(edit.added["data"]), format="nt")
    for number, (s, p, o) in enumerate(sorted(added)):
        annotation, statement = URIRef(f"{s}-fixture-annotation-{number}"), URIRef(f"{s}-fixture-statement-{number}")
        for triple in [
            (annotation, RDF.type, OA.Annotation),
            (annotation, OA.motivatedBy, OA.describing),
            (annotation, OA.hasBody, statement),
            (annotation, OA.hasTarget, QUOTE),
            (statement, RDF.type, RDF.Statement),
            (statement, RDF.subject, s),
            (statement, RDF.predicate, p),
            (statement, RDF.object, o),
        ]:
            evidence.add(triple)


@dataclass
class Outcome:
    report: Report
    incremental: Report
    jena_violations: bool
    jena_shapes: set[str]


def jena_verdict(classpath: str, shapes: Path, data: Path) -> tuple[bool, set[str]]:
    """Whether Jena finds violations, and the shapes its results come from.

    (Jena's sh:conforms is false for warnings too, as the SHACL spec says; wcokg publishes despite warnings,
    so the verdicts are compared on violations.)
    """
    done = jena.run(classpath, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data))
    return _verdict(Graph().parse(data=done.stdout, format="turtle"))


def jena_verdicts(classpath: str, shapes: Path, files: list[Path]) -> list[tuple[bool, set[str]]]:
    """``jena_verdict`` of many files, validated in one JVM (tests/JenaShaclBatch.java, Jena's own validator)."""
    batch = Path(__file__).with_name("JenaShaclBatch.java")
    subprocess.run(["java", "-cp", classpath, str(batch), str(shapes), *map(str, files)], check=True, timeout=600)
    return [_verdict(Graph().parse(f"{file}.report.ttl", format="turtle")) for file in files]


def _verdict(report: Graph) -> tuple[bool, set[str]]:
    violations = (None, SH.resultSeverity, SH.Violation) in report
    return violations, {short(s) for s in report.objects(None, SH.sourceShape)}


@dataclass(frozen=True)
class _Context:
    """What each fixture's edit starts from: set before the workers fork, which inherit it (it holds a
    pyoxigraph store, which cannot be pickled)."""

    published: object
    shapes: Graph
    workdir: Path


_CONTEXT: list[_Context] = []


def _validated(name: str) -> tuple[Report, Report, Path]:
    """Apply the fixture's edit and validate it in full and incrementally; the edited graph as N-Triples."""
    (context,) = _CONTEXT
    fixture = FIXTURES[name]
    text = f"PREFIX ev: <{EVIDENCE_GRAPH}>\n" + fixture["update"]
    edit = apply_update(context.published, text, name=name, graphs=("evidence", "links"))
    assert edit.changed, f"{name}: the edit changes nothing"
    if fixture.get("evidence", True):
        with_evidence(edit)
    full = validate_edit(edit, context.shapes)
    incremental = validate_edit(edit, context.shapes, incremental_from=0)
    file = context.workdir / f"{name}.nt"
    (edit.after.merged() + edit.after.ontology).serialize(file, format="nt", encoding="utf-8")
    # the sh:ValidationReport graphs stay in the worker: the tests read the verdicts and results
    return replace(full, graph=Graph()), replace(incremental, graph=Graph()), file


@pytest.fixture(scope="module")
def outcomes(out_dir, tmp_path_factory) -> dict[str, Outcome]:
    """Apply every fixture edit, validate it with pyshacl (in one forked worker per core), and with Jena (all in
    one JVM)."""
    workdir = tmp_path_factory.mktemp("shapes")
    classpath = jena.classpath(workdir)
    _CONTEXT[:] = [_Context(load_published(out_dir), load_turtle(layout.SHAPES)[1], workdir)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        done = dict(zip(FIXTURES, pool.map(_validated, FIXTURES, chunksize=4), strict=True))
    _CONTEXT.clear()
    verdicts = jena_verdicts(classpath, layout.SHAPES, [file for _, _, file in done.values()])
    return {name: Outcome(*done[name][:2], *verdict) for name, verdict in zip(done, verdicts, strict=True)}


FILE_ONLY = {"CitationShape"}
"""Rules no edit can break (wcokg refuses an edit that inserts a blank node), only a file given to `wcokg validate`:
tested below with such a file."""


def test_every_constraint_has_exactly_one_fixture() -> None:
    _, shapes = load_turtle(layout.SHAPES)
    assert constraints(shapes) == set(FIXTURES) | FILE_ONLY


def test_a_cited_document_without_an_iri_breaks_its_rule(tmp_path) -> None:
    document = tmp_path / "cited.ttl"
    document.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n[] a dcterms:BibliographicResource ; dcterms:title 'A' .\n",
        encoding="utf-8",
    )
    report, _ = validate_files([document])
    assert {(r.constraint, r.focus, r.message) for r in report.results} == {
        (
            "wcosh:CitationShape",
            "[]",
            "A cited document must be named by an IRI, so that others can cite it too, not by a blank node.",
        )
    }


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_edit_breaks_exactly_its_constraint_and_names_the_culprit(outcomes, name) -> None:
    fixture, report = FIXTURES[name], outcomes[name].report
    severity = fixture.get("severity", "Violation")
    also = {f"wcosh:{other}" for other in fixture.get("also", [])}
    assert {r.constraint for r in report.results} == {f"wcosh:{name}"} | also, report.results
    assert fixture["focus"] in {r.focus for r in report.results}
    assert {r.severity for r in report.results} == {severity}
    assert report.conforms is (severity != "Violation")
    assert all(r.message for r in report.results)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_incremental_validation_reaches_the_same_verdict(outcomes, name) -> None:
    """Validating only what the edit can affect finds what the full validation finds."""
    full, incremental = outcomes[name].report, outcomes[name].incremental
    assert incremental.conforms is full.conforms
    assert {(r.constraint, r.focus) for r in incremental.results} == {(r.constraint, r.focus) for r in full.results}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_jena_shacl_agrees_with_pyshacl(outcomes, name) -> None:
    """On the SHACL rules: the rules checked in Python (wcokg.check.evidence) are not Jena's to see."""
    outcome = outcomes[name]
    shacl = [r for r in outcome.report.results if r.constraint.removeprefix("wcosh:") not in evidence.RULES]
    also = {f"wcosh:{shape}" for shape in FIXTURES[name].get("jena_also", [])}
    assert outcome.jena_violations is (any(r.severity == "Violation" for r in shacl) or bool(also))
    assert outcome.jena_shapes == {r.shape for r in shacl} | also


def test_the_published_graph_conforms_on_jena_too(out_dir, tmp_path) -> None:
    data = tmp_path / "published.nt"
    (Graph().parse(out_dir / "wcokg.nt") + load_turtle(layout.ONTOLOGY)[1]).serialize(
        data, format="nt", encoding="utf-8"
    )
    assert jena_verdict(jena.classpath(tmp_path), layout.SHAPES, data) == (False, set())


def test_jena_fails_loudly_if_the_classpath_is_wrong(tmp_path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        jena.run(str(tmp_path), "shacl.shacl", "validate")
