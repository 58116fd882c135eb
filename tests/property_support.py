"""What the property tests (tests/property) share: the two tiers each property runs in, a time
bound that stops a hang, and the check that an error is one of ictkg's own.

Every property is written once and collected twice (see :func:`tiers`):

* ``test_<name>`` runs in ``make test`` with ``derandomize=True``: the examples come from a seed
  derived from the test's code, so a CI run never flakes on an example that no earlier run met
  (and no example database is read or written; .hypothesis is git-ignored anyway). The normal
  tier's ``max_examples`` add up to at least 3,000 (issue 10, item 6);
* ``test_<name>_slow`` is marked ``slow`` (``make test-slow``) and runs :data:`SLOW_FACTOR`
  times as many examples from a fresh random seed each run, to find what the fixed seed misses;
  a failure prints the ``@reproduce_failure`` blob to replay it.

Both tiers keep a per-example deadline: the property says "within a time bound", and one
example is one file parsed or one query run (milliseconds), so 2 s is ample even on a loaded CI
machine while still catching a slow path (a nesting or alias bomb).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.strategies import SearchStrategy

from ictkg.errors import IctkgError

DEADLINE = timedelta(seconds=2)
"""The time bound of one example, in both tiers."""

HANG_S = 10.0
"""A hard stop (SIGALRM) for an example that never returns, so a hang fails the test instead of
stalling the suite; the deadline above reports anything slower than 2 s that does return."""

SLOW_FACTOR = 10
"""How many times more examples the slow tier runs."""

_COMMON: dict[str, Any] = {
    "deadline": DEADLINE,
    # Strategies here build files and datasets; generation is part of the cost we budget for.
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
    # No explain phase: it reruns a failing example many times to annotate it (tens of seconds).
    "phases": (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
}


def tiers(
    normal_examples: int, **strategies: SearchStrategy[Any]
) -> Callable[[Callable[..., None]], tuple[Callable[..., None], Callable[..., None]]]:
    """Make the normal-tier and the slow-tier test of one property (see the module's doc).

    Use it as::

        def _round_trip(dataset: ...) -> None: ...
        test_round_trip, test_round_trip_slow = tiers(500, dataset=datasets())(_round_trip)

    Args:
        normal_examples: ``max_examples`` in the normal tier; the slow tier runs
            :data:`SLOW_FACTOR` times as many.
        **strategies: passed to :func:`hypothesis.given` by name.
    """

    def make(body: Callable[..., None]) -> tuple[Callable[..., None], Callable[..., None]]:
        normal = settings(max_examples=normal_examples, derandomize=True, **_COMMON)(
            given(**strategies)(body)
        )
        slow = settings(
            max_examples=normal_examples * SLOW_FACTOR, derandomize=False, database=None, **_COMMON
        )(given(**strategies)(body))
        return normal, pytest.mark.slow(slow)

    return make


class Hang(BaseException):
    """An example ran past :data:`HANG_S`; a BaseException so no ``except Exception`` in the
    code under test can turn it into a clean error."""


@contextmanager
def time_bound(seconds: float = HANG_S) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread when the block runs longer than ``seconds``."""

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder for the files the examples write, in memory (/dev/shm) when the
    machine has it: thousands of small writes cost half as much there as on disk."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_error(error: BaseException) -> IctkgError:
    """Fail unless ``error`` is one of ictkg's own (a traceback in the CLI otherwise), whose
    message is a one-line statement with at most a hint line after it."""
    if not isinstance(error, IctkgError):
        raise AssertionError(f"not an ictkg error: {type(error).__name__}: {error}") from error
    lines = str(error).splitlines()
    assert lines and lines[0].strip(), f"an empty message: {error!r}"
    assert len(lines) <= 2 and all(line.startswith("  hint: ") for line in lines[1:]), (
        f"not one line and a hint: {str(error)!r}"
    )
    return error
