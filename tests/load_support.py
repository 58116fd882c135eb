"""Load generation against a SPARQL server: concurrent clients running every stored query in a
loop, optionally while a writer replaces the dataset with ``ictkg load`` every few seconds.

Used by tests/integration/test_slow_load.py (which asserts zero errors and the count invariant)
and by ``benchmarks/load_test.py`` (which prints the figures). Each client is a thread with its
own ictkg endpoint store (:class:`ictkg.stores.endpoint.SparqlEndpointStore`, what
``ictkg query --endpoint`` uses) and runs :func:`ictkg.stores.run_query` on every stored query,
once with its header examples and once with no values. Every answer is compared with the one
read before the clients started, so a wrong answer counts as an error, like a failed request.

With a writer, :func:`ictkg.stores.loader.load_quads` (the library function ``ictkg load``
calls, after validation) alternates two datasets with different triple counts, and after each
stored query every client also asks the triples per ictkg graph, which must be the old
dataset's or the new one's, never anything else.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import platform
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ictkg.namespaces import GRAPH_NS, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.project import Project
from ictkg.queries.files import StoredQuery
from ictkg.queries.parameters import example_bindings
from ictkg.queries.results import QueryResult
from ictkg.stores import run_query
from ictkg.stores.endpoint import SparqlEndpointStore
from ictkg.stores.loader import derive_urls, load_quads

__all__ = [
    "COUNTS",
    "Figures",
    "LoadRun",
    "datasets",
    "machine",
    "plan",
    "run",
]

COUNTS = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NS}") || ?g = <{QUERY_CATALOGUE_GRAPH_IRI}>) }} '
    "GROUP BY ?g"
)
"""Triples per live ictkg graph (staging graphs, which readers never see, are left out)."""

EXTRA_GRAPH = GRAPH_NS + "load-test-extra"
"""The graph only the second dataset has."""

Counts = tuple[tuple[str, int], ...]
Case = tuple[StoredQuery, str, dict[str, object]]


def machine() -> str:
    """One line naming the machine, for the figures."""
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
        f"load average {load[0]:.2f} at start, python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}"
    )


def datasets(project: Project, query_url: str, extra: int = 2000) -> tuple[list[ox.Quad], ...]:
    """The real dataset with its description (what ``ictkg load`` sends), and the same plus a
    generated graph of ``extra`` triples: two datasets with different counts."""
    real = [*project.quads(), *project.description(endpoint=query_url)]
    graph = ox.NamedNode(EXTRA_GRAPH)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    more = [
        ox.Quad(
            ox.NamedNode(f"https://example.org/load-test/{i}"), label, ox.Literal(f"n{i}"), graph
        )
        for i in range(extra)
    ]
    return real, [*real, *more]


def plan(project: Project) -> list[Case]:
    """Every stored query twice: with its header examples and with no values."""
    cases: list[Case] = []
    for query in project.stored_queries():
        cases.append((query, "example", dict(example_bindings(query))))
        cases.append((query, "all", {}))
    return cases


def _digest(result: QueryResult) -> str:
    rows = sorted("\t".join("" if v is None else str(v) for v in row) for row in result.rows)
    return hashlib.sha256(
        "\n".join([*result.variables, str(result.boolean), *rows]).encode()
    ).hexdigest()


def _counts(store: SparqlEndpointStore) -> Counts:
    result = store.query(COUNTS)
    return tuple(
        sorted((str(row[0].value), int(row[1].value)) for row in result.rows)  # type: ignore[union-attr]
    )


def _plain_store(query_url: str, timeout: float) -> SparqlEndpointStore:
    """An endpoint store that names no graph (for the count query's GRAPH ?g)."""
    store = SparqlEndpointStore(query_url, timeout=timeout)
    store._graphs = ()  # no default-graph-uri: the query sees every graph by GRAPH ?g
    return store


@dataclass
class Figures:
    """What one run measured."""

    label: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    """Seconds per stored-query request."""
    by_query: dict[str, list[float]] = field(default_factory=dict)
    """The same, by stored query."""
    writer_every: float | None = None
    count_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One message per failed request or wrong answer."""
    counts_seen: dict[Counts, int] = field(default_factory=dict)
    """Count answers seen by the readers, and how often."""
    bad_counts: list[Counts] = field(default_factory=list)
    """Count answers that were neither the old nor the new dataset's."""
    loads: list[float] = field(default_factory=list)
    """Seconds per completed writer load."""
    load_errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def quantile(self, q: float, values: Sequence[float] | None = None) -> float:
        data = sorted(self.latencies if values is None else values)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))]

    def lines(self) -> list[str]:
        out = [
            f"{self.label}: {self.clients} clients, {self.seconds:.1f} s, "
            f"{self.requests} stored-query requests, {self.throughput:.1f} requests/s, "
            f"p50 {self.quantile(0.50) * 1000:.1f} ms, p99 {self.quantile(0.99) * 1000:.1f} ms, "
            f"max {max(self.latencies, default=float('nan')) * 1000:.1f} ms, "
            f"{len(self.errors)} errors"
        ]
        if self.count_latencies:
            out.append(
                f"  count queries: {len(self.count_latencies)}, "
                f"p50 {self.quantile(0.5, self.count_latencies) * 1000:.1f} ms, "
                f"p99 {self.quantile(0.99, self.count_latencies) * 1000:.1f} ms; "
                f"answers seen: {sorted(self.counts_seen.values(), reverse=True)} "
                f"({len(self.counts_seen)} distinct), {len(self.bad_counts)} neither old nor new"
            )
        if self.writer_every is not None:
            target = int(self.seconds // self.writer_every)
            out.append(
                f"  writer: {len(self.loads)} loads of a target {target} (one every "
                f"{self.writer_every:g} s), {len(self.load_errors)} failed"
                + (
                    f"; median {statistics.median(self.loads):.2f} s, max {max(self.loads):.2f} s"
                    if self.loads
                    else ""
                )
            )
        slowest = sorted(self.by_query.items(), key=lambda item: -self.quantile(0.5, item[1]))[:5]
        out.append(
            "  slowest queries by p50: "
            + ", ".join(f"{q} {self.quantile(0.5, v) * 1000:.0f} ms" for q, v in slowest)
        )
        out += [f"  error: {e}" for e in self.errors[:5]]
        out += [f"  load error: {e}" for e in self.load_errors[:5]]
        return out


@dataclass
class LoadRun:
    """A server loaded with the first dataset, and what its answers should be."""

    query_url: str
    project: Project
    timeout: float = 60.0
    cases: list[Case] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    old: list[ox.Quad] = field(default_factory=list)
    new: list[ox.Quad] = field(default_factory=list)
    old_counts: Counts = ()
    new_counts: Counts = ()

    def prepare(self) -> None:
        """Load both datasets in turn (reading their counts), leave the first live, and read
        every stored query's answer."""
        endpoint = derive_urls(self.query_url, environ={"NETRC": "/nonexistent"})
        self.old, self.new = datasets(self.project, self.query_url)
        counter = _plain_store(self.query_url, self.timeout)
        load_quads(self.new, endpoint)
        self.new_counts = _counts(counter)
        load_quads(self.old, endpoint)
        self.old_counts = _counts(counter)
        if self.old_counts == self.new_counts:
            raise AssertionError("the two datasets have the same counts")
        self.cases = plan(self.project)
        store = SparqlEndpointStore(self.query_url, timeout=self.timeout)
        self.expected = [_digest(run_query(q, store, b)) for q, _, b in self.cases]


def run(
    prepared: LoadRun,
    *,
    clients: int = 16,
    seconds: float = 60.0,
    writer_every: float | None = None,
    label: str = "",
) -> Figures:
    """Run ``clients`` readers for ``seconds``; with ``writer_every``, a writer replacing the
    dataset that often (alternating the two datasets, the old one live at the end)."""
    label = label or ("readers and a writer" if writer_every else "readers")
    figures = Figures(label, clients, 0.0, writer_every=writer_every)
    lock = threading.Lock()
    stop = threading.Event()
    allowed = {prepared.old_counts, prepared.new_counts}
    check_counts = writer_every is not None

    def reader(index: int) -> None:
        store = SparqlEndpointStore(prepared.query_url, timeout=prepared.timeout)
        store.graph_names()  # the live graphs, asked once as ictkg query does
        counter = _plain_store(prepared.query_url, prepared.timeout)
        latencies: list[float] = []
        by_query: dict[str, list[float]] = {}
        count_latencies: list[float] = []
        errors: list[str] = []
        seen: dict[Counts, int] = {}
        order = itertools.cycle(range(len(prepared.cases)))
        for _ in range(index * 5 % len(prepared.cases)):  # clients start at different queries
            next(order)
        while not stop.is_set():
            i = next(order)
            query, case, bindings = prepared.cases[i]
            begun = time.perf_counter()
            try:
                result = run_query(query, store, bindings)
                if _digest(result) != prepared.expected[i]:
                    errors.append(f"{query.id} ({case}): a different answer")
            except Exception as exc:  # every failure counts, whatever its type
                errors.append(f"{query.id} ({case}): {type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - begun)
            by_query.setdefault(query.id, []).append(latencies[-1])
            if check_counts:
                begun = time.perf_counter()
                try:
                    counts = _counts(counter)
                    seen[counts] = seen.get(counts, 0) + 1
                except Exception as exc:
                    errors.append(f"count query: {type(exc).__name__}: {exc}")
                count_latencies.append(time.perf_counter() - begun)
        with lock:
            figures.latencies += latencies
            figures.count_latencies += count_latencies
            figures.errors += errors
            for name, values in by_query.items():
                figures.by_query.setdefault(name, []).extend(values)
            for counts, n in seen.items():
                figures.counts_seen[counts] = figures.counts_seen.get(counts, 0) + n

    def write() -> None:
        endpoint = derive_urls(prepared.query_url, environ={"NETRC": "/nonexistent"})
        assert writer_every is not None
        turn = itertools.cycle((prepared.new, prepared.old))
        due = time.monotonic()
        while not stop.is_set():
            due += writer_every
            if stop.wait(max(0.0, due - time.monotonic())):
                break
            begun = time.perf_counter()
            try:
                load_quads(next(turn), endpoint, timeout=prepared.timeout)
                figures.loads.append(time.perf_counter() - begun)
            except Exception as exc:
                figures.load_errors.append(f"{type(exc).__name__}: {exc}")
        load_quads(prepared.old, endpoint, timeout=prepared.timeout)  # leave the old one live

    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(clients)]
    if writer_every is not None:
        threads.append(threading.Thread(target=write, daemon=True))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads[:clients]:
        thread.join(timeout=prepared.timeout + 30)
    figures.seconds = time.perf_counter() - started  # until the last reader's last answer
    for thread in threads[clients:]:
        thread.join(timeout=prepared.timeout + 30)
    figures.bad_counts = [c for c in figures.counts_seen if c not in allowed]
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """``benchmarks/load_test.py``: start a server, run both runs, print the figures."""
    import argparse
    import tempfile

    from oxigraph_support import start_oxigraph, stop

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per run (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="reader threads (default 16)")
    parser.add_argument(
        "--writer-every", type=float, default=2.0, help="seconds between loads (default 2)"
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="ictkg-load-test-") as tmp:
        server, process = start_oxigraph(Path(tmp) / "oxigraph")
        try:
            prepared = LoadRun(server.query_url, Project(args.root))
            prepared.prepare()
            print(
                f"{len(prepared.cases)} requests per pass ({len(prepared.cases) // 2} stored "
                f"queries, examples and no values); datasets of {len(prepared.old)} and "
                f"{len(prepared.new)} quads"
            )
            failed = False
            for every in (None, args.writer_every):
                figures = run(
                    prepared, clients=args.clients, seconds=args.seconds, writer_every=every
                )
                print("\n".join(figures.lines()), flush=True)
                failed = failed or bool(figures.errors or figures.bad_counts or figures.load_errors)
        finally:
            stop(process)
    return 1 if failed else 0
