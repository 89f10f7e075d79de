"""The claims of the 2013 overview (sources/*.claims.toml): the facts, each with a quote; expected values are read
off the source, not off the program's output."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SDO, SKOS, XSD

from wcokg import layout
from wcokg.errors import ClaimsError
from wcokg.extraction.claims import claims_path
from wcokg.extraction.document import read_document
from wcokg.extraction.extract import extract, vocabulary
from wcokg.names import DEFAULT_BASE
from wcokg.namespaces import WCOKG
from wcokg.rdfio import load_turtle

from .conftest import OVERVIEW

ID = DEFAULT_BASE + "id/"
WCO = "world-customs-organization"
VOCABULARY = vocabulary(load_turtle(layout.ONTOLOGY)[1], load_turtle(layout.SHAPES)[1])
# Typed from the source document by reading it, not from the program's output.
TITLES = [
    "International Co-operation and Information Sharing",
    "Harmonization and Simplification of Customs Systems and Procedures",
    "Compliance and Enforcement",
    "Trade Facilitation",
    "Supply Chain Security and Facilitation",
    "Capacity Building",
    "Promotion and Marketing",
    "Research and Analysis",
    "Good Governance and Use of Resources",
]


@pytest.fixture(scope="module")
def doc():
    return read_document(OVERVIEW)


@pytest.fixture(scope="module")
def claims(doc):
    return extract(doc, DEFAULT_BASE, VOCABULARY)


def slug(term):
    """A resource of the data by its slug; any other term as it is."""
    return term[len(ID) :] if isinstance(term, URIRef) and term.startswith(ID) else term


def objects(claims, subject: str, predicate) -> set:
    """The objects of (subject, predicate): slugs for resources, Python values for literals."""
    found = set()
    for claim in claims:
        if claim.subject == URIRef(ID + subject) and claim.predicate == predicate:
            obj = claim.object
            found.add(obj.toPython() if isinstance(obj, Literal) else slug(obj))
    return found


def subjects(claims, predicate, obj: str) -> set:
    return {slug(c.subject) for c in claims if c.predicate == predicate and c.object == URIRef(ID + obj)}


@pytest.mark.parametrize(
    "subject, predicate, expected",
    [
        (WCO, SKOS.prefLabel, {"World Customs Organization"}),
        (WCO, SDO.name, {"World Customs Organization"}),
        (WCO, SKOS.altLabel, {"WCO"}),
        (
            WCO,
            WCOKG.mission,
            {
                "to enhance the effectiveness and efficiency of Customs administrations",
                "to enhance the protection of society and the national territory,"
                " and to secure and facilitate international trade",
            },
        ),
        (WCO, ORG.hasUnit, {"council", "secretariat", "technical-and-advisory-committees"}),
        (WCO, ORG.purpose, {f"goal-{n}" for n in range(1, 10)}),
        (WCO, WCOKG.offers, {"conventions", "other-international-instruments", "technical-assistance", "training"}),
        ("training", WCOKG.offeredTo, {"members"}),
        (WCO, WCOKG.worksWith, {"world-trade-organization"}),
        (WCO, WCOKG.supports, {"trade-facilitation-negotiating-group"}),
        ("council", RDF.type, {ORG.OrganizationalUnit, WCOKG.GoverningBody}),
        ("council", WCOKG.reliesOn, {"secretariat", "technical-and-advisory-committees"}),
        ("represented-administrations-2013-06-24", SDO.value, {179}),
        ("represented-administrations-2013-06-24", SDO.unitText, {"Customs administrations"}),
        ("share-of-world-trade-2013-06-24", SDO.value, {Decimal("98")}),
        ("share-of-world-trade-2013-06-24", WCOKG.approximate, {True}),
        ("secretariat-staff-2013-06-24", SDO.minValue, {100}),
        ("secretariat-staff-2013-06-24", SDO.value, set()),
        ("goal-4", SKOS.inScheme, {"wco-goals"}),
        ("commercial-fraud", SKOS.inScheme, {"wco-subject-areas"}),
        ("business-partners", SKOS.inScheme, {"wco-stakeholders"}),
        (
            WCO,
            WCOKG.promotes,
            {
                "revised-kyoto-convention",
                "conventions",
                "other-international-instruments",
                "best-practice-approaches",
                "partnership-approach",
            },
        ),
        ("revised-kyoto-convention", WCOKG.namedInGoal, {"goal-4"}),
        ("revised-kyoto-convention", RDF.type, {WCOKG.Means, WCOKG.Instrument, WCOKG.Convention}),
        ("customs-enforcement-network", RDF.type, {WCOKG.Means, WCOKG.Network, WCOKG.InformationNetwork}),
        ("compliance-and-enforcement-tools", RDF.type, {WCOKG.Means, WCOKG.Tool}),
        ("best-practice-approaches", RDF.type, {WCOKG.Means, WCOKG.Approach}),
        ("customs-enforcement-network", WCOKG.namedInGoal, {"goal-3"}),
        ("customs-enforcement-network", SKOS.altLabel, {"CEN"}),
        (
            "goal-3",
            DCTERMS.subject,
            {
                "commercial-fraud",
                "drug-trafficking",
                "money-laundering",
                "ipr",
                "public-health-and-safety",
                "environmental-crimes",
                "pandemics",
                "intelligence-sharing",
                "protection-of-society",  # "for the protection of society in the areas of public health …"
            },
        ),
        ("goal-1", DCTERMS.subject, {"exchange-of-information-and-experience", "best-practices"}),
        ("goal-2", DCTERMS.subject, {"harmonization-and-simplification-of-customs-systems-and-procedures"}),
        ("goal-5", DCTERMS.subject, {"international-trade-supply-chain"}),
        ("goal-6", DCTERMS.subject, {"capacity-of-member-customs-administrations"}),
        ("goal-7", DCTERMS.subject, {"strategic-interests", "communication"}),
        ("goal-8", DCTERMS.subject, {"research-and-analysis"}),
        ("goal-9", DCTERMS.subject, {"human-and-financial-resources"}),
        ("customs-enforcement-network", WCOKG.usedFor, {"intelligence-sharing"}),
        (WCO, WCOKG.hasMembers, {"members"}),
        ("members", RDF.type, {FOAF.Group, SKOS.Concept, WCOKG.Stakeholder}),
        ("members", SKOS.altLabel, {"Member administrations"}),
        ("secretariat-staff-2013-06-24", WCOKG.lowerBoundExclusive, {True}),  # line 8: "over 100", more than 100
        # line 6: "established in 1952 as the Customs Co-operation Council (CCC)": the name at establishment
        (WCO, WCOKG.hasFormerName, {"name-customs-co-operation-council"}),
        ("name-customs-co-operation-council", SKOS.prefLabel, {"Customs Co-operation Council"}),
        ("name-customs-co-operation-council", SKOS.altLabel, {"CCC"}),
        ("name-customs-co-operation-council", WCOKG.inUseFrom, {Literal("1952", datatype=XSD.gYear).toPython()}),
        (WCO, SDO.knowsAbout, {"customs-matters"}),  # line 7: "with competence in Customs matters"
        ("customs-matters", SKOS.prefLabel, {"Customs matters"}),
        ("members", SKOS.prefLabel, {"Members"}),
        ("members", WCOKG.numberOfMembers, {"represented-administrations-2013-06-24"}),
        ("members", WCOKG.shareOfWorldTrade, {"share-of-world-trade-2013-06-24"}),
        ("secretariat", WCOKG.takesPartInProviding, {"technical-assistance", "training"}),
        ("secretariat", WCOKG.supportsModernizationOf, {"members"}),
        ("partnership-approach", RDF.type, {WCOKG.Means, WCOKG.Approach}),
        (
            WCO,
            WCOKG.playsRole,
            {
                "stimulating-the-growth-of-legitimate-international-trade",  # line 10: "the vital role played by …"
                "global-centre-of-customs-expertise",
                "only-international-organization-with-competence-in-customs-matters",
                "forum-for-dialogue-between-national-customs-delegates",
                "forum-for-international-co-operation",
            },
        ),
        ("global-centre-of-customs-expertise", SKOS.prefLabel, {"global centre of Customs expertise"}),
        # "is an independent intergovernmental body": two classifications, neither a role
        (WCO, ORG.classification, {"independent", "intergovernmental-body"}),
        ("global-centre-of-customs-expertise", SKOS.inScheme, {"wco-roles"}),
        (
            "goal-6",
            WCOKG.namesInstrument,
            {"capacity-building", "training", "technical-assistance", "integrity-programmes"},
        ),
        ("goal-5", WCOKG.involvesStakeholder, {"members", "business-partners", "other-border-agencies"}),
        ("goal-4", WCOKG.namesPartner, {"world-trade-organization", "trade-facilitation-negotiating-group"}),
        ("goal-6", SKOS.prefLabel, {"Capacity Building"}),
        ("world-trade-organization", ORG.hasUnit, {"trade-facilitation-negotiating-group"}),
        ("trade-facilitation-negotiating-group", ORG.unitOf, {"world-trade-organization"}),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_claims_of_the_source(claims, subject, predicate, expected) -> None:
    assert objects(claims, subject, predicate) == expected


def test_founding_year_is_a_gyear_quoted_from_the_text(claims) -> None:
    (claim,) = [c for c in claims if c.predicate == SDO.foundingDate]
    assert claim.object == Literal("1952", datatype=XSD.gYear)
    assert claim.evidence.text == "established in 1952"


def test_figures_hold_as_of_the_document_date(claims) -> None:
    dated = {slug(c.subject): c for c in claims if c.predicate == WCOKG.asOf}
    assert set(dated) == {
        "represented-administrations-2013-06-24",
        "share-of-world-trade-2013-06-24",
        "secretariat-staff-2013-06-24",
    }
    for claim in dated.values():
        assert claim.object == Literal("2013-06-24", datatype=XSD.date)
        assert claim.evidence.text == "Monday 24 June 2013"


@pytest.mark.parametrize("predicate", [SKOS.notation, WCOKG.goalNumber])
def test_goal_numbers_are_integers_citing_their_headings(claims, predicate) -> None:
    numbered = {slug(c.subject): c for c in claims if c.predicate == predicate}
    assert sorted(numbered) == [f"goal-{n}" for n in range(1, 10)]
    assert numbered["goal-6"].evidence.text == "Goal 6 -\u00a0Capacity\u00a0Building"
    assert numbered["goal-6"].object == Literal("6", datatype=XSD.integer)
    for number in range(1, 10):
        assert numbered[f"goal-{number}"].evidence.clean == f"Goal {number} - {TITLES[number - 1]}"


def test_goals_are_titled_in_order_with_the_words_of_their_headings(claims) -> None:
    titles = [objects(claims, f"goal-{n}", SKOS.prefLabel) for n in range(1, 10)]
    assert titles == [{title} for title in TITLES]
    (title,) = [c for c in claims if c.subject == URIRef(ID + "goal-6") and c.predicate == SKOS.prefLabel]
    assert title.evidence.text == "Capacity\u00a0Building", "the exact quote keeps the no-break space"
    assert title.evidence.line == 25  # Goal 1 heads line 15, each goal two lines


def test_whole_figures_are_integers(claims) -> None:
    """ "approximately 98%" is the integer 98 (stores rewrite "98.0"^^xsd:decimal)."""
    ours = {(slug(c.subject), c.predicate): c.object for c in claims}
    assert ours["share-of-world-trade-2013-06-24", SDO.value] == Literal("98", datatype=XSD.integer)


def test_only_goal_4_names_the_revised_kyoto_convention(claims) -> None:
    assert subjects(claims, WCOKG.namesInstrument, "revised-kyoto-convention") == {"goal-4"}
    assert subjects(claims, WCOKG.namesInstrument, "customs-enforcement-network") == {"goal-3"}


def test_the_goals_that_name_the_members_involve_the_members_group(claims) -> None:
    """Lines 16, 20, 22, 24, 26 and 30 (goals 1, 3, 4, 5, 6 and 8) name "Members" or "Member … administrations": the
    stakeholder they involve is the group the WCO has as its members, one node."""
    involved = subjects(claims, WCOKG.involvesStakeholder, "members")
    assert involved == {"goal-1", "goal-3", "goal-4", "goal-5", "goal-6", "goal-8"}
    assert subjects(claims, WCOKG.hasMembers, "members") == {WCO}


def test_every_claim_quotes_accepted_source_text(doc, claims, source_text) -> None:
    (quarantine,) = doc.quarantined
    for claim in claims:
        quote = claim.evidence
        assert source_text[quote.start : quote.end] == quote.text
        assert source_text.count("\n", 0, quote.start) + 1 == quote.line
        assert quote.end <= quarantine.start and doc.accepts(quote.start, quote.end)


def test_no_claim_is_repeated(claims) -> None:
    keys = [(c.subject, c.predicate, c.object) for c in claims]
    assert len(keys) == len(set(keys))


def overview_with(tmp_path, old: str, new: str, claim: str = ""):
    """A copy of the overview with ``old`` replaced by ``new`` in its text and ``claim`` added to its claims file."""
    source = tmp_path / OVERVIEW.name
    text = OVERVIEW.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.copy(claims_path(OVERVIEW), claims_path(source))
    with claims_path(source).open("a", encoding="utf-8") as claims:
        claims.write(claim)
    return source


def test_a_source_without_the_words_of_a_claim_fails_naming_the_claim_and_the_closest_passage(tmp_path) -> None:
    source = overview_with(tmp_path, "represents\u00a0179", "represents\u00a0180")
    with pytest.raises(ClaimsError) as raised:
        read_document(source)
    lines = claims_path(source).read_text(encoding="utf-8").splitlines()
    quote = next(n for n, text in enumerate(lines, start=1) if text.startswith('quote = "represents'))
    header = quote - 1  # an error names the [[claim]] header of the claim
    assert lines[header - 1] == "[[claim]]"
    assert str(raised.value) == (
        f'{claims_path(source)}:{header}: the claim: "represents 179 Customs administrations" is not in '
        f'{source.name}; the closest passage, line 7: "represents 180 Customs administrations"'
    )


def test_a_claim_quoting_the_spam_fails_naming_the_quarantined_line(tmp_path) -> None:
    spam = "\n[[claim]]\nquote = \"Thank you very much\"\nstates = '''wco:x skos:note \"thanks\" .'''\n"
    source = overview_with(tmp_path, "Thank you", "Thank you", spam)
    line = claims_path(source).read_text(encoding="utf-8").splitlines().index("[[claim]]", -5) + 1
    with pytest.raises(ClaimsError) as raised:
        read_document(source)
    assert str(raised.value) == (
        f'{claims_path(source)}:{line}: the claim: "Thank you very much" (line 35) is inside quarantined text '
        "(text after the end of the document; contact request; phone number; web link): it cannot be evidence"
    )
