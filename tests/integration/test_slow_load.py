"""16 concurrent clients running every stored query in a loop against a real Oxigraph server for
60 s: zero errors (failed requests or answers differing from the first ones); then the same with
a writer replacing the dataset every 2 s by ``load_quads`` (what ``ictkg load`` calls), every
reader also asking the triples per ictkg graph, which must be the old or the new dataset's
(issue 10, item 6). The figures are printed (``-s``); ``benchmarks/load_test.py`` prints the same
without pytest. ICTKG_LOAD_SECONDS and ICTKG_LOAD_CLIENTS change the run (defaults 60 and 16).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictkg.project import Project
from load_support import LoadRun, machine, run
from oxigraph_support import start_oxigraph, stop

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SECONDS = float(os.environ.get("ICTKG_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("ICTKG_LOAD_CLIENTS", "16"))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, real_project: Project) -> Iterator[LoadRun]:
    """A server of its own (the writer replaces its dataset), loaded with the real dataset."""
    try:
        server, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph-load") / "server")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        ready = LoadRun(server.query_url, real_project)
        ready.prepare()
        print(f"\nmachine: {machine()}", flush=True)
        yield ready
    finally:
        stop(process)


def test_16_clients_running_every_stored_query_for_60_s_see_no_error(prepared: LoadRun) -> None:
    figures = run(prepared, clients=CLIENTS, seconds=SECONDS)
    print("\n".join(figures.lines()), flush=True)
    assert figures.errors == []
    assert len(figures.by_query) == len(prepared.cases) // 2  # every stored query ran
    assert figures.requests >= len(prepared.cases)


def test_with_a_writer_every_2_s_readers_see_the_old_or_the_new_counts_only(
    prepared: LoadRun,
) -> None:
    figures = run(prepared, clients=CLIENTS, seconds=SECONDS, writer_every=2.0)
    print("\n".join(figures.lines()), flush=True)
    assert figures.errors == []
    assert figures.load_errors == []
    assert figures.bad_counts == []
    assert figures.loads, "the writer loaded nothing"
    # Both datasets were seen live, so the invariant was tested across switches.
    assert set(figures.counts_seen) == {prepared.old_counts, prepared.new_counts}


def test_the_module_is_the_benchmark_script() -> None:
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "load_test.py"
    assert "from load_support import main" in script.read_text(encoding="utf-8")
