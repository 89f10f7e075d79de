"""Check every evidence quote against the source file it names: its words, offsets, prefix and suffix."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..budgets import read_input
from ..errors import SourceError
from ..extraction.document import decode_text
from ..namespaces import DEFAULT_BASE, OA, WCOKG
from .compiled import written_term
from .validate import Result

RULES = ("QuoteMatchesSource", "PositionMatchesQuote", "PrefixMatchesSource", "SuffixMatchesSource", "SourceKnown")
"""The rules checked here (documented in shapes/wcokg-shapes.ttl; they are not SHACL constraints)."""


@dataclass(frozen=True)
class Quote:
    """One oa:SpecificResource whose selectors are complete (the shapes report incomplete ones)."""

    target: URIRef
    document: URIRef
    text_selector: URIRef
    position_selector: URIRef
    exact: Literal
    start: Literal
    end: Literal
    prefix: Literal | None
    suffix: Literal | None


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> object | None:
    values = list(graph.objects(subject, predicate))
    return values[0] if len(values) == 1 else None


def _offset(literal: object) -> int | None:
    try:
        return int(str(literal)) if isinstance(literal, Literal) else None
    except ValueError:
        return None


def quotes(graph: Graph) -> Iterator[Quote]:
    """The quotes of ``graph`` with one source, one quote selector and one position selector each."""
    for target in sorted(graph.subjects(RDF.type, OA.SpecificResource)):
        document = _one(graph, target, OA.hasSource)
        selectors = list(graph.objects(target, OA.hasSelector))
        text = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
        position = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
        if not isinstance(document, URIRef) or len(text) != 1 or len(position) != 1:
            continue
        exact, start, end = (_one(graph, text[0], OA.exact), *(_one(graph, position[0], p) for p in (OA.start, OA.end)))
        prefixes, suffixes = list(graph.objects(text[0], OA.prefix)), list(graph.objects(text[0], OA.suffix))
        if None in (exact, start, end) or len(prefixes) > 1 or len(suffixes) > 1:
            continue
        yield Quote(
            target, document, text[0], position[0], exact, start, end, *(prefixes or [None]), *(suffixes or [None])
        )


_STORED = f"""SELECT ?target (SAMPLE(?source) AS ?document) (SAMPLE(?quote) AS ?text) (SAMPLE(?place) AS ?position)
    (SAMPLE(?exact) AS ?e) (SAMPLE(?start) AS ?s) (SAMPLE(?end) AS ?n) (SAMPLE(?prefix) AS ?p) (SAMPLE(?suffix) AS ?x)
