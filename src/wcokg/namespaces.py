"""Prefixes, the closed wcokg and Web Annotation vocabularies, and the IRIs minted under a base."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .names import DEFAULT_BASE, PREFIXES, prefixes, slugify, sparql_prologue  # noqa: F401  (re-exported)


def bind(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind the project's prefixes to ``graph`` and return it."""
    for prefix, namespace in prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


@dataclass(frozen=True)
class Iris:
    """Mints the IRIs of everything published under one base (``https://w3id.org/wcokg/`` by default)."""

    base: str = DEFAULT_BASE

    def id(self, slug: str) -> URIRef:
        """The IRI of a resource: ``{base}id/{slug}``."""
        return URIRef(f"{self.base}id/{slug}")

    def graph(self, name: str) -> URIRef:
        """The IRI of a named graph: ``{base}graph/{name}``."""
        return URIRef(f"{self.base}graph/{name}")

    def source(self, name: str) -> URIRef:
        """The IRI of a source document: ``{base}source/{name}``."""
        return URIRef(f"{self.base}source/{name}")

    def dataset(self, part: str = "") -> URIRef:
        """The IRI of the dataset, or of one of its parts (a distribution, a partition)."""
        return URIRef(f"{self.base}dataset" + (f"/{part}" if part else ""))


class WCOKG(DefinedNamespace):
    """The wcokg ontology's terms; a misspelt term raises instead of minting a new IRI."""

    _NS = Namespace(PREFIXES["wcokg"])
    _fail = True

    # Classes
    Approach: URIRef
    Edit: URIRef
    GoverningBody: URIRef
    InformationNetwork: URIRef
    Instrument: URIRef
    Convention: URIRef
    FormerName: URIRef
    Means: URIRef
    Network: URIRef
    Partnership: URIRef
    Programme: URIRef
    Tool: URIRef
    QuarantinedSpan: URIRef
    Role: URIRef
    Stakeholder: URIRef
    StrategicGoal: URIRef
    SubjectArea: URIRef
    # Object properties
    actsThrough: URIRef
    develops: URIRef
    enhances: URIRef
    hasFigure: URIRef
    hasFormerName: URIRef
    hasMembers: URIRef
    involvesStakeholder: URIRef
    maintains: URIRef
    namedInGoal: URIRef
    namesInstrument: URIRef
    namesPartner: URIRef
    numberOfMembers: URIRef
    offeredTo: URIRef
    offers: URIRef
    playsRole: URIRef
    promotes: URIRef
    provides: URIRef
    quarantinedSpan: URIRef
    reliesOn: URIRef
    representsAdministrations: URIRef
    shareOfWorldTrade: URIRef
    supports: URIRef
    supportsModernizationOf: URIRef
    takesPartInProviding: URIRef
    usedFor: URIRef
    worksWith: URIRef
    # Datatype properties
    approximate: URIRef
    asOf: URIRef
    byteLength: URIRef
    goalNumber: URIRef
    inUseFrom: URIRef
    lowerBoundExclusive: URIRef
    mission: URIRef
    quarantineReason: URIRef
    sha256: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation terms the evidence graph uses."""

    _NS = Namespace(PREFIXES["oa"])
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    describing: URIRef
    end: URIRef
    exact: URIRef
    hasBody: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    hasTarget: URIRef
    motivatedBy: URIRef
    prefix: URIRef
    start: URIRef
    suffix: URIRef
