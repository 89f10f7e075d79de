"""Edits: apply a SPARQL Update to a copy of the graphs, record its evidence, and validate the result."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat as pyexpat

import pyoxigraph
import rdflib.plugins.sparql
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import algebra
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Update
from rdflib.plugins.sparql.update import evalUpdate

from .. import layout
from ..check.validate import short
from ..errors import EditLogError, QueryError, RdfFileError, SparqlSyntaxError
from ..extraction.document import Document
from ..extraction.graph import KnowledgeGraph
from ..namespaces import Iris, bind, prefixes
from ..publish.transaction import read_generation
from ..rdfio import converter, raw_literals, syntax_error, to_graph
from ..sparql.guard import RDFLIB_PARSER, nodes
from ..sparql.messages import engine_reading, explain, located
from ..sparql.nesting import check_nesting, too_deep_for_rdflib
from .attribution import attribute
from .log import Patch
from .misses import why_missing
from .operations import MASKED, DataOperation, literal_subject, operation_lines, operations, read_data
from .overlay import Overlay, StoreView, changes, oxigraph_term

EDITABLE = ("links",)
"""Named graphs an update may write with GRAPH; facts go to the default graph, which is the data graph. The
evidence graph is written by wcokg itself, from the edit's header (see attribution.py)."""


@dataclass(frozen=True)
class Edit:
    """The graphs before and after an update, and the triples it added and removed in each graph."""

    before: KnowledgeGraph
    after: KnowledgeGraph
    added: dict[str, tuple[str, ...]]
    removed: dict[str, tuple[str, ...]]

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.removed.values())


def load_published(out_dir: str | Path = layout.OUTPUT) -> KnowledgeGraph:
    """The four published graphs, from one generation of ``out_dir/wcokg.trig`` (bulk-loaded into a pyoxigraph
    store, as ``wcokg query`` loads it): data, evidence and links as read-only views of the store (change an
    Overlay.copy of one), converted to rdflib's terms as they are read; the ontology as an rdflib graph.

    The store keeps a typed literal in its canonical form: a published "09"^^xsd:integer would read as "9".
    """
    path = Path(out_dir) / "wcokg.trig"
    store = pyoxigraph.Store()
    try:
        store.bulk_load(read_generation(out_dir, ["wcokg.trig"])["wcokg.trig"], pyoxigraph.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise syntax_error(path, exc) from None
    names = {graph.value for graph in store.named_graphs()}
    data = next((n for n in names if n.endswith("/graph/data")), None)
    if data is None:
        raise RdfFileError(path, None, None, "no data graph (…/graph/data): is this a wcokg TriG file?")
    iris = Iris(data.removesuffix("graph/data"))
    graphs = {}
    for name in ("data", "evidence", "links"):
        view = StoreView(store, pyoxigraph.NamedNode(str(iris.graph(name))))
        graphs[name] = bind(Graph(store=view, bind_namespaces="none"), iris.base)
    ontology = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(iris.graph("ontology"))))
    return KnowledgeGraph(iris, ontology=bind(to_graph(list(ontology)), iris.base), **graphs)


JOIN_ORDERED = 64
"""Blocks of at most this many triples are ordered for joining by rdflib; longer ones are kept as written."""


@contextmanager
def _long_blocks_as_written() -> Iterator[None]:
    """While translating: rdflib orders each block of triples for joining by sorting what is left after each
    triple it places, n² log n in the block's length (an INSERT DATA of 4,000 triples took 31 s, 20,000 more
    than 5 minutes). A data block has nothing to join, and a pattern that long is not worth the sort."""
    reorder = algebra.reorderTriples

    def ordered(triples: Iterable) -> list:
        triples = list(triples)
        return reorder(triples) if len(triples) <= JOIN_ORDERED else triples

    algebra.reorderTriples = ordered
    try:
        yield
    finally:
        algebra.reorderTriples = reorder


