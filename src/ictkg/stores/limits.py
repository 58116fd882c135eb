"""Bounded work: a total deadline on every query and a cap on every answer, on every backend.

pyoxigraph (0.5) and rdflib have no way to cancel a query, so each query runs in a worker thread
(pyoxigraph releases the GIL while it evaluates; rdflib yields it as any Python code does) and
the caller stops waiting at the deadline. The abandoned worker notices at its next row and
stops; one still inside a single long step (a sort, a count over a cross product) runs on until
that step ends, in a daemon thread that ends with the process: the CLI exits at once, but a
long-running program that calls the library keeps a busy thread until then. Workers are reused
(one per query running at once): a query on a thread that has run one before is 0.5 to 3 ms
quicker on pyoxigraph. Endpoint requests
are bounded by :class:`ictkg.stores.http.HttpClient` itself (the socket is shut at the
deadline), so a server dripping one byte at a time cannot hold a command past it.

Everything the worker made stays in the worker: pyoxigraph's answers may only be dropped on the
thread that made them, so an error's frames are cleared there before it is handed over.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from ictkg.errors import AnswerLimitError, StoreTimeoutError, UsageError

__all__ = ["DEFAULT_LIMITS", "Limits", "capped", "run_bounded"]

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How long a query may take and how large its answer may be.

    >>> Limits(timeout=5).max_rows
    100000
    >>> Limits(timeout=0)
    Traceback (most recent call last):
    ...
    ictkg.errors.UsageError: the timeout must be positive, not 0
    """

    timeout: float = 60.0
    """Seconds a query (or one endpoint request) may take in all, from start to last byte."""
    max_rows: int = 100_000
    """Rows of a SELECT answer (triples of a CONSTRUCT or DESCRIBE answer) at most."""
    max_answer_mb: float = 256.0
    """MiB an endpoint's answer may be at most, as sent."""

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise UsageError(f"the timeout must be positive, not {self.timeout:g}")
        if self.max_rows < 1:
            raise UsageError(f"--max-rows must be at least 1, not {self.max_rows}")
        if not self.max_answer_mb > 0:
            raise UsageError(f"--max-answer-mb must be positive, not {self.max_answer_mb:g}")

    @property
    def max_answer_bytes(self) -> int:
        """:attr:`max_answer_mb` in bytes."""
        return int(self.max_answer_mb * 2**20)


DEFAULT_LIMITS = Limits()
"""60 s, 100,000 rows, 256 MiB: what the CLI's ``--timeout``, ``--max-rows`` and
``--max-answer-mb`` default to."""


def run_bounded(work: Callable[[threading.Event], T], timeout: float, what: str = "the query") -> T:
    """Run ``work(cancelled)`` in a worker thread; give up waiting after ``timeout`` seconds.

    Args:
        work: the work; it should look at ``cancelled`` now and then and stop when it is set.
        timeout: seconds to wait in all.
        what: what is running, for the message.

    Returns:
        What ``work`` returned.

    Raises:
        StoreTimeoutError: at the deadline (``cancelled`` is then set).
        BaseException: whatever ``work`` raised, as it raised it.

    >>> run_bounded(lambda cancelled: 42, 1.0)
    42
    >>> import time
    >>> run_bounded(lambda cancelled: time.sleep(1), 0.05)
    Traceback (most recent call last):
    ...
    ictkg.errors.StoreTimeoutError: the query did not finish within 0.05 s
      hint: narrow the query (a LIMIT, a bound parameter) or give a longer --timeout
    """
    outcome: dict[str, Any] = {}
    cancelled = threading.Event()
    done = threading.Event()

    def job() -> None:
        try:
            outcome["value"] = work(cancelled)
        except BaseException as exc:  # handed to the caller's thread below
            traceback.clear_frames(exc.__traceback__)  # (the lines stay, for --debug)
            outcome["error"] = exc
        finally:
            done.set()

    _Worker.take().give(job)
    if not done.wait(timeout):
        cancelled.set()
        raise StoreTimeoutError(
            f"{what} did not finish within {timeout:g} s",
            hint="narrow the query (a LIMIT, a bound parameter) or give a longer --timeout",
        )
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


class _Worker(threading.Thread):
    """A daemon thread that runs one query at a time and then waits for the next.

    Reused because a query in a thread that has never run one costs 0.5 to 3 ms more on
    pyoxigraph than in one that has (its per-thread state is set up again), several times the
    whole of a small stored query. A worker busy with a query is named ``ictkg-query`` and is
    no one else's until that query ends, even when its caller stopped waiting; then it names
    itself ``ictkg-query-idle`` and goes back to the idle ones.
    """

    BUSY = "ictkg-query"
    IDLE = "ictkg-query-idle"
    _idle: ClassVar[list[_Worker]] = []
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        super().__init__(name=self.BUSY, daemon=True)
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    @classmethod
    def take(cls) -> _Worker:
        """An idle worker, named busy; a new one when none is idle."""
        with cls._lock:
            if cls._idle:
                worker = cls._idle.pop()
                worker.name = cls.BUSY
                return worker
        worker = cls()
        worker.start()
        return worker

    def give(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            job()
            del job  # nothing of the query outlives it on this thread
            with self._lock:
                self.name = self.IDLE
                self._idle.append(self)


def capped(
    items: Iterable[T], max_rows: int, cancelled: threading.Event | None, noun: str = "rows"
) -> Iterator[T]:
    """Yield ``items``, stopping when ``cancelled`` is set; refuse more than ``max_rows``.

    Raises:
        AnswerLimitError: at item ``max_rows + 1``.
        StoreTimeoutError: when cancelled (the caller has stopped waiting already).

    >>> list(capped(range(3), 3, None))
    [0, 1, 2]
    >>> list(capped(range(5), 3, None))
    Traceback (most recent call last):
    ...
    ictkg.errors.AnswerLimitError: the answer has more than 3 rows
      hint: add a LIMIT or bind a parameter to narrow it, or give a larger --max-rows
    """
    for count, item in enumerate(items, 1):
        if count > max_rows:
            raise AnswerLimitError(
                f"the answer has more than {max_rows:,} {noun}",
                hint="add a LIMIT or bind a parameter to narrow it, or give a larger --max-rows",
            )
        if cancelled is not None and count % 256 == 0 and cancelled.is_set():
            raise StoreTimeoutError("the query was abandoned at its deadline")
        yield item
