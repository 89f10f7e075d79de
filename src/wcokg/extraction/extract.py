"""Turn the accepted text of the document into claims: one triple each, with the quote that states it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SDO, SKOS, XSD

from ..errors import EvidenceError, SourceError
from ..namespaces import WCOKG, slugify
from .document import Document, Span
from .lexicon import LEXICON, Lexeme, Role, loose


@dataclass(frozen=True)
class Ref:
    """A resource of the data, named by its slug (``graph`` turns it into an IRI under the base)."""

    slug: str


@dataclass(frozen=True)
class Claim:
    """One fact the document states: subject slug, predicate, object, and the quote that says it."""

    subject: str
    predicate: URIRef
    object: Ref | URIRef | Literal
    evidence: Span


SCHEMES = {
    Role.SUBJECT: ("wco-subject-areas", "WCO subject areas", r"activities in the areas of"),
    Role.STAKEHOLDER: ("wco-stakeholders", "WCO stakeholders", r"other relevant stakeholders"),
}
"""The concept schemes of what the goals name: slug, label, and the words of the goals that introduce them."""
GOAL_LINKS = {
    Role.INSTRUMENT: (WCOKG.namesInstrument, WCOKG.namedInGoal),
    Role.SUBJECT: (DCTERMS.subject, None),
    Role.STAKEHOLDER: (WCOKG.involvesStakeholder, None),
    Role.PARTNER: (WCOKG.namesPartner, None),
}

_NAME = r"[A-Z][\w-]*(?: [A-Z][\w-]*)+"
_ORGANIZATION = (
    rf"(?:[Tt]he )?(?P<named>(?P<name>(?!The ){_NAME}) \((?P<acronym>[A-Z]{{2,}})\)),?"
    r" (?P<founded_q>established in (?P<founded>\d{4}))"
    rf"(?: as (?P<former_q>the (?P<former>{_NAME})(?: \((?P<former_acronym>[A-Z]{{2,}})\))?))?,?"
    r" (?P<class_q>is an? (?:independent )?(?P<classification>intergovernmental (?:body|organi[sz]ation)))"
    r"(?: (?P<mission_q>whose mission is (?P<mission>to [^.]+)))?"
)
_MEMBERSHIP = (
    r"(?P<count_q>represents (?P<count>\d+) (?P<count_unit>Customs administrations))(?: across the globe)?"
    r" that collectively (?P<share_q>process (?P<approx>approximately |about |around |roughly )?"
    r"(?P<share>\d+(?:\.\d+)?)\s*(?P<share_unit>% of world trade))"
)
_UNITS = (
    r"(?P<units_q>(?P<body_q>WCO[’']s governing body\s*[–—-]\s*the (?P<council>[A-Z]\w+))\s*[–—-]\s*"
    r"(?P<relies_q>relies on (?:the competence and skills of )?an? (?P<secretariat>Secretariat)"
    r" and (?:a range of )?(?P<committees>[a-z][a-z ]*committees)))"
)
_STAFF = (
    r"(?P<unit>Secretariat), "
    r"(?P<staff_q>comprising (?:(?P<bound>over|more than|at least|fewer than|under|about|approximately) )?"
    r"(?P<staff>\d+) (?P<staff_unit>[^.]*?staff))"
)
_OFFERS = r"WCO offers (?P<members_q>its (?P<members>Members)) (?P<offers>[^.]+)"
_SECRETARIAT_SERVICES = (
    r"(?:as well as )?(?P<q>(?P<objects>\b[^.,]*?services) provided either directly by the (?P<unit>Secretariat),?"
    r" or with its participation)"
)
_SECRETARIAT_SUPPORT = (
    r"(?P<q>(?P<unit>Secretariat) (?:also )?(?:actively )?supports its Members"
    r" in their endeavours to modernize and build capacity)"
)
_CHAMPIONS = r"(?P<q>(?P<objects>\w+ approach) championed by the WCO)"
_USED_FOR = r"(?P<q>(?P<activity>\w+ sharing) via the (?P<objects>[^.(]+?)(?: \([A-Z]{2,}\))?) for\b"
_ROLES: tuple[tuple[str | None, str], ...] = (
    (None, r"(?P<q>is an (?P<role>independent) intergovernmental)"),
    (None, r"(?P<q>As the (?P<role>global centre of Customs expertise), the WCO is)"),
    (None, r"(?P<q>the WCO is the (?P<role>only international organization with competence in Customs matters))"),
    (
        "forum-for-dialogue-between-national-customs-delegates",
        r"(?P<q>As a (?P<role>forum for dialogue and exchange of experiences between national Customs delegates),"
        r" the WCO)",
    ),
    (None, r"(?P<q>WCO provides a (?P<role>forum for international co-operation))"),
)
"""What the source says the WCO is or acts as: an explicit slug (or None: from the label) and the words."""
_ROLES_SCHEME = ("wco-roles", "WCO roles", r"role played by the WCO")
_SECOND_MISSION = r"(?P<mission_q>WCO[’']s mission (?P<mission>to [^.]+?)), takes on its full meaning"
_ACTIONS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    (
        r"(?P<q>develops, maintains and promotes (?P<objects>[^.]+?)) to achieve",
        (WCOKG.develops, WCOKG.maintains, WCOKG.promotes),
    ),
    (r"(?P<q>development of (?P<objects>compliance and enforcement tools))", (WCOKG.develops,)),
    (r"(?P<q>WCO promotes (?P<objects>the Revised Kyoto Convention))", (WCOKG.promotes,)),
    (r"(?P<q>WCO enhances (?P<objects>[^.]+?partnerships))", (WCOKG.enhances,)),
    (r"(?P<q>WCO provides a range of (?P<objects>[^.]+?programmes))", (WCOKG.provides,)),
)
"""What the goals say the WCO does to the things they name: the verb's quote (with its objects) and the relations."""
_PARTNERS = (
    r"(?P<work_q>work with (?:[\w ,]+?including )?the (?P<partner_q>(?P<partner>World Trade Organization)"
    r" (?P<support_q>to support its (?P<unit>Trade Facilitation Negotiating Group))))"
)
_BOUNDS = {
    "over": SDO.minValue,
    "more than": SDO.minValue,
    "at least": SDO.minValue,
    "fewer than": SDO.maxValue,
    "under": SDO.maxValue,
}


