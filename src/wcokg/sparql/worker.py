"""Forked workers that answer queries over the store they inherit: a time limit, a memory limit, no network.

A worker is forked after the data is loaded, so it shares the parent's store page by page (copy-on-write)
instead of loading it again. It answers requests one at a time until it is stopped; a worker that runs out
of time or memory, or that the engine crashes, is killed and a fresh one forked in its place. The server's
updates run in such workers too, one forked for each, whose time limit ends when they :func:`confirm`.
"""

from __future__ import annotations

import asyncio
import faulthandler
import os
import pickle
import queue
import re
import resource
import select
import signal
import stat
import struct
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import OutOfMemory, QueryError, QueryTimeout, SparqlSyntaxError
from ..parallel import write_all

_LOOPBACK = ("127.", "localhost", "::1")
_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 16
"""Bytes an event loop reads from a worker's pipe at a time: a pipe's buffer (1 MiB, above malloc's mmap
threshold, cost an mmap and a munmap a read)."""
_OPEN: set[int] = set()
"""The pipe ends of every live worker of this process: a new worker closes those of its siblings, so that each
worker sees the end of its requests when its parent goes away."""
_PARENT: tuple[int, int] = (-1, -1)
"""In a worker: the ends of its pipes (requests, answers), for :func:`confirm`."""


def _refuse_network(event: str, args: tuple) -> None:
    """Audit hook of the workers: no connection from Python code leaves the machine, whatever the engine tries."""
    if event == "socket.connect" and len(args) > 1:
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if not (isinstance(host, str) and host.startswith(_LOOPBACK)):
            raise OSError(f"network access refused: {address!r}")
    elif event == "urllib.Request":
        raise OSError(f"network access refused: {args[0]!r}")


