"""Validate edited files: parse them strictly, check the shapes and the quotes, and say where each resource
is written (a line of Turtle, TriG, N-Triples or N-Quads; a JSON pointer into JSON-LD)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .. import layout
from ..budgets import DEFAULT, Budgets
from ..errors import NothingToValidate
from ..namespaces import DEFAULT_BASE
from ..rdfio import EXTENSIONS, load_turtle, parse_file, read_file, stream_file, subject_lines, to_graph
from .compiled import compile_shapes, load_store
from .evidence import DATA_GRAPH, check_evidence, check_stored_evidence
from .quotes import check_quotes
from .validate import Report, short, validate_graph

_LINE_SUBJECT = re.compile(r"\s*<([^>]*)>")


def _ntriples_lines(path: Path, text: str) -> dict[str, str]:
    """Where each subject of an N-Triples or N-Quads file has its first triple: IRI → "path:line".

    >>> _ntriples_lines(Path("x.nt"), "<http://a/s> <http://a/p> 1 .\\n\\n<http://a/t> <http://a/p> 2 .\\n")
    {'http://a/s': 'x.nt:1', 'http://a/t': 'x.nt:3'}
    """
    lines: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _LINE_SUBJECT.match(line):
            lines.setdefault(match.group(1), f"{path}:{number}")
    return lines


def _trig_lines(path: Path, text: str) -> dict[str, str]:
    """Where each subject of a TriG file is first written: Turtle's rule, inside graph blocks dedented."""
    lines, indent = [], None
    for line in text.splitlines():
        if indent is not None and line.strip().startswith("}"):
            indent = None
        elif indent is None and line.rstrip().endswith("{"):
            lines.append("")
            indent = ""
            continue
        elif indent == "" and line.strip():
            indent = line[: len(line) - len(line.lstrip())]
        lines.append(line.removeprefix(indent) if indent else line)
    return subject_lines(path, "\n".join(lines))


def _pointer(steps: Sequence[str | int]) -> str:
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in steps)


def _node_objects(value: object, steps: tuple[str | int, ...] = ()) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(@id, JSON path) of every node object with properties, depth first in document order."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _node_objects(item, (*steps, index))
    elif isinstance(value, dict):
        if isinstance(value.get("@id"), str) and set(value) - {"@id", "@context"}:
            yield value["@id"], steps
        for key, item in value.items():
            if key != "@context":
                yield from _node_objects(item, (*steps, key))


def _jsonld_pointers(path: Path, text: str) -> dict[str, str]:
    """Where each node object of a JSON-LD file is: IRI → "path#/json/pointer" (compact IRIs expanded with the
    prefixes of its embedded @context).

    >>> _jsonld_pointers(Path("x.jsonld"), '{"@context": {"ex": "http://a/"}, "@graph": [{"@id": "ex:s", "ex:p": 1}]}')
    {'http://a/s': 'x.jsonld#/@graph/0'}
    """
    document = json.loads(text)
    contexts = document.get("@context", {}) if isinstance(document, dict) else {}
    namespaces: dict[str, str] = {}
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for term, definition in context.items() if isinstance(context, dict) else ():
            namespace = definition.get("@id") if isinstance(definition, dict) else definition
            if isinstance(namespace, str):
                namespaces[term] = namespace
    places: dict[str, str] = {}
    for node, steps in _node_objects(document):
        prefix, _, local = node.partition(":")
        if prefix in namespaces and not local.startswith("//"):
            iri = namespaces[prefix] + local
        else:
            iri = urljoin(path.resolve().as_uri(), node)
        places.setdefault(iri, f"{path}#{_pointer(steps)}")
    return places


PLACES = {
    "turtle": subject_lines,
    "trig": _trig_lines,
    "ntriples": _ntriples_lines,
    "nquads": _ntriples_lines,
    "jsonld": _jsonld_pointers,
}
"""By syntax: where each subject is written in a file of that syntax."""


