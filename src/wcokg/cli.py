"""The wcokg command line: a thin layer over the library that picks exit codes and prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rdflib.namespace import RDF

from . import __version__, layout
from .errors import WcoKgError
from .namespaces import DEFAULT_BASE
from .pipeline import BuildResult, build
from .query import ENGINES, catalog, default_files, load_dataset, question, run_query
from .results import ALL_FORMATS, is_empty, render
from .validate import Report

EXIT_CODES = """\b
Exit codes:
  0  built, validated and written
  1  the graph does not conform to the shapes (nothing written)
  2  bad usage or unreadable input (nothing written)"""


class InputError(click.ClickException):
    """A WcoKgError as the CLI reports it: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"wcokg: error: {self.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wcokg")
def cli() -> None:
    """Publish the WCO overview document as a knowledge graph with evidence for every fact."""


@cli.command("build", epilog=EXIT_CODES)
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=layout.SOURCE,
    show_default=True,
    help="The overview document to read (UTF-8 text).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=layout.OUTPUT,
    show_default=True,
    help="Directory to write the published files to.",
)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the published resources and graphs (must end in '/').",
)
@click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    default=layout.SHAPES,
    show_default=True,
    help="SHACL shapes (Turtle) the graph must conform to.",
)
def build_command(source: Path, out_dir: Path, base: str, shapes: Path) -> None:
    """Read the source, build and validate the graph, and write output/ atomically."""
    try:
        result = build(source=source, out_dir=out_dir, base=base, shapes=shapes)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    click.echo(summary(result))
    if not result.report.conforms:
        raise SystemExit(1)
    click.echo("next: `wcokg --help` lists the commands; the published files are in " + str(out_dir), err=True)


QUERY_EXIT_CODES = """\b
Exit codes:
  0  the query ran (results printed)
  1  no rows, an ASK answered false, or an empty graph (only with --fail-empty)
  2  bad query, refused clause (SERVICE, an outside FROM), timeout, or unreadable input"""


def _query_text(query: str) -> tuple[str, str]:
    """(name, text) of a catalog name, a .rq file, or SPARQL given inline."""
    named = catalog()
    if query in named:
        return query, named[query]
    path = Path(query)
    if path.suffix == ".rq" or (path.exists() and path.is_file()):
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
        for name, text in catalog().items():
            click.echo(f"{name:<28} {question(text)}")
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


def _report_lines(report: Report, limit: int = 20) -> list[str]:
    lines = [f"{r.severity:<9}  {r.focus}  {r.path or '-'}  {r.message}" for r in report.results[:limit]]
    if len(report.results) > limit:
        lines.append(f"… and {len(report.results) - limit} more results")
    return lines


def summary(result: BuildResult) -> str:
    """The build summary: source, quarantine, triples per graph, entities per class, verdict, files."""
    doc, kg, report = result.document, result.graph, result.report
    lines = [
        f"source      {doc.path}: {doc.byte_length} bytes, sha256 {doc.sha256[:12]}…, "
        f"{len(doc.paragraphs)} paragraphs, {len(doc.goals)} goals"
    ]
    for span in doc.quarantined:
        lines.append(
            f"quarantined characters {span.start}-{span.end} (from line {span.line}): {'; '.join(span.reasons)}"
        )
    lines.append("triples     " + ", ".join(f"{name} {len(graph)}" for name, graph in kg.named().items()))
    classes = Counter(kg.data.namespace_manager.normalizeUri(cls) for cls in kg.data.objects(None, RDF.type))
    lines.append("entities    " + ", ".join(f"{cls} {n}" for cls, n in sorted(classes.items())))
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines.append(f"shacl       {verdict} ({report.violations} violations, {report.warnings} warnings)")
    lines.extend("  " + line for line in _report_lines(report))
    lines.extend(f"wrote       {path} ({len(result.files[path.name])} bytes)" for path in result.written)
    if not report.conforms:
        lines.append("nothing written: fix the violations above")
    return "\n".join(lines)


def main() -> None:
    """Entry point of the ``wcokg`` script."""
    cli(prog_name="wcokg")
