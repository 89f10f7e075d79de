"""The things the goals name (instruments, subject areas, stakeholders, partners), as patterns over the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rdflib import URIRef
from rdflib.namespace import ORG, SDO, SKOS

from ..namespaces import WCOKG


def loose(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` with each space matching any run of Unicode whitespace (no-break spaces, newlines).

    >>> bool(loose("represents 179").search("represents\\u00a0179"))
    True
    """
    return re.compile(pattern.replace(" ", r"\s+"))


class Role(Enum):
    """How a goal relates to a thing it names."""

    INSTRUMENT = "instrument"
    SUBJECT = "subject area"
    STAKEHOLDER = "stakeholder"
    PARTNER = "partner"


@dataclass(frozen=True)
class Lexeme:
    """A thing the text names: its stable slug, its classes, and the pattern that finds it.

    The label is the text of the first mention (group ``label`` where the pattern has one);
    group ``acronym``, where present, gives an alternative label.
    """

    slug: str
    role: Role
    types: tuple[URIRef, ...]
    pattern: str

    @property
    def regex(self) -> re.Pattern[str]:
        return loose(self.pattern)


# Every thing a goal names as a means of action is typed wcokg:Means and its kind (so that queries need no
# reasoner); "trade facilitation instruments and tools" names two kinds at once and stays a means only.
_INSTRUMENT = (WCOKG.Means, WCOKG.Instrument)
_APPROACH = (WCOKG.Means, WCOKG.Approach)
_TOOL = (WCOKG.Means, WCOKG.Tool)
_PROGRAMME = (WCOKG.Means, WCOKG.Programme)
_SUBJECT = (SKOS.Concept, WCOKG.SubjectArea)
_STAKEHOLDER = (SKOS.Concept, WCOKG.Stakeholder)

