"""Each fact's quote states that very fact: it holds the object's label or value, and the words of the relation
(the verb, not only the noun); where the wording differs, a reviewed list below says why it still fits."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SDO, SKOS

from wcokg import layout
from wcokg.extraction.document import read_document
from wcokg.extraction.extract import Claim, extract, vocabulary
from wcokg.namespaces import DEFAULT_BASE, WCOKG
from wcokg.rdfio import load_turtle

from .conftest import OVERVIEW

WCO = DEFAULT_BASE + "id/"

# The verb (or relation words) a quote must hold, besides the object, for each relation between resources.
RELATION_WORDS: dict[URIRef, tuple[str, ...]] = {
    WCOKG.offers: ("offers",),
    WCOKG.develops: ("develop",),
    WCOKG.maintains: ("maintain",),
    WCOKG.promotes: ("promote", "championed by"),  # reviewed: to champion an approach is to promote it
    WCOKG.enhances: ("enhance",),
    WCOKG.provides: ("provide",),
    WCOKG.reliesOn: ("relies on",),
    WCOKG.worksWith: ("work with",),
    WCOKG.supports: ("support",),
    WCOKG.representsAdministrations: ("represents",),
    WCOKG.shareOfWorldTrade: ("process",),
    # Reviewed: "the WCO represents 179 Customs administrations": the administrations it represents are its Members.
    WCOKG.numberOfMembers: ("represents",),
    SDO.numberOfEmployees: ("comprising",),
    ORG.classification: ("is an",),
    ORG.purpose: ("goal",),
    WCOKG.hasMembers: ("its members",),
    WCOKG.offeredTo: ("offers its members",),
    WCOKG.takesPartInProviding: ("provided either directly by the secretariat, or with its participation",),
    WCOKG.supportsModernizationOf: ("supports its members in their endeavours to modernize",),
    WCOKG.usedFor: ("via",),
    WCOKG.hasFormerName: ("established in",),  # Reviewed: "established in 1952 as …": its name at establishment
    SDO.knowsAbout: ("competence in", "expertise"),  # Reviewed: competence or expertise in a matter is knowing about it
    # Reviewed: "As the global centre …, the WCO is …", "the WCO is the only …", "As a forum
    # for dialogue …, the WCO offers …", "The WCO provides a forum for …", "the vital role played by the WCO in
    # stimulating …": each says what the WCO is or acts as.
    WCOKG.playsRole: ("as the ", "as a ", "is the ", "provides a forum", "role played by the wco in"),
    # Reviewed: "the WCO's governing body – the Council – relies on … a Secretariat and … committees": the
    # possessive makes the Council the WCO's; the units it relies on are the WCO's by the same sentence.
    ORG.hasUnit: ("’s governing body", " its "),
    ORG.unitOf: ("’s governing body", " its "),
}
# Reviewed: relations a goal's heading or its description states by structure: the quote must lie inside
# that goal's heading or description (checked below) and hold the object's label.
GOAL_STRUCTURE = {WCOKG.namesInstrument, WCOKG.namedInGoal, DCTERMS.subject, WCOKG.involvesStakeholder}
GOAL_STRUCTURE |= {WCOKG.namesPartner}
# Reviewed: a concept is in its scheme where the text names the concept (a goal by its heading, a role by its words).
SCHEME_LINKS = {SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept}
# Reviewed: literals whose words differ from the quote.
LITERAL_WORDS: dict[URIRef, tuple[str, ...]] = {
    WCOKG.asOf: ("june 2013",),  # the figure holds on the document's date, cited by the date line
    WCOKG.approximate: ("approximately",),
    WCOKG.lowerBoundExclusive: ("over",),
}
# Reviewed: the names the project gives the concept schemes of what the goals name (the source has none); the
# quote is the goals' words that introduce them.
NAMED_BY_PROJECT = {"WCO subject areas": "in the areas of", "WCO stakeholders": "relevant stakeholders"}
NAMED_BY_PROJECT["WCO roles"] = "role played by the wco"
# Reviewed: a class is asserted where the text names the thing; these quotes say the kind in other words.
CLASS_WORDS: dict[URIRef, tuple[str, ...]] = {
    ORG.FormalOrganization: ("intergovernmental body", "organization"),
    SDO.Organization: ("intergovernmental body", "organization"),
    ORG.OrganizationalUnit: ("governing body", "secretariat", "committees", "group"),
    WCOKG.GoverningBody: ("governing body",),
    SKOS.ConceptScheme: ("goals", "areas", "stakeholders", "role played by"),
    FOAF.Group: ("its members",),
    WCOKG.StrategicGoal: ("goal",),
    SDO.QuantitativeValue: tuple(str(n) for n in (179, 98, 100)),
}


# Reviewed: the other wordings by which the text names a thing (the lexicon's patterns), besides its label.
ALIASES = {
    "other-international-instruments": {"other instruments"},
    "members": {"member customs administrations", "member administrations"},
    "international-organizations": {"international and regional organizations"},
}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


@pytest.fixture(scope="module")
def doc():
    return read_document(OVERVIEW)


@pytest.fixture(scope="module")
def claims(doc) -> tuple[Claim, ...]:
    known = vocabulary(load_turtle(layout.ONTOLOGY)[1], load_turtle(layout.SHAPES)[1])
    return extract(doc, DEFAULT_BASE, known)


def goal_spans(text: str) -> list[tuple[int, int]]:
    """Each "Goal N - Title" line of the text with the line under it (its description), as (start, end)."""
    return [(m.start(), m.end()) for m in re.finditer(r"^Goal\s+\d+\s+-\s.*\n.*", text, re.MULTILINE)]


@pytest.fixture(scope="module")
def names(claims) -> dict[str, set[str]]:
    """Every resource's labels, acronyms and (for figures) values, as a quote would write them."""
    found: dict[str, set[str]] = defaultdict(set, {URIRef(WCO + slug): set(words) for slug, words in ALIASES.items()})
    for c in claims:
        if c.predicate in (SKOS.prefLabel, SKOS.altLabel, SDO.value, SDO.minValue, SDO.maxValue):
            found[c.subject].add(norm(str(c.object)))
    return found


