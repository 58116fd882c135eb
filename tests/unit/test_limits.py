"""Bounded work (issue 10, item 4): a total deadline on every query and a cap on every answer, on
every backend; a damaged embedded store reported, and the answer still given.

The runaway query counts a cross product of the whole graph with itself four times (about 10^18
rows on the real data): without the deadline it runs for years. Neither pyoxigraph nor rdflib
can cancel a query, and a count is one step that notices no cancellation, so that query runs only
in a child process (the CLI, which exits at the deadline); in this process the deadline is shown
on a query that streams rows, which its worker stops at the next row."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pyoxigraph as ox
import pytest

from ictkg.cli import main
from ictkg.cli.app import cli
from ictkg.errors import AnswerLimitError, ExitCode, StoreTimeoutError, exit_code_for
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.stores import Store
from ictkg.stores.limits import DEFAULT_LIMITS, Limits
from ictkg.stores.memory import MemoryStore
from ictkg.stores.oxigraph import DamagedStoreError, OxigraphStore

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
RUNNING = "ictkg-query"  # the worker threads' name
Kind = type[OxigraphStore] | type[MemoryStore]
KINDS = pytest.mark.parametrize("kind", [OxigraphStore, MemoryStore], ids=["oxigraph", "memory"])


def _workers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == RUNNING)


def _small_store(kind: Kind, limits: Limits) -> Store:
    store = kind(limits=limits)
    p = ox.NamedNode("http://example.org/p")
    g = ox.NamedNode("https://w3id.org/ictkg/graph/x")
    store.load(
        ox.Quad(ox.NamedNode(f"http://example.org/{i}"), p, ox.Literal(i), g) for i in range(60)
    )
    return store


@KINDS
def test_a_streaming_runaway_ends_at_the_deadline_and_its_worker_stops(kind: Kind) -> None:
    store = _small_store(kind, Limits(timeout=0.3, max_rows=10**9))
    before = _workers()
    started = time.monotonic()
    with pytest.raises(StoreTimeoutError, match="did not finish within 0.3 s") as caught:
        # 60^4 = 13 million rows of one column: seconds to stream, and more to collect.
        store.query("SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert 0.3 <= time.monotonic() - started < 2
    assert exit_code_for(caught.value) == ExitCode.TIMEOUT == 75
    assert "--timeout" in str(caught.value)
    for _ in range(100):  # the abandoned worker stops at its next row
        if _workers() == before:
            break
        time.sleep(0.05)
    assert _workers() == before


@KINDS
def test_a_graph_query_ends_at_the_deadline(kind: Kind) -> None:
    store = _small_store(kind, Limits(timeout=0.3, max_rows=10**9))
    with pytest.raises(StoreTimeoutError):
        store.query_graph(
            "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        )


@pytest.mark.parametrize("backend", ["embedded", "memory"])
def test_a_runaway_count_ends_the_cli_at_the_deadline(project_root: Path, backend: str) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "ictkg", "--root", str(project_root), "sparql", RUNAWAY]
        + ["--backend", backend, "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == ExitCode.TIMEOUT == 75, done.stderr
    assert "error: the query did not finish within 1 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 60  # startup (and an in-memory build), then 1 s


@KINDS
def test_an_answer_over_max_rows_is_refused(kind: Kind) -> None:
    store = _small_store(kind, Limits(max_rows=10))
    with pytest.raises(AnswerLimitError, match="more than 10 rows") as caught:
        store.query(EVERYTHING)
    assert exit_code_for(caught.value) == ExitCode.REFUSED == 77
    assert "--max-rows" in str(caught.value)
    with pytest.raises(AnswerLimitError, match="more than 10 triples"):
        store.query_graph("CONSTRUCT WHERE { ?s ?p ?o }")
    assert len(store.query(EVERYTHING + " LIMIT 10").rows) == 10  # exactly the limit is fine


def test_a_project_hands_its_limits_to_every_backend(project_root: Path) -> None:
    limits = Limits(timeout=5, max_rows=7)
    project = Project(project_root, limits=limits)
    for backend in ("embedded", "memory", "oxigraph"):
        assert project.open_store(backend).limits == limits, backend
    endpoint = project.open_store(endpoint="http://127.0.0.1:9/query")
    assert endpoint.limits == limits


def test_the_cli_refuses_an_answer_over_max_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "01", "--backend", "oxigraph", "--max-rows", "2"])
    _out, err = capsys.readouterr()
    assert code == ExitCode.REFUSED
    assert "error: the answer has more than 2 rows" in err
    assert "--max-rows" in err


@pytest.mark.parametrize(
    ("flag", "value", "wanted"),
    [("--timeout", "0", "x>0"), ("--max-rows", "0", "x>=1"), ("--max-answer-mb", "-1", "x>0")],
)
def test_limits_must_be_positive(
    capsys: pytest.CaptureFixture[str], flag: str, value: str, wanted: str
) -> None:
    assert main(["query", "01", flag, value]) == ExitCode.USAGE
    assert wanted in capsys.readouterr().err


@pytest.mark.parametrize("command", ["query", "sparql", "describe", "search"])
def test_the_cli_defaults_are_the_library_defaults(command: str) -> None:
    group = cli
    assert isinstance(group, click.Group)
    found = group.get_command(click.Context(group), command)
    assert found is not None
    options = {p.name: p.default for p in found.params}
    assert options["timeout"] == DEFAULT_LIMITS.timeout == 60
    assert options["max_rows"] == DEFAULT_LIMITS.max_rows == 100_000
    assert options["max_answer_mb"] == DEFAULT_LIMITS.max_answer_mb == 256


# -- A damaged embedded store -------------------------------------------------------------------


def _damage(store_dir: Path) -> int:
    """Flip bytes all through the store's table files and manifest; return how many files."""
    damaged = 0
    for path in sorted(store_dir.rglob("*")):
        if path.is_file() and (path.suffix == ".sst" or path.name.startswith("MANIFEST")):
            data = bytearray(path.read_bytes())
            for at in range(64, len(data), 97):
                data[at] ^= 0xFF
            path.write_bytes(bytes(data))
            damaged += 1
    return damaged


def test_a_damaged_store_is_reported_and_the_answer_still_given(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    root = str(mini_project.root)
    assert main(["--root", root, "build"]) == ExitCode.OK
    capsys.readouterr()
    assert _damage(mini_project.store_dir) > 0

    with pytest.raises(DamagedStoreError, match="is damaged") as caught:
        OxigraphStore(mini_project.store_dir / "store", read_only=True)
    assert exit_code_for(caught.value) == ExitCode.STORE_UNAVAILABLE
    assert "ictkg build" in str(caught.value)

    meetings = "SELECT (COUNT(DISTINCT ?m) AS ?n) { ?m a ictkg:Meeting }"
    count = ["--root", root, "sparql", meetings, "--format", "csv"]
    code = main(count)
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    assert "is damaged" in err and "run `ictkg build` to write the store again" in err
    assert "Traceback" not in err
    answer = out.splitlines()[1]
    assert int(answer) > 0  # the mini project's meetings

    # `ictkg build` writes the store again, and it serves without the note.
    assert main(["--root", root, "build"]) == ExitCode.OK
    capsys.readouterr()
    assert main(count) == ExitCode.OK
    out, err = capsys.readouterr()
    assert "damaged" not in err
    assert out.splitlines()[1] == answer
