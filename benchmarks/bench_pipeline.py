"""Time and measure the pipeline steps in one process (build, validate, checks, stored queries).

Run from the checkout:  .venv/bin/python benchmarks/bench_pipeline.py [--repeat N]

Speed and memory are measured here, never asserted in the test suite. Each step runs --repeat
times on a fresh :class:`ictkg.Project` (so nothing is cached between runs) and the best and
median wall-clock times are printed, with the peak resident memory of the whole process and the
machine it ran on. Whole-process start-up is measured by bench_startup.py.
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

from ictkg.project import Project
from ictkg.stores import run_query
from ictkg.stores.memory import MemoryStore
from ictkg.stores.oxigraph import OxigraphStore


def _time(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per step (default 5)")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; repeat={args.repeat}")
    rows: list[tuple[str, float, float, str]] = []

    best, median, project = _time(lambda: _built(_fresh()), args.repeat)
    quads = project.quads()
    rows.append(("build (parse, passages, catalogue)", best, median, f"{len(quads)} quads"))

    def shacl() -> Any:
        project.forget("shacl")  # keep the built dataset, drop the report
        return project.validate_shacl()

    best, median, report = _time(shacl, args.repeat)
    rows.append(("validate (SHACL)", best, median, f"conforms={report.conforms}"))

    def checks_on_a_new_store() -> Any:
        project.forget("scratch-store")
        return project.run_checks()

    best, median, checks = _time(checks_on_a_new_store, args.repeat)
    rows.append(("load Oxigraph + quality checks", best, median, f"{len(checks)} checks"))

    queries = project.stored_queries()
    stores = {"memory": MemoryStore(project.dataset()), "oxigraph": OxigraphStore()}
    best, median, _ = _time(lambda: OxigraphStore().load(quads), args.repeat)
    rows.append(("load into in-memory Oxigraph", best, median, ""))
    stores["oxigraph"].load(quads)
    for name, store in stores.items():

        def run_all(store: Any = store) -> int:
            return sum(len(run_query(q, store).rows) for q in queries)

        best, median, count = _time(run_all, args.repeat)
        rows.append((f"{len(queries)} stored queries on {name}", best, median, f"{count} rows"))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'best s':>8}  {'median s':>8}  note")
    for name, best, median, note in rows:
        print(f"{name:<{width}}  {best:>8.3f}  {median:>8.3f}  {note}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB")


def _fresh() -> Project:
    project = Project()
    project.forget()  # Projects of one folder share what they read: start from nothing
    return project


def _built(project: Project) -> Project:
    project.dataset()
    project.quads()
    return project


if __name__ == "__main__":
    main()
