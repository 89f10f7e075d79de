"""The facts documents: a framed JSON-LD tree a web developer reads as plain JSON, and a top-down Turtle file;
both hold exactly the data graph (checked with pyld, jsonld.js and rdflib)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph

from .test_overview_claims import TITLES

REPOSITORY = Path(__file__).resolve().parents[1]
JSONLD_JS = REPOSITORY / ".node" / "node_modules" / "jsonld"


@pytest.fixture(scope="module")
def facts(out_dir: Path) -> dict:
    return json.loads((out_dir / "wcokg-facts.jsonld").read_text(encoding="utf-8"))


def data_graph(out_dir: Path) -> set:
    nquads = (out_dir / "wcokg.nq").read_text(encoding="utf-8").splitlines()
    lines = [line.rsplit(" ", 2)[0] + " ." for line in nquads if line.endswith("<https://w3id.org/wcokg/graph/data> .")]
    return set(Graph().parse(data="\n".join(lines), format="nt11"))


def test_plain_json_answers_the_goal_titles_in_order(facts) -> None:
    assert facts["name"] == "World Customs Organization"
    assert [goal["title"] for goal in facts["goals"]] == TITLES
    assert [goal["number"] for goal in facts["goals"]] == list(range(1, 10))  # JSON numbers


def test_plain_json_answers_the_goals_naming_the_revised_kyoto_convention(facts) -> None:
    (rkc,) = [node["id"] for node in facts["included"] if node.get("name") == "Revised Kyoto Convention"]
    naming = [goal["title"] for goal in facts["goals"] if rkc in goal.get("instruments", [])]
    assert naming == ["Trade Facilitation"]  # Goal 4 (line 21 of the source)


def test_the_wco_carries_its_units_and_figures_and_every_multi_valued_key_is_an_array(facts) -> None:
    assert {unit["name"] for unit in facts["units"]} >= {"Council", "Secretariat"}
    assert facts["administrations"]["value"] == 179
    secretariat = next(unit for unit in facts["units"] if unit["name"] == "Secretariat")
    assert secretariat["staff"]["minValue"] == 100
    for key in ("goals", "units", "aliases", "type"):
        assert isinstance(facts[key], list), key
    for goal in facts["goals"]:
        assert all(isinstance(goal.get(key, []), list) for key in ("instruments", "stakeholders", "subjects"))
    text = json.dumps({key: value for key, value in facts.items() if key != "@context"})
    assert "wikidata" not in text and "oa:" not in text  # evidence and external links are kept apart


def test_plain_json_answers_what_the_members_are_offered_and_the_roles_of_the_wco(facts) -> None:
    members = facts["members"]
    assert members["name"] == "Members"  # line 9: "the WCO offers its Members …"
    assert members["numberOfMembers"] == facts["administrations"]["id"]  # line 7: the 179 administrations
    nodes = {node["id"]: node for node in facts["included"]}
    offered = sorted(node["name"] for node in nodes.values() if members["id"] in node.get("offeredTo", []))
    assert offered == ["Conventions", "other international instruments", "technical assistance", "training"]
    assert "global centre of Customs expertise" in {nodes[role]["name"] for role in facts["roles"]}


def test_pyld_expands_it_to_exactly_the_data_graph(facts, out_dir) -> None:
    nquads = jsonld.to_rdf(facts, {"format": "application/n-quads"})
    assert set(Graph().parse(data=nquads, format="nt11")) == data_graph(out_dir)


def test_jsonld_js_expands_it_to_exactly_the_data_graph(out_dir) -> None:
    # jsonld.js is installed by .ci/run (npm, into .node/); without it this test fails, it is never skipped
    assert shutil.which("node") and JSONLD_JS.exists(), "run `bash .ci/run` (npm install --prefix .node jsonld)"
    script = (
        "const jsonld = require(process.argv[1]); const doc = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "jsonld.toRDF(doc, {format: 'application/n-quads'}).then(q => process.stdout.write(q));"
    )
    done = subprocess.run(
        ["node", "-e", script, str(JSONLD_JS)],
        input=(out_dir / "wcokg-facts.jsonld").read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(Graph().parse(data=done.stdout, format="nt11")) == data_graph(out_dir)


def test_the_facts_turtle_reads_top_down_and_holds_exactly_the_data_graph(out_dir) -> None:
    text = (out_dir / "wcokg-facts.ttl").read_text(encoding="utf-8")
    assert set(Graph().parse(data=text, format="turtle")) == data_graph(out_dir)
    # sources/dataset.toml names the WCO as the root: its section, titled by its label, comes first
    assert text.index("# World Customs Organization\n") < text.index("wco:world-customs-organization a")
    positions = [text.index(f"wco:goal-{n} a") for n in range(1, 10)]
    assert positions == sorted(positions) and positions[0] > text.index("wco:world-customs-organization a")
