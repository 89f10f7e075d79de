"""The W3C test suites: Turtle, N-Triples, N-Quads, TriG, JSON-LD 1.1 toRdf, SPARQL 1.1 query and update syntax,
from rdflib's source distribution on PyPI (unpacked by .ci/run into .w3c/suites; WCOKG_W3C_SUITES names another
place), through wcokg's loader (what `wcokg validate` reads files with), `wcokg query`'s parser and engine, and
`wcokg update`'s parser. Negatives must be refused with a position, positives accepted; the exceptions are
listed, with their reasons, in EXCEPTIONS. Each suite prints its pass rate."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from wcokg.edit.apply import read_update
from wcokg.errors import QueryError, RdfFileError, SparqlSyntaxError
from wcokg.namespaces import DEFAULT_BASE, Iris
from wcokg.rdfio import parse_file, to_graph
from wcokg.sparql.query import QueryDataset, run_query

SUITES = Path(os.environ.get("WCOKG_W3C_SUITES") or Path(__file__).parents[1] / ".w3c" / "suites")
W3C = SUITES / "data" / "suites" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
POSITION = re.compile(r":\d+:(?:\d+:)? |\bat \d+:\d+")
"""Where an error is: line and column, or the line of the operation (an update's refusals on its algebra)."""

REMOTE = "a remote JSON-LD context (or @import): wcokg never fetches one"
DIRECTION = "JSON-LD @direction: RDF 1.2 directional text, which rdflib cannot hold, is refused"
EXCEPTIONS: dict[str, dict[str, str]] = {
    "jsonld-toRdf": {
        **{test: REMOTE for test in ("c031", "c034", "e126", "e127", "e128", "so05", "so06", "so08", "so09", "so11")},
        **{f"di{n:02}": DIRECTION for n in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12)},
        "li12": "pyoxigraph refuses an @base that is not a valid IRI, which JSON-LD says to ignore",
    },
    "sparql11-query": {
        "test_4": "a call of an unknown function: pyoxigraph fails when it runs the query (not a syntax error)",
        "test_33": "the relative IRI <x> with no BASE: pyoxigraph refuses to resolve it",
    },
    "sparql11-update": {
        **{
            test: "an update with no operation: valid SPARQL, refused by policy (an edit must change something)"
            for test in ("test_38", "test_39", "test_40")
        },
        "test_53": "a blank node in INSERT DATA: valid SPARQL, refused by policy (wcokg publishes no blank nodes)",
    },
}
"""By suite, the tests wcokg does not pass, and why. A test listed here that passes fails the run: remove it."""


def suites() -> Path:
    if not W3C.is_dir():
        pytest.fail(f"the W3C test suites are not in {SUITES}: run .ci/run, which unpacks them from rdflib's sdist")
    return SUITES


def manifest(path: Path) -> Iterator[tuple[str, bool, Path]]:
    """(name, negative, file) of every entry of a W3C manifest, in order."""
    graph = Graph().parse(path, format="turtle")
    (listed,) = graph.objects(None, MF.entries)
    for entry in Collection(graph, listed):
        kind = str(graph.value(entry, RDF.type))
        action = str(graph.value(entry, MF.action)).removeprefix("file://")
        yield str(entry).rsplit("#", 1)[-1], "Negative" in kind, Path(action)


GRAMMAR = re.compile(r"expected (?:one of|expected|[A-Z]{2,}\b)|\[_\]|\bLATERAL\b|'\\u\{")
"""Words of pyoxigraph's grammar that a SPARQL syntax error must not show a person."""


def verdict(negative: bool, run: Callable[[], object], policy: bool = False, sparql: bool = False) -> str | None:
    """None if the test passes, else what went wrong. ``policy``: a refusal of what is allowed to parse
    (SERVICE, LOAD, a graph) means the text was parsed. ``sparql``: a negative must be refused as a syntax error
    in plain words, at a line and column, naming no grammar production."""
    try:
        run()
    except (RdfFileError, QueryError) as exc:
        if policy and "refused" in str(exc) and not negative:
            return None
        if not negative:
            return f"refused: {exc}"
        if sparql and not (isinstance(exc, SparqlSyntaxError) and exc.line and exc.column):
            return f"no line and column: {exc}"
        if sparql and GRAMMAR.search(str(exc)):
            return f"names the grammar: {exc}"
        return None if POSITION.search(str(exc)) or getattr(exc, "line", None) else f"no position: {exc}"
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to stop at
        return f"crash: {type(exc).__name__}: {exc}"
    return "accepted" if negative else None


def check(suite: str, results: dict[str, str | None], capsys) -> None:
    failed = {name: why for name, why in results.items() if why is not None}
    known = EXCEPTIONS.get(suite, {})
    passed = len(results) - len(failed)
    with capsys.disabled():  # the pass rate shows in every run, not only on failure
        print(f"\nW3C {suite}: {passed}/{len(results)} passed, {len(failed)} listed exceptions")
    unexpected = {name: why for name, why in failed.items() if name not in known}
    assert not unexpected, f"{suite}: {len(unexpected)} unexpected failures: {unexpected}"
    fixed = sorted(set(known) - set(failed))
    assert not fixed, f"{suite}: {fixed} pass now: remove them from EXCEPTIONS"


@pytest.mark.parametrize(
    "suite, syntax", [("turtle", "turtle"), ("ntriples", "ntriples"), ("nquads", "nquads"), ("trig", "trig")]
)
def test_rdf_syntax_suite_through_the_loader(suite, syntax, capsys) -> None:
    suites()
    results = {
        name: verdict(negative, lambda path=path: to_graph(parse_file(path, syntax)))
        for name, negative, path in manifest(W3C / suite / "manifest.ttl")
    }
    check(suite, results, capsys)


def test_jsonld_toRdf_suite_through_the_loader(capsys) -> None:
    folder = suites() / "jsonld" / "1.1"
    tests = json.loads((folder / "toRdf-manifest.jsonld").read_text(encoding="utf-8"))["sequence"]
    results = {}
    for test in tests:
        options = test.get("option", {})
        # Not for a JSON-LD 1.1 processor in its default mode (the suite's own rule): tests of JSON-LD 1.0.
        if "json-ld-1.0" in (options.get("specVersion"), options.get("processingMode")):
            continue
        negative = "jld:NegativeEvaluationTest" in test["@type"]
        path = folder / test["input"]
        results[test["@id"].removeprefix("#t")] = verdict(
            negative, lambda path=path: to_graph(parse_file(path, "jsonld"))
        )
    check("jsonld-toRdf", results, capsys)


def test_sparql_query_syntax_suite_through_wcokg_query(capsys) -> None:
    empty = QueryDataset(Store(), frozenset(), {})  # no predeclared prefixes: the suite declares its own
    results = {
        name: verdict(negative, lambda path=path: run_query(empty, path.read_text(encoding="utf-8")), True, True)
        for name, negative, path in manifest(
            suites() / "data" / "suites" / "w3c" / "sparql11" / "syntax-query" / "manifest.ttl"
        )
    }
    check("sparql11-query", results, capsys)


def test_sparql_update_syntax_suite_through_wcokg_update(capsys) -> None:
    iris = Iris(DEFAULT_BASE)
    results = {
        name: verdict(negative, lambda path=path: read_update(path.read_text(encoding="utf-8"), iris), True, True)
        for name, negative, path in manifest(
            suites() / "data" / "suites" / "w3c" / "sparql11" / "syntax-update-1" / "manifest.ttl"
        )
    }
    check("sparql11-update", results, capsys)
