"""`wcokg query`: formats, exit codes, and the guards (no SERVICE, no outside FROM, no updates, a timeout)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pyoxigraph
import pytest
from rdflib import Graph

from wcokg.cli import cli
from wcokg.errors import QueryTimeout
from wcokg.sparql.query import default_files, load_dataset, run_query

from .conftest import DATA


@pytest.fixture()
def query(runner, out_dir):
    """Invoke `wcokg query` over the freshly built files."""

    def invoke(*args: str):
        data = [arg for path in default_files(out_dir) for arg in ("--data", str(path))]
        return runner.invoke(cli, ["query", *args, *data])

    return invoke


def test_list_names_every_catalog_query_with_its_question(runner) -> None:
    result = runner.invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    assert "goals-in-order               What are the WCO's strategic goals, in the document's order" in result.stdout
    assert len(result.stdout.splitlines()) >= 15


def test_inline_query_with_predeclared_prefixes_prints_a_table(query) -> None:
    result = query("SELECT ?g WHERE { ?g a wcokg:StrategicGoal } ORDER BY ?g")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "?g" and lines[2] == "wco:goal-1" and lines[-1] == "(9 rows)"


@pytest.mark.parametrize("mark", ["", "\ufeff"], ids=["plain", "byte-order mark"])
def test_a_query_file(query, tmp_path, mark) -> None:
    path = tmp_path / "count.rq"
    path.write_text(mark + "SELECT (COUNT(?g) AS ?n) WHERE { ?g a wcokg:StrategicGoal }", encoding="utf-8")
    result = query(str(path), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.replace("\r", "") == "n\n9\n"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_result_formats_parse_back_to_the_same_rows(query, fmt) -> None:
    result = query("goals-in-order", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["number", "title"] and rows[4] == ["4", "Trade Facilitation"] and len(rows) == 10
        return
    parsed = pyoxigraph.parse_query_results(
        result.stdout.encode(), format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper())
    )
    titles = [solution["title"].value for solution in parsed]
    assert titles[3] == "Trade Facilitation" and len(titles) == 9


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_graph_formats(query, fmt, rdflib_format) -> None:
    result = query("goal-4-instruments-graph", "--format", fmt)
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout, format=rdflib_format)) == 4


def test_describe_works_on_both_engines(query) -> None:
    for engine in ("pyoxigraph", "rdflib"):
        result = query("DESCRIBE wco:goal-4", "--engine", engine, "--format", "ntriples")
        assert result.exit_code == 0
        assert '<http://www.w3.org/2004/02/skos/core#prefLabel> "Trade Facilitation"@en' in result.stdout


def test_ask_and_fail_empty(query) -> None:
    assert query("drug-trafficking-goal").stdout == "true\n"
    assert query('ASK { ?g skos:prefLabel "Smuggling"@en }', "--fail-empty").exit_code == 1
    assert query("SELECT ?x WHERE { ?x a wcokg:Nothing }", "--fail-empty").exit_code == 1
    assert query("SELECT ?x WHERE { ?x a wcokg:StrategicGoal }", "--fail-empty").exit_code == 0


def test_limit_truncates_and_says_so(query) -> None:
    result = query("goals-in-order", "--limit", "3", "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 4
    assert "only the first 3 results" in result.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE <http://example.org/sparql> refused",
        ),
        (
            "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE <http://example.org/sparql> refused",
        ),
        (
            "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
            "FROM <http://example.org/data.ttl> refused",
        ),
        (
            "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
            "FROM <file:///etc/passwd> refused",
        ),
        ("LOAD <http://example.org/data.ttl>", "this is an update, not a query: run it with wcokg update"),
        ("INSERT DATA { wco:x a wcokg:StrategicGoal }", 'query:1:1: syntax error at "INSERT": this is an update'),
        ("SELECT ?x WHERE {\n  ?x ?y \n", 'query:1:17: syntax error at "{": it is never closed; add "}"'),
        ("SELECT ?x WHERE { ?x nope:p ?y }", 'query:1:22: syntax error at "nope:p": unknown prefix "nope:"'),
    ],
    ids=[
        "service",
        "escaped service",
        "from http",
        "from named file",
        "load",
        "insert",
        "unclosed brace",
        "unknown prefix",
    ],
)
def test_refused_and_malformed_queries_are_one_line_and_exit_2(query, text, message) -> None:
    """One line; a syntax error's is followed by the source line and a caret under the token."""
    result = query(text)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert message in lines[0] and (len(lines) == 1 or len(lines) == 3 and lines[2].strip() == "^"), result.stderr


