"""The SPARQL 1.1 Protocol, read-only: the query from a request, answers in each format, the service description."""

from __future__ import annotations

import binascii
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl

import pyoxigraph as ox
from starlette.requests import Request

from ..sparql.query import Answer
from ..sparql.results import compact
from .published import Published
from .rdf import serialize

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
"""Result formats of SELECT and ASK, JSON first (the answer to ``*/*``)."""
GRAPH_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
"""Formats of CONSTRUCT and DESCRIBE answers, Turtle first."""
MAX_BODY = 64 * 1024
MAX_QUERY = 16 * 1024
FORM = "application/x-www-form-urlencoded"
FORMATS = "http://www.w3.org/ns/formats/"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
STARTER = """# What kinds of thing does the graph hold, and how many of each?
# Edit this query, or start from one of the catalog's questions.
SELECT ?class ?label (COUNT(?thing) AS ?things) WHERE {
  ?thing a ?class .
  OPTIONAL { ?class rdfs:label ?label FILTER(LANG(?label) = "en") }
}
GROUP BY ?class ?label
ORDER BY DESC(?things) ?class
"""
"""The query page's query when it is opened without one: a question any graph answers."""


class Answers:
    """The last answers of one generation, by query text and ``Accept`` header, least recently used out first:
    the graph does not change while it is served, so a question asked again (the catalog's, a dashboard's) is
    answered without the engine. Bounded: ``size`` answers of at most ``max_bytes`` each.

    >>> answers = Answers(size=1, max_bytes=4)
    >>> answers.put(("q1", "*/*"), (b"1234", "text/csv", {}))
    >>> answers.put(("q2", "*/*"), (b"12345", "text/csv", {}))  # too big: not kept
    >>> answers.get(("q1", "*/*"))[0], answers.get(("q2", "*/*"))
    (b'1234', None)
    >>> answers.put(("q3", "*/*"), (b"1", "text/csv", {}))  # the oldest goes
    >>> answers.get(("q1", "*/*")), answers.get(("q3", "*/*"))[0]
    (None, b'1')
    """

    def __init__(self, size: int = 256, max_bytes: int = 256 * 1024):
        self.size, self.max_bytes = size, max_bytes
        self.kept: OrderedDict[tuple[str, str], tuple[bytes, str, dict[str, str]]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> tuple[bytes, str, dict[str, str]] | None:
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
        return found

    def put(self, key: tuple[str, str], answer: tuple[bytes, str, dict[str, str]]) -> None:
        if len(answer[0]) <= self.max_bytes:
            self.kept[key] = answer
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)


class ProtocolError(Exception):
    """A request the endpoint refuses: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


async def _body(request: Request) -> bytes:
    """The request body, refused past MAX_BODY bytes whatever Content-Length claims."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit():
        raise ProtocolError(400, "Content-Length is not a number")
    if int(declared) > MAX_BODY:
        raise ProtocolError(413, f"request body of {declared} bytes refused (at most {MAX_BODY})")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ProtocolError(413, f"request body over {MAX_BODY} bytes refused")
        chunks.append(chunk)
    return b"".join(chunks)


_STRAY_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_VISIBLE = bytes(range(0x21, 0x7F))


def query_fields(query_string: bytes) -> list[tuple[str, str]]:
    """The fields of a URL's query string, as ``urllib.parse.parse_qsl`` (blank values kept) reads it from its
    Latin-1 text, as Starlette does, but decoding the escapes in C: ``binascii.a2b_qp`` decodes ``=XX``, so each
    '=' is escaped and each '%' made a '='. A query's prologue is hundreds of escapes, which urllib decodes one by
    one in Python (a fifth of the CPU time of an uncached /sparql request). A string with a '%' not followed by
    two hex digits, a space, a control or a non-ASCII byte takes urllib's own path.

    >>> query_fields(b"query=ASK%20%7B%7D&x=a+b%3Dc&flag")
    [('query', 'ASK {}'), ('x', 'a b=c'), ('flag', '')]
    """
    if query_string.translate(None, _VISIBLE) or _STRAY_PERCENT.search(query_string):
        return parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    fields = []
    for pair in query_string.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.append((_unescaped(name), _unescaped(value)))
    return fields


def _unescaped(part: bytes) -> str:
    part = part.replace(b"+", b" ")
    if b"%" not in part:
        return part.decode("ascii")
    return binascii.a2b_qp(part.replace(b"=", b"=3D").replace(b"%", b"=")).decode("utf-8", "replace")


