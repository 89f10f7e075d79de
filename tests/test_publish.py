"""Published files: identical to a fresh build, identical across processes, the same graph in every syntax,
accepted by independent parsers (rapper, pyld), free of quarantined text, and written all-or-nothing,
whether a build wrote them or `wcokg update --apply` rewrote them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from wcokg import layout
from wcokg.errors import ClaimsError
from wcokg.extraction.claims import claims_path
from wcokg.extraction.graph import KnowledgeGraph
from wcokg.pipeline import build, update
from wcokg.publish.serialize import MEDIA_TYPES
from wcokg.publish.transaction import MANIFEST

from .conftest import DATA, OVERVIEW
from .test_quarantine import SPAM_WORDS

RAPPER = shutil.which("rapper")
GRAPHS = ("data", "evidence", "links", "ontology")


@dataclass(frozen=True)
class Published:
    dir: Path
    graph: KnowledgeGraph


@pytest.fixture(scope="module", params=["fresh build", "after an update"])
def published(request, built, out_dir, tmp_path_factory) -> Published:
    """The published files as a build writes them, and as `wcokg update --apply` rewrites them."""
    if request.param == "fresh build":
        return Published(out_dir, built.graph)
    target = tmp_path_factory.mktemp("updated") / "output"
    shutil.copytree(out_dir, target)
    patch = DATA / "patches" / "retract-a-link.ru"
    result = update(patch, {}, apply=True, out_dir=target, edits=target.parent / "edits")
    assert result.written
    return Published(target, result.edit.after)


def diff_message(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return (
        "only expected:\n"
        + only_expected.serialize(format="nt")[:2000]
        + "\nonly actual:\n"
        + only_actual.serialize(format="nt")[:2000]
    )


def test_committed_output_is_what_a_fresh_build_produces(built, out_dir) -> None:
    committed = {p.name for p in layout.OUTPUT.iterdir() if not p.name.startswith(".")}
    assert committed == {*MEDIA_TYPES, MANIFEST}, "output/ holds exactly the published files and their manifest"
    for name in (*MEDIA_TYPES, MANIFEST):
        fresh, old = (out_dir / name).read_bytes(), (layout.OUTPUT / name).read_bytes()
        if fresh != old and name.endswith((".ttl", ".nt")):
            fmt = "nt" if name.endswith(".nt") else "turtle"
            pytest.fail(
                f"output/{name} is stale; run `wcokg build`.\n"
                + diff_message(Graph().parse(data=old, format=fmt), Graph().parse(data=fresh, format=fmt))
            )
        assert fresh == old, f"output/{name} is stale; run `wcokg build`"


def test_two_processes_with_different_hash_seeds_write_identical_bytes(tmp_path) -> None:
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "wcokg", "build", "--out", str(tmp_path / seed)],
            env=env,
            check=True,
            capture_output=True,
        )
    for name in MEDIA_TYPES:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "4242" / name).read_bytes(), name


@pytest.mark.parametrize("name, fmt", [("wcokg.ttl", "turtle"), ("wcokg.nt", "nt"), ("wcokg.jsonld", "json-ld")])
def test_every_serialization_is_the_same_graph(published, name, fmt) -> None:
    parsed = Graph().parse(published.dir / name, format=fmt)
    expected = published.graph.merged()
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected), diff_message(expected, parsed)


@pytest.mark.parametrize("name, fmt", [("wcokg.trig", "trig"), ("wcokg.nq", "nquads")])
def test_named_graph_files_hold_the_four_graphs(published, name, fmt) -> None:
    dataset = Dataset()
    dataset.parse(published.dir / name, format=fmt)
    for graph_name in GRAPHS:
        expected = published.graph.named()[graph_name]
        actual = dataset.graph(published.graph.iris.graph(graph_name))
        assert isomorphic(Graph() + actual, expected), graph_name


def rapper(path: Path, syntax: str) -> Graph:
    """Parse with Debian's raptor (an independent C parser) and read back its N-Triples."""
    assert RAPPER, "rapper (Debian package raptor2-utils) must be installed: .ci/run installs it"
    done = subprocess.run([RAPPER, "-q", "-i", syntax, "-o", "nquads", str(path)], capture_output=True, check=True)
    return triples_of(done.stdout, "nquads")