def _send(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_all(fd, _HEADER.pack(len(data)) + data)


def _receive(fd: int) -> Any:
    """One message, or EOFError when the other side is gone."""
    header = _read_exactly(fd, _HEADER.size)
    return pickle.loads(_read_exactly(fd, _HEADER.unpack(header)[0]))


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def stopped(timeout: float) -> str:
    """The one line that reports a query stopped for time."""
    return f"query stopped after {timeout:g} s (raise --timeout to allow more)"


def busy(timeout: float) -> str:
    """The one line that reports a query stopped for time before any worker was free."""
    return f"query stopped after {timeout:g} s waiting for a free worker (the server is busy)"


def out_of_memory(memory: int) -> str:
    """The one line that reports a query stopped for memory."""
    return f"query stopped: it needed more than {memory >> 20} MB of memory (raise --memory to allow more)"


def _peak() -> int:
    """Bytes of address space this process has held at most."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) << 10 for line in status if line.startswith("VmPeak:"))


def exhausted() -> bool:
    """In a worker: whether it has run up against its memory limit (its peak address space within 2 MiB of it).

    An allocation that fails is not always a MemoryError: C code may report it as a SystemError, a parser as a
    syntax error; after such an error this tells that the limit was the cause.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY and _peak() > soft - (2 << 20)


def _address_space() -> int:
    """Bytes of address space this process holds now."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


class Worker:
    """One forked process running ``handle(request)`` for each request it is sent.

    Args:
        handle: what the worker does with a request; its return value (picklable) is the answer.
        memory: bytes of address space the worker may add to what it inherits (``None``: no limit).
        name: what the worker runs, as its errors name it ("query", "update").
    """

    def __init__(self, handle: Callable[[Any], Any], memory: int | None, name: str = "query") -> None:
        requests_read, self._requests = os.pipe()
        self._answers, answers_write = os.pipe()
        self._stderr = tempfile.TemporaryFile()  # what the engine says as it dies (a panic, a failed allocation)
        self.memory, self.name = memory, name
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns to the caller's code
            try:
                for fd in (self._requests, self._answers, *_OPEN):
                    os.close(fd)
                _release_sockets()
                os.dup2(self._stderr.fileno(), 2)
                _serve(handle, requests_read, answers_write, memory)
            finally:
                os._exit(70)
        os.close(requests_read)
        os.close(answers_write)
        _OPEN.update((self._requests, self._answers))

    def call(self, request: Any, timeout: float) -> Any:
        """The worker's answer to ``request`` within ``timeout`` seconds (the time limit ends when the handler
        calls :func:`confirm` in time).

        Raises:
            QueryTimeout: no answer in time; the worker was killed.
            OutOfMemory: the worker ran out of its memory; it was killed.
            QueryError: the handler raised (its message is kept), or the worker died (a crash).
        """
        deadline: float | None = time.monotonic() + timeout
        try:
            _send(self._requests, request)
            ready = select.poll()
            ready.register(self._answers, select.POLLIN)
            while True:
                if not ready.poll(None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000):
                    self.stop()
                    raise QueryTimeout(stopped(timeout))
                status, payload = _receive(self._answers)
                if status != "confirm":
                    break
                _send(self._requests, "go")  # confirmed in time: no time limit from here on
                deadline = None
        except (EOFError, BrokenPipeError):
            raise self._death() from None
        return self._outcome(status, payload)

    async def call_async(self, request: Any, timeout: float) -> Any:
        """:meth:`call` from an event loop: the answer is read as it arrives (``add_reader``), no thread waits.
        A call cancelled while the worker answers stops the worker (its answer would be the next call's)."""
        loop = asyncio.get_running_loop()
        deadline: float | None = loop.time() + timeout
        try:
            _send(self._requests, request)
            while True:
                message = await self._message(loop, deadline)
                if message is None:
                    self.stop()
                    raise QueryTimeout(stopped(timeout))
                status, payload = pickle.loads(message)
                if status != "confirm":
                    break
                _send(self._requests, "go")
                deadline = None
        except (EOFError, BrokenPipeError):
            raise self._death() from None
        except BaseException:
            self.stop()
            raise
        return self._outcome(status, payload)

    async def _message(self, loop: asyncio.AbstractEventLoop, deadline: float | None) -> bytes | None:
        """The next message's bytes, read from the answers pipe as they arrive; None at ``deadline``.

        Raises:
            EOFError: the worker is gone.
        """
        future: asyncio.Future[bytes | None] = loop.create_future()
        received = bytearray()

        def readable() -> None:
            if future.done():
                return
            chunk = os.read(self._answers, _CHUNK)
            if not chunk:
                future.set_exception(EOFError())
                return
            received.extend(chunk)
            if len(received) >= _HEADER.size:
                size = _HEADER.size + _HEADER.unpack_from(received)[0]
                if len(received) >= size:  # one message at a time: the worker waits for the next request
                    future.set_result(bytes(received[_HEADER.size : size]))

        fd = self._answers
        loop.add_reader(fd, readable)
        timer = None if deadline is None else loop.call_at(deadline, lambda: future.done() or future.set_result(None))
        try:
            return await future
        finally:
            loop.remove_reader(fd)
            if timer is not None:
                timer.cancel()

    def _outcome(self, status: str, payload: Any) -> Any:
        """The answer a worker's (status, payload) message gives, or the error it raises."""
        if status == "ok":
            return payload
        if status == "syntax":
            raise payload
        if status != "error":
            self.stop()
        raise (OutOfMemory if status == "memory" else QueryError)(payload)

    def _death(self) -> QueryError:
        """Why the worker died, in one line, from how it ended and what the engine wrote as it died."""
        _, code = os.waitpid(self.pid, 0)
        self.pid = 0
        self._stderr.seek(0)
        said = self._stderr.read(1 << 16).decode("utf-8", "replace")
        if self.memory is not None and (
            "memory allocation of" in said or (os.WIFSIGNALED(code) and os.WTERMSIG(code) == signal.SIGKILL)
        ):
            # the engine aborts when an allocation fails; the kernel kills
            return OutOfMemory(out_of_memory(self.memory))
        panic = re.search(r"panicked at [^\n]*\n([^\n]+)", said)
        reason = f" (the engine panicked: {panic[1].strip()})" if panic else ""
        return QueryError(f"the {self.name} engine crashed on this {self.name}{reason}")

    def __del__(self) -> None:
        if hasattr(self, "pid"):  # forked: a worker nothing refers to any more is stopped, not left waiting
            self.stop()

    @property
    def alive(self) -> bool:
        return self.pid != 0

    def stop(self) -> None:
        """Kill the worker (if it still runs) and release its pipes."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0
        for fd in (self._requests, self._answers):
            if fd in _OPEN:
                _OPEN.discard(fd)
                os.close(fd)
        self._requests = self._answers = -1  # stopped again (by __del__), it closes nothing: the numbers are reused
        self._stderr.close()


def confirm() -> None:
    """In a worker, before a step that must not be cut short (publishing): ask the parent, which ends the
    request's time limit if it has not passed (else it kills the worker, which then never takes the step)."""
    requests, answers = _PARENT
    _send(answers, ("confirm", None))
    _receive(requests)


def _release_sockets() -> None:
    """In a new worker, point the sockets it inherited (a server's connections) at /dev/null: a connection the
    server closes is then closed, not kept open by the worker. The numbers stay taken, so nothing reuses them."""
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/proc/self/fd"):
        try:
            if stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                os.dup2(null, int(name))
        except OSError:  # the descriptor of the listing itself, closed by now
            pass
    os.close(null)


def _serve(handle: Callable[[Any], Any], requests: int, answers: int, memory: int | None) -> None:
    """The worker's loop: answer each request until the parent closes the pipe."""
    global _PARENT
    code = 0
    _PARENT = (requests, answers)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops its workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.addaudithook(_refuse_network)
        faulthandler.disable()  # a dying engine is reported by the parent in one line, not by a Python dump
        if memory is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory, hard))
        while True:
            try:
                request = _receive(requests)
            except EOFError:
                break
            try:
                answer = ("ok", handle(request))
            except MemoryError:
                answer = ("memory", out_of_memory(memory or 0))
            except SparqlSyntaxError as exc:  # sent whole: the parent shows its line, column and excerpt
                answer = ("syntax", exc)
            except Exception as exc:  # reported to the parent, which raises it as a QueryError
                if memory is not None and exhausted():
                    answer = ("memory", out_of_memory(memory))
                else:
                    answer = ("error", " ".join(str(exc).split()) or type(exc).__name__)
            except BaseException as exc:  # pyo3 turns an engine panic into a BaseException
                answer = ("crashed", "the query engine crashed on this query: " + " ".join(str(exc).split()))
            _send(answers, answer)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


