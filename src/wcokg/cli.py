"""The wcokg command line: a thin layer over the library that picks exit codes and prints.

Each command imports the modules it uses when it runs, so that a query or ``--version`` does not pay for
rdflib, pyshacl or an HTTP client.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, layout
from .budgets import DEFAULT as DEFAULT_BUDGETS
from .budgets import Budgets
from .errors import NothingToValidate, WcoKgError
from .limits import MEMORY_LIMIT, budget
from .loader import EXTENSIONS, FORMATS
from .names import DEFAULT_BASE

if TYPE_CHECKING:
    from .load import LoadResult

SOURCE_DEFAULT = f"sources/{layout.SOURCE_NAME} of the project"


class LazyChoice(click.Choice):
    """A choice among the values of ``module.name``, read when the option is first used (not at start-up)."""

    def __init__(self, module: str, name: str, order: bool = False) -> None:
        self._source, self._order = (module, name), order
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        values: Iterable[str] = getattr(import_module(self._source[0], __package__), self._source[1])
        return tuple(sorted(values) if self._order else values)

    @choices.setter
    def choices(self, values: tuple[str, ...]) -> None:
        """Set by click.Choice; the values come from the module."""


def _exit_codes(*lines: str) -> str:
    return "\b\nExit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in enumerate(lines))


BUILD_EXIT_CODES = _exit_codes(
    "built, validated and written",
    "the graph does not conform to the shapes (nothing written)",
    "bad usage, unreadable input, an edit of the log that no longer applies, or another writer (nothing written)",
)
QUERY_EXIT_CODES = _exit_codes(
    "the query ran (results printed)",
    "no rows, an ASK answered false, or an empty graph (only with --fail-empty)",
    "bad query, refused clause (SERVICE, an outside FROM), timeout, memory exhausted, an engine crash, or "
    "unreadable input",
)
VALIDATE_EXIT_CODES = _exit_codes(
    "conforms (warnings may be reported)",
    "does not conform: at least one violation, or nothing to validate (no resource of the ontology's classes)",
    "an input could not be read or exceeds a budget (file, line and column are named)",
)
LOAD_EXIT_CODES = _exit_codes(
    "every graph loaded; the store holds exactly the published triples",
    "the store holds a different number of triples than were sent",
    "bad usage, unreadable output/, or the store refused or could not be reached (after retries)",
)
DIFF_EXIT_CODES = _exit_codes(
    "no differences",
    "differences found",
    "bad usage or unreadable input (a missing or malformed file, a blank node)",
)
UPDATE_TIMEOUT = 300.0
"""Seconds an update may take to be read, applied and validated."""
UPDATE_EXIT_CODES = _exit_codes(
    "the edited graph conforms (and, with --apply, the edit is in the log and --out is published)",
    "the edited graph does not conform: nothing written",
    "the update is malformed, refused, changes nothing, lacks evidence for what it adds, or --out is not "
    "current or held by another writer; an input is unreadable; or the update ran past --timeout or "
    f"its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space) (nothing written)",
)
RELEASE_EXIT_CODES = _exit_codes(
    "released: releases/VERSION/ written, the output published again naming it",
    "(not used)",
    "a bad or existing version, nothing changed since the last release, the ontology changed without a new "
    "owl:versionIRI, a stale output, or another writer (nothing written)",
)
EDITS_EXIT_CODES = _exit_codes(
    "the log was listed", "(not used)", "the log cannot be read (file, line and cause are named)"
)


class InputError(click.ClickException):
    """A WcoKgError as the CLI reports it: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"wcokg: error: {self.message}", err=True)


def input_error(exc: WcoKgError | OSError) -> InputError:
    """One line for an error the user can act on: a WcoKgError as it reads, an OSError (a full disk, a read-only
    directory, a missing permission) as the file and the system's words for the cause."""
    if isinstance(exc, OSError):
        return InputError(f"{exc.filename or '?'}: {exc.strerror or exc}; nothing was published")
    return InputError(str(exc))


shapes_option = click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    default=layout.SHAPES,
    show_default="the shapes shipped with wcokg",
    help="SHACL shapes (Turtle) the graph must conform to.",
)
edits_option = click.option(
    "--edits",
    "edits_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.edits,
    show_default="edits/ of the project",
    help="The edit log: reviewed SPARQL Update files, replayed in order.",
)
ontology_option = click.option(
    "--ontology",
    type=click.Path(path_type=Path),
    default=layout.ONTOLOGY,
    show_default="the ontology shipped with wcokg",
    help="The OWL ontology (Turtle), published as it is and used for the class hierarchy.",
)
releases_option = click.option(
    "--releases",
    "releases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.releases,
    show_default="releases/ of the project",
    help="Where releases are kept (each a frozen snapshot and its changes).",
)
wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for another writer of --out to finish before giving up (exit 2).",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.output,
    show_default="output/ of the project",
    help="Directory of the published files.",
)
memory_option = click.option(
    "--memory",
    type=click.IntRange(min=64),
    default=2048,
    show_default=True,
    help="Megabytes of memory a query may use beyond the loaded data; past it the query is stopped (exit 2).",
)
report_option = click.option(
    "--format",
    "fmt",
    type=LazyChoice(".report", "REPORT_FORMATS"),
    default="text",
    show_default=True,
    help="text (grouped by resource), json, or turtle (the standard sh:ValidationReport).",
)


