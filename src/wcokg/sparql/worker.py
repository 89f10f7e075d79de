"""Forked workers that answer queries over the store they inherit: a time limit, a memory limit, no network.

A worker is forked after the data is loaded, so it shares the parent's store page by page (copy-on-write)
instead of loading it again. It answers requests one at a time until it is stopped; a worker that runs out
of time or memory, or that the engine crashes, is killed and a fresh one forked in its place. A server's
workers (:class:`WorkerPool`) take their requests from one queue, each as soon as it is free. The server's
updates run in such workers too, one forked for each, whose time limit ends when they :func:`confirm`.
"""

from __future__ import annotations

import asyncio
import faulthandler
import itertools
import mmap
import os
import pickle
import re
import resource
import select
import signal
import socket
import stat
import struct
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import OutOfMemory, QueryError, QueryTimeout, SparqlSyntaxError
from ..parallel import kill, write_all

_LOOPBACK = ("127.", "localhost", "::1")
_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 16
"""Bytes an event loop reads from a worker's pipe at a time: a pipe's buffer (1 MiB, above malloc's mmap
threshold, cost an mmap and a munmap a read)."""
_SLOT = struct.Struct("q")
"""A pool worker's slot: the number of the request it runs (0: none)."""
_WATCH = 0.05
"""Seconds between looks at a request refused for time that no worker has taken yet."""
_OPEN: set[int] = set()
"""The pipe and queue ends of every live worker of this process: a new worker closes those of its siblings (but
its own pool's queue), so that each worker sees the end of its requests when its parent goes away."""
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
        return _death(code, self._stderr, self.memory, self.name)

    def __del__(self) -> None:
        if hasattr(self, "pid"):  # forked: a worker nothing refers to any more is stopped, not left waiting
            self.stop()

    @property
    def alive(self) -> bool:
        return self.pid != 0

    def stop(self) -> None:
        """Kill the worker (if it still runs) and release its pipes."""
        if self.pid:
            kill(self.pid)
            self.pid = 0
        for fd in (self._requests, self._answers):
            if fd in _OPEN:
                _OPEN.discard(fd)
                os.close(fd)
        self._requests = self._answers = -1  # stopped again (by __del__), it closes nothing: the numbers are reused
        self._stderr.close()


def _death(code: int, stderr: Any, memory: int | None, name: str) -> QueryError:
    """Why a worker died, in one line, from how it ended (``code``, of ``waitpid``) and what the engine wrote to
    ``stderr`` as it died."""
    stderr.seek(0)
    said = stderr.read(1 << 16).decode("utf-8", "replace")
    if memory is not None and (
        "memory allocation of" in said or (os.WIFSIGNALED(code) and os.WTERMSIG(code) == signal.SIGKILL)
    ):
        # the engine aborts when an allocation fails; the kernel kills
        return OutOfMemory(out_of_memory(memory))
    panic = re.search(r"panicked at [^\n]*\n([^\n]+)", said)
    reason = f" (the engine panicked: {panic[1].strip()})" if panic else ""
    return QueryError(f"the {name} engine crashed on this {name}{reason}")


def confirm() -> None:
    """In a worker, before a step that must not be cut short (publishing): ask the parent, which ends the
    request's time limit if it has not passed (else it kills the worker, which then never takes the step)."""
    requests, answers = _PARENT
    _send(answers, ("confirm", None))
    _receive(requests)


def _release_sockets(keep: int = -1) -> None:
    """In a new worker, point the sockets it inherited (a server's connections) but ``keep`` at /dev/null: a
    connection the server closes is then closed, not kept open by the worker. The numbers stay taken, so nothing
    reuses them."""
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/proc/self/fd"):
        try:
            if int(name) != keep and stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                os.dup2(null, int(name))
        except OSError:  # the descriptor of the listing itself, closed by now
            pass
    os.close(null)


