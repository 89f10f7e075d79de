"""`wcokg update` and the edit log: an edit is checked against the published graph, shown as a diff, and only
with --apply appended to the log and published; every build replays the log; the evidence of edited facts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from wcokg import layout
from wcokg.cli import cli
from wcokg.edit.apply import apply_update, load_published
from wcokg.errors import QueryError
from wcokg.extraction.claims import claims_path
from wcokg.extraction.graph import annotation_iris
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.sparql.query import catalog, load_output, run_query

from .conftest import DATA, OVERVIEW

PATCHES = DATA / "patches"
WCO = Iris()
RETRACTED = (WCO.id("goal-4"), WCOKG.involvesStakeholder, WCO.id("international-organizations"))
AUTHOR = ["--author", "Ada Lovelace", "--reason", "A test of the edit log.", "--date", "2026-11-30"]


def snapshot(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def run(runner, project, *args):
    """`wcokg ARGS` on the private project (its source, log, output and shapes)."""
    paths = ["--edits", str(project / "edits")]
    if args[0] == "update":
        paths += ["--out", str(project / "output")]
        paths += [
            "--source",
            str(project / "sources" / OVERVIEW.name),
            "--shapes",
            str(project / "shapes" / layout.SHAPES.name),
        ]
    return runner.invoke(cli, [*args, *paths])


def write_patch(tmp_path, text, name="patch.ru"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("mark", ["", "\ufeff"], ids=["plain", "byte-order mark"])
def test_a_dry_run_shows_the_diff_in_prefixed_names_and_writes_nothing(runner, project, tmp_path, mark) -> None:
    before = snapshot(project / "output")
    patch = write_patch(
        tmp_path, mark + (PATCHES / "retract-a-link.ru").read_text(encoding="utf-8"), "retract-a-link.ru"
    )
    result = run(runner, project, "update", str(patch))
    assert result.exit_code == 0, result.output
    assert "diff data      +0 -1" in result.stdout
    assert "  - wco:goal-4 wcokg:involvesStakeholder wco:international-organizations ." in result.stdout
    # its annotation, statement and quote go with it (8 + 11 triples), the edit is recorded (9 triples)
    assert "diff evidence  +9 -19" in result.stdout
    assert "run again with --apply to publish it as 0001-retract-a-link.ru" in result.stderr
    assert snapshot(project / "output") == before and not (project / "edits").exists()


def test_applying_an_edit_logs_it_with_its_provenance_and_a_rebuild_reproduces_it(
    runner, project, tmp_path_factory
) -> None:
    result = run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply")
    assert result.exit_code == 0, result.output
    entry = project / "edits" / "0001-retract-a-link.ru"
    assert entry.read_text(encoding="utf-8").splitlines()[:3] == [
        "# author: Ada Lovelace",
        "# date: 2026-11-30",
        '# reason: Goal 4 names international organizations only in passing ("work with other international '
        'organizations"); too weak for a stakeholder link.',
    ]
    published = load_published(project / "output")
    assert RETRACTED not in published.data
    annotation, statement = annotation_iris(WCO, RETRACTED, WCO.source(OVERVIEW.stem))
    assert (annotation, None, None) not in published.evidence and (statement, None, None) not in published.evidence
    edit = WCO.id("edit-0001-retract-a-link")
    assert (edit, RDF.type, WCOKG.Edit) in published.evidence
    assert (edit, DCTERMS.date, Literal("2026-11-30", datatype=XSD.date)) in published.evidence
    assert published.evidence.value(published.evidence.value(edit, PROV.wasAssociatedWith), RDFS.label) == Literal(
        "Ada Lovelace"
    )
    manifest = json.loads((project / "output" / "manifest.json").read_text())
    assert [e["name"] for e in manifest["edits"]] == ["0001-retract-a-link.ru"]
    # a fresh clone of the project (source, log, ontology, shapes; no output) builds the same bytes
    clone = tmp_path_factory.mktemp("clone")
    for name in ("sources", "edits", "ontology", "shapes"):
        shutil.copytree(project / name, clone / name)
    build = [sys.executable, "-m", "wcokg", "build", "--source", str(clone / "sources" / OVERVIEW.name)]
    build += ["--edits", str(clone / "edits"), "--out", str(clone / "output")]
    build += ["--shapes", str(clone / "shapes" / layout.SHAPES.name)]
    done = subprocess.run(build, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert snapshot(clone / "output") == snapshot(project / "output")
    # `wcokg edits` lists it, and the catalog says who changed what
    listed = run(runner, project, "edits")
    assert "0001-retract-a-link  2026-11-30  Ada Lovelace" in listed.stdout and "1 edit in" in listed.stderr
    rows = json.loads(run_query(load_output(project / "output"), catalog()["edits"]).payload)["results"]["bindings"]
    assert [(r["edit"]["value"], r["author"]["value"]) for r in rows] == [("0001-retract-a-link.ru", "Ada Lovelace")]


def test_an_edit_that_no_longer_applies_is_refused_with_its_line(runner, project) -> None:
    assert run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply").exit_code == 0
    before = snapshot(project / "output")
    again = run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply")
    assert again.exit_code == 2
    assert again.stderr == (
        f"wcokg: error: {PATCHES / 'retract-a-link.ru'}:4: does not apply: "
        "wco:goal-4 wcokg:involvesStakeholder wco:international-organizations is not in the graph; "
        "the only wcokg:involvesStakeholder of wco:goal-4 in the graph is wco:members\n"
    )
    assert snapshot(project / "output") == before and len(list((project / "edits").iterdir())) == 1


def test_a_violating_edit_changes_no_file_and_logs_nothing(runner, project) -> None:
    before = snapshot(project / "output")
    result = run(runner, project, "update", str(PATCHES / "drop-a-title.ru"), "--apply", *AUTHOR)
    assert result.exit_code == 1
    assert "wco:goal-4\n  Violation  skos:prefLabel" in result.stdout
    assert "nothing written" in result.stderr
    assert snapshot(project / "output") == before and not (project / "edits").exists()


def test_an_edit_needs_an_author_and_a_reason_to_be_applied(runner, project, tmp_path) -> None:
    patch = write_patch(
        tmp_path, "DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }"
    )
    result = run(runner, project, "update", str(patch), "--apply", "--reason", "why not")
    assert result.exit_code == 2 and "needs its author" in result.stderr
    assert not (project / "edits").exists()


def test_a_fact_an_edit_adds_needs_evidence(runner, project, tmp_path) -> None:
    patch = write_patch(tmp_path, 'INSERT DATA { wco:goal-4 skos:altLabel "Facilitation"@en }')
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR)
    assert result.exit_code == 2 and "this edit adds facts, so it needs evidence" in result.stderr


def test_an_added_fact_quotes_the_source_where_it_stands(runner, project, tmp_path, source_text) -> None:
    patch = write_patch(
        tmp_path,
        "# quote: The WCO promotes the Revised Kyoto Convention\n"
        'INSERT DATA { wco:revised-kyoto-convention skos:altLabel "RKC"@en }\n',
    )
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR)
    assert result.exit_code == 0, result.output
    published = load_published(project / "output")
    fact = (
        WCO.id("revised-kyoto-convention"),
        URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
        Literal("RKC", lang="en"),
    )
    annotation, _ = annotation_iris(WCO, fact, WCO.source(OVERVIEW.stem))
    assert (annotation, PROV.wasGeneratedBy, WCO.id("edit-0001-patch")) in published.evidence
    target = published.evidence.value(annotation, OA.hasTarget)
    start = source_text.index("The WCO promotes the Revised Kyoto Convention")
    assert target == WCO.id(f"quote-{OVERVIEW.stem}-{start}-{start + 45}")
    rows = json.loads(run_query(load_output(project / "output"), catalog()["edited-facts"]).payload)["results"][
        "bindings"
    ]
    assert [(r["object"]["value"], r["evidence"]["value"], r["reason"]["value"]) for r in rows] == [
        ("RKC", "The WCO promotes the Revised Kyoto Convention", "A test of the edit log.")
    ]


@pytest.mark.parametrize(
    "header, message",
    [
        (
            "# quote: The WCO promotes the Trieste Convention\n",
            ":1: the quote 'The WCO promotes the Trieste Convention' is not in",
        ),
        ("# quote: The WCO\n", ":1: the quote occurs"),
        ("# quote: WhatsApp him\n", ":1: the quote 'WhatsApp him' is not in the accepted text"),
        ("# cites: https://example.org/x\n", ":1: cites 'https://example.org/x' must be"),
    ],
    ids=["not in the source", "ambiguous", "quarantined", "citation without <>"],
)
def test_evidence_that_is_not_in_the_source_is_refused(runner, project, tmp_path, header, message) -> None:
    patch = write_patch(tmp_path, header + 'INSERT DATA { wco:revised-kyoto-convention skos:altLabel "RKC"@en }\n')
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR)
    assert result.exit_code == 2 and f"{patch}{message}" in result.stderr, result.stderr


def test_an_added_fact_may_cite_another_document_and_the_shapes_accept_it(runner, project, tmp_path) -> None:
    patch = write_patch(
        tmp_path,
        "# cites: <https://www.wcoomd.org/en/about-us/wco-members.aspx> WCO Members\n"
        'INSERT DATA { wco:revised-kyoto-convention skos:altLabel "RKC"@en }\n',
        "cite.ru",
    )
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR)
    assert result.exit_code == 0, result.output
    rows = json.loads(run_query(load_output(project / "output"), catalog()["edited-facts"]).payload)["results"][
        "bindings"
    ]
    assert [r["evidence"]["value"] for r in rows] == [
        "<https://www.wcoomd.org/en/about-us/wco-members.aspx> WCO Members"
    ]


def test_a_patch_cannot_write_the_evidence_graph(runner, project, tmp_path) -> None:
    patch = write_patch(tmp_path, "DELETE WHERE { GRAPH <https://w3id.org/wcokg/graph/evidence> { ?s oa:exact ?o } }")
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR)
    assert result.exit_code == 2 and "wcokg writes the evidence itself" in result.stderr


@pytest.mark.parametrize("changed", ["source", "claims"])
def test_an_edit_is_refused_onto_an_output_that_is_not_the_build_of_the_project(runner, project, changed) -> None:
    source = project / "sources" / OVERVIEW.name
    if changed == "source":  # a byte the claims do not quote: the claims still hold, the digest differs
        source.write_bytes(source.read_bytes() + b"\n")
    else:
        claims = claims_path(source)
        claims.write_bytes(claims.read_bytes().replace(b'reason = "rhetoric"', b'reason = "rhetoric, in passing"'))
    result = run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply")
    assert result.exit_code == 2 and "run `wcokg build` first" in result.stderr


def build_project(runner, project):
    return runner.invoke(
        cli,
        [
            "build",
            *("--source", str(project / "sources" / OVERVIEW.name)),
            *("--edits", str(project / "edits"), "--out", str(project / "output")),
        ],
    )


def test_a_logged_edit_that_conflicts_with_changed_claims_fails_the_build_with_its_name(runner, project) -> None:
    assert run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply").exit_code == 0
    before = snapshot(project / "output")
    claims = claims_path(project / "sources" / OVERVIEW.name)
    claim = "[[claim]]\nquote = \"international organizations\"\noccurrence = 2\nstates = '''\n"
    claim += "wco:goal-4 wcokg:involvesStakeholder wco:international-organizations .\n'''\n"
    text = claims.read_text(encoding="utf-8")
    assert claim in text  # the curator withdraws the claim the logged edit retracts
    claims.write_text(text.replace(claim, ""), encoding="utf-8")
    result = build_project(runner, project)
    assert result.exit_code == 2
    assert result.stderr.startswith("wcokg: error: edits/0001-retract-a-link.ru:4: no longer applies: ")
    assert snapshot(project / "output") == before


def test_a_logged_edit_that_no_longer_conforms_is_named(runner, project) -> None:
    (project / "edits").mkdir()
    shutil.copy(PATCHES / "drop-a-title.ru", project / "edits" / "0001-drop-a-title.ru")
    text = (project / "edits" / "0001-drop-a-title.ru").read_text(encoding="utf-8")
    (project / "edits" / "0001-drop-a-title.ru").write_text(
        "# author: A\n# date: 2026-11-30\n# reason: a test\n" + text, encoding="utf-8"
    )
    result = build_project(runner, project)
    assert result.exit_code == 1
    assert "the graph conforms before edits/0001-drop-a-title.ru but not after it" in result.stdout


@pytest.mark.parametrize(
    "files, message",
    [
        ({"0002-a.ru": "x"}, "the log's numbers must run 1, 2, 3"),
        ({"1-a.ru": "x"}, "not a log entry"),
        (
            {"0001-a.ru": "# author: A\n# date: 30/11/2026\n# reason: r\n"},
            "is not a date such as 2026-11-30",
        ),
        ({"0001-a.ru": "# author: A\n# author: B\n"}, ":2: the header gives 'author' twice"),
    ],
    ids=["gap", "bad name", "bad date", "repeated field"],
)
def test_a_malformed_log_is_refused_with_its_file(runner, project, files, message) -> None:
    (project / "edits").mkdir()
    for name, text in files.items():
        (project / "edits" / name).write_text(text, encoding="utf-8")
    result = run(runner, project, "edits")
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


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
        ("LOAD <file:///etc/passwd> INTO GRAPH <https://w3id.org/wcokg/graph/links>", "LOAD refused"),
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
            'update:2:13: syntax error at "{": it is never closed; add "}"',
        ),
        (
            'DELETE DATA { wco:goal-4 skos:altLabel "x" } ;\nINSERT DATA { wco:goal-4 foo:label "y" }',
            'update:2:26: syntax error at "foo:label": unknown prefix "foo:"; declare it with a line PREFIX foo: <…>',
        ),
        (
            "DELETE DATA {\n  wco:goal-4 skos:prefLabel ?title }",
            'update:2:29: syntax error at "?title": variables are not allowed in DELETE DATA',
        ),
        ('INSERT DATA { wco:goal-4 skos:prefLabel "Trade Facilitation"@en }', "is already in the graph"),
        ("DELETE WHERE { wco:goal-4 skos:altLabel ?label }", "changes nothing"),
        ("", "update: the update is empty: it has no operation"),
        ("# why\n", "update: the update is empty: it has no operation"),
        (
            "DELETE { _:a skos:altLabel ?o } WHERE { wco:goal-4 skos:altLabel ?o }",
            "update:1:10: blank nodes are not allowed in DELETE (SPARQL forbids them there)",
        ),
        ("DELETE WHERE {\n [] skos:altLabel ?o }", "update:2:2: blank nodes are not allowed in DELETE WHERE"),
        ('INSERT DATA { _:a·b skos:altLabel "x"@en }', "update:1:15: blank nodes are not allowed in INSERT DATA"),
        (
            "INSERT { wco:goal-4 dcterms:references ?doc } WHERE { BIND(bnode() AS ?doc) }",
            "update:1:60: blank nodes are not allowed in what an update inserts (wcokg publishes none: use an IRI)",
        ),
        ('INSERT DATA { wco:goal-4 skos:altLabel "x"@ar--rtl }', "update:1:1: syntax error"),
        ("INSERT DATA { GRAPH ?g { wco:goal-4 skos:altLabel 'x'@en } }", 'update:1:21: syntax error at "?g"'),
        ('INSERT DATA { "x" skos:prefLabel "y"@en }', "update:1:15: a literal cannot be the subject of a triple"),
        (
            "DELETE DATA { wco:goal-4 skos:altLabel 'x' } ;\n"
            "INSERT { wco:a skos:altLabel 'y' .\n  12 skos:altLabel 'z' } WHERE { wco:goal-4 ?p ?o }",
            "update:3:3: a literal cannot be the subject of a triple",
        ),
        (
            "INSERT { ?title skos:altLabel 'y'@en } WHERE { wco:goal-4 skos:prefLabel ?title }",
            'update: the update makes a literal ("Trade Facilitation"@en) the subject of a triple',
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
        "insert what is there",
        "no-op",
        "unknown prefix",
        "variable in DELETE DATA",
        "empty",
        "only a comment",
        "blank node in DELETE",
        "blank node in DELETE WHERE",
        "blank node in INSERT DATA",
        "blank node made by BNODE()",
        "directional language tag",
        "variable as the graph of INSERT DATA",
        "literal as subject of INSERT DATA",
        "literal as subject of a template",
        "variable bound to a literal as subject",
    ],
)
def test_refused_and_malformed_updates_exit_2_and_write_nothing(runner, project, tmp_path, text, message) -> None:
    before = snapshot(project / "output")
    patch = write_patch(tmp_path, text, "update")
    result = run(runner, project, "update", str(patch), "--apply", *AUTHOR, "--quote", "Trade Facilitation")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()  # one line; a syntax error's then shows the source line and a caret
    assert message.replace("update:", f"{patch}:") in lines[0], result.stderr
    assert len(lines) == 1 or len(lines) == 3 and lines[2].strip() == "^", result.stderr
    assert snapshot(project / "output") == before and not (project / "edits").exists()


def test_literals_in_an_update_are_judged_as_written(out_dir) -> None:
    edit = apply_update(
        load_published(out_dir),
        'DELETE DATA { wco:goal-9 wcokg:goalNumber "9"^^xsd:integer } ;'
        ' INSERT DATA { wco:goal-9 wcokg:goalNumber "09"^^xsd:integer }',
    )
    assert edit.added["data"] == (
        "<https://w3id.org/wcokg/id/goal-9> <https://w3id.org/wcokg/ontology#goalNumber> "
        '"09"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    )


def test_an_update_that_fails_half_way_leaves_nothing_behind(out_dir) -> None:
    before = load_published(out_dir)
    size = len(before.data)
    with pytest.raises(QueryError):
        apply_update(before, "DELETE DATA { wco:goal-9 wcokg:goalNumber 9 } ; LOAD <http://example.org/x>")
    assert len(before.data) == size


def test_evidence_copied_into_the_data_graph_does_not_conform(runner, project, tmp_path) -> None:
    """Evidence triples written as facts (quoted, so that each has its own annotation) are not facts."""
    patch = write_patch(tmp_path, "INSERT DATA { wco:quote-wco-overview-2013-06-24-76-102 a oa:SpecificResource }")
    result = run(runner, project, "update", str(patch), *AUTHOR, "--quote", "The WCO promotes the Revised Kyoto")
    assert result.exit_code == 1, result.output
    assert "rule wcosh:EvidenceShape-factsOnly" in result.stdout


def test_an_update_past_its_time_limit_is_one_line_and_writes_nothing(runner, project, tmp_path) -> None:
    before = snapshot(project / "output")
    result = run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply", "--timeout", "0.1")
    assert result.exit_code == 2
    message = "update stopped after 0.1 s (raise --timeout to allow more); nothing written"
    assert result.stderr == f"wcokg: error: {message}\n"
    assert snapshot(project / "output") == before and not (project / "edits").exists()


def test_a_slow_where_is_stopped_by_the_time_limit_and_frees_the_lock(runner, project, tmp_path) -> None:
    """10^9 rows of VALUES blocks, none kept: no part of reading or running the update escapes --timeout (pyoxigraph,
    which checks the syntax, never runs it), and the next writer takes the lock at once."""
    numbers = " ".join(map(str, range(1, 1001)))
    values = "".join(f"  VALUES ?{v} {{ {numbers} }}\n" for v in "abc")
    text = f"INSERT {{ wco:goal-1 wcokg:goalNumber ?a }} WHERE {{\n{values}  FILTER(?a+?b+?c<0)\n}}\n"
    patch = write_patch(tmp_path, text, "slow.ru")
    paths = ["--out", str(project / "output"), "--edits", str(project / "edits")]
    paths += ["--source", str(project / "sources" / OVERVIEW.name)]
    command = [sys.executable, "-m", "wcokg", "update", str(patch), "--apply", *AUTHOR, "--timeout", "2", *paths]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "wcokg: error: update stopped after 2 s (raise --timeout to allow more); nothing written\n"
    result = run(runner, project, "update", str(PATCHES / "retract-a-link.ru"), "--apply", *AUTHOR, "--wait", "0")
    assert result.exit_code == 0, result.output


def test_an_update_past_its_memory_limit_is_one_line() -> None:
    """The address-space limit of `wcokg update` (resource.setrlimit), here 300 MiB against a 1 GB allocation."""
    script = (
        "from wcokg.limits import budget\n"
        "from wcokg.errors import BudgetExceeded\n"
        "try:\n"
        "    with budget('update', 60, memory=300 * 2**20):\n"
        "        bytearray(10**9)\n"
        "except BudgetExceeded as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "update ran out of memory (its limit is 300 MiB); nothing written\n"
