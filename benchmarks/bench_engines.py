"""Time loading the graph into each real server, by its own bulk loader and by `ictkg load`, and
running every stored query there with plain SPARQL Protocol requests.

Run from the checkout:  .venv/bin/python benchmarks/bench_engines.py [--repeat N]

Starts its own servers, as the tests do, each in a temporary folder on free loopback ports:
Oxigraph (the PyPI binary beside the interpreter) and Virtuoso 7 (Debian's virtuoso-t; install
it with `make servers`). Figures are wall-clock seconds, best and median of N runs; nothing is
asserted. The machine is printed with them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the servers are started as the tests start them

from golden_support import answer  # noqa: E402
from ictkg.export.dumps import write_build  # noqa: E402
from ictkg.project import Project  # noqa: E402
from ictkg.stores.loader import derive_urls, load_quads  # noqa: E402
from oxigraph_support import oxigraph_binary, start_oxigraph, stop  # noqa: E402
from protocol_support import PlainProtocolClient  # noqa: E402
from virtuoso_support import start_virtuoso  # noqa: E402


def _time(label: str, run: Callable[[], object], repeat: int) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    print(f"  {label:<44} best {min(times):7.3f} s   median {statistics.median(times):7.3f} s")


def _queries(client: PlainProtocolClient, project: Project) -> None:
    for query in project.stored_queries():
        answer(query, client)  # type: ignore[arg-type]


def _oxigraph(folder: Path, nquads: Path, project: Project, repeat: int) -> None:
    binary = oxigraph_binary()
    assert binary is not None, "pip install -e '.[test]' (the oxigraph binary)"
    folder.mkdir(parents=True, exist_ok=True)
    print("Oxigraph server (oxigraph 0.5, PyPI)")
    _time(
        "bulk loader: oxigraph load --file ictkg.nq",
        lambda: subprocess.run(
            [
                binary,
                "load",
                "--location",
                str(folder / f"db{time.monotonic_ns()}"),
                "--file",
                str(nquads),
            ],
            check=True,
            capture_output=True,
        ),
        repeat,
    )
    served = folder / "served"
    served.mkdir()
    subprocess.run(
        [binary, "load", "--location", str(served / "db"), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    server, process = start_oxigraph(served, "--union-default-graph")
    base = server.base
    try:
        client = PlainProtocolClient(f"{base}/query")
        _time(
            "29 stored queries x 2 cases, plain requests", lambda: _queries(client, project), repeat
        )
        quads = [*project.quads(), *project.description(endpoint=f"{base}/query")]
        target = derive_urls(f"{base}/query", environ={"NETRC": "/nonexistent"})
        _time("ictkg load (staged, one MOVE update)", lambda: load_quads(quads, target), repeat)
    finally:
        stop(process)


def _virtuoso(folder: Path, nquads: Path, project: Project, repeat: int) -> None:
    print("Virtuoso (Debian virtuoso-opensource 7.2.5)")
    started = time.perf_counter()
    server = start_virtuoso(folder)
    print(f"  {'start (fresh database)':<44} {time.perf_counter() - started:7.3f} s")
    try:
        _time("bulk loader: ld_dir + rdf_loader_run", lambda: server.bulk_load(nquads), repeat)
        client = PlainProtocolClient(server.query_url)
        _time(
            "29 stored queries x 2 cases, plain requests", lambda: _queries(client, project), repeat
        )
        quads = [*project.quads(), *project.description(endpoint=server.query_url)]
        target = derive_urls(server.query_url, environ={"NETRC": "/nonexistent"})
        _time("ictkg load (staged, one MOVE update)", lambda: load_quads(quads, target), repeat)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        output = write_build(project.quads(), folder / "build")
        nquads = folder / "build" / "ictkg.nq"
        print(
            f"dataset: {len(project.quads())} quads, ictkg.nq {nquads.stat().st_size} bytes; "
            f"{args.repeat} runs per figure"
        )
        del output
        _oxigraph(folder / "oxigraph", nquads, project, args.repeat)
        _virtuoso(folder / "virtuoso", nquads, project, args.repeat)


if __name__ == "__main__":
    main()
