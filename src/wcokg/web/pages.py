"""What each page shows, as plain data for the templates: resources with their evidence, the source, the home page."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..sparql.results import compact
from .published import RDF, WCOKG, Published, Quote

SCHEMA = "https://schema.org/"
DESCRIPTIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/ns/shacl#message",
)
FIGURE = SCHEMA + "QuantitativeValue"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Link:
    """A term as a reader sees it: its label (or prefixed name), where it leads, and its full IRI."""

    text: str
    href: str
    iri: str


@dataclass(frozen=True)
class Evidence:
    """A quote inside its paragraph: ``before + exact + after`` is the paragraph; ``found`` is False when the
    source no longer holds the quote at its offsets (then only the quote is shown, and said to be missing)."""

    exact: str
    before: str
    after: str
    start: int
    end: int
    href: str
    found: bool


@dataclass
class Value:
    """One object of a property: a link or a literal, a figure's reading, and the evidence stating it."""

    text: str
    link: Link | None = None
    note: str = ""
    figure: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Property:
    predicate: Link
    values: list[Value]


@dataclass(frozen=True)
class Usage:
    """How a vocabulary term is used in the published data: a count and up to three examples."""

    count: int
    unit: str
    examples: list[tuple[Link, Value | None]]
    """(subject, object) of a property's statements; (instance, None) for a class."""


@dataclass
class Resource:
    """A resource page: label, types, description, properties with evidence, and the resources naming it."""

    iri: str
    anchor: str
    label: str
    types: list[Link]
    description: list[str]
    properties: list[Property]
    incoming: list[tuple[Link, Link]]
    usage: Usage | None = None


def link(published: Published, iri: str) -> Link:
    """A link to ``iri``: to its page on this server when the server holds it, else to the IRI itself; a blank
    node (the ontology's axioms have some) has no page, so it links nowhere but to itself on the page."""
    if ":" not in iri:
        return Link("(anonymous)", f"#{iri}", iri)
    name = published.labels.get(iri) or compact(iri, published.prefixes)
    return Link(name, published.local_path(iri) or iri, iri)


def by_text(item: Link) -> tuple[str, str, str]:
    """Sort key of links: by text regardless of case, then exactly (``Harbour Services`` before ``harbour
    services``), then by IRI, so that equal labels keep one order from run to run."""
    return item.text.lower(), item.text, item.iri


def evidence(published: Published, quote: Quote) -> Evidence:
    """The quote in its paragraph (a line of the source), with a link to that place on the source page."""
    attached = published.sources.get(quote.source)
    text = attached.text if attached else ""
    path = published.local_path(quote.source) or quote.source
    href = f"{path}#char={quote.start},{quote.end}"
    if text[quote.start : quote.end] != quote.exact:
        return Evidence(quote.exact, "", "", quote.start, quote.end, href, found=False)
    begin = text.rfind("\n", 0, quote.start) + 1
    stop = text.find("\n", quote.end)
    stop = len(text) if stop < 0 else stop
    before, after = text[begin : quote.start], text[quote.end : stop]
    return Evidence(quote.exact, before.lstrip(), after.rstrip(), quote.start, quote.end, href, found=True)


def _literal(term: ox.Literal) -> Value:
    if term.language:
        note = f"@{term.language}"
    elif term.datatype.value != XSD_STRING:
        note = compact(term.datatype.value, {"xsd": "http://www.w3.org/2001/XMLSchema#"})
    else:
        note = ""
    return Value(term.value, note=note)


def _value(published: Published, term: ox.Term) -> Value:
    """An object as shown: a literal with its language or datatype, a link, or a blank node's name."""
    if isinstance(term, ox.Literal):
        return _literal(term)
    if isinstance(term, ox.NamedNode):
        target = link(published, term.value)
        return Value(target.text, link=target)
    return Value(str(term))