class _Found:
    """A regex match inside a span of the source, giving sub-spans by group name."""

    def __init__(self, match: re.Match[str], within: Span):
        self.match, self.within = match, within

    def __getitem__(self, group: str) -> str | None:
        return self.match[group]

    def span(self, group: str = "0") -> Span:
        group = 0 if group == "0" else group
        start, end = self.match.span(group)
        line = self.within.line + self.within.text.count("\n", 0, start)
        return Span(self.within.start + start, self.within.start + end, self.match[group], line)

    def clean(self, group: str) -> str:
        return self.span(group).clean


def _search(pattern: str, within: tuple[Span, ...]) -> _Found | None:
    """The first match of ``pattern`` in the spans, or None."""
    regex = loose(pattern)
    for span in within:
        if match := regex.search(span.text):
            return _Found(match, span)
    return None


def _find(doc: Document, pattern: str, what: str) -> _Found:
    """The first match of ``pattern`` in the overview paragraphs; a SourceError naming ``what`` if none."""
    found = _search(pattern, doc.paragraphs)
    if found is None:
        raise SourceError(doc.path, doc.paragraphs[0].line, f"cannot find {what} in the overview")
    return found


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _integer(text: str) -> Literal:
    return Literal(str(int(text)), datatype=XSD.integer)


