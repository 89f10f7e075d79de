"""Work spread over the CPU cores: forked processes (sharing what the caller has loaded, page by page) and the
caller's own each take the next piece as they become free. An error met in a forked process is raised in the
caller as it was raised there; no forked process outlives the call, however it ends (an error, Ctrl-C, a time
limit; only a parent killed outright leaves them to finish their shares)."""

from __future__ import annotations

import os
import pickle
import signal
import struct
from collections.abc import Callable

from .errors import ProcessDied

_NUMBER = struct.Struct("=I")
_MOST_SHARES = 1024
"""The most shares of work queued: their numbers (4 bytes each) fit a pipe's smallest buffer, one page, so that
queuing them never blocks."""
_DONE = b"done"
"""What a forked process reports when its work is done (an error is reported pickled, which this is not)."""


def cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0))


def spread(count: int, work: Callable[[int], None], first: Callable[[], None], processes: int | None = None) -> None:
    """Call ``work(i)`` for every ``i`` in ``range(count)``, spread over ``processes`` (by default :func:`cores`):
    processes forked now, and this one once it has called ``first()`` (what only it may do).

    Raises:
        BaseException: the error ``first`` or a ``work`` raised (this process's own first; of the forked ones',
            the first forked's), the others stopped; one that could not be sent back as a RuntimeError naming it.
        ProcessDied: a forked process died before it finished (a crash, a signal).
    """
    size = -(-count // _MOST_SHARES) or 1
    shares = -(-count // size)
    queue, queued = os.pipe()
    os.write(queued, b"".join(_NUMBER.pack(share) for share in range(shares)))
    os.close(queued)

    def take() -> None:
        while share := os.read(queue, _NUMBER.size):
            start = _NUMBER.unpack(share)[0] * size
            for index in range(start, min(start + size, count)):
                work(index)

    children: dict[int, int] = {}  # pid → the read end of the pipe it reports on
    try:
        for _ in range(min(processes or cores(), shares) - 1):
            pid, report = _fork(take)
            children[pid] = report
        first()
        take()
        for pid, report in list(children.items()):
            said = _read_all(report)
            _, status = os.waitpid(pid, 0)
            os.close(children.pop(pid))
            if said != _DONE:
                raise _error(said, status)
    finally:
        os.close(queue)
        for pid, report in children.items():
            _stop(pid, report)


def _fork(run: Callable[[], None]) -> tuple[int, int]:
    """Fork a process that calls ``run()`` and reports how it ended on a pipe: (its pid, the pipe's read end)."""
    report, reporting = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the forked process: never returns to the caller's code
        try:
            os.close(report)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this one
            try:
                run()
                said = _DONE
            except BaseException as exc:  # sent to the parent, which raises it
                said = _pickled(exc)
            if os.getppid() == parent:
                write_all(reporting, said)
        finally:
            os._exit(0)
    os.close(reporting)
    return pid, report


def _pickled(exc: BaseException) -> bytes:
    """``exc`` pickled, or a RuntimeError naming it where it cannot be rebuilt from its pickle."""
    try:
        data = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the file descriptor ``fd`` (os.write may write part of it: a pipe's buffer)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _error(said: bytes, status: int) -> BaseException:
    """The error a forked process reported (``said``), or :class:`ProcessDied` when it reported nothing."""
    if said:
        return pickle.loads(said)
    how = f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
    return ProcessDied(f"a process doing part of the work died ({how})")


def kill(pid: int) -> int:
    """Kill process ``pid`` (forked by this one) if it still runs, and wait for it: how it ended, as ``waitpid``
    gives it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return os.waitpid(pid, 0)[1]


def _stop(pid: int, report: int) -> None:
    """Kill a forked process, wait for it to end, and close its pipe."""
    try:
        kill(pid)
    except ChildProcessError:  # it was waited for, just before an interruption
        pass
    os.close(report)