def figure(published: Published, iri: str) -> tuple[str, list[Evidence]]:
    """A QuantitativeValue read aloud ("approximately 60 % of port traffic, as of 2020-03-02") and its evidence."""
    facts = {t.predicate.value: t.object for t in published.triples(iri)}
    words = [facts[SCHEMA + "value"].value] if SCHEMA + "value" in facts else []
    if SCHEMA + "minValue" in facts:
        words.append(f"at least {facts[SCHEMA + 'minValue'].value}")
    if SCHEMA + "maxValue" in facts:
        words.append(f"at most {facts[SCHEMA + 'maxValue'].value}")
    if SCHEMA + "unitText" in facts:
        words.append(facts[SCHEMA + "unitText"].value)
    text = " ".join(words)
    if facts.get(WCOKG + "approximate", ox.Literal("false")).value == "true":
        text = "approximately " + text
    if WCOKG + "asOf" in facts:
        text += f", as of {facts[WCOKG + 'asOf'].value}"
    quotes = [q for t in published.triples(iri) for q in published.evidence.get((t.subject, t.predicate, t.object), [])]
    return text, [evidence(published, q) for q in quotes]


def resource(published: Published, iri: str) -> Resource:
    """Everything the page of ``iri`` shows."""
    triples = published.triples(iri)
    figures = {t.subject.value for t in published.triples(graph=None, obj=FIGURE) if t.predicate.value == RDF + "type"}
    types = [link(published, t.object.value) for t in triples if t.predicate.value == RDF + "type"]
    description = [t.object.value for p in DESCRIPTIONS for t in triples if t.predicate.value == p]
    grouped: dict[str, list[Value]] = {}
    for t in triples:
        if t.predicate.value == RDF + "type":
            continue
        value = _value(published, t.object)
        if t.object.value in figures:
            value.figure, value.evidence = figure(published, t.object.value)
        quotes = published.evidence.get((t.subject, t.predicate, t.object), [])
        spans = {(e.start, e.end): e for e in [evidence(published, q) for q in quotes] + value.evidence}
        value.evidence = sorted(spans.values(), key=lambda e: (e.start, e.end))
        grouped.setdefault(t.predicate.value, []).append(value)
    properties = [Property(link(published, p), values) for p, values in grouped.items()]
    properties.sort(key=lambda prop: by_text(prop.predicate))
    incoming = [
        (link(published, q.subject.value), link(published, q.predicate.value))
        for q in published.by_object.get(iri, [])
        if not q.predicate.value.startswith(RDF)  # the evidence's rdf:subject / rdf:object: shown as evidence
    ]
    incoming = sorted(set(incoming), key=lambda pair: (by_text(pair[1]), by_text(pair[0])))
    label = published.labels.get(iri) or compact(iri, published.prefixes)
    anchor = iri.rsplit("#", 1)[1] if "#" in iri else ""
    return Resource(iri, anchor, label, types, description, properties, incoming)


def terms(published: Published, triples: list[ox.Triple]) -> list[Resource]:
    """One section per subject of a vocabulary (the ontology, the shapes): the document first, then A–Z."""
    subjects = sorted({t.subject.value for t in triples}, key=lambda iri: ("#" in iri, iri.lower(), iri))
    sections = [resource(published, iri) for iri in subjects]
    for section in sections:
        section.usage = usage(published, section.iri)
    return sections


def usage(published: Published, iri: str) -> Usage | None:
    """How often the data, links and evidence graphs use ``iri``: a class by its instances, a property by its
    statements; with the first examples (in IRI order). None for a term they do not use."""
    quads = published.uses.get(iri, [])
    if not quads:
        return None
    ordered = sorted(quads, key=lambda q: (q.subject.value, str(q.object)))
    if iri != RDF + "type" and ordered[0].predicate.value == RDF + "type":  # a class: its instances
        examples = [(link(published, q.subject.value), None) for q in ordered[:3]]
        return Usage(len({q.subject.value for q in quads}), "resources are of this class", examples)
    examples = [(link(published, q.subject.value), _value(published, q.object)) for q in ordered[:3]]
    return Usage(len(quads), "statements use this property", examples)


@dataclass(frozen=True)
class Line:
    """A line of the source: text pieces, and anchors (``char=start,end``) where evidence quotes begin."""

    number: int
    pieces: list[tuple[str, str]]


