"""Commands that read graphs: query, validate, load."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import layout
from ..budgets import DEPTH_CEILING, Budgets, read_input, without_bom
from ..errors import InputFileError, NothingToValidate, WcoKgError
from ..limits import MEMORY_LIMIT, budget
from ..rdfio import EXTENSIONS, FORMATS
from .group import (
    InputError,
    LazyChoice,
    budget_option,
    cli,
    exit_codes,
    input_error,
    memory_option,
    out_option,
    query_timeout_option,
    report_option,
    shapes_option,
    timeout_option,
)

if TYPE_CHECKING:
    from ..publish.stores import LoadResult


QUERY_EXIT_CODES = exit_codes(
    "the query ran (results printed)",
    "no rows, an ASK answered false, or an empty graph (only with --fail-empty)",
    "bad query, refused clause (SERVICE, an outside FROM), timeout, memory exhausted, an engine crash, or "
    "unreadable input",
)


VALIDATE_TIMEOUT = 600.0
"""Seconds a validation may take (10^6 triples take about 160 s of CPU: bench/bench_scale.py)."""


VALIDATE_EXIT_CODES = exit_codes(
    "conforms (warnings may be reported)",
    "does not conform: at least one violation, or nothing to validate (no resource of the ontology's classes)",
    "an input could not be read or exceeds a budget (file, line and column are named), or the validation ran "
    f"past --timeout or its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space)",
)


LOAD_TIMEOUT = 3600.0
"""Seconds a load may take (10^6 triples into a store over HTTP take minutes)."""


LOAD_EXIT_CODES = exit_codes(
    "every graph loaded; the store holds exactly the published triples",
    "the store holds a different number of triples than were sent",
    "bad usage, unreadable output/ (not a regular file, over its size budget), the store refused or could not be "
    "reached (after retries), or the load ran past --timeout or its memory limit "
    f"({MEMORY_LIMIT // 2**20} MiB of address space)",
)


def _query_text(query: str) -> tuple[str, str]:
    """(name, text) of a catalog name, a .rq file, or SPARQL given inline."""
    from ..sparql.query import catalog

    named = catalog()
    if query in named:
        return query, named[query]
    path = Path(query)
    if path.suffix == ".rq" or _is_file(path):
        try:
            return str(path), without_bom(read_input(path)).decode("utf-8")
        except InputFileError as exc:
            raise InputError(str(exc)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query: {getattr(exc, 'strerror', None) or exc}") from None
    if any(c.isspace() for c in query.strip()) or "{" in query:
        return "query", query
    import difflib

    close = difflib.get_close_matches(query, named, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "see `wcokg query --list`"
    raise InputError(f"{query!r} is neither a catalog query ({hint}), a .rq file, nor SPARQL")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for a file (ENAMETOOLONG): SPARQL given inline
        return False


@cli.command("query", epilog=QUERY_EXIT_CODES)
@click.argument("query", required=False)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Data to query (.ttl .nt .nq .trig .jsonld), repeatable. Default: output/wcokg.nq and output/void.ttl.",
)
@click.option(
    "--engine",
    type=LazyChoice("wcokg.sparql.query", "ENGINES"),
    default="pyoxigraph",
    show_default=True,
    help="SPARQL engine.",
)
@click.option(
    "--format",
    "fmt",
    type=LazyChoice("wcokg.sparql.results", "ALL_FORMATS"),
    default="table",
    show_default=True,
    help="table, or json/xml/csv/tsv (SELECT, ASK), or turtle/ntriples/jsonld (CONSTRUCT, DESCRIBE).",
)
@query_timeout_option
@budget_option("max_bytes", "Largest --data file, in bytes; a larger one is refused before it is read.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows (or triples) printed; a note on stderr tells when more were found.",
)
@memory_option
@click.option("--fail-empty", is_flag=True, help="Exit 1 when there are no results.")
@click.option("--list", "list_catalog", is_flag=True, help="List the catalog of named queries and exit.")
def query_command(
    query: str | None,
    data: tuple[Path, ...],
    engine: str,
    fmt: str,
    timeout: float,
    max_bytes: int,
    limit: int,
    memory: int,
    fail_empty: bool,
    list_catalog: bool,
) -> None:
    """Run a SPARQL QUERY (a catalog name, a .rq file, or the query itself) over the published graph.

    The project's prefixes (wco:, wcokg:, skos:, org:, schema:, oa: …) are predeclared. The default graph
    is the union of all data loaded; named graphs keep their names. Nothing is fetched from the network.
    Reading the data gets --timeout seconds of its own; a --data that is not a regular file (a FIFO, a device)
    or is over --max-bytes is refused before it is read.
    """
    from ..sparql.query import catalog, load_dataset, load_output, question, run_query
    from ..sparql.results import is_empty, render

    if list_catalog:
        click.echo("\n".join(f"{name:<28} {question(text)}" for name, text in catalog().items()))
        return
    if query is None:
        raise click.UsageError("give a QUERY (a catalog name, a .rq file or SPARQL), or --list")
    name, text = _query_text(query)
    try:
        with budget("reading the data", timeout):
            dataset = load_dataset(data, Budgets(max_bytes=max_bytes)) if data else load_output(layout.output())
        answer = run_query(dataset, text, engine, timeout, limit, name, memory << 20)
        output = render(answer, fmt, dataset.prefixes)
    except WcoKgError as exc:
        raise input_error(exc) from None
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
    default=lambda: layout.sources(layout.workspace()),
    show_default="sources/ of the project, else the example shipped with wcokg",
    help="Folder of the source documents the evidence quotes are checked against (found by sha256).",
)
@report_option
@budget_option("max_bytes", "Largest file, in bytes.")
@budget_option("max_literal", "Longest literal or IRI, in bytes as written.")
@budget_option(
    "max_depth",
    f"Deepest nesting of brackets ([ ( {{ and JSON objects and arrays); at most {DEPTH_CEILING}, far below the "
    "depth at which a parser overflows its stack.",
    DEPTH_CEILING,
)
@timeout_option(VALIDATE_TIMEOUT, "Seconds before the validation is stopped (reading the files included).")
@click.option(
    "--engine",
    type=LazyChoice("wcokg.check.validate", "ENGINES"),
    default="compiled",
    show_default=True,
    help="compiled: each constraint as one SPARQL query over all its focus nodes, pyshacl for any it cannot "
    "compile; pyshacl: pyshacl alone. Both report the same results.",
)
def validate_command(
    files: tuple[Path, ...],
    input_format: str | None,
    shapes: Path,
    sources: Path,
    fmt: str,
    timeout: float,
    engine: str,
    **budgets: int,
) -> None:
    """Validate FILES (merged into one graph) against the shapes, and say what breaks which rule.

    Literals are checked exactly as written; a JSON-LD file with a remote @context is refused, never fetched.
    Every evidence quote must match the source file it names: its words, offsets, prefix and suffix.
    The budgets (--max-bytes, --max-literal, --max-depth) are checked before any parser reads a file.
    """
    from ..check.report import render_report
    from ..check.review import validate_files

    try:
        with budget("validate", timeout):
            report, where = validate_files(
                files, input_format, shapes, sources=sources, budgets=Budgets(**budgets), engine=engine
            )
    except NothingToValidate as exc:
        click.echo(f"wcokg: error: {exc}", err=True)
        raise SystemExit(1) from None
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(render_report(report, fmt, where, ", ".join(map(str, files))))
    if not report.conforms:
        raise SystemExit(1)


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
@click.option(
    "--store",
    "kind",
    type=LazyChoice("wcokg.publish.stores", "STORES", order=True),
    help="Fill in this store's usual endpoint paths.",
)
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
@out_option()
@click.option(
    "--to-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a local pyoxigraph (RocksDB) store in this directory instead.",
)
@timeout_option(LOAD_TIMEOUT, "Seconds before the load is stopped.")
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
    timeout: float,
) -> None:
    """Load the published graphs into the triple store at TARGET (SPARQL 1.1 Graph Store Protocol), one named
    graph per request, streamed, then check that the store holds exactly the published triples.

    TARGET is the Graph Store endpoint, or with --store the server, dataset or repository URL. Credentials
    come from options or the environment, never from files.
    """
    from ..publish.stores import endpoints, load_directory, load_gsp

    if target is not None and to_dir is not None:
        raise click.UsageError("give a TARGET URL or --to-dir DIR, not both")
    if target is None and to_dir is None:
        raise click.UsageError("give a TARGET URL, or --to-dir DIR")
    try:
        with budget("load", timeout):
            if to_dir is not None:
                result = load_directory(to_dir, out_dir)
            else:
                gsp, query, store = endpoints(target, kind, query_url, auth)
                result = load_gsp(gsp, query, out_dir, store, user, password, replace, set(graphs) or None, _progress)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(_load_report(result))
    if not result.matches:
        click.echo("wcokg: error: the store holds a different number of triples than were sent", err=True)
        raise SystemExit(1)
