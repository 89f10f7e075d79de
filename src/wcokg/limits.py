"""Limits on one command in its own process: wall time and address space (setrlimit)."""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .errors import BudgetExceeded

MEMORY_LIMIT = 4 * 2**30
"""Bytes of address space a command may map: beyond it an allocation fails and the command stops."""
QUERY_TIMEOUT = 10.0
"""Seconds a query may take (``wcokg query``, the server's /sparql, the static site's query pages)."""
UPDATE_TIMEOUT = 300.0
"""Seconds an update (``wcokg update``, an update of ``wcokg serve``) may take before it is published."""
HEADER_TIMEOUT = 10.0
"""Seconds a client of ``wcokg serve`` has to send a request's headers, from connecting or the previous answer."""
BODY_TIMEOUT = 30.0
"""Seconds a client of ``wcokg serve`` has to send a request's whole body once its headers are in."""


class _OutOfTime(BaseException):
    """The alarm of :func:`budget`: not an Exception, so that no ``except Exception`` on the way (a parser's, a
    reader's that names its file) wraps or swallows it; it becomes BudgetExceeded where the budget was set."""


@contextmanager
def budget(what: str, seconds: float, memory: int = MEMORY_LIMIT) -> Iterator[Callable[[], None]]:
    """Within: at most ``seconds`` of wall time and ``memory`` bytes of address space (main thread only).

    Yields a function that ends both limits early (before a step that must not be interrupted, such as
    publishing). Raises BudgetExceeded, one sentence naming the limit, when either is exceeded.
    """

    def stop(signum: int, frame: object) -> None:
        raise _OutOfTime

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    previous = signal.signal(signal.SIGALRM, stop)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)

    def disarm() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    try:
        yield disarm
    except _OutOfTime:
        raise BudgetExceeded(
            f"{what} stopped after {seconds:g} s (raise --timeout to allow more); nothing written"
        ) from None
    except MemoryError:
        message = f"{what} ran out of memory (its limit is {memory // 2**20} MiB); nothing written"
        raise BudgetExceeded(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
