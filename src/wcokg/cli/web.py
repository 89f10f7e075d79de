"""Commands for the web: serve the published graph, or write it as a static site."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import WcoKgError
from ..limits import MEMORY_LIMIT, UPDATE_TIMEOUT
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
    "the address could not be opened (port in use, not permitted)",
    "bad usage, unreadable output/ or source, a --base the files do not use, the serve extra missing, "
    "--allow-update without a token in WCOKG_TOKEN",
)


@cli.command("serve", epilog=SERVE_EXIT_CODES)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 opens it to the network."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@out_option
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the published resources, mapped onto the server's root (/id/..., /graph/...).",
)
@source_option("The source document the graph was built from (its text is shown with the evidence).")
@query_timeout_option
@click.option(
    "--answer-cache",
    type=click.IntRange(min=0),
    default=256,
    show_default=True,
    help="SPARQL answers kept (each at most 256 KiB) for a question asked again; 0 runs every query.",
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
@edits_option
@releases_option
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
        app = create_app(out_dir, base, source, timeout, editing=editing, answer_cache=answer_cache)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    mode = "read-only" if editing is None else "taking updates"
    click.echo(f"serving {out_dir} ({base}) {mode} at http://{host}:{port}/", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except SystemExit as exc:
        if exc.code:
            click.echo(f"wcokg: error: cannot listen on {host}:{port} (see the message above)", err=True)
            raise SystemExit(1) from None


SITE_EXIT_CODES = exit_codes(
    "the site was written",
    "(not used)",
    "bad usage, unreadable output/ or source, a --base the files do not use, an OUT that is not a site, "
    "the serve extra missing (nothing written)",
)


@cli.command("site", epilog=SITE_EXIT_CODES)
@click.argument("site_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@out_option
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the published resources.")
@source_option("The source document.")
@click.option(
    "--site-url",
    default="https://wcokg.github.io/wcokg/",
    show_default=True,
    help="Where the site will be hosted: the target of the w3id.org redirects in .htaccess.",
)
def site_command(site_dir: Path, out_dir: Path, base: str, source: Path, site_url: str) -> None:
    """Write the pages and documents `wcokg serve` answers with as a static site in OUT (relative links; every
    document as .html, .ttl, .jsonld, .nt and .rdf), with sitemap.xml and the .htaccess for w3id.org."""
    try:
        from ..web.export import write_site
    except ImportError as exc:
        raise InputError(f"wcokg site needs the serve extra (pip install 'wcokg[serve]'): {exc}") from None
    try:
        written = write_site(site_dir, out_dir, base, source, site_url)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(f"wrote {len(written)} files to {site_dir}", err=True)
