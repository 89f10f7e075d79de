"""Prefixes, the closed wcokg and Web Annotation vocabularies, and the IRIs minted under a base."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

DEFAULT_BASE = "https://w3id.org/wcokg/"

PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "wcokg": DEFAULT_BASE + "ontology#",
    "wcosh": DEFAULT_BASE + "shapes#",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""The standard prefixes. The vocabulary (``wcokg:``, ``wcosh:``) is fixed; ``wco:`` follows the base."""


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """All prefixes for data published under ``base``, sorted by prefix."""
    return dict(sorted({**PREFIXES, "wco": base + "id/"}.items()))


def sparql_prologue(namespaces: dict[str, str]) -> str:
    """PREFIX declarations for ``namespaces``, one line each.

    >>> sparql_prologue({"skos": "http://www.w3.org/2004/02/skos/core#"})
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n'
    """
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in namespaces.items())


def bind(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind the project's prefixes to ``graph`` and return it."""
    for prefix, namespace in prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def slugify(name: str) -> str:
    """Lowercase kebab-case slug of an English name.

    >>> slugify("World Customs Organization")
    'world-customs-organization'
    >>> slugify("Customs\\u00a0Co-operation  Council (CCC)")
    'customs-co-operation-council-ccc'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


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
    develops: URIRef
    enhances: URIRef
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
    formerName: URIRef
    goalNumber: URIRef
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
