"""``wcokg claims``: the curator's tools for a claims file (locate words, check every claim, the coverage)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import WcoKgError
from .group import cli, exit_codes, input_error, source_option

LOCATE_EXIT_CODES = exit_codes(
    "found: each occurrence printed",
    "not found: the closest passage printed",
    "bad usage, or the source or its claims file cannot be read",
)
CHECK_EXIT_CODES = exit_codes(
    "every claim resolves and every character is accounted for",
    "(not used)",
    "a claim, declaration or character that does not hold (file, line and cause), or an unreadable input",
)


CLAIMS_EXIT_CODES = exit_codes(
    "done: found (locate), every claim resolves and every character is accounted for (check, coverage)",
    "locate: the words are in no source (the closest passage is printed)",
    "bad usage; a claim, declaration or character that does not hold (file, line and cause); an unreadable input",
)


@cli.group("claims", epilog=CLAIMS_EXIT_CODES)
def claims_group() -> None:
    """Tools for a source's claims file (sources/NAME.claims.toml beside sources/NAME.txt)."""


@claims_group.command("locate", epilog=LOCATE_EXIT_CODES)
@click.argument("words")
@source_option("A source document (UTF-8 text), or a folder of them, to search.")
def locate_command(words: str, source: Path) -> None:
    """Where WORDS stand in each source: line, characters, context, ready to paste into a [[claim]]."""
    from ..check.claims_report import locate
    from ..extraction.document import document_files
    from ..layout import shown

    if not words.split():
        raise click.UsageError("WORDS is empty: give the words of the source to find")
    try:
        everywhere = [locate(path, words) for path in document_files(source)]
    except WcoKgError as exc:
        raise input_error(exc) from None
    words = " ".join(words.split())
    if not any(located.found for located in everywhere):
        for located in everywhere:
            line, passage = located.closest or (0, "")
            click.echo(f'"{words}" is not in {shown(located.source)}; the closest passage, line {line}: "{passage}"')
        raise SystemExit(1)
    for located in everywhere:
        if not located.found:
            continue
        if len(everywhere) > 1:
            click.echo(f"# {shown(located.source)}")
        click.echo(f"quote = {json.dumps(words, ensure_ascii=False)}")
        several = len(located.found) > 1
        for number, found in enumerate(located.found, start=1):
            at = found.occurrence
            where = f"line {at.line}, characters {at.start}-{at.end}"
            said = (
                f"quarantined ({'; '.join(found.quarantined)}): it cannot be evidence"
                if found.quarantined
                else found.context
            )
            click.echo(f"{f'occurrence = {number}  ' if several else ''}# {where}: {said}")


@claims_group.command("check", epilog=CHECK_EXIT_CODES)
@source_option("A source document whose claims file to check, or a folder of them.")
def check_command(source: Path) -> None:
    """Resolve every claim of each source's claims file, as the build does, and count the characters."""
    from ..layout import shown

    for checked in _checked(source):
        doc, counts = checked.document, checked.document.coverage.counts
        click.echo(
            f"{shown(doc.claims.path)}: {len(doc.stated)} claims, {len(checked.claims)} triples; characters: "
            f"{counts['claimed']} claimed, {counts['not-modelled']} not modelled, {counts['layout']} layout, "
            f"{counts['quarantined']} quarantined ({len(doc.text)} in all, 100% accounted for)"
        )


@claims_group.command("coverage", epilog=CHECK_EXIT_CODES)
@source_option("A source document to report on, or a folder of them.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="text, or markdown (output/coverage.md as the build writes it).",
)
def coverage_command(source: Path, fmt: str) -> None:
    """What became of each character of each source: the four counts, then each stretch with its facts or reason."""
    from ..extraction.graph import source_iri
    from ..publish.coverage import coverage_markdown, coverage_text, rows

    reports = []
    for checked in _checked(source):
        doc, base = checked.document, checked.graph.iris.base
        report = coverage_markdown if fmt == "markdown" else coverage_text
        reports.append(report(doc, base, rows(doc, checked.graph.evidence, source_iri(checked.graph.iris, doc))))
    click.echo("\n".join(reports), nl=False)


def _checked(source: Path):
    """Each document of ``source`` (a file or a folder) with every claim resolved; a claim that does not hold is
    the command's one-line error."""
    from ..check.claims_report import check_claims
    from ..extraction.document import document_files

    for path in document_files(source):
        try:
            yield check_claims(path)
        except WcoKgError as exc:
            raise input_error(exc) from None
