"""Evidence guarded: every quote is checked against the source file its document's sha256 names, in edited
files (`wcokg validate`) and in patches (`wcokg update`); each kind of tampering is one violation."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from wcokg import layout
from wcokg.check.incremental import INCREMENTAL_FROM, validate_edit
from wcokg.check.quotes import RULES, check_quotes
from wcokg.cli import cli
from wcokg.edit.apply import apply_update, load_published
from wcokg.namespaces import PREFIXES
from wcokg.rdfio import load_turtle

from .conftest import OVERVIEW

EVIDENCE = "PREFIX ev: <https://w3id.org/wcokg/graph/evidence>\n"


def edited(out_dir, tmp_path, old: str, new: str):
    text = (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "edited.ttl"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[: text.index(old)].count("\n")


def results(runner, path, *options):
    result = runner.invoke(cli, ["validate", str(path), "--format", "json", *options])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["results"]


def test_the_source_says_what_the_fixtures_assume(source_text) -> None:
    assert source_text[110:129] == "established in 1952"
    assert source_text[108:140] == ", established in 1952 as the Cus"


def test_the_published_quotes_all_match_the_source(out_dir) -> None:
    assert check_quotes(Graph().parse(out_dir / "wcokg.nt"), OVERVIEW.parent) == ()


def test_a_changed_quote(runner, out_dir, tmp_path) -> None:
    path, line = edited(out_dir, tmp_path, 'oa:exact "established in 1952"', 'oa:exact "established in 1953"')
    (result,) = results(runner, path)
    assert result["focus"] == "wco:quote-wco-overview-2013-06-24-110-129-text" and result["line"] == f"{path}:{line}"
    assert result["path"] == "oa:exact" and result["value"] == '"established in 1953"'
    assert result["constraint"] == "wcosh:QuoteMatchesSource" and result["severity"] == "Violation"
    assert (
        result["message"] == 'the source has "established in 1952" at 110-129 but the quote says "established in 1953"'
    )


def test_a_moved_offset(runner, out_dir, tmp_path) -> None:
    old = "oa:end 129 ;\n    oa:start 110 ."
    assert old in (out_dir / "wcokg.ttl").read_text(encoding="utf-8")
    path, _ = edited(out_dir, tmp_path, old, old.replace("129", "130").replace("110", "111"))
    (result,) = results(runner, path)
    assert (result["focus"], result["path"], result["constraint"]) == (
        "wco:quote-wco-overview-2013-06-24-110-129-position",
        "oa:start",
        "wcosh:PositionMatchesQuote",
    )
    assert result["message"] == (
        'the source has "stablished in 1952 " at 111-130 but the quote says "established in 1952", '
        "which the source has at 110-129"
    )


def test_a_changed_suffix(runner, out_dir, tmp_path) -> None:
    path, _ = edited(out_dir, tmp_path, '", established in 1952 as the Cus"', '", established in 1953 as the Cus"')
    (result,) = results(runner, path)
    assert (result["focus"], result["path"], result["constraint"]) == (
        "wco:quote-wco-overview-2013-06-24-76-108-text",
        "oa:suffix",
        "wcosh:SuffixMatchesSource",
    )
    assert result["message"] == (
        'the source has ", established in 1952 as the Cus" after 108 '
        'but the suffix says ", established in 1953 as the Cus"'
    )


def test_a_changed_prefix(runner, out_dir, tmp_path) -> None:
    path, _ = edited(
        out_dir,
        tmp_path,
        'oa:exact "World Customs Organization" ;\n    oa:prefix """Customs Organization (WCO)\n\nThe """',
        'oa:exact "World Customs Organization" ;\n    oa:prefix """Customs Organization (WCO)\n\nthe """',
    )
    (result,) = results(runner, path)
    assert (result["focus"], result["path"], result["constraint"]) == (
        "wco:quote-wco-overview-2013-06-24-76-102-text",
        "oa:prefix",
        "wcosh:PrefixMatchesSource",
    )
    assert result["message"] == (
        'the source has "Customs Organization (WCO)\\n\\nThe " before 76 '
        'but the prefix says "Customs Organization (WCO)\\n\\nthe "'
    )


def test_an_unknown_source(runner, out_dir, tmp_path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "other.txt").write_text("not the overview", encoding="utf-8")
    (result,) = results(runner, out_dir / "wcokg.ttl", "--sources", str(tmp_path / "sources"))
    assert result["focus"] == "<https://w3id.org/wcokg/source/wco-overview-2013-06-24>"
    assert result["path"] == "wcokg:sha256" and result["constraint"] == "wcosh:SourceKnown"
    assert result["message"].startswith(f"no file in {tmp_path / 'sources'} has the sha256 109a65fb")


def test_a_missing_sources_folder_is_bad_input(runner, out_dir, tmp_path) -> None:
    result = runner.invoke(cli, ["validate", str(out_dir / "wcokg.ttl"), "--sources", str(tmp_path / "none")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "no such folder of sources" in result.stderr


@pytest.mark.parametrize(
    "update, rule",
    [
        (
            "DELETE DATA { GRAPH ev: { wco:quote-wco-overview-2013-06-24-110-129-text "
            'oa:exact "established in 1952" } } ;'
            "INSERT DATA { GRAPH ev: { wco:quote-wco-overview-2013-06-24-110-129-text "
            'oa:exact "established in 1953" } }',
            "wcosh:QuoteMatchesSource",
        ),
        (
            "DELETE { GRAPH ev: { wco:quote-wco-overview-2013-06-24-110-129-position oa:start ?s } }"
            " INSERT { GRAPH ev: { wco:quote-wco-overview-2013-06-24-110-129-position oa:start '100'^^xsd:integer } }"
            " WHERE { GRAPH ev: { wco:quote-wco-overview-2013-06-24-110-129-position oa:start ?s } }",
            "wcosh:PositionMatchesQuote",
        ),
        (
            "DELETE { GRAPH ev: { ?d wcokg:sha256 ?h } } INSERT { GRAPH ev: { ?d wcokg:sha256 ?other } }"
            " WHERE { GRAPH ev: { ?d wcokg:sha256 ?h } BIND(SHA256(?h) AS ?other) }",
            "wcosh:SourceKnown",
        ),
    ],
    ids=["changed quote", "moved start", "other hash"],
)
@pytest.mark.parametrize("incremental_from", [INCREMENTAL_FROM, 0], ids=["in full", "incrementally"])
def test_a_patch_that_tampers_with_evidence_does_not_conform(out_dir, update, rule, incremental_from) -> None:
    # as an edited file would (patches of the log may not write the evidence graph: tests/test_update.py);
    # incrementally, only the quotes near the edit are checked: the changed one must be among them
    edit = apply_update(load_published(out_dir), EVIDENCE + update, graphs=("evidence", "links"))
    report = validate_edit(edit, load_turtle(layout.SHAPES)[1], incremental_from)
    assert not report.conforms
    assert {r.constraint for r in report.results} == {rule}


def test_every_rule_is_documented_in_the_shapes() -> None:
    shapes = load_turtle(layout.SHAPES)[1]
    for rule in RULES:
        assert len(list(shapes.objects(shapes.namespace_manager.expand_curie(f"wcosh:{rule}"), None))) >= 2, rule
    assert PREFIXES["wcosh"] in str(shapes.namespace_manager.expand_curie("wcosh:QuoteMatchesSource"))


def test_quote_results_are_in_the_turtle_report(runner, out_dir, tmp_path) -> None:
    path, _ = edited(out_dir, tmp_path, 'oa:exact "established in 1952"', 'oa:exact "established in 1953"')
    result = runner.invoke(cli, ["validate", str(path), "--format", "turtle"])
    report = Graph().parse(data=result.stdout, format="turtle")
    rows = list(
        report.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?focus ?conforms WHERE {"
            " ?r sh:conforms ?conforms ; sh:result [ sh:focusNode ?focus ;"
            " sh:sourceShape <https://w3id.org/wcokg/shapes#QuoteMatchesSource> ] }"
        )
    )
    assert [(str(f), c.toPython()) for f, c in rows] == [
        ("https://w3id.org/wcokg/id/quote-wco-overview-2013-06-24-110-129-text", False)
    ]
