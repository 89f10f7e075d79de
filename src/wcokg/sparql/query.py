"""SPARQL over the published files on pyoxigraph or rdflib, guarded, with the project's prefixes predeclared."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph

from .. import layout
from ..budgets import DEFAULT as DEFAULT_BUDGETS
from ..budgets import Budgets, check_budgets
from ..errors import QueryError, RdfFileError, SparqlSyntaxError
from ..names import prefixes
from ..publish.transaction import read_generation
from ..rdfio import EXTENSIONS, FORMATS, read_file
from ..rdfio import syntax_error as data_syntax_error
from .guard import check_policy, parse_query, police
from .messages import explain
from .nesting import check_nesting
from .worker import Worker, WorkerPool

ENGINES = ("pyoxigraph", "rdflib")
MEMORY = 2048 << 20
"""Bytes of memory a query may use beyond the loaded data, by default."""
QUERY_WORKERS = max(2, os.cpu_count() or 1)
"""A server's query workers: one per CPU, at least two (so that one client's query never blocks every other)."""


def default_files(out_dir: str | Path = layout.OUTPUT) -> list[Path]:
    """The published files a query runs over: the four named graphs and the dataset description."""
    return [Path(out_dir) / "wcokg.nq", Path(out_dir) / "void.ttl"]


@dataclass
class QueryDataset:
    """Data loaded once into pyoxigraph: named graphs as in the files; queries see the union as default graph."""

    store: pyoxigraph.Store
    graphs: frozenset[str]
    prefixes: dict[str, str] = field(default_factory=prefixes)
    workers: WorkerPool | None = None
    """Workers kept from query to query (a server's, see :func:`start_workers`); else one is forked per query."""

    @classmethod
    def from_store(cls, store: pyoxigraph.Store, prefixes: dict[str, str]) -> QueryDataset:
        """A dataset over a filled store."""
        return cls(store, frozenset(graph.value for graph in store.named_graphs()), prefixes)

    @property
    def quads(self) -> list[pyoxigraph.Quad]:
        """Every quad of the store, as loaded (the triples of a triples file in the default graph)."""
        return list(self.store)

    @cached_property
    def rdflib(self) -> Any:
        """The data as an rdflib Dataset (for its engine), literals as written, every triple also in the default
        graph (rdflib answers 3× slower over a union default graph)."""
        from ..rdfio import to_dataset

        quads = self.quads
        default = pyoxigraph.DefaultGraph()
        copies = (pyoxigraph.Quad(q.subject, q.predicate, q.object, default) for q in quads if q.graph_name != default)
        return to_dataset([*quads, *copies])


def load_dataset(paths: Sequence[str | Path], budgets: Budgets = DEFAULT_BUDGETS) -> QueryDataset:
    """Load Turtle, N-Triples, N-Quads, TriG or JSON-LD files (by extension) with pyoxigraph's strict bulk loader.

    Raises:
        RdfFileError: a missing, oversized or malformed file, one that is not a regular file (a FIFO, a device),
            an unknown extension, a remote JSON-LD context.
    """
    store = pyoxigraph.Store()
    for path in map(Path, paths):
        data = read_file(path, budgets)
        syntax = EXTENSIONS.get(path.suffix)
        if syntax is None:
            raise RdfFileError(path, None, None, f"unknown syntax {path.suffix!r}: name a file {', '.join(EXTENSIONS)}")
        check_budgets(data, path, syntax, budgets)  # before pyoxigraph: deep JSON-LD crashes its parser
        _bulk_load(store, path, syntax, data)
    return QueryDataset.from_store(store, prefixes())


def load_output(out_dir: str | Path = layout.OUTPUT) -> QueryDataset:
    """The published files of :func:`default_files`, read from one generation of ``out_dir``.

    Raises:
        RdfFileError: a missing or malformed file.
    """
    store = pyoxigraph.Store()
    for name, data in read_generation(out_dir, [path.name for path in default_files(out_dir)]).items():
        _bulk_load(store, Path(out_dir) / name, EXTENSIONS[Path(name).suffix], data)
    return QueryDataset.from_store(store, prefixes())


def _bulk_load(store: pyoxigraph.Store, name: Path, syntax: str, data: bytes) -> None:
    try:
        store.bulk_load(data, FORMATS[syntax], base_iri=name.resolve().as_uri())
    except SyntaxError as exc:
        raise data_syntax_error(name, exc) from None
    except OSError as exc:
        raise RdfFileError(name, None, None, f"cannot read the file: {exc.strerror or exc}") from None


def catalog() -> dict[str, str]:
    """The named queries: name → SPARQL text. wcokg's own questions (about any published graph: its sources,
    edits, provenance, files) and the project's questions about what its documents say, ``sources/queries/*.rq``
    (those of the example shipped with wcokg where the project has none)."""
    root = layout.find_project()
    project = root / "sources" / "queries" if root is not None else None
    own = project if project is not None and project.is_dir() else resources.files("wcokg") / "example" / "queries"
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for folder in (resources.files("wcokg") / "queries", own)
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
    from rdflib import BNode, Literal, URIRef

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


def _solutions_json(variables: list[str], rows: list[str]) -> bytes:
    """SPARQL JSON results of ``rows``, each a solution already written as JSON (``json.dumps``'s separators)."""
    head = json.dumps({"vars": variables})
    return f'{{"head": {head}, "results": {{"bindings": [{", ".join(rows)}]}}}}'.encode()


def _boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


@lru_cache(maxsize=256)
def _police(text: str, prefixes: tuple[tuple[str, str], ...], graphs: frozenset[str], name: str) -> bool:
    """:func:`police`, once per query: a server's worker sees the same catalog queries again and again."""
    return police(text, dict(prefixes), graphs, name)


def _evaluate(dataset: QueryDataset, text: str, engine: str, limit: int, name: str) -> Answer:
    """Police and run a query on one engine; at most ``limit`` rows or triples come back."""
    own_dataset = _police(text, tuple(dataset.prefixes.items()), dataset.graphs, name)
    if engine == "pyoxigraph":
        try:  # the union is the default graph unless the query names its own (pyoxigraph would ignore FROM)
            result = dataset.store.query(text, prefixes=dataset.prefixes, use_default_graph_as_union=not own_dataset)
            return _pyoxigraph_answer(result, limit)
        except SyntaxError:
            raise explain(text, "query", name, dataset.prefixes) from None
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # rdflib would fetch a FROM graph; none is ever fetched
    check_policy(parse_query(text, dataset.prefixes, name), dataset.graphs, name)
    return _rdflib_answer(dataset.rdflib.query(text, initNs=dataset.prefixes), limit)


@lru_cache(maxsize=16384)
def _ox_term_json(term: object) -> str:
    """A term as SPARQL JSON, written once per worker: the same terms come back query after query."""
    return json.dumps(_ox_term(term))


def _pyoxigraph_answer(result: Any, limit: int) -> Answer:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer("boolean", _boolean_json(bool(result)))
    if isinstance(result, pyoxigraph.QuerySolutions):
        variables = [v.value for v in result.variables]
        keys = [json.dumps(v) + ": " for v in variables]
        rows: list[str] = []
        for solution in result:  # a solution iterates over its variables' terms, None where unbound
            if len(rows) == limit:
                return Answer("solutions", _solutions_json(variables, rows), truncated=True)
            bound = (key + _ox_term_json(term) for key, term in zip(keys, solution, strict=True) if term is not None)
            rows.append("{" + ", ".join(bound) + "}")
        return Answer("solutions", _solutions_json(variables, rows))
    triples = []
    for triple in result:
        if len(triples) == limit:
            break
        triples.append(triple)
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Answer("graph", data, truncated=len(triples) == limit and next(iter(result), None) is not None)


def _rdflib_answer(result: Any, limit: int) -> Answer:
    import rdflib

    if result.type == "ASK":
        return Answer("boolean", _boolean_json(bool(result.askAnswer)))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or ()]
        rows = [
            {str(v): _rdflib_term(term) for v, term in binding.items() if str(v) in variables}
            for binding in result.bindings[: limit + 1]
        ]
        written = [json.dumps(row) for row in rows[:limit]]
        return Answer("solutions", _solutions_json(variables, written), truncated=len(rows) > limit)
    triples = list(result.graph)
    graph = rdflib.Graph()
    for triple in triples[:limit]:
        graph.add(triple)
    return Answer("graph", graph.serialize(format="nt11", encoding="utf-8"), truncated=len(triples) > limit)