class _Commands(click.Group):
    """The command group; any exception a command lets through becomes one line and exit 2 (see --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:  # BaseException: pyo3's PanicException (a Rust panic) is not an Exception
            if ctx.params.get("debug"):
                raise
            raise InputError(_unexpected(exc)) from None


def _unexpected(exc: BaseException) -> str:
    """One line for an exception no command caught: an OSError as file and cause, anything else by its type."""
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "out of memory (the input is too large for this machine)"
    detail = " ".join(str(exc).split())[:200]
    return f"unexpected {type(exc).__name__}{': ' + detail if detail else ''} (run with --debug for the traceback)"


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wcokg")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error instead of one line.")
def cli(debug: bool) -> None:
    """Publish the WCO overview document as a knowledge graph with evidence for every fact.

    The project is the nearest folder, from the current directory up, that holds sources/; its edits/,
    releases/ and output/ are the defaults. The ontology, shapes and queries ship with wcokg.
    """


@cli.command("build", epilog=BUILD_EXIT_CODES)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=layout.source,
    show_default=SOURCE_DEFAULT,
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
@ontology_option
@edits_option
@releases_option
@wait_option
def build_command(
    source: Path,
    out_dir: Path,
    base: str,
    shapes: Path,
    ontology: Path,
    edits_dir: Path,
    releases_dir: Path,
    wait: float,
) -> None:
    """Read the source, replay the edit log, validate the graph, and publish the files in one transaction."""
    from .pipeline import build
    from .report import summary

    try:
        result = build(source, out_dir, base, ontology, shapes, edits_dir, releases_dir, wait, _tell)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(summary(result))
    if not result.report.conforms:
        raise SystemExit(1)
    data = "" if out_dir.resolve() == layout.output().resolve() else f" --data {out_dir / 'wcokg.nq'}"
    click.echo(f"next: `wcokg query goals-in-order{data}`, `wcokg validate {out_dir / 'wcokg.ttl'}`", err=True)


def _today() -> str:
    """Today's date in UTC, YYYY-MM-DD."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).date().isoformat()


def _tell(message: str) -> None:
    click.echo(f"wcokg: {message}", err=True)


