"""`wcokg diff`: two real releases compared graph by graph, summarised for readers, and as an RDF Patch."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pyoxigraph
import pytest
from click.testing import CliRunner

from wcokg.cli import cli
from wcokg.errors import RdfFileError
from wcokg.namespaces import PREFIXES
from wcokg.publish.diff import diff_datasets, labels, rdf_patch, read_quads, summary

from .conftest import DATA

BASE = "https://w3id.org/wcokg/"
WCO, WCOKG, RDF, OA = BASE + "id/", PREFIXES["wcokg"], PREFIXES["rdf"], PREFIXES["oa"]


def iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)


def quad(s: str, p: str, o, graph: str) -> pyoxigraph.Quad:
    obj = o if isinstance(o, pyoxigraph.Literal) else iri(o)
    return pyoxigraph.Quad(iri(s), iri(p), obj, iri(BASE + "graph/" + graph))


@pytest.fixture(scope="module")
def releases(out_dir, tmp_path_factory):
    """OLD: the published files; RETRACTED: a copy with tests/data/patches/retract-a-link.ru applied by
    `wcokg update --apply`; OTHER: tests/data/other-overview.txt built by `wcokg build`."""
    root = tmp_path_factory.mktemp("releases")
    runner = CliRunner()
    shutil.copytree(out_dir, root / "old")
    shutil.copytree(out_dir, root / "retracted")
    patch = DATA / "patches" / "retract-a-link.ru"
    edits = ["--edits", str(root / "edits")]
    applied = runner.invoke(cli, ["update", str(patch), "--apply", "--out", str(root / "retracted"), *edits])
    assert applied.exit_code == 0, applied.output
    other = ["--source", str(DATA / "other-overview.txt"), "--out", str(root / "other"), "--edits", str(root / "none")]
    built = runner.invoke(cli, ["build", *other])
    assert built.exit_code == 0, built.output
    return root


def integer(value: int) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(str(value), datatype=iri(PREFIXES["xsd"] + "integer"))


def test_a_retracted_link_is_one_fact_and_its_evidence(releases, source_text) -> None:
    old, new = read_quads(releases / "old"), read_quads(releases / "retracted")
    diff = {g.graph.removeprefix(BASE + "graph/"): g for g in diff_datasets(old, new).graphs}
    assert list(diff) == ["data", "evidence", "links", "ontology", "void"]
    assert not any(g.added for name, g in diff.items() if name not in ("evidence", "void"))
    fact = (WCO + "goal-4", WCOKG + "involvesStakeholder", WCO + "international-organizations")
    assert diff["data"].removed == (quad(*fact, "data"),)
    # the patch deletes the annotation and the statement whose rdf:subject/predicate/object are the fact
    statement = next(
        q.subject
        for q in old
        if q.predicate.value == RDF + "subject" and q.object.value == fact[0]
        if quad(q.subject.value, RDF + "predicate", fact[1], "evidence") in old
        if quad(q.subject.value, RDF + "object", fact[2], "evidence") in old
    ).value
    annotation = next(q.subject for q in old if q.predicate.value == OA + "hasBody" and q.object.value == statement)
    start = source_text.index("international organizations", source_text.index("Goal 4 - Trade Facilitation"))
    target = f"{WCO}quote-wco-overview-2013-06-24-{start}-{start + len('international organizations')}"
    # the edit is recorded; the fact's annotation, statement and quote (used by no other fact) go
    edit, editor = WCO + "edit-0001-retract-a-link", WCO + "editor-ada-lovelace"
    assert {q.subject.value for q in diff["evidence"].added} == {edit, editor}
    removed = {q.subject.value for q in diff["evidence"].removed}
    assert removed == {annotation.value, statement, target, target + "-text", target + "-position"}
    assert set(diff["evidence"].removed) >= {
        quad(annotation.value, RDF + "type", OA + "Annotation", "evidence"),
        quad(annotation.value, OA + "motivatedBy", OA + "describing", "evidence"),
        quad(annotation.value, OA + "hasBody", statement, "evidence"),
        quad(annotation.value, OA + "hasTarget", target, "evidence"),
        quad(statement, RDF + "type", RDF + "Statement", "evidence"),
        quad(statement, RDF + "subject", fact[0], "evidence"),
        quad(statement, RDF + "predicate", fact[1], "evidence"),
        quad(statement, RDF + "object", fact[2], "evidence"),
    }
    # the dataset description follows: the data graph's triple count goes down by one
    data = BASE + "graph/data"
    count = sum(q.graph_name == iri(data) for q in old)
    described = [q for q in (*diff["void"].removed, *diff["void"].added) if q.subject.value == data]
    triples = PREFIXES["void"] + "triples"
    assert described == [quad(data, triples, integer(count), "void"), quad(data, triples, integer(count - 1), "void")]


def test_the_summary_lists_facts_and_summarises_evidence(runner, releases) -> None:
    result = runner.invoke(cli, ["diff", str(releases / "old"), str(releases / "retracted")])
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert text.startswith("data      +0 -1\nevidence  +9 -19\nlinks     +0 -0\nontology  +0 -0\n")
    assert (
        "== data  +0 -1\n"
        'wco:goal-4  "Trade Facilitation"\n'
        "  - wcokg:involvesStakeholder wco:international-organizations\n"
    ) in text
    evidence = text.split("== evidence  +9 -19\n", 1)[1].split("\n\n", 1)[0].splitlines()
    # the edit and its editor are new; the annotation, statement, quote and its two selectors are gone
    assert evidence[0] == "7 resources changed"
    counts = {line.split()[0]: line.split()[1:] for line in evidence[1:]}
    assert counts["oa:hasBody"] == ["+0", "-1"] and counts["oa:hasSelector"] == ["+0", "-2"]
    assert counts["rdf:type"] == ["+3", "-5"] and counts["prov:wasAssociatedWith"] == ["+1", "-0"]


def test_a_changed_title_is_shown_as_changed_with_its_label(releases) -> None:
    # other-overview.txt: "Goal 1 – Trade Facilitation", where the WCO's own reads
    # "Goal 1 - International Co-operation and Information Sharing"; its Goal 9 is
    # "Good Governance and Accountability", the WCO's "Good Governance and Use of Resources".
    old, new = read_quads(releases / "old"), read_quads(releases / "other")
    text = summary(diff_datasets(old, new), labels(new, old))
    goal_1 = text.split('\nwco:goal-1  "Trade Facilitation"\n', 1)[1].split("\nwco:", 1)[0].splitlines()
    old_title = '"International Co-operation and Information Sharing"@en'
    assert f'  ~ skos:prefLabel: {old_title} -> "Trade Facilitation"@en' in goal_1
    goal_9 = text.split('\nwco:goal-9  "Good Governance and Accountability"\n', 1)[1].split("\nwco:", 1)[0]
    old_title = '"Good Governance and Use of Resources"@en'
    assert f'  ~ skos:prefLabel: {old_title} -> "Good Governance and Accountability"@en' in goal_9.splitlines()
    assert not any("wcokg:goalNumber" in line for line in goal_9.splitlines()), "goal 9 keeps its number"


def test_identical_releases_and_syntaxes_have_no_differences(runner, releases) -> None:
    old = releases / "old"
    result = runner.invoke(cli, ["diff", str(old), str(old)])
    assert (result.exit_code, result.stdout) == (0, "no differences\n")
    patch = runner.invoke(cli, ["diff", str(old / "wcokg.trig"), str(old / "wcokg.nq"), "--format", "patch"])
    assert patch.exit_code == 0 and patch.stdout.splitlines()[1:] == ["TX .", "TC ."]
    assert read_quads(old / "wcokg.ttl") == read_quads(old / "wcokg.nt") == read_quads(old / "wcokg.jsonld")


@pytest.mark.parametrize("new", ["retracted", "other"])
def test_the_patch_applied_to_old_gives_new(releases, new) -> None:
    old, target = read_quads(releases / "old"), read_quads(releases / new)
    text = rdf_patch(diff_datasets(old, target), prev="urn:sha256:" + "0" * 64)
    lines = text.splitlines()
    assert lines[0] == f"H id <urn:sha256:{hashlib.sha256(text.split(chr(10), 1)[1].encode()).hexdigest()}> ."
    assert lines[1:3] == [f"H prev <urn:sha256:{'0' * 64}> .", "TX ."] and lines[-1] == "TC ."
    changes = lines[3:-1]
    codes = [line[0] for line in changes]
    assert codes == sorted(codes, key="DA".index)
    assert changes == sorted(changes, key=lambda line: ("DA".index(line[0]), line))
    result = set(old)
    for line in changes:
        code, nquad = line.split(" ", 1)
        (parsed,) = pyoxigraph.parse(nquad.encode(), format=pyoxigraph.RdfFormat.N_QUADS)
        assert (parsed in result) == (code == "D")
        (result.remove if code == "D" else result.add)(parsed)
    assert result == target


def test_output_is_the_same_bytes_in_every_process(releases, tmp_path) -> None:
    outputs = []
    for seed in ("1", "2"):
        for fmt in ("text", "patch"):
            out = tmp_path / f"{seed}.{fmt}"
            command = [sys.executable, "-m", "wcokg", "diff", str(releases / "old"), str(releases / "other")]
            done = subprocess.run(
                [*command, "--format", fmt, "--out", str(out)],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
            )
            assert done.returncode == 1 and done.stdout == b"", done.stderr
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_blank_nodes_and_unreadable_input_exit_2(runner, releases, tmp_path) -> None:
    blank = tmp_path / "blank.nt"
    blank.write_text("_:b0 <http://example.org/p> <http://example.org/o> .\n", encoding="utf-8")
    with pytest.raises(RdfFileError, match="blank node"):
        read_quads(blank)
    result = runner.invoke(cli, ["diff", str(releases / "old" / "wcokg.nt"), str(blank)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"wcokg: error: {blank}: blank node in _:b0 <http://example.org/p> ")
    missing = runner.invoke(cli, ["diff", str(tmp_path / "none"), str(blank)])
    assert missing.exit_code == 2
    assert missing.stderr == f"wcokg: error: {tmp_path / 'none'}: no such file or directory\n"
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    malformed = runner.invoke(cli, ["diff", str(bad), str(blank)])
    assert malformed.exit_code == 2 and malformed.stderr.startswith(f"wcokg: error: {bad}:1:")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(cli, ["diff", str(empty), str(releases / "old")]).exit_code == 2
