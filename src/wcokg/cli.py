"""The wcokg command line: a thin layer over the library that picks exit codes and prints."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__, layout
from .edit import apply_update, load_published, publish_edit, validate_edit
from .errors import NothingToValidate, WcoKgError
from .load import STORES, LoadResult, endpoints, load_directory, load_gsp
from .loader import EXTENSIONS, FORMATS, load_turtle
from .namespaces import DEFAULT_BASE
from .pipeline import build
from .query import ENGINES, catalog, default_files, load_dataset, question, run_query
from .report import REPORT_FORMATS, render_diff, render_report, summary
from .results import ALL_FORMATS, is_empty, render
from .review import validate_files


def _exit_codes(*lines: str) -> str:
    return "\b\nExit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in enumerate(lines))


BUILD_EXIT_CODES = _exit_codes(
    "built, validated and written",
    "the graph does not conform to the shapes (nothing written)",
    "bad usage or unreadable input (nothing written)",
)
QUERY_EXIT_CODES = _exit_codes(
    "the query ran (results printed)",
    "no rows, an ASK answered false, or an empty graph (only with --fail-empty)",
    "bad query, refused clause (SERVICE, an outside FROM), timeout, or unreadable input",
)
VALIDATE_EXIT_CODES = _exit_codes(
    "conforms (warnings may be reported)",
    "does not conform: at least one violation, or nothing to validate (no resource of the ontology's classes)",
    "an input could not be read (file, line and column are named)",
)
LOAD_EXIT_CODES = _exit_codes(
    "every graph loaded; the store holds exactly the published triples",
    "the store holds a different number of triples than were sent",
    "bad usage, unreadable output/, or the store refused or could not be reached (after retries)",
)
UPDATE_EXIT_CODES = _exit_codes(
    "the edited graph conforms (and, with --apply, every file in --out was rewritten)",
    "the edited graph does not conform: nothing written",
    "the update is malformed or refused (LOAD, SERVICE, an unknown graph), or an input is unreadable",
)


class InputError(click.ClickException):
    """A WcoKgError as the CLI reports it: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"wcokg: error: {self.message}", err=True)


shapes_option = click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    default=layout.SHAPES,
    show_default=True,
    help="SHACL shapes (Turtle) the graph must conform to.",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.OUTPUT,
    show_default=True,
    help="Directory of the published files.",
)
report_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="text (grouped by resource), json, or turtle (the standard sh:ValidationReport).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wcokg")
def cli() -> None:
    """Publish the WCO overview document as a knowledge graph with evidence for every fact."""


@cli.command("build", epilog=BUILD_EXIT_CODES)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=layout.SOURCE,
    show_default=True,
    help="The overview document to read (UTF-8 text).",
)
@out_option
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the published resources and graphs (must end in '/').",
)
@shapes_option
def build_command(source: Path, out_dir: Path, base: str, shapes: Path) -> None:
    """Read the source, build and validate the graph, and write the published files atomically."""
    try:
        result = build(source=source, out_dir=out_dir, base=base, shapes=shapes)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(summary(result))
    if not result.report.conforms:
        raise SystemExit(1)
    click.echo(f"next: `wcokg query --list`, `wcokg validate {out_dir}/wcokg.ttl`", err=True)


def _query_text(query: str) -> tuple[str, str]:
    """(name, text) of a catalog name, a .rq file, or SPARQL given inline."""
    named = catalog()
    if query in named:
        return query, named[query]
    path = Path(query)
    if path.suffix == ".rq" or path.is_file():
        try:
            return str(path), path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query: {getattr(exc, 'strerror', None) or exc}") from None
    if any(c.isspace() for c in query.strip()) or "{" in query:
        return "query", query
    raise InputError(f"{query!r} is neither a catalog query (see `wcokg query --list`), a .rq file, nor SPARQL")


@cli.command("query", epilog=QUERY_EXIT_CODES)
@click.argument("query", required=False)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Data to query (.ttl .nt .nq .trig .jsonld), repeatable. Default: output/wcokg.nq and output/void.ttl.",
)
@click.option("--engine", type=click.Choice(ENGINES), default="pyoxigraph", show_default=True, help="SPARQL engine.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ALL_FORMATS),
    default="table",
    show_default=True,
    help="table, or json/xml/csv/tsv (SELECT, ASK), or turtle/ntriples/jsonld (CONSTRUCT, DESCRIBE).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds before the query is stopped.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows (or triples) printed; a note on stderr tells when more were found.",
)
@click.option("--fail-empty", is_flag=True, help="Exit 1 when there are no results.")
@click.option("--list", "list_catalog", is_flag=True, help="List the catalog of named queries and exit.")
def query_command(
    query: str | None,
    data: tuple[Path, ...],
    engine: str,
    fmt: str,
    timeout: float,
    limit: int,
    fail_empty: bool,
    list_catalog: bool,
) -> None:
    """Run a SPARQL QUERY (a catalog name, a .rq file, or the query itself) over the published graph.

    The project's prefixes (wco:, wcokg:, skos:, org:, schema:, oa: …) are predeclared. The default graph
    is the union of all data loaded; named graphs keep their names. Nothing is fetched from the network.
    """
    if list_catalog:
        click.echo("\n".join(f"{name:<28} {question(text)}" for name, text in catalog().items()))
        return
    if query is None:
        raise click.UsageError("give a QUERY (a catalog name, a .rq file or SPARQL), or --list")
    name, text = _query_text(query)
    try:
        dataset = load_dataset(data or default_files())
        answer = run_query(dataset, text, engine=engine, timeout=timeout, limit=limit, name=name)
        output = render(answer, fmt, dataset.prefixes)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(output, nl=not output.endswith("\n"))
    if answer.truncated:
        click.echo(f"wcokg: only the first {limit} results are shown (--limit)", err=True)
    if fail_empty and is_empty(answer):
        raise SystemExit(1)


