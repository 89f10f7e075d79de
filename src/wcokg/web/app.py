"""The ASGI application: dereferenceable IRIs with content negotiation, the pages, and the SPARQL endpoint."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import cached_property, lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import layout
from ..errors import QueryError, QueryTimeout, SparqlSyntaxError
from ..layout import MEDIA_TYPES
from ..limits import BODY_TIMEOUT, QUERY_TIMEOUT
from ..names import DEFAULT_BASE
from ..sparql.query import catalog, question, run_query_async
from . import pages, pictures, search, sparql
from .clients import CLIENT_QUERIES, BodyTimeout, ClientQueries
from .negotiation import EXTENSIONS, MAX_ACCEPT, RDF_TYPES, NegotiationError, choose
from .published import SHAPES_GRAPH, VOCABULARY, Published, load_published
from .rdf import serialize
from .stored import StoredAnswer, StoredAnswers

if TYPE_CHECKING:
    from .updates import Editing

CACHE_CONTROL = "public, max-age=300"
FORMATS = {
    "text/html": "table",
    "application/sparql-results+json": "SPARQL JSON",
    "application/sparql-results+xml": "SPARQL XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "text/turtle": "Turtle (CONSTRUCT, DESCRIBE)",
    "application/ld+json": "JSON-LD (CONSTRUCT, DESCRIBE)",
    "application/n-triples": "N-Triples (CONSTRUCT, DESCRIBE)",
}
"""The answer formats the query page offers (its ``format`` parameter), by media type."""
BROWSER_FORMATS = ("text/html", "application/sparql-results+json", "text/csv")
"""Those the static site's query page offers (static/sparql.js writes them; a graph is shown as N-Triples)."""
MAX_SEARCH = 200
"""The most characters a search may have."""
SERVER_FAILED = "the server failed on this request; it has been logged"
TEXT_TYPES = ("text/", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/json")


@dataclass(frozen=True)
class Document:
    """Something an IRI of the graph names, as the server answers for it: ``kind`` picks the triples and the page."""

    kind: str  # resource, ontology, shapes, graph, source, dataset, file
    iri: str
    path: str


@dataclass(frozen=True)
class Representation:
    body: bytes
    etag: str


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith(TEXT_TYPES) else media_type


class RequestGuard:
    """Refuse, before any routing, paths with ``..`` or encoded slashes and Accept headers too long to read."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = self.problem(scope)
            if problem:
                status, message = problem
                response = Response(
                    json.dumps({"status": status, "message": message}) + "\n",
                    status_code=status,
                    media_type="application/json",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def problem(scope: Scope) -> tuple[int, str] | None:
        raw = scope.get("raw_path", b"").lower()
        if b"%2f" in raw or b"%5c" in raw or "\\" in scope["path"]:
            return 400, "encoded slashes and backslashes are refused in paths"
        if any(segment in (".", "..") for segment in scope["path"].split("/")):
            return 400, "'.' and '..' path segments are refused"
        for name, value in scope.get("headers", ()):
            if name == b"accept" and len(value) > MAX_ACCEPT:
                return 431, f"Accept header of {len(value)} characters refused (at most {MAX_ACCEPT})"
        return None


class SparqlFront:
    """ASGI, outermost: GET and POST /sparql answered by the site's handler directly, without Starlette's
    middleware, router and exception layers (about half the server's CPU time of a query answered by a worker).
    What those layers add to such an answer is added here: the body timeout of a POST, the error answers of an
    HTTPException and of a failure, CORS's ``Vary: Origin``. A request with an ``Origin`` header (CORS), any
    other method or path, or one the request guard refuses takes the full stack."""

    def __init__(self, app: ASGIApp, current: Current, body_timeout: float) -> None:
        self.app, self.current = app, current
        self.timed = BodyTimeout(self.answer, seconds=body_timeout)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
        elif any(name == b"origin" for name, _ in scope["headers"]) or RequestGuard.problem(scope):
            await self.app(scope, receive, send)
        elif scope["method"] == "GET":
            await self.answer(scope, receive, send)
        else:
            await self.timed(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        site = self.current.site
        try:
            response = await site.sparql(request)
        except HTTPException as exc:
            response = site.error(request, exc.status_code, exc.detail, exc.headers)
        except Exception:  # as Starlette's outermost layer: a 500, and the failure raised on to be logged
            await site.error(request, 500, SERVER_FAILED)(scope, receive, send)
            raise
        response.headers["Vary"] = ", ".join([*response.headers.getlist("vary"), "Origin"])  # as CORS's layer
        await response(scope, receive, send)


class Site:
    """The request handlers over one loaded publication; representations are rendered once and kept."""

    def __init__(
        self,
        published: Published,
        timeout: float,
        limit: int,
        answer_cache: int = 256,
        queries: ClientQueries | None = None,
    ):
        self.published = published
        self.timeout, self.limit = timeout, limit
        self.queries = queries
        self.templates = Environment(  # the package's templates do not change while it runs: never re-read
            loader=PackageLoader("wcokg.web", "templates"),
            autoescape=select_autoescape(default=True),
            auto_reload=False,
        )
        dataset = published.about()
        self.nav = {
            "sources": [(published.local_path(iri), iri.rsplit("/", 1)[-1]) for iri in published.sources],
            **dataset,
        }
        self.slugs = sorted(iri for iri in published.by_subject if iri.startswith(published.base + "id/"))
        self.render = lru_cache(maxsize=4096)(self._render)
        self.stored: dict[tuple, StoredAnswer] = {}
        """Whole answers to GETs of documents, replayed by ``StoredAnswers`` while this generation is served."""
        self.answers = sparql.Answers(size=answer_cache)

    @cached_property
    def index(self) -> list[search.Entry]:
        """The search index, made on the first search (start-up does not wait for it)."""
        return search.entries(self.published)

    # -- documents ---------------------------------------------------------------------------------------

    def resolve(self, path: str) -> Document | None:
        """The document a server path names, if the graph holds it (``path`` without extension)."""
        published = self.published
        iri = published.iri_of(path)
        ontology = DEFAULT_BASE + "ontology"
        if iri == ontology or (iri.startswith(ontology + "/") and published.holds(iri)):
            return Document("ontology", ontology, path)
        if iri == DEFAULT_BASE + "shapes":
            return Document("shapes", iri, path)
        if iri in published.named_graphs():
            return Document("graph", iri, path)
        if iri in published.sources:
            return Document("source", iri, path)
        if iri == published.base + "dataset":
            return Document("dataset", iri, path)
        if iri.startswith(published.base + "dataset/") and iri.rsplit("/", 1)[1] in MEDIA_TYPES:
            return Document("file", iri, path)
        if published.holds(iri):
            return Document("resource", iri, path)
        return None

    def triples(self, document: Document) -> list:
        published = self.published
        if document.kind == "ontology":
            return published.triples(graph=published.base + "graph/ontology")
        if document.kind == "shapes":
            return published.triples(graph=SHAPES_GRAPH)
        if document.kind == "graph":
            return published.triples(graph=document.iri)
        if document.kind == "dataset":
            return published.triples(graph="")
        if document.kind == "source":
            spans = published.sources[document.iri].spans
            return sorted({t for iri in [document.iri, *spans] for t in published.triples(iri)}, key=str)
        return published.triples(document.iri)

    def alternates(self, path: str) -> list[tuple[str, str]]:
        return [(media_type, f"{path}.{extension}") for media_type, extension in RDF_TYPES.items()]

    def page(self, template: str, **context: object) -> bytes:
        context.setdefault("alternates", [])
        html = self.templates.get_template(template).render(nav=self.nav, **context)
        return html.encode("utf-8")

    def _render(self, document: Document, media_type: str) -> Representation:
        """The bytes of ``document`` as ``media_type`` (kept: the published graph does not change while served)."""
        published = self.published
        if media_type != "text/html":
            body = serialize(self.triples(document), media_type, published.prefixes)
        else:
            alternates = self.alternates(document.path)
            resource = pages.resource(published, document.iri)
            summary = " ".join(resource.description)[:200]
            common = {"title": resource.label, "summary": summary, "alternates": alternates, "resource": resource}
            if document.kind in ("ontology", "shapes"):
                title = "Ontology" if document.kind == "ontology" else "Shapes"
                common["title"] = f"{title}: {resource.label}"
                triples = self.triples(document)
                picture = pictures.ontology(published, triples) if document.kind == "ontology" else ""
                body = self.page("terms.html", **common, sections=pages.terms(published, triples), picture=picture)
            elif document.kind == "graph":
                subjects = pages.graph_subjects(published, self.triples(document))
                body = self.page("graph.html", **common, subjects=subjects)
            elif document.kind == "source":
                body = self.page("source.html", **common, blocks=pages.source(published, document.iri))
            else:
                jsonld = json.loads(self.render(document, "application/ld+json").body)
                picture = pictures.neighbourhood(published, document.iri)
                body = self.page("resource.html", **common, jsonld=jsonld, picture=picture)
        return Representation(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')

    def respond(self, request: Request, document: Document, media_type: str, negotiated: bool) -> Response:
        """A document's representation with Link, Vary, ETag and Cache-Control; 304 when the client holds it."""
        representation = self.render(document, media_type)
        links = ", ".join(f'<{href}>; rel="alternate"; type="{t}"' for t, href in self.alternates(document.path))
        headers = {"Link": links, **self.validators(representation.etag)}
        if negotiated:
            headers["Vary"] = "Accept"
            headers["Content-Location"] = f"{document.path}.{RDF_TYPES[media_type]}"
        if self.fresh(request, representation.etag):
            return Response(status_code=304, headers=headers)
        return Response(representation.body, headers=headers, media_type=_content_type(media_type))

    async def document(self, request: Request) -> Response:
        """GET any IRI of the graph under the base: by content negotiation, or at its extension URL."""
        path = request.url.path
        document = self.resolve(path)
        forced = None
        if document is None and "." in path.rsplit("/", 1)[-1]:
            stem, extension = path.rsplit(".", 1)
            if extension in EXTENSIONS and (document := self.resolve(stem)) is not None:
                forced = EXTENSIONS[extension]
        if document is None:
            return self.not_found(request, path)
        if document.kind == "file":
            return self.download(request, document)
        if forced:
            return self.respond(request, document, forced, negotiated=False)
        media_type = self.negotiate(request, list(RDF_TYPES), document.path)
        return self.respond(request, document, media_type, negotiated=True)

    def download(self, request: Request, document: Document) -> Response:
        name = document.iri.rsplit("/", 1)[1]
        body = self.published.files[name]
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = self.validators(etag)
        if self.fresh(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, headers=headers, media_type=_content_type(MEDIA_TYPES[name]))

    def validators(self, etag: str) -> dict[str, str]:
        """The caching headers of a document: its ETag, when its generation was published, and how long to keep it."""
        modified = formatdate(self.published.modified, usegmt=True)
        return {"ETag": etag, "Last-Modified": modified, "Cache-Control": CACHE_CONTROL}

    def fresh(self, request: Request, etag: str) -> bool:
        """Whether the client's copy is current (RFC 9110 §13.2.2): by ``If-None-Match`` when sent, else by
        ``If-Modified-Since`` (an unparsable date is ignored)."""
        if "if-none-match" in request.headers:
            return _matches(request.headers["if-none-match"], etag)
        try:
            since = parsedate_to_datetime(request.headers.get("if-modified-since", ""))
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and int(self.published.modified) <= since.timestamp()

    def negotiate(self, request: Request, offered: list[str], path: str | None = None) -> str:
        """The offered type the client prefers; 406 (listing what is offered) when it accepts none."""
        try:
            chosen = choose(request.headers.get("accept"), offered)
        except NegotiationError as exc:
            raise HTTPException(431, str(exc)) from None
        if chosen is None:
            headers = {"Vary": "Accept"}
            if path:
                headers["Link"] = ", ".join(f'<{h}>; rel="alternate"; type="{t}"' for t, h in self.alternates(path))
            raise HTTPException(406, "none of the offered types is acceptable: " + ", ".join(offered), headers)
        return chosen

    # -- pages -------------------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        body = self.render_home(str(request.base_url) + "sparql")
        return Response(body, media_type=_content_type("text/html"), headers={"Cache-Control": CACHE_CONTROL})

    @lru_cache(maxsize=8)  # noqa: B019 - one Site per application, kept for its lifetime
    def render_home(self, endpoint: str | None) -> bytes:
        """The home page; ``endpoint`` None for the static site (no endpoint, no content negotiation)."""
        home = pages.home(self.published)
        alternates = self.alternates("/dataset")
        return self.page(
            "home.html",
            title=home.title,
            summary=home.description,
            home=home,
            endpoint=endpoint,
            alternates=alternates,
            picture=pictures.organization(self.published),
        )

    async def void(self, request: Request) -> Response:
        """/.well-known/void: the dataset description, as at /dataset."""
        document = Document("dataset", self.published.base + "dataset", "/dataset")
        media_type = self.negotiate(request, list(RDF_TYPES), document.path)
        return self.respond(request, document, media_type, negotiated=True)

    def not_found(self, request: Request, path: str) -> Response:
        iri = self.published.iri_of(path)
        close = difflib.get_close_matches(iri, self.slugs, n=5, cutoff=0.6)
        suggestions = [pages.link(self.published, s) for s in close]
        return self.error(request, 404, f"The graph holds nothing named <{iri}>.", suggestions=suggestions)

    def error(
        self,
        request: Request,
        status: int,
        message: str,
        headers: dict | None = None,
        suggestions: list | None = None,
        place: dict | None = None,
    ) -> Response:
        """An error as an HTML page for browsers, else as JSON ``{"status": …, "message": …}`` (and ``line`` and
        ``column`` where ``place`` gives them: a syntax error's)."""
        message = " ".join(message.split())
        headers = dict(headers or {})
        try:
            wants_html = choose(request.headers.get("accept"), ["application/json", "text/html"]) == "text/html"
        except NegotiationError:
            wants_html = False
        if wants_html:
            reason = HTTPStatus(status).phrase
            body = self.page(
                "error.html",
                title=f"{status} {reason}",
                status=status,
                reason=reason,
                message=message,
                suggestions=suggestions or [],
            )
            return Response(body, status_code=status, headers=headers, media_type=_content_type("text/html"))
        document = {"status": status, "message": message, **(place or {})}
        if suggestions:
            document["suggestions"] = [s.href for s in suggestions]
        return Response(json.dumps(document) + "\n", status_code=status, headers=headers, media_type="application/json")

    # -- search ------------------------------------------------------------------------------------------

    async def search(self, request: Request) -> Response:
        """GET /search?q=WORDS: the resources whose label, other names or evidence hold every word, as JSON
        (``{"query": …, "results": [{"label", "names", "href", "iri"}]}``) or as a page (every resource when
        ``q`` is empty)."""
        query = request.query_params.get("q", "")
        if len(query) > MAX_SEARCH:
            return self.error(request, 400, f"search of {len(query)} characters refused (at most {MAX_SEARCH})")
        found = search.find(self.index, query) if query.strip() else []
        media_type = self.negotiate(request, ["application/json", "text/html"])
        headers = {"Vary": "Accept", "Cache-Control": CACHE_CONTROL}
        if media_type == "text/html":
            body = self.search_page(query, found if query.strip() else self.index)
            return Response(body, headers=headers, media_type=_content_type(media_type))
        results = [
            {"label": e.label, "names": list(e.names), "href": e.path, "iri": self.published.iri_of(e.path)}
            for e in found
        ]
        body = json.dumps({"query": query, "results": results}, ensure_ascii=False) + "\n"
        return Response(body, headers=headers, media_type="application/json")

    def search_page(self, query: str, results: list[search.Entry], static: bool = False) -> bytes:
        return self.page("search.html", title="Search", query=query, results=results, static=static)

    async def search_index(self, request: Request) -> Response:
        """/search.json: every resource the search box can find (static/search.js filters it as one types)."""
        return Response(
            search.index_json(self.index), media_type="application/json", headers={"Cache-Control": CACHE_CONTROL}
        )

    # -- SPARQL ------------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol: a query's answer, or without a query the service description or the editor."""
        try:
            text, chosen = await sparql.read_query(request)
        except sparql.ProtocolError as exc:
            return self.error(request, exc.status, exc.message)
        if text is None:
            media_type = self.negotiate(request, list(RDF_TYPES))
            if media_type == "text/html":
                return self.editor(query="", endpoint=_endpoint(request))
            body = sparql.service_description(_endpoint(request), self.published, media_type)
            return Response(body, media_type=_content_type(media_type), headers={"Vary": "Accept"})
        key = (text, chosen or request.headers.get("accept", ""))
        if (kept := self.answers.get(key)) is not None:
            body, media_type, headers = kept
            return Response(body, media_type=_content_type(media_type), headers=headers)
        client = request.client.host if request.client else ""
        if self.queries is not None and not self.queries.take(client):
            most = self.queries.per_client
            message = f"{client} has as many queries running as one client may ({most}, --client-queries); retry later"
            return self.error(request, 429, message, headers={"Retry-After": "1"})
        try:
            answer = await run_query_async(self.published.dataset, text, self.timeout, self.limit)
        except (QueryError, QueryTimeout) as exc:
            if choose(request.headers.get("accept"), ["application/json", "text/html"]) == "text/html":
                error = " ".join(str(exc).split())
                return self.editor(query=text, endpoint=_endpoint(request), error=error, status=400, format=chosen)
            return self.error(request, 400, str(exc), place=where(exc))
        finally:
            if self.queries is not None:
                self.queries.give_back(client)
        offered = sparql.offered(answer)
        chosen = sparql.format_type(chosen, answer)
        if chosen and chosen not in offered:
            message = f"format={chosen} does not fit this query's answer; choose one of: {', '.join(offered)}"
            return self.error(request, 400, message)
        media_type = chosen or self.negotiate(request, offered)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["Wcokg-Truncated"] = f"only the first {self.limit} results are given"
        if media_type == "text/html":
            result = sparql.html_result(answer, self.published)
            return self.editor(query=text, endpoint=_endpoint(request), result=result, headers=headers, format=chosen)
        body = sparql.write(answer, media_type, self.published.prefixes)
        self.answers.put(key, (body, media_type, headers))
        return Response(body, media_type=_content_type(media_type), headers=headers)

    def editor(
        self, query: str, endpoint: str | None, status: int = 200, headers: dict | None = None, **context: object
    ) -> Response:
        """The query page: the editor, the catalog's questions as starters, and an answer if ``context`` has one;
        ``endpoint`` None for the static site, whose queries run in the reader's browser (static/sparql.js)."""
        starters = catalog()
        examples = [(name, question(text), "/sparql?query=" + quote(text)) for name, text in starters.items()]
        settings = {
            "base": self.published.base,
            "vocabularyBase": DEFAULT_BASE,
            "vocabulary": list(VOCABULARY),
            "prefixes": self.published.prefixes,
            "timeout": self.timeout,
            "limit": self.limit,
            "starters": starters,
        }
        body = self.page(
            "sparql.html",
            title="SPARQL",
            query=query or sparql.STARTER,
            endpoint=endpoint,
            examples=examples,
            timeout=self.timeout,
            limit=self.limit,
            settings=settings,
            formats=FORMATS if endpoint else {t: FORMATS[t] for t in BROWSER_FORMATS},
            **context,
        )
        return Response(
            body,
            status_code=status,
            headers={"Vary": "Accept", **(headers or {})},
            media_type=_content_type("text/html"),
        )


def _endpoint(request: Request) -> str:
    """The endpoint's URL as the request reached it (the service description and the query page name it)."""
    return str(request.url.replace(query="", fragment=""))


def where(exc: Exception) -> dict[str, int] | None:
    """The ``line`` and ``column`` of a syntax error, for an error's JSON; None for any other error."""
    return {"line": exc.line, "column": exc.column} if isinstance(exc, SparqlSyntaxError) else None


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


class Current:
    """The site of the generation being served. An accepted update builds the next site aside and swaps it in with
    one reference assignment; every request takes the site once, so it sees the old graph or the new, never a mix."""

    def __init__(self, site: Site):
        self.site = site

    def handler(self, name: str):
        async def handle(request: Request) -> Response:
            return await getattr(self.site, name)(request)

        return handle

    def error(
        self, request: Request, status: int, message: str, headers: dict | None = None, place: dict | None = None
    ) -> Response:
        return self.site.error(request, status, message, headers, place=place)


def create_app(
    out_dir: str | Path = layout.OUTPUT,
    base: str = DEFAULT_BASE,
    source: str | Path = layout.SOURCE,
    timeout: float = QUERY_TIMEOUT,
    limit: int = 10_000,
    editing: Editing | None = None,
    answer_cache: int = 256,
    client_queries: int = CLIENT_QUERIES,
    body_timeout: float = BODY_TIMEOUT,
) -> ASGIApp:
    """The web application over the files published in ``out_dir``, loaded now: read-only, or with ``editing``
    (the token and the project's paths) also taking updates at /update and on the editable graphs;
    ``answer_cache`` SPARQL answers are kept per generation. Each client address runs at most ``client_queries``
    queries at once (429 beyond); a request body must arrive within ``body_timeout`` seconds (408 after). A
    document's answer is kept once given and sent again as stored bytes until the generation changes.

    Raises:
        WcoKgError: the published files or the source cannot be read, or do not match ``base``.
    """

    queries = ClientQueries(client_queries)

    def load() -> Site:
        site = Site(load_published(out_dir, base, source), timeout, limit, answer_cache, queries)
        site.published.dataset  # noqa: B018  (forks the query workers now, sharing the loaded store)
        return site

    current = Current(load())

    def reload() -> None:
        previous, current.site = current.site, load()
        if previous.published.dataset.workers is not None:
            previous.published.dataset.workers.close()

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail
        if exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "GET, HEAD")
            mode = "this server is read-only" if editing is None else "updates go to /update and /graph/{data,links}"
            detail = f"{mode}: {request.method} is not allowed on {request.url.path} ({allowed})"
        return current.error(request, exc.status_code, detail, exc.headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        return current.error(request, 500, SERVER_FAILED)

    routes = [
        Route("/", current.handler("home")),
        Route("/sparql", current.handler("sparql"), methods=["GET", "POST"]),
        Route("/search", current.handler("search")),
        Route("/search.json", current.handler("search_index")),
        Route("/.well-known/void", current.handler("void")),
        Mount("/static", StaticFiles(packages=[("wcokg.web", "static")]), name="static"),
    ]
    if editing is not None:
        from .updates import Editor  # the edit path (rdflib, pyshacl) is imported only by a server that takes edits

        editor = Editor(editing, base, reload, current.error)
        routes += [
            Route("/update", editor.sparql_update, methods=["POST"]),
            Route("/graph/{name}", editor.graph_store, methods=["PUT", "POST", "DELETE"]),
        ]
    routes.append(Route("/{path:path}", current.handler("document")))
    middleware = [
        Middleware(BodyTimeout, seconds=body_timeout),
        Middleware(RequestGuard),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["Link", "ETag", "Content-Location", "Wcokg-Truncated"],
            max_age=3600,
        ),
    ]
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error, Exception: server_error}
    )
    return SparqlFront(StoredAnswers(app, lambda: current.site.stored), current, body_timeout)
