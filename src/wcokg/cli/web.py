"""Commands for the web: serve the published graph, or write it as a static site."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import layout
from ..errors import OptionError, WcoKgError
from ..limits import BODY_TIMEOUT, HEADER_TIMEOUT, MEMORY_LIMIT, UPDATE_TIMEOUT, budget
from ..names import DEFAULT_BASE
from .group import (
    InputError,
    cli,
    edits_option,
    exit_codes,
    input_error,
    ontology_option,
    out_option,
    query_timeout_option,
    releases_option,
    shapes_option,
    source_option,
    timeout_option,
)

if TYPE_CHECKING:
    pass


SERVE_EXIT_CODES = exit_codes(
    "stopped (Ctrl-C or SIGTERM)",
    "(not used)",
    "bad usage, the address could not be opened (port in use, not permitted), unreadable output/ or source, a "
    "--base the files do not use, the serve extra missing, --allow-update without a token in WCOKG_TOKEN",
)


@cli.command("serve", epilog=SERVE_EXIT_CODES)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 opens it to the network."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@out_option()
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the published resources, mapped onto the server's root (/id/..., /graph/...).",
)
@source_option(
    "The source documents the graph was built from, a file or a folder (their text is shown with the evidence)."
)
@query_timeout_option
@click.option(
    "--answer-cache",
    type=click.IntRange(min=0),
    default=256,
    show_default=True,
    help="SPARQL answers kept (each at most 256 KiB) for a question asked again; 0 runs every query.",
)
@click.option(
    "--client-queries",
    type=click.IntRange(min=1),
    show_default="one less than the query workers (one per CPU, at least two)",
    help="Queries one client address may have running at once; beyond, 429 with Retry-After.",
)
@timeout_option(
    HEADER_TIMEOUT,
    "Seconds a client has to send a request's headers (from connecting, or from the previous answer); then the "
    "connection is closed.",
    "--header-timeout",
)
@timeout_option(
    BODY_TIMEOUT,
    "Seconds a client has to send a request's body once its headers are in; then 408 and the connection is closed.",
    "--body-timeout",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Take updates (POST /update, PUT/POST/DELETE /graph/data and /graph/links) from clients that send "
    "'Authorization: Bearer' with the token in the WCOKG_TOKEN environment variable; each goes through "
    "`wcokg update --apply`.",
)
@timeout_option(
    UPDATE_TIMEOUT,
    "Seconds an update may take until it is ready to publish (publishing is not interrupted).",
    "--update-timeout",
)
@click.option(
    "--update-memory",
    type=click.IntRange(min=1),
    default=MEMORY_LIMIT >> 20,
    show_default=True,
    help="MB of address space an update may add to the server's (setrlimit); beyond it 413.",
)
@edits_option(layout.workspace)  # used only with --allow-update: a read-only serve needs no project
@releases_option(layout.workspace)
@shapes_option
@ontology_option
def serve_command(
    host: str,
    port: int,
    out_dir: Path,
    base: str,
    source: Path,
    timeout: float,
    answer_cache: int,
    client_queries: int | None,
    header_timeout: float,
    body_timeout: float,
    allow_update: bool,
    update_timeout: float,
    update_memory: int,
    edits_dir: Path,
    releases_dir: Path,
    shapes: Path,
    ontology: Path,
) -> None:
    """Serve the published graph: every IRI under the base dereferences (HTML, Turtle, JSON-LD, N-Triples,
    RDF/XML), each fact's page shows the words of the source that state it, and /sparql answers SPARQL 1.1
    Protocol queries under the same guards as `wcokg query`. Read-only unless --allow-update.
    """
    try:
        import uvicorn

        from ..web.app import create_app
        from ..web.clients import CLIENT_QUERIES, timed_protocol
    except ImportError as exc:
        raise InputError(f"wcokg serve needs the serve extra (pip install 'wcokg[serve]'): {exc}") from None
    editing = None
    if allow_update:
        from ..web.updates import Editing

        token = os.environ.get("WCOKG_TOKEN", "")
        if len(token) < 16:
            raise InputError("--allow-update needs a token of at least 16 characters in WCOKG_TOKEN")
        limits = {"timeout": update_timeout, "memory": update_memory << 20}
        editing = Editing(token, source, out_dir, edits_dir, ontology, shapes, releases_dir, **limits)
    try:
        listening = _listen(host, port)
        limits = {"answer_cache": answer_cache, "body_timeout": body_timeout}
        limits["client_queries"] = client_queries or CLIENT_QUERIES
        app = create_app(out_dir, base, source, timeout, editing=editing, **limits)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    mode = "read-only" if editing is None else "taking updates"
    click.echo(f"serving {out_dir} ({base}) {mode} at http://{host}:{port}/", err=True)
    http = timed_protocol(header_timeout)
    # loop "auto": uvloop where it is installed (the serve extra installs it), else asyncio's
    config = uvicorn.Config(  # proxy_headers off: an X-Forwarded-For header never changes who a client is
        app,  # type: ignore[arg-type]
        http=http,
        loop="auto",
        ws="none",
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, opened before the data is loaded (uvicorn would report a port in use
    in two lines, after the load)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        # proto named (IPPROTO_TCP, not 0): asyncio sets TCP_NODELAY only on such sockets' connections, without
        # which each keep-alive answer waited 40 ms for a delayed ACK
        listening = socket.socket(family, kind, proto)
    except OSError as exc:
        raise _cannot_listen(host, port, exc) from None
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(2048)
    except OSError as exc:
        listening.close()
        raise _cannot_listen(host, port, exc) from None
    return listening


def _cannot_listen(host: str, port: int, exc: OSError) -> OptionError:
    cause = os.strerror(exc.errno) if exc.errno else str(exc)
    return OptionError(f"cannot listen on {host}:{port}: {cause} (choose another --port)")


SITE_TIMEOUT = 600.0
"""Seconds the static site may take to render and write (it replaces OUT only once it is whole)."""


SITE_EXIT_CODES = exit_codes(
    "the site was written",
    "(not used)",
    "bad usage, unreadable output/ or source (not a regular file, over its size budget), a --base the files do not "
    "use, an OUT that is not a site, the serve extra missing, or the site ran past --timeout or its memory limit "
    f"({MEMORY_LIMIT // 2**20} MiB of address space) (nothing written)",
)


@cli.command("site", epilog=SITE_EXIT_CODES)
@click.argument("site_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@out_option()
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the published resources.")
@source_option("The source documents the graph was built from (a file or a folder).")
@click.option(
    "--site-url",
    default="https://wcokg.github.io/wcokg/",
    show_default=True,
    help="Where the site will be hosted: the target of the w3id.org redirects in .htaccess.",
)
@timeout_option(SITE_TIMEOUT, "Seconds before the site is stopped (replacing OUT is never interrupted).")
def site_command(site_dir: Path, out_dir: Path, base: str, source: Path, site_url: str, timeout: float) -> None:
    """Write the pages and documents `wcokg serve` answers with as a static site in OUT (relative links; every
    document as .html, .ttl, .jsonld, .nt and .rdf), with sitemap.xml and the .htaccess for w3id.org."""
    try:
        from ..web.export import write_site
    except ImportError as exc:
        raise InputError(f"wcokg site needs the serve extra (pip install 'wcokg[serve]'): {exc}") from None
    try:
        with budget("site", timeout) as disarm:
            written = write_site(site_dir, out_dir, base, source, site_url, disarm)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(f"wrote {len(written)} files to {site_dir}", err=True)
