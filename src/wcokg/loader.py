"""Load the project's hand-written Turtle (ontology, shapes) strictly: pyoxigraph checks, rdflib holds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from rdflib import Graph

from .errors import RdfFileError


def syntax_error(path: str | Path, exc: SyntaxError) -> RdfFileError:
    """Turn pyoxigraph's SyntaxError into a one-line error naming file, line and column."""
    message = exc.msg.split(": ", 1)[1] if exc.msg.startswith("Parser error") and ": " in exc.msg else exc.msg
    return RdfFileError(path, exc.lineno, exc.offset, message)


def load_turtle(path: str | Path) -> tuple[bytes, Graph]:
    """Read a Turtle file and parse it after a strict syntax check (rdflib alone accepts malformed Turtle).

    Returns:
        The file's bytes, as published, and its graph.

    Raises:
        RdfFileError: the file is missing, not UTF-8 or not valid Turtle; names line and column.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RdfFileError(path, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise syntax_error(path, exc) from None
    return data, Graph(bind_namespaces="none").parse(data=data, format="turtle", publicID=path.resolve().as_uri())
