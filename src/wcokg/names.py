"""The project's prefixes, base IRI and slugs, without an RDF library: what queries and the CLI need to start."""

from __future__ import annotations

import re

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


def slugify(name: str) -> str:
    """Lowercase kebab-case slug of an English name.

    >>> slugify("Harbour Pilots Association")
    'harbour-pilots-association'
    >>> slugify("Pilots\\u00a0Co-operation  Board (PCB)")
    'pilots-co-operation-board-pcb'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
