"""The compiled engine (wcokg.check.compiled: SHACL Core and SHACL-SPARQL constraints as SPARQL queries on
pyoxigraph, pyshacl for what it does not compile) reports what pyshacl alone reports, and the evidence and quote
rules report on a store what they report on rdflib's graphs: on the published graph, and on the edit of every
rule fixture (tests/data/violations.toml, applied as tests/test_shapes.py applies them)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from wcokg import layout
from wcokg.check.compiled import compile_shapes, store_of
from wcokg.check.evidence import check_evidence, check_stored_evidence
from wcokg.check.quotes import check_quotes
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
    after = edit.after
    pyshacl, compiled = _both(after.merged(), shapes, after.ontology)
    assert _seen(compiled) == _seen(pyshacl)
    assert compiled.conforms == pyshacl.conforms
    store = store_of({after.iris.graph(name): after.named()[name] for name in ("data", "evidence", "links")})
    assert set(check_stored_evidence(store)) == set(check_evidence(after.evidence, after.data))
    assert set(check_quotes(store, layout.SOURCE.parent)) == set(check_quotes(after.evidence, layout.SOURCE.parent))


def test_every_constraint_of_the_shapes_is_compiled() -> None:
    shapes = load_turtle(layout.SHAPES)[1]
    plan = compile_shapes(shapes)
    assert plan.complete
    sparql = set(shapes.objects(None, SH.sparql))
    assert len(sparql) == 8 and sparql == {constraint for *_, constraint in plan.queries if constraint is not None}
    assert (URIRef("https://w3id.org/wcokg/shapes#TextPositionSelectorShape"), SH.property, None) not in plan.rest
    assert (URIRef("https://w3id.org/wcokg/shapes#MeansClosedShape"), SH.closed, Literal(True)) not in plan.rest


SMALL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:message "{$this} has {?count} parts" ;
    sh:sparql ex:counted, ex:unprojected, ex:off .
ex:counted a sh:SPARQLConstraint ;
    sh:select '''SELECT $this (COUNT(?part) AS ?count) WHERE { $this <http://example.org/part> ?part }
        GROUP BY $this HAVING (COUNT(?part) > 1)''' .
ex:unprojected a sh:SPARQLConstraint ; sh:message "over two in all" ;
    sh:select "SELECT ?value WHERE { ?x <http://example.org/part> ?value . FILTER(?value = $this) }" .
ex:off a sh:SPARQLConstraint ; sh:deactivated true ; sh:select "SELECT $this WHERE { $this ?p ?v }" .
ex:Pair a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:before, [ sh:path ex:end ; sh:minCount 2 ] .
ex:before sh:path ex:start ; sh:lessThan ex:end ; sh:message "starts before it ends" .
"""

DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:part ex:b, ex:c ; ex:start 5 ; ex:end 3, "7", <http://example.org/z> .
ex:b a ex:Thing ; ex:part ex:a ; ex:start "x" ; ex:end "y" .
"""


def test_a_select_pyshacl_must_prebind_stays_with_pyshacl_and_both_report_the_same() -> None:
    shapes, data = Graph().parse(data=SMALL, format="turtle"), Graph().parse(data=DATA, format="turtle")
    plan = compile_shapes(shapes)
    compiled = {str(constraint) for *_, constraint in plan.queries if constraint is not None}
    assert compiled == {"http://example.org/counted"}
    assert not plan.complete  # ex:unprojected's answers have no ?this to join on: pyshacl binds it
    assert {str(o) for o in plan.rest.objects(None, SH.sparql)} == {"http://example.org/unprojected"}
    pyshacl, compiled = _both(data, shapes, Graph())
    assert _seen(compiled) == _seen(pyshacl)
    messages = {(r.focus, r.value, r.message) for r in compiled.results if r.shape == "<http://example.org/Shape>"}
    assert ("<http://example.org/a>", "<http://example.org/a>", "http://example.org/a has 2 parts") in messages
    less = {(r.focus, r.value) for r in compiled.results if r.shape == "<http://example.org/before>"}
    # 5 < 3 fails, and 5 against the string "7" or the IRI (strings compare with strings only); "x" < "y" holds
    assert less == {("<http://example.org/a>", '"5"^^xsd:integer')}
    # a shape without a message is left to pyshacl, whose generic message it is: here, ex:b's one end
    assert plan.rest.value(plan.rest.value(URIRef("http://example.org/Pair"), SH.property), SH.minCount) is not None


PAIRS = [
    ("1", "integer", "2", "integer"),
    ("2", "integer", "1.5", "decimal"),
    ("1.0", "decimal", "1", "integer"),
    ("2013-06-24", "date", "2013-06-25", "date"),
    ("2013-06-24T10:00:00Z", "dateTime", "2013-06-24T11:00:00+02:00", "dateTime"),
    ("10:00:00", "time", "09:59:59", "time"),
    ("1e3", "double", "999", "integer"),
    ("2013", "gYear", "2014", "gYear"),
]


@pytest.mark.parametrize(("left", "left_type", "right", "right_type"), PAIRS)
def test_ranges_compare_as_pyshacls_compare_literal(left, left_type, right, right_type) -> None:
    from pyshacl.rdfutil.compare import compare_literal

    from wcokg.check.compiled import _compare

    xsd = "http://www.w3.org/2001/XMLSchema#"
    a, b = Literal(left, datatype=URIRef(xsd + left_type)), Literal(right, datatype=URIRef(xsd + right_type))
    for x, y in ((a, b), (b, a), (a, a)):
        try:
            expected = compare_literal(x, y)
        except (TypeError, NotImplementedError) as exc:
            with pytest.raises(type(exc)):
                _compare(x, y)
        else:
            assert _compare(x, y) == expected
