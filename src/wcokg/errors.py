"""The exceptions wcokg raises for input it cannot use; each prints as one line naming file and cause."""

from __future__ import annotations

import copyreg
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WcoKgError(Exception):
    """Base class: an error the user can fix (bad input, bad option), not a bug."""

    def __reduce__(self):  # sent back by a worker process: rebuilt with its fields, not by calling __init__ again
        return copyreg.__newobj__, (type(self), *self.args), self.__dict__


class LocatedError(WcoKgError):
    """An error at a place in a file; prints as ``path:line: message`` (``path: message`` where no line applies)."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class SourceError(LocatedError):
    """The source document cannot be read, or has text that is not accounted for."""


class ClaimsError(LocatedError):
    """A claims file cannot be read, or a claim does not hold against its source, the vocabularies or the shapes."""


class EditLogError(LocatedError):
    """An edit of the log cannot be read, or no longer applies to the source or no longer conforms."""


class RdfFileError(WcoKgError):
    """A Turtle file of the project (ontology, shapes) is missing or malformed.

    Prints as ``path:line:column: message``.
    """

    def __init__(self, path: str | Path, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = ":".join(str(part) for part in (path, line, column) if part)
        super().__init__(f"{where}: {message}")


class InputFileError(RdfFileError):
    """An input file refused before it is read: not a regular file (a FIFO, a device, a socket, a directory,
    which could block or never end), or over its size budget. Prints as ``path: message``."""

    def __init__(self, path: str | Path, message: str):
        super().__init__(path, None, None, message)


class EvidenceError(WcoKgError):
    """A fact's evidence quote does not match the accepted text of the source."""


class NothingToValidate(WcoKgError):
    """The files to validate hold no resource of the ontology's classes (an empty or unrelated file)."""


class OptionError(WcoKgError):
    """An option has a value wcokg cannot use (for example a --base that is not an http(s) IRI)."""


class NoProject(WcoKgError):
    """A command that takes a path from the project (its sources/, edits/, releases/, output/) run outside any: no
    sources/ in the current directory or above, no output/ built in it (see wcokg.layout)."""

    def __init__(self) -> None:
        super().__init__(
            "no wcokg project here or above (no sources/, no output/): `wcokg init DIR` makes one; "
            "`wcokg build` here builds the example shipped with wcokg"
        )


class QueryError(WcoKgError):
    """A SPARQL query that is malformed or asks for something refused (SERVICE, an outside FROM graph)."""


class SparqlSyntaxError(QueryError):
    """A query or update SPARQL cannot read. Prints as ``name:line:column: message``; :attr:`excerpt` is the
    source line with a caret under the token (continuation lines of the CLI's error)."""

    def __init__(self, name: str, line: int, column: int, message: str, source_line: str = ""):
        self.name, self.line, self.column, self.message = name, line, column, message
        self.source_line = source_line
        super().__init__(f"{name}:{line}:{column}: {message}")

    @property
    def excerpt(self) -> str:
        """The source line (at most 80 characters around the column) and a caret line under the column."""
        line, column = self.source_line.expandtabs(1), self.column
        if len(line) > 80:
            start = max(0, min(column - 40, len(line) - 80))
            line = ("…" if start else "") + line[start : start + 80] + ("…" if start + 80 < len(line) else "")
            column -= start - (1 if start else 0)
        return f"{line}\n{' ' * (column - 1)}^"


class QueryTimeout(WcoKgError):
    """A query that did not finish within its time limit; it was stopped."""


class OutOfMemory(QueryError):
    """A worker (a query's, an update's) that needed more memory than its limit; it was stopped."""


class BudgetExceeded(WcoKgError):
    """A command that ran past its time or memory limit; it was stopped and wrote nothing."""


class ProcessDied(WcoKgError):
    """A process forked to do part of a command's work died before it finished (a crash, a signal)."""


class PublishError(WcoKgError):
    """The output directory cannot be published now: another writer holds it, or it changed since it was read."""


class CleanupFailed(WcoKgError):
    """A publication whose commit record was written (the commit point), then a later step failed: it is
    published, and the next writer of the output finishes what is left."""


@contextmanager
def naming(path: str | Path) -> Iterator[None]:
    """Inside, an OSError that names no file names ``path``: the system names none for a write, flush or fsync on
    a descriptor (a full disk said only "No space left on device")."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise
