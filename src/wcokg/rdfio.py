"""Read RDF strictly: pyoxigraph's parser checks the syntax (rdflib's alone accepts malformed input),
then rdflib holds the graph with every literal exactly as written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph

from .budgets import BOM, DEFAULT, Budgets, check_budgets, check_size, open_input, place, read_input, without_bom
from .errors import RdfFileError

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.term import Identifier

FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld"}
_PREFIX = re.compile(r"^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def syntax_error(path: str | Path, exc: SyntaxError) -> RdfFileError:
    """Turn pyoxigraph's SyntaxError into a one-line error naming file, line and column."""
    message = exc.msg.split(": ", 1)[1] if exc.msg.startswith("Parser error") and ": " in exc.msg else exc.msg
    if "remote context" in message:
        message = "refers to a remote JSON-LD @context, which wcokg never fetches; embed it"
    return RdfFileError(path, exc.lineno, exc.offset, message)


_REMOTE_CONTEXT = re.compile(rb'"@context"\s*:\s*(?:\[[^\]"]*)?"|"@import"\s*:\s*"')


def _context(data: bytes) -> tuple[int | None, int | None]:
    """(line, column) of the first @context (or @import) that names a context by IRI (pyoxigraph says only
    that one does)."""
    found = _REMOTE_CONTEXT.search(data)
    return place(data, found.start()) if found else (None, None)


class _ByteReader:
    """A file object that hands pyoxigraph one byte per read, so that where it stops is where it failed."""

    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.data[self.position : self.position + 1]
        self.position += len(chunk)
        return chunk


def _stop(data: bytes, base_iri: str) -> tuple[int | None, int | None]:
    """(line, column) where pyoxigraph's JSON-LD parser stops on ``data`` (its errors carry no position):
    the end of the value it could not read. Not sought in files over 1 MiB (one read per byte)."""
    if len(data) > 1 << 20:
        return None, None
    reader = _ByteReader(data)
    try:
        for _ in pyoxigraph.parse(reader, format=pyoxigraph.RdfFormat.JSON_LD, base_iri=base_iri):
            pass
    except SyntaxError:
        return place(data, max(reader.position - 1, 0))
    return None, None


def read_file(path: Path, budgets: Budgets = DEFAULT) -> bytes:
    """The bytes of an RDF input (see budgets.read_input), a byte-order mark skipped; an OSError as the file and
    its cause."""
    try:
        return without_bom(read_input(path, budgets))
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> RdfFileError:
    return RdfFileError(path, None, None, f"cannot read the file: {exc.strerror or exc}")


def parse_file(path: str | Path, syntax: str | None = None, budgets: Budgets = DEFAULT) -> list[pyoxigraph.Quad]:
    """Parse one file strictly; ``syntax`` (a key of FORMATS) defaults to the one its extension names.

    Raises:
        RdfFileError: missing, oversized or malformed file, unknown syntax, remote JSON-LD context, a budget
            exceeded (see budgets.py); names file, line and column.
    """
    path = Path(path)
    data = read_file(path, budgets)
    syntax = syntax or EXTENSIONS.get(path.suffix)
    if syntax not in FORMATS:
        known = ", ".join(EXTENSIONS)
        raise RdfFileError(path, None, None, f"unknown syntax {path.suffix or syntax!r}: name a file {known}")
    return parse_bytes(data, path, syntax, budgets)


def stream_file(path: str | Path, syntax: str | None = None, budgets: Budgets = DEFAULT) -> Iterator[pyoxigraph.Quad]:
    """parse_file's quads one by one, for a pyoxigraph store (a blank node label outside ASCII kept as written:
    rdflib never reads these). An N-Triples or N-Quads file is parsed as it is read, never whole in memory (165
    MB at 10^6 triples), its budgets checked on the way (see _PlainLines); other files as parse_file reads them.

    Raises:
        RdfFileError: as parse_file, where the file is malformed or exceeds a budget.
    """
    path = Path(path)
    given = 0
    if (syntax or EXTENSIONS.get(path.suffix)) in ("ntriples", "nquads"):
        syntax = syntax or EXTENSIONS[path.suffix]
        try:
            with open_input(path, budgets) as stream:
                if stream.read(len(BOM)) != BOM:
                    stream.seek(0)
                reader = _PlainLines(stream, path, budgets)
                parser = pyoxigraph.parse(reader, format=FORMATS[syntax], base_iri=path.resolve().as_uri())
                for quad in _quads(parser, b"", path, syntax):
                    given += 1
                    yield quad
            return
        except _NotPlain:  # the token scan judges it, on the whole file: parse_file's quads after those given
            pass
        except OSError as exc:
            raise _unreadable(path, exc) from None
    for number, quad in enumerate(parse_file(path, syntax, budgets)):
        if number >= given:
            yield quad


