"""Turn a document's claims into facts: the triples each claim's Turtle states, each with the span it quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..errors import ClaimsError
from ..names import prefixes
from ..rdfio import converter
from ..sparql.results import compact
from .claims import ClaimEntry
from .document import Document, Span, Stated

_UNDECLARED = re.compile(r"prefix (\w*):? (?:has not been declared|is not declared)|prefix '?(\w*)'? not found", re.I)
_LITERAL_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^>\s]*>|#.*')
_BLANK = re.compile(r"\[|_:")


@dataclass(frozen=True)
class Claim:
    """One fact a document states: a triple, the span of the source that says it, and where the claim is written."""

    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    evidence: Span
    origin: str


def vocabulary(*graphs: Graph) -> frozenset[URIRef]:
    """The terms a claim may use as a property or a class: every IRI the ontology and the shapes name."""
    return frozenset(term for graph in graphs for triple in graph for term in triple if isinstance(term, URIRef))


def extract(doc: Document, base: str, known: frozenset[URIRef]) -> tuple[Claim, ...]:
    """The facts of ``doc``'s claims, in the claims file's order, each with the span of its claim's words.

    Raises:
        ClaimsError: a claim's Turtle is malformed, uses an undeclared prefix, a blank node or a term of no known
            vocabulary (``known``), or states a triple another claim of the file states.
    """
    namespaces = prefixes(base)
    prologue = " ".join(f"@prefix {p}: <{iri}> ." for p, iri in namespaces.items()) + "\n"
    seen: dict[tuple, str] = {}
    claims = []
    term = converter()
    for stated in doc.stated:
        for triple in _triples(doc, stated, prologue, term):
            where = f"{doc.claims.path}:{stated.entry.words.line}"
            _check_terms(doc, stated, triple, known, namespaces)
            if triple in seen:
                raise ClaimsError(
                    doc.claims.path,
                    stated.entry.words.line,
                    f"{compact(triple[0], namespaces)} {compact(triple[1], namespaces)} … is stated already, "
                    f"by the claim at line {seen[triple]}: a fact rests on one quote of a document",
                )
            seen[triple] = str(stated.entry.words.line)
            claims.append(Claim(*triple, stated.span, where))
    return tuple(claims)


def _triples(doc: Document, stated: Stated, prologue: str, term) -> list[tuple]:
    entry = stated.entry
    try:
        quads = list(pyoxigraph.parse((prologue + entry.states).encode(), format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError as exc:
        message = exc.msg.split(": ", 1)[1] if exc.msg.startswith("Parser error") and ": " in exc.msg else exc.msg
        line = entry.states_line + (exc.lineno or 2) - 2
        if undeclared := _UNDECLARED.search(message):
            prefix = undeclared.group(1) or undeclared.group(2) or ""
            known = ", ".join(p + ":" for p in prefixes())
            message = f"{prefix}: is the prefix of no known vocabulary (known: {known})"
        else:
            message = f"the Turtle of this claim cannot be read: {message}"
        raise ClaimsError(doc.claims.path, line, message) from None
    if not quads:
        raise ClaimsError(doc.claims.path, entry.words.line, "this claim states nothing: its Turtle has no triple")
    triples = []
    for quad in quads:
        if isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(quad.object, pyoxigraph.BlankNode):
            raise ClaimsError(
                doc.claims.path,
                _line_of(entry, _BLANK),
                "a blank node ([ … ] or _:) cannot be cited or edited: name the resource with an IRI, such as wco:…",
            )
        triples.append((term(quad.subject), term(quad.predicate), term(quad.object)))
    return triples


def _check_terms(doc, stated: Stated, triple: tuple, known, namespaces: dict[str, str]) -> None:
    """A property, and a class after ``a``, must be a term of the ontology or of a vocabulary it reuses."""
    _, predicate, obj = triple
    used = [predicate] + ([obj] if predicate == RDF.type else [])
    for iri in used:
        if iri not in known:
            short = compact(iri, namespaces)
            written = re.compile(rf"(?<![\w:-]){re.escape(short)}(?![\w-])|<{re.escape(str(iri))}>")
            raise ClaimsError(
                doc.claims.path,
                _line_of(stated.entry, written),
                f"{short} is a term of no known vocabulary (not in the ontology nor the shapes)",
            )


def _line_of(entry: ClaimEntry, pattern: re.Pattern[str]) -> int:
    """The claims-file line of the first line of a claim's Turtle where ``pattern`` matches outside literals and
    comments (IRIs kept); the Turtle's first line if none does."""
    for number, text in enumerate(entry.states.splitlines()):
        code = _LITERAL_OR_COMMENT.sub(lambda found: found.group() if found.group()[0] == "<" else '""', text)
        if pattern.search(code):
            return entry.states_line + number
    return entry.states_line
