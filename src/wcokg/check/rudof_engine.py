"""Run the shapes' core constraints on rudof's SHACL engine (Rust, pyrudof); pyshacl keeps the rest.

pyshacl reads every value node through rdflib and takes minutes on a million triples; rudof takes seconds a
hundred thousand. The engines were compared on the fixture of every rule of shapes/ (an edit breaking exactly
that rule: tests/data/violations.toml) and on synthetic graphs of 10^4 to 10^6 triples: the same verdicts,
focus nodes, paths, values and source shapes on every core constraint component the shapes use
(bench/bench_rudof.py). A constraint goes to rudof when its parameters are all in AGREED and its shape has an
sh:message: rudof writes a message of its own where pyshacl writes the shape's, so the message is taken from
the shape. SHACL-SPARQL constraints stay with pyshacl, the reference: rudof's results do not name the
constraint (sh:sourceConstraint) of a shape with two of them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyrudof
from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import SH

AGREED = frozenset(
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minInclusive maxInclusive minLength maxLength pattern "
        "languageIn uniqueLang hasValue lessThan or not node qualifiedValueShape closed"
    ).split()
)
"""The constraint parameters on which rudof's results are pyshacl's (measured: see the module's docstring)."""

COMPANIONS = {
    SH.flags: SH.pattern,
    SH.qualifiedMinCount: SH.qualifiedValueShape,
    SH.qualifiedMaxCount: SH.qualifiedValueShape,
    SH.qualifiedValueShapesDisjoint: SH.qualifiedValueShape,
    SH.ignoredProperties: SH.closed,
}
"""Parameters that go with another: they are where it is."""

NOT_CONSTRAINTS = frozenset(
    {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.deactivated, SH.property}
    | {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.prefixes, SH.declare}
    | {SH.defaultValue}
)
"""The SHACL terms a shape holds besides its constraint parameters (its property shapes are counted apart)."""


def _parameters(shapes: Graph, shape: object) -> set:
    return {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))} - NOT_CONSTRAINTS


def _referred(shapes: Graph, shape: object, parameter: object) -> Iterator[object]:
    """The shapes a parameter's values are (sh:node, sh:not, sh:qualifiedValueShape, the lists of sh:or …)."""
    for value in shapes.objects(shape, parameter):
        if parameter in (SH["or"], SH["and"], SH.xone):
            yield from Collection(shapes, value)
        elif parameter in (SH.node, SH["not"], SH.qualifiedValueShape):
            yield value


def _agreed(shapes: Graph, shape: object, seen: set) -> bool:
    """Whether the shape's constraints, its property shapes' and those of the shapes it refers to, all are."""
    if shape in seen:
        return True
    seen.add(shape)
    parameters = {COMPANIONS.get(p, p) for p in _parameters(shapes, shape)}
    return (
        parameters <= AGREED
        and all(_agreed(shapes, other, seen) for p in parameters for other in _referred(shapes, shape, p))
        and all(_agreed(shapes, other, seen) for other in shapes.objects(shape, SH.property))
    )


def _for_rudof(shapes: Graph, shape: object, parameter: object, value: object) -> bool:
    """Whether a constraint of a shape with a target goes to rudof: one of its property shapes (``parameter`` is
    sh:property), or its own constraint with ``parameter``; the shape whose results they are has a message."""
    if parameter == SH.property:
        return (value, SH.message, None) in shapes and _agreed(shapes, value, set())
    main = COMPANIONS.get(parameter, parameter)
    return (
        (shape, SH.message, None) in shapes
        and main in AGREED
        and all(_agreed(shapes, other, set()) for other in _referred(shapes, shape, main))
    )


def split(shapes: Graph) -> tuple[Graph, Graph]:
    """The shapes as two graphs, rudof's part and pyshacl's: each constraint of a shape with a target (its
    own parameters, and each of its property shapes) is in one of them. In the other, a closed shape's
    property shape is replaced by a stub with its path alone, which its check (sh:closed) counts."""
    rudof, pyshacl = Graph(), Graph()
    for prefix, namespace in shapes.namespaces():
        rudof.bind(prefix, namespace)
        pyshacl.bind(prefix, namespace)
    targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
    top = {s for t in targets for s in shapes.subjects(t, None)}
    for triple in shapes:
        shape, parameter, value = triple
        if shape not in top or parameter in NOT_CONSTRAINTS - {SH.property} or not str(parameter).startswith(str(SH)):
            rudof.add(triple)
            pyshacl.add(triple)
            continue
        here = _for_rudof(shapes, shape, parameter, value)
        (rudof if here else pyshacl).add(triple)
        if parameter == SH.property and (shape, SH.closed, Literal(True)) in shapes:
            stub = BNode()
            (pyshacl if here else rudof).add((shape, SH.property, stub))
            for path in shapes.objects(value, SH.path):
                (pyshacl if here else rudof).add((stub, SH.path, path))
    return rudof, pyshacl


def validate(data: Path, ontology: Graph, shapes: Graph) -> Graph:
    """rudof's sh:ValidationReport of the N-Triples file ``data`` with the ontology's triples (its class
    hierarchy) against ``shapes``.

    Raises:
        pyrudof.RudofError: rudof cannot read the shapes or the data.
    """
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    strict = pyrudof.ReaderMode.Strict
    engine.read_data(str(data), format=pyrudof.RDFFormat.NTriples, reader_mode=strict)
    with tempfile.TemporaryDirectory(prefix="wcokg-rudof-") as folder:
        for name, graph in (("ontology", ontology), ("shapes", shapes)):
            (Path(folder) / f"{name}.nt").write_text(graph.serialize(format="nt"), encoding="utf-8")
        engine.read_data(str(Path(folder) / "ontology.nt"), format=pyrudof.RDFFormat.NTriples, merge=True)
        engine.read_shacl(str(Path(folder) / "shapes.nt"), format=pyrudof.ShaclFormat.NTriples, reader_mode=strict)
    engine.validate_shacl()
    text = engine.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
    return Graph().parse(data=text, format="nt")