class _NotPlain(Exception):
    """The file has what only the token scan of budgets.check_budgets can judge."""


class _PlainLines:
    """An N-Triples or N-Quads file as the parser reads it, refused as it is read where it grows past the size
    budget, and stopped (_NotPlain) where it holds what budgets._plain_lines would not pass: ``<<``, ``--``, or a
    line longer than half the literal budget."""

    def __init__(self, stream: BinaryIO, path: Path, budgets: Budgets) -> None:
        self.stream, self.path, self.budgets = stream, path, budgets
        self.size, self.run, self.last = 0, 0, b""
        self.longest = max(budgets.max_literal // 2, 1)

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.size += len(chunk)
        check_size(self.size, self.path, self.budgets)
        seen = self.last + chunk
        if b"<<" in seen or b"--" in seen:
            raise _NotPlain
        lines = chunk.split(b"\n")
        self.run += len(lines[0])
        if self.run > self.longest or max(map(len, lines[1:]), default=0) > self.longest:
            raise _NotPlain
        if len(lines) > 1:
            self.run = len(lines[-1])
        self.last = chunk[-1:]
        return chunk


def parse_bytes(data: bytes, path: str | Path, syntax: str, budgets: Budgets = DEFAULT) -> list[pyoxigraph.Quad]:
    """Parse the bytes of a file (read already, one generation of output/) strictly; errors name ``path``.

    Raises:
        RdfFileError: malformed data (file, line, column), a remote JSON-LD context, a budget exceeded, RDF 1.2
            terms (triple terms, directional text) that rdflib cannot hold.
    """
    return _parsed(data, Path(path), syntax, budgets)[0]


_FOR_RDFLIB = re.compile(rb"<<|--|_:[^\s]*[\x80-\xff]")
"""In Turtle, TriG, N-Triples and N-Quads, what _for_rdflib changes or refuses is written with one of these: a
triple term (``<<``), a base direction (``@ar--rtl``), a blank node label outside ASCII (raw bytes: a label
has no escapes)."""


def _parsed(data: bytes, path: Path, syntax: str, budgets: Budgets) -> tuple[list[pyoxigraph.Quad], dict[str, str]]:
    """The quads as rdflib can hold them (see _for_rdflib), and the prefixes the file declares."""
    check_budgets(data, path, syntax, budgets)
    parser = pyoxigraph.parse(data, format=FORMATS[syntax], base_iri=path.resolve().as_uri())
    return list(_quads(parser, data, path, syntax)), parser.prefixes


def _quads(parser: Iterator[pyoxigraph.Quad], data: bytes, path: Path, syntax: str) -> Iterator[pyoxigraph.Quad]:
    """The parser's quads as rdflib can hold them (see _for_rdflib); its errors as RdfFileError."""
    try:
        if syntax == "jsonld" or _FOR_RDFLIB.search(data):  # else nothing to change or refuse: no call per quad
            for quad in parser:
                yield _for_rdflib(quad, path)
        else:
            yield from parser
    except SyntaxError as exc:
        if exc.lineno is None and syntax == "jsonld":
            remote = "remote context" in exc.msg
            exc.lineno, exc.offset = _context(data) if remote else _stop(data, path.resolve().as_uri())
        raise syntax_error(path, exc) from None
    except MemoryError as exc:  # pyoxigraph's token buffer stops at 16 MiB
        raise RdfFileError(path, None, None, f"a token too long to parse ({exc})") from None


def _for_rdflib(quad: pyoxigraph.Quad, path: Path) -> pyoxigraph.Quad:
    """The quad as rdflib can read it: RDF 1.2 terms refused; a blank node label outside ASCII (legal, but
    rdflib's N-Triples parser reads no other) relabelled with its UTF-8 bytes in hex."""
    for term in (quad.subject, quad.object):
        if isinstance(term, pyoxigraph.Triple) or getattr(term, "direction", None):
            raise RdfFileError(path, None, None, f"RDF 1.2 term {str(term)[:80]} is not supported")
    terms = (quad.subject, quad.predicate, quad.object, quad.graph_name)
    if not any(isinstance(t, pyoxigraph.BlankNode) and not t.value.isascii() for t in terms):
        return quad
    return pyoxigraph.Quad(*(_ascii_label(term) for term in terms))


def _ascii_label(term):
    if isinstance(term, pyoxigraph.BlankNode) and not term.value.isascii():
        return pyoxigraph.BlankNode("u" + term.value.encode("utf-8").hex())
    return term


@contextmanager
def raw_literals() -> Iterator[None]:
    """Inside, rdflib keeps lexical forms as written ("03"^^xsd:integer is not silently made "3")."""
    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def to_dataset(quads: Sequence[pyoxigraph.Quad]) -> Dataset:
    """The quads as an rdflib Dataset, literals as written."""
    from rdflib import Dataset

    dataset = Dataset(default_union=False)
    with raw_literals():
        dataset.parse(data=pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS), format="nquads")
    return dataset


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def converter() -> Callable[[object], Identifier]:
    """A function from pyoxigraph terms to rdflib terms (literals as written), each IRI converted once (and
    kept once in memory)."""
    from rdflib import BNode, Literal, URIRef

    iris: dict[str, URIRef] = {}

    def term(node: object) -> Identifier:
        if isinstance(node, pyoxigraph.NamedNode):
            found = iris.get(node.value)
            if found is None:
                found = iris[node.value] = URIRef(node.value)
            return found
        if isinstance(node, pyoxigraph.BlankNode):
            return BNode(node.value)
        if isinstance(node, pyoxigraph.Triple):
            raise RdfFileError("input", None, None, f"RDF 1.2 term {str(node)[:80]} is not supported")
        if getattr(node, "direction", None):
            text = f'"{node.value}"@{node.language}--{node.direction}'[:80]
            raise RdfFileError("input", None, None, f"a literal with a base direction ({text}) is RDF 1.2")
        if node.language:
            return Literal(node.value, lang=node.language, normalize=False)
        datatype = node.datatype.value
        return Literal(node.value, datatype=None if datatype == _XSD_STRING else term(node.datatype), normalize=False)

    return term


