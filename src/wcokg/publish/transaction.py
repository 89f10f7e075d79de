"""Publish the output directory as one transaction: a lock, a complete new generation, one atomic switch.

A writer holds ``.<out>.lock`` (beside the output directory) from before it reads until it has published. It
writes the new generation into ``.<out>.next`` (every file fsynced, ``manifest.json`` last), checks that the
output and the edit log are still what it read, records its intent in ``.<out>.commit`` (the commit point),
moves its new log entry into place and swaps ``.<out>.next`` with the output directory in one
``renameat2(RENAME_EXCHANGE)``. The generation it replaced stays as ``.<out>.prev`` for readers still on it.
The next writer's recovery finishes a recorded commit, or removes whatever an interrupted one left behind.
Readers (:func:`read_generation`) read one generation, checked against its manifest.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..budgets import open_input, read_input
from ..edit import log as editlog
from ..errors import CleanupFailed, PublishError, RdfFileError, naming

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_READ_ATTEMPTS = 20


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(
    files: dict[str, bytes],
    sources: list[dict[str, str]],
    edits: Iterable[tuple[str, str]],
    version: str,
    releases: str | None = None,
) -> bytes:
    """The generation's manifest: every file's size and digest, and what it was built from: the sources and
    their claims files, the edit log, the release index (its sha256) and the software version."""
    manifest = {
        "edits": [{"name": name, "sha256": digest} for name, digest in edits],
        "files": {name: {"bytes": len(data), "sha256": sha256(data)} for name, data in sorted(files.items())},
        "releases": releases,
        "sources": sources,
        "wcokg": version,
    }
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class State:
    """What a writer read: the digest of the output's manifest (None: none yet) and the log's (name, sha256)."""

    output: str | None
    log: tuple[tuple[str, str], ...]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with naming(path):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write(path: Path, data: bytes) -> None:
    with naming(path), open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write one file whole or not at all: a temporary file beside it, fsynced, then renamed over it."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.unlink(missing_ok=True)
        _write(temp, data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically; False where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _digest(path: Path) -> str | None:
    try:
        return sha256((path / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None


def _holds(path: Path, digest: str) -> bool:
    """Whether ``path`` is the generation whose manifest has ``digest``, whole: its manifest, and every file the
    manifest lists at the size it lists (a file deleted by hand is not taken as published)."""
    if _digest(path) != digest:
        return False
    listed = json.loads((path / MANIFEST).read_bytes())["files"]
    try:
        return all((path / name).stat().st_size == entry["bytes"] for name, entry in listed.items())
    except FileNotFoundError:
        return False


class Publication:
    """The output directory (and the edit log beside it) held by one writer, published all at once.

    Use as a context manager: entering takes the lock (waiting up to ``wait`` seconds, after telling ``tell``
    why), recovers from an interrupted writer (telling ``tell`` what it rolled forward) and records the state
    read; :meth:`commit` publishes.
    """

    def __init__(
        self,
        out_dir: str | Path,
        edits_dir: str | Path | None = None,
        wait: float = 0.0,
        tell: Callable[[str], None] | None = None,
    ):
        self.given = Path(out_dir)
        self.out = self.given.absolute()
        self.edits = Path(edits_dir).absolute() if edits_dir is not None else None
        self.wait, self.tell = wait, tell
        parent, name = self.out.parent, self.out.name
        self.lock_path = parent / f".{name}.lock"
        self.next = parent / f".{name}.next"
        self.prev = parent / f".{name}.prev"
        self.journal = parent / f".{name}.commit"
        self._fd: int | None = None
        self.state = State(None, ())

    def __enter__(self) -> Publication:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._lock()
            self.recover()
            self.state = self.read_state()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None

    def _lock(self) -> None:
        assert self._fd is not None
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(self._fd, 32, 0).decode("ascii", "replace").strip() or "?"
                message = f"another update of {self.out} is running (pid {holder})"
                if time.monotonic() >= deadline:
                    raise PublishError(f"{message}; nothing written, try again when it has finished") from None
                if not told and self.tell:
                    self.tell(f"{message}; waiting up to {self.wait:g} s")
                    told = True
                time.sleep(0.05)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)

    def read_state(self) -> State:
        return State(_digest(self.out), editlog.listing(self.edits) if self.edits else ())

    def _entry_temp(self, name: str) -> Path:
        assert self.edits is not None
        return self.edits / f".{name}.tmp"

    def recover(self) -> None:
        """Finish a commit that was recorded, or remove what an interrupted writer left half-written."""
        if self.journal.exists():
            intent = json.loads(self.journal.read_text(encoding="utf-8"))
            self._finish(intent)
            if self.tell:
                what = intent["entry"] or f"{self.given} (manifest sha256 {intent['manifest'][:12]}…)"
                self.tell(f"recovered: rolled forward the publication of {what} left unfinished by an earlier writer")
            return
        shutil.rmtree(self.next, ignore_errors=True)
        self.journal.with_suffix(".tmp").unlink(missing_ok=True)
        if self.edits is not None and self.edits.is_dir():
            for stray in self.edits.glob(".*.tmp"):
                stray.unlink()

    def commit(self, files: dict[str, bytes], entry: tuple[str, bytes] | None = None) -> list[Path]:
        """Publish ``files`` (``manifest.json`` among them) as the new generation, and ``entry`` (name, bytes)
        as a new file of the edit log, together.

        The commit point is the commit record: a failure before it publishes nothing, a failure after it
        leaves the rest to the next writer's recovery.

        Raises:
            PublishError: the output or the log changed since the state was read; nothing was published.
            OSError: a system error before the commit point; nothing was published.
            CleanupFailed: a system error after the commit point; published.
        """
        try:
            self._stage(files, entry)
        except BaseException:
            self.recover()  # no commit was recorded: this removes what was staged
            raise
        if self.read_state() != self.state:
            self.recover()
            raise PublishError(
                f"{self.out} or its edit log changed while this update ran (a writer that did not take the lock?); "
                "nothing written, run again"
            )
        intent = {"entry": entry[0] if entry else None, "manifest": sha256(files[MANIFEST])}
        pending = self.journal.with_suffix(".tmp")
        try:
            pending.unlink(missing_ok=True)
            _write(pending, json.dumps(intent, sort_keys=True).encode())
            os.replace(pending, self.journal)
        except BaseException:
            if not self.journal.exists():  # not recorded: this removes what was staged
                self.recover()
                raise
        try:
            _fsync_dir(self.journal.parent)
            self._finish(intent)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise CleanupFailed(
                f"published; cleaning up failed: {where}{exc.strerror or exc}; the next writer of {self.given} "
                "(wcokg build, update --apply, release) finishes it"
            ) from None
        return [self.given / name for name in files]

    def _stage(self, files: dict[str, bytes], entry: tuple[str, bytes] | None) -> None:
        """Write the new generation (manifest last) and the new log entry under temporary names, fsynced."""
        shutil.rmtree(self.next, ignore_errors=True)
        self.next.mkdir()
        for name, data in sorted(files.items(), key=lambda item: item[0] == MANIFEST):
            _write(self.next / name, data)
        _fsync_dir(self.next)
        if entry is not None:
            assert self.edits is not None
            self.edits.mkdir(parents=True, exist_ok=True)
            _write(self._entry_temp(entry[0]), entry[1])

    def _finish(self, intent: dict[str, str | None]) -> None:
        """Roll a recorded commit forward; safe to run again after an interruption at any point."""
        if intent["entry"] is not None:
            temp = self._entry_temp(intent["entry"])
            if temp.exists():
                os.replace(temp, temp.parent / intent["entry"])
                _fsync_dir(temp.parent)
        if not _holds(self.out, intent["manifest"]):
            if not _holds(self.next, intent["manifest"]):
                raise PublishError(f"{self.journal}: the generation it records is missing; restore {self.out} by hand")
            if not self.out.exists():
                os.rename(self.next, self.out)
            elif not _exchange(self.next, self.out):
                shutil.rmtree(self.prev, ignore_errors=True)
                os.rename(self.out, self.prev)
                os.rename(self.next, self.out)
            _fsync_dir(self.out.parent)
        if self.next.exists():
            shutil.rmtree(self.prev, ignore_errors=True)
            os.rename(self.next, self.prev)
        self.journal.unlink()
        _fsync_dir(self.out.parent)


@contextmanager
def open_generation(out_dir: str | Path, names: Iterable[str]) -> Iterator[dict[str, BinaryIO]]:
    """Open files of ``out_dir`` to be read as streams, all from one generation: they are opened through one
    handle on the directory, and a published generation never changes.

    Raises:
        RdfFileError: a missing directory or file.
    """
    out = Path(out_dir)
    fd = _open_directory(out)
    streams: dict[str, BinaryIO] = {}
    try:
        for name in names:
            try:
                streams[name] = open_input(name, dir_fd=fd, shown=out / name)
            except FileNotFoundError:
                raise RdfFileError(out / name, None, None, "no such file: run `wcokg build` first") from None
        yield streams
    finally:
        os.close(fd)
        for stream in streams.values():
            stream.close()


def _open_directory(out: Path) -> int:
    try:
        return os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise RdfFileError(out, None, None, "no such directory: run `wcokg build` first") from None
    except OSError as exc:
        raise RdfFileError(out, None, None, f"cannot read the directory: {exc.strerror or exc}") from None


def read_generation(out_dir: str | Path, names: Iterable[str] | None = None) -> dict[str, bytes]:
    """The files of one complete generation of ``out_dir`` (all, the manifest included, or ``names``), checked
    against its manifest.

    A writer may switch generations while this reads; then it reads again. A directory without a manifest
    (not written by wcokg) is read as it is, ``names`` only.

    Raises:
        RdfFileError: a missing directory or file.
        PublishError: the directory kept changing while it was read.
    """
    out = Path(out_dir)
    wanted = list(names) if names is not None else None
    for attempt in range(_READ_ATTEMPTS):
        try:
            return _read_once(out, wanted)
        except _Changed as changed:
            culprit = changed.args[0] if changed.args else None
            time.sleep(0.01 * attempt)
    if culprit:
        raise PublishError(f"{out / culprit} is not the file {MANIFEST} lists (edited by hand?): run `wcokg build`")
    raise PublishError(f"{out}: changed {_READ_ATTEMPTS} times while it was read")


class _Changed(Exception):
    """The generation being read was replaced under the reader."""


def _read_once(out: Path, wanted: list[str] | None) -> dict[str, bytes]:
    fd = _open_directory(out)

    def read(name: str) -> bytes:
        return read_input(name, dir_fd=fd, shown=out / name)

    try:
        try:
            manifest = read(MANIFEST)
            listed = json.loads(manifest)["files"]
        except FileNotFoundError:
            listed = None
        if listed is None:
            if wanted is None:
                raise RdfFileError(out, None, None, f"no {MANIFEST}: not a directory published by wcokg")
            files = {}
            for name in wanted:
                try:
                    files[name] = read(name)
                except FileNotFoundError:
                    raise RdfFileError(out / name, None, None, "no such file: run `wcokg build` first") from None
            return files
        files = {}
        for name in wanted if wanted is not None else [*sorted(listed), MANIFEST]:
            if name == MANIFEST:
                files[name] = manifest
                continue
            if name not in listed:
                raise RdfFileError(out / name, None, None, f"not a file of this generation ({MANIFEST})")
            try:
                data = read(name)
            except FileNotFoundError:
                raise _Changed from None
            if sha256(data) != listed[name]["sha256"]:
                raise _Changed(name)
            files[name] = data
        return files
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        raise _Changed from None
    finally:
        os.close(fd)
