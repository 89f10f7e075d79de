"""`wcokg site`: the server's pages and documents written as a static site (relative links, one file per
representation), with a sitemap and the w3id.org rules that redirect IRIs to it and negotiate content. Its query
page runs queries in the reader's browser (static/sparql.js, with the Oxigraph engine bundled in static/vendor);
its search box reads search.json."""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
from collections.abc import Callable, Collection
from functools import partial
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from posixpath import relpath
from urllib.parse import quote, unquote

from .. import layout
from ..errors import OptionError, naming
from ..limits import QUERY_TIMEOUT
from ..names import DEFAULT_BASE
from ..parallel import spread, write_all
from ..sparql.query import catalog, run_query
from .app import Document, Site
from .negotiation import RDF_TYPES
from .published import load_published
from .search import index_json
from .sparql import html_result

SITE_URL = "https://wcokg.github.io/wcokg/"
"""Where the static site is hosted (GitHub Pages by default): the target of the w3id.org redirects."""
LINK = re.compile(rb'(href|src|action)="(/[^"]*)"')
HTACCESS = """# w3id.org/wcokg: persistent IRIs of the knowledge graph, redirected to the static site at
# {site} (written by `wcokg site`). Resources are answered with 303 to the document in the type
# the client asks for (HTML by default); extension URLs and published files redirect as they are.
Options +FollowSymLinks
RewriteEngine on

# a document asked for by its extension, and the published files
RewriteRule ^(.+\\.(?:html|ttl|jsonld|nt|rdf|nq|trig|json|md))$ {site}$1 [R=302,L]

# content negotiation: RDF clients get the document in their type
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^(.*)$ {site}$1.ttl [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/ld\\+json
RewriteRule ^(.*)$ {site}$1.jsonld [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/n-triples
RewriteRule ^(.*)$ {site}$1.nt [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/rdf\\+xml
RewriteRule ^(.*)$ {site}$1.rdf [R=303,L]

# everyone else: the page
RewriteRule ^$ {site} [R=303,L]
RewriteRule ^(.+)$ {site}$1.html [R=303,L]
"""


def write_site(
    out: str | Path,
    out_dir: str | Path = layout.OUTPUT,
    base: str = DEFAULT_BASE,
    source: str | Path = layout.SOURCE,
    site_url: str = SITE_URL,
    before_rename: Callable[[], None] | None = None,
) -> list[Path]:
    """Write the static site of the files published in ``out_dir`` into ``out`` (replaced whole: written aside,
    on every core, then renamed into place; a file that did not change is linked from the site it replaces);
    returns the files written, sorted. ``before_rename`` is called once the site is written aside, just before it
    replaces ``out`` (to end a time limit).

    Raises:
        WcoKgError: unreadable published files or source; an ``out`` that exists and is not a site; a process
            writing part of the site that died (ProcessDied).
    """
    if not site_url.startswith(("http://", "https://")) or not site_url.endswith("/"):
        raise OptionError(f"--site-url {site_url!r} must be an http(s) URL ending in '/'")
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "sitemap.xml").exists():
        raise OptionError(f"{out}: exists and is not a site written by `wcokg site`; refusing to replace it")
    site = Site(load_published(out_dir, base, source), timeout=QUERY_TIMEOUT, limit=10_000)
    pieces = _pieces(site, site_url)
    pages = [path for piece in pieces for path in piece]
    queries = {"/sparql?query=" + quote(text): f"sparql/{name}.html" for name, text in catalog().items()}
    scratch = out.with_name(f".{out.name}.next")
    shutil.rmtree(scratch, ignore_errors=True)
    links = _Links(frozenset(pages), queries)
    replaced = out.exists()

    def write(piece: Piece) -> None:
        for path, make in piece.items():
            target, body = os.path.join(scratch, path), make()
            with naming(target):
                if path.endswith(".html"):
                    body = _canonical(links(body, path), site_url + _address(path))
                if not (replaced and _kept(os.path.join(out, path), target, body)):
                    _write(target, body)

    try:
        for folder in sorted({os.path.dirname(path) for path in pages}):
            (scratch / folder).mkdir(parents=True, exist_ok=True)
        spread(len(pieces) - 1, lambda index: write(pieces[index + 1]), first=lambda: write(pieces[0]))
        if before_rename is not None:
            before_rename()
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.rename(out, old)
    os.rename(scratch, out)
    shutil.rmtree(old, ignore_errors=True)
    return sorted(out / path for path in pages)


def _kept(previous: str, target: str, body: bytes) -> bool:
    """Whether ``target`` is now a second name of ``previous`` (the same file of the site being replaced), as it
    holds ``body`` already: an unchanged file is not made again (and keeps its date). On this machine's ext4 (no
    journal) a new file costs the kernel a scan past every inode freed in the last minutes: 3-4 s of system time
    for the site's 7,870 files after a site was replaced or removed; a link costs none."""
    try:
        with open(previous, "rb", opener=_no_follow) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(body) or stream.read() != body:
                return False
        os.link(previous, target, follow_symlinks=False)
    except OSError:  # no such file, unreadable, or a file system without hard links: the file is written
        return False
    if os.stat(target, follow_symlinks=False).st_ino == info.st_ino:
        return True
    os.unlink(target)  # the name was given to another file since it was compared
    return False


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)


