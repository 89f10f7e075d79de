"""Several documents in one graph: the 2013 overview, a later edition (test data) and a press release between
them, built from one sources/ folder. Each fact's evidence names its document; a fact two documents state keeps
the words of both; dated figures from each are published with their dates; the catalog gives the latest figure,
the history, and what changed from one edition to the next, with the words of both."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from wcokg.namespaces import DEFAULT_BASE
from wcokg.pipeline import build
from wcokg.publish.transaction import MANIFEST
from wcokg.sparql.query import catalog, load_output, run_query

from .conftest import DATA, OVERVIEW

LATER = "wco-overview-2014-06-30"
RELEASE = "wco-council-press-release-2014-06-28"
SOURCE = DEFAULT_BASE + "source/"
WCO = DEFAULT_BASE + "id/world-customs-organization"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project whose sources/ holds the three documents, built."""
    root = tmp_path_factory.mktemp("editions")
    sources = root / "sources"
    sources.mkdir()
    for path in (OVERVIEW, OVERVIEW.with_name(OVERVIEW.stem + ".claims.toml")):
        shutil.copy(path, sources)
    for name in (LATER, RELEASE):
        for suffix in (".txt", ".claims.toml"):
            shutil.copy(DATA / "documents" / f"{name}{suffix}", sources)
    result = build(source=sources, out_dir=root / "output", edits=None, releases=None)
    assert result.report.conforms, result.report.results[:5]
    return root, result


def rows(root, name: str) -> list[dict[str, str]]:
    answer = json.loads(run_query(load_output(root / "output"), catalog()[name]).payload)
    return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


def test_the_manifest_and_the_evidence_name_each_document(project) -> None:
    root, result = project
    manifest = json.loads((root / "output" / MANIFEST).read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["sources"]] == sorted([OVERVIEW.name, f"{LATER}.txt", f"{RELEASE}.txt"])
    assert {str(s) for s in result.graph.sources} == {
        SOURCE + OVERVIEW.stem,
        SOURCE + LATER,
        SOURCE + RELEASE,
    }


def test_a_fact_two_editions_state_keeps_the_words_of_each(project) -> None:
    root, _ = project
    query = f"""SELECT ?source ?exact WHERE {{
      ?statement rdf:subject <{WCO}> ; rdf:predicate skos:prefLabel ; rdf:object "World Customs Organization"@en .
      ?annotation oa:hasBody ?statement ; oa:hasTarget ?target .
      ?target oa:hasSource ?source ; oa:hasSelector/oa:exact ?exact .
    }} ORDER BY ?source"""
    answer = json.loads(run_query(load_output(root / "output"), query).payload)
    found = [(b["source"]["value"], b["exact"]["value"]) for b in answer["results"]["bindings"]]
    # Both overviews open "The World Customs Organization (WCO)"; the press release names the WCO in passing.
    assert (SOURCE + OVERVIEW.stem, "World Customs Organization") in found
    assert (SOURCE + LATER, "World Customs Organization") in found


def test_the_figures_of_each_document_with_their_dates_and_the_latest(project) -> None:
    root, _ = project
    represented = [
        (r["value"], r["asOf"], r["source"].removeprefix(SOURCE), r["latest"])
        for r in rows(root, "figures-over-time")
        if r["subject"] == WCO and r["relation"].endswith("#representsAdministrations")
    ]
    # 179 in the 2013 overview (line 7); 180 in the press release of 28 June 2014 ("brings the number … to 180")
    # and in the overview of 30 June 2014 (line 7): the latest.
    assert represented == [
        ("180", "2014-06-30", LATER, "yes"),
        ("180", "2014-06-28", RELEASE, "no"),
        ("179", "2013-06-24", OVERVIEW.stem, "no"),
    ]


def test_what_changed_between_the_editions_in_the_words_of_both(project) -> None:
    root, _ = project
    changes = rows(root, "edition-changes")
    assert {(r["earlier"], r["later"]) for r in changes} == {(SOURCE + OVERVIEW.stem, SOURCE + LATER)}
    figures = {
        (r["change"], " ".join(r["words"].split()))  # the 2013 text has a no-break space after "represents"
        for r in changes
        if r["subject"] == WCO and r["predicate"].endswith("#representsAdministrations")
    }
    assert figures == {
        ("gone", "represents 179 Customs administrations"),
        ("new", "represents 180 Customs administrations"),
    }
    texts = {OVERVIEW.stem: OVERVIEW.read_text(encoding="utf-8")}
    texts[LATER] = (DATA / "documents" / f"{LATER}.txt").read_text(encoding="utf-8")
    for r in changes:  # every quoted word is in the edition it is quoted from
        edition = r["earlier"] if r["change"] == "gone" else r["later"]
        words = re.sub(r"\s+", " ", r["words"])
        assert words in re.sub(r"\s+", " ", texts[edition.removeprefix(SOURCE)])