def parse_update(text: str, iris: Iris, name: str = "update", graphs: tuple[str, ...] = EDITABLE) -> Update:
    """Parse a SPARQL Update and refuse, on its algebra, what would reach outside the editable graphs.

    Refused: LOAD, SERVICE, and any graph other than the default (data) graph and ``graphs`` (by default the
    links graph), whether named by GRAPH, WITH, USING, or as the target of CLEAR, DROP, ADD, MOVE, COPY.

    Raises:
        QueryError: a syntax error (line, column, token) or a refused operation.
    """
    try:
        with RDFLIB_PARSER, _long_blocks_as_written():
            update = translateUpdate(parseUpdate(text), initNs=prefixes(iris.base))
    except RecursionError:
        raise too_deep_for_rdflib(name) from None
    except Exception:  # a pyparsing.ParseException; rdflib raises bare Exception for an unknown prefix
        # rdflib's parser backtracks to the start of the operation it cannot read, and says only that
        raise _syntax_error(text, iris.base, name) or explain(text, "update", name, prefixes(iris.base)) from None
    if not isinstance(update, Update) or not update.algebra:  # rdflib returns [] for an update of no operation
        raise QueryError(f"{name}: the update is empty: it has no operation")
    _refuse_terms(update, text, name)
    allowed = {str(iris.graph(g)) for g in graphs}
    for node in nodes(update.algebra):
        if node.name == "Load":
            raise QueryError(f"{name}: LOAD refused: an edit never reads from the network or the file system")
        if node.name == "ServiceGraphPattern":
            raise QueryError(f"{name}: SERVICE refused: an edit never queries other endpoints")
        for term in _graph_iris(node):
            if str(term) == "DEFAULT":
                continue
            if str(term) not in allowed:
                label = f"graph <{term}>" if isinstance(term, URIRef) else str(term)
                raise QueryError(
                    f"{name}: {label} refused: write facts to the default graph and external links to "
                    + " or ".join(f"<{g}>" for g in sorted(allowed))
                    + "; wcokg writes the evidence itself, from the edit's header"
                )
    if error := _syntax_error(text, iris.base, name, policed=True):  # rdflib accepts what SPARQL forbids
        raise error
    return update


def read_update(
    text: str, iris: Iris, name: str = "update", graphs: tuple[str, ...] = EDITABLE
) -> list[DataOperation] | Update:
    """An update as wcokg runs it: made only of INSERT DATA and DELETE DATA, read by a strict RDF parser (see
    :func:`operations.read_data`); else read and policed by :func:`parse_update`, which names any error.

    Raises:
        QueryError: as :func:`parse_update`; or brackets nested past :data:`nesting.MAX_DEPTH`, checked first (a
            parser overflows its stack on deep nesting).
    """
    check_nesting(text, name)
    data = read_data(text, prefixes(iris.base), {str(iris.graph(g)) for g in graphs})
    return parse_update(text, iris, name, graphs) if data is None else data


def _templates(operation: CompValue) -> Iterator[tuple[str, list]]:
    """The blocks of an operation that delete or insert, by kind ("DELETE DATA", "INSERT" …), each as its
    triples, the triples of its GRAPH blocks, and the names of those graphs (as 1-tuples)."""
    kinds = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}
    blocks = [(kinds[operation.name], operation)] if operation.name in kinds else []
    if operation.name == "Modify":
        blocks += [(kind.upper(), operation[kind]) for kind in ("delete", "insert") if kind in operation]
    for kind, block in blocks:
        quads = block["quads"] if "quads" in block and block["quads"] else {}
        triples = block["triples"] if "triples" in block and block["triples"] else []
        yield kind, [*triples, *sum(quads.values(), []), *((graph,) for graph in quads)]


