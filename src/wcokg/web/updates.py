"""The write path (``--allow-update``): SPARQL Update at /update and the Graph Store Protocol on the editable graphs,
each through ``wcokg.pipeline.update(apply=True)`` exactly as ``wcokg update --apply``, in a process of its own
under the same time and memory limits; an accepted edit is served from the next request on."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..budgets import check_budgets
from ..check.report import render_diff, render_report
from ..errors import (
    CleanupFailed,
    OutOfMemory,
    PublishError,
    QueryError,
    QueryTimeout,
    RdfFileError,
    SparqlSyntaxError,
    WcoKgError,
    naming,
)
from ..limits import MEMORY_LIMIT, UPDATE_TIMEOUT
from ..pipeline import update
from ..sparql.worker import Worker, confirm, exhausted
from .negotiation import NegotiationError, choose
from .sparql import FORM, ProtocolError, _body

FIELDS = ("author", "reason", "date", "quote", "quote-start", "cites")
"""Request parameters that fill the edit's header, as the options of ``wcokg update`` do."""
EDITABLE = ("data", "links")
"""The graphs a patch may write: the data graph (the default graph of a patch) and the links graph."""
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
SCRATCH = re.compile(re.escape(tempfile.gettempdir()) + r"/wcokg-update-[^/\s]+/")
"""Where the request's patch is written for the pipeline: cut from messages, which name the patch by its slug."""
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""What a Graph Store request may send."""
_SYNTAXES = {ox.RdfFormat.TURTLE: "turtle", ox.RdfFormat.N_TRIPLES: "ntriples", ox.RdfFormat.JSON_LD: "jsonld"}
"""How the budgets read a request body (RDF/XML has no brackets; pyoxigraph reads 20,000 nested elements)."""
REPORT_TYPES = {"application/json": "json", "text/turtle": "turtle"}


@dataclass(frozen=True)
class Editing:
    """What ``wcokg update --apply`` is given: the token that authorizes a request, the project's paths, and
    each update's limits (seconds until it is ready to publish, bytes of memory it may add to the server's)."""

    token: str
    source: Path
    out_dir: Path
    edits: Path
    ontology: Path
    shapes: Path
    releases: Path
    wait: float = 30.0
    timeout: float = UPDATE_TIMEOUT
    memory: int = MEMORY_LIMIT


@dataclass(frozen=True)
class Outcome:
    """How an update ended, as the response says it: the status, and an error message (``media_type`` None)
    or the body; and whether it published (a 200, or a 500 that failed after the commit point)."""

    status: int
    text: str
    media_type: str | None = None
    published: bool = False
    place: dict[str, int] | None = None
    """A syntax error's ``line`` and ``column``, for the error's JSON."""


class Editor:
    """Applies authorized updates one at a time; ``reload`` swaps in the site of the new generation."""

    def __init__(self, editing: Editing, base: str, reload: Callable[[], None], error: Callable[..., Response]):
        self.editing, self.base = editing, base
        self.reload, self.error = reload, error
        self.lock = threading.Lock()

    async def sparql_update(self, request: Request) -> Response:
        """POST /update: ``application/sparql-update``, or a form with ``update=`` (and the header fields)."""
        if refused := self.unauthorized(request):
            return refused
        try:
            media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            text = (await _body(request)).decode("utf-8")
            params = dict(request.query_params)
            if media_type == FORM:
                params |= dict(parse_qsl(text, keep_blank_values=True))
                text = params.pop("update", "")
            elif media_type != "application/sparql-update":
                raise ProtocolError(415, "POST /update takes application/sparql-update or a form with update=")
            if not text.strip():
                raise ProtocolError(400, "no update given")
        except UnicodeDecodeError:
            return self.error(request, 400, "the request body is not UTF-8")
        except ProtocolError as exc:
            return self.error(request, exc.status, exc.message)
        return await self.apply(request, text, params)

    async def graph_store(self, request: Request) -> Response:
        """PUT (replace), POST (add) or DELETE (empty) ``/graph/data`` or ``/graph/links``, as a SPARQL Update."""
        if refused := self.unauthorized(request):
            return refused
        name = request.path_params["name"]
        if name not in EDITABLE:
            message = f"only /graph/data and /graph/links are editable; {request.method} refused on /graph/{name}"
            return self.error(request, 405, message, {"Allow": "GET, HEAD"})
        graph = self.base + f"graph/{name}"
        try:
            triples = "" if request.method == "DELETE" else await read_triples(request)
        except ProtocolError as exc:
            return self.error(request, exc.status, exc.message)
        text = graph_update(request.method, None if name == "data" else graph, triples)
        return await self.apply(request, text, dict(request.query_params))

    def unauthorized(self, request: Request) -> Response | None:
        """401 unless the request carries ``Authorization: Bearer TOKEN`` with the server's token."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.editing.token.encode()):
            return None
        message = "an update needs the server's token: Authorization: Bearer <WCOKG_TOKEN>"
        return self.error(request, 401, message, {"WWW-Authenticate": 'Bearer realm="wcokg"'})

    async def apply(self, request: Request, text: str, params: dict[str, str]) -> Response:
        """Run the update through the pipeline: 200 applied, 422 with the SHACL report, 400/409 refused, 503 out
        of time, 413 out of memory."""
        slug = params.get("slug", "web-update")
        if not SLUG.fullmatch(slug):
            return self.error(request, 400, f"slug {slug!r} must be lower-case letters, digits and '-'")
        fields = {key: params.get(key) or None for key in FIELDS}
        try:
            report = choose(request.headers.get("accept"), list(REPORT_TYPES)) or "application/json"
        except NegotiationError:
            report = "application/json"
        try:
            outcome = await run_in_threadpool(self.publish, text, slug, fields, report)
        except (WcoKgError, OSError) as exc:  # the scratch patch or the process not made, the new generation unread
            outcome = _refused(exc)
        if outcome.media_type is None:
            return self.error(request, outcome.status, outcome.text, place=outcome.place)
        return Response(outcome.text, status_code=outcome.status, media_type=f"{outcome.media_type}; charset=utf-8")

    def publish(self, text: str, slug: str, fields: dict[str, str | None], report: str) -> Outcome:
        """``wcokg update --apply`` on ``text`` (written to a temporary patch) in a forked process, then the new
        generation served.

        The process has the update's memory limit, and its time limit until it is ready to publish, as the
        command's (see :func:`wcokg.sparql.worker.confirm`): a process out of time is killed before it has
        written anything (the lock it held goes with it), never while it publishes.
        """
        editing = self.editing
        with self.lock, tempfile.TemporaryDirectory(prefix="wcokg-update-") as scratch:
            patch = Path(scratch) / f"{slug}.ru"
            with naming(patch):
                patch.write_text(text, encoding="utf-8")
            worker = Worker(partial(_publish, editing), editing.memory, "update")
            try:
                outcome = worker.call((patch, fields, report), editing.timeout)
            except QueryTimeout:
                stopped = f"the update stopped after {editing.timeout:g} s (raise --update-timeout to allow more)"
                return Outcome(503, stopped + "; nothing was published")
            except OutOfMemory:
                needed = f"the update needed more than {editing.memory >> 20} MB of memory"
                return Outcome(413, needed + " (raise --update-memory to allow more); nothing was published")
            except QueryError as exc:
                return Outcome(500, str(exc))
            finally:
                worker.stop()
            if outcome.published:
                self.reload()
            return outcome


