"""What each page shows, as plain data for the templates: resources with their evidence, the source, the home page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib.resources import files

import pyoxigraph as ox

from ..extraction.coverage import CATEGORIES
from ..names import PREFIXES
from ..sparql.results import compact
from .published import LABELS, RDF, VOCABULARY, WCOKG, Published, Quote

SCHEMA = "https://schema.org/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DESCRIPTIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/ns/shacl#message",
)
FIGURE = SCHEMA + "QuantitativeValue"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Reused:
    """What ``reused.json`` says of terms of other vocabularies: their labels, the phrases that read a link from
    its object's page, and the groups of a resource page in order (a group's key → its heading)."""

    labels: dict[str, str]
    inverse: dict[str, str]
    groups: dict[str, str]
    headings: dict[str, str]
    ranks: dict[str, int]

    @classmethod
    def load(cls) -> Reused:
        data = json.loads(files("wcokg.web").joinpath("reused.json").read_text(encoding="utf-8"))

        def iri(curie: str) -> str:
            prefix, local = curie.split(":", 1)
            return PREFIXES[prefix] + local

        terms = [iri(t) for g in data["groups"] for t in g["terms"]]
        return cls(
            labels={iri(k): v for k, v in data["labels"].items()},
            inverse={iri(k): v for k, v in data["inverse"].items()},
            groups={iri(t): g["key"] for g in data["groups"] for t in g["terms"]},
            headings={g["key"]: g["heading"] for g in data["groups"]},
            ranks={t: rank for rank, t in enumerate(terms)},
        )

    def order(self, iri: str) -> int:
        """Where a property stands among its group's: as listed, the others after."""
        return self.ranks.get(iri, len(self.ranks))


REUSED = Reused.load()


@dataclass(frozen=True)
class Link:
    """A term as a reader sees it: its label (or prefixed name), where it leads, and its full IRI."""

    text: str
    href: str
    iri: str


@dataclass
class Value:
    """One object of a property: a link or a literal, a figure's reading, the quotes stating it and the numbers
    of the paragraphs (on this page) that hold them."""

    text: str
    link: Link | None = None
    note: str = ""
    figure: str = ""
    quotes: list[Quote] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)


@dataclass
class Property:
    predicate: Link
    values: list[Value]


@dataclass
class Paragraph:
    """A paragraph (a line) of a source, quoted once on a page with every span the page's facts quote marked:
    ``pieces`` are (text, marked); ``spans`` link each quote to its place on the source page. ``found`` is False
    for a quote the source no longer holds at its offsets (then only the quote is shown, and said to be missing)."""

    number: int
    line: int
    pieces: list[tuple[str, bool]]
    spans: list[tuple[int, int, str]]
    found: bool = True


@dataclass
class Group:
    """Statements of a page that say one kind of thing, and the paragraphs first quoted for them."""

    heading: str
    properties: list[Property]
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """A statement naming the page's resource, read as a sentence: "<subject> <verbs> this", or, for a noun
    such as *purpose*, "This <inverse> <subject>"."""

    subject: Link
    verbs: tuple[Link, ...]
    inverse: str = ""


@dataclass(frozen=True)
class Usage:
    """How a vocabulary term is used in the published data: a count and up to three examples."""

    count: int
    unit: str
    examples: list[tuple[Link, Value | None]]
    """(subject, object) of a property's statements; (instance, None) for a class."""


@dataclass
class Resource:
    """A resource page: first its label, kinds, description and key facts (with the paragraphs that state them
    when a description is one), then its statements in groups, each value once with references to the
    paragraphs stating it, then the statements of other resources naming it."""

    iri: str
    anchor: str
    label: str
    types: list[Link]
    description: list[str]
    lead: list[Value | Paragraph] = field(default_factory=list)
    """The descriptions: each a paragraph of the source when it is one, else its text."""
    facts: list[Property] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    incoming: list[Mention] = field(default_factory=list)


def link(published: Published, iri: str) -> Link:
    """A link to ``iri``: to its page on this server when the server holds it, else to the IRI itself; a blank
    node (the ontology's axioms have some) has no page, so it links nowhere but to itself on the page."""
    if ":" not in iri:
        return Link("(anonymous)", f"#{iri}", iri)
    name = published.labels.get(iri) or compact(iri, published.prefixes)
    return Link(name, published.local_path(iri) or iri, iri)


def term(published: Published, iri: str) -> Link:
    """A link to a class or property, named in words whatever its vocabulary: the ontology's label, the label
    the pages give a reused term, else its local name split into words (``byteSize`` → ``byte size``)."""
    found = link(published, iri)
    name = published.labels.get(iri) or REUSED.labels.get(iri)
    if name is None:
        local = re.split(r"[#/]", iri)[-1] or iri
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()
    return Link(name, found.href, iri)