def _refuse_terms(update: Update, text: str, name: str) -> None:
    """Refuse what SPARQL 1.1 forbids and rdflib accepts: variables in DATA blocks (the GRAPH's name included),
    blank nodes where an update deletes; and, by wcokg's policy, blank nodes where it inserts (wcokg publishes
    no blank nodes: every resource has an IRI); and a literal as a subject, which RDF forbids and rdflib accepts."""
    lines, starts = operation_lines(text), [found.start for found in operations(text)]
    for number, operation in enumerate(update.algebra):
        line = lines[number] if number < len(lines) else 1
        for kind, triples in _templates(operation):
            if any(isinstance(triple[0], Literal) for triple in triples):
                offset = literal_subject(text, starts[number]) if number < len(starts) else None
                at = _find(text, line, r"(?!)") if offset is None else offset  # the line's start where not found
                raise located(text, at, name, "a literal cannot be the subject of a triple")
            terms = [term for triple in triples for term in triple]
            variable = next((term for term in terms if isinstance(term, Variable)), None)
            if kind.endswith("DATA") and variable is not None:
                at = _find(text, line, rf"[?$]{re.escape(str(variable))}\b")
                raise located(text, at, name, f'syntax error at "?{variable}": variables are not allowed in {kind}')
            if any(isinstance(term, BNode) for term in terms):
                why = "SPARQL forbids them there" if kind.startswith("DELETE") else "wcokg publishes none: use an IRI"
                at = _find(text, line, r"_:[\w.-]*\w|\[")
                raise located(text, at, name, f"blank nodes are not allowed in {kind} ({why})")


def _find(text: str, line: int, pattern: str) -> int:
    """The offset of ``pattern`` outside strings, IRIs and comments from ``line`` on; the line's start if none."""
    offset = sum(len(row) + 1 for row in text.split("\n")[: line - 1])
    masked = MASKED.sub(lambda m: " " * len(m[0]), text)
    found = re.compile(pattern).search(masked, offset)
    return offset if found is None else found.start()


_CAUSE = re.compile(r"\b[A-Z][a-z]+(?: [a-z]+)+(?: [A-Z]+)*")
_BLANK_OR_VARIABLE = re.compile(r"[?$]\w+|_:[\w.-]*\w|\[\s*\]")


def _syntax_error(text: str, base: str, name: str, policed: bool = False) -> SparqlSyntaxError | None:
    """What is wrong with a malformed update, in plain words (see :mod:`wcokg.sparql.messages`); None if
    pyoxigraph finds no error. With ``policed`` (rdflib has read the update), only what rdflib lets through is
    reported: a variable in INSERT/DELETE DATA (pyoxigraph reports it after the data block), an unknown prefix,
    an unfinished update. pyoxigraph never runs the update (see :func:`messages.engine_reading`).
    """
    namespaces = prefixes(base)
    reading = engine_reading(text, "update", namespaces)
    if reading is None:
        return None
    offset, expected = reading
    cause = _CAUSE.search(expected)
    if cause and "not allowed in" in cause[0]:
        blocks = list(re.finditer(r"(?i)\b(?:INSERT|DELETE)\s+DATA\b", text[:offset]))
        start = blocks[-1].start() if blocks else 0
        masked = MASKED.sub(lambda m: " " * len(m[0]), text[start:offset])
        if found := _BLANK_OR_VARIABLE.search(masked):
            why = f"{cause[0][0].lower()}{cause[0][1:]}"
            return located(text, start + found.start(), name, f'syntax error at "{found[0]}": {why}')
    if offset >= len(text.rstrip()):  # pyoxigraph read to the end: an unfinished update, or a well-formed one
        masked = MASKED.sub(lambda m: " " * len(m[0]), text)
        if not any(masked.count(a) > masked.count(b) for a, b in ("{}", "()", "[]", '""', "''")):
            return None
    elif policed and not (cause and cause[0] == "Prefix not found"):
        return None
    return explain(text, "update", name, namespaces)


def _graph_iris(node: CompValue) -> Iterator[URIRef | str]:
    """The graphs an algebra node names: quad templates, GRAPH, WITH, USING, and the targets of
    CLEAR, DROP, CREATE, ADD, MOVE, COPY (an IRI, or a keyword such as ALL)."""
    if "quads" in node:
        yield from node["quads"]
    if node.name == "Graph" and isinstance(node["term"], URIRef):
        yield node["term"]
    if "withClause" in node and node["withClause"] is not None:
        yield node["withClause"]
    for clause in node["using"] if "using" in node and node["using"] else ():
        yield clause["default"] if "default" in clause else clause["named"]
    if "graphiri" in node:
        yield node["graphiri"]
    for graph in node["graph"] if "graph" in node and isinstance(node["graph"], list) else ():
        if graph != "DEFAULT":
            yield graph


