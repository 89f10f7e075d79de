"""Serialize the graphs deterministically: Turtle, N-Triples, N-Quads, TriG, JSON-LD and the VoID description."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from rdflib import Dataset, Graph
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.serializers.trig import TrigSerializer

from ..extraction.graph import KnowledgeGraph, source_iri
from ..layout import MEDIA_TYPES
from ..namespaces import prefixes
from .about import About, default_about
from .coverage import coverage_markdown, rows
from .dataset import describe_dataset
from .facts import facts_jsonld, facts_turtle
from .release import Release, describe_releases


def _sorted_lines(text: str) -> bytes:
    """The lines of N-Triples or N-Quads, sorted; a line ends at a newline only (a literal may hold U+2028)."""
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def jsonld_bytes(graph: Graph, context: dict[str, str]) -> bytes:
    """Compacted JSON-LD with ``context`` embedded; nodes sorted by @id, values sorted within a node."""
    document = from_rdf(graph, context_data=context)
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    document["@graph"] = sorted(nodes, key=lambda node: node["@id"])
    return _json(document)


def _trig(kg: KnowledgeGraph, dataset: Dataset) -> bytes:
    """TriG of ``kg.dataset()`` with the named graphs in publication order (rdflib's own order varies between
    processes)."""
    serializer = TrigSerializer(dataset)
    rank = {kg.iris.graph(name): index for index, name in enumerate(kg.named())}
    serializer.contexts = sorted(serializer.contexts, key=lambda graph: rank.get(graph.identifier, len(rank)))
    stream = io.BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue()


def _text(graph: Graph, fmt: str) -> str:
    return graph.serialize(format=fmt, encoding="utf-8").decode("utf-8")


def serialize(
    kg: KnowledgeGraph,
    ontology_bytes: bytes,
    shapes_bytes: bytes,
    releases: tuple[Release, ...] = (),
    changes: Callable[[bytes], bytes] = lambda nquads: b"",
    about: About | None = None,
) -> dict[str, bytes]:
    """Every published file, as bytes: the same graphs always give the same bytes.

    ``releases`` are described in void.ttl; ``changes`` makes CHANGES.md from the N-Quads (to tell whether
    anything changed since the latest release); coverage.md accounts for each character of ``kg.documents``,
    the sources the graphs were built from; ``about`` describes the dataset (by default, from the sources' titles).
    void.ttl comes last, as it describes the other files.
    """
    assert kg.documents, "the published graphs are built (or edited) from their source documents"
    about = about or default_about([doc.title.clean for doc in kg.documents])
    merged, dataset = kg.merged(), kg.dataset()  # each made once: copies of every triple
    files = {
        "wcokg.ttl": _text(merged, "turtle").encode("utf-8"),
        "wcokg.nt": _sorted_lines(_text(merged, "nt11")),
        "wcokg.nq": _sorted_lines(_text(dataset, "nquads")),
        "wcokg.trig": _trig(kg, dataset),
        # The JSON-LD context is the project's prefixes: nothing remote, nothing to fetch.
        "wcokg.jsonld": jsonld_bytes(merged, prefixes(kg.iris.base)),
        "wcokg-facts.jsonld": facts_jsonld(kg, about),
        "wcokg-facts.ttl": facts_turtle(kg, about),
        "context.jsonld": _json({"@context": prefixes(kg.iris.base)}),
        "ontology.ttl": ontology_bytes,
        "shapes.ttl": shapes_bytes,
    }
    files["CHANGES.md"] = changes(files["wcokg.nq"])
    coverage = [
        coverage_markdown(doc, kg.iris.base, rows(doc, kg.evidence, source_iri(kg.iris, doc))) for doc in kg.documents
    ]
    files["coverage.md"] = "\n".join(coverage).encode("utf-8")
    void = describe_dataset(kg, merged, files, MEDIA_TYPES, about)
    describe_releases(void, kg.iris, releases, files["wcokg.nq"])
    files["void.ttl"] = void.serialize(format="turtle", encoding="utf-8")
    return files