def _number(text: str) -> Literal:
    """A whole number as an ``xsd:integer``; otherwise a decimal in the canonical form stores keep.

    Stores rewrite ``"98.0"^^xsd:decimal`` as ``"98"``, so a whole number is never written as a decimal.

    >>> _number("98")
    rdflib.term.Literal('98', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> _number("98.50")
    rdflib.term.Literal('98.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    value = Decimal(text)
    if value == value.to_integral_value():
        return _integer(str(int(value)))
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def extract(doc: Document) -> tuple[Claim, ...]:
    """All claims of the document, without repeats (a triple keeps the first quote that states it).

    Raises:
        SourceError: a statement the overview must make (name, founding, membership, units) is missing.
        EvidenceError: a quote does not match the accepted text at its offsets.
    """
    seen: dict[tuple[str, URIRef, object], Claim] = {}
    for claim in _claims(doc):
        seen.setdefault((claim.subject, claim.predicate, claim.object), claim)
    claims = tuple(seen.values())
    check_evidence(doc, claims)
    return claims


def check_evidence(doc: Document, claims: tuple[Claim, ...]) -> None:
    """Check that every quote equals the source at its offsets, outside the quarantined spans."""
    for claim in claims:
        quote = claim.evidence
        if doc.text[quote.start : quote.end] != quote.text or not doc.accepts(quote.start, quote.end):
            where = f"{doc.path}:{quote.line}"
            raise EvidenceError(
                f"{where}: the quote {quote.text[:60]!r} for {claim.predicate} is not in the accepted text"
            )


def _claims(doc: Document) -> Iterator[Claim]:
    found = _find(doc, _ORGANIZATION, "the organization's name, founding and nature")
    wco = slugify(found["name"] or "")
    yield from _organization(found, wco)
    yield from _second_mission(doc, wco)
    yield from _figures(doc, wco)
    yield from _units(doc, wco)
    yield from _roles(doc, wco)
    yield from _goals(doc, wco)


def _organization(found: _Found, wco: str) -> Iterator[Claim]:
    kind = found.span("class_q")
    for cls in (ORG.FormalOrganization, SDO.Organization):
        yield Claim(wco, RDF.type, cls, kind)
    yield Claim(wco, SKOS.prefLabel, _en(found.clean("name")), found.span("name"))
    yield Claim(wco, SDO.name, _en(found.clean("name")), found.span("name"))
    yield Claim(wco, SKOS.altLabel, _en(found.clean("acronym")), found.span("named"))
    yield Claim(wco, SDO.foundingDate, Literal(found["founded"], datatype=XSD.gYear), found.span("founded_q"))
    for group in ("former", "former_acronym"):
        if found[group]:
            yield Claim(wco, WCOKG.formerName, _en(found.clean(group)), found.span("former_q"))
    concept = slugify(found["classification"] or "")
    yield Claim(wco, ORG.classification, Ref(concept), kind)
    yield Claim(concept, RDF.type, SKOS.Concept, found.span("classification"))
    yield Claim(concept, SKOS.prefLabel, _en(found.clean("classification")), found.span("classification"))
    if found["mission"]:
        yield Claim(wco, WCOKG.mission, _en(found.clean("mission")), found.span("mission_q"))


def _second_mission(doc: Document, wco: str) -> Iterator[Claim]:
    """The mission the last paragraph states ("the WCO's mission to enhance the protection of society …")."""
    found = _search(_SECOND_MISSION, doc.paragraphs)
    if found:
        yield Claim(wco, WCOKG.mission, _en(found.clean("mission")), found.span("mission_q"))


def _figure(slug: str, quote: Span, doc: Document, value: tuple[URIRef, Literal], unit: str) -> Iterator[Claim]:
    yield Claim(slug, RDF.type, SDO.QuantitativeValue, quote)
    yield Claim(slug, value[0], value[1], quote)
    yield Claim(slug, SDO.unitText, _en(unit), quote)
    yield Claim(slug, WCOKG.asOf, Literal(doc.date.isoformat(), datatype=XSD.date), doc.date_line)


def _figures(doc: Document, wco: str) -> Iterator[Claim]:
    day = doc.date.isoformat()
    found = _find(doc, _MEMBERSHIP, "the membership figures (administrations and share of world trade)")
    count = f"represented-administrations-{day}"
    yield Claim(wco, WCOKG.representsAdministrations, Ref(count), found.span("count_q"))
    yield from _figure(
        count, found.span("count_q"), doc, (SDO.value, _integer(found["count"] or "")), found.clean("count_unit")
    )
    share = f"share-of-world-trade-{day}"
    yield Claim(wco, WCOKG.shareOfWorldTrade, Ref(share), found.span("share_q"))
    yield from _figure(
        share, found.span("share_q"), doc, (SDO.value, _number(found["share"] or "")), found.clean("share_unit")
    )
    if found["approx"]:
        yield Claim(share, WCOKG.approximate, Literal(True), found.span("share_q"))


def _units(doc: Document, wco: str) -> Iterator[Claim]:
    found = _find(doc, _UNITS, "the governing body, Secretariat and committees")
    council = slugify(found["council"] or "")
    yield Claim(council, RDF.type, ORG.OrganizationalUnit, found.span("body_q"))
    yield Claim(council, RDF.type, WCOKG.GoverningBody, found.span("body_q"))
    units = [(council, found.span("council"), found.span("body_q"))]
    for group in ("secretariat", "committees"):
        slug = slugify(found[group] or "")
        yield Claim(slug, RDF.type, ORG.OrganizationalUnit, found.span(group))
        yield Claim(council, WCOKG.reliesOn, Ref(slug), found.span("relies_q"))
        units.append((slug, found.span(group), found.span("units_q")))
    for slug, name, quote in units:
        yield Claim(slug, SKOS.prefLabel, _en(name.clean), name)
        yield Claim(slug, ORG.unitOf, Ref(wco), quote)
        yield Claim(wco, ORG.hasUnit, Ref(slug), quote)
    staff = _find(doc, _STAFF, "the size of the Secretariat's staff")
    figure = f"{slugify(staff['unit'] or '')}-staff-{doc.date.isoformat()}"
    yield Claim(slugify(staff["unit"] or ""), SDO.numberOfEmployees, Ref(figure), staff.span("staff_q"))
    bound = staff["bound"]
    value = (_BOUNDS.get(bound or "", SDO.value), _integer(staff["staff"] or ""))
    yield from _figure(figure, staff.span("staff_q"), doc, value, staff.clean("staff_unit"))
    if bound in ("about", "approximately"):
        yield Claim(figure, WCOKG.approximate, Literal(True), staff.span("staff_q"))


def _goals(doc: Document, wco: str) -> Iterator[Claim]:
    scheme = slugify(doc.goals_heading.clean)
    yield Claim(scheme, RDF.type, SKOS.ConceptScheme, doc.goals_heading)
    yield Claim(scheme, SKOS.prefLabel, _en(doc.goals_heading.clean), doc.goals_heading)
    named: set[str] = set()
    yield from _introduce_schemes(doc, named)
    yield from _members(doc, wco, named)
    yield from _secretariat(doc, named)
    yield from _champions(doc, wco, named)
    for goal in doc.goals:
        slug, heading = f"goal-{goal.number}", goal.heading
        for cls in (SKOS.Concept, WCOKG.StrategicGoal):
            yield Claim(slug, RDF.type, cls, heading)
        yield Claim(slug, SKOS.notation, _integer(str(goal.number)), heading)
        yield Claim(slug, WCOKG.goalNumber, _integer(str(goal.number)), heading)
        yield Claim(slug, SKOS.prefLabel, _en(goal.title.clean), goal.title)
        yield Claim(slug, SKOS.definition, _en(goal.description.clean), goal.description)
        yield Claim(slug, SKOS.inScheme, Ref(scheme), heading)
        yield Claim(slug, SKOS.topConceptOf, Ref(scheme), heading)
        yield Claim(scheme, SKOS.hasTopConcept, Ref(slug), heading)
        yield Claim(wco, ORG.purpose, Ref(slug), heading)
        for lexeme, found in _mentions(goal.description):
            yield from _named(lexeme, found, named)
            link, inverse = GOAL_LINKS[lexeme.role]
            yield Claim(slug, link, Ref(lexeme.slug), found.span())
            if inverse:
                yield Claim(lexeme.slug, inverse, Ref(slug), found.span())
        yield from _actions(goal.description, wco)
        yield from _used_for(goal.description)
        partners = _search(_PARTNERS, (goal.description,))
        if partners:
            partner, unit = slugify(partners["partner"] or ""), slugify(partners["unit"] or "")
            yield Claim(wco, WCOKG.worksWith, Ref(partner), partners.span("work_q"))
            yield Claim(wco, WCOKG.supports, Ref(unit), partners.span("support_q"))
            yield Claim(unit, ORG.unitOf, Ref(partner), partners.span("partner_q"))
            yield Claim(partner, ORG.hasUnit, Ref(unit), partners.span("partner_q"))


def _introduce_schemes(doc: Document, named: set[str]) -> Iterator[Claim]:
    """The schemes of what the goals name, cited by the goals' words that introduce them, where the text has them."""
    for scheme, label, pattern in SCHEMES.values():
        words = _search(pattern, tuple(goal.description for goal in doc.goals))
        if words:
            named.add(scheme)
            yield Claim(scheme, RDF.type, SKOS.ConceptScheme, words.span())
            yield Claim(scheme, SKOS.prefLabel, _en(label), words.span())