def _classes(shapes: Graph, ontology: Graph) -> set[URIRef]:
    """The ontology's classes, the classes they specialize, and the classes the shapes target."""
    return (
        set(ontology.subjects(RDF.type, OWL.Class))
        | set(ontology.objects(None, RDFS.subClassOf))
        | set(shapes.objects(None, SH.targetClass))
    )


def validate_files(
    paths: Sequence[str | Path],
    syntax: str | None = None,
    shapes: str | Path = layout.SHAPES,
    ontology: str | Path = layout.ONTOLOGY,
    sources: str | Path = layout.SOURCE.parent,
    budgets: Budgets = DEFAULT,
    engine: str = "compiled",
) -> tuple[Report, dict[str, str]]:
    """Validate files (merged into one graph, literals as written) against the shapes, and every evidence
    quote against the file of ``sources`` it names; ``engine``: see wcokg.check.validate.validate_graph.

    Returns:
        The report, and where each resource with a result is written ("file:line", or "file#pointer" in JSON-LD),
        by focus name.

    Raises:
        RdfFileError: a file is missing or malformed (file, line, column), refers to a remote context, or
            exceeds one of the ``budgets``.
        NothingToValidate: the files hold no resource of the ontology's classes.
        SourceError: ``sources`` is not a folder, or a source file a quote names cannot be decoded.
    """
    _, shapes_graph = load_turtle(shapes)
    _, ontology_graph = load_turtle(ontology)
    plan = compile_shapes(shapes_graph) if engine == "compiled" else None
    graph = data = store = None
    if plan is not None and plan.complete:  # no rdflib graph: the files go into the store as they are parsed
        store = load_store(quad for path in paths for quad in stream_file(path, syntax, budgets))
    else:  # pyshacl has constraints to check: it reads rdflib's graph
        quads = [quad for path in paths for quad in parse_file(path, syntax, budgets)]
        store = load_store(quads) if plan is not None else None
        graph = to_graph(quads)
        data = _data_graph(quads) if store is None else None  # the store's evidence check finds it itself
        del quads  # the graphs hold the triples now: the parsed quads need not stay in memory
    types = set(graph.objects(None, RDF.type)) if store is None else _stored_types(store)
    if not types & _classes(shapes_graph, ontology_graph):
        names = ", ".join(map(str, paths))
        raise NothingToValidate(f"nothing to validate: {names} holds no resource of the ontology's classes")
    if store is None:
        results = (*check_evidence(graph, data, DEFAULT_BASE), *check_quotes(graph, sources, DEFAULT_BASE))
    else:  # before validate_graph adds the ontology to the store, where it would be facts without evidence
        results = (*check_stored_evidence(store, DEFAULT_BASE), *check_quotes(store, sources, DEFAULT_BASE))
    report = validate_graph(graph, shapes_graph, ontology_graph, consume=True, engine=engine, store=store, plan=plan)
    report = report.extended(results)
    focus, where = {result.focus for result in report.results}, {}
    for path in map(Path, paths) if focus else ():  # a conforming graph needs no places: its files are not read again
        places = PLACES[syntax or EXTENSIONS[path.suffix]]
        for iri, place in places(path, read_file(path, budgets).decode("utf-8")).items():
            if (name := short(URIRef(iri))) in focus:
                where.setdefault(name, place)
    return report, where


def _data_graph(quads: Sequence[pyoxigraph.Quad]) -> Graph | None:
    """The triples of the data graph (named …/graph/data, as in wcokg.trig and wcokg.nq); None if no quad is in it."""
    data = [
        q for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode) and q.graph_name.value.endswith(DATA_GRAPH)
    ]
    return to_graph(data) if data else None


def _stored_types(store: pyoxigraph.Store) -> set[URIRef]:
    """The classes the store's resources have."""
    found = store.query(f"SELECT DISTINCT ?class WHERE {{ [] <{RDF.type}> ?class }}", use_default_graph_as_union=True)
    return {URIRef(row[0].value) for row in found if isinstance(row[0], pyoxigraph.NamedNode)}
