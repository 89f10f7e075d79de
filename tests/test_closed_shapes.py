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

RETRACT = (
    "DELETE {{ ?goal ?p ?o . ?s ?q ?goal }} "
    "WHERE {{ ?goal skos:notation ?n ; ?p ?o . OPTIONAL {{ ?s ?q ?goal }} FILTER(?n {}) }}"
)
"""Every fact of the goals whose number passes the filter, and every link to them, deleted."""


def goals(*numbers: int) -> str:
    """An update that adds to the WCO's scheme a goal for each of ``numbers``, with all a goal needs."""
    return (
        "INSERT DATA {"
        + "".join(
            f"""
  {WCO} org:purpose wco:goal-{n}-new .
  wco:wco-goals skos:hasTopConcept wco:goal-{n}-new .
  wco:goal-{n}-new a skos:Concept, wcokg:StrategicGoal ; skos:notation {n} ; wcokg:goalNumber {n} ;
    skos:prefLabel "Goal {n}"@en ; skos:definition "The goal numbered {n}."@en ;
    skos:inScheme wco:wco-goals ; skos:topConceptOf wco:wco-goals ."""
            for n in numbers
        )
        + "\n}"
    )


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
    "the WCO without its goal 9": (f"DELETE DATA {{ {WCO} org:purpose wco:goal-9 }}", {"StrategicGoalShape-purposeOf"}),
    "the WCO with a goal 3 untitled": (
        'DELETE DATA { wco:goal-3 skos:prefLabel "Compliance and Enforcement"@en }',
        {"ConceptShape-prefLabel"},
    ),
    "goal 5 retracted as a whole: a gap": (RETRACT.format("= 5"), {"ConceptSchemeShape-gapFreeNotation"}),
    "a goal 11 after goal 9: a gap": (goals(11), {"ConceptSchemeShape-gapFreeNotation"}),
    "a second goal 8": (goals(8), {"ConceptSchemeShape-uniqueNotation"}),
}

OTHER_DOCUMENTS = {
    "four goals": RETRACT.format("> 4"),
    "twelve goals": goals(10, 11, 12),
    "an organization whose acronym is not WCO": f'DELETE DATA {{ {WCO} skos:altLabel "WCO"@en }}',
}


@pytest.fixture(scope="module")
def published(out_dir):
    return load_published(out_dir)


def edited(published, update: str):
    """The verdict on the published graph edited by ``update``, its new facts given forged evidence."""
    edit = apply_update(
        published, f"PREFIX ev: <{EVIDENCE_GRAPH}>\n" + update, name="probe", graphs=("evidence", "links")
    )
    with_evidence(edit)
    return validate_edit(edit, load_turtle(layout.SHAPES)[1])


@pytest.mark.parametrize("name", CASES)
def test_the_door_is_closed(published, name) -> None:
    update, expected = CASES[name]
    report = edited(published, update)
    assert not report.conforms
    assert {r.constraint.removeprefix("wcosh:") for r in report.results} == expected, report.results


@pytest.mark.parametrize("name", OTHER_DOCUMENTS)
def test_another_document_conforms(published, name) -> None:
    """The shapes hold for any document: no WCO, no count of goals, no goal named by its number."""
    report = edited(published, OTHER_DOCUMENTS[name])
    assert report.conforms and not report.results, report.results


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            RETRACT.format("= 5"),
            "The numbers (skos:notation) of this scheme's concepts must run 1, 2, 3 … without a gap: it has 8 "
            "different numbers, the highest 9, so they should be 1 to 8, but 5 is missing. Give the number 5 to the "
            "concept it belongs to, or renumber the concepts that follow the gap.",
        ),
        (
            goals(8),
            "Two concepts of this scheme have the same number (8, skos:notation): each concept of a scheme has a "
            "number of its own. Give one of them its right number, or retract the duplicate with an edit of the log.",
        ),
    ],
    ids=["gap", "repeat"],
)
def test_the_numbering_rules_name_the_number(published, update, message) -> None:
    (result,) = edited(published, update).results
    assert (result.focus, result.message) == ("wco:wco-goals", message)


def test_a_graph_without_the_wco_leaves_its_goals_without_an_organization(published) -> None:
    update = f"DELETE WHERE {{ {WCO} ?p ?o }} ; DELETE WHERE {{ ?s ?p {WCO} }}"
    edit = apply_update(published, update, name="probe", graphs=("evidence", "links"))
    report = validate_edit(edit, load_turtle(layout.SHAPES)[1])
    assert not report.conforms
    orphans = {r.focus for r in report.results if r.constraint == "wcosh:StrategicGoalShape-purposeOf"}
    assert orphans == {f"wco:goal-{n}" for n in range(1, 10)}


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
        "A strategic goal must be the goal (org:purpose) of an organization of the graph, but no organization has "
        "this one as its goal: link it from the organization whose goal it is (ORGANIZATION org:purpose GOAL), or "
        "retract the whole goal with an edit of the log that gives the reason."
    ) in result.stdout
    assert "nothing written" in result.stderr
    assert {path.name: path.read_bytes() for path in (project / "output").iterdir()} == before
    assert not (project / "edits").exists()