@cli.command("validate", epilog=VALIDATE_EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--input-format",
    type=click.Choice(sorted(FORMATS)),
    help=f"Syntax of the FILES; by default from each extension ({' '.join(EXTENSIONS)}).",
)
@shapes_option
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.SOURCE.parent,
    show_default=True,
    help="Folder of the source documents the evidence quotes are checked against (found by sha256).",
)
@report_option
def validate_command(files: tuple[Path, ...], input_format: str | None, shapes: Path, sources: Path, fmt: str) -> None:
    """Validate FILES (merged into one graph) against the shapes, and say what breaks which rule.

    Literals are checked exactly as written; a JSON-LD file with a remote @context is refused, never fetched.
    Every evidence quote must match the source file it names: its words, offsets, prefix and suffix.
    """
    try:
        report, where = validate_files(files, input_format, shapes, sources=sources)
    except NothingToValidate as exc:
        click.echo(f"wcokg: error: {exc}", err=True)
        raise SystemExit(1) from None
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(render_report(report, fmt, where, ", ".join(map(str, files))))
    if not report.conforms:
        raise SystemExit(1)


@cli.command("update", epilog=UPDATE_EXIT_CODES)
@click.argument("patch", type=click.Path(path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Rewrite the published files if the result conforms.")
@out_option
@shapes_option
@report_option
def update_command(patch: Path, apply_: bool, out_dir: Path, shapes: Path, fmt: str) -> None:
    """Apply the SPARQL Update in PATCH to a copy of the published graph, validate it, show the diff.

    Facts are in the default graph; evidence and links in their named graphs (GRAPH <…/graph/evidence>).
    Only with --apply, and only if the result conforms, are the files in --out rewritten, all together.
    """
    try:
        text = patch.read_text(encoding="utf-8")
        _, shapes_graph = load_turtle(shapes)
        edit = apply_update(load_published(out_dir), text, name=str(patch))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{patch}: cannot read the update: {getattr(exc, 'strerror', None) or exc}") from None
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    report = validate_edit(edit, shapes_graph)
    click.echo(render_report(report, fmt, {}, str(patch)))
    click.echo(render_diff(edit))
    if not report.conforms:
        click.echo("nothing written: the edit breaks the rules above", err=True)
        raise SystemExit(1)
    if apply_:
        written = publish_edit(edit, out_dir)
        click.echo(f"applied: rewrote {len(written)} files in {out_dir}", err=True)
    else:
        click.echo("nothing written: run again with --apply to publish", err=True)


def _progress(graph: str, size: int):
    """A progress bar on stderr for uploads over 1 MB; nothing for small ones."""
    if size < 1 << 20:
        return lambda n: None
    bar = click.progressbar(length=size, label=graph.rsplit("/", 1)[-1], file=click.get_text_stream("stderr"))
    bar.__enter__()

    def advance(n: int) -> None:
        bar.update(n)
        if bar.pos >= size:
            bar.__exit__(None, None, None)

    return advance


def _load_report(result: LoadResult) -> str:
    return "\n".join(
        f"{graph.rsplit('/', 1)[-1]:<9} sent {result.sent[graph]:>8}  held {result.held[graph]:>8}  <{graph}>"
        for graph in result.sent
    )


@cli.command("load", epilog=LOAD_EXIT_CODES)
@click.argument("target", required=False)
@click.option("--store", "kind", type=click.Choice(sorted(STORES)), help="Fill in this store's usual endpoint paths.")
@click.option("--query", "query_url", help="SPARQL query endpoint, for the count check (when --store is not given).")
@click.option("--user", envvar="WCOKG_STORE_USER", help="User name (or WCOKG_STORE_USER).")
@click.option("--password", envvar="WCOKG_STORE_PASSWORD", help="Password (or WCOKG_STORE_PASSWORD).")
@click.option(
    "--auth", type=click.Choice(["basic", "digest"]), help="HTTP authentication; the store's usual one by default."
)
@click.option("--replace", is_flag=True, help="Replace each graph (PUT) instead of adding to it (POST).")
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    help="Load only this graph (IRI or name: data, evidence, links, ontology, void).",
)
@out_option
@click.option(
    "--to-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a local pyoxigraph (RocksDB) store in this directory instead.",
)
def load_command(
    target: str | None,
    kind: str | None,
    query_url: str | None,
    user: str | None,
    password: str | None,
    auth: str | None,
    replace: bool,
    graphs: tuple[str, ...],
    out_dir: Path,
    to_dir: Path | None,
) -> None:
    """Load the published graphs into the triple store at TARGET (SPARQL 1.1 Graph Store Protocol), one named
    graph per request, streamed, then check that the store holds exactly the published triples.

    TARGET is the Graph Store endpoint, or with --store the server, dataset or repository URL. Credentials
    come from options or the environment, never from files.
    """
    try:
        if to_dir is not None:
            result = load_directory(to_dir, out_dir)
        elif target is None:
            raise click.UsageError("give a TARGET URL, or --to-dir DIR")
        else:
            gsp, query, store = endpoints(target, kind, query_url, auth)
            result = load_gsp(gsp, query, out_dir, store, user, password, replace, set(graphs) or None, _progress)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(_load_report(result))
    if not result.matches:
        click.echo("wcokg: error: the store holds a different number of triples than were sent", err=True)
        raise SystemExit(1)


def main() -> None:
    """Entry point of the ``wcokg`` script."""
    cli(prog_name="wcokg")
