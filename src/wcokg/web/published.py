"""The published files, loaded once: a SPARQL store, the parsed quads indexed, labels, evidence, the source text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from ..budgets import read_input
from ..errors import OptionError, RdfFileError, WcoKgError
from ..extraction.document import SOURCE_BUDGET, decode_text, document_files, read_document
from ..layout import MEDIA_TYPES
from ..names import DEFAULT_BASE, prefixes
from ..publish.transaction import read_generation
from ..sparql.query import QueryDataset, start_workers

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OA = "http://www.w3.org/ns/oa#"
WCOKG = DEFAULT_BASE + "ontology#"
VOCABULARY = (DEFAULT_BASE + "ontology", DEFAULT_BASE + "shapes")
"""The fixed vocabulary IRIs: served at /ontology and /shapes whatever the base of the data."""
SHAPES_GRAPH = DEFAULT_BASE + "shapes"
"""The shapes are indexed under this graph name for the pages; they are not in the SPARQL store."""
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/ns/shacl#name",
)
"""Where a resource's label is looked for, in this order; English (or untagged) first within each."""
QUARANTINE_QUERY = """
SELECT ?source ?span ?start ?end ?reason WHERE {
  ?source wcokg:quarantinedSpan ?span . ?span oa:start ?start ; oa:end ?end ; wcokg:quarantineReason ?reason .
}
"""


def read_published(out_dir: str | Path) -> dict[str, bytes]:
    """Every published file by name, from one generation of ``out_dir``: the one place the web package reads it.

    Raises:
        RdfFileError: a published file is missing or unreadable.
    """
    return read_generation(out_dir, MEDIA_TYPES)


@dataclass(frozen=True)
class Quote:
    """The words of the source that state a fact: ``text[start:end] == exact``."""

    exact: str
    start: int
    end: int
    source: str


@dataclass(frozen=True)
class Quarantine:
    """A span of the source that is never shown: its offsets and the reasons."""

    start: int
    end: int
    reasons: str


@dataclass(frozen=True)
class Source:
    """A source document the graph was built from: its text, its quarantined spans (shown without their words)
    and the IRIs of those spans."""

    text: str
    quarantined: tuple[Quarantine, ...]
    spans: tuple[str, ...]
    path: Path | None = None
    """The file the text was read from, with its claims file beside it."""

    @cached_property
    def coverage(self) -> tuple[tuple[int, ...], tuple[tuple[int, int, str], ...]]:
        """What became of each character (an index of ``extraction.coverage.CATEGORIES``), and the spans declared
        not modelled or layout (start, end, reason), as the claims file beside the text says: read on the first
        source page served, not at start-up; both empty when it cannot be read or no longer fits the text (the
        source page then tells only quoted from quarantined text)."""
        if self.path is None:
            return (), ()
        try:
            document = read_document(self.path)
        except WcoKgError:
            return (), ()
        if document.text != self.text:
            return (), ()
        declared = tuple((p.span.start, p.span.end, p.entry.reason) for p in document.declared)
        return document.coverage.marks, declared