def by_text(item: Link) -> tuple[str, str, str]:
    """Sort key of links: by text regardless of case, then exactly (``Harbour Services`` before ``harbour
    services``), then by IRI, so that equal labels keep one order from run to run."""
    return item.text.lower(), item.text, item.iri


def _literal(term: ox.Literal) -> Value:
    if term.language:  # the pages are in English: only other languages are said
        note = "" if term.language == "en" else f"@{term.language}"
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


def figure(published: Published, iri: str) -> tuple[str, list[Quote]]:
    """A QuantitativeValue read aloud ("approximately 60 % of port traffic, as of 2020-03-02") and its quotes."""
    facts = {t.predicate.value: t.object for t in published.triples(iri)}
    words = [facts[SCHEMA + "value"].value] if SCHEMA + "value" in facts else []
    if SCHEMA + "minValue" in facts:
        exclusive = facts.get(WCOKG + "lowerBoundExclusive", ox.Literal("false")).value == "true"
        words.append(f"{'more than' if exclusive else 'at least'} {facts[SCHEMA + 'minValue'].value}")
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
    return text, quotes


def group(published: Published, predicate: str, values: list[Value]) -> str:
    """The group of a page a property's statements go to: the property's own (reused.json), else the nearest
    super-property's, else ``identity`` for literals, ``figures`` for figures, ``actions`` for the ontology's own
    links, ``links``."""
    chain, seen = [predicate], {predicate}
    for iri in chain:  # breadth first: the nearest super-property decides
        if iri in REUSED.groups:
            return REUSED.groups[iri]
        for triple in published.triples(iri):
            if triple.predicate.value == RDFS + "subPropertyOf" and triple.object.value not in seen:
                seen.add(triple.object.value)
                chain.append(triple.object.value)
    if all(v.figure for v in values):
        return "figures"
    if all(v.link is None for v in values):
        return "identity"
    return "actions" if predicate.startswith(WCOKG) else "links"


def paragraphs(published: Published, values: list[Value], marked: list[Quote], numbers: dict) -> list[Paragraph]:
    """The paragraphs holding the quotes of ``values`` not yet numbered in ``numbers`` ((source, line start) →
    number, for the whole page), each with every quote of the page in it (``marked``) marked; the values get
    the numbers of their paragraphs as ``refs``."""
    found: list[Paragraph] = []
    for value in values:
        for quote in value.quotes:
            text = published.sources[quote.source].text if quote.source in published.sources else ""
            href = f"{published.local_path(quote.source) or quote.source}#char={quote.start},{quote.end}"
            if text[quote.start : quote.end] != quote.exact:  # shown alone, and said to be missing
                key: tuple = (quote.source, quote.start, quote.end)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    spans = [(quote.start, quote.end, href)]
                    found.append(Paragraph(numbers[key], 0, [(quote.exact, True)], spans, found=False))
            else:
                begin = text.rfind("\n", 0, quote.start) + 1
                key = (quote.source, begin)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    found.append(_paragraph(published, text, begin, quote.source, marked, numbers[key]))
            if numbers[key] not in value.refs:
                value.refs.append(numbers[key])
    return found


def _paragraph(published: Published, text: str, begin: int, source: str, marked: list[Quote], number: int) -> Paragraph:
    """The paragraph of ``text`` starting at ``begin``, the quotes of ``marked`` inside it marked (overlapping
    ones as one mark)."""
    stop = text.find("\n", begin)
    stop = len(text) if stop < 0 else stop
    path = published.local_path(source) or source
    inside = sorted({(q.start, q.end) for q in marked if q.source == source and begin <= q.start and q.end <= stop})
    merged: list[list[int]] = []
    for start, end in inside:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], begin
    for start, end in merged:
        pieces += [(text[position:start], False), (text[start:end], True)]
        position = end
    pieces.append((text[position:stop], False))
    pieces[0] = (pieces[0][0].lstrip(), False)
    pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    spans = [(start, end, f"{path}#char={start},{end}") for start, end in inside]
    return Paragraph(number, text.count("\n", 0, begin) + 1, [p for p in pieces if p[0]], spans)


def _words(paragraph: Paragraph) -> str:
    return " ".join("".join(text for text, _ in paragraph.pieces).split())


