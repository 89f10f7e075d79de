"""The doors the probe of issue 11 found open, each tried as the project's fixtures try a rule: an edit of the
published graph, its new facts given a forged evidence annotation (so that only the rule under test can
object), and the verdict. Rules: the closed-doors block at the end of the shapes."""

from __future__ import annotations

import pytest

from wcokg import layout
from wcokg.check.incremental import validate_edit
from wcokg.cli import cli
from wcokg.edit.apply import apply_update, load_published
from wcokg.rdfio import load_turtle

from .conftest import OVERVIEW
from .test_shapes import EVIDENCE_GRAPH, with_evidence

LINKS = "<https://w3id.org/wcokg/graph/links>"
WCO = "wco:world-customs-organization"
FIGURE = "wco:represented-administrations-2013-06-24"
LINK = "wco:link-world-customs-organization-wikidata"

CASES = {
    "org:memberOf on a partner": (
        "INSERT DATA { wco:world-trade-organization org:memberOf wco:world-customs-organization }",
        {"OrganizationClosedShape"},
    ),
    "a phone number in skos:note": (
        'INSERT DATA { wco:goal-4 skos:note "WhatsApp him on +234 813 277 7335"@en }',
        {"ConceptClosedShape", "FreeTextShape-contactDetails"},
    ),
    "schema:email on the WCO": (
        f'INSERT DATA {{ {WCO} schema:email "doctor@example.com" }}',
        {"OrganizationClosedShape", "FreeTextShape-contactDetails"},
    ),
    "rdfs:seeAlso to a spam site": (
        "INSERT DATA { wco:goal-4 rdfs:seeAlso <http://spam.example/cure> }",
        {"ConceptClosedShape"},
    ),
    "Http:// in a link's comment": (
        f'INSERT DATA {{ GRAPH {LINKS} {{ {LINK} rdfs:comment "Http://x.example"@en }} }}',
        {"FreeTextShape-contactDetails"},
    ),
    "HTTPS:// in a link's comment, upper case": (
        f'INSERT DATA {{ GRAPH {LINKS} {{ {LINK} rdfs:comment "HTTPS://X.EXAMPLE"@en }} }}',
        {"FreeTextShape-contactDetails"},
    ),
    "an instrument that is also an org:Organization": (
        "INSERT DATA { wco:revised-kyoto-convention a org:Organization }",
        {"MeansShape"},
    ),
    "an xsd:date with a time of day": (
        f'DELETE DATA {{ {FIGURE} wcokg:asOf "2013-06-24"^^xsd:date }} ; '
        f'INSERT DATA {{ {FIGURE} wcokg:asOf "2013-06-20T12:00:00"^^xsd:date }}',
        {"DateShape-lexicalForm"},
    ),
    "a figure that is not the number its quote says": (
        f"DELETE DATA {{ {FIGURE} schema:value 179 }} ; INSERT DATA {{ {FIGURE} schema:value 197 }}",
        {"FigureQuoteShape-valueInQuote"},
    ),
    "a social media URL as an external identifier": (
        f"INSERT DATA {{ GRAPH {LINKS} {{ {WCO} schema:sameAs <https://twitter.com/WCO_OMD> }} }}",
        {"LinkShape-sameAs"},
    ),
    "the WCO without its goal 9": (f"DELETE DATA {{ {WCO} org:purpose wco:goal-9 }}", {"RequiredShape-goal-9"}),
    "the WCO with a goal 3 untitled": (
        'DELETE DATA { wco:goal-3 skos:prefLabel "Compliance and Enforcement"@en }',
        {"ConceptShape-prefLabel", "RequiredShape-goal-3"},
    ),
    "a graph whose organizations are not the WCO": (
        f'DELETE DATA {{ {WCO} skos:altLabel "WCO"@en }}',
        {"RequiredShape-wco"},
    ),
}


@pytest.fixture(scope="module")
def published(out_dir):
    return load_published(out_dir)


@pytest.mark.parametrize("name", CASES)
def test_the_door_is_closed(published, name) -> None:
    update, expected = CASES[name]
    edit = apply_update(
        published, f"PREFIX ev: <{EVIDENCE_GRAPH}>\n" + update, name="probe", graphs=("evidence", "links")
    )
    with_evidence(edit)
    report = validate_edit(edit, load_turtle(layout.SHAPES)[1])
    assert not report.conforms
    assert {r.constraint.removeprefix("wcosh:") for r in report.results} == expected, report.results


def test_a_graph_without_the_wco_does_not_conform(published) -> None:
    update = f"DELETE WHERE {{ {WCO} ?p ?o }} ; DELETE WHERE {{ ?s ?p {WCO} }}"
    edit = apply_update(published, update, name="probe", graphs=("evidence", "links"))
    report = validate_edit(edit, load_turtle(layout.SHAPES)[1])
    assert not report.conforms
    assert "wcosh:RequiredShape-wco" in {r.constraint for r in report.results}


def test_an_update_that_takes_goal_9_from_the_wco_is_refused(runner, project, tmp_path) -> None:
    patch = tmp_path / "drop-goal-9.ru"
    patch.write_text(f"DELETE DATA {{ {WCO} org:purpose wco:goal-9 }}\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in (project / "output").iterdir()}
    paths = ["--out", str(project / "output"), "--edits", str(project / "edits")]
    paths += [
        "--source",
        str(project / "sources" / OVERVIEW.name),
        "--shapes",
        str(project / "shapes" / layout.SHAPES.name),
    ]
    author = ["--author", "A", "--reason", "a test", "--date", "2026-11-30"]
    result = runner.invoke(cli, ["update", str(patch), "--apply", *author, *paths])
    assert result.exit_code == 1, result.output
    assert (
        "The WCO must keep its nine strategic goals, each once: goal 9 (org:purpose to a wcokg:StrategicGoal with "
        "wcokg:goalNumber 9 and a title, skos:prefLabel) is missing or given twice."
    ) in result.stdout
    assert "nothing written" in result.stderr
    assert {path.name: path.read_bytes() for path in (project / "output").iterdir()} == before
    assert not (project / "edits").exists()
