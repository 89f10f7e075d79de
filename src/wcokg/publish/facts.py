"""The facts alone, for readers without an RDF library: a framed JSON-LD tree and a top-down Turtle file."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS, XSD
from rdflib.term import Node

from .. import layout
from ..errors import WcoKgError
from ..extraction.graph import KnowledgeGraph
from ..namespaces import WCOKG, bind, prefixes
from .about import About

INTEGER_TYPES = {"xsd:integer", "xsd:positiveInteger", "xsd:nonNegativeInteger"}
"""Datatypes whose values are written as JSON numbers (JSON-LD 1.1 turns them back into the same literals)."""


class FramingError(WcoKgError):
    """The framed document does not hold exactly the data graph (a bug of the frame, never of the data)."""


def _frame_file() -> dict[str, Any]:
    return json.loads(layout.packaged("frames", "facts.json").read_text(encoding="utf-8"))


def context(base: str) -> dict[str, Any]:
    """The JSON-LD 1.1 context of the facts document: the short terms and the project's prefixes."""
    return {**prefixes(base), **_frame_file()["@context"]}


def _expanded(graph: Graph) -> list[dict[str, Any]]:
    """Expanded JSON-LD of ``graph``, xsd:integer and xsd:boolean values as JSON numbers and booleans.

    The triples are given to pyld as terms, not as N-Quads text: its N-Quads parser ends a line at U+2028,
    U+0085 and other line separators a literal may hold, and reads "\\\\n" as a backslash and a newline.
    """
    from pyld import jsonld  # here, not at the top: pyld brings an HTTP client that only writing JSON-LD needs

    triples = sorted(graph, key=lambda triple: " ".join(term.n3() for term in triple))
    roles = ("subject", "predicate", "object")
    dataset = {"@default": [dict(zip(roles, map(_pyld_term, t), strict=True)) for t in triples]}
    return jsonld.from_rdf(dataset, {"useNativeTypes": True})


def _pyld_term(term: Node) -> dict[str, str]:
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": str(term), "datatype": str(RDF.langString), "language": term.language}
        return {"type": "literal", "value": str(term), "datatype": str(term.datatype or XSD.string)}
    if isinstance(term, BNode):
        return {"type": "blank node", "value": f"_:{term}"}
    return {"type": "IRI", "value": str(term)}


def _numbers(node: Any, integer_terms: set[str]) -> Any:
    """Lexical integers of terms typed as integers, as JSON numbers."""
    if isinstance(node, list):
        return [_numbers(item, integer_terms) for item in node]
    if isinstance(node, dict):
        return {
            key: int(value) if key in integer_terms and isinstance(value, str) else _numbers(value, integer_terms)
            for key, value in node.items()
        }
    return node


def _sorted(node: Any) -> Any:
    """Every array in a fixed order: goals by number, nodes by id, values by their JSON text."""
    if isinstance(node, dict):
        return {key: _sorted(value) for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted(item) for item in node]

        def key(item: Any) -> tuple[int, str, str]:
            node = item if isinstance(item, dict) else {}
            number = node.get("number", 0)
            text = json.dumps(item, sort_keys=True, ensure_ascii=False)
            return number if isinstance(number, int) else 0, str(node.get("id", "")), text

        return sorted(items, key=key)
    return node


def _integer_terms(ctx: dict[str, Any]) -> set[str]:
    scoped = [d.get("@context", {}) for d in ctx.values() if isinstance(d, dict)]
    return {
        term
        for definitions in (ctx, *scoped)
        for term, definition in definitions.items()
        if isinstance(definition, dict) and definition.get("@type") in INTEGER_TYPES
    }


def root(kg: KnowledgeGraph, about: About) -> URIRef:
    """The resource the facts start from: the one ``about`` names, else the one the data says most about."""
    if about.root:
        return kg.iris.id(about.root.removeprefix("wco:"))
    counts = Counter(s for s in kg.data.subjects() if isinstance(s, URIRef))
    return min(counts, key=lambda s: (-counts[s], str(s)))