def source(published: Published, iri: str) -> list[Line | tuple[int, int, str]]:
    """The text of source ``iri`` line by line; each quarantined span becomes (start, end, reasons) and none of
    its text."""
    attached = published.sources[iri]
    text = attached.text
    starts: dict[int, list[str]] = {}
    for quotes in published.evidence.values():
        for q in quotes:
            if q.source == iri:
                starts.setdefault(q.start, []).append(f"char={q.start},{q.end}")
    blocks: list[Line | tuple[int, int, str]] = []
    cut = sorted((q.start, q.end, q.reasons) for q in attached.quarantined)
    position, number = 0, 1
    for start, end, reasons in [*cut, (len(text), len(text), "")]:
        for line in text[position:start].splitlines(keepends=True):
            pieces: list[tuple[str, str]] = []
            last = position
            for offset in sorted(o for o in starts if position <= o < position + len(line)):
                pieces.append(("text", text[last:offset]))
                pieces.extend(("anchor", anchor) for anchor in sorted(set(starts[offset])))
                last = offset
            pieces.append(("text", text[last : position + len(line)].rstrip("\n")))
            blocks.append(Line(number, pieces))
            position += len(line)
            number += 1
        if end > start:
            blocks.append((start, end, reasons))
            number += text[start:end].count("\n")
            position = end
    return blocks


@dataclass
class Home:
    """The front page: the dataset's title, description, size, licence, goals, organization and downloads."""

    title: str
    description: str
    triples: str
    entities: str
    licence: Link | None
    goals: list[tuple[str, Link]]
    organization: Link | None
    downloads: list[tuple[str, str, str, str]]
    graphs: list[tuple[Link, str]]


def home(published: Published) -> Home:
    """What the front page shows, from the VoID description and the data."""
    dataset = published.base + "dataset"
    facts = {t.predicate.value: t.object for t in published.triples(dataset)}
    licence = facts.get("http://purl.org/dc/terms/license")
    goals = [
        (row["n"].value, link(published, row["goal"].value))
        for row in published.query("SELECT ?goal ?n { ?goal a wcokg:StrategicGoal ; wcokg:goalNumber ?n } ORDER BY ?n")
    ]
    organizations = [
        row["o"].value
        for row in published.query("SELECT ?o { ?o a org:FormalOrganization ; org:purpose ?goal } LIMIT 1")
    ]
    downloads = [
        (
            row["d"].value.rsplit("/", 1)[1],
            published.local_path(row["d"].value) or row["d"].value,
            row["type"].value,
            row["size"].value,
        )
        for row in published.query(
            "SELECT ?d ?type ?size { ?set dcat:distribution ?d . ?d dcat:mediaType ?m ; dcat:byteSize ?size ."
            f" BIND(STRAFTER(STR(?m), 'media-types/') AS ?type) FILTER(?set = <{dataset}>) }} ORDER BY ?d"
        )
    ]
    graphs = [
        (link(published, row["g"].value), row["n"].value)
        for row in published.query(f"SELECT ?g ?n {{ <{dataset}> void:subset ?g . ?g void:triples ?n }} ORDER BY ?g")
    ]
    return Home(
        title=facts.get("http://purl.org/dc/terms/title", ox.Literal("")).value,
        description=facts.get("http://purl.org/dc/terms/description", ox.Literal("")).value,
        triples=facts.get("http://rdfs.org/ns/void#triples", ox.Literal("?")).value,
        entities=facts.get("http://rdfs.org/ns/void#entities", ox.Literal("?")).value,
        licence=link(published, licence.value) if licence else None,
        goals=goals,
        organization=link(published, organizations[0]) if organizations else None,
        downloads=downloads,
        graphs=graphs,
    )


def graph_subjects(published: Published, triples: list[ox.Triple]) -> list[Link]:
    """The subjects of a graph, as links sorted by label, for a graph's page."""
    return sorted({link(published, t.subject.value) for t in triples}, key=by_text)
