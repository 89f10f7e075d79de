"""`wcokg load --store oxigraph` into a real Oxigraph server (`oxigraph serve`, shipped by pip's `oxigraph`),
started here and stopped by PID; every literal given back as published; the catalog's answers there."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
import requests

from wcokg.cli import cli

from .server import free_port, stop_process
from .test_load import GRAPHS, PREFIXES, PROLOGUE, differences, graph_iri, literals, published_literals
from .test_query import CATALOG, check

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


class Oxigraph:
    """``oxigraph serve`` on a free loopback port over a store in ``location``; the default graph is the union."""

    def __init__(self, location: Path):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = location.parent / "oxigraph.log"
        with self.log.open("wb") as stream:
            self.process = subprocess.Popen(
                [
                    str(OXIGRAPH),
                    "serve",
                    "--location",
                    str(location),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--union-default-graph",
                ],
                stdout=stream,
                stderr=stream,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                requests.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer: {self.log.read_text()}")

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph") / "store")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def loaded(oxigraph, out_dir):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["load", oxigraph.url, "--store", "oxigraph", "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    return result


def test_every_graph_is_held_with_its_triple_count(loaded) -> None:
    rows = [line.split() for line in loaded.stdout.splitlines()]
    assert [row[0] for row in rows] == ["data", "evidence", "links", "ontology", "void"]
    assert all(row[1] == "sent" and row[3] == "held" and row[2] == row[4] and int(row[2]) > 0 for row in rows)


def test_the_oxigraph_server_gives_back_every_literal_as_published(oxigraph, loaded, out_dir) -> None:
    """Round trip: each graph read back over the Graph Store Protocol, compared literal by literal (lexical form,
    datatype, language)."""
    quads = []
    for name in GRAPHS:
        answer = requests.get(
            oxigraph.url + "/store",
            params={"graph": graph_iri(name)},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        graph = pyoxigraph.NamedNode(graph_iri(name))
        for triple in pyoxigraph.parse(answer.content, format=pyoxigraph.RdfFormat.N_TRIPLES):
            quads.append(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    assert quads
    assert differences(literals(quads), published_literals(out_dir)) == []


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_answers_over_the_oxigraph_server(oxigraph, loaded, name) -> None:
    graph = "CONSTRUCT" in CATALOG[name]
    answer = requests.post(
        oxigraph.url + "/query",
        data={"query": PROLOGUE + CATALOG[name]},
        headers={"Accept": "application/n-triples" if graph else "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    check(name, "graph" if graph else "results", answer.text, PREFIXES)