def _prepare(memory: int | None) -> None:
    """In a new worker: its signals, no network, no Python dump as it dies, and its memory limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.addaudithook(_refuse_network)
    faulthandler.disable()  # a dying engine is reported by the parent in one line, not by a Python dump
    if memory is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory, hard))


def _outcome_of(handle: Callable[[Any], Any], request: Any, memory: int | None) -> tuple[str, Any]:
    """In a worker: (status, payload) of ``handle(request)``, as the parent reads it."""
    try:
        return ("ok", handle(request))
    except MemoryError:
        return ("memory", out_of_memory(memory or 0))
    except SparqlSyntaxError as exc:  # sent whole: the parent shows its line, column and excerpt
        return ("syntax", exc)
    except Exception as exc:  # reported to the parent, which raises it as a QueryError
        if memory is not None and exhausted():
            return ("memory", out_of_memory(memory))
        return ("error", " ".join(str(exc).split()) or type(exc).__name__)
    except BaseException as exc:  # pyo3 turns an engine panic into a BaseException
        return ("crashed", "the query engine crashed on this query: " + " ".join(str(exc).split()))


def _serve(handle: Callable[[Any], Any], requests: int, answers: int, memory: int | None) -> None:
    """The worker's loop: answer each request until the parent closes the pipe."""
    global _PARENT
    code = 0
    _PARENT = (requests, answers)
    try:
        _prepare(memory)
        while True:
            try:
                request = _receive(requests)
            except EOFError:
                break
            _send(answers, _outcome_of(handle, request, memory))
    except BaseException:
        code = 70
    finally:
        os._exit(code)


@dataclass
class _Call:
    """A request given to a pool: the message a worker takes, what waits for its answer, and its time limit."""

    message: bytes
    future: asyncio.Future
    timeout: float
    timer: asyncio.TimerHandle | None = None


class _Member:
    """One worker of a pool: it takes requests from the pool's queue, and says in its slot which it is running."""

    def __init__(self, pool: WorkerPool, index: int) -> None:
        self.index, self.code = index, 0
        self.received = bytearray()
        self.answers, answers_write = os.pipe()
        self.stderr = tempfile.TemporaryFile()  # what the engine says as it dies (a panic, a failed allocation)
        _SLOT.pack_into(pool.slots, index * _SLOT.size, 0)
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns to the caller's code
            try:
                taken = pool.taken.fileno()
                for fd in {self.answers, *_OPEN} - {taken}:
                    os.close(fd)
                _release_sockets(keep=taken)
                os.dup2(self.stderr.fileno(), 2)
                _take(pool, index, answers_write)
            finally:
                os._exit(70)
        os.close(answers_write)
        _OPEN.add(self.answers)

    def running(self, slots: mmap.mmap) -> int:
        """The request this worker is running (0: none)."""
        return _SLOT.unpack_from(slots, self.index * _SLOT.size)[0]

    def messages(self) -> Iterator[tuple[int, str, Any]]:
        """The whole answers received so far, (request, status, payload) each, taken out of what was received."""
        received = self.received
        while len(received) >= _HEADER.size:
            size = _HEADER.size + _HEADER.unpack_from(received)[0]
            if len(received) < size:
                return
            message = pickle.loads(received[_HEADER.size : size])
            del received[:size]
            yield message

    def kill(self) -> int:
        """Kill the worker (if it still runs); how it ended, as ``waitpid`` gives it."""
        if self.pid:
            self.code, self.pid = kill(self.pid), 0
        return self.code

    def close(self) -> None:
        _OPEN.discard(self.answers)
        os.close(self.answers)
        self.stderr.close()


def _take(pool: WorkerPool, index: int, answers: int) -> None:
    """A pool worker's loop: take the next request from the queue, answer it on ``answers``, until the queue closes.
    A request whose time is up before it is taken is not run."""
    code = 0
    try:
        _prepare(pool.memory)
        buffer = bytearray(pool.largest)  # one buffer for every request: no allocation of its size each time
        while True:
            size = pool.taken.recv_into(buffer)
            if not size:
                break
            number, deadline, request = pickle.loads(memoryview(buffer)[:size])
            if time.monotonic() >= deadline:
                _send(answers, (number, "expired", None))
                continue
            _SLOT.pack_into(pool.slots, index * _SLOT.size, number)
            _send(answers, (number, *_outcome_of(pool.handle, request, pool.memory)))
            _SLOT.pack_into(pool.slots, index * _SLOT.size, 0)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


