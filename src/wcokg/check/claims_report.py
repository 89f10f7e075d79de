"""The curator's view of a claims file: where words stand in the source, and every claim resolved in one pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..extraction.claims import claims_path, read_claims
from ..extraction.document import Document, quarantine, read_document, read_text
from ..extraction.extract import Claim, extract, vocabulary
from ..extraction.graph import KnowledgeGraph, build_graph
from ..extraction.locate import Occurrence, closest, occurrences
from ..names import DEFAULT_BASE
from ..rdfio import load_turtle


@dataclass(frozen=True)
class Found:
    """An occurrence of the words, the reasons of the quarantine it overlaps (none: it may be evidence), and its
    context with quarantined text left out."""

    occurrence: Occurrence
    quarantined: tuple[str, ...]
    context: str


@dataclass(frozen=True)
class Located:
    """Where words stand in a source: every occurrence, or (none found) the closest passage and its line."""

    source: Path
    found: tuple[Found, ...]
    closest: tuple[int, str] | None


def locate(source: str | Path, words: str) -> Located:
    """Every occurrence of ``words`` in ``source`` (any run of whitespace matches any). The claims file, when
    there is one, adds its quarantine (``ends-after``, [[quarantine]]) to the lines of contact details.

    Raises:
        SourceError, ClaimsError: the source or its claims file cannot be read.
    """
    source = Path(source)
    text = read_text(source)
    path = claims_path(source)
    spans = quarantine(source, text, read_claims(path) if path.exists() else None)
    masked = list(text)
    for span in spans:
        masked[span.start : span.end] = " " * (span.end - span.start)
    visible = "".join(masked)
    found = []
    for at in occurrences(text, words):
        reasons = tuple(r for q in spans if at.start < q.end and q.start < at.end for r in q.reasons)
        found.append(Found(at, reasons, "" if reasons else at.context(visible)))
    return Located(source, tuple(found), None if found else closest(visible, words))


@dataclass(frozen=True)
class Checked:
    """A source whose claims all resolve: the document, the facts its claims state, the graphs they make."""

    document: Document
    claims: tuple[Claim, ...]
    graph: KnowledgeGraph


def check_claims(
    source: str | Path,
    base: str = DEFAULT_BASE,
    ontology: str | Path = layout.ONTOLOGY,
    shapes: str | Path = layout.SHAPES,
) -> Checked:
    """Resolve every claim of the claims file of ``source`` as the build does (without the edit log).

    Raises:
        WcoKgError: the first claim, declaration or character that does not hold, naming its file and line.
    """
    doc = read_document(source)
    _, ontology_graph = load_turtle(ontology)
    _, shapes_graph = load_turtle(shapes)
    claims = extract(doc, base, vocabulary(ontology_graph, shapes_graph))
    return Checked(doc, claims, build_graph((doc,), (claims,), ontology_graph, base))