def _answer(dataset: QueryDataset, request: tuple[str, str, int, str]) -> Answer:
    """What a worker does with a request: (text, engine, limit, name)."""
    text, engine, limit, name = request
    try:
        return _evaluate(dataset, text, engine, limit, name)
    except SparqlSyntaxError:
        raise
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{name}: {' '.join(str(exc).split())}") from None


def start_workers(dataset: QueryDataset, size: int = QUERY_WORKERS, memory: int | None = MEMORY) -> None:
    """Fork ``size`` workers for ``dataset`` now and keep them from query to query (what a server does)."""
    dataset.workers = WorkerPool(partial(_answer, dataset), size, memory)


def _request(text: str, engine: str, limit: int, name: str) -> tuple[str, str, int, str]:
    """What a worker is sent for a query, once it is checked here."""
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    check_nesting(text, name)  # here, not in the worker: a parser overflows its stack on deep nesting
    return (text, engine, limit, name)


async def run_query_async(dataset: QueryDataset, text: str, timeout: float, limit: int, name: str = "query") -> Answer:
    """:func:`run_query` on pyoxigraph from a server's event loop, on the dataset's workers (:func:`start_workers`):
    the loop waits for a free worker and reads its answer, without a thread."""
    if dataset.workers is None:
        raise QueryError("run_query_async needs the dataset's workers: call start_workers first")
    return await dataset.workers.call_async(_request(text, "pyoxigraph", limit, name), timeout)


def run_query(
    dataset: QueryDataset,
    text: str,
    engine: str = "pyoxigraph",
    timeout: float | None = None,
    limit: int = 10_000,
    name: str = "query",
    memory: int | None = MEMORY,
) -> Answer:
    """Check and run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE).

    Args:
        dataset: the loaded data.
        text: the query; the project's prefixes are predeclared.
        engine: "pyoxigraph" or "rdflib".
        timeout: seconds before the query (its parse included) is stopped; ``None`` runs it in this process,
            unguarded by time or memory.
        limit: the most rows or triples returned; ``Answer.truncated`` tells when more were found.
        name: how errors name the query (a file name, a catalog name).
        memory: bytes the query may add to the worker's memory (the dataset's workers have their own budget).

    Raises:
        QueryError: a syntax error, brackets nested too deep, an update, a refused clause, an engine error or
            crash, memory exhausted.
        QueryTimeout: the query ran past ``timeout``.
    """
    request = _request(text, engine, limit, name)
    if timeout is None:
        return _answer(dataset, request)
    if dataset.workers is not None:
        return dataset.workers.call(request, timeout)
    worker = Worker(partial(_answer, dataset), memory)
    try:
        return worker.call(request, timeout)
    finally:
        worker.stop()