class WorkerPool:
    """``size`` workers forked from this process, taking requests from one queue: each request goes whole to the
    first worker free to take it, with no round trip through this process between one request and the next. A
    worker answers on its own pipe; one stopped for time or memory, or that dies, is replaced by a new fork.

    The queue is a Unix socket of messages (``SOCK_SEQPACKET``): the kernel gives each message to one reader. Each
    worker writes the request it runs in a shared slot, so that the one running a request past its time limit is
    the one killed. The pool is used from one event loop at a time (:meth:`call_async`), or with no loop running
    (:meth:`call`); :meth:`close` may come from any thread.
    """

    def __init__(self, handle: Callable[[Any], Any], size: int, memory: int | None, name: str = "query") -> None:
        self.handle, self.memory, self.name = handle, memory, name
        self.slots = mmap.mmap(-1, _SLOT.size * size)
        self.closed = False
        self._calls: dict[int, _Call] = {}
        """Requests given and not answered yet, by number."""
        self._backlog: deque[int] = deque()
        """Requests not in the queue yet: it holds a few messages at a time."""
        self._numbers = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writing = False
        self._start(size)  # forked now, before the server's threads

    def _start(self, size: int) -> None:
        """Open the queue and fork ``size`` workers."""
        self.given, self.taken = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.given.setblocking(False)
        self.largest = self.given.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        """Bytes of the longest request the queue takes (a SPARQL request is at most 64 KiB)."""
        _OPEN.update((self.given.fileno(), self.taken.fileno()))
        self._members = [_Member(self, index) for index in range(size)]

    def call(self, request: Any, timeout: float) -> Any:
        """:meth:`call_async` where no event loop runs (a command, a test)."""
        return asyncio.run(self.call_async(request, timeout))

    async def call_async(self, request: Any, timeout: float) -> Any:
        """The answer of a worker to ``request``; the time limit counts from now, waiting for a worker included.
        A call cancelled while a worker runs its request stops that worker.

        Raises:
            QueryTimeout: no answer in time (the worker running it was killed), or no worker was free in time.
            OutOfMemory: the worker ran out of its memory; it was killed.
            QueryError: the handler raised (its message is kept), or the worker died (a crash).
        """
        if not self._members:  # closed and stopped: a late call (a request begun before a reload) starts one worker,
            self._start(1)  # stopped again once it has answered
        loop = asyncio.get_running_loop()
        self._attach(loop)
        number = next(self._numbers)
        message = pickle.dumps((number, time.monotonic() + timeout, request), protocol=pickle.HIGHEST_PROTOCOL)
        call = self._calls[number] = _Call(message, loop.create_future(), timeout)
        call.timer = loop.call_later(timeout, self._expire, number)
        self._backlog.append(number)
        self._flush()
        try:
            return await call.future
        except asyncio.CancelledError:
            self._cancel(number)
            raise

    def close(self) -> None:
        """Stop the workers once the requests given have their answers; a call after that starts one again."""
        loop = self._loop
        if loop is not None and loop.is_running() and _running_loop() is not loop:
            loop.call_soon_threadsafe(self.close)
            return
        self.closed = True
        if loop is None or not loop.is_running():
            self._calls = {}  # no loop is left to read their answers
        self._closing()

    def __del__(self) -> None:
        if getattr(self, "_members", None) and not self.closed:
            self.closed = True
            self._stop()

    # -- on the event loop -------------------------------------------------------------------------------

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read the workers' answers on ``loop`` (the pool's calls come from it from now on)."""
        if self._loop is not loop:
            self._loop, self._writing = loop, False
            for member in self._members:
                loop.add_reader(member.answers, self._readable, member)

    def _flush(self) -> None:
        """Put the backlog in the queue, as far as it takes them; the rest waits for it to drain."""
        while self._backlog:
            call = self._calls.get(self._backlog[0])
            if call is not None:
                try:
                    self.given.send(call.message)
                except BlockingIOError:
                    if not self._writing:
                        self._writing = True
                        self._loop.add_writer(self.given.fileno(), self._writable)  # type: ignore[union-attr]
                    return
                except OSError as exc:  # a request longer than the queue takes: the worker never sees it
                    self._fail(self._backlog[0], QueryError(f"the {self.name} could not be given to a worker: {exc}"))
            self._backlog.popleft()

    def _writable(self) -> None:
        self._writing = False
        self._loop.remove_writer(self.given.fileno())  # type: ignore[union-attr]
        self._flush()

    def _readable(self, member: _Member) -> None:
        chunk = os.read(member.answers, _CHUNK)
        if not chunk:
            self._replace(member, self._death(member, member.kill()))
            return
        member.received.extend(chunk)
        for number, status, payload in member.messages():
            self._deliver(number, status, payload)
            if status in ("memory", "crashed"):  # what is left of the worker is not trusted with another request
                self._replace(member, None)
                return
        self._closing()

    def _deliver(self, number: int, status: str, payload: Any) -> None:
        """Request ``number``'s answer or error, from a worker's (status, payload)."""
        call = self._settle(number)
        if call is None or call.future.done():
            return
        if status == "ok":
            call.future.set_result(payload)
        elif status == "expired":
            call.future.set_exception(QueryTimeout(busy(call.timeout)))
        elif status == "syntax":
            call.future.set_exception(payload)
        else:
            call.future.set_exception((OutOfMemory if status == "memory" else QueryError)(payload))

    def _expire(self, number: int) -> None:
        """The time limit of request ``number`` is up: kill the worker running it; not taken yet, it is refused
        now (a worker takes it only to refuse it), and watched until then."""
        call = self._calls.get(number)
        if call is None:
            return
        if number in self._backlog:
            self._backlog.remove(number)
            self._fail(number, QueryTimeout(busy(call.timeout)))
            return
        member = self._running(number)
        if member is not None:
            self._replace(member, QueryTimeout(stopped(call.timeout)), number)
            return
        if not call.future.done():
            call.future.set_exception(QueryTimeout(busy(call.timeout)))
        call.timer = self._loop.call_later(_WATCH, self._expire, number)  # type: ignore[union-attr]

    def _cancel(self, number: int) -> None:
        """The caller of request ``number`` gave up: a worker running it is stopped; not taken yet, its answer will
        be dropped (its time limit still holds)."""
        if number in self._backlog:
            self._backlog.remove(number)
            self._settle(number)
        elif (member := self._running(number)) is not None:
            self._replace(member, None, number)
        self._closing()

    def _running(self, number: int) -> _Member | None:
        return next((member for member in self._members if member.running(self.slots) == number), None)

    def _replace(self, member: _Member, error: BaseException | None, number: int | None = None) -> None:
        """Kill ``member`` and fork a new worker in its place. The answers it gave are read first; the request it
        ran (``number``, or the one its slot names) fails with ``error``; a request it had just taken instead is
        given again."""
        member.kill()
        running = member.running(self.slots)
        self._drain(member)
        if number is None:
            number = running
        if number in self._calls:
            self._fail(number, error or QueryError(f"the {self.name} worker was stopped"))
        if running != number and running in self._calls:
            self._backlog.appendleft(running)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(member.answers)
        member.close()
        new = self._members[self._members.index(member)] = _Member(self, member.index)  # closed too: some may wait
        if self._loop is not None and not self._loop.is_closed():
            self._loop.add_reader(new.answers, self._readable, new)
        self._flush()
        self._closing()

    def _drain(self, member: _Member) -> None:
        """Take the answers a stopped worker had written before it stopped."""
        while chunk := os.read(member.answers, _CHUNK):
            member.received.extend(chunk)
        for number, status, payload in member.messages():
            self._deliver(number, status, payload)

    def _death(self, member: _Member, code: int) -> QueryError:
        return _death(code, member.stderr, self.memory, self.name)

    def _settle(self, number: int) -> _Call | None:
        """Request ``number`` is done with: forget it and its time limit."""
        call = self._calls.pop(number, None)
        if call is not None and call.timer is not None:
            call.timer.cancel()
        return call

    def _fail(self, number: int, error: BaseException) -> None:
        call = self._settle(number)
        if call is not None and not call.future.done():
            call.future.set_exception(error)

    def _closing(self) -> None:
        if self.closed and not self._calls and self._members:
            self._stop()

    def _stop(self) -> None:
        """Kill every worker and close the queue."""
        loop = self._loop if self._loop is not None and not self._loop.is_closed() else None
        for member in self._members:
            if loop is not None:
                loop.remove_reader(member.answers)
            member.kill()
            member.close()
        self._members, self._calls, self._loop = [], {}, None  # a late call attaches its loop again
        if loop is not None and self._writing:
            loop.remove_writer(self.given.fileno())
        for end in (self.given, self.taken):
            _OPEN.discard(end.fileno())
            end.close()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