def _query_text(query: str) -> tuple[str, str]:
    """(name, text) of a catalog name, a .rq file, or SPARQL given inline."""
    from .query import catalog

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
    import difflib

    close = difflib.get_close_matches(query, named, n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "see `wcokg query --list`"
    raise InputError(f"{query!r} is neither a catalog query ({hint}), a .rq file, nor SPARQL")


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
    "--engine", type=LazyChoice(".query", "ENGINES"), default="pyoxigraph", show_default=True, help="SPARQL engine."
)
@click.option(
    "--format",
    "fmt",
    type=LazyChoice(".results", "ALL_FORMATS"),
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
@memory_option
@click.option("--fail-empty", is_flag=True, help="Exit 1 when there are no results.")
@click.option("--list", "list_catalog", is_flag=True, help="List the catalog of named queries and exit.")
def query_command(
    query: str | None,
    data: tuple[Path, ...],
    engine: str,
    fmt: str,
    timeout: float,
    limit: int,
    memory: int,
    fail_empty: bool,
    list_catalog: bool,
) -> None:
    """Run a SPARQL QUERY (a catalog name, a .rq file, or the query itself) over the published graph.

    The project's prefixes (wco:, wcokg:, skos:, org:, schema:, oa: …) are predeclared. The default graph
    is the union of all data loaded; named graphs keep their names. Nothing is fetched from the network.
    """
    from .query import catalog, load_dataset, load_output, question, run_query
    from .results import is_empty, render

    if list_catalog:
        click.echo("\n".join(f"{name:<28} {question(text)}" for name, text in catalog().items()))
        return
    if query is None:
        raise click.UsageError("give a QUERY (a catalog name, a .rq file or SPARQL), or --list")
    name, text = _query_text(query)
    try:
        dataset = load_dataset(data) if data else load_output(layout.output())
        answer = run_query(dataset, text, engine, timeout, limit, name, memory << 20)
        output = render(answer, fmt, dataset.prefixes)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(output, nl=not output.endswith("\n"))
    if answer.truncated:
        click.echo(f"wcokg: only the first {limit} results are shown (--limit)", err=True)
    if fail_empty and is_empty(answer):
        raise SystemExit(1)


def _budget_option(name: str, text: str):
    default = getattr(DEFAULT_BUDGETS, name)
    option = f"--{name.replace('_', '-')}"
    return click.option(option, name, type=click.IntRange(1), default=default, show_default=True, help=text)


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
    default=lambda: layout.source().parent,
    show_default="sources/ of the project",
    help="Folder of the source documents the evidence quotes are checked against (found by sha256).",
)
@report_option
@_budget_option("max_bytes", "Largest file, in bytes.")
@_budget_option("max_literal", "Longest literal or IRI, in bytes as written.")
@_budget_option("max_depth", "Deepest nesting of brackets ([ ( { and JSON objects and arrays).")
def validate_command(
    files: tuple[Path, ...], input_format: str | None, shapes: Path, sources: Path, fmt: str, **budgets: int
) -> None:
    """Validate FILES (merged into one graph) against the shapes, and say what breaks which rule.

    Literals are checked exactly as written; a JSON-LD file with a remote @context is refused, never fetched.
    Every evidence quote must match the source file it names: its words, offsets, prefix and suffix.
    The budgets (--max-bytes, --max-literal, --max-depth) are checked before any parser reads a file.
    """
    from .report import render_report
    from .review import validate_files

    try:
        report, where = validate_files(files, input_format, shapes, sources=sources, budgets=Budgets(**budgets))
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
@click.option("--apply", "apply_", is_flag=True, help="Append the patch to the log and publish, if it conforms.")
@click.option("--author", help="Who makes the edit (else the patch's '# author:' line).")
@click.option("--reason", help="Why (else the patch's '# reason:' line).")
@click.option("--date", "date_", help="The edit's date, YYYY-MM-DD (default: today, UTC).")
@click.option("--quote", help="The exact words of the source that state the facts the edit adds.")
@click.option("--quote-start", help="Which occurrence of --quote: its character offset in the source.")
@click.option("--cites", help="Evidence from another document: '<https://…> title'.")
@click.option(
    "--source", type=click.Path(path_type=Path), default=layout.source, show_default=SOURCE_DEFAULT, help="The source."
)
@out_option
@edits_option
@releases_option
@shapes_option
@ontology_option
@wait_option
@report_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=UPDATE_TIMEOUT,
    show_default=True,
    help="Seconds before the update is stopped (reading, applying, validating; publishing is not interrupted).",
)
def update_command(
    patch: Path,
    apply_: bool,
    author: str | None,
    reason: str | None,
    date_: str | None,
    quote: str | None,
    quote_start: str | None,
    cites: str | None,
    source: Path,
    out_dir: Path,
    edits_dir: Path,
    releases_dir: Path,
    shapes: Path,
    ontology: Path,
    wait: float,
    fmt: str,
    timeout: float,
) -> None:
    """Check the SPARQL Update in PATCH against the published graph: apply it to a copy, record its evidence,
    validate, show the diff. With --apply, and only if it conforms, append it to the edit log and publish.

    Facts are in the default graph, external links in GRAPH <…/graph/links>; wcokg writes the evidence itself:
    the facts an edit adds cite its --quote of the source or its --cites document. Header lines of PATCH
    ('# author: …', '# reason: …', '# quote: …') serve as well as the options.
    """
    from .pipeline import update
    from .report import render_diff, render_report

    fields = {"author": author, "reason": reason, "date": date_ or _today()}
    fields |= {"quote": quote, "quote-start": quote_start, "cites": cites}
    if not apply_:  # a dry run may leave out who and why
        fields |= {key: fields[key] or "(not given)" for key in ("author", "reason")}
    try:
        with budget("update", timeout) as disarm:
            result = update(
                patch, fields, apply_, source, out_dir, edits_dir, ontology, shapes, releases_dir, wait, _tell, disarm
            )
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(render_report(result.report, fmt, {}, str(patch)))
    click.echo(render_diff(result.edit))
    if not result.report.conforms:
        click.echo("nothing written: the edit breaks the rules above", err=True)
        raise SystemExit(1)
    if apply_:
        click.echo(f"applied: {edits_dir / result.patch.name}; published {out_dir}", err=True)
    else:
        click.echo(f"nothing written: run again with --apply to publish it as {result.patch.name}", err=True)


