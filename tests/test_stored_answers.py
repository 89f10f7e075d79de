"""A document's answer is kept once given and sent again as stored bytes: for every document of the graph in
every type, the replayed answer is the freshly rendered one, byte for byte, headers included."""

from __future__ import annotations

import pytest
import requests

from wcokg import layout
from wcokg.names import DEFAULT_BASE
from wcokg.web.app import Site
from wcokg.web.negotiation import RDF_TYPES
from wcokg.web.published import load_published

from .server import Server, start


@pytest.fixture(scope="module")
def server(out_dir) -> Server:
    served = start("--out", str(out_dir))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def site(out_dir) -> Site:
    """The server's handlers, in this process: its renderer, never its stored answers."""
    return Site(load_published(out_dir, DEFAULT_BASE, layout.SOURCE), timeout=5, limit=10)


def document_paths(site: Site) -> list[str]:
    """Every document the server answers for: each resource, the vocabulary, the graphs, sources and dataset."""
    published = site.published
    graphs = [published.local_path(iri) for iri in [*published.named_graphs(), *published.sources]]
    return ["/ontology", "/shapes", "/dataset", *graphs, *(published.local_path(iri) for iri in site.slugs)]


def test_every_document_in_every_type_is_replayed_as_freshly_rendered(server, site) -> None:
    paths = document_paths(site)
    assert "/id/goal-4" in paths and "/graph/data" in paths
    with requests.Session() as session:
        for path in paths:
            document = site.resolve(path)
            assert document is not None, path
            for media_type in RDF_TYPES:
                first, again = (session.get(server.url + path, headers={"Accept": media_type}) for _ in range(2))
                fresh = site._render(document, media_type)
                assert first.status_code == again.status_code == 200, (path, media_type)
                assert first.content == again.content == fresh.body, (path, media_type)
                assert again.headers["ETag"] == fresh.etag
                assert {**first.headers, "date": ""} == {**again.headers, "date": ""}


def test_conditional_and_cross_origin_requests_are_answered_for_what_they_send(server) -> None:
    url = server.url + "/id/goal-4.ttl"
    stored = requests.get(url, timeout=30)
    assert requests.get(url, timeout=30).content == stored.content
    held = requests.get(url, headers={"If-None-Match": stored.headers["ETag"]}, timeout=30)
    assert held.status_code == 304 and held.content == b""
    cross = requests.get(url, headers={"Origin": "https://example.org"}, timeout=30)
    assert cross.headers["Access-Control-Allow-Origin"] == "*" and cross.content == stored.content