def _mentions(within: Span, role: Role | None = None) -> list[tuple[Lexeme, _Found]]:
    """The lexicon's things named in ``within`` (of one role, or all), first mention of each, in text order."""
    found = [
        (lexeme, _Found(match, within))
        for lexeme in LEXICON
        if role in (None, lexeme.role) and (match := lexeme.regex.search(within.text))
    ]
    return sorted(found, key=lambda item: item[1].match.start())


def _group(found: _Found, group: str) -> str | None:
    return found[group] if group in found.match.re.groupindex else None


def _named(lexeme: Lexeme, found: _Found, named: set[str]) -> Iterator[Claim]:
    """The claims that introduce a thing at its first mention: classes, label, acronym, scheme."""
    if lexeme.slug in named:
        return
    named.add(lexeme.slug)
    mention = found.span()
    label = found.clean("label") if _group(found, "label") else mention.clean
    for cls in lexeme.types:
        yield Claim(lexeme.slug, RDF.type, cls, mention)
    yield Claim(lexeme.slug, SKOS.prefLabel, _en(label), mention)
    if SDO.Organization in lexeme.types:
        yield Claim(lexeme.slug, SDO.name, _en(label), mention)
    if _group(found, "acronym"):
        yield Claim(lexeme.slug, SKOS.altLabel, _en(found.clean("acronym")), mention)
    if lexeme.role in SCHEMES:
        scheme, scheme_label, _ = SCHEMES[lexeme.role]
        if scheme not in named:  # no words of the goals introduce the scheme: its first concept's mention does
            named.add(scheme)
            yield Claim(scheme, RDF.type, SKOS.ConceptScheme, mention)
            yield Claim(scheme, SKOS.prefLabel, _en(scheme_label), mention)
        yield Claim(lexeme.slug, SKOS.inScheme, Ref(scheme), mention)
        yield Claim(lexeme.slug, SKOS.topConceptOf, Ref(scheme), mention)
        yield Claim(scheme, SKOS.hasTopConcept, Ref(lexeme.slug), mention)


