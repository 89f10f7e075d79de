"""Decide on the parsed query what it may touch, and run queries where they can be stopped."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pyparsing
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from .errors import QueryError, QueryTimeout

RDFLIB_PARSER = threading.Lock()
"""rdflib's SPARQL grammar (pyparsing) is not safe to use from two threads at once (the server's do)."""
_LOOPBACK = ("127.", "localhost", "::1")


def parse_query(text: str, prefixes: dict[str, str], name: str = "query") -> Query:
    """Parse and translate a SPARQL query, the project's prefixes predeclared.

    Raises:
        QueryError: a syntax error (``name:line:column``, the offending token) or an unknown prefix.
    """
    try:
        with RDFLIB_PARSER:
            parsed = parseQuery(text)
        return translateQuery(parsed, initNs=prefixes)
    except pyparsing.ParseException as exc:
        if _is_update(text):
            raise QueryError(f"{name}: this is a SPARQL Update; queries are read-only here") from None
        found = text[exc.loc :].split(maxsplit=1)[0] if text[exc.loc :].strip() else "end of query"
        raise QueryError(f"{name}:{exc.lineno}:{exc.col}: syntax error at {found!r}: {exc.msg}") from None
    except Exception as exc:  # rdflib raises bare Exception for an unknown prefix
        raise QueryError(f"{name}: {exc}") from None


def _is_update(text: str) -> bool:
    try:
        with RDFLIB_PARSER:
            parseUpdate(text)
    except pyparsing.ParseException:
        return False
    return True


def nodes(value: Any) -> Iterator[CompValue]:
    """Every node of a parsed query or update algebra, depth first."""
    if isinstance(value, CompValue):
        yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from nodes(child)


def check_policy(query: Query, graphs: frozenset[str], name: str = "query") -> None:
    """Refuse what would reach outside the loaded dataset: SERVICE, and FROM / FROM NAMED any other graph.

    Decided on the parsed algebra, so escapes such as ``\\u0053ERVICE`` cannot hide a clause.

    Raises:
        QueryError: naming the refused clause.
    """
    for node in nodes(query.algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryError(f"{name}: SERVICE <{node.get('term')}> refused: wcokg never queries other endpoints")
    for clause in query.algebra.get("datasetClause") or ():
        iri = clause["default"] if "default" in clause else clause["named"]
        if str(iri) not in graphs:
            raise QueryError(
                f"{name}: FROM <{iri}> refused: it names no graph of the loaded dataset, and wcokg never fetches one"
            )


def _refuse_network(event: str, args: tuple) -> None:
    """Audit hook for query workers: no connection leaves the machine, whatever the engine tries."""
    if event == "socket.connect" and len(args) > 1:
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if not (isinstance(host, str) and host.startswith(_LOOPBACK)):
            raise OSError(f"network access refused: {address!r}")
    elif event == "urllib.Request":
        raise OSError(f"network access refused: {args[0]!r}")


def _worker(action: Callable[[], Any], connection: Any) -> None:
    sys.addaudithook(_refuse_network)
    try:
        connection.send(("ok", action()))
    except Exception as exc:  # reported to the parent, which raises it as a QueryError
        connection.send(("error", f"{type(exc).__name__}: {exc}"))


def run_stoppable(action: Callable[[], Any], timeout: float) -> Any:
    """Run ``action`` in a forked worker with no network access; stop it after ``timeout`` seconds.

    Raises:
        QueryTimeout: the worker was stopped.
        QueryError: the action raised; its message is kept.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(action, send), daemon=True)
    worker.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeout(f"query stopped after {timeout:g} s (raise --timeout to allow more)")
        status, payload = receive.recv()
    except EOFError:
        # The engine can abort the whole process (pyoxigraph 0.5.13 panics on some ORDER BY): only the worker dies.
        status, payload = "error", "the query engine crashed on this query"
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if status == "error":
        raise QueryError(payload)
    return payload
