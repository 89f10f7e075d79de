"""`wcokg update`: an edit is applied to a copy, validated, shown as a diff, and published all-or-nothing."""

from __future__ import annotations

import shutil

import pytest
from rdflib.compare import isomorphic

from wcokg.cli import cli
from wcokg.edit import apply_update, load_published
from wcokg.errors import QueryError

from .conftest import DATA

PATCHES = DATA / "patches"
RETRACTED = (
    "<https://w3id.org/wcokg/id/goal-4> <https://w3id.org/wcokg/ontology#involvesStakeholder> "
    "<https://w3id.org/wcokg/id/international-organizations> ."
)


def snapshot(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.fixture()
def published(out_dir, tmp_path):
    """A private copy of freshly built published files."""
    target = tmp_path / "output"
    shutil.copytree(out_dir, target)
    return target


def test_a_dry_run_shows_the_diff_and_writes_nothing(runner, published) -> None:
    before = snapshot(published)
    result = runner.invoke(cli, ["update", str(PATCHES / "retract-a-link.ru"), "--out", str(published)])
    assert result.exit_code == 0, result.output
    assert "diff data      +0 -1" in result.stdout and "diff evidence  +0 -8" in result.stdout
    assert f"  - {RETRACTED}" in result.stdout
    assert "run again with --apply" in result.stderr
    assert snapshot(published) == before


def test_a_violating_patch_changes_no_file(runner, published) -> None:
    before = snapshot(published)
    result = runner.invoke(cli, ["update", str(PATCHES / "drop-a-title.ru"), "--apply", "--out", str(published)])
    assert result.exit_code == 1
    assert "wco:goal-4\n  Violation  skos:prefLabel" in result.stdout
    assert "nothing written" in result.stderr
    assert snapshot(published) == before


def test_a_good_patch_rewrites_the_graph_files_together(runner, out_dir, published) -> None:
    before = snapshot(published)
    result = runner.invoke(cli, ["update", str(PATCHES / "retract-a-link.ru"), "--apply", "--out", str(published)])
    assert result.exit_code == 0, result.output
    after = snapshot(published)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"wcokg.ttl", "wcokg.nt", "wcokg.nq", "wcokg.trig", "wcokg.jsonld", "void.ttl"}
    assert RETRACTED in before["wcokg.nt"].decode() and RETRACTED not in after["wcokg.nt"].decode()
    edited, original = load_published(published), load_published(out_dir)
    assert len(edited.data) == len(original.data) - 1
    assert len(edited.evidence) == len(original.evidence) - 8
    # applying the same patch again changes nothing more: the facts are gone
    again = runner.invoke(cli, ["update", str(PATCHES / "retract-a-link.ru"), "--apply", "--out", str(published)])
    assert again.exit_code == 0 and "diff data      +0 -0" in again.stdout


def test_the_published_graphs_are_never_changed_by_an_update(out_dir) -> None:
    before = load_published(out_dir)
    copy = {name: graph + graph.__class__() for name, graph in before.named().items()}
    edit = apply_update(before, (PATCHES / "retract-a-link.ru").read_text(encoding="utf-8"))
    assert edit.changed
    for name, graph in before.named().items():
        assert isomorphic(graph, copy[name]), name


@pytest.mark.parametrize(
    "text, message",
    [
        ("LOAD <http://example.org/data.ttl>", "LOAD refused"),
        ("LOAD <file:///etc/passwd> INTO GRAPH <https://w3id.org/wcokg/graph/evidence>", "LOAD refused"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE refused"),
        ("INSERT { ?s ?p ?o } WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE refused"),
        ("INSERT DATA { GRAPH <http://example.org/g> { wco:a wco:b wco:c } }", "graph <http://example.org/g> refused"),
        ("DROP ALL", "ALL refused"),
        (
            "CLEAR GRAPH <https://w3id.org/wcokg/graph/ontology>",
            "graph <https://w3id.org/wcokg/graph/ontology> refused",
        ),
        ("DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }", "graph <http://example.org/g> refused"),
        ('INSERT DATA { wco:goal-4 skos:altLabel "x"@en-abcdefghijk }', "no strict RDF parser accepts"),
        (
            "DELETE DATA { wco:goal-4 skos:altLabel 'x'@en } ;\nINSERT DATA { wco:goal-4 skos:altLabel ",
            "update:2:39: syntax error: the update ends before its last operation is complete",
        ),
        (
            'DELETE DATA { wco:goal-4 skos:altLabel "x" } ;\nINSERT DATA { wco:goal-4 foo:label "y" }',
            'update:2:26: unknown prefix "foo:"',
        ),
        (
            "DELETE DATA {\n  wco:goal-4 skos:prefLabel ?title }",
            'update:2:29: syntax error at "?title": variables and blank nodes are not allowed in DELETE DATA',
        ),
    ],
    ids=[
        "load http",
        "load file",
        "service",
        "escaped service",
        "other graph",
        "drop all",
        "clear ontology",
        "using",
        "bad language tag",
        "unfinished",
        "unknown prefix",
        "variable in DELETE DATA",
    ],
)
def test_refused_and_malformed_updates_exit_2_and_write_nothing(runner, published, tmp_path, text, message) -> None:
    before = snapshot(published)
    patch = tmp_path / "update"
    patch.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["update", str(patch), "--apply", "--out", str(published)])
    assert result.exit_code == 2
    assert message.replace("update:", f"{patch}:") in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert snapshot(published) == before


def test_literals_in_an_update_are_judged_as_written(out_dir) -> None:
    edit = apply_update(
        load_published(out_dir),
        'DELETE DATA { wco:goal-9 wcokg:goalNumber "9"^^xsd:positiveInteger } ;'
        ' INSERT DATA { wco:goal-9 wcokg:goalNumber "09"^^xsd:positiveInteger }',
    )
    assert edit.added["data"] == (
        "<https://w3id.org/wcokg/id/goal-9> <https://w3id.org/wcokg/ontology#goalNumber> "
        '"09"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> .',
    )


def test_an_update_that_fails_half_way_leaves_nothing_behind(out_dir) -> None:
    before = load_published(out_dir)
    size = len(before.data)
    with pytest.raises(QueryError):
        apply_update(before, "DELETE DATA { wco:goal-9 wcokg:goalNumber 9 } ; LOAD <http://example.org/x>")
    assert len(before.data) == size
