"""A DELETE DATA that misses: the one-line error says what the graph has instead (another language tag or
datatype, other white space or case, the closest IRI), that the subject lacks the predicate, or the closest
subject; "does not apply" for a new edit, "no longer applies" for an edit of the log."""

from __future__ import annotations

import pytest

from wcokg.cli import cli

from .conftest import OVERVIEW

MISSES = {
    "language tag": (
        'wco:goal-4 skos:prefLabel "Trade Facilitation"',
        'the graph has "Trade Facilitation"@en: the same text with the language tag @en',
    ),
    "no language tag": (
        'wco:goal-9 wcokg:goalNumber "9"@en',
        'the graph has "9"^^xsd:integer: the same text with the datatype xsd:integer',
    ),
    "datatype": (
        'wco:goal-9 wcokg:goalNumber "9"',
        'the graph has "9"^^xsd:integer: the same text with the datatype xsd:integer',
    ),
    "another datatype": (
        'wco:goal-9 wcokg:goalNumber "9"^^xsd:decimal',
        'the graph has "9"^^xsd:integer: the same text with the datatype xsd:integer',
    ),
    "white space": (
        'wco:goal-4 skos:prefLabel "Trade  Facilitation "@en',
        'the graph has "Trade Facilitation"@en: differs in white space only',
    ),
    "case": (
        'wco:goal-4 skos:prefLabel "trade facilitation"@en',
        'the graph has "Trade Facilitation"@en: differs in case only',
    ),
    "case and tag": (
        'wco:goal-4 skos:prefLabel "trade facilitation"',
        'the graph has "Trade Facilitation"@en: differs in case, with the language tag @en',
    ),
    "close iri": (
        "wco:goal-4 wcokg:involvesStakeholder wco:international-organization",
        "the closest of the 2 wcokg:involvesStakeholder of wco:goal-4 in the graph is wco:international-organizations",
    ),
    "no such predicate": ('wco:goal-4 skos:altLabel "Facilitation"@en', "wco:goal-4 has no skos:altLabel in the graph"),
    "unknown subject": (
        'wco:goal-44 skos:prefLabel "Trade Facilitation"@en',
        "nothing in the graph has the subject wco:goal-44 (closest: wco:goal-4)",
    ),
}


def update(runner, project, patch, *args):
    """`wcokg update PATCH` (a dry run unless ARGS say --apply) on the private project."""
    paths = ["--edits", str(project / "edits"), "--out", str(project / "output")]
    paths += ["--source", str(project / "sources" / OVERVIEW.name)]
    return runner.invoke(cli, ["update", str(patch), *args, *paths])


@pytest.mark.parametrize(("triple", "hint"), MISSES.values(), ids=MISSES.keys())
def test_a_delete_that_misses_says_what_the_graph_has_instead(runner, project, triple, hint) -> None:
    patch = project / "miss.ru"
    patch.write_text(f"DELETE DATA {{ {triple} }}\n", encoding="utf-8")
    result = update(runner, project, patch)
    assert result.exit_code == 2
    assert result.stderr == f"wcokg: error: {patch}:1: does not apply: {triple} is not in the graph; {hint}\n"


def test_a_delete_read_by_rdflib_that_misses_says_so_too(runner, project) -> None:
    patch = project / "miss.ru"
    triple, hint = MISSES["language tag"]
    patch.write_text(f"DELETE DATA {{ {triple} }} ;\nDELETE WHERE {{ wco:goal-4 skos:altLabel ?x }}\n")
    result = update(runner, project, patch)
    assert result.stderr == f"wcokg: error: {patch}:1: does not apply: {triple} is not in the graph; {hint}\n"


def test_an_edit_of_the_log_that_misses_no_longer_applies_and_says_why(runner, project) -> None:
    (project / "edits").mkdir()
    entry = project / "edits" / "0001-untag.ru"
    triple, hint = MISSES["language tag"]
    entry.write_text(f"# author: A\n# date: 2026-11-30\n# reason: r\nDELETE DATA {{ {triple} }}\n")
    paths = ["--edits", str(project / "edits"), "--out", str(project / "rebuilt")]
    result = runner.invoke(cli, ["build", "--source", str(project / "sources" / OVERVIEW.name), *paths])
    assert result.exit_code == 2
    missing = f"{triple} is not in the graph; {hint}"
    assert result.stderr == f"wcokg: error: edits/0001-untag.ru:4: no longer applies: {missing}\n"
    assert not (project / "rebuilt").exists()
