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
