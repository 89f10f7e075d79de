"""Commands that make and change the published graph: build, update, edits, release, diff."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from .. import layout
from ..budgets import Budgets
from ..errors import WcoKgError
from ..limits import MEMORY_LIMIT, UPDATE_TIMEOUT, budget
from ..names import DEFAULT_BASE
from .group import (
    PUBLISHED_CLEANUP_FAILED,
    InputError,
    budget_option,
    cli,
    edits_option,
    exit_codes,
    input_error,
    ontology_option,
    out_option,
    releases_option,
    report_option,
    shapes_option,
    source_option,
    tell,
    timeout_option,
    today,
    wait_option,
)

if TYPE_CHECKING:
    pass

DEFAULT = ParameterSource.DEFAULT


BUILD_TIMEOUT = 300.0
"""Seconds a build may take to read, extract, replay the log and validate (publishing is not interrupted)."""


BUILD_EXIT_CODES = exit_codes(
    "built, validated and written",
    "the graph does not conform to the shapes (nothing written)",
    "bad usage, unreadable input, an edit of the log that no longer applies, another writer, or the build ran "
    f"past --timeout or its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space) (nothing written)",
    PUBLISHED_CLEANUP_FAILED,
)


DIFF_TIMEOUT = 300.0
"""Seconds a diff may take to read and compare both sides."""
RELEASE_TIMEOUT = 300.0
"""Seconds a release may take until it writes (reading the output and the log, comparing with the last release)."""


DIFF_EXIT_CODES = exit_codes(
    "no differences",
    "differences found",
    "bad usage or unreadable input (a missing or malformed file, a blank node, not a regular file, over "
    f"--max-bytes), or the diff ran past --timeout or its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space)",
)


UPDATE_EXIT_CODES = exit_codes(
    "the edited graph conforms (and, with --apply, the edit is in the log and --out is published)",
    "the edited graph does not conform: nothing written",
    "the update is malformed, refused, changes nothing, lacks evidence for what it adds, or --out is not "
    "current or held by another writer; an input is unreadable; or the update ran past --timeout or "
    f"its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space) (nothing written)",
    f"with --apply: {PUBLISHED_CLEANUP_FAILED}",
)


RELEASE_EXIT_CODES = exit_codes(
    "released: releases/VERSION/ written, the output published again naming it",
    "(not used)",
    "a bad or existing version, nothing changed since the last release, the ontology changed without a new "
    "owl:versionIRI, a stale output, an unreadable input (not a regular file, over its size), another writer, or "
    f"the release ran past --timeout or its memory limit ({MEMORY_LIMIT // 2**20} MiB of address space) before "
    "writing (nothing written)",
    PUBLISHED_CLEANUP_FAILED,
)


EDITS_EXIT_CODES = exit_codes(
    "the log was listed", "(not used)", "the log cannot be read (file, line and cause are named)"
)


@cli.command("build", epilog=BUILD_EXIT_CODES)
@source_option(
    "The documents to read: NAME.txt (its claims file NAME.claims.toml beside it), or a folder of them.",
    layout.workspace,
)
@out_option(layout.workspace)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the published resources and graphs (must end in '/').",
)
@shapes_option
@ontology_option
@edits_option(layout.workspace)
@releases_option(layout.workspace)
@wait_option
@timeout_option(BUILD_TIMEOUT, "Seconds before the build is stopped (publishing is never interrupted).")
def build_command(
    source: Path,
    out_dir: Path,
    base: str,
    shapes: Path,
    ontology: Path,
    edits_dir: Path,
    releases_dir: Path,
    wait: float,
    timeout: float,
) -> None:
    """Read the source, replay the edit log, validate the graph, and publish the files in one transaction.

    Where there is no project (no sources/ here or above), build the example shipped with wcokg into output/.
    """
    from ..check.report import summary
    from ..pipeline import build

    if click.get_current_context().get_parameter_source("source") is DEFAULT and source == layout.EXAMPLE:
        example = ", ".join(path.stem for path in sorted(layout.EXAMPLE.glob("*.txt")))
        tell(
            f"no sources/ here or above: building the example shipped with wcokg ({example}) into "
            f"{layout.shown(out_dir)}/; `wcokg init DIR` starts a project of your own"
        )
    try:
        with budget("build", timeout) as disarm:
            result = build(source, out_dir, base, ontology, shapes, edits_dir, releases_dir, wait, tell, disarm)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(summary(result, edits_dir))
    if not result.report.conforms:
        raise SystemExit(1)
    root = layout.find_project()  # where `wcokg query` finds output/ by itself
    data = f" --data {layout.shown(out_dir / 'wcokg.nq')}"
    data = "" if root is not None and out_dir.resolve() == layout.output(root).resolve() else data
    turtle = layout.shown(out_dir / "wcokg.ttl")
    click.echo(f"next: `wcokg query source-document{data}`, `wcokg query --list`, `wcokg validate {turtle}`", err=True)


@cli.command("update", epilog=UPDATE_EXIT_CODES)
@click.argument("patch", type=click.Path(path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Append the patch to the log and publish, if it conforms.")
@click.option("--author", help="Who makes the edit (wins over the patch's '# author:' line).")
@click.option("--reason", help="Why (wins over the patch's '# reason:' line).")
@click.option(
    "--date", "date_", help="The edit's date, YYYY-MM-DD (wins over the patch's '# date:' line; default: today, UTC)."
)
@click.option(
    "--quote",
    help="The exact words of the source that state the facts the edit adds (replaces the patch's evidence lines).",
)
@click.option("--quote-start", help="Which occurrence of --quote: its character offset (wins over '# quote-start:').")
@click.option(
    "--cites", help="Evidence from another document: '<https://…> title' (replaces the patch's evidence lines)."
)
@source_option("The source documents: NAME.txt (with NAME.claims.toml), or a folder of them.")
@out_option()
@edits_option()
@releases_option()
@shapes_option
@ontology_option
@wait_option
@report_option
@timeout_option(UPDATE_TIMEOUT, "Seconds before the update is stopped (publishing is never interrupted).")
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
    ('# author: …', '# reason: …', '# quote: …') serve as well as the options; an option given wins over its
    line, saying so on stderr where the two differ.
    """
    from ..check.report import render_diff, render_report
    from ..pipeline import update

    options = {"author": author, "reason": reason, "date": date_}
    options |= {"quote": quote, "quote-start": quote_start, "cites": cites}
    defaults = {"date": today()}
    if not apply_:  # a dry run may leave out who and why
        defaults |= {"author": "(not given)", "reason": "(not given)"}
    try:
        with budget("update", timeout) as disarm:
            result = update(
                patch,
                options,
                apply_,
                source,
                out_dir,
                edits_dir,
                ontology,
                shapes,
                releases_dir,
                wait,
                tell,
                disarm,
                defaults=defaults,
            )
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo(render_report(result.report, fmt, {}, str(patch)))
    click.echo(render_diff(result.edit))
    if not result.report.conforms:
        click.echo("nothing written: the edit breaks the rules above", err=True)
        raise SystemExit(1)
    if apply_:
        applied = layout.shown(edits_dir / result.patch.name)
        click.echo(f"applied: {applied}; published {layout.shown(out_dir)}", err=True)
    else:
        click.echo(f"nothing written: run again with --apply to publish it as {result.patch.name}", err=True)