def _lines(triples: Iterable[tuple], name: str) -> set[str]:
    """The triples as N-Triples lines.

    Raises:
        QueryError: a term pyoxigraph refuses (an IRI with a space, an invalid language tag), a literal as a
            subject (a variable of a template bound to one).
    """
    if literal := next((triple[0] for triple in triples if isinstance(triple[0], Literal)), None):
        raise QueryError(f"{name}: the update makes a literal ({short(literal)}) the subject of a triple")
    try:
        return {f"{pyoxigraph.Triple(*map(oxigraph_term, triple))} ." for triple in triples}
    except (ValueError, TypeError) as exc:  # TypeError: a term of a kind the position forbids
        raise QueryError(f"{name}: the update adds a term no strict RDF parser accepts: {exc}") from None


def _term(term: object, iris: Iris) -> str:
    return short(term, iris.base)


def _check_data(operation: CompValue, dataset: Dataset, iris: Iris, where: str, verb: str) -> None:
    """An INSERT DATA must add, a DELETE DATA must remove, every triple it names: else the edit does not fit
    the graph it is applied to (for an edit of the log: the source or an earlier edit changed)."""
    inserting = operation.name == "InsertData"
    groups = [(dataset.default_graph, operation.get("triples") or [])]
    groups += [(dataset.graph(graph), triples) for graph, triples in (operation.get("quads") or {}).items()]
    for graph, triples in groups:
        for triple in triples:
            _still_applies(triple, graph, inserting, iris, where, verb)


def _still_applies(triple: tuple, graph: Graph, inserting: bool, iris: Iris, where: str, verb: str) -> None:
    """Raise ``where: VERB: FACT is already in the graph`` or ``… is not in the graph; ``, then what the
    graph has instead (see :func:`misses.why_missing`)."""
    if (triple in graph) == inserting:
        fact = " ".join(_term(term, iris) for term in triple)
        if inserting:
            raise EditLogError(where, None, f"{verb}: {fact} is already in the graph")
        hint = why_missing(triple, graph, lambda term: _term(term, iris))
        raise EditLogError(where, None, f"{verb}: {fact} is not in the graph; {hint}")


def _apply_data(operations: list[DataOperation], graphs: dict, iris: Iris, verb: str | None, name: str) -> None:
    """Apply INSERT DATA and DELETE DATA read by :func:`operations.read_data`, as SPARQL does, one at a time, to
    ``graphs`` (by name: None for the default graph; given the ``verb`` of its error (strictly), each triple
    named must be added or removed, see :func:`apply_update`)."""
    term = converter()
    for operation in operations:
        where = f"{name}:{operation.line}"
        groups: dict[object, list[tuple]] = {}
        for quad in operation.quads:
            graph = quad.graph_name
            key = None if isinstance(graph, pyoxigraph.DefaultGraph) else graph.value
            groups.setdefault(key, []).append((term(quad.subject), term(quad.predicate), term(quad.object)))
        for graph_name, triples in groups.items():
            graph = graphs[graph_name]
            for triple in triples if verb else ():
                _still_applies(triple, graph, operation.inserting, iris, where, verb)
            for triple in triples:
                (graph.add if operation.inserting else graph.remove)(triple)


