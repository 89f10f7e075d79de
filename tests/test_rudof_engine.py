"""The split of the shapes between rudof and pyshacl (wcokg.check.rudof_engine): a constraint rudof was not
measured against goes to pyshacl, and the merged report is pyshacl's own."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from wcokg.check import rudof_engine
from wcokg.check.validate import validate_graph

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:message "A thing has only a name and a label."@en ;
    sh:property ex:ThingShape-name, ex:ThingShape-label .
ex:ThingShape-name sh:path ex:name ; sh:minCount 1 ; sh:message "A thing has a name."@en .
ex:ThingShape-label sh:path ex:label ; sh:equals ex:name ; sh:message "A thing's label is its name."@en .
"""
DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:label "A" .
ex:b a ex:Thing ; ex:name "B" ; ex:label "C" ; ex:colour "red" .
"""
EX = "http://example.org/"


def test_a_constraint_not_measured_goes_to_pyshacl_and_a_closed_shape_keeps_its_paths() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    rudof, pyshacl = rudof_engine.split(shapes)
    thing, name, label = (URIRef(EX + n) for n in ("ThingShape", "ThingShape-name", "ThingShape-label"))
    assert (thing, SH.property, name) in rudof and (thing, SH.property, label) in pyshacl
    assert (thing, SH.property, label) not in rudof and (thing, SH.property, name) not in pyshacl
    assert (thing, SH.closed, None) in rudof and (thing, SH.closed, None) not in pyshacl
    stubs = {p for p in rudof.objects(thing, SH.property) if p != name}
    assert {path for stub in stubs for path in rudof.objects(stub, SH.path)} == {URIRef(EX + "label")}


def test_the_split_reports_what_pyshacl_alone_reports() -> None:
    shapes, data = Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=DATA, format="turtle")
    split = validate_graph(data, shapes, Graph(), base=EX)
    reference = validate_graph(data, shapes, Graph(), base=EX, reference=True)
    assert split.results == reference.results
    assert {(r.focus, r.shape, r.message) for r in split.results} == {
        ("<http://example.org/a>", "<http://example.org/ThingShape-name>", "A thing has a name."),
        ("<http://example.org/a>", "<http://example.org/ThingShape-label>", "A thing's label is its name."),
        ("<http://example.org/b>", "<http://example.org/ThingShape-label>", "A thing's label is its name."),
        (
            "<http://example.org/b>",
            "<http://example.org/ThingShape>",
            "A thing has only a name and a label.",
        ),
    }
    assert split.conforms is False
    assert len(set(split.graph.objects(None, SH.result))) == len(set(reference.graph.objects(None, SH.result)))
