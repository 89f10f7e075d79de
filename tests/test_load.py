"""`wcokg load` into real stores started here (Virtuoso over the Graph Store Protocol, a pyoxigraph RocksDB
store), bulk loads with the stores' own tools (Virtuoso's ld_dir, Jena TDB2), and the catalog's answers on each."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph

from wcokg.cli import cli
from wcokg.edit.apply import load_published
from wcokg.namespaces import prefixes, sparql_prologue

from . import jena
from .stores import FailingProxy, Virtuoso
from .test_query import CATALOG, check

PREFIXES = prefixes()
PROLOGUE = sparql_prologue(PREFIXES)
GRAPHS = ("data", "evidence", "links", "ontology", "void")

# Virtuoso 7.2 deviations, normalized here explicitly rather than by loosening the comparison:
# - an ASK query answered in SPARQL JSON comes back as one binding ?__ASK_RETVAL with 1 or 0;
# - xsd:boolean values come back with the lexical forms "1" / "0" (valid, not canonical);
# - EXISTS {…} comes back as "1"^^xsd:integer / "0"^^xsd:integer instead of an xsd:boolean;
EXISTS_COLUMNS = {("governance", "governingBody")}


def literals(quads) -> set[tuple[str, str, str, str, str, str]]:
    """Every literal of ``quads`` as (graph, subject, predicate, lexical form, datatype, language), as written.

    Parsed with pyoxigraph, which keeps lexical forms (rdflib's parser would canonicalize "098" to "98")."""
    return {
        (
            str(q.graph_name),
            str(q.subject),
            str(q.predicate),
            q.object.value,
            q.object.datatype.value,
            q.object.language or "",
        )
        for q in quads
        if isinstance(q.object, pyoxigraph.Literal)
    }


def published_literals(out_dir) -> set[tuple[str, str, str, str, str, str]]:
    """The literals of the published files: the four graphs of wcokg.nq and void.ttl in the void graph."""
    quads = list(pyoxigraph.parse(path=out_dir / "wcokg.nq", format=pyoxigraph.RdfFormat.N_QUADS))
    void = pyoxigraph.NamedNode(graph_iri("void"))
    for triple in pyoxigraph.parse(path=out_dir / "void.ttl", format=pyoxigraph.RdfFormat.TURTLE):
        quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, void))
    return literals(quads)


def differences(back: set, published: set) -> list:
    """The literals that differ either way (sorted): lexical form, datatype or language changed, lost or added."""
    return sorted(back ^ published)


def virtuoso_answer(name: str, response: requests.Response) -> str:
    document = response.json()
    if document["head"]["vars"] == ["__ASK_RETVAL"]:
        return json.dumps({"head": {}, "boolean": document["results"]["bindings"][0]["__ASK_RETVAL"]["value"] == "1"})
    boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    for binding in document["results"]["bindings"]:
        for variable, term in binding.items():
            if term.get("datatype") == boolean or (name, variable) in EXISTS_COLUMNS:
                binding[variable] = {
                    "type": "literal",
                    "datatype": boolean,
                    "value": "true" if term["value"] in ("1", "true") else "false",
                }
    return json.dumps(document)


def load_args(url: str, out_dir, *extra: str) -> list[str]:
    """`wcokg load` into the Virtuoso at ``url`` as dba."""
    return ["load", url, "--store", "virtuoso", "--user", "dba", "--password", "dba", "--out", str(out_dir), *extra]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def loaded(virtuoso, out_dir):
    """The published dataset, loaded into Virtuoso by `wcokg load`."""
    result = CliRunner().invoke(
        cli,
        load_args(virtuoso.url, out_dir, "--replace"),
    )
    assert result.exit_code == 0, result.output
    return result


def graph_iri(name: str) -> str:
    return f"https://w3id.org/wcokg/graph/{name}"


def published_counts(out_dir) -> list[int]:
    """The triple counts of the published graphs, in the order of GRAPHS."""
    published = load_published(out_dir)
    return [len(published.named()[name]) for name in GRAPHS[:4]] + [len(Graph().parse(out_dir / "void.ttl"))]


def holds(out_dir, *loaded: str) -> str:
    """What `wcokg load` says the store holds when only the ``loaded`` graphs arrived."""
    pairs = zip(GRAPHS, published_counts(out_dir), strict=True)
    return ", ".join(f"{name} {n if name in loaded else 0}" for name, n in pairs)


