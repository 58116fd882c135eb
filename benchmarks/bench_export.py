"""Measure ``ictkg export``: the size of each format of the whole dataset and the time of a
full export (every format, whole and per graph, and the CSV tables).

Run from the checkout:  .venv/bin/python benchmarks/bench_export.py [--repeat N]

The dataset is built once (its quads are what the export reads); each run then exports into a
fresh temporary folder, so the times are of the export alone. The best and median wall-clock
times are printed, then the time of each format alone, then the files of the whole dataset.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from ictkg.export.formats import FORMAT_NAMES, ExportResult, export_dataset
from ictkg.project import Project


def _export(
    quads: list, formats: list[str] | None, repeat: int
) -> tuple[float, float, ExportResult]:
    times = []
    result: ExportResult | None = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            result = export_dataset(quads, Path(tmp) / "export", formats)
            times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    args = parser.parse_args()
    quads = Project().quads()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"dataset: {len(quads):,} quads; best / median of {args.repeat} runs\n")
    best, median, result = _export(quads, None, args.repeat)
    total = sum(f.bytes for f in result.files)
    print(
        f"full export: {best:.3f} s / {median:.3f} s, {len(result.files)} files, {total:,} bytes\n"
    )
    print(f"{'format':<15} {'best s':>7} {'median s':>9}")
    for name in FORMAT_NAMES:
        best, median, _ = _export(quads, [name], args.repeat)
        print(f"{name:<15} {best:>7.3f} {median:>9.3f}")
    print(f"\n{'whole-dataset file':<22} {'bytes':>10} {'triples':>8}")
    for file in result.files:
        if file.graph is None and file.path.parent == result.out_dir:
            triples = "" if file.triples is None else f"{file.triples:,}"
            print(f"{file.path.name:<22} {file.bytes:>10,} {triples:>8}")
    csv_bytes = sum(f.bytes for f in result.files if f.format == "csv")
    csv_rows = sum(f.rows or 0 for f in result.files if f.format == "csv")
    print(f"{'csv/*.csv (7 tables)':<22} {csv_bytes:>10,} {csv_rows:>5} rows")


if __name__ == "__main__":
    main()
