"""Query workers: reused from one request to the next, replaced when stopped, and holding none of the
server's connections open."""

from __future__ import annotations

import os
import socket
import time

import pytest

from wcokg.errors import QueryError, QueryTimeout
from wcokg.sparql.worker import Worker, WorkerPool


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
