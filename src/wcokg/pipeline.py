"""The build: read the source, extract claims, build and validate the graphs, publish the files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import layout
from .document import Document, read_document
from .errors import OptionError
from .extract import extract
from .graph import KnowledgeGraph, build_graph
from .loader import load_turtle
from .namespaces import DEFAULT_BASE
from .publish import serialize, write_files
from .validate import Report, validate_graph

_BASE = re.compile(r"https?://[^\s<>\"{}|\\^`/]+(?:/[^\s<>\"{}|\\^`#?]*)?/")


@dataclass(frozen=True)
class BuildResult:
    """What a build read, made and wrote (``written`` is empty when the graph does not conform)."""

    document: Document
    graph: KnowledgeGraph
    report: Report
    files: dict[str, bytes]
    written: tuple[Path, ...]


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in "/", else raise OptionError.

    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    """
    if not _BASE.fullmatch(base):
        raise OptionError(f'--base must be an absolute http(s) IRI ending in "/", such as {DEFAULT_BASE}; got "{base}"')
    return base


def build(
    source: str | Path = layout.SOURCE,
    out_dir: str | Path | None = layout.OUTPUT,
    base: str = DEFAULT_BASE,
    ontology: str | Path = layout.ONTOLOGY,
    shapes: str | Path = layout.SHAPES,
) -> BuildResult:
    """Build the knowledge graph from ``source`` and, if it conforms, publish it to ``out_dir``.

    With ``out_dir=None`` nothing is written (the files are still returned).

    Raises:
        WcoKgError: unreadable or malformed source, ontology or shapes; a bad base IRI.
    """
    check_base(base)
    doc = read_document(source)
    claims = extract(doc)
    ontology_bytes, ontology_graph = load_turtle(ontology)
    shapes_bytes, shapes_graph = load_turtle(shapes)
    kg = build_graph(doc, claims, ontology_graph, base)
    report = validate_graph(kg.merged(), shapes_graph, ontology_graph, base)
    if not report.conforms:
        return BuildResult(doc, kg, report, {}, ())
    files = serialize(kg, ontology_bytes, shapes_bytes)
    written = tuple(write_files(out_dir, files)) if out_dir is not None else ()
    return BuildResult(doc, kg, report, files, written)