def _publish(editing: Editing, request: tuple[Path, dict[str, str | None], str]) -> Outcome:
    """In the update's process: ``wcokg update --apply`` on the patch, answered as the response needs it."""
    patch, fields, report = request
    try:
        result = update(
            patch,
            fields,
            True,
            editing.source,
            editing.out_dir,
            editing.edits,
            editing.ontology,
            editing.shapes,
            editing.releases,
            editing.wait,
            before_commit=confirm,
            defaults={"date": dt.datetime.now(dt.UTC).date().isoformat()},
        )
    except (WcoKgError, OSError) as exc:
        if exhausted():  # an allocation that failed, reported as something else
            raise MemoryError from exc
        return _refused(exc)
    if not result.report.conforms:
        return Outcome(422, render_report(result.report, REPORT_TYPES[report], {}, "update"), report)
    document = {"status": 200, "edit": result.patch.name, "diff": render_diff(result.edit)}
    return Outcome(200, json.dumps(document) + "\n", "application/json", published=True)


def _refused(exc: WcoKgError | OSError) -> Outcome:
    """The answer to an update the pipeline refused (409 another writer, 400 the update), or a system error
    (500 after the commit point, 503 before it)."""
    if isinstance(exc, PublishError):
        return Outcome(409, str(exc))
    if isinstance(exc, CleanupFailed):
        return Outcome(500, str(exc), published=True)
    if isinstance(exc, SparqlSyntaxError):
        return Outcome(400, SCRATCH.sub("", str(exc)), place={"line": exc.line, "column": exc.column})
    if isinstance(exc, WcoKgError):
        return Outcome(400, SCRATCH.sub("", str(exc)))
    where = f"{exc.filename}: " if exc.filename else ""
    return Outcome(503, f"{where}{exc.strerror or exc}; nothing was published")


async def read_triples(request: Request) -> str:
    """The request body's triples as N-Triples lines (named nodes and literals only: an edit names what it adds).

    Raises:
        ProtocolError: an unsupported or missing content type (415), a budget exceeded (see budgets.py), a syntax
            error or a blank node (400).
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = GRAPH_TYPES.get(media_type)
    if fmt is None:
        raise ProtocolError(415, f"a graph is sent as Turtle, N-Triples, JSON-LD or RDF/XML, not {media_type!r}")
    body = await _body(request)
    try:  # before the parser, which runs in the server's process: deep JSON-LD overflows its stack
        if fmt in _SYNTAXES:
            check_budgets(body, "the request body", _SYNTAXES[fmt], options=False)  # the server's: no option to name
    except RdfFileError as exc:
        raise ProtocolError(400, str(exc)) from None
    try:
        triples = list(ox.parse(body, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise ProtocolError(400, f"the {media_type} body does not parse: {exc}") from None
    if any(isinstance(t, ox.BlankNode) for q in triples for t in (q.subject, q.object)):
        raise ProtocolError(400, "blank nodes are refused: name every resource an edit writes")
    return "".join(f"  {q.subject} {q.predicate} {q.object} .\n" for q in triples)


def graph_update(method: str, graph: str | None, triples: str) -> str:
    """The SPARQL Update a Graph Store request stands for (``graph`` None: the data graph, a patch's default).

    >>> print(graph_update("POST", None, "  <a:s> <a:p> <a:o> .\\n"), end="")
    INSERT DATA {
      <a:s> <a:p> <a:o> .
    }
    """
    open_, close = (f"GRAPH <{graph}> {{ ", " }") if graph else ("", "")
    empty = f"DELETE WHERE {{ {open_}?s ?p ?o{close} }}"
    insert = f"INSERT DATA {{\n{open_}\n{triples}{close}\n}}\n" if graph else f"INSERT DATA {{\n{triples}}}\n"
    if method == "DELETE":
        return empty + "\n"
    if method == "PUT":
        return empty + " ;\n" + insert
    return insert
