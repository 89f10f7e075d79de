"""The command group: its error mapping (one line, exit 2; --debug for the traceback) and the options
the commands share."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path

import click

from .. import __version__, layout
from ..budgets import DEFAULT as DEFAULT_BUDGETS
from ..errors import CleanupFailed, SparqlSyntaxError, WcoKgError
from ..limits import MEMORY_LIMIT, QUERY_TIMEOUT

SOURCE_DEFAULT = "every document of the project's sources/"


class LazyChoice(click.Choice):
    """A choice among the values of ``module.name``, read when the option is first used (not at start-up)."""

    def __init__(self, module: str, name: str, order: bool = False) -> None:
        self._source, self._order = (module, name), order
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        values: Iterable[str] = getattr(import_module(self._source[0]), self._source[1])
        return tuple(sorted(values) if self._order else values)

    @choices.setter
    def choices(self, values: tuple[str, ...]) -> None:
        """Set by click.Choice; the values come from the module."""


def exit_codes(*lines: str) -> str:
    return "\b\nExit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in enumerate(lines))


class InputError(click.ClickException):
    """A WcoKgError as the CLI reports it: one line on stderr (then any ``excerpt``: a source line and a caret
    line under the error), exit code 2."""

    exit_code = 2

    def __init__(self, message: str, excerpt: str = ""):
        super().__init__(message)
        self.excerpt = excerpt

    def show(self, file=None) -> None:
        click.echo(f"wcokg: error: {self.message}", err=True)
        if self.excerpt:
            click.echo(self.excerpt, err=True)


class CleanupError(InputError):
    """A publication that failed after its commit point (CleanupFailed): published, exit code 3."""

    exit_code = 3


PUBLISHED_CLEANUP_FAILED = (
    "published, then a later step failed (a system error): 'published; cleaning up failed: …'; the next writer "
    "of --out finishes it"
)
"""The meaning of exit code 3, for the commands that publish."""


def input_error(exc: WcoKgError | OSError) -> InputError:
    """One line for an error the user can act on: a WcoKgError as it reads, an OSError (a full disk, a read-only
    directory, a missing permission) as the file and the system's words for the cause."""
    if isinstance(exc, OSError):
        return InputError(f"{_unexpected(exc)}; nothing was published")
    if isinstance(exc, CleanupFailed):
        return CleanupError(str(exc))
    return InputError(str(exc), exc.excerpt if isinstance(exc, SparqlSyntaxError) else "")


Root = Callable[[], Path]
"""Where a command takes its default paths from: the project (layout.project, NoProject outside one), or for
``build`` the project or else the current directory (layout.workspace)."""


shapes_option = click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    default=layout.shapes,
    show_default="shapes/wcokg-shapes.ttl of the project, else the shapes shipped with wcokg",
    help="SHACL shapes (Turtle) the graph must conform to.",
)


def _folder_option(name: str, dest: str, folder: Callable[[Path], Path], help: str):
    """An option naming a folder of the project (``--edits``, ``--releases``, ``--out``); called with a ``root``,
    its default is ``folder(root())``."""

    def option(root: Root = layout.project):
        return click.option(
            name,
            dest,
            type=click.Path(file_okay=False, path_type=Path),
            default=lambda: folder(root()),
            show_default=f"{folder(Path())}/ of the project",
            help=help,
        )

    return option


edits_option = _folder_option(
    "--edits", "edits_dir", layout.edits, "The edit log: reviewed SPARQL Update files, replayed in order."
)
releases_option = _folder_option(
    "--releases", "releases_dir", layout.releases, "Where releases are kept (each a frozen snapshot and its changes)."
)
out_option = _folder_option("--out", "out_dir", layout.output, "Directory of the published files.")


def source_option(help: str, root: Root = layout.project):
    """``--source``: a document (NAME.txt, its claims file beside it) or a folder of them; by default every
    document in the ``sources/`` of ``root()``."""
    return click.option(
        "--source",
        type=click.Path(path_type=Path),
        default=lambda: layout.sources(root()),
        show_default=SOURCE_DEFAULT,
        help=help,
    )


ontology_option = click.option(
    "--ontology",
    type=click.Path(path_type=Path),
    default=layout.ontology,
    show_default="ontology/wcokg.ttl of the project, else the ontology shipped with wcokg",
    help="The OWL ontology (Turtle), published as it is and used for the class hierarchy.",
)


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for another writer of --out to finish before giving up (exit 2).",
)


memory_option = click.option(
    "--memory",
    type=click.IntRange(min=64),
    default=2048,
    show_default=True,
    help="Megabytes of memory a query may use beyond the loaded data; past it the query is stopped (exit 2).",
)


query_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=QUERY_TIMEOUT,
    show_default=True,
    help="Seconds before a query is stopped.",
)


def budget_option(
    name: str, text: str = "Largest input file, in bytes; a larger one is refused before it is read.", most=None
):
    """``--max-bytes``, ``--max-literal`` or ``--max-depth``: a budget of each input file (see wcokg.budgets), at
    most ``most``."""
    default = getattr(DEFAULT_BUDGETS, name)
    option = f"--{name.replace('_', '-')}"
    return click.option(option, name, type=click.IntRange(1, most), default=default, show_default=True, help=text)


def timeout_option(default: float, help: str, name: str = "--timeout"):
    """A limit in wall seconds: a command's ``--timeout`` (its budget limits memory too, see wcokg.limits.budget)
    or one of the server's (``--update-timeout``, ``--header-timeout``, ``--body-timeout``)."""
    if name == "--timeout":
        help += f" Past it, or past {MEMORY_LIMIT // 2**20} MiB of address space, the command stops: exit 2."
    return click.option(name, type=click.FloatRange(min=0.001), default=default, show_default=True, help=help)


report_option = click.option(
    "--format",
    "fmt",
    type=LazyChoice("wcokg.check.report", "REPORT_FORMATS"),
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
        except WcoKgError as exc:  # a default the command could not take (NoProject), before the command ran
            raise input_error(exc) from None
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
    """Publish documents as a knowledge graph, with the words of the source as evidence for every fact.

    The project is the nearest folder, from the current directory up, that holds sources/ (`wcokg init DIR`
    makes one), or the current directory where `wcokg build` built the example shipped with wcokg; its edits/,
    releases/ and output/ are the defaults, and its ontology/ and shapes/ where it has them.
    """
    quiet(debug)


LIBRARIES = ("rdflib", "pyshacl")
"""The libraries whose warnings wcokg says in its own words (an ill-typed literal such as "<a"^^rdf:XMLLiteral is
judged by the shapes, not by rdflib's logged traceback on stderr)."""


def quiet(debug: bool) -> None:
    """Every command's logging: the libraries' warnings only with --debug (their errors always)."""
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.ERROR)


def today() -> str:
    """Today's date in UTC, YYYY-MM-DD."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).date().isoformat()


def tell(message: str) -> None:
    click.echo(f"wcokg: {message}", err=True)
