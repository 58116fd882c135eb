"""Time and measure the main pipeline (build, validate, checks, stored queries); prints figures.

Run from the checkout:  .venv/bin/python benchmarks/bench_pipeline.py [--repeat N]

Speed and memory are measured here, never asserted in the test suite. Each step runs --repeat
times and the best and median wall-clock times are printed, with the peak resident memory of the
whole process and the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

from ictkg.build import build_dataset, load_shapes
from ictkg.checks import run_checks
from ictkg.paths import default_paths
from ictkg.validate import validate


def _time(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per step (default 5)")
    args = parser.parse_args()

    paths = default_paths()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; repeat={args.repeat}")
    rows: list[tuple[str, float, float, str]] = []

    best, median, dataset = _time(lambda: build_dataset(paths), args.repeat)
    triples = sum(1 for _ in dataset.quads((None, None, None, None)))
    rows.append(("build (parse + passages)", best, median, f"{triples} quads"))

    shapes = load_shapes(paths)
    best, median, report = _time(lambda: validate(dataset, shapes), args.repeat)
    rows.append(("validate (SHACL)", best, median, f"conforms={report.conforms}"))

    best, median, checks = _time(lambda: run_checks(dataset, paths), args.repeat)
    rows.append(("quality checks", best, median, f"{len(checks)} checks"))

    try:
        from ictkg.queries import load_queries, run_query
        from ictkg.store import open_store
    except ImportError:  # the stored-query modules are optional for this benchmark
        load_queries = None  # type: ignore[assignment]

    if load_queries is not None:
        queries = load_queries(paths.queries_dir)
        for backend in ("memory", "oxigraph"):
            store = open_store(backend)
            best, median, _ = _time(lambda store=store: store.load(dataset), 1)
            rows.append((f"load into {backend}", best, median, ""))

            def run_all(store: Any = store) -> int:
                return sum(len(run_query(q, store, {}).rows) for q in queries)

            best, median, count = _time(run_all, args.repeat)
            rows.append((f"{len(queries)} stored queries on {backend}", best, median, f"{count} rows"))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'best s':>8}  {'median s':>8}  note")
    for name, best, median, note in rows:
        print(f"{name:<{width}}  {best:>8.3f}  {median:>8.3f}  {note}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