def test_from_a_graph_of_the_dataset_is_allowed(query) -> None:
    result = query(
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/wcokg/graph/links> WHERE { ?s ?p ?o }", "--format", "csv"
    )
    assert result.exit_code == 0 and result.stdout.replace("\r", "").splitlines()[1] == "14"


def test_a_pathological_query_is_stopped_by_the_timeout(out_dir) -> None:
    dataset = load_dataset(default_files(out_dir))
    for engine in ("pyoxigraph", "rdflib"):
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            run_query(
                dataset,
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                engine=engine,
                timeout=1,
            )


def test_the_timeout_is_reported_by_the_cli(query) -> None:
    result = query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "0.5")
    assert result.exit_code == 2 and "query stopped after 0.5 s" in result.stderr


def test_parsing_a_huge_query_is_inside_the_timeout(runner, tmp_path) -> None:
    """400,000 values take over a second to parse and run; the data, one triple, is read at once."""
    values, data = tmp_path / "values.rq", tmp_path / "one.nt"
    values.write_text("SELECT ?x WHERE { VALUES ?x { " + " ".join(map(str, range(400_000))) + " } }")
    data.write_text("<urn:a> <urn:b> <urn:c> .\n")
    result = runner.invoke(cli, ["query", str(values), "--data", str(data), "--timeout", "0.1"])
    assert (
        result.exit_code == 2
        and result.stderr == "wcokg: error: query stopped after 0.1 s (raise --timeout to allow more)\n"
    )


def test_a_query_past_its_memory_is_stopped_and_said_so_in_one_line(query) -> None:
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    result = query(cartesian, "--memory", "200", "--timeout", "60")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "wcokg: error: query stopped: it needed more than 200 MB of memory (raise --memory to allow more)\n"
    )


def test_an_engine_panic_is_a_one_line_error(runner) -> None:
    # pyoxigraph 0.5.13 panics sorting these literals ("does not correctly implement a total order").
    args = ["query", "SELECT * { ?s ?p ?o } ORDER BY DESC(?o)", "--data", str(DATA / "order-by-panic.nt")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("wcokg: error: the query engine crashed on this query (the engine panicked: ")
    assert result.stderr.count("\n") == 1


def test_unknown_names_formats_and_files_exit_2(runner, query, tmp_path) -> None:
    assert query("goals-in-ordr").stderr == (
        "wcokg: error: 'goals-in-ordr' is neither a catalog query (did you mean goals-in-order?), "
        "a .rq file, nor SPARQL\n"
    )
    assert "(did you mean partners?)" in query("partner").stderr
    assert "(see `wcokg query --list`)" in query("xyzzy").stderr
    assert query("goals-in-order", "--format", "yaml").exit_code == 2
    assert query("goals-in-order", "--format", "turtle").exit_code == 2
    result = runner.invoke(cli, ["query", "goals-in-order", "--data", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2 and "cannot read the file" in result.stderr
    assert runner.invoke(cli, ["query", str(tmp_path / "missing.rq")]).exit_code == 2
    fifo = tmp_path / "fifo.rq"
    os.mkfifo(fifo)  # before: read_text waited for a writer forever
    result = runner.invoke(cli, ["query", str(fifo)])
    assert (result.exit_code, result.stderr) == (2, f"wcokg: error: {fifo}: not a regular file (a FIFO)\n")


def test_malformed_data_names_file_line_and_column(runner, tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unclosed .\n', encoding="utf-8")
    result = runner.invoke(cli, ["query", "goals-in-order", "--data", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith(f"wcokg: error: {bad}:2:11: ")


def test_a_jsonld_file_with_a_remote_context_is_refused_not_fetched(runner, tmp_path) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text(
        json.dumps({"@context": "http://example.org/context.jsonld", "@id": "http://example.org/a", "name": "x"})
    )
    result = runner.invoke(cli, ["query", "goals-in-order", "--data", str(remote)])
    assert (
        result.stderr
        == f"wcokg: error: {remote}: refers to a remote JSON-LD @context, which wcokg never fetches; embed it\n"
    )
    assert result.exit_code == 2


WORKER_CONNECTS = """
import socket
from wcokg.errors import QueryError
from wcokg.sparql.worker import Worker
try:
    Worker(lambda request: socket.create_connection(request, timeout=1), memory=None).call(("192.0.2.1", 80), 5)
except QueryError as exc:
    print(exc)
"""


def test_the_worker_refuses_the_network_whatever_the_engine_tries() -> None:
    # A fresh interpreter: the audit hook of this test session must not be what refuses.
    done = subprocess.run([sys.executable, "-c", WORKER_CONNECTS], capture_output=True, text=True, timeout=30)
    assert "network access refused: ('192.0.2.1', 80)" in done.stdout, done.stdout + done.stderr
