"""`wcokg load` follows a redirect within the store's origin, and never one to another origin (another port of
the same host is another origin): a real loopback HTTP server redirects, another records what reaches it."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from wcokg.cli import cli


class Store:
    """A loopback Graph Store that counts the triples it is sent; ``redirect`` maps a path to a Location."""

    def __init__(self, redirect: dict[str, str] | None = None):
        store = self
        self.redirect, self.requests, self.triples = redirect or {}, [], Counter()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                url = urlsplit(self.path)
                store.requests.append((self.command, url.path, "Authorization" in self.headers))
                if url.path in store.redirect:
                    self.send_response(307)
                    self.send_header("Location", store.redirect[url.path] + ("?" + url.query if url.query else ""))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if url.path == "/query":
                    query = parse_qs(body.decode())["query"][0]
                    graph = re.search(r"GRAPH <([^>]+)>", query).group(1)
                    answer = {
                        "head": {"vars": ["n"]},
                        "results": {"bindings": [{"n": {"value": str(store.triples[graph])}}]},
                    }
                    data = json.dumps(answer).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                else:
                    store.triples[unquote(parse_qs(url.query)["graph"][0])] += body.count(b"\n")
                    data = b""
                    self.send_response(204)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stores():
    started: list[Store] = []

    def start(redirect: dict[str, str] | None = None) -> Store:
        started.append(Store(redirect))
        return started[-1]

    yield start
    for store in started:
        store.stop()


def load(runner, url: str, out_dir):
    args = ["load", url, "--store", "oxigraph", "--user", "u", "--password", "secret", "--out", str(out_dir)]
    return runner.invoke(cli, args)


def test_a_redirect_to_another_port_is_not_followed(runner, out_dir, stores) -> None:
    other = stores()
    store = stores({"/store": other.url + "/store"})
    result = load(runner, store.url, out_dir)
    assert result.exit_code == 2
    port = other.url.rsplit(":", 1)[1]
    assert result.stderr == (
        f"wcokg: error: {store.url}/store: HTTP 307 redirects to another origin (http://127.0.0.1:{port}); "
        "not followed, nothing sent there\n"
    )
    assert other.requests == [], "nothing, and no credentials, reached the other origin"
    assert store.requests == [("POST", "/store", True)]


def test_a_redirect_within_the_origin_is_followed(runner, out_dir, stores) -> None:
    store = stores({"/store": "/graph-store"})
    result = load(runner, store.url, out_dir)
    assert result.exit_code == 0, result.output
    published = (out_dir / "wcokg.nq").read_text(encoding="utf-8").splitlines()
    data = sum(line.endswith("<https://w3id.org/wcokg/graph/data> .") for line in published)
    assert store.triples["https://w3id.org/wcokg/graph/data"] == data
    assert ("POST", "/graph-store", True) in store.requests