def _actions(description: Span, wco: str) -> Iterator[Claim]:
    """The WCO's relations to what a goal names, by the goal's verb (develops, maintains, promotes, enhances,
    provides), each cited by the verb with its objects."""
    for pattern, predicates in _ACTIONS:
        found = _search(pattern, (description,))
        if found is None:
            continue
        for lexeme, _ in _mentions(found.span("objects"), Role.INSTRUMENT):
            for predicate in predicates:
                yield Claim(wco, predicate, Ref(lexeme.slug), found.span("q"))


def _members(doc: Document, wco: str, named: set[str]) -> Iterator[Claim]:
    """The WCO's Members as one group: the administrations it represents, what they process, what it offers them."""
    offers = _search(_OFFERS, doc.paragraphs)
    if offers is None:
        return
    members = slugify(offers["members"] or "")
    yield Claim(wco, WCOKG.hasMembers, Ref(members), offers.span("members_q"))
    yield Claim(members, RDF.type, FOAF.Group, offers.span("members_q"))
    yield Claim(members, SKOS.prefLabel, _en(offers.clean("members")), offers.span("members"))
    figures = _find(doc, _MEMBERSHIP, "the membership figures (administrations and share of world trade)")
    day = doc.date.isoformat()
    yield Claim(members, WCOKG.numberOfMembers, Ref(f"represented-administrations-{day}"), figures.span("count_q"))
    administrations, share = figures.span("count_unit"), figures.span("share_q")
    they_process = Span(administrations.start, share.end, doc.text[administrations.start : share.end], share.line)
    yield Claim(members, WCOKG.shareOfWorldTrade, Ref(f"share-of-world-trade-{day}"), they_process)
    for lexeme, found in _mentions(offers.span("offers"), Role.INSTRUMENT):
        yield from _named(lexeme, found, named)
        yield Claim(wco, WCOKG.offers, Ref(lexeme.slug), offers.span())
        yield Claim(lexeme.slug, WCOKG.offeredTo, Ref(members), offers.span())
    support = _search(_SECRETARIAT_SUPPORT, doc.paragraphs)
    if support:
        yield Claim(slugify(support["unit"] or ""), WCOKG.supportsModernizationOf, Ref(members), support.span("q"))


