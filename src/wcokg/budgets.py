"""Input budgets checked before any parser sees the bytes: file size, longest literal or IRI, nesting depth.

pyoxigraph's JSON-LD parser recurses (3,500 levels crash the process), its tokens stop at 16 MiB (a
MemoryError), and rdflib reads neither RDF 1.2 triple terms nor directional language tags: one linear scan
of the tokens (strings, IRIs, comments, brackets) finds each of these with its line and column.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputFileError, OptionError, RdfFileError

DEPTH_CEILING = 500
"""Highest ``max_depth`` allowed: pyoxigraph's JSON-LD parser overflows its stack from about 3,250 nested objects
(SIGSEGV), Python's json module and the JSON-LD pointers of a report give up near 1,000 (RecursionError)."""


@dataclass(frozen=True)
class Budgets:
    """The limits an RDF input must keep (the defaults are the options' defaults).

    Raises:
        OptionError: a ``max_depth`` over :data:`DEPTH_CEILING`.
    """

    max_bytes: int = 256 << 20
    max_literal: int = 4 << 20
    max_depth: int = 100

    def __post_init__(self) -> None:
        if self.max_depth > DEPTH_CEILING:
            raise OptionError(f"--max-depth {self.max_depth} is over {DEPTH_CEILING}, the most the parsers survive")


DEFAULT = Budgets()

_TURTLE = re.compile(
    rb'(?P<string>"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"'
    rb"|'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*')"
    rb"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    rb"|(?P<language>@[A-Za-z][A-Za-z0-9-]*)"
    rb"|(?P<open>[\[({]|<<)|(?P<close>[\])}]|>>)"
    rb"|#[^\r\n]*|\\."
)
_JSON = re.compile(
    rb'(?P<direction>"@direction"\s*:)'
    rb'|(?P<string>"[^"\\]*(?:\\.[^"\\]*)*")'
    rb"|(?P<open>[\[{])|(?P<close>[\]}])"
)


def check_budgets(data: bytes, path: str | Path, syntax: str, budgets: Budgets = DEFAULT, options: bool = True) -> None:
    """Refuse ``data`` (an RDF file of ``syntax``) that exceeds a budget or uses RDF 1.2 syntax wcokg cannot hold.

    Raises:
        RdfFileError: the first offence, with its line and column, and (with ``options``) the option that sets the
            limit: a server's budgets have none to name.

    >>> check_budgets(b'{"a": [[[1]]]}', "x.jsonld", "jsonld", Budgets(max_depth=3))
    Traceback (most recent call last):
    wcokg.errors.RdfFileError: x.jsonld:1:9: nested deeper than 3 levels (--max-depth)
    """
    check_size(len(data), path, budgets, "--max-bytes" if options else None)
    if syntax in ("ntriples", "nquads") and _plain_lines(data, budgets):
        return
    depth = 0
    for token in (_JSON if syntax == "jsonld" else _TURTLE).finditer(data):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            if token.group() == b"<<":
                _fail(data, token.start(), path, "RDF 1.2 triple terms (<< >>) are not supported")
            if depth > budgets.max_depth:
                hint = " (--max-depth)" if options else ""
                _fail(data, token.start(), path, f"nested deeper than {budgets.max_depth} levels{hint}")
        elif kind == "close":
            depth -= 1
        elif kind in ("string", "iri") and token.end() - token.start() - 2 > budgets.max_literal:
            limit = f"{budgets.max_literal}-byte limit" + (" (--max-literal)" if options else "")
            _fail(data, token.start(), path, f"a {kind} of {token.end() - token.start() - 2} bytes, over the {limit}")
        elif kind == "language" and b"--" in token.group():
            _fail(data, token.start(), path, "directional language tags (RDF 1.2, @ar--rtl) are not supported")
        elif kind == "direction":
            _fail(data, token.start(), path, "JSON-LD @direction (RDF 1.2 directional text) is not supported")


def _plain_lines(data: bytes, budgets: Budgets) -> bool:
    """Whether N-Triples or N-Quads ``data`` has nothing the token scan refuses, seen at C speed (the scan is a
    Python step per term: 2 s at 10^6 triples): no triple term (``<<``), no directional tag (``--``), and no
    line that could hold a token over the limit (a token never spans lines; every run of ``max_literal`` bytes
    holds a whole aligned block of half that, which would then have no newline)."""
    if b"<<" in data or b"--" in data:
        return False
    half = max(budgets.max_literal // 2, 1)
    return all(data.find(b"\n", start, start + half) != -1 for start in range(0, len(data), half))


def check_size(size: int, path: str | Path, budgets: Budgets = DEFAULT, option: str | None = "--max-bytes") -> None:
    """Refuse a file of ``size`` bytes over ``budgets.max_bytes`` (checked before it is read, when it can be), naming
    the ``option`` that sets it (none named where there is none)."""
    if size > budgets.max_bytes:
        hint = f" ({option})" if option else ""
        raise InputFileError(path, f"{size} bytes, over the {budgets.max_bytes}-byte limit{hint}")


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


def open_input(
    path: str | Path,
    budgets: Budgets = DEFAULT,
    dir_fd: int | None = None,
    option: str = "--max-bytes",
    shown: str | Path | None = None,
) -> BinaryIO:
    """Open an input file (``path`` relative to ``dir_fd`` if given) to be read, once it is known to be a regular
    file within ``budgets.max_bytes``: every file wcokg reads is opened here. The open never blocks (a FIFO would
    wait for a writer) and the checks are made on the open file, so it cannot be swapped between check and read.

    Raises:
        InputFileError: a FIFO, device, socket or directory, or a file over the size budget (``option`` sets it);
            named as ``shown`` (by default ``path``).
        OSError: the file cannot be opened (missing, not permitted).
    """
    shown = path if shown is None else shown
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a device without its driver) cannot be opened at all
            raise InputFileError(shown, f"not a regular file ({_kind(os.stat(path, dir_fd=dir_fd).st_mode)})") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(shown, f"not a regular file ({_kind(info.st_mode)})")
        check_size(info.st_size, shown, budgets, option)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_input(
    path: str | Path,
    budgets: Budgets = DEFAULT,
    dir_fd: int | None = None,
    option: str = "--max-bytes",
    shown: str | Path | None = None,
) -> bytes:
    """The bytes of an input file opened by :func:`open_input`, never more than the size budget (a file that grows
    while it is read is refused too).

    >>> read_input("/dev/zero")
    Traceback (most recent call last):
    wcokg.errors.InputFileError: /dev/zero: not a regular file (a character device)
    """
    with open_input(path, budgets, dir_fd, option, shown) as stream:
        data = stream.read(budgets.max_bytes + 1)
    check_size(len(data), path if shown is None else shown, budgets, option)
    return data


BOM = b"\xef\xbb\xbf"


def without_bom(data: bytes) -> bytes:
    """The bytes of a text input (RDF, SPARQL, a patch) without a UTF-8 byte-order mark at the start, skipped as
    the standards' readers skip it (lines and columns are counted after it).

    >>> without_bom(BOM + b"<a> <b> <c> .")
    b'<a> <b> <c> .'
    """
    return data[len(BOM) :] if data.startswith(BOM) else data


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a file")


def place(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, the column counted in characters.

    >>> place("x é?".encode(), 4)  # é is two bytes, one character
    (1, 4)
    """
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _fail(data: bytes, offset: int, path: str | Path, message: str) -> None:
    raise RdfFileError(path, *place(data, offset), message)