class WorkerPool:
    """``size`` workers forked from this process, reused from one request to the next; one that is stopped is
    replaced by a new fork when next needed."""

    def __init__(self, handle: Callable[[Any], Any], size: int, memory: int | None) -> None:
        self.handle, self.memory = handle, memory
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._waiting: deque[asyncio.Future] = deque()
        """Calls from event loops waiting for a slot, first in line first."""
        self._fork = threading.Lock()
        self.closed = False
        for _ in range(size):  # forked now, before the server starts its threads
            self._idle.put(Worker(handle, memory))

    def call(self, request: Any, timeout: float) -> Any:
        """Like :meth:`Worker.call`, on an idle worker (or a new one); waits while all ``size`` are busy."""
        started = time.monotonic()
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout(busy(timeout))
        try:
            with self._worker() as worker:
                return worker.call(request, max(0.001, timeout - (time.monotonic() - started)))
        except QueryTimeout:
            raise QueryTimeout(stopped(timeout)) from None
        finally:
            self._release()

    async def call_async(self, request: Any, timeout: float) -> Any:
        """:meth:`call` from an event loop, which waits for a free worker and reads its answer: no thread waits."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await self._slot(loop, deadline, timeout)
        try:
            with self._worker() as worker:
                return await worker.call_async(request, max(0.001, deadline - loop.time()))
        except QueryTimeout:
            raise QueryTimeout(stopped(timeout)) from None
        finally:
            self._release()

    async def _slot(self, loop: asyncio.AbstractEventLoop, deadline: float, timeout: float) -> None:
        """Take one of the ``size`` slots, waiting in line on the loop until ``deadline``."""
        while not self._slots.acquire(blocking=False):
            waiter = loop.create_future()
            self._waiting.append(waiter)
            if self._slots.acquire(blocking=False):  # freed meanwhile, with no one in line to wake
                waiter.cancel()
                return
            try:
                await asyncio.wait_for(waiter, deadline - loop.time())
            except TimeoutError:
                raise QueryTimeout(busy(timeout)) from None
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():  # woken, then cancelled: the next in line takes it
                    self._wake_next()
                raise

    def _release(self) -> None:
        self._slots.release()
        self._wake_next()

    def _wake_next(self) -> None:
        """Wake the first call waiting in line for a slot (from any thread: on its own loop)."""
        try:
            waiter = self._waiting.popleft()
        except IndexError:
            return
        waiter.get_loop().call_soon_threadsafe(self._woken, waiter)

    def _woken(self, waiter: asyncio.Future) -> None:
        if waiter.done():  # it gave up waiting: the one after it is woken instead
            self._wake_next()
        else:
            waiter.set_result(None)

    @contextmanager
    def _worker(self) -> Iterator[Worker]:
        """An idle worker (or a new one), given back after use unless it was stopped or the pool is closed."""
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            with self._fork:
                worker = Worker(self.handle, self.memory)
        try:
            yield worker
        finally:
            if worker.alive and not self.closed:
                self._idle.put(worker)
            else:
                worker.stop()

    def close(self) -> None:
        """Stop the idle workers; busy ones stop when they finish."""
        self.closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