def _secretariat(doc: Document, named: set[str]) -> Iterator[Claim]:
    """The services the Secretariat provides directly or with its participation."""
    found = _search(_SECRETARIAT_SERVICES, doc.paragraphs)
    if found is None:
        return
    for lexeme, mention in _mentions(found.span("objects"), Role.INSTRUMENT):
        yield from _named(lexeme, mention, named)
        yield Claim(slugify(found["unit"] or ""), WCOKG.takesPartInProviding, Ref(lexeme.slug), found.span("q"))


def _champions(doc: Document, wco: str, named: set[str]) -> Iterator[Claim]:
    """The approach the WCO champions ("the partnership approach championed by the WCO"): it promotes it."""
    found = _search(_CHAMPIONS, doc.paragraphs)
    if found is None:
        return
    for lexeme, mention in _mentions(found.span("objects"), Role.INSTRUMENT):
        yield from _named(lexeme, mention, named)
        yield Claim(wco, WCOKG.promotes, Ref(lexeme.slug), found.span("q"))


def _roles(doc: Document, wco: str) -> Iterator[Claim]:
    """What the WCO is or acts as, each a concept of the scheme of WCO roles, cited by the words that say it."""
    text = doc.paragraphs + tuple(goal.description for goal in doc.goals)
    roles = [(slug, found) for slug, pattern in _ROLES if (found := _search(pattern, text))]
    if not roles:
        return
    scheme, label, pattern = _ROLES_SCHEME
    words = _search(pattern, doc.paragraphs) or roles[0][1]
    yield Claim(scheme, RDF.type, SKOS.ConceptScheme, words.span())
    yield Claim(scheme, SKOS.prefLabel, _en(label), words.span())
    for slug, found in roles:
        role, name = slug or slugify(found["role"] or ""), found.span("role")
        yield Claim(wco, WCOKG.playsRole, Ref(role), found.span("q"))
        for cls in (SKOS.Concept, WCOKG.Role):
            yield Claim(role, RDF.type, cls, name)
        yield Claim(role, SKOS.prefLabel, _en(name.clean), name)
        yield Claim(role, SKOS.inScheme, Ref(scheme), name)
        yield Claim(role, SKOS.topConceptOf, Ref(scheme), name)
        yield Claim(scheme, SKOS.hasTopConcept, Ref(role), name)


def _used_for(description: Span) -> Iterator[Claim]:
    """A goal's activity carried out through a means it names ("intelligence sharing via the CEN")."""
    found = _search(_USED_FOR, (description,))
    if found is None:
        return
    for activity, _ in _mentions(found.span("activity"), Role.SUBJECT):
        for means, _ in _mentions(found.span("objects"), Role.INSTRUMENT):
            yield Claim(means.slug, WCOKG.usedFor, Ref(activity.slug), found.span("q"))
