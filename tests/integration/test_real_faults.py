"""Faults on a real Oxigraph server, not a stub: a server that stops answering in the middle of
a load, and one that is gone. Each ends with its documented exit code and the live graphs
unchanged (hashed before and after)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.cli import main
from ictkg.errors import StoreTimeoutError
from ictkg.namespaces import GRAPH_NS, QUERY_CATALOGUE_GRAPH_IRI, REFERENCE_GRAPH_IRI
from ictkg.project import Project
from ictkg.stores.loader import derive_urls, load_quads
from oxigraph_support import SparqlServer, start_oxigraph, stop
from protocol_support import PlainProtocolClient
from stub_endpoint import hashes_of

pytestmark = pytest.mark.integration

LIVE = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NS}") || ?g = <{QUERY_CATALOGUE_GRAPH_IRI}>) }}'
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[SparqlServer, subprocess.Popen[bytes]]]:
    """A server of this test's own, since the test pauses it."""
    try:
        started = start_oxigraph(tmp_path / "oxigraph")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield started
    finally:
        if started[1].poll() is None:
            os.kill(started[1].pid, signal.SIGCONT)
            stop(started[1])


def _live(server: SparqlServer) -> dict[str, str]:
    result = PlainProtocolClient(server.query_url).query(LIVE)
    quads = [ox.Quad(s, p, o, g) for g, s, p, o in result.rows]  # type: ignore[arg-type]
    return hashes_of(quads)


def test_a_server_that_stops_answering_mid_load_leaves_the_live_graphs(
    server: tuple[SparqlServer, subprocess.Popen[bytes]], real_project: Project
) -> None:
    sparql, process = server
    endpoint = derive_urls(sparql.query_url, environ={"NETRC": "/nonexistent"})
    old = real_project.quads()
    load_quads(old, endpoint)
    before = _live(sparql)
    # The change is in the graph that goes first, and every graph changes, so a loader that
    # wrote into the live graphs one by one would have changed one before the freeze.
    first = min(str(q.graph_name.value) for q in old)
    changed = [
        *old,
        *(
            ox.Quad(
                ox.NamedNode(graph),
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                ox.Literal("changed"),
                ox.NamedNode(graph),
            )
            for graph in {first, REFERENCE_GRAPH_IRI}
        ),
    ]

    def pause_after_first_graph(message: str) -> None:
        if message.startswith("staged "):  # one graph is in staging: the server freezes
            os.kill(process.pid, signal.SIGSTOP)

    with pytest.raises(StoreTimeoutError):
        load_quads(
            changed,
            endpoint,
            timeout=0.5,
            retries=1,
            backoff=0.05,
            progress=pause_after_first_graph,
        )
    os.kill(process.pid, signal.SIGCONT)
    assert _live(sparql) == before


def test_a_server_that_is_gone_exits_69_before_anything_changes(
    server: tuple[SparqlServer, subprocess.Popen[bytes]],
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sparql, process = server
    stop(process)
    code = main(
        ["--root", str(real_project.root), "load", "--endpoint", sparql.query_url, "--retries", "0"]
    )
    assert code == 69
    err = capsys.readouterr().err
    assert f"error: reach {sparql.query_url}: the connection failed (" in err
    assert err.count(sparql.query_url) == 1
    assert "check that the endpoint is running" in err
