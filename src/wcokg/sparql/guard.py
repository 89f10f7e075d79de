"""Decide what a query may touch before an engine runs it: no SERVICE, no FROM outside the dataset, no update.

The default engine's check reads the query's tokens (no parser to import: it costs microseconds); pyoxigraph's
own parser then judges the syntax. The rdflib engine's queries are also policed on rdflib's parsed algebra.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from ..errors import QueryError
from .messages import explain
from .nesting import too_deep_for_rdflib, unescape

RDFLIB_PARSER = threading.Lock()
"""rdflib's SPARQL grammar (pyparsing) is not safe to use from two threads at once (the server's do)."""

_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][^\W]\w*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:.%-]|\\[_~.!$&'()*+,;=/?\#@%-])*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
"""SPARQL's terminals, as far as the guard needs them: what is a comment, a string, an IRI, a name or a keyword.
A prefixed name's escapes (``ex:a\\'``) are read as pyoxigraph reads them, so no quote can hide a keyword."""
UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of every token, comments and whitespace left out."""
    return [(m.lastgroup, m.group()) for m in _TOKENS.finditer(text) if m.lastgroup != "comment"]  # type: ignore[misc]


def police(text: str, prefixes: dict[str, str], graphs: frozenset[str], name: str = "query") -> bool:
    """Refuse an update, SERVICE, and FROM / FROM NAMED any graph the dataset does not hold.

    The query is read twice, as written and with its ``\\u`` escapes replaced, so that ``\\u0053ERVICE`` is caught
    like ``SERVICE`` whichever reading an engine makes.

    Returns:
        Whether the query names its own dataset (FROM or FROM NAMED).

    Raises:
        QueryError: naming the refused clause.
    """
    readings = dict.fromkeys((text, unescape(text)[0]))
    return any([_police_tokens(reading, _tokens(reading), dict(prefixes), graphs, name) for reading in readings])


def _police_tokens(
    text: str, tokens: list[tuple[str, str]], prefixes: dict[str, str], graphs: frozenset[str], name: str
) -> bool:
    base, dataset = "", False
    words = [(i, value.upper()) for i, (kind, value) in enumerate(tokens) if kind == "word"]
    first = next((word for _, word in words if word not in ("PREFIX", "BASE")), "")
    if first in UPDATES:
        raise explain(text, "query", name, prefixes)

    def iri(index: int) -> str:
        kind, value = tokens[index] if index < len(tokens) else ("", "")
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, local = value.split(":", 1)
            if prefix not in prefixes:
                raise QueryError(f"{name}: unknown prefix {prefix}: (declare it with PREFIX)")
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return value or "nothing"

    for index, word in words:
        if word == "PREFIX" and index + 2 < len(tokens) and tokens[index + 1][0] == "pname":
            prefixes[tokens[index + 1][1].split(":", 1)[0]] = iri(index + 2)
        elif word == "BASE":
            base = iri(index + 1)
        elif word == "SERVICE":
            silent = index + 1 < len(tokens) and tokens[index + 1][1].upper() == "SILENT"
            after = index + 2 if silent else index + 1
            target = iri(after)
            shown = f"<{target}>" if tokens[after : after + 1] and tokens[after][0] in ("iri", "pname") else target
            raise QueryError(f"{name}: SERVICE {shown} refused: wcokg never queries other endpoints")
        elif word == "FROM":
            dataset = True
            named = index + 1 < len(tokens) and tokens[index + 1][1].upper() == "NAMED"
            graph = iri(index + 2 if named else index + 1)
            if graph not in graphs:
                raise QueryError(
                    f"{name}: FROM <{graph}> refused: it names no graph of the loaded dataset, "
                    "and wcokg never fetches one"
                )
    return dataset


def parse_query(text: str, prefixes: dict[str, str], name: str = "query") -> Any:
    """Parse and translate a SPARQL query with rdflib (for its engine), the project's prefixes predeclared.

    Raises:
        SparqlSyntaxError: a syntax error or an unknown prefix, in plain words (see :mod:`.messages`).
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with RDFLIB_PARSER:
            parsed = parseQuery(text)
        return translateQuery(parsed, initNs=prefixes)
    except RecursionError:
        raise too_deep_for_rdflib(name) from None
    except Exception:  # a pyparsing.ParseException; rdflib raises bare Exception for an unknown prefix
        raise explain(text, "query", name, prefixes) from None


def nodes(value: Any) -> Iterator[Any]:
    """Every node of a parsed query or update algebra (rdflib's), depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(value, CompValue):
        yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from nodes(child)


def check_policy(query: Any, graphs: frozenset[str], name: str = "query") -> None:
    """Refuse, on rdflib's parsed algebra, what would reach outside the loaded dataset: SERVICE, an outside FROM.

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
