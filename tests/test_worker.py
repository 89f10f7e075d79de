"""Workers (of queries and updates): reused from one request to the next, replaced when stopped, holding none of the
server's connections open."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time

import pytest

from wcokg.errors import OutOfMemory, QueryError, QueryTimeout
from wcokg.sparql.worker import Worker, WorkerPool, confirm


def slow_or_pid(request: float) -> int:
    time.sleep(request)
    return os.getpid()


def test_a_pool_reuses_its_workers_and_replaces_one_stopped_for_time() -> None:
    pool = WorkerPool(slow_or_pid, size=1, memory=None)
    first = pool.call(0, timeout=5)
    assert pool.call(0, timeout=5) == first != os.getpid()
    with pytest.raises(QueryTimeout, match="stopped after 0.2 s"):
        pool.call(5, timeout=0.2)
    assert pool.call(0, timeout=5) not in (first, os.getpid())
    pool.close()


def test_an_error_of_the_handler_keeps_the_worker_and_its_message() -> None:
    worker = Worker(lambda request: 1 / request, memory=None)
    with pytest.raises(QueryError, match="division by zero"):
        worker.call(0, timeout=5)
    assert worker.alive and worker.call(2, timeout=5) == 0.5
    worker.stop()


def test_a_worker_does_not_keep_a_connection_of_its_parent_open() -> None:
    ours, peer = socket.socketpair()
    worker = Worker(slow_or_pid, memory=None)
    ours.close()  # the server closes a connection: its client must see the end although a worker was forked
    peer.settimeout(5)
    assert peer.recv(1) == b""
    worker.stop()
    peer.close()


def confirm_then_sleep(request: tuple[float, float]) -> str:
    """Work ``before`` seconds, confirm (the step that must not be cut short starts), then work ``after``."""
    before, after = request
    time.sleep(before)
    confirm()
    time.sleep(after)
    return "published"


def test_the_time_limit_ends_when_the_worker_confirms_in_time_and_not_after() -> None:
    worker = Worker(confirm_then_sleep, memory=None, name="update")
    assert worker.call((0, 6), timeout=3) == "published"  # confirmed in time: the rest is not cut short
    with pytest.raises(QueryTimeout):
        worker.call((60, 0), timeout=0.3)  # not ready in time: killed before it confirms
    assert not worker.alive


def test_a_worker_stopped_again_closes_nothing_of_the_worker_that_took_its_descriptors() -> None:
    """As ``__del__`` stops a stopped worker: a new worker may hold the same descriptor numbers by then."""
    old = Worker(slow_or_pid, memory=None)
    old.stop()
    new = Worker(slow_or_pid, memory=None)
    old.stop()
    assert new.call(0, timeout=5) != os.getpid()
    new.stop()


def exit_on(request: str) -> str:
    """Answer ``request``, or die without an answer when it is "die"."""
    if request == "die":
        os._exit(1)
    return request * 100_000  # several pipe buffers: the event loop reads it in many chunks


def test_from_an_event_loop_a_free_worker_answers_in_many_chunks_is_stopped_for_time_and_reported_dead() -> None:
    pool = WorkerPool(exit_on, size=1, memory=None)

    async def calls() -> None:
        assert await pool.call_async("ab", 5) == "ab" * 100_000
        with pytest.raises(QueryError, match="^the query engine crashed on this query$"):
            await pool.call_async("die", 5)

    asyncio.run(calls())
    slow = WorkerPool(slow_or_pid, size=1, memory=None)
    with pytest.raises(QueryTimeout, match="^query stopped after 0.2 s"):
        asyncio.run(slow.call_async(60, 0.2))
    assert asyncio.run(slow.call_async(0, 5)) != os.getpid()  # a new worker took its place
    pool.close()
    slow.close()


def test_from_an_event_loop_calls_wait_in_line_for_a_busy_worker_until_their_time_limit() -> None:
    pool = WorkerPool(slow_or_pid, size=1, memory=None)

    async def two() -> list[int]:
        return await asyncio.gather(pool.call_async(0.5, 10), pool.call_async(0, 10))

    first, second = asyncio.run(two())
    assert first == second != os.getpid()  # one worker, taken in turn

    async def crowded() -> list:
        calls = [pool.call_async(request, timeout) for request, timeout in [(60, 120), (0, 0.3), (0, 120)]]
        running = asyncio.ensure_future(calls[0])
        await asyncio.sleep(0.1)  # the first call holds the only worker
        waiting = [asyncio.ensure_future(call) for call in calls[1:]]
        answers = await asyncio.gather(waiting[0], return_exceptions=True)
        running.cancel()  # its worker is stopped; the next in line gets a new one
        return [*answers, await waiting[1]]

    refused, answered = asyncio.run(crowded())
    assert str(refused) == "query stopped after 0.3 s waiting for a free worker (the server is busy)"
    assert answered not in (first, os.getpid())
    pool.close()


def test_a_call_cancelled_while_its_worker_answers_stops_that_worker() -> None:
    pool = WorkerPool(slow_or_pid, size=1, memory=None)
    started = pool.call(0, timeout=5)

    async def cancelled() -> None:
        call = asyncio.ensure_future(pool.call_async(60, 120))
        await asyncio.sleep(0.2)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call

    asyncio.run(cancelled())
    assert pool.call(0, timeout=5) not in (started, os.getpid())  # its answer will never be the next call's
    pool.close()


def mark_then_sleep(request: tuple[str, float]) -> int:
    """Leave a file named ``path`` (the request was run), then sleep ``seconds``."""
    path, seconds = request
    with open(path, "w"):
        pass
    time.sleep(seconds)
    return os.getpid()


def test_a_request_out_of_time_before_any_worker_takes_it_is_refused_and_never_run(tmp_path) -> None:
    pool = WorkerPool(mark_then_sleep, size=1, memory=None)

    async def both() -> list:
        busy = pool.call_async((str(tmp_path / "second"), 0), 0.3)
        return await asyncio.gather(pool.call_async((str(tmp_path / "first"), 1), 10), busy, return_exceptions=True)

    first, second = asyncio.run(both())
    assert first != os.getpid()  # the worker that held the queue was not stopped for the other's time
    assert str(second) == "query stopped after 0.3 s waiting for a free worker (the server is busy)"
    assert pool.call((str(tmp_path / "third"), 0), 5) == first
    assert (tmp_path / "third").exists() and not (tmp_path / "second").exists()
    pool.close()


def twice(request: str) -> str:
    return request * 2


def test_more_requests_than_the_queue_holds_at_once_are_all_answered_by_every_worker() -> None:
    pool = WorkerPool(twice, size=2, memory=None)

    requests = [f"{n:04}" * 1024 for n in range(300)]  # 1.2 MB given at once: the queue takes a part at a time

    async def many() -> list[str]:
        return await asyncio.gather(*(pool.call_async(request, 10) for request in requests))

    assert asyncio.run(many()) == [request * 2 for request in requests]
    pool.close()


def test_the_requests_in_line_behind_one_that_kills_its_worker_are_answered_by_the_new_one() -> None:
    pool = WorkerPool(exit_on, size=1, memory=None)

    async def three() -> list:
        return await asyncio.gather(*(pool.call_async(r, 10) for r in ("die", "a", "b")), return_exceptions=True)

    died, a, b = asyncio.run(three())
    assert str(died) == "the query engine crashed on this query"
    assert (a, b) == ("a" * 100_000, "b" * 100_000)
    pool.close()


def run_out_of_memory(request: int) -> int:
    if request:
        raise MemoryError
    return os.getpid()


def test_a_worker_that_ran_out_of_memory_is_replaced() -> None:
    pool = WorkerPool(run_out_of_memory, size=1, memory=None)
    before = pool.call(0, 5)
    with pytest.raises(OutOfMemory, match="^query stopped: it needed more than"):
        pool.call(1, 5)
    assert pool.call(0, 5) not in (before, os.getpid())
    pool.close()


def test_a_pool_closed_from_another_thread_answers_what_it_was_given_then_stops_its_workers() -> None:
    pool = WorkerPool(slow_or_pid, size=1, memory=None)

    async def closed_while_answering() -> int:
        threading.Timer(0.2, pool.close).start()  # as a server's update swaps in the next generation
        return await pool.call_async(0.6, 10)

    worker = asyncio.run(closed_while_answering())
    assert worker != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)
    late = pool.call(0, 5)  # a request begun before the reload: answered by a worker of its own, then stopped
    assert late not in (worker, os.getpid())
    with pytest.raises(ProcessLookupError):
        os.kill(late, 0)