LEXICON: tuple[Lexeme, ...] = (
    Lexeme(
        "revised-kyoto-convention",
        Role.INSTRUMENT,
        (WCOKG.Means, WCOKG.Instrument, WCOKG.Convention),
        r"Revised Kyoto Convention",
    ),
    Lexeme(
        "customs-enforcement-network",
        Role.INSTRUMENT,
        (WCOKG.Means, WCOKG.Network, WCOKG.InformationNetwork),
        r"(?P<label>Customs Enforcement Network)(?: \((?P<acronym>[A-Z]{2,})\))?",
    ),
    Lexeme("conventions", Role.INSTRUMENT, _INSTRUMENT, r"\b(?:internationally agreed )?(?P<label>[Cc]onventions)\b"),
    Lexeme(
        "other-international-instruments", Role.INSTRUMENT, _INSTRUMENT, r"\bother (?:international )?instruments\b"
    ),
    Lexeme("best-practice-approaches", Role.INSTRUMENT, _APPROACH, r"\bbest-practice approaches\b"),
    Lexeme("compliance-and-enforcement-tools", Role.INSTRUMENT, _TOOL, r"\bcompliance and enforcement tools\b"),
    Lexeme(
        "trade-facilitation-instruments-and-tools",
        Role.INSTRUMENT,
        (WCOKG.Means,),
        r"\btrade facilitation instruments and tools\b",
    ),
    Lexeme(
        "customs-to-customs-networks", Role.INSTRUMENT, (WCOKG.Means, WCOKG.Network), r"\bCustoms-to-Customs networks\b"
    ),
    Lexeme(
        "customs-to-business-partnerships",
        Role.INSTRUMENT,
        (WCOKG.Means, WCOKG.Partnership),
        r"\bCustoms-to-Business partnerships\b",
    ),
    Lexeme("coordinated-border-management", Role.INSTRUMENT, _APPROACH, r"\bco-?ordinated Border Management\b"),
    Lexeme("partnership-approach", Role.INSTRUMENT, _APPROACH, r"\bpartnership approach\b"),
    Lexeme("capacity-building", Role.INSTRUMENT, _PROGRAMME, r"\bcapacity building\b"),
    Lexeme("technical-assistance", Role.INSTRUMENT, _PROGRAMME, r"\btechnical assistance\b"),
    Lexeme("training", Role.INSTRUMENT, _PROGRAMME, r"\btraining\b"),
    Lexeme("integrity-programmes", Role.INSTRUMENT, _PROGRAMME, r"\bintegrity programmes\b"),
    Lexeme("commercial-fraud", Role.SUBJECT, _SUBJECT, r"\bcommercial fraud\b"),
    Lexeme("drug-trafficking", Role.SUBJECT, _SUBJECT, r"\bdrug trafficking\b"),
    Lexeme("money-laundering", Role.SUBJECT, _SUBJECT, r"\bmoney laundering\b"),
    Lexeme("ipr", Role.SUBJECT, _SUBJECT, r"\bIPR\b"),
    Lexeme("public-health-and-safety", Role.SUBJECT, _SUBJECT, r"\bpublic health and safety\b"),
    Lexeme("environmental-crimes", Role.SUBJECT, _SUBJECT, r"\benvironmental crimes\b"),
    Lexeme("pandemics", Role.SUBJECT, _SUBJECT, r"\bpandemics\b"),
    Lexeme("trade-facilitation", Role.SUBJECT, _SUBJECT, r"\b(?P<label>trade facilitation) matters\b"),
    Lexeme("intelligence-sharing", Role.SUBJECT, _SUBJECT, r"\bintelligence sharing\b"),
    Lexeme(
        "exchange-of-information-and-experience",
        Role.SUBJECT,
        _SUBJECT,
        r"\bexchange of information and experience\b",
    ),
    Lexeme("best-practices", Role.SUBJECT, _SUBJECT, r"\b(?:identification of )?(?P<label>best practices)\b"),
    Lexeme(
        "harmonization-and-simplification-of-customs-systems-and-procedures",
        Role.SUBJECT,
        _SUBJECT,
        r"\bharmonization and simplification of Customs systems and procedures\b",
    ),
    Lexeme("international-trade-supply-chain", Role.SUBJECT, _SUBJECT, r"\binternational trade supply chain\b"),
    Lexeme(
        "capacity-of-member-customs-administrations",
        Role.SUBJECT,
        _SUBJECT,
        r"\bcapacity of Member Customs administrations\b",
    ),
    Lexeme("strategic-interests", Role.SUBJECT, _SUBJECT, r"\bstrategic interests\b"),
    Lexeme("communication", Role.SUBJECT, _SUBJECT, r"\bcommunication\b"),
    Lexeme("research-and-analysis", Role.SUBJECT, _SUBJECT, r"\bresearch and analysis\b"),
    Lexeme("human-and-financial-resources", Role.SUBJECT, _SUBJECT, r"\bhuman and financial resources\b"),
    Lexeme(
        "member-administrations", Role.STAKEHOLDER, _STAKEHOLDER, r"\bMember(?: Customs)? administrations\b|\bMembers\b"
    ),
    Lexeme(
        "international-organizations",
        Role.STAKEHOLDER,
        _STAKEHOLDER,
        r"\binternational (?:and regional )?organizations\b",
    ),
    Lexeme("regional-organizations", Role.STAKEHOLDER, _STAKEHOLDER, r"\bregional organizations\b"),
    Lexeme("business-partners", Role.STAKEHOLDER, _STAKEHOLDER, r"\bBusiness partners\b"),
    Lexeme("other-border-agencies", Role.STAKEHOLDER, _STAKEHOLDER, r"\bother border agencies\b"),
    Lexeme("private-sector", Role.STAKEHOLDER, _STAKEHOLDER, r"\bprivate sector\b"),
    Lexeme("governments", Role.STAKEHOLDER, _STAKEHOLDER, r"\bgovernments\b"),
    Lexeme("donor-agencies", Role.STAKEHOLDER, _STAKEHOLDER, r"\bdonor agencies\b"),
    Lexeme("research-institutions", Role.STAKEHOLDER, _STAKEHOLDER, r"\bresearch institutions\b"),
    Lexeme(
        "world-trade-organization",
        Role.PARTNER,
        (ORG.FormalOrganization, SDO.Organization),
        r"\bWorld Trade Organization\b",
    ),
    Lexeme(
        "trade-facilitation-negotiating-group",
        Role.PARTNER,
        (ORG.OrganizationalUnit,),
        r"\bTrade Facilitation Negotiating Group\b",
    ),
)