def triples_of(data: bytes | str, fmt: str) -> Graph:
    """All triples of a quad document, whatever their graph."""
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.mark.parametrize(
    "name, syntax",
    [
        ("wcokg.ttl", "turtle"),
        ("wcokg.nt", "ntriples"),
        ("void.ttl", "turtle"),
        ("ontology.ttl", "turtle"),
        ("shapes.ttl", "turtle"),
    ],
)
def test_raptor_reads_the_same_triples(published, name, syntax) -> None:
    fmt = "nt" if name.endswith(".nt") else "turtle"
    assert isomorphic(rapper(published.dir / name, syntax), Graph().parse(published.dir / name, format=fmt))


@pytest.mark.parametrize("name, syntax", [("wcokg.trig", "trig"), ("wcokg.nq", "nquads")])
def test_raptor_reads_the_named_graphs(published, name, syntax) -> None:
    expected = Graph()
    for graph in published.graph.named().values():
        expected += graph
    assert isomorphic(rapper(published.dir / name, syntax), expected)


def test_the_jsonld_reference_processor_expands_to_the_same_triples(published) -> None:
    def no_fetch(url, options=None):
        raise AssertionError(f"pyld tried to fetch {url}")

    jsonld.set_document_loader(no_fetch)
    document = json.loads((published.dir / "wcokg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(triples_of(nquads, "nquads"), published.graph.merged())


def test_jsonld_embeds_the_published_context(published) -> None:
    document = json.loads((published.dir / "wcokg.jsonld").read_text(encoding="utf-8"))
    context = json.loads((published.dir / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    assert all(isinstance(value, str) for value in context["@context"].values()), "prefixes only, nothing to fetch"
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids)


def test_ntriples_are_sorted_unique_utf8_lines(published) -> None:
    text = (published.dir / "wcokg.nt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n") and lines == sorted(set(lines))
    assert '"Goal 6 -\u00a0Capacity\u00a0Building"' in text
    assert not re.search(r"\s_:", text), "no blank nodes"


def test_no_published_file_contains_quarantined_text(published) -> None:
    for path in published.dir.iterdir():
        text = path.read_text(encoding="utf-8")
        for word in SPAM_WORDS:
            assert word not in text, f"{word!r} in {path.name}"


def test_void_counts_and_distributions(published) -> None:
    void = Graph().parse(published.dir / "void.ttl")
    dataset = URIRef("https://w3id.org/wcokg/dataset")
    assert void.value(dataset, VOID.triples).toPython() == sum(map(len, published.graph.named().values()))
    for name in GRAPHS:
        assert void.value(published.graph.iris.graph(name), VOID.triples).toPython() == len(
            published.graph.named()[name]
        )
    subsets = [void.value(subset, VOID.triples).toPython() for subset in void.objects(dataset, VOID.subset)]
    assert void.value(dataset, VOID.triples).toPython() == sum(subsets)  # 295 + 3261 + 14 + 208 today
    distributions = set(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(MEDIA_TYPES) - 1
    for distribution in distributions:
        name = str(distribution).rsplit("/", 1)[1]
        assert str(void.value(distribution, DCAT.mediaType)).endswith(MEDIA_TYPES[name])
        assert void.value(distribution, DCAT.byteSize).toPython() == (published.dir / name).stat().st_size
    assert (dataset, RDF.type, VOID.Dataset) in void


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_build_that_fails_or_does_not_conform_writes_nothing(tmp_path) -> None:
    shutil.copytree(layout.OUTPUT, tmp_path / "out")
    before = snapshot(tmp_path / "out")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(OVERVIEW.read_bytes().replace(b"Goal 5 -", b"Goal 4 -"))
    shutil.copy(claims_path(OVERVIEW), claims_path(bad))  # whose claim quotes "Goal 5 - Supply Chain …"
    with pytest.raises(ClaimsError):
        build(source=bad, out_dir=tmp_path / "out")
    result = build(out_dir=tmp_path / "out", shapes=DATA / "strict-shapes.ttl")
    assert not result.report.conforms and result.written == ()
    assert snapshot(tmp_path / "out") == before