@cli.command("edits", epilog=EDITS_EXIT_CODES)
@edits_option()
def edits_command(edits_dir: Path) -> None:
    """List the edit log: each edit's name, date, author, evidence and reason, in the order builds replay them."""
    from ..edit.log import read_log

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
@releases_option()
@source_option("The source documents: NAME.txt (with NAME.claims.toml), or a folder of them.")
@out_option()
@edits_option()
@shapes_option
@ontology_option
@wait_option
@timeout_option(RELEASE_TIMEOUT, "Seconds before the release is stopped (writing it is never interrupted).")
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
    timeout: float,
) -> None:
    """Release the published dataset as VERSION (MAJOR.MINOR.PATCH): freeze it in RELEASES/VERSION/ with its
    changes since the previous release (CHANGES.md for people, changes.rdfp as RDF Patch), and publish the
    output again, its VoID (dcat:version, dcat:previousVersion) and CHANGES.md naming the release."""
    from ..pipeline import release

    day = date_ or today()
    try:
        with budget("release", timeout) as disarm:
            release(version, day, source, out_dir, edits_dir, releases_dir, ontology, shapes, wait, tell, disarm)
    except (WcoKgError, OSError) as exc:
        raise input_error(exc) from None
    click.echo((releases_dir / version / "CHANGES.md").read_text(encoding="utf-8"), nl=False)
    click.echo(
        f"released {version}: {layout.shown(releases_dir / version)}; published {layout.shown(out_dir)} again", err=True
    )


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
@budget_option("max_bytes")
@timeout_option(DIFF_TIMEOUT, "Seconds before the diff is stopped (reading both sides included).")
def diff_command(old: Path, new: Path, fmt: str, out_file: Path | None, max_bytes: int, timeout: float) -> None:
    """Show what changed from OLD to NEW: each a published directory (wcokg.nq and void.ttl) or one RDF file
    (.nq .trig .nt .ttl .jsonld). Triples are compared per named graph; blank nodes are refused."""
    from ..publish.diff import diff_datasets, labels, rdf_patch, read_quads
    from ..publish.diff import summary as diff_summary
    from ..publish.transaction import write_atomically

    budgets = Budgets(max_bytes=max_bytes)
    try:
        with budget("diff", timeout):
            before, after = read_quads(old, budgets), read_quads(new, budgets)
            diff = diff_datasets(before, after)
            text = rdf_patch(diff) if fmt == "patch" else diff_summary(diff, labels(after, before)) + "\n"
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    if out_file is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomically(out_file, text.encode())
        except OSError as exc:
            raise InputError(f"{out_file}: cannot write: {exc.strerror or exc}") from None
    if diff.changed:
        raise SystemExit(1)
