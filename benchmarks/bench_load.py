"""Time loads into a real Oxigraph server: the seed dataset, and synthetic datasets by plain
Graph Store PUT against Oxigraph's bulk PUT ``?no_transaction``.

Run from the checkout:  .venv/bin/python benchmarks/bench_load.py [--sizes 100000 1000000]

The script starts its own ``oxigraph serve`` (the PyPI binary beside the interpreter) on a free
loopback port with its data in a temporary folder, and stops it at the end. Every figure is a
whole staged load (upload into staging graphs, COUNT check, one MOVE update); "upload" is the
part spent sending graphs. Nothing is asserted: figures are printed with the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from ictkg.project import Project
from ictkg.stores.endpoint import SparqlEndpointStore
from ictkg.stores.loader import Engine, OxigraphEngine, derive_urls, load_quads


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("oxigraph did not start")


def synthetic(triples: int, graphs: int = 4) -> list[ox.Quad]:
    """``triples`` distinct quads spread over ``graphs`` named graphs, with literals and IRIs."""
    ex = "https://example.org/bench/"
    predicates = [ox.NamedNode(f"{ex}p{i}") for i in range(8)]
    names = [ox.NamedNode(f"https://w3id.org/ictkg/graph/bench-{g}") for g in range(graphs)]
    quads = []
    for i in range(triples):
        subject = ox.NamedNode(f"{ex}s{i // 8}")
        obj = ox.Literal(f"value {i}") if i % 2 else ox.NamedNode(f"{ex}o{i}")
        quads.append(ox.Quad(subject, predicates[i % 8], obj, names[i % graphs]))
    return quads


def _time(label: str, run, repeat: int) -> None:  # type: ignore[no-untyped-def]
    times, uploads = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        done = run()
        times.append(time.perf_counter() - started)
        uploads.append(sum(g.seconds for g in done.graphs) if done is not None else float("nan"))
    print(
        f"  {label:<44} best {min(times):7.2f} s  median {statistics.median(times):7.2f} s"
        f"  (upload {min(uploads):.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, pyoxigraph {ox.__version__}")
    with tempfile.TemporaryDirectory(prefix="ictkg-bench-load-") as tmp:
        process, base = _start(Path(tmp))
        try:
            endpoint = derive_urls(f"{base}/query")
            seed = Project().quads()
            print(f"seed dataset: {len(seed)} quads")
            _time(
                "ictkg load (staged, bulk PUT, one MOVE)",
                lambda: load_quads(seed, endpoint),
                args.repeat,
            )
            _time(
                "staged, plain Graph Store PUT",
                lambda: load_quads(seed, endpoint, engine=Engine()),
                args.repeat,
            )
            old = SparqlEndpointStore(f"{base}/query", None, f"{base}/store")
            _time(
                "before: one PUT per live graph (no staging)", lambda: old.load(seed), args.repeat
            )
            for size in args.sizes:
                started = time.perf_counter()
                quads = synthetic(size)
                print(
                    f"synthetic: {size} quads in 4 graphs (made in "
                    f"{time.perf_counter() - started:.1f} s)"
                )
                for label, engine in (
                    ("plain Graph Store PUT", Engine()),
                    ("bulk PUT ?no_transaction&lenient", OxigraphEngine()),
                ):
                    _time(
                        f"staged, {label}",
                        lambda e=engine, q=quads: load_quads(  # type: ignore[misc]
                            q, endpoint, engine=e, timeout=600
                        ),
                        args.repeat,
                    )
                del quads
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