def apply_update(
    before: KnowledgeGraph,
    text: str,
    name: str = "update",
    strict: bool = False,
    graphs: tuple[str, ...] = EDITABLE,
    logged: bool = True,
) -> Edit:
    """Apply a SPARQL Update to a copy of the data graph and of ``graphs`` of ``before`` (never changed itself).

    Named graphs other than ``graphs`` are passed on as they are (the same objects); opening the evidence
    graph to an update (``graphs=("evidence", "links")``) is for checking the shapes, never for the log.

    With ``strict`` (a patch of the log), every triple an INSERT DATA names must be new and every triple a
    DELETE DATA names must be there, and the update must change something: else it "no longer applies" (an
    edit of the log, ``logged``) or "does not apply" (a new edit), and a deleted triple that is not there is
    told apart from what the graph has instead (another language tag, datatype, white space, case or IRI).

    Raises:
        QueryError: a malformed or refused update, or one that leaves a term no strict parser accepts.
        EditLogError: (strict) the update no longer fits the graph, naming the operation's line.
    """
    iris = before.iris
    update = read_update(text, iris, name, graphs)
    verb = ("no longer applies" if logged else "does not apply") if strict else None
    if isinstance(update, Update):
        edited = _evaluated(before, update, graphs, operation_lines(text) if strict else [], name, verb)
    else:  # copies that cost what the update changes (see overlay.Overlay)
        edited = {**before.named()}
        for graph_name in ("data", *graphs):
            edited[graph_name] = bind(Overlay.copy(before.named()[graph_name]), iris.base)
        named = {str(iris.graph(g)): edited[g] for g in graphs}
        with raw_literals():
            _apply_data(update, {None: edited["data"], **named}, iris, verb, name)
    after = KnowledgeGraph(iris, **edited)
    edit = _delta(before, after, name, text)
    if strict and not edit.changed:
        raise EditLogError(name, None, "changes nothing: the facts it edits are not (or no longer) in the graph")
    return edit


def _evaluated(
    before: KnowledgeGraph, update: Update, graphs: tuple[str, ...], lines: list[int], name: str, verb: str | None
) -> dict:
    """The graphs after running ``update`` with rdflib on a copy of the data graph and of ``graphs``."""
    iris = before.iris
    dataset = Dataset(default_union=False)
    with raw_literals():
        for triple in before.data:
            dataset.default_graph.add(triple)
        for graph_name in graphs:
            target = dataset.graph(iris.graph(graph_name))
            for triple in before.named()[graph_name]:
                target.add(triple)
        _evaluate(update, dataset, iris, lines, name, verb)
    edited = {**before.named(), "data": bind(Graph(bind_namespaces="none"), iris.base)}
    for triple in dataset.default_graph:
        edited["data"].add(triple)
    for graph_name in graphs:
        edited[graph_name] = bind(Graph(bind_namespaces="none"), iris.base)
        for triple in dataset.graph(iris.graph(graph_name)):
            edited[graph_name].add(triple)
    return edited


def _evaluate(update: Update, dataset: Dataset, iris: Iris, lines: list[int], name: str, verb: str | None) -> None:
    """Run the operations of an update one at a time with rdflib; given the ``verb`` of the error (strictly), each
    INSERT DATA and DELETE DATA must add or remove every triple it names (errors name the operation's line from
    ``lines``)."""
    # With rdflib's default (the default graph is the union of all graphs), INSERT DATA into a
    # Dataset fails and WHERE would match links as facts: the default graph must be the data alone.
    union = rdflib.plugins.sparql.SPARQL_DEFAULT_GRAPH_UNION
    rdflib.plugins.sparql.SPARQL_DEFAULT_GRAPH_UNION = False
    try:
        for number, operation in enumerate(update.algebra):
            where = f"{name}:{lines[number]}" if number < len(lines) else name
            if verb and operation.name in ("InsertData", "DeleteData"):
                _check_data(operation, dataset, iris, where, verb)
            try:
                evalUpdate(dataset, Update(update.prologue, [operation]))
            except MemoryError:  # the command's memory limit (wcokg.limits.budget), not the update's error
                raise
            except Exception as exc:  # rdflib's evaluation errors have no common base class
                raise QueryError(f"{where}: the update failed: {exc}") from None
    finally:
        rdflib.plugins.sparql.SPARQL_DEFAULT_GRAPH_UNION = union