def resource(published: Published, iri: str) -> Resource:
    """Everything the page of ``iri`` shows."""
    triples = published.triples(iri)
    figures = {t.subject.value for t in published.triples(graph=None, obj=FIGURE) if t.predicate.value == RDF + "type"}
    types = [term(published, t.object.value) for t in triples if t.predicate.value == RDF + "type"]
    label = published.labels.get(iri) or compact(iri, published.prefixes)
    grouped: dict[str, list[Value]] = {}
    for t in triples:
        if t.predicate.value == RDF + "type":
            continue
        value = _value(published, t.object)
        if t.object.value in figures:
            value.figure, value.quotes = figure(published, t.object.value)
        quotes = published.evidence.get((t.subject, t.predicate, t.object), [])
        value.quotes = sorted(set(quotes + value.quotes), key=lambda q: (q.source, q.start, q.end))
        grouped.setdefault(t.predicate.value, []).append(value)
    marked = [q for values in grouped.values() for v in values for q in v.quotes]
    numbers: dict = {}
    page = Resource(iri, iri.rsplit("#", 1)[1] if "#" in iri else "", label, types, [])
    descriptions = [v for p in DESCRIPTIONS for v in grouped.pop(p, [])]
    page.description = [v.text for v in descriptions]
    pending: list[Paragraph] = []
    for value in descriptions:
        held = paragraphs(published, [value], marked, numbers)
        if len(held) == 1 and _words(held[0]) == " ".join(value.text.split()):
            page.lead.append(held[0])  # the description is a paragraph of the source: quoted here, once
        else:
            page.lead.append(value)
            pending += held
    named = [p for p in LABELS if p in grouped and all(v.text == label for v in grouped[p])]
    name = Value(label, quotes=[q for p in named for v in grouped.pop(p) for q in v.quotes])
    pending += paragraphs(published, [name], marked, numbers)
    sections: dict[str, list[Property]] = {key: [] for key in REUSED.headings}
    for predicate, values in grouped.items():
        sections[group(published, predicate, values)].append(Property(term(published, predicate), values))
    for properties in sections.values():
        properties.sort(key=lambda p: (REUSED.order(p.predicate.iri), by_text(p.predicate)))
    page.facts = sections.pop("identity")
    pending += paragraphs(published, [v for p in page.facts for v in p.values], marked, numbers)
    for key, properties in sections.items():
        if properties:
            shown = paragraphs(published, [v for p in properties for v in p.values], marked, numbers)
            page.groups.append(Group(REUSED.headings[key], properties, pending + shown))
            pending = []
    if pending:
        page.groups.append(Group("The words of the source", [], pending))
    page.incoming = mentions(published, iri)
    return page


def mentions(published: Published, iri: str) -> list[Mention]:
    """The statements of other resources naming ``iri``, one sentence per subject (and per noun property); the
    evidence graph's links (quotes to their source, facts to their parts) are left out: they are the evidence."""
    evidence = ox.NamedNode(published.base + "graph/evidence")
    verbs: dict[tuple[str, str], set[str]] = {}
    for q in published.by_object.get(iri, []):
        if q.graph_name == evidence or q.predicate.value.startswith(RDF):
            continue
        inverse = REUSED.inverse.get(q.predicate.value, "")
        verbs.setdefault((q.subject.value, inverse), set()).add(q.predicate.value)
    found = [
        Mention(link(published, subject), tuple(sorted((term(published, p) for p in ps), key=by_text)), inverse)
        for (subject, inverse), ps in verbs.items()
    ]
    return sorted(found, key=lambda m: (bool(m.inverse), by_text(m.subject), m.inverse))


OWL = "http://www.w3.org/2002/07/owl#"
KINDS = (
    (OWL + "Class", "Classes"),
    (OWL + "ObjectProperty", "Object properties"),
    (OWL + "DatatypeProperty", "Datatype properties"),
    (OWL + "AnnotationProperty", "Annotation properties"),
    ("http://www.w3.org/2004/02/skos/core#ConceptScheme", "Individuals and concept schemes"),
    (OWL + "NamedIndividual", "Individuals and concept schemes"),
)
"""The sections of a vocabulary's page, in order, by the type of their terms."""
AXIOMS = (
    (RDFS + "domain", "domain"),
    (RDFS + "range", "range"),
    (RDFS + "subClassOf", "sub-class of"),
    (RDFS + "subPropertyOf", "sub-property of"),
    (OWL + "inverseOf", "inverse of"),
)


@dataclass
class Term:
    """A term of a vocabulary as its page lists it: label, definition, domain, range and the like as labelled
    links, and how often the data uses it."""

    iri: str
    anchor: str
    label: str
    definition: list[str]
    axioms: list[tuple[str, list[Link]]]
    usage: Usage | None


