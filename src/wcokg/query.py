"""SPARQL over the published files on pyoxigraph or rdflib, guarded, with the project's prefixes predeclared."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph
import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Literal, URIRef

from . import layout
from .errors import QueryError
from .guard import check_policy, parse_query, run_stoppable
from .loader import EXTENSIONS, parse_bytes, parse_file, to_dataset
from .namespaces import prefixes
from .transaction import read_generation

ENGINES = ("pyoxigraph", "rdflib")
# rdflib would otherwise fetch the IRI of a FROM clause; the policy already refuses those it does not hold.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def default_files(out_dir: str | Path = layout.OUTPUT) -> list[Path]:
    """The published files a query runs over: the four named graphs and the dataset description."""
    return [Path(out_dir) / "wcokg.nq", Path(out_dir) / "void.ttl"]


@dataclass
class QueryDataset:
    """Quads loaded once, for both engines: named graphs as in the files; the default graph is their union."""

    quads: list[pyoxigraph.Quad]
    graphs: frozenset[str]
    prefixes: dict[str, str] = field(default_factory=prefixes)
    union_default_graph: bool = False
    """Query the store's default graph as the union of all its graphs (a store filled by ``from_store``)."""

    @classmethod
    def from_store(cls, store: pyoxigraph.Store, prefixes: dict[str, str]) -> QueryDataset:
        """A pyoxigraph-only dataset over a filled store, whose default graph is queried as the union of all graphs."""
        dataset = cls([], frozenset(graph.value for graph in store.named_graphs()), prefixes, union_default_graph=True)
        dataset.__dict__["store"] = store  # fills the cached property: the quads are in the store, not in a list
        return dataset

    @cached_property
    def store(self) -> pyoxigraph.Store:
        store = pyoxigraph.Store()
        store.extend(self.quads)
        return store

    @cached_property
    def rdflib(self) -> Dataset:
        return to_dataset(self.quads)


def load_dataset(paths: Sequence[str | Path]) -> QueryDataset:
    """Load Turtle, N-Triples, N-Quads, TriG or JSON-LD files (by extension) with pyoxigraph's strict parser.

    Triples of every file also land in the default graph, so that a query without GRAPH sees everything.

    Raises:
        RdfFileError: a missing, oversized or malformed file, an unknown extension, a remote JSON-LD context.
    """
    return _dataset(parse_file(path) for path in paths)


def load_output(out_dir: str | Path = layout.OUTPUT) -> QueryDataset:
    """The published files of :func:`default_files`, read from one generation of ``out_dir``.

    Raises:
        RdfFileError: a missing or malformed file.
    """
    files = read_generation(out_dir, [path.name for path in default_files(out_dir)])
    parsed = (parse_bytes(data, Path(out_dir) / name, EXTENSIONS[Path(name).suffix]) for name, data in files.items())
    return _dataset(parsed)


def _dataset(parsed: Iterable[list[pyoxigraph.Quad]]) -> QueryDataset:
    quads: list[pyoxigraph.Quad] = []
    graphs: set[str] = set()
    for file_quads in parsed:
        for quad in file_quads:
            if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                graphs.add(quad.graph_name.value)
                quads.append(quad)
            quads.append(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, pyoxigraph.DefaultGraph()))
    return QueryDataset(quads, frozenset(graphs))


def catalog() -> dict[str, str]:
    """The named queries shipped with wcokg: name → SPARQL text."""
    folder = resources.files("wcokg") / "queries"
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }


def question(text: str) -> str:
    """The plain-English question a catalog query answers: its header comment."""
    lines = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    return " ".join(lines[:2]) if lines else ""


@dataclass(frozen=True)
class Answer:
    """What a query returned: ``kind`` is "solutions" (SPARQL JSON), "boolean" (SPARQL JSON) or "graph" (N-Triples)."""

    kind: str
    payload: bytes
    truncated: bool = False


def _ox_term(term: object) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    literal: dict[str, str] = {"type": "literal", "value": term.value}  # type: ignore[attr-defined]
    if term.language:  # type: ignore[attr-defined]
        literal["xml:lang"] = term.language  # type: ignore[attr-defined]
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":  # type: ignore[attr-defined]
        literal["datatype"] = term.datatype.value  # type: ignore[attr-defined]
    return literal


def _rdflib_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    literal = {"type": "literal", "value": str(term)}
    if term.language:
        literal["xml:lang"] = term.language
    elif term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        literal["datatype"] = str(term.datatype)
    return literal


def _solutions_json(variables: list[str], rows: list[dict[str, dict[str, str]]]) -> bytes:
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode("utf-8")


def _boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def _evaluate(dataset: QueryDataset, text: str, engine: str, limit: int) -> Answer:
    """Run a checked query on one engine; at most ``limit`` rows or triples come back."""
    if engine == "pyoxigraph":
        prologue = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in dataset.prefixes.items())
        result = dataset.store.query(prologue + "\n" + text, use_default_graph_as_union=dataset.union_default_graph)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer("boolean", _boolean_json(bool(result)))
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == limit:
                    return Answer("solutions", _solutions_json(variables, rows), truncated=True)
                rows.append({v: _ox_term(solution[v]) for v in variables if solution[v] is not None})
            return Answer("solutions", _solutions_json(variables, rows))
        triples = []
        for triple in result:
            if len(triples) == limit:
                break
            triples.append(triple)
        data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        return Answer("graph", data, truncated=len(triples) == limit and next(iter(result), None) is not None)
    result = dataset.rdflib.query(text, initNs=dataset.prefixes)
    if result.type == "ASK":
        return Answer("boolean", _boolean_json(bool(result.askAnswer)))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or ()]
        rows = [
            {str(v): _rdflib_term(term) for v, term in binding.items() if str(v) in variables}
            for binding in result.bindings[: limit + 1]
        ]
        return Answer("solutions", _solutions_json(variables, rows[:limit]), truncated=len(rows) > limit)
    triples = list(result.graph)
    graph = rdflib.Graph()
    for triple in triples[:limit]:
        graph.add(triple)
    return Answer("graph", graph.serialize(format="nt11", encoding="utf-8"), truncated=len(triples) > limit)


@lru_cache(maxsize=256)
def _check(text: str, prefixes: tuple[tuple[str, str], ...], graphs: frozenset[str], name: str) -> None:
    """Parse and police a query once; a repeated query (a catalog query, say) is not parsed again."""
    check_policy(parse_query(text, dict(prefixes), name), graphs, name)


def run_query(
    dataset: QueryDataset,
    text: str,
    engine: str = "pyoxigraph",
    timeout: float | None = None,
    limit: int = 10_000,
    name: str = "query",
) -> Answer:
    """Check and run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE).

    Args:
        dataset: the loaded data.
        text: the query; the project's prefixes are predeclared.
        engine: "pyoxigraph" or "rdflib".
        timeout: seconds before the query is stopped; ``None`` runs it in this process, unguarded by time.
        limit: the most rows or triples returned; ``Answer.truncated`` tells when more were found.
        name: how errors name the query (a file name, a catalog name).

    Raises:
        QueryError: a syntax error, an update, a refused clause, an engine error.
        QueryTimeout: the query ran past ``timeout``.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if dataset.union_default_graph and engine != "pyoxigraph":
        raise QueryError(f"engine {engine!r} cannot query a pyoxigraph store; use pyoxigraph")
    _check(text, tuple(dataset.prefixes.items()), dataset.graphs, name)
    if timeout is None:
        try:
            return _evaluate(dataset, text, engine, limit)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"{name}: {exc}") from None
    return run_stoppable(lambda: _evaluate(dataset, text, engine, limit), timeout)