@dataclass
class Published:
    """The published graphs of one base: in pyoxigraph for SPARQL, and as parsed (literals exactly as written,
    where the store would rewrite ``xsd:positiveInteger`` as ``xsd:integer``) for the documents and pages."""

    base: str
    files: dict[str, bytes]
    store: ox.Store
    quads: list[ox.Quad]
    prefixes: dict[str, str]
    modified: float = 0.0
    """When this generation was published (its manifest's modification time): the pages' ``Last-Modified``."""
    sources: dict[str, Source] = field(default_factory=dict)
    """The source documents by IRI, in IRI order."""
    by_subject: dict[str, list[ox.Quad]] = field(default_factory=dict)
    by_object: dict[str, list[ox.Quad]] = field(default_factory=dict)
    by_graph: dict[str, list[ox.Quad]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for quad in self.quads:
            self.by_subject.setdefault(quad.subject.value, []).append(quad)
            if isinstance(quad.object, ox.NamedNode):
                self.by_object.setdefault(quad.object.value, []).append(quad)
            graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            self.by_graph.setdefault(graph, []).append(quad)

    def about(self) -> dict[str, str]:
        """The dataset's title, description and licence, as void.ttl gives them."""
        query = f"""SELECT ?title ?description ?license WHERE {{
          <{self.base}dataset> dcterms:title ?title ; dcterms:description ?description ; dcterms:license ?license .
        }}"""
        row = next(iter(self.query(query)), None)
        return {name: row[name].value if row else "" for name in ("title", "description", "license")}

    @cached_property
    def labels(self) -> dict[str, str]:
        """Each resource's label (see ``LABELS``), whitespace collapsed: made on the first page served."""
        labels = {}
        for predicate in reversed(LABELS):
            for quad in self.quads:
                if quad.predicate.value == predicate and isinstance(quad.object, ox.Literal):
                    if quad.object.language in (None, "en"):
                        labels[quad.subject.value] = " ".join(quad.object.value.split())
        return labels

    @cached_property
    def evidence(self) -> dict[tuple[ox.Term, ox.Term, ox.Term], list[Quote]]:
        """(subject, predicate, object) of each fact → the quotes its annotations point at, exactly as parsed: made
        on the first page served."""
        return _index_evidence(self)

    @cached_property
    def uses(self) -> dict[str, list[ox.Quad]]:
        """The quads of the data, links and evidence graphs by predicate, and their ``rdf:type`` quads also by class
        (``rdf:type`` is a key of both): what the ontology page counts as a term's use."""
        graphs = {ox.NamedNode(self.base + f"graph/{name}") for name in ("data", "links", "evidence")}
        found: dict[str, list[ox.Quad]] = {}
        for quad in self.quads:
            if quad.graph_name in graphs:
                found.setdefault(quad.predicate.value, []).append(quad)
                if quad.predicate.value == RDF + "type":
                    found.setdefault(quad.object.value, []).append(quad)
        return found

    @cached_property
    def dataset(self) -> QueryDataset:
        """The store as ``wcokg.sparql.query.run_query`` sees it, with query workers forked now (sharing the
        loaded store) and kept from query to query."""
        dataset = QueryDataset.from_store(self.store, self.prefixes)
        start_workers(dataset)
        return dataset

    def query(self, text: str) -> ox.QuerySolutions:
        """A query of the server's own (never a client's), the project's prefixes predeclared."""
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())
        return self.store.query(prologue + text, use_default_graph_as_union=True)

    def named_graphs(self) -> list[str]:
        """The named graphs of wcokg.nq (the shapes, indexed as a graph for the pages, are not among them)."""
        return sorted(graph.value for graph in self.store.named_graphs())

    def triples(self, subject: str | None = None, graph: str | None = None, obj: str | None = None) -> list[ox.Triple]:
        """Triples about ``subject``, naming ``obj``, or in ``graph`` ("" is void.ttl), each once, sorted."""
        if subject is not None:
            quads = self.by_subject.get(subject, [])
        elif obj is not None:
            quads = self.by_object.get(obj, [])
        elif graph is not None:
            quads = self.by_graph.get(graph, [])
        else:
            quads = self.quads
        graph_name = None if graph is None else ox.NamedNode(graph) if graph else ox.DefaultGraph()
        named = None if obj is None else ox.NamedNode(obj)
        found = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in quads
            if (graph_name is None or q.graph_name == graph_name) and (named is None or q.object == named)
        }
        return sorted(found, key=str)

    def one(self, subject: str, predicate: str) -> ox.Term | None:
        """The first object of ``subject predicate``, if any."""
        return next((q.object for q in self.by_subject.get(subject, []) if q.predicate.value == predicate), None)

    def holds(self, iri: str) -> bool:
        """Whether any graph (the shapes included) names ``iri`` as subject or object."""
        return iri in self.by_subject or iri in self.by_object

    def local_path(self, iri: str) -> str | None:
        """The server path of an IRI this server dereferences (``/id/item-4``, ``/ontology#mission``), else None."""
        for root in (self.base, DEFAULT_BASE):
            if iri.startswith(root) and (root == self.base or iri.startswith(VOCABULARY)):
                return "/" + iri[len(root) :]
        return None

    def iri_of(self, path: str) -> str:
        """The IRI a server path stands for: the vocabulary under its fixed IRIs, everything else under the base."""
        fixed = DEFAULT_BASE + path.lstrip("/")
        return fixed if fixed.startswith(VOCABULARY) else self.base + path.lstrip("/")


def _index_evidence(published: Published) -> dict[tuple[ox.Term, ox.Term, ox.Term], list[Quote]]:
    evidence: dict[tuple[ox.Term, ox.Term, ox.Term], list[Quote]] = {}
    one = published.one
    for quad in published.by_object.get(OA + "Annotation", []):
        body, target = one(quad.subject.value, OA + "hasBody"), one(quad.subject.value, OA + "hasTarget")
        if body is None or target is None or quad.predicate.value != RDF + "type":
            continue
        fact = tuple(one(body.value, RDF + name) for name in ("subject", "predicate", "object"))
        selectors = [
            q.object.value
            for q in published.by_subject.get(target.value, [])
            if q.predicate.value == OA + "hasSelector"
        ]
        exact = next((e for s in selectors if (e := one(s, OA + "exact")) is not None), None)
        start = next((e for s in selectors if (e := one(s, OA + "start")) is not None), None)
        end = next((e for s in selectors if (e := one(s, OA + "end")) is not None), None)
        source = one(target.value, OA + "hasSource")
        if None in fact or None in (exact, start, end, source):
            continue
        quote = Quote(exact.value, int(start.value), int(end.value), source.value)
        quotes = evidence.setdefault(fact, [])  # type: ignore[arg-type]
        if quote not in quotes:
            quotes.append(quote)
    for quotes in evidence.values():
        quotes.sort(key=lambda q: (q.start, q.end))
    return evidence


