"""wcokg.parallel: work spread over forked processes; their errors raised in the caller, none left running."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from wcokg.errors import ProcessDied, SourceError
from wcokg.parallel import spread

PARENT = os.getpid()


def _forked() -> bool:
    """Whether this is a forked process (the tests' own process is the parent of the ones spread forks)."""
    return os.getpid() != PARENT


def _wait_for(path: Path) -> None:
    """Until ``path`` exists (a forked process has taken the work), with a generous safety timeout."""
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never appeared")
        time.sleep(0.01)


def test_every_piece_of_work_is_done_once(tmp_path) -> None:
    def work(index: int) -> None:
        with open(tmp_path / str(index), "x") as done:  # "x": a second call would fail
            done.write(str(os.getpid()))

    ran_first = []
    spread(2500, work, first=lambda: ran_first.append(os.getpid()), processes=3)
    assert sorted(int(p.name) for p in tmp_path.iterdir()) == list(range(2500))
    assert ran_first == [os.getpid()]


def test_an_error_in_a_forked_process_is_raised_here_as_it_was_raised(tmp_path) -> None:
    taken = tmp_path / "taken"

    def work(index: int) -> None:
        if _forked():
            taken.write_text(str(os.getpid()))
            raise SourceError("sources/x.txt", 15, 'goal heading without a number: "Goal - Trade Facilitation"')

    # This process waits in first() until the forked one has taken a piece of work, then does the other.
    with pytest.raises(SourceError) as raised:
        spread(2, work, first=lambda: _wait_for(taken), processes=2)
    assert str(raised.value) == 'sources/x.txt:15: goal heading without a number: "Goal - Trade Facilitation"'
    assert (raised.value.path, raised.value.line) == ("sources/x.txt", 15)
    assert int(taken.read_text()) != os.getpid()


def test_an_error_that_cannot_be_sent_back_is_named(tmp_path) -> None:
    taken = tmp_path / "taken"

    class Unsendable(Exception):
        pass  # defined in a function: pickle cannot find its class

    def work(index: int) -> None:
        if _forked():
            taken.touch()
            raise Unsendable("the cause")

    with pytest.raises(RuntimeError, match="^Unsendable: the cause$"):
        spread(2, work, first=lambda: _wait_for(taken), processes=2)


def test_a_forked_process_that_dies_is_reported(tmp_path) -> None:
    taken = tmp_path / "taken"

    def work(index: int) -> None:
        if _forked():
            taken.touch()
            os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ProcessDied, match=r"^a process doing part of the work died \(killed by signal 9\)$"):
        spread(2, work, first=lambda: _wait_for(taken), processes=2)


def test_an_error_here_stops_the_forked_processes(tmp_path) -> None:
    taken = tmp_path / "taken"

    def work(index: int) -> None:
        if _forked():
            taken.write_text(str(os.getpid()))
            time.sleep(600)  # stopped long before

    def first() -> None:
        _wait_for(taken)
        raise SourceError("sources/x.txt", 2, "stop")

    with pytest.raises(SourceError, match="^sources/x.txt:2: stop$"):
        spread(2, work, first=first, processes=2)
    with pytest.raises(ProcessLookupError):  # killed and waited for: not even a zombie is left
        os.kill(int(taken.read_text()), 0)
