"""Push the published dataset into a triple store over the SPARQL 1.1 Graph Store Protocol, or into a local
pyoxigraph store, and check that the store then holds exactly the published triples."""

from __future__ import annotations

import dataclasses
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

import pyoxigraph
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from .. import layout
from ..errors import OptionError, WcoKgError, naming
from ..rdfio import parse_bytes
from .transaction import open_generation

RETRIES = 3
"""Tries per request when the store cannot be reached or answers 5xx; waits 0.5 s, 1 s, 2 s … between."""


class StoreError(WcoKgError):
    """The store refused the load, could not be reached, or holds something else than was sent."""


@dataclass(frozen=True)
class Store:
    """Where a store of a kind usually has its endpoints, relative to the URL given as TARGET."""

    gsp: str
    query: str
    graph_parameter: str
    auth: str


STORES = {
    "virtuoso": Store(gsp="/sparql-graph-crud-auth", query="/sparql", graph_parameter="graph-uri", auth="digest"),
    "fuseki": Store(gsp="/data", query="/sparql", graph_parameter="graph", auth="basic"),
    "oxigraph": Store(gsp="/store", query="/query", graph_parameter="graph", auth="basic"),
    "graphdb": Store(gsp="/rdf-graphs/service", query="", graph_parameter="graph", auth="basic"),
}
"""Usual endpoint paths: TARGET is the server (Virtuoso, Oxigraph), the dataset (Fuseki,
``http://host:3030/ds``) or the repository (GraphDB, ``http://host:7200/repositories/wcokg``)."""
GENERIC = Store(gsp="", query="", graph_parameter="graph", auth="basic")
"""Any Graph Store Protocol endpoint, given in full, with the protocol's ``graph`` parameter."""


def endpoints(target: str, kind: str | None, query: str | None, auth: str | None) -> tuple[str, str, Store]:
    """The Graph Store and query endpoints for TARGET: the store's usual paths under it (``kind``), or
    TARGET itself with ``query`` given apart; ``auth`` overrides the store's usual authentication.

    >>> endpoints("http://localhost:8890/", "virtuoso", None, None)[:2]
    ('http://localhost:8890/sparql-graph-crud-auth', 'http://localhost:8890/sparql')
    """
    store = STORES[kind] if kind else GENERIC
    if auth:
        store = dataclasses.replace(store, auth=auth)
    if kind:
        return target.rstrip("/") + store.gsp, target.rstrip("/") + store.query, store
    if not query:
        raise OptionError("give --query URL (the store's SPARQL endpoint), or --store KIND")
    return target, query, store


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset, written to an N-Triples file to be streamed."""

    graph: str
    path: Path
    triples: int


PUBLISHED = ("wcokg.nq", "void.ttl")
"""The files a load reads, from one generation of the output."""


@contextmanager
def split_graphs(out_dir: str | Path = layout.OUTPUT) -> Iterator[list[Part]]:
    """The published named graphs (``wcokg.nq``) and the dataset description (``void.ttl``, as graph
    ``…/graph/void``), each as an N-Triples file, line by line: no file is held in memory whole."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="wcokg-load-") as folder, open_generation(out_dir, PUBLISHED) as streams:
        files: dict[str, BinaryIO] = {}
        counts: Counter[str] = Counter()
        try:
            for line in streams["wcokg.nq"]:
                triple, graph, _ = line.rstrip().rsplit(b" ", 2)
                name = graph.decode()[1:-1]
                if name not in files:
                    files[name] = (Path(folder) / f"{len(files)}.nt").open("wb")
                with naming(files[name].name):
                    files[name].write(triple + b" .\n")
                counts[name] += 1
        finally:  # closed also when a time limit stops the split
            for handle in files.values():
                handle.close()
        void = Path(folder) / "void.nt"
        quads = parse_bytes(streams["void.ttl"].read(), out_dir / "void.ttl", "turtle")
        pyoxigraph.serialize(quads, void, format=pyoxigraph.RdfFormat.N_TRIPLES)
        void_graph = next(iter(files)).rsplit("/", 1)[0] + "/void"
        parts = [Part(name, Path(handle.name), counts[name]) for name, handle in sorted(files.items(), key=_order)]
        yield [*parts, Part(void_graph, void, len(quads))]


def _order(item: tuple[str, object]) -> int:
    """Publication order: data, evidence, links, ontology."""
    names = ("data", "evidence", "links", "ontology")
    name = item[0].rsplit("/", 1)[-1]
    return names.index(name) if name in names else len(names)


def _auth(kind: str, user: str | None, password: str | None) -> AuthBase | None:
    if user is None:
        return None
    return (HTTPDigestAuth if kind == "digest" else HTTPBasicAuth)(user, password or "")


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of ``url`` (the port made explicit), as the same-origin rule compares them.

    >>> _origin("HTTP://Store.example:80/x") == _origin("http://store.example/y")
    True
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