def _numbered_blank_nodes(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with their blank nodes renamed ``b1``, ``b2``… in order of appearance: the parser names a Turtle
    ``[ … ]`` at random, and the pages link to blank nodes by name, so the same file must give the same names."""
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def renamed(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"b{len(names) + 1}"))
        return term

    return [
        ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), q.graph_name)
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        else q
        for q in quads
    ]


def load_published(out_dir: str | Path, base: str, source: str | Path) -> Published:
    """Load the published files of ``out_dir`` and the source documents they were built from.

    Raises:
        RdfFileError: a published file is missing or malformed.
        SourceError: the source cannot be read.
        OptionError: the files hold no dataset under ``base``, or ``source`` is not the document they describe.
    """
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise OptionError(f"--base {base!r} must be an http(s) IRI ending in '/'")
    files = read_published(out_dir)
    store, quads = ox.Store(), []
    for name, fmt, graph in (
        ("wcokg.nq", ox.RdfFormat.N_QUADS, None),
        ("void.ttl", ox.RdfFormat.TURTLE, ox.DefaultGraph()),
        ("shapes.ttl", ox.RdfFormat.TURTLE, ox.NamedNode(SHAPES_GRAPH)),
    ):
        try:
            parsed = _numbered_blank_nodes(ox.parse(files[name], format=fmt))
            quads.extend(q if graph is None else ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed)
            if name != "shapes.ttl":  # the shapes are pages, not data to query
                store.bulk_load(files[name], format=fmt, to_graph=graph)
        except SyntaxError as exc:
            raise RdfFileError(Path(out_dir) / name, exc.lineno, exc.offset, str(exc.msg)) from None
    dataset = base + "dataset"
    if next(iter(store.quads_for_pattern(ox.NamedNode(dataset), None, None, None)), None) is None:
        found = [q.subject.value for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())][:1]
        raise OptionError(f"{out_dir}: no dataset <{dataset}> in void.ttl (found {found}): is --base {base} right?")
    published = Published(base, files, store, quads, prefixes(base), modified=_published_at(Path(out_dir)))
    _attach_source(published, source)
    return published


def _published_at(out_dir: Path) -> float:
    """The modification time of the generation's manifest (of its newest file, for a directory without one)."""
    manifest = out_dir / "manifest.json"
    if manifest.exists():
        return manifest.stat().st_mtime
    return max(path.stat().st_mtime for path in out_dir.iterdir() if path.is_file())


def _attach_source(published: Published, source: str | Path) -> None:
    """Read the texts of ``source`` (a document, or a folder of them), find each document the graph describes
    among them by its sha256, and note its quarantined spans."""
    rows = list(published.query("SELECT ?source ?sha WHERE { ?source a foaf:Document ; wcokg:sha256 ?sha }"))
    texts, paths = {}, {}
    for path in document_files(source):
        data = read_input(path, SOURCE_BUDGET)
        sha = hashlib.sha256(data).hexdigest()
        texts[sha], paths[sha] = decode_text(data, path), path
    spans: dict[str, dict[tuple[int, int], list[str]]] = {}
    nodes: dict[str, set[str]] = {}
    for row in published.query(QUARANTINE_QUERY):
        where = (int(row["start"].value), int(row["end"].value))
        spans.setdefault(row["source"].value, {}).setdefault(where, []).append(row["reason"].value)
        nodes.setdefault(row["source"].value, set()).add(row["span"].value)
    for row in sorted(rows, key=lambda row: row["source"].value):
        iri, sha = row["source"].value, row["sha"].value
        if sha not in texts:
            raise OptionError(
                f"{source}: no document with sha256 {sha[:12]}…, that of <{iri}> the graph was built from; "
                "pass the right --source"
            )
        quarantined = tuple(Quarantine(s, e, "; ".join(sorted(r))) for (s, e), r in sorted(spans.get(iri, {}).items()))
        published.sources[iri] = Source(texts[sha], quarantined, tuple(sorted(nodes.get(iri, ()))), paths[sha])