def to_graph(quads: Sequence[pyoxigraph.Quad]) -> Graph:
    """The triples of all the quads' graphs as one rdflib Graph, literals as written (terms built directly:
    half the time of writing N-Triples for rdflib's parser)."""
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    term = converter()
    with raw_literals():
        graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


def load_turtle(path: str | Path) -> tuple[bytes, Graph]:
    """Read a Turtle file of the project (ontology, shapes) after the strict syntax check, with its prefixes
    (read by pyoxigraph: a tenth of the time of rdflib's Turtle parser).

    Returns:
        The file's bytes, as published, and its graph.
    """
    path = Path(path)
    data = read_file(path)
    quads, declared = _parsed(data, path, "turtle", DEFAULT)
    graph = to_graph(quads)
    for prefix, namespace in declared.items():
        graph.bind(prefix, namespace)
    return data, graph


def subject_lines(path: Path, text: str) -> dict[str, str]:
    """Where each subject is first written in a Turtle file: IRI → "path:line".

    Reads the subjects that start a line (how Turtle is written by hand and by rdflib), prefixed or not.

    >>> subject_lines(Path("x.ttl"), "@prefix wco: <https://w3id.org/wcokg/id/> .\\n\\nwco:item-4 a wco:Item .\\n")
    {'https://w3id.org/wcokg/id/item-4': 'x.ttl:3'}
    """
    namespaces = dict(_PREFIX.findall(text))
    lines: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        token = line.split(maxsplit=1)[0] if line[:1] not in ("", " ", "\t", "#", "@") else ""
        if token.startswith("<") and token.endswith(">"):
            iri = token[1:-1]
        elif ":" in token and not token.lower().startswith(("prefix", "base")):
            prefix, local = token.split(":", 1)
            iri = namespaces.get(prefix, "") + local if prefix in namespaces else ""
        else:
            continue
        if iri:
            lines.setdefault(iri, f"{path}:{number}")
    return lines