def facts_jsonld(kg: KnowledgeGraph, about: About) -> bytes:
    """The data graph as one JSON tree: the root resource (see :func:`root`) with its units, goals (in order) and
    figures nested; every other resource once, in ``included``; references as plain IRIs; evidence and links
    left out.

    Raises:
        FramingError: the document would not expand to exactly the data graph.
    """
    from pyld import jsonld

    ctx = context(kg.iris.base)
    frame = {"@context": ctx, "@id": str(root(kg, about)), **_frame_file()["frame"]}
    expanded = _expanded(kg.data)
    tree = jsonld.frame(expanded, frame, {"omitGraph": True, "omitDefault": True})
    described = {node["@id"] for node in _nodes(jsonld.expand(tree)) if len(node) > 1}  # not a bare reference
    rest = sorted(str(s) for s in set(kg.data.subjects()) if isinstance(s, URIRef) and str(s) not in described)
    if rest:
        others = jsonld.frame(expanded, {"@context": ctx, "@id": rest, "@embed": "@never"}, {"omitGraph": False})
        tree["included"] = others["@graph"]
    body = _numbers({key: value for key, value in tree.items() if key != "@context"}, _integer_terms(ctx))
    document = {"@context": ctx, **_sorted(body)}
    if not _same(document, kg.data):
        raise FramingError("the framed facts document does not hold exactly the data graph")
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _nodes(node: Any):
    """Every node object in an expanded document, nested ones included."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, dict):
        if "@id" in node and "@value" not in node:
            yield node
        for key, value in node.items():
            if key != "@id":
                yield from _nodes(value)


def _same(document: dict[str, Any], data: Graph) -> bool:
    """Whether ``document`` expands to exactly the triples of ``data`` (no blank nodes: a set comparison)."""
    from pyld import jsonld

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    return set(Graph().parse(data=nquads, format="nt11")) == set(data)


def _goal_number(data: Graph, goal: Node) -> int:
    number = data.value(goal, WCOKG.goalNumber) or data.value(goal, SKOS.notation)
    return int(number) if number is not None else 0


def facts_turtle(kg: KnowledgeGraph, about: About) -> bytes:
    """The data graph as Turtle to read top-down: the root resource (see :func:`root`), its goals in order, then
    the other resources by type, a comment before each section; only the prefixes it uses are declared."""
    data = kg.data
    names = bind(Graph(bind_namespaces="none"), kg.iris.base).namespace_manager
    start = root(kg, about)
    goals = sorted(data.objects(start, ORG.purpose), key=lambda goal: _goal_number(data, goal))
    by_type: dict[str, list[Node]] = {}
    for subject in sorted(set(data.subjects()) - {start, *goals}, key=str):
        kinds = (names.normalizeUri(t) for t in data.objects(subject, RDF.type))
        kind = min(kinds, key=lambda k: (not k.startswith("wcokg:"), k), default="no type")  # the project's own first
        by_type.setdefault(kind, []).append(subject)
    label = data.value(start, SKOS.prefLabel) or names.normalizeUri(start)
    sections = [(f"{label}", [start]), ("Its goals, in the order of the source", goals)]
    sections += [(f"Resources of type {kind}", subjects) for kind, subjects in sorted(by_type.items())]
    body = "\n".join(
        f"# {title}\n\n" + "\n".join(_describe(kg, subject) for subject in subjects) for title, subjects in sections
    )
    used = [f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes(kg.iris.base).items() if re.search(rf"\b{p}:", body)]
    title = f"# The facts of the {about.title}: the data graph alone (evidence and links are in wcokg.ttl).\n"
    return (title + "".join(used) + "\n" + body).encode("utf-8")


def _describe(kg: KnowledgeGraph, subject: Node) -> str:
    """One subject's triples in Turtle, without the prefix lines."""
    graph = bind(Graph(bind_namespaces="none"), kg.iris.base)
    for triple in kg.data.triples((subject, None, None)):
        graph.add(triple)
    text = graph.serialize(format="turtle")
    return "".join(line + "\n" for line in text.split("\n") if line and not line.startswith("@prefix"))