async def read_query(request: Request) -> tuple[str | None, str]:
    """The query of a protocol request (GET ``?query=``, POST form, POST ``application/sparql-query``), or None;
    and the URL's ``format=`` (its last, "" without one), read from the same parse of the query string.

    Raises:
        ProtocolError: an update, an oversized or undecodable body, an unsupported content type, several
            queries, dataset parameters (the dataset is fixed), or a query over MAX_QUERY characters.
    """
    params: dict[str, list[str]] = {}
    for key, value in query_fields(request.scope["query_string"]):
        params.setdefault(key, []).append(value)
    chosen = params.get("format", [""])[-1]
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the request body is not UTF-8") from None
        if media_type == FORM:
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif media_type == "application/sparql-query":
            params.setdefault("query", []).append(text)
        elif media_type == "application/sparql-update":
            raise ProtocolError(400, "SPARQL Update refused: this endpoint is read-only")
        else:
            raise ProtocolError(415, f"POST a form ({FORM}) or application/sparql-query, not {media_type or 'nothing'}")
    if "update" in params:
        raise ProtocolError(400, "SPARQL Update refused: this endpoint is read-only")
    for key in ("default-graph-uri", "named-graph-uri"):
        if key in params:
            raise ProtocolError(400, f"{key} is not supported: name graphs with FROM or GRAPH in the query")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} query parameters given; give one")
    if queries and len(queries[0]) > MAX_QUERY:
        raise ProtocolError(400, f"query of {len(queries[0])} characters refused (at most {MAX_QUERY})")
    if queries and not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    return (queries[0] if queries else None), chosen


def offered(answer: Answer) -> list[str]:
    """The media types an answer can be written in, the default first, HTML last."""
    return [*(GRAPH_TYPES if answer.kind == "graph" else SOLUTION_TYPES), "text/html"]


FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n-triples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "json-ld": (None, "application/ld+json"),
    "jsonld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "html": ("text/html", "text/html"),
}
"""The short names clients send as ``format=`` (SPARQLWrapper's ``json``, Fuseki's ``csv`` …): the media type for
solutions, and for a graph."""


def format_type(value: str, answer: Answer) -> str:
    """The media type a ``format=`` value names for ``answer``: a media type as it is, a short name by the kind of
    answer (``json`` is SPARQL JSON for solutions, JSON-LD for a graph); an unknown name as it is."""
    solutions, graph = FORMAT_NAMES.get(value.lower(), (None, None))
    return (graph if answer.kind == "graph" else solutions) or value


def graph_triples(answer: Answer) -> list[ox.Triple]:
    return list(ox.parse(answer.payload, format=ox.RdfFormat.N_TRIPLES))


def write(answer: Answer, media_type: str, prefixes: dict[str, str]) -> bytes:
    """A graph or solutions answer in ``media_type`` (one of ``offered(answer)`` except HTML)."""
    if answer.kind == "graph":
        return serialize(graph_triples(answer), media_type, prefixes)
    if SOLUTION_TYPES[media_type] == ox.QueryResultsFormat.JSON:
        return answer.payload
    parsed = ox.parse_query_results(answer.payload, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_TYPES[media_type])


@dataclass
class HtmlResult:
    """An answer as the query page shows it: a boolean, a graph in Turtle, or rows of (text, link) cells."""

    boolean: bool | None = None
    graph: str | None = None
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[str, str | None], ...], ...] = ()
    truncated: bool = False


def html_result(answer: Answer, published: Published) -> HtmlResult:
    if answer.kind == "graph":
        return HtmlResult(graph=serialize(graph_triples(answer), "text/turtle", published.prefixes).decode("utf-8"))
    document = json.loads(answer.payload)
    if "boolean" in document:
        return HtmlResult(boolean=document["boolean"])
    variables = tuple(document["head"]["vars"])

    def cell(term: dict[str, str] | None) -> tuple[str, str | None]:
        if term is None:
            return "", None
        if term["type"] == "uri":
            return compact(term["value"], published.prefixes), published.local_path(term["value"]) or term["value"]
        return term["value"], None

    rows = tuple(tuple(cell(b.get(v)) for v in variables) for b in document["results"]["bindings"])
    return HtmlResult(variables=variables, rows=rows, truncated=answer.truncated)


def service_description(endpoint: str, published: Published, media_type: str) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``, in an RDF ``media_type``."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    size = ox.Literal(str(len(published.store)), datatype=XSD_INTEGER)
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, rdf_type, ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), service),
        ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, ox.NamedNode(sd + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), default),
        ox.Triple(default, rdf_type, ox.NamedNode(sd + "Graph")),
        ox.Triple(
            default,
            ox.NamedNode("http://rdfs.org/ns/void#triples"),
            size,
        ),
    ]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        triples.append(ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(FORMATS + name)))
    for graph in published.named_graphs():
        node = ox.BlankNode("graph-" + graph.rsplit("/", 1)[1])
        triples.append(ox.Triple(dataset, ox.NamedNode(sd + "namedGraph"), node))
        triples.append(ox.Triple(node, ox.NamedNode(sd + "name"), ox.NamedNode(graph)))
    return serialize(triples, media_type, published.prefixes)