WHERE {{
    ?target a <{OA.SpecificResource}> .
    OPTIONAL {{ ?target <{OA.hasSource}> ?source }}
    OPTIONAL {{
        ?target <{OA.hasSelector}> ?quote . ?quote a <{OA.TextQuoteSelector}> .
        OPTIONAL {{ ?quote <{OA.exact}> ?exact }} OPTIONAL {{ ?quote <{OA.prefix}> ?prefix }}
        OPTIONAL {{ ?quote <{OA.suffix}> ?suffix }}
    }}
    OPTIONAL {{
        ?target <{OA.hasSelector}> ?place . ?place a <{OA.TextPositionSelector}> .
        OPTIONAL {{ ?place <{OA.start}> ?start }} OPTIONAL {{ ?place <{OA.end}> ?end }}
    }}
}} GROUP BY ?target
HAVING (COUNT(DISTINCT ?source) = 1 && isIRI(SAMPLE(?source)) && COUNT(DISTINCT ?quote) = 1
    && COUNT(DISTINCT ?place) = 1 && COUNT(DISTINCT ?exact) = 1 && COUNT(DISTINCT ?start) = 1
    && COUNT(DISTINCT ?end) = 1 && COUNT(DISTINCT ?prefix) <= 1 && COUNT(DISTINCT ?suffix) <= 1)"""
_DIGESTS = f"SELECT DISTINCT ?document ?digest WHERE {{ ?document <{WCOKG.sha256}> ?digest }}"


def stored_quotes(store: pyoxigraph.Store) -> tuple[list[Quote], dict[URIRef, object]]:
    """quotes() of the graphs of a pyoxigraph store (literals as written, see wcokg.check.compiled.load_store),
    in one query; and the sha256 of each document that records exactly one."""
    term = written_term()
    found = []
    for row in store.query(_STORED, use_default_graph_as_union=True):
        found.append(Quote(*(None if value is None else term(value) for value in row)))
    digests: dict[URIRef, list] = {}
    for document, digest in store.query(_DIGESTS, use_default_graph_as_union=True):
        digests.setdefault(term(document), []).append(term(digest))
    return sorted(found, key=lambda quote: quote.target), {d: v[0] for d, v in digests.items() if len(v) == 1}


def source_files(sources_dir: Path) -> dict[str, Path]:
    """The files of ``sources_dir`` (and below it) by the sha256 of their bytes."""
    if not sources_dir.is_dir():
        raise SourceError(sources_dir, None, "no such folder of sources: give the folder with --sources")
    return {
        hashlib.sha256(read_input(path)).hexdigest(): path for path in sorted(sources_dir.rglob("*")) if path.is_file()
    }


def _q(text: str) -> str:
    """Text in double quotes, its quotes, backslashes and line breaks escaped as in Turtle."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _occurrences(text: str, quote: str) -> list[int]:
    """Where ``quote`` starts in ``text``.

    >>> _occurrences("a ba ba", "ba")
    [2, 5]
    """
    found, at = [], text.find(quote) if quote else -1
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _check(quote: Quote, text: str, base: str) -> Iterator[Result]:
    start, end, exact = _offset(quote.start), _offset(quote.end), str(quote.exact)
    if start is None or end is None or not 0 <= start <= end:
        return  # not offsets at all: the shapes say so
    found = text[start:end]
    if found != exact:
        said = f"the source has {_q(found)} at {start}-{end} but the quote says {_q(exact)}"
        if end > len(text):
            said = f"the source ends at {len(text)}, before {start}-{end}, where the quote says {_q(exact)}"
        places = _occurrences(text, exact)[:3]
        if places:
            where = ", ".join(f"{i}-{i + len(exact)}" for i in places)
            message = f"{said}, which the source has at {where}"
            rule = "PositionMatchesQuote"
            yield Result.violation(quote.position_selector, OA.start, quote.start, message, rule, base)
        else:
            yield Result.violation(quote.text_selector, OA.exact, quote.exact, said, "QuoteMatchesSource", base)
        return
    if quote.prefix is not None and not text[:start].endswith(str(quote.prefix)):
        before = text[max(0, start - len(quote.prefix)) : start]
        message = f"the source has {_q(before)} before {start} but the prefix says {_q(str(quote.prefix))}"
        yield Result.violation(quote.text_selector, OA.prefix, quote.prefix, message, "PrefixMatchesSource", base)
    if quote.suffix is not None and not text.startswith(str(quote.suffix), end):
        after = text[end : end + len(quote.suffix)]
        message = f"the source has {_q(after)} after {end} but the suffix says {_q(str(quote.suffix))}"
        yield Result.violation(quote.text_selector, OA.suffix, quote.suffix, message, "SuffixMatchesSource", base)


def check_quotes(
    graph: Graph | pyoxigraph.Store, sources_dir: str | Path, base: str = DEFAULT_BASE
) -> tuple[Result, ...]:
    """Check each quote of ``graph`` (an rdflib graph or a pyoxigraph store) against the file of ``sources_dir``
    with the sha256 its document records.

    ``source[start:end]`` must be the quote (offsets in code points of the decoded file, a BOM not counted),
    its prefix must end at start and its suffix begin at end. A document whose sha256 no file has is one
    violation. Quotes with missing or repeated selectors, offsets or hashes are left to the shapes.

    Raises:
        SourceError: ``sources_dir`` is not a folder, or the file a quote names cannot be decoded.
    """
    if isinstance(graph, pyoxigraph.Store):
        found, digests = stored_quotes(graph)
    else:
        found = list(quotes(graph))
        digests = {document: _one(graph, document, WCOKG.sha256) for document in {q.document for q in found}}
    by_document: dict[URIRef, list[Quote]] = {}
    for quote in found:
        by_document.setdefault(quote.document, []).append(quote)
    if not by_document:
        return ()
    files = source_files(Path(sources_dir))
    results: list[Result] = []
    for document, document_quotes in sorted(by_document.items()):
        digest = digests.get(document)
        if digest is None:
            continue
        path = files.get(str(digest).lower())
        if path is None:
            message = (
                f"no file in {sources_dir} has the sha256 {digest}, "
                f"so the {len(document_quotes)} quotes of this document cannot be checked"
            )
            results.append(Result.violation(document, WCOKG.sha256, digest, message, "SourceKnown", base))
            continue
        text = decode_text(read_input(path), path)
        for quote in document_quotes:
            results.extend(_check(quote, text, base))
    return tuple(results)