def test_every_graph_is_loaded_with_its_triple_count(loaded, out_dir) -> None:
    lines = loaded.stdout.splitlines()
    for name, expected, line in zip(GRAPHS, published_counts(out_dir), lines, strict=True):
        assert line.split() == [name, "sent", str(expected), "held", str(expected), f"<{graph_iri(name)}>"]


def test_virtuoso_gives_back_every_literal_as_published(virtuoso, loaded, out_dir) -> None:
    """Round trip: each graph dumped back from Virtuoso, compared literal by literal (lexical form, datatype)."""
    quads = []
    for name in GRAPHS:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri(name)}> {{ ?s ?p ?o }} }}"
        answer = requests.post(
            f"{virtuoso.url}/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
        )
        graph = pyoxigraph.NamedNode(graph_iri(name))
        for triple in pyoxigraph.parse(answer.content, format=pyoxigraph.RdfFormat.N_TRIPLES):
            quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    assert differences(literals(quads), published_literals(out_dir)) == []


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_answers_over_virtuoso(virtuoso, loaded, name) -> None:
    graph = "CONSTRUCT" in CATALOG[name]
    answer = requests.post(
        f"{virtuoso.url}/sparql",
        data={"query": PROLOGUE + CATALOG[name]},
        headers={"Accept": "application/n-triples" if graph else "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    check(name, "graph" if graph else "results", answer.text if graph else virtuoso_answer(name, answer), PREFIXES)


def test_loading_again_adds_nothing(runner, virtuoso, loaded, out_dir) -> None:
    again = runner.invoke(cli, load_args(virtuoso.url, out_dir))
    assert again.exit_code == 0 and again.stdout == loaded.stdout


def test_a_plain_graph_store_endpoint_and_one_graph(runner, virtuoso, loaded, out_dir) -> None:
    args = ["load", f"{virtuoso.url}/sparql-graph-crud-auth", "--auth", "digest", "--graph", "links"]
    result = runner.invoke(
        cli,
        [*args, "--query", f"{virtuoso.url}/sparql", "--out", str(out_dir)],
        env={"WCOKG_STORE_USER": "dba", "WCOKG_STORE_PASSWORD": "dba"},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["links", "sent", "14", "held", "14", f"<{graph_iri('links')}>"]
    missing = runner.invoke(cli, [*args, "--out", str(out_dir)])
    assert missing.exit_code == 2 and "give --query URL" in missing.stderr


def test_a_wrong_password_is_one_line_and_says_what_the_store_holds(runner, virtuoso, loaded, out_dir) -> None:
    result = runner.invoke(
        cli,
        ["load", virtuoso.url, "--store", "virtuoso", "--out", str(out_dir)],
        env={"WCOKG_STORE_USER": "dba", "WCOKG_STORE_PASSWORD": "wrong"},
    )
    assert result.exit_code == 2
    assert "the store refused graph <https://w3id.org/wcokg/graph/data>: HTTP 401" in result.stderr
    assert f"it now holds: {holds(out_dir, *GRAPHS)}" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_store_that_is_down(runner, out_dir) -> None:
    from .stores import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(cli, load_args(url, out_dir))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"wcokg: error: cannot reach {url}/sparql-graph-crud-auth after 3 tries: [Errno 111]"
    )


def test_a_store_failing_halfway_then_a_retried_load(runner, virtuoso, loaded, out_dir) -> None:
    clear = "\n".join(f"SPARQL CLEAR GRAPH <{graph_iri(name)}>;" for name in GRAPHS)
    virtuoso.isql(clear)
    proxy = FailingProxy(virtuoso.url, allow=2)
    try:
        failed = runner.invoke(
            cli,
            load_args(proxy.url, out_dir, "--replace"),
        )
    finally:
        proxy.stop()
    assert failed.exit_code == 2
    assert "the store refused graph <https://w3id.org/wcokg/graph/links>: HTTP 500" in failed.stderr
    assert f"it now holds: {holds(out_dir, 'data', 'evidence')}" in failed.stderr
    retried = runner.invoke(
        cli,
        load_args(virtuoso.url, out_dir, "--replace"),
    )
    assert retried.exit_code == 0 and retried.stdout == loaded.stdout


def test_virtuoso_bulk_loader_recipe(virtuoso, out_dir, tmp_path) -> None:
    """The recipe of docs/stores.md: ld_dir + rdf_loader_run, one graph per file."""
    directory = virtuoso.directory / "bulk"
    directory.mkdir()
    (directory / "wcokg.nq").write_bytes((out_dir / "wcokg.nq").read_bytes())
    virtuoso.isql(
        f"ld_dir('{directory}', 'wcokg.nq', 'https://w3id.org/wcokg/graph/bulk');",
        "rdf_loader_run();",
        "checkpoint;",
    )
    answer = requests.post(
        f"{virtuoso.url}/sparql",
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri('evidence')}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == str(published_counts(out_dir)[1])


def test_a_target_and_to_dir_together_are_refused(runner, out_dir, tmp_path) -> None:
    """Before, --to-dir won and the TARGET was silently ignored."""
    result = runner.invoke(cli, ["load", "http://127.0.0.1:9/store", "--to-dir", str(tmp_path / "store")])
    assert result.exit_code == 2 and "give a TARGET URL or --to-dir DIR, not both" in result.stderr
    assert not (tmp_path / "store").exists()


def test_pyoxigraph_store_on_disk(runner, out_dir, tmp_path) -> None:
    result = runner.invoke(cli, ["load", "--to-dir", str(tmp_path / "store"), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    counts = [str(n) for n in published_counts(out_dir)]
    assert [line.split()[1:5] for line in result.stdout.splitlines()] == [["sent", n, "held", n] for n in counts]
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    assert differences(literals(store), published_literals(out_dir)) == []  # the round trip changes no literal
    for name, text in CATALOG.items():
        answer = store.query(PROLOGUE + text, use_default_graph_as_union=True)
        if isinstance(answer, pyoxigraph.QueryTriples):
            check(name, "graph", pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.N_TRIPLES).decode(), PREFIXES)
        else:
            check(name, "results", answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON).decode(), PREFIXES)


TDB2_RECIPE = (
    "docs/jena tdb2.tdbloader --loc DB output/wcokg.nq",
    "docs/jena tdb2.tdbloader --loc DB --graph https://w3id.org/wcokg/graph/void output/void.ttl",
)
"""The recipe for Jena TDB2 in docs/stores.md, run word for word from a folder holding docs/ and output/."""


@pytest.fixture(scope="module")
def tdb2(out_dir, tmp_path_factory):
    """A Jena TDB2 database bulk-loaded with docs/jena tdb2.tdbloader, as docs/stores.md says."""
    workdir = tmp_path_factory.mktemp("tdb2")
    (workdir / "docs").symlink_to(jena.SCRIPT.parent)
    (workdir / "output").symlink_to(out_dir)
    env = {**os.environ, "XDG_CACHE_HOME": str(workdir / "cache")}
    for command in TDB2_RECIPE:
        subprocess.run(shlex.split(command), cwd=workdir, env=env, check=True, capture_output=True, timeout=120)
    return jena.classpath(workdir), workdir / "DB"


def test_the_tdb2_recipe_is_the_docs_and_loads_every_quad(tdb2, out_dir) -> None:
    """Before, the README said `tdb2.tdbloader`, which Debian does not ship."""
    page = (Path(__file__).parent.parent / "docs" / "stores.md").read_text(encoding="utf-8")
    assert all(f"\n$ {command}\n" in page for command in TDB2_RECIPE)
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    classpath, location = tdb2
    done = jena.run(classpath, "tdb2.tdbquery", "--loc", str(location), "--results", "csv", query)
    quads = sum(1 for _ in pyoxigraph.parse(path=out_dir / "wcokg.nq"))
    void = sum(1 for _ in pyoxigraph.parse(path=out_dir / "void.ttl"))
    assert done.stdout.split() == ["n", str(quads + void)]


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_answers_over_jena_tdb2(tdb2, tmp_path, name) -> None:
    classpath, location = tdb2
    query = tmp_path / "query.rq"
    query.write_text(PROLOGUE + CATALOG[name], encoding="utf-8")
    graph = "CONSTRUCT" in CATALOG[name]
    done = jena.run(
        classpath,
        "tdb2.tdbquery",
        "--loc",
        str(location),
        "--set",
        "tdb:unionDefaultGraph=true",
        "--query",
        str(query),
        "--results",
        "nt" if graph else "json",
    )
    check(name, "graph" if graph else "results", done.stdout, PREFIXES)


def test_jena_tdb2_gives_back_every_literal_as_published(tdb2, out_dir) -> None:
    """Round trip: the TDB2 database dumped with tdb2.tdbdump, compared literal by literal."""
    classpath, location = tdb2
    dump = jena.run(classpath, "tdb2.tdbdump", "--loc", str(location)).stdout
    back = literals(pyoxigraph.parse(dump, format=pyoxigraph.RdfFormat.N_QUADS))
    assert differences(back, published_literals(out_dir)) == []
