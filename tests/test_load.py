"""`wcokg load` into real stores started here (Virtuoso over the Graph Store Protocol, a pyoxigraph RocksDB
store), bulk loads with the stores' own tools (Virtuoso's ld_dir, Jena TDB2), and the catalog's answers on each."""

from __future__ import annotations

import json
from decimal import Decimal

import pyoxigraph
import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from wcokg.cli import cli
from wcokg.edit import load_published
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
# - decimals are stored in Virtuoso's canonical form: "98.0"^^xsd:decimal comes back as "98".
EXISTS_COLUMNS = {("governance", "governingBody")}


def decimals_by_value(graph: Graph) -> Graph:
    """The graph with every xsd:decimal written in one form ("98.0" and "98" both as "98")."""
    canonical = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        canonical.add((s, p, o))
    return canonical


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


def test_every_graph_is_loaded_with_its_triple_count(loaded, out_dir) -> None:
    published = load_published(out_dir)
    lines = loaded.stdout.splitlines()
    for name, line in zip(GRAPHS, lines, strict=True):
        expected = len(published.named()[name]) if name != "void" else len(Graph().parse(out_dir / "void.ttl"))
        assert line.split() == [name, "sent", str(expected), "held", str(expected), f"<{graph_iri(name)}>"]


@pytest.mark.parametrize("name", GRAPHS[:4])
def test_each_graph_comes_back_isomorphic(virtuoso, loaded, out_dir, name) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri(name)}> {{ ?s ?p ?o }} }}"
    answer = requests.post(f"{virtuoso.url}/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
    back = Graph().parse(data=answer.text, format="nt")
    assert isomorphic(decimals_by_value(back), decimals_by_value(load_published(out_dir).named()[name]))


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
    assert "it now holds: data 295, evidence 3261, links 14, ontology 208, void 167" in result.stderr
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
    assert "it now holds: data 295, evidence 3261, links 0, ontology 0, void 0" in failed.stderr
    retried = runner.invoke(
        cli,
        load_args(virtuoso.url, out_dir, "--replace"),
    )
    assert retried.exit_code == 0 and retried.stdout == loaded.stdout


def test_virtuoso_bulk_loader_recipe(virtuoso, out_dir, tmp_path) -> None:
    """The README's recipe: ld_dir + rdf_loader_run, one graph per file."""
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
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "3261"


def test_a_target_and_to_dir_together_are_refused(runner, out_dir, tmp_path) -> None:
    """Before, --to-dir won and the TARGET was silently ignored."""
    result = runner.invoke(cli, ["load", "http://127.0.0.1:9/store", "--to-dir", str(tmp_path / "store")])
    assert result.exit_code == 2 and "give a TARGET URL or --to-dir DIR, not both" in result.stderr
    assert not (tmp_path / "store").exists()


def test_pyoxigraph_store_on_disk(runner, out_dir, tmp_path) -> None:
    result = runner.invoke(cli, ["load", "--to-dir", str(tmp_path / "store"), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert [line.split()[1:5] for line in result.stdout.splitlines()] == [
        ["sent", "295", "held", "295"],
        ["sent", "3261", "held", "3261"],
        ["sent", "14", "held", "14"],
        ["sent", "208", "held", "208"],
        ["sent", "167", "held", "167"],
    ]
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    for name, text in CATALOG.items():
        answer = store.query(PROLOGUE + text, use_default_graph_as_union=True)
        if isinstance(answer, pyoxigraph.QueryTriples):
            check(name, "graph", pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.N_TRIPLES).decode(), PREFIXES)
        else:
            check(name, "results", answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON).decode(), PREFIXES)


@pytest.fixture(scope="module")
def tdb2(out_dir, tmp_path_factory):
    """A Jena TDB2 database bulk-loaded with tdb2.tdbloader, as the README says."""
    workdir = tmp_path_factory.mktemp("tdb2")
    classpath = jena.classpath(workdir)
    location = workdir / "db"
    jena.run(classpath, "tdb2.tdbloader", "--loc", str(location), str(out_dir / "wcokg.nq"))
    jena.run(
        classpath, "tdb2.tdbloader", "--loc", str(location), "--graph", graph_iri("void"), str(out_dir / "void.ttl")
    )
    return classpath, location


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