def _write(path: str, data: bytes) -> None:
    """Write a new file in three system calls (open, write, close: Python's file objects add three more)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


Piece = dict[str, Callable[[], bytes]]
"""Files of the site by their path relative to the root, each with what makes its bytes: made by one process."""


def _pieces(site: Site, site_url: str) -> list[Piece]:
    """Every file of the site, in pieces that processes make side by side (see wcokg.parallel). First, the piece
    made by this process (it runs the catalog queries in its own query workers): the home page, the query page
    and one page per catalog query. Then the search page and index, the published files, the static files (CSS,
    scripts, the bundled engine and editor), the sitemap and .htaccess; then one piece per document, with the
    document in every type (its page shows its JSON-LD), the largest first."""
    published = site.published
    first: Piece = {"index.html": partial(site.render_home, None), "sparql.html": partial(_editor, site)}
    for name, text in catalog().items():
        first[f"sparql/{name}.html"] = partial(_editor, site, name, text)
    rest: Piece = {
        "dataset/void.ttl": lambda: published.files["void.ttl"],  # with wcokg.nq, what the query page loads
        "search.html": lambda: site.search_page("", site.index, static=True),
        "search.json": lambda: index_json(site.index, ".html"),
        **_static(files("wcokg.web").joinpath("static"), "static"),
        ".htaccess": lambda: HTACCESS.format(site=site_url).encode("utf-8"),
    }
    pieces = [first, rest]
    for path, document in sorted(_documents(site).items(), key=lambda item: (item[1].kind == "resource", item[0])):
        stem = path.lstrip("/")
        if document.kind == "file":
            rest[stem] = partial(published.files.__getitem__, document.iri.rsplit("/", 1)[1])
            continue
        piece = {f"{stem}.{extension}": partial(_body, site, document, t) for t, extension in RDF_TYPES.items()}
        if document.kind == "dataset":
            piece[".well-known/void.html"] = piece["dataset.html"]
        pieces.append(piece)
    pages = sorted(path for piece in pieces for path in piece if path.endswith(".html"))
    rest["sitemap.xml"] = partial(_sitemap, site_url, pages)
    return pieces


def _documents(site: Site) -> dict[str, Document]:
    """Every document the published quads name, by its server path."""
    published = site.published
    documents: dict[str, Document] = {}
    for quad in published.quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            path = published.local_path(getattr(term, "value", "")) if hasattr(term, "value") else None
            path = path.split("#", 1)[0] if path else None
            if path and path not in documents and (document := site.resolve(path)) is not None:
                documents[path] = document
    return documents


def _body(site: Site, document: Document, media_type: str) -> bytes:
    return site.render(document, media_type).body


def _editor(site: Site, name: str | None = None, text: str = "") -> bytes:
    """The query page, with the answer to the catalog query ``name`` when one is given."""
    if name is None:
        return site.editor(query="", endpoint=None).body
    answer = run_query(site.published.dataset, text, "pyoxigraph", QUERY_TIMEOUT, 10_000, name)
    return site.editor(query=text, endpoint=None, result=html_result(answer, site.published)).body


def _static(folder: Traversable, path: str) -> Piece:
    """The package's static files (and the vendor files .ci/run copies in, when there) by site path."""
    found: Piece = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found.update(_static(entry, f"{path}/{entry.name}"))
        else:
            found[f"{path}/{entry.name}"] = entry.read_bytes
    return found


def _address(page: str) -> str:
    """A page's address under the site's URL: a folder's ``index.html`` by its folder."""
    return page.removesuffix("index.html")


def _canonical(body: bytes, url: str) -> bytes:
    """The page with its canonical address (where the site is hosted) in its head."""
    link = f'<link rel="canonical" href="{html.escape(url)}">\n</head>'.encode()
    return body.replace(b"</head>", link, 1)


def _sitemap(site_url: str, pages: list[str]) -> bytes:
    urls = [site_url + _address(page) for page in pages]
    lines = [f"  <url><loc>{html.escape(url)}</loc></url>" for url in urls]
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    return (text + "\n".join(lines) + "\n</urlset>\n").encode("utf-8")


class _Links:
    """Rewrites the pages' links to server paths, each relative to its page, to the file the static site holds
    (``queries``: the query page's links to catalog queries → their pages). A link is worked out once per folder
    (the navigation repeats the same links on every page)."""

    def __init__(self, pages: Collection[str], queries: dict[str, str]):
        self.pages, self.queries = pages, queries
        self.known: dict[tuple[str, bytes], bytes] = {}

    def __call__(self, body: bytes, page: str) -> bytes:
        folder = os.path.dirname(page) or "."
        known = self.known

        def replace(match: re.Match) -> bytes:
            key = (folder, match.group(0))
            if key not in known:
                known[key] = self._relative(match, folder)
            return known[key]

        return LINK.sub(replace, body)

    def _relative(self, match: re.Match, folder: str) -> bytes:
        attribute, href = match.group(1).decode(), html.unescape(match.group(2).decode())
        path, hash_, fragment = href.partition("#")
        target = self.queries.get(path) or _file(unquote(path), self.pages)
        if target is None:
            return match.group(0)
        link = relpath("/" + target, "/" + folder) + hash_ + fragment  # from a root: no getcwd() call
        return f'{attribute}="{html.escape(link)}"'.encode()


def _file(path: str, pages: Collection[str]) -> str | None:
    """The site's file for a server path: itself, its ``.html`` page, or ``index.html`` for ``/``."""
    stem = path.split("?", 1)[0].lstrip("/")
    for candidate in (stem or "index.html", f"{stem}.html", f"{stem}index.html"):
        if candidate in pages:
            return candidate
    return None
