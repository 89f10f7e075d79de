"""The compiled engine (wcokg.check.compiled: SHACL Core constraints as SPARQL queries, pyshacl for the rest)
reports what pyshacl alone reports: on the published graph, and on the edit of every rule fixture
(tests/data/violations.toml, applied as tests/test_shapes.py applies them)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from wcokg import layout
from wcokg.check.compiled import compile_shapes
from wcokg.check.validate import validate_graph
from wcokg.edit.apply import apply_update, load_published
from wcokg.rdfio import load_turtle

from .test_shapes import EVIDENCE_GRAPH, FIXTURES, with_evidence


@pytest.fixture(scope="module")
def context(out_dir):
    return load_published(out_dir), load_turtle(layout.SHAPES)[1]


def _both(graph: Graph, shapes: Graph, ontology: Graph) -> tuple:
    pyshacl = validate_graph(graph, shapes, ontology, engine="pyshacl")
    compiled = validate_graph(graph, shapes, ontology, engine="compiled")
    return pyshacl, compiled


def _seen(report) -> set[tuple]:
    return {(r.severity, r.focus, r.path, r.value, r.shape, r.constraint, r.message) for r in report.results}


def test_the_published_graph_conforms_on_both_engines(context) -> None:
    published, shapes = context
    pyshacl, compiled = _both(published.merged(), shapes, published.ontology)
    assert pyshacl.conforms and compiled.conforms
    assert compiled.results == pyshacl.results == ()


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_compiled_engine_reports_what_pyshacl_reports(context, name) -> None:
    published, shapes = context
    fixture = FIXTURES[name]
    text = f"PREFIX ev: <{EVIDENCE_GRAPH}>\n" + fixture["update"]
    edit = apply_update(published, text, name=name, graphs=("evidence", "links"))
    if fixture.get("evidence", True):
        with_evidence(edit)
    pyshacl, compiled = _both(edit.after.merged(), shapes, edit.after.ontology)
    assert _seen(compiled) == _seen(pyshacl)
    assert compiled.conforms == pyshacl.conforms


def test_most_core_constraints_are_compiled_and_sparql_stays_with_pyshacl() -> None:
    shapes = load_turtle(layout.SHAPES)[1]
    plan = compile_shapes(shapes)
    left = {p for s in plan.rest.subjects(SH.targetClass, None) for p in plan.rest.objects(s, SH.property)}
    assert len(plan.queries) > 100
    assert set(plan.rest.subjects(SH.sparql, None)) == set(shapes.subjects(SH.sparql, None))
    assert all((p, SH.lessThan, None) in shapes or (p, SH.path, None) not in shapes for p in left), left
    assert (URIRef("https://w3id.org/wcokg/shapes#MeansClosedShape"), SH.closed, Literal(True)) not in plan.rest