def fits(claim: Claim, names: dict[str, set[str]], doc) -> bool:
    quote, p, o = norm(claim.evidence.text), claim.predicate, claim.object
    subject_named = any(name in quote for name in names[claim.subject])
    if p == RDF.type:
        return subject_named or any(w in quote for w in CLASS_WORDS.get(o, ()))
    if isinstance(o, Literal):
        if str(o) in NAMED_BY_PROJECT:
            return NAMED_BY_PROJECT[str(o)] in quote
        return norm(str(o)) in quote or any(w in quote for w in LITERAL_WORDS.get(p, ()))
    assert isinstance(o, URIRef), claim
    object_named = any(name in quote for name in names[o])
    if p in SCHEME_LINKS:
        return object_named or subject_named
    if p in GOAL_STRUCTURE:
        spans = goal_spans(doc.text)
        inside = any(start <= claim.evidence.start and claim.evidence.end <= end for start, end in spans)
        return inside and (object_named or subject_named)
    words = RELATION_WORDS[p]
    return object_named and any(norm(w) in quote for w in words)


def test_every_quote_states_its_fact(claims, names, doc) -> None:
    misfits = [(c.subject, str(c.predicate), str(c.object), c.evidence.text[:60]) for c in claims]
    misfits = [m for m, c in zip(misfits, claims, strict=True) if not fits(c, names, doc)]
    assert misfits == []


def test_a_shared_quote_states_every_claim_it_supports(claims, names, doc) -> None:
    """One quote may support several triples (MODELLING.md) only if it states each of them."""
    by_quote: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for c in claims:
        by_quote[c.evidence.start, c.evidence.end].append(c)
    shared = [group for group in by_quote.values() if len({(c.subject, c.predicate) for c in group}) > 1]
    assert shared, "the goal headings support number, title and scheme"
    for group in shared:
        assert all(fits(c, names, doc) for c in group)


@pytest.mark.parametrize(
    "quote",
    [
        "Revised Kyoto Convention",  # the noun alone: the verb "promotes" is missing
        "to assist Members on trade facilitation matters",  # neither the verb nor the object
    ],
)
def test_a_quote_without_the_verb_does_not_fit(claims, names, doc, quote) -> None:
    (promotes,) = [
        c for c in claims if c.predicate == WCOKG.promotes and c.object == URIRef(WCO + "revised-kyoto-convention")
    ]
    start = doc.text.index(quote)
    other = type(promotes.evidence)(start, start + len(quote), quote, promotes.evidence.line)
    assert not fits(Claim(promotes.subject, promotes.predicate, promotes.object, other, promotes.origin), names, doc)


@pytest.mark.parametrize(
    ("predicate", "obj", "quote"),
    [
        (WCOKG.hasMembers, "members", "Members"),  # the noun: "its" (the WCO's) is missing
        (WCOKG.playsRole, "global-centre-of-customs-expertise", "global centre of Customs expertise"),
        (WCOKG.takesPartInProviding, "training", "technical assistance and training services"),  # who provides?
        (WCOKG.supportsModernizationOf, "members", "its Members in their endeavours to modernize"),  # no "supports"
        (WCOKG.offeredTo, "members", "supports its Members"),  # the Members, but not "offers"
    ],
    ids=lambda value: value.rsplit("#", 1)[-1] if isinstance(value, URIRef) else None,
)
def test_a_quote_without_the_words_of_a_new_relation_does_not_fit(claims, names, doc, predicate, obj, quote) -> None:
    (claim,) = [c for c in claims if c.predicate == predicate and c.object == URIRef(WCO + obj)][:1]
    start = doc.text.index(quote)
    other = type(claim.evidence)(start, start + len(quote), quote, claim.evidence.line)
    assert fits(claim, names, doc)
    assert not fits(Claim(claim.subject, claim.predicate, claim.object, other, claim.origin), names, doc)
