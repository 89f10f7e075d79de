"""The operations of a SPARQL Update read lexically (where each starts and ends), and an update made only of
INSERT DATA and DELETE DATA read by a strict RDF parser, which reads 20,000 triples in milliseconds where
rdflib's SPARQL parser takes seconds."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from ..names import sparql_prologue

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WORD = re.compile(r"[A-Za-z]+")
MASKED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"\s]*>|#[^\n]*')
"""Strings, IRIs and comments: what a lexical check blanks out before looking for keywords or brackets."""


@dataclass(frozen=True)
class Operation:
    """One operation of an update: its 1-based first line, and its text's offsets (from the keyword that starts
    it, after any PREFIX or BASE, to the ';' that ends it, or the end of the update)."""

    line: int
    start: int
    end: int


def operations(text: str) -> list[Operation]:
    """The operations of a SPARQL Update (separated by ';' outside braces, strings, IRIs and comments; a PREFIX
    line belongs to the operation after it)."""
    found: list[Operation] = []
    depth, line, index, pending, start = 0, 1, 0, True, None
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            index = text.find("\n", index)
            if index < 0:
                break
            continue
        elif char in "\"'":
            quote = text[index : index + 3] if text[index : index + 3] == char * 3 else char
            end = text.find(quote, index + len(quote))
            while end > 0 and text[end - 1] == "\\" and len(quote) == 1:
                end = text.find(quote, end + 1)
            end = len(text) if end < 0 else end + len(quote)
            line += text.count("\n", index, end)
            index = end
            continue
        elif char == "<" and (iri := _IRI.match(text, index)):
            index = iri.end()
            continue
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char == ";" and depth == 0:
            if start is not None:
                found.append(Operation(start[0], start[1], index))
                start = None
            pending = True
        elif pending and not char.isspace():
            word = _WORD.match(text, index)
            if not (word and word.group().upper() in ("PREFIX", "BASE")):
                start, pending = (line, index), False
            elif word:
                index = text.find("\n", index)
                if index < 0:
                    break
                continue
        index += 1
    if start is not None:
        found.append(Operation(start[0], start[1], len(text)))
    return found


_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|<[^<>\"\s]*>|#[^\n]*|(?P<mark>[{}.;,\[\]()])|(?P<word>[^\s{}.;,\[\]()<\"'#]+(?:\.[^\s{}.;,\[\]()<\"'#]+)*)"
)
_LITERAL_WORD = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false")


def literal_subject(text: str, start: int = 0) -> int | None:
    """The offset of the first literal written as the subject of a triple (after ``{`` or ``.``) from ``start``
    on, or None.

    >>> literal_subject('INSERT DATA { <a:s> <a:p> 1 . "x" <a:p> "y" }')
    30
    """
    subject = False
    for token in _TOKEN.finditer(text, start):
        kind, value = token.lastgroup, token.group()
        if subject and (kind == "string" or kind == "word" and _LITERAL_WORD.fullmatch(value)):
            return token.start()
        if kind is not None or value.startswith("<"):
            subject = kind == "mark" and value in "{."
    return None


def operation_lines(text: str) -> list[int]:
    """The 1-based line on which each operation of a SPARQL Update starts.

    >>> operation_lines("PREFIX a: <x:>\\nINSERT DATA { a:b a:c 1 } ;\\n\\n# why\\nDELETE DATA { a:b a:c 'a;b' }")
    [2, 5]
    """
    return [operation.line for operation in operations(text)]


@dataclass(frozen=True)
class DataOperation:
    """An INSERT DATA or DELETE DATA: its first line, and the quads it names (as written: no literal rewritten)."""

    inserting: bool
    line: int
    quads: tuple[pyoxigraph.Quad, ...]


_DATA = re.compile(r"(INSERT|DELETE)\s+DATA\s*\{(.*)\}\s*", re.IGNORECASE | re.DOTALL)
_GRAPH = re.compile(r"\s*GRAPH\s*(?:<[^<>\s]*>|[\w.-]*:[\w.:%-]*)\s*\{(.*)\}\s*", re.IGNORECASE | re.DOTALL)
_OUT_OR_ESCAPED = re.compile(r"load|service|\\[u#]", re.IGNORECASE)
"""What the fast reading leaves to the SPARQL parser: anything that could be LOAD or SERVICE, \\u escapes, and
an escaped '#' (which the lexical reading of operations would take for a comment)."""


def read_data(text: str, namespaces: dict[str, str], graphs: set[str]) -> list[DataOperation] | None:
    """The operations of an update made only of INSERT DATA and DELETE DATA, each data block read as TriG with
    the update's PREFIX and BASE declarations and ``namespaces``.

    None when the update is anything else, or a block holds triples and a GRAPH, or does not parse, or names
    a blank node, an RDF 1.2 term or a graph not in ``graphs``: the SPARQL parser then reads the update, and
    names what it refuses. Nothing here runs the update: no operation can reach the network."""
    if _OUT_OR_ESCAPED.search(text):
        return None
    found, prologue, after = [], [sparql_prologue(namespaces)], 0
    for operation in operations(text):
        prologue.append(text[after : operation.start])
        after = operation.end + 1
        data = _DATA.fullmatch(text, operation.start, operation.end)
        if data is None:
            return None
        block = data[2]
        masked = MASKED.sub(lambda m: " " * len(m[0]), block)
        if re.search(r"(?i)\bGRAPH\b", masked):
            if masked.count("{") != 1 or masked.count("}") != 1 or _GRAPH.fullmatch(block) is None:
                return None
            trig = block
        else:
            trig = "{" + block + "\n}"
        try:
            quads = tuple(pyoxigraph.parse("".join(prologue) + trig, format=pyoxigraph.RdfFormat.TRIG))
        except SyntaxError:
            return None
        if not all(_plain(quad, graphs) for quad in quads):
            return None
        found.append(DataOperation(data[1].upper() == "INSERT", operation.line, quads))
    try:  # what follows the last operation: at most a ';', then only PREFIX and BASE declarations
        tuple(pyoxigraph.parse("".join(prologue) + text[after:], format=pyoxigraph.RdfFormat.TRIG))
    except SyntaxError:
        return None
    return found or None


def _plain(quad: pyoxigraph.Quad, graphs: set[str]) -> bool:
    """IRIs and literals without a base direction, in the default graph or one of ``graphs``."""
    subject, value, graph = quad.subject, quad.object, quad.graph_name
    return (
        isinstance(subject, pyoxigraph.NamedNode)
        and (isinstance(value, pyoxigraph.NamedNode) or isinstance(value, pyoxigraph.Literal) and not value.direction)
        and (isinstance(graph, pyoxigraph.DefaultGraph) or graph.value in graphs)
    )