def terms(published: Published, triples: list[ox.Triple]) -> list[tuple[str, list[Term]]]:
    """The terms a vocabulary (the ontology, the shapes) describes, in sections by kind (classes, object and
    datatype properties, individuals …, then the terms it reuses from other vocabularies), A–Z by label."""
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)} - set(VOCABULARY)
    sections: dict[str, list[Term]] = {}
    for iri in sorted(subjects):
        facts = published.triples(iri)
        kinds = {t.object.value for t in facts if t.predicate.value == RDF + "type"}
        own = any(t.predicate.value == RDFS + "isDefinedBy" for t in facts)
        heading = next((h for kind, h in KINDS if kind in kinds), "Other terms")
        if not own and ":" in iri:
            heading = "Terms reused from other vocabularies"
        axioms = [
            (name, [term(published, t.object.value) for t in facts if t.predicate.value == predicate])
            for predicate, name in AXIOMS
        ]
        definition = [t.object.value for p in DESCRIPTIONS[:1] for t in facts if t.predicate.value == p]
        found = term(published, iri)
        anchor = iri.rsplit("#", 1)[1] if "#" in iri else iri
        section = sections.setdefault(heading, [])
        section.append(Term(iri, anchor, found.text, definition, [a for a in axioms if a[1]], usage(published, iri)))
    order = [h for _, h in KINDS] + ["Other terms", "Terms reused from other vocabularies"]
    return [
        (h, sorted(sections[h], key=lambda t: (t.label.lower(), t.iri))) for h in dict.fromkeys(order) if h in sections
    ]


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
class Piece:
    """A stretch of a line of the source and what became of it (``claimed``, ``not-modelled``, ``layout``), with
    the page of the resource its facts are about (a claimed stretch) and a note; or an ``anchor`` where quotes
    begin (``text`` is then the anchor's id)."""

    kind: str
    text: str
    href: str = ""
    note: str = ""


@dataclass(frozen=True)
class Line:
    """A line of the source, in pieces; or, with ``kept_out``, a quarantined span shown by its reasons only."""

    number: int
    pieces: list[Piece]
    kept_out: str = ""


def source(published: Published, iri: str) -> list[Line]:
    """The text of source ``iri`` line by line, each stretch marked with what became of it and each claimed one
    linked to the resource its facts are about; a quarantined span is one line of its reasons, without its words."""
    attached = published.sources[iri]
    text = attached.text
    quotes = sorted(
        ((q, fact) for fact, found in published.evidence.items() for q in found if q.source == iri),
        key=lambda pair: pair[0].start - pair[0].end,  # the longest first: a shorter quote inside it wins
    )
    found, declared = attached.coverage
    marks = list(found) or [CATEGORIES.index("not-modelled")] * len(text)
    about = [""] * len(text)
    for quote, fact in quotes:
        for index in range(quote.start, min(quote.end, len(text))):
            marks[index], about[index] = CATEGORIES.index("claimed"), fact[0].value
    notes = [""] * len(text)
    for start, end, reason in declared:
        notes[start:end] = [reason] * (end - start)
    for q in attached.quarantined:
        marks[q.start : q.end] = [CATEGORIES.index("quarantined")] * (q.end - q.start)
    starts: dict[int, set[str]] = {}
    for quote, _ in quotes:
        starts.setdefault(quote.start, set()).add(f"char={quote.start},{quote.end}")
    lines: list[Line] = []
    pieces: list[Piece] = []
    position, number = 0, 1
    while position < len(text):
        kind = CATEGORIES[marks[position]]
        if kind == "quarantined":
            span = next(q for q in attached.quarantined if q.start <= position < q.end)
            if pieces:
                lines.append(Line(number, pieces))
                pieces = []
            lines.append(Line(number, [], kept_out=span.reasons))
            number += text.count("\n", span.start, span.end)
            position = span.end
            continue
        if text[position] == "\n":
            lines.append(Line(number, pieces))
            pieces, number, position = [], number + 1, position + 1
            continue
        pieces.extend(Piece("anchor", anchor) for anchor in sorted(starts.get(position, ())))
        end = position + 1
        while (
            end < len(text)
            and text[end] != "\n"
            and end not in starts
            and (marks[end], about[end], notes[end]) == (marks[position], about[position], notes[position])
        ):
            end += 1
        href = (published.local_path(about[position]) or about[position]) if about[position] else ""
        note = f"about {link(published, about[position]).text}" if about[position] else notes[position]
        pieces.append(Piece(kind, text[position:end], href, note))
        position = end
    if pieces:
        lines.append(Line(number, pieces))
    return lines


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
