"""Incremental validation names its focus nodes as targets (sh:targetNode): each is validated against exactly
the shapes whose targets select it, and nested shapes still check every value node."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from wcokg.check.incremental import narrowed

EX = "http://example.org/"
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ByClass a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:p ; sh:node ex:Named ] ,
        [ sh:path ex:q ; sh:or ( [ sh:datatype ex:x ] [ sh:datatype ex:y ] ) ] .
ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:property [ sh:path ex:r ; sh:minCount 2 ] .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:r ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .
ex:Fixed a sh:NodeShape ; sh:targetNode ex:fixed ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .
ex:Named a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .
"""
DATA = """
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:B rdfs:subClassOf ex:A .
ex:a a ex:A ; ex:p ex:unnamed ; ex:q "text" .
ex:b a ex:B ; ex:r ex:c .
ex:c ex:r ex:d .
ex:other a ex:A ; ex:p ex:unnamed .
"""


def _graphs() -> tuple[Graph, Graph]:
    return Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=DATA, format="turtle")


def _targets(shapes: Graph) -> set[tuple[str, str]]:
    return {(str(s).removeprefix(EX), str(o).removeprefix(EX)) for s, o in shapes.subject_objects(SH.targetNode)}


def test_each_focus_node_is_named_by_the_shapes_that_target_it() -> None:
    shapes, data = _graphs()
    focus = {URIRef(EX + name) for name in ("a", "b", "c", "d")}
    result = narrowed(shapes, [data], focus)
    assert result is not None
    # ex:b through the subclass; ex:c both subject and object of ex:r; ex:other is no focus; ex:fixed stays
    assert _targets(result) == {
        ("ByClass", "a"),
        ("ByClass", "b"),
        ("BySubject", "b"),
        ("BySubject", "c"),
        ("ByObject", "c"),
        ("ByObject", "d"),
        ("Fixed", "fixed"),
    }
    assert not any((None, kind, None) in result for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf))


def test_nested_shapes_still_check_every_value_node() -> None:
    """What pyshacl's focus_nodes option gets wrong (0.40.1): with it, ex:a conforms, its value nodes unchecked."""
    shapes, data = _graphs()
    result = narrowed(shapes, [data], {URIRef(EX + "a")})
    conforms, report, _ = pyshacl.validate(data, shacl_graph=result)
    results = list(report.objects(None, SH.result))  # the top-level results, not their sh:detail
    focus = {str(report.value(r, SH.focusNode)).removeprefix(EX) for r in results}
    components = {str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)) for r in results}
    assert not conforms and focus == {"a", "fixed"}
    assert components == {"NodeConstraintComponent", "OrConstraintComponent", "MinCountConstraintComponent"}
    assert pyshacl.validate(data, shacl_graph=shapes, focus_nodes=[EX + "a"])[0], "pyshacl's option is fixed: use it"


@pytest.mark.parametrize(
    "extra",
    [
        "ex:Sparql a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select 'SELECT ?this WHERE { ?this ?p ?o }' ] .",
        "ex:Implicit a sh:NodeShape, rdfs:Class .",
    ],
    ids=["SPARQL target", "implicit class target"],
)
def test_targets_it_cannot_narrow_leave_the_shapes_as_they_are(extra) -> None:
    shapes, data = _graphs()
    shapes.parse(data=SHAPES.split("ex:ByClass")[0] + extra, format="turtle")
    assert narrowed(shapes, [data], {URIRef(EX + "a")}) is None