def _send(method: str, url: str, **kwargs) -> requests.Response:
    """One request; a 307 or 308 redirect within ``url``'s origin is followed (at most 5), the body sent again.

    Raises:
        StoreError: a redirect to another origin: never followed, so that neither the credentials nor the
            published graphs go to a host the user did not name.
    """
    for _ in range(6):
        body = kwargs.get("data")
        if hasattr(body, "seek"):
            body.seek(0)
        response = requests.request(method, url, timeout=(5, 600), allow_redirects=False, **kwargs)
        if not response.is_redirect:
            return response
        target = urljoin(url, response.headers["Location"])
        if _origin(target) != _origin(url):
            scheme, host, port = _origin(target)
            raise StoreError(
                f"{url.split('?')[0]}: HTTP {response.status_code} redirects to another origin "
                f"({scheme}://{host}:{port}); not followed, nothing sent there"
            )
        if response.status_code not in (307, 308):
            return response
        url = target
    raise StoreError(f"{url.split('?')[0]}: more than 5 redirects")


def _request(method: str, url: str, tries: int = RETRIES, **kwargs) -> requests.Response:
    """One HTTP request, tried again after a connection error or a 5xx answer, with back-off."""
    for attempt in range(tries):
        try:
            response = _send(method, url, **kwargs)
        except requests.ConnectionError as exc:
            if attempt == tries - 1:
                found = re.search(r"\[Errno -?\d+\] [^'\")]+", str(exc))
                reason = found.group() if found else "connection failed"
                raise StoreError(f"cannot reach {url.split('?')[0]} after {tries} tries: {reason}") from None
        else:
            if response.status_code < 500 or attempt == tries - 1:
                return response
        time.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


class _Progress:
    """A file reader that advances a progress callback as the body is streamed."""

    def __init__(self, stream: BinaryIO, advance: Callable[[int], None]):
        self.stream, self.advance = stream, advance

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.advance(len(chunk))
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.stream.seek(offset, whence)

    def tell(self) -> int:
        return self.stream.tell()

    def __len__(self) -> int:
        return Path(self.stream.name).stat().st_size


def count(query_url: str, graph: str, auth: AuthBase | None = None) -> int:
    """How many triples the store holds in ``graph``, by SELECT (COUNT(*)) over its SPARQL endpoint."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = _request(
        "POST", query_url, data={"query": query}, auth=auth, headers={"Accept": "application/sparql-results+json"}
    )
    if response.status_code != 200:
        raise StoreError(f"{query_url}: the count query failed: HTTP {response.status_code}")
    (binding,) = response.json()["results"]["bindings"]
    return int(binding["n"]["value"])


@dataclass(frozen=True)
class LoadResult:
    """Per graph: triples sent, and triples the store holds afterwards."""

    sent: dict[str, int]
    held: dict[str, int]

    @property
    def matches(self) -> bool:
        return self.sent == self.held


def holdings(query_url: str, graphs: list[str], auth: AuthBase | None) -> str:
    """What the store holds now, graph by graph, for an error message (never raises)."""
    try:
        return ", ".join(f"{g.rsplit('/', 1)[-1]} {count(query_url, g, auth)}" for g in graphs)
    except WcoKgError:
        return "unknown (the store does not answer queries)"


def load_gsp(
    gsp_url: str,
    query_url: str,
    out_dir: str | Path = layout.OUTPUT,
    store: Store = STORES["virtuoso"],
    user: str | None = None,
    password: str | None = None,
    replace: bool = False,
    graphs: set[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> LoadResult:
    """Send each published graph to a store (PUT with ``replace``, else POST), then count what it holds.

    Args:
        progress: called with (graph, bytes) before each upload; returns a callback for bytes sent.

    Raises:
        StoreError: the store is unreachable after retries, or answers an error; the message says what the
            store holds at that point.
    """
    auth = _auth(store.auth, user, password)
    with split_graphs(out_dir) as parts:
        chosen = [p for p in parts if graphs is None or p.graph in graphs or p.graph.rsplit("/", 1)[-1] in graphs]
        for part in chosen:
            with part.path.open("rb") as stream:
                size = part.path.stat().st_size
                body = _Progress(stream, progress(part.graph, size) if progress else lambda n: None)
                response = _request(
                    "PUT" if replace else "POST",
                    f"{gsp_url}?{store.graph_parameter}={requests.utils.quote(part.graph, safe='')}",
                    data=body,
                    auth=auth,
                    headers={"Content-Type": "application/n-triples", "Content-Length": str(size)},
                )
            if response.status_code >= 300:
                held = holdings(query_url, [p.graph for p in chosen], auth)
                raise StoreError(
                    f"{gsp_url}: the store refused graph <{part.graph}>: HTTP {response.status_code} "
                    f"{response.reason}; it now holds: {held}"
                )
        return LoadResult(
            {p.graph: p.triples for p in chosen}, {p.graph: count(query_url, p.graph, auth) for p in chosen}
        )


def load_directory(directory: str | Path, out_dir: str | Path = layout.OUTPUT) -> LoadResult:
    """Bulk-load the published graphs into a pyoxigraph (RocksDB) store in ``directory``, then count."""
    with split_graphs(out_dir) as parts:
        store = pyoxigraph.Store(str(directory))
        for part in parts:
            store.bulk_load(
                path=part.path, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(part.graph)
            )
        store.flush()
        held = {}
        for part in parts:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{part.graph}> {{ ?s ?p ?o }} }}"
            held[part.graph] = int(next(iter(store.query(query)))["n"].value)
        return LoadResult({p.graph: p.triples for p in parts}, held)
