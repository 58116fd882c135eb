"""Time whole ``ictkg`` processes as a person at a terminal runs them; prints the figures.

Run from the checkout:  .venv/bin/python benchmarks/bench_startup.py [--repeat N] [--with-tests]

Each command runs --repeat times (after one warm-up run) in a fresh process; the median and the
best wall-clock times are printed with the machine they ran on. ``ictkg query`` is timed on a
built embedded store (the script runs ``ictkg build`` first when the store is missing or stale).
``make test`` is slow and is timed only with --with-tests. Targets from issue 6: ``ictkg --help``
at most 0.1 s and ``ictkg query NAME`` at most 0.15 s; they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICTKG = str(Path(sys.executable).with_name("ictkg"))

COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("ictkg --help", [ICTKG, "--help"], 0.10),
    ("ictkg query 01", [ICTKG, "query", "01"], 0.15),
    (
        "ictkg query 02 -p topic=topic:security --format csv",
        [ICTKG, "query", "02", "-p", "topic=topic:security", "--format", "csv"],
        0.15,
    ),
    ("ictkg validate", [ICTKG, "validate"], None),
    ("make demo", ["make", "-s", "demo"], None),
)


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command (default 10)")
    parser.add_argument("--with-tests", action="store_true", help="also time `make test` (3 runs)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; repeat={args.repeat}; cwd={ROOT}")
    subprocess.run([ICTKG, "build"], cwd=ROOT, capture_output=True, check=True)
    commands = list(COMMANDS)
    if args.with_tests:
        commands.append(("make test", ["make", "-s", "test"], None))
    width = max(len(name) for name, _, _ in commands)
    print(f"{'command':<{width}}  {'median s':>8}  {'best s':>8}  target")
    for name, argv, target in commands:
        repeat = 3 if name == "make test" else args.repeat
        _run(argv)  # warm the file cache
        times = [_run(argv) for _ in range(repeat)]
        median = statistics.median(times)
        verdict = (
            ""
            if target is None
            else f"<= {target:.2f} s: {'met' if median <= target else 'MISSED'}"
        )
        print(f"{name:<{width}}  {median:>8.3f}  {min(times):>8.3f}  {verdict}")


if __name__ == "__main__":
    main()
