"""/sparql GET and POST are answered from the outermost layer (``SparqlFront``), without Starlette's middleware;
a request with an Origin header still takes the full stack. For every catalog query in every format, and for the
protocol's other answers (service description, editor, errors), the two give the same status, headers (in order)
and body, byte for byte, but for CORS's own Access-Control headers."""

from __future__ import annotations

import pytest
import requests

from wcokg.sparql.query import catalog

from .server import Server, start

ORIGIN = {"Origin": "https://elsewhere.example"}
SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
    "*/*",
]
GRAPH_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml", "text/html"]


@pytest.fixture(scope="module")
def server(out_dir) -> Server:
    served = start("--out", str(out_dir), "--answer-cache", "0")
    yield served
    served.stop()


def answered(session: requests.Session, method: str, url: str, **kwargs) -> tuple[tuple[int, list, bytes], bool]:
    """Status, headers in order (without Date and CORS's Access-Control headers) and body of a request; and whether
    CORS's layer answered it (its Access-Control-Allow-Origin)."""
    response = session.request(method, url, timeout=60, **kwargs)
    headers = [
        (name.lower(), value)
        for name, value in response.raw.headers.items()
        if name.lower() != "date" and not name.lower().startswith("access-control-")
    ]
    return (response.status_code, headers, response.content), "access-control-allow-origin" in response.headers


def assert_same(session: requests.Session, method: str, url: str, headers: dict | None = None, **kwargs) -> tuple:
    """The answer of the outermost layer, after checking that the full stack gives the same."""
    direct, direct_cors = answered(session, method, url, headers=headers or {}, **kwargs)
    full, full_cors = answered(session, method, url, headers={**(headers or {}), **ORIGIN}, **kwargs)
    assert direct == full, (method, url, headers, kwargs)
    assert not direct_cors and (full_cors or full[0] == 431)  # the request guard answers before CORS's layer
    return direct


@pytest.mark.parametrize("name", sorted(catalog()))
def test_a_catalog_query_is_answered_as_the_full_stack_answers_it_in_every_format(server, name) -> None:
    text = catalog()[name]
    url = server.url + "/sparql"
    with requests.Session() as session:
        status, headers, body = assert_same(session, "GET", url, params={"query": text})
        assert status == 200 and ("vary", "Accept, Origin") in headers
        kind = GRAPH_TYPES if dict(headers)["content-type"].startswith("text/turtle") else SOLUTION_TYPES
        for media_type in kind:
            assert assert_same(session, "GET", url, {"Accept": media_type}, params={"query": text})[0] == 200
        for short in ("json", "xml", "csv", "turtle", "html"):
            assert_same(session, "GET", url, params={"query": text, "format": short})
        form = assert_same(session, "POST", url, data={"query": text})
        posted = assert_same(session, "POST", url, {"Content-Type": "application/sparql-query"}, data=text.encode())
        assert form == posted == (status, headers, body)


@pytest.mark.parametrize(
    ("method", "headers", "params", "data", "status"),
    [
        ("GET", {"Accept": "text/turtle"}, {}, None, 200),  # the service description
        ("GET", {"Accept": "text/html"}, {}, None, 200),  # the editor
        ("GET", {}, {"query": "SELECT * WHERE { ?s ?p"}, None, 400),  # a syntax error, with line and column
        ("GET", {"Accept": "text/html"}, {"query": "SELECT * WHERE { ?s ?p"}, None, 400),  # shown in the editor
        ("GET", {}, {"query": "   "}, None, 400),
        ("GET", {"Accept": "image/png"}, {"query": "ASK {}"}, None, 406),
        ("GET", {"Accept": "text/csv"}, {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, None, 406),
        ("GET", {}, {"query": "ASK {}", "format": "text/turtle"}, None, 400),
        ("GET", {"Accept": "text/" + "x" * 5000}, {"query": "ASK {}"}, None, 431),  # the request guard's
        ("POST", {"Content-Type": "application/sparql-update"}, {}, b"CLEAR ALL", 400),
        ("POST", {"Content-Type": "text/plain"}, {}, b"ASK {}", 415),
        ("POST", {"Content-Type": "application/sparql-query"}, {}, b"\xff", 400),
    ],
)
def test_the_protocols_other_answers_are_those_of_the_full_stack(server, method, headers, params, data, status):
    with requests.Session() as session:
        answer = assert_same(session, method, server.url + "/sparql", headers, params=params, data=data)
    assert answer[0] == status, answer