@cli.command("edits", epilog=EDITS_EXIT_CODES)
@edits_option
def edits_command(edits_dir: Path) -> None:
    """List the edit log: each edit's name, date, author, evidence and reason, in the order builds replay them."""
    from .editlog import read_log

    try:
        log = read_log(edits_dir)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    for patch in log:
        evidence = f"quote {patch.quote!r}" if patch.quote else f"cites <{patch.cites}>" if patch.cites else "-"
        click.echo(f"{patch.stem}  {patch.date}  {patch.author}  [{evidence}]\n    {patch.reason}")
    click.echo(f"{len(log)} edit{'s' if len(log) != 1 else ''} in {edits_dir}", err=True)


@cli.command("release", epilog=RELEASE_EXIT_CODES)
@click.argument("version")
@click.option("--date", "date_", help="The release date, YYYY-MM-DD (default: today, UTC).")
@releases_option
@click.option(
    "--source", type=click.Path(path_type=Path), default=layout.source, show_default=SOURCE_DEFAULT, help="The source."
)
@out_option
@edits_option
@shapes_option
@ontology_option
@wait_option
def release_command(
    version: str,
    date_: str | None,
    releases_dir: Path,
    source: Path,
    out_dir: Path,
    edits_dir: Path,
    shapes: Path,
    ontology: Path,
    wait: float,
) -> None:
    """Release the published dataset as VERSION (MAJOR.MINOR.PATCH): freeze it in RELEASES/VERSION/ with its
    changes since the previous release (CHANGES.md for people, changes.rdfp as RDF Patch), and publish the
    output again, its VoID (dcat:version, dcat:previousVersion) and CHANGES.md naming the release."""
    from .pipeline import release

    day = date_ or _today()
    try:
        release(version, day, source, out_dir, edits_dir, releases_dir, ontology, shapes, wait, _tell)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo((releases_dir / version / "CHANGES.md").read_text(encoding="utf-8"), nl=False)
    click.echo(f"released {version}: {releases_dir / version}; published {out_dir} again", err=True)


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
    "--store", "kind", type=LazyChoice(".load", "STORES", order=True), help="Fill in this store's usual endpoint paths."
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
    from .load import endpoints, load_directory, load_gsp

    if target is not None and to_dir is not None:
        raise click.UsageError("give a TARGET URL or --to-dir DIR, not both")
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


@cli.command("diff", epilog=DIFF_EXIT_CODES)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "patch"]),
    default="text",
    show_default=True,
    help="text (per graph, then per resource with its label) or patch (RDF Patch: every quad, D then A).",
)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
def diff_command(old: Path, new: Path, fmt: str, out_file: Path | None) -> None:
    """Show what changed from OLD to NEW: each a published directory (wcokg.nq and void.ttl) or one RDF file
    (.nq .trig .nt .ttl .jsonld). Triples are compared per named graph; blank nodes are refused."""
    from .diff import diff_datasets, labels, rdf_patch, read_quads
    from .diff import summary as diff_summary
    from .transaction import write_atomically

    try:
        before, after = read_quads(old), read_quads(new)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    diff = diff_datasets(before, after)
    text = rdf_patch(diff) if fmt == "patch" else diff_summary(diff, labels(after, before)) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomically(out_file, text.encode())
        except OSError as exc:
            raise InputError(f"{out_file}: cannot write: {exc.strerror or exc}") from None
    if diff.changed:
        raise SystemExit(1)


SERVE_EXIT_CODES = _exit_codes(
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
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=layout.source,
    show_default=SOURCE_DEFAULT,
    help="The source document the graph was built from (its text is shown with the evidence).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Query time limit (s)."
)
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

        from .web.app import create_app
    except ImportError as exc:
        raise InputError(f"wcokg serve needs the serve extra (pip install 'wcokg[serve]'): {exc}") from None
    editing = None
    if allow_update:
        from .web.updates import Editing

        token = os.environ.get("WCOKG_TOKEN", "")
        if len(token) < 16:
            raise InputError("--allow-update needs a token of at least 16 characters in WCOKG_TOKEN")
        editing = Editing(token, source, out_dir, edits_dir, ontology, shapes, releases_dir)
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


SITE_EXIT_CODES = _exit_codes(
    "the site was written",
    "(not used)",
    "bad usage, unreadable output/ or source, a --base the files do not use, an OUT that is not a site, "
    "the serve extra missing (nothing written)",
)


@cli.command("site", epilog=SITE_EXIT_CODES)
@click.argument("site_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@out_option
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the published resources.")
@click.option(
    "--source", type=click.Path(path_type=Path), default=layout.SOURCE, show_default=True, help="The source document."
)
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
        from .web.export import write_site
    except ImportError as exc:
        raise InputError(f"wcokg site needs the serve extra (pip install 'wcokg[serve]'): {exc}") from None
    try:
        written = write_site(site_dir, out_dir, base, source, site_url)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(f"wrote {len(written)} files to {site_dir}", err=True)


def main() -> None:
    """Entry point of the ``wcokg`` script."""
    cli(prog_name="wcokg")
