"""The command that makes a project: init."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .. import layout
from ..errors import WcoKgError
from .group import InputError, cli, exit_codes

INIT_EXIT_CODES = exit_codes(
    "the project was made",
    "(not used)",
    "DIR exists and is not an empty folder, or a file could not be written (nothing made)",
)


@cli.command("init", epilog=INIT_EXIT_CODES)
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
def init_command(folder: Path) -> None:
    """Make a project in DIR (new, or an empty folder): sources/ with the example shipped with wcokg (the 2013
    overview and its claims file), an empty edits/, and ontology/ and shapes/ holding copies of the shipped
    ones to extend. Nothing in an existing file is ever overwritten. Prints what it made."""
    try:
        made = layout.make_project(folder)
    except WcoKgError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{exc.filename or folder}: {exc.strerror or exc}; nothing was made") from None
    for name in made:
        click.echo(layout.shown(folder / name) + ("/" if (folder / name).is_dir() else ""))
    click.echo(f"next: `cd {shlex.quote(str(folder))} && wcokg build`", err=True)
