"""Documents as data: four documents written for these tests (tests/data/documents/, not WCO texts and not
published) build with the code as it is, state the facts their text says with quotes of that text, and each is
refused with one line when a sentence no claim accounts for is added.

Expected values are written below from the texts (goal counts, figures, dates, each fact's words) or read from the
text itself (its "Goal N - Title" headings), never from a build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Namespace

from wcokg import layout
from wcokg.cli import cli
from wcokg.names import DEFAULT_BASE, prefixes, sparql_prologue
from wcokg.pipeline import BuildResult, build

from .conftest import DATA

DOCUMENTS = DATA / "documents"
LATER_EDITION = "wco-overview-2014-06-30"
PRESS_RELEASE = "wco-council-press-release-2014-06-28"
FOUR_GOALS = "wco-four-goals-2015-01-15"
TWELVE_GOALS = "wco-twelve-goals-2016-03-01"
NAMES = (LATER_EDITION, PRESS_RELEASE, FOUR_GOALS, TWELVE_GOALS)
PROLOGUE = sparql_prologue(prefixes(DEFAULT_BASE))
WCOSH = Namespace("https://w3id.org/wcokg/shapes#")

GOALS = {LATER_EDITION: 10, PRESS_RELEASE: 0, FOUR_GOALS: 4, TWELVE_GOALS: 12}
"""How many goals each text lists ("Goal N - Title" lines)."""
ISSUED = {
    LATER_EDITION: "2014-06-30T17:10:00",
    PRESS_RELEASE: "2014-06-28T00:00:00",
    FOUR_GOALS: "2015-01-15T00:00:00",
    TWELVE_GOALS: "2016-03-01T00:00:00",
}
TITLES = {
    LATER_EDITION: "The World Customs Organization (WCO)",
    PRESS_RELEASE: "WCO Council welcomes a new Member",
    FOUR_GOALS: "The World Customs Organization (WCO)",
    TWELVE_GOALS: "The World Customs Organization (WCO)",
}
FIGURES = {
    LATER_EDITION: {
        ("representsAdministrations", "value", 180, "2014-06-30"),
        ("numberOfMembers", "value", 180, "2014-06-30"),  # the Members' figures: "represents 180 …"
        ("shareOfWorldTrade", "value", 97, "2014-06-30"),  # "… that collectively process approximately 97%"
    },
    PRESS_RELEASE: {("representsAdministrations", "value", 180, "2014-06-28")},
    FOUR_GOALS: set(),
    TWELVE_GOALS: set(),
}
"""The dated figures each text gives of the WCO or of its Members: (property, value property, number, date)."""
FACTS = {
    LATER_EDITION: [
        ("wco:represented-administrations-2014-06-30 schema:value 180", "represents 180 Customs administrations"),
        ("wco:share-of-world-trade-2014-06-30 wcokg:approximate true", "process approximately 97% of world trade"),
        (
            "wco:secretariat-staff-2014-06-30 schema:minValue 120",
            "comprising over 120 international officials, technical experts and support staff",
        ),
        ('wco:represented-administrations-2014-06-30 wcokg:asOf "2014-06-30"^^xsd:date', "Monday 30 June 2014"),
    ],
    PRESS_RELEASE: [
        ('wco:represented-administrations-2014-06-28 wcokg:asOf "2014-06-28"^^xsd:date', "28 June 2014"),
        (
            "wco:world-customs-organization wcokg:worksWith wco:universal-postal-union",
            "WCO signed a Memorandum of Understanding with the Universal Postal Union",
        ),
        ('wco:universal-postal-union skos:altLabel "UPU"@en', "Universal Postal Union (UPU)"),
        (
            "wco:secretariat wcokg:takesPartInProviding wco:data-analysis-programme",
            "programme on data analysis, which the Secretariat will provide",
        ),
        ("wco:council org:unitOf wco:world-customs-organization", "Council of the World Customs Organization"),
    ],
    FOUR_GOALS: [('wco:goal-4 skos:prefLabel "Capacity Building"@en', "Capacity Building")],
    TWELVE_GOALS: [("wco:goal-12 wcokg:goalNumber 12", "Goal 12 - Good Governance")],
}
"""Facts each text states, as subject, predicate and object in SPARQL, with the words that state them."""
SENTENCE = "Visitors are welcome on weekdays."


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Builds a document once for the module: its text, the build's result and the published dataset in a store."""
    done = {}

    def get(name: str) -> tuple[str, BuildResult, pyoxigraph.Store]:
        if name not in done:
            out = tmp_path_factory.mktemp(name) / "out"
            result = build(source=DOCUMENTS / f"{name}.txt", out_dir=out, edits=None, releases=None)
            store = pyoxigraph.Store()
            store.load(path=str(out / "wcokg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
            done[name] = (DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8"), result, store
        return done[name]

    return get


def select(store: pyoxigraph.Store, query: str) -> list[tuple]:
    """The rows of a SELECT over all graphs, each term as its Python value (IRIs as their local name)."""

    def value(term):
        if isinstance(term, pyoxigraph.NamedNode):
            return re.split(r"[/#]", term.value)[-1]
        if term.datatype.value.endswith(("#integer", "#decimal")):
            return int(term.value)
        return term.value

    solutions = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    return [tuple(value(term) for term in row) for row in solutions]


def quote_of(store: pyoxigraph.Store, subject: str, predicate: str, obj: str) -> list[str]:
    """The evidence quotes (oa:exact) of one fact, its terms written in SPARQL."""
    return [
        row[0]
        for row in select(
            store,
            f"""SELECT ?exact WHERE {{
                ?statement rdf:subject {subject} ; rdf:predicate {predicate} ; rdf:object {obj} .
                ?annotation oa:hasBody ?statement ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
            }}""",
        )
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_document_builds_conforms_and_accounts_for_every_character(built, name: str) -> None:
    text, result, _ = built(name)
    assert result.report.conforms, result.report
    assert result.written
    assert result.documents[0].coverage.unaccounted == []
    assert sum(result.documents[0].coverage.counts.values()) == len(text)


@pytest.mark.parametrize("name", NAMES)
def test_the_goals_are_those_the_text_lists(built, name: str) -> None:
    text, _, store = built(name)
    rows = select(
        store,
        """SELECT ?number ?notation ?title WHERE {
            wco:world-customs-organization org:purpose ?goal .
            ?goal a wcokg:StrategicGoal ; wcokg:goalNumber ?number ; skos:notation ?notation ;
                  skos:prefLabel ?title ; skos:inScheme ?scheme . ?scheme a skos:ConceptScheme .
        } ORDER BY ?number""",
    )
    headings = re.findall(r"^Goal (\d+) - (.+)$", text, re.MULTILINE)
    assert len(rows) == len(headings) == GOALS[name]
    assert rows == [(int(number), int(number), title) for number, title in headings]


@pytest.mark.parametrize("name", NAMES)
def test_the_dated_figures_are_those_the_text_gives(built, name: str) -> None:
    _, _, store = built(name)
    rows = select(
        store,
        """SELECT ?property ?kind ?number ?date WHERE {
            { wco:world-customs-organization ?property ?figure }
            UNION { wco:world-customs-organization wcokg:hasMembers ?members . ?members ?property ?figure }
            ?figure a schema:QuantitativeValue ; ?kind ?number ; wcokg:asOf ?date .
            FILTER(?kind IN (schema:value, schema:minValue))
        }""",
    )
    assert set(rows) == FIGURES[name]


@pytest.mark.parametrize("name", NAMES)
def test_the_document_has_the_date_and_title_of_its_text(built, name: str) -> None:
    _, _, store = built(name)
    query = "SELECT ?date ?title WHERE { ?document a foaf:Document ; dcterms:date ?date ; dcterms:title ?title }"
    assert select(store, query) == [(ISSUED[name], TITLES[name])]


@pytest.mark.parametrize("name", NAMES)
def test_every_evidence_quote_is_the_text_at_its_offsets(built, name: str) -> None:
    text, _, store = built(name)
    rows = select(
        store,
        """SELECT ?exact ?start ?end WHERE {
            ?annotation oa:hasTarget ?target .
            ?target oa:hasSelector ?quote, ?position .
            ?quote oa:exact ?exact .
            ?position oa:start ?start ; oa:end ?end .
        }""",
    )
    assert rows
    for exact, start, end in rows:
        assert text[start:end] == exact


@pytest.mark.parametrize(("name", "fact", "words"), [(n, f, w) for n, facts in FACTS.items() for f, w in facts])
def test_a_fact_of_the_text_rests_on_its_words(built, name: str, fact: str, words: str) -> None:
    text, _, store = built(name)
    assert quote_of(store, *fact.split(" ", 2)) == [words]
    assert words in text


@pytest.mark.parametrize("name", NAMES)
def test_a_sentence_no_claim_accounts_for_is_refused(name: str, tmp_path: Path) -> None:
    for suffix in (".txt", ".claims.toml"):
        shutil.copy(DOCUMENTS / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    source = tmp_path / f"{name}.txt"
    first, rest = source.read_text(encoding="utf-8").split("\n", 1)
    source.write_text(f"{first}\n{SENTENCE}\n{rest}", encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--source", str(source), "--out", str(out), "--edits", str(tmp_path / "none")]
    result = CliRunner().invoke(cli, [*args, "--releases", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output == (
        f'wcokg: error: {source}:2: "Visitors are welcome on weekdays" is accounted for by no claim: quote it in a '
        f"[[claim]] of {name}.claims.toml, or declare it [[not-modelled]], [[layout]] or [[quarantine]] with a "
        "reason\n"
    )
    assert not out.exists()


def test_no_code_knows_the_test_documents() -> None:
    """The four build with src/ as it is: no module names them or words only they use."""
    only_theirs = (*NAMES, "Universal Postal Union", "Digital Customs", "twelve strategic goals", "Revenue Collection")
    modules = sorted(Path(layout.__file__).resolve().parent.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        code = module.read_text(encoding="utf-8")
        assert not [words for words in only_theirs if words in code], module
