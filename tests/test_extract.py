"""Extraction: the claims the document makes, each with a quote; expected values are read off the source."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SDO, SKOS, XSD

from wcokg import layout
from wcokg.errors import EvidenceError, SourceError
from wcokg.extraction.document import Span, parse_document, read_document
from wcokg.extraction.extract import Claim, Ref, check_evidence, extract
from wcokg.namespaces import WCOKG

from .conftest import DATA

WCO = "world-customs-organization"


@pytest.fixture(scope="module")
def doc():
    return read_document(layout.SOURCE)


@pytest.fixture(scope="module")
def claims(doc):
    return extract(doc)


def objects(claims, subject, predicate) -> set:
    """The objects of (subject, predicate): slugs for resources, Python values for literals."""
    found = set()
    for claim in claims:
        if claim.subject == subject and claim.predicate == predicate:
            obj = claim.object
            found.add(obj.slug if isinstance(obj, Ref) else obj.toPython() if isinstance(obj, Literal) else obj)
    return found


def subjects(claims, predicate, obj) -> set:
    return {c.subject for c in claims if c.predicate == predicate and c.object == obj}


@pytest.mark.parametrize(
    "subject, predicate, expected",
    [
        (WCO, SKOS.prefLabel, {"World Customs Organization"}),
        (WCO, SDO.name, {"World Customs Organization"}),
        (WCO, SKOS.altLabel, {"WCO"}),
        (WCO, WCOKG.formerName, {"Customs Co-operation Council", "CCC"}),
        (WCO, ORG.classification, {"intergovernmental-body"}),
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
        ("members", RDF.type, {FOAF.Group}),
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
                "independent",
                "global-centre-of-customs-expertise",
                "only-international-organization-with-competence-in-customs-matters",
                "forum-for-dialogue-between-national-customs-delegates",
                "forum-for-international-co-operation",
            },
        ),
        ("global-centre-of-customs-expertise", SKOS.prefLabel, {"global centre of Customs expertise"}),
        ("independent", SKOS.inScheme, {"wco-roles"}),
        (
            "goal-6",
            WCOKG.namesInstrument,
            {"capacity-building", "training", "technical-assistance", "integrity-programmes"},
        ),
        ("goal-5", WCOKG.involvesStakeholder, {"member-administrations", "business-partners", "other-border-agencies"}),
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
    dated = {c.subject: c for c in claims if c.predicate == WCOKG.asOf}
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
    numbered = {c.subject: c for c in claims if c.predicate == predicate}
    assert sorted(numbered) == [f"goal-{n}" for n in range(1, 10)]
    assert numbered["goal-6"].evidence.text == "Goal 6 -\u00a0Capacity\u00a0Building"
    assert numbered["goal-6"].object == Literal("6", datatype=XSD.integer)


def test_whole_figures_are_integers_and_only_fractions_decimals() -> None:
    """ "approximately 98%" is the integer 98 (stores rewrite "98.0"^^xsd:decimal); "98.5%" stays a decimal."""
    ours = {(c.subject, c.predicate): c.object for c in extract(read_document(layout.SOURCE))}
    assert ours["share-of-world-trade-2013-06-24", SDO.value] == Literal("98", datatype=XSD.integer)
    other = {(c.subject, c.predicate): c.object for c in extract(read_document(DATA / "other-overview.txt"))}
    assert other["share-of-world-trade-2023-06-01", SDO.value] == Literal("98.5", datatype=XSD.decimal)


def test_only_goal_4_names_the_revised_kyoto_convention(claims) -> None:
    assert subjects(claims, WCOKG.namesInstrument, Ref("revised-kyoto-convention")) == {"goal-4"}
    assert subjects(claims, WCOKG.namesInstrument, Ref("customs-enforcement-network")) == {"goal-3"}


def test_every_claim_quotes_accepted_source_text(doc, claims, source_text) -> None:
    (quarantine,) = doc.quarantined
    for claim in claims:
        quote = claim.evidence
        assert source_text[quote.start : quote.end] == quote.text
        assert quote.end <= quarantine.start


def test_no_claim_is_repeated(claims) -> None:
    keys = [(c.subject, c.predicate, c.object) for c in claims]
    assert len(keys) == len(set(keys))


def test_a_document_of_the_same_shape_with_other_figures() -> None:
    claims = extract(read_document(DATA / "other-overview.txt"))
    assert objects(claims, "represented-administrations-2023-06-01", SDO.value) == {186}
    assert objects(claims, "share-of-world-trade-2023-06-01", SDO.value) == {Decimal("98.5")}
    assert objects(claims, "secretariat-staff-2023-06-01", SDO.value) == {150}
    assert objects(claims, "secretariat-staff-2023-06-01", WCOKG.approximate) == {True}
    assert objects(claims, WCO, ORG.purpose) == {f"goal-{n}" for n in range(1, 10)}
    assert objects(claims, "strategic-goals", SKOS.prefLabel) == {"Strategic Goals"}
    assert objects(claims, "goal-2", DCTERMS.subject) == {"drug-trafficking"}
    assert subjects(claims, WCOKG.namesInstrument, Ref("revised-kyoto-convention")) == {"goal-1"}


def test_a_missing_required_statement_is_a_source_error(source_text: str) -> None:
    text = source_text.replace("represents\u00a0179 Customs administrations", "speaks for many", 1)
    with pytest.raises(SourceError, match="cannot find the membership figures"):
        extract(parse_document(text.encode(), "x.txt"))


def test_a_quote_that_does_not_match_the_source_fails_the_build(doc) -> None:
    wrong = Claim(WCO, SKOS.prefLabel, Literal("x"), Span(76, 102, "World Customs Organisation", 6))
    with pytest.raises(EvidenceError, match="not in the accepted text"):
        check_evidence(doc, (wrong,))


def test_a_quote_from_the_quarantined_span_fails_the_build(doc, source_text) -> None:
    start = source_text.index("Thank you very much")
    spam = Span(start, start + 9, source_text[start : start + 9], 35)
    with pytest.raises(EvidenceError, match=r"x\.txt:35|wco-overview-2013-06-24\.txt:35"):
        check_evidence(doc, (Claim(WCO, SKOS.note, Literal("x"), spam),))