def _delta(before: KnowledgeGraph, after: KnowledgeGraph, name: str, text: str) -> Edit:
    """The triples added and removed in each graph (read from an overlay, else compared as terms; only the
    differences are serialized); ``text`` is the update's, for the line of a refused XML literal."""
    added, removed = {}, {}
    for graph_name in ("data", "evidence", "links"):
        changed = changes(before.named()[graph_name], after.named()[graph_name])
        _refuse_ill_formed_xml(changed[0], name, text)
        _refuse_blank_nodes(changed[0], name, text)
        plus, minus = (_lines(triples, name) for triples in changed)
        _strict(plus, name)
        added[graph_name], removed[graph_name] = tuple(sorted(plus)), tuple(sorted(minus))
    return Edit(before, after, added, removed)


def _refuse_blank_nodes(triples: Iterable[tuple], name: str, text: str) -> None:
    """Refuse an added triple with a blank node, which an update makes with BNODE() (its templates' blank nodes
    are refused as it is read): wcokg publishes none. The place is the update's first BNODE(."""
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        found = re.search(r"\bBNODE\s*\(", text, re.IGNORECASE)
        message = "blank nodes are not allowed in what an update inserts (wcokg publishes none: use an IRI)"
        raise located(text, found.start() if found else 0, name, message)


_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class _Declared(Exception):
    """An XML literal reached a DOCTYPE or entity declaration (raised to stop the parser there)."""


def _refuse_ill_formed_xml(triples: Iterable[tuple], name: str, text: str) -> None:
    """Refuse an added rdf:XMLLiteral that is not well-formed XML content (RDF 1.1 Concepts: such a literal is
    ill-typed) or that declares a DOCTYPE or entities: XML content has no document type declaration, and a
    declared entity is how XML reaches for files and multiplies text. The line is the literal's in the update
    (the first declaration's; none where it is escaped)."""
    for triple in triples:
        term = triple[2]
        if not isinstance(term, Literal) or term.datatype != RDF.XMLLiteral:
            continue
        parser = pyexpat.ParserCreate()

        def declared(*_: object) -> None:
            raise _Declared

        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = declared
        try:
            parser.Parse(str(term), True)
        except pyexpat.ExpatError:
            pass  # not a document: content after the first element, or not well-formed (below)
        except _Declared:
            raise QueryError(
                f"{_line_of(_DECLARATION.search(text), name, text)}: an rdf:XMLLiteral may not declare a DOCTYPE or "
                "entities (XML literals are XML content, without a DTD)"
            ) from None
        content = pyexpat.ParserCreate()
        try:
            content.Parse(f"<content>{term}</content>", True)
        except pyexpat.ExpatError as exc:
            cause = pyexpat.errors.messages[exc.code].removeprefix("not well-formed (").rstrip(")")
            where = _line_of(re.search(re.escape(str(term)), text), name, text)
            raise QueryError(
                f"{where}: the rdf:XMLLiteral {json.dumps(str(term), ensure_ascii=False)} is not well-formed XML "
                f"({cause}); write its markup whole, or make it a plain string"
            ) from None


def _line_of(found: re.Match | None, name: str, text: str) -> str:
    """``name:line`` of a match in the update's ``text``, or ``name`` where there is none."""
    return f"{name}:{text.count(chr(10), 0, found.start()) + 1}" if found else name


def apply_patch(before: KnowledgeGraph, patch: Patch, docs: tuple[Document, ...], logged: bool = True) -> Edit:
    """Apply a patch (strictly, see :func:`apply_update`: ``logged`` where it is an edit of the log, not a new
    one) and record its evidence and provenance.

    Raises:
        QueryError, EditLogError: as :func:`apply_update` and :func:`attribution.attribute`.
    """
    edit = apply_update(before, patch.text, patch.origin, strict=True, logged=logged)
    after = attribute(before, edit.after.data, edit.after.links, patch, docs)
    return _delta(before, after, patch.origin, patch.text)


def _strict(lines: set[str], name: str) -> None:
    """Refuse added triples that a strict parser rejects (an invalid language tag, a malformed IRI)."""
    try:
        for _ in pyoxigraph.parse("\n".join(lines).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        raise QueryError(f"{name}: the update adds a term no strict RDF parser accepts: {exc.msg}") from None
