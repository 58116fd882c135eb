"""Fault injection in front of a real Oxigraph server (issue 10, item 6): the loopback fault
proxy (tests/fault_proxy.py) between ictkg and ``oxigraph serve``, so the faults come from the
network while the answers, transactions and graphs are a real server's. Every case hashes the
live ictkg graphs on the server (the LIVE query, sent straight to it) before and after: a
failure leaves them as they were, a recovery leaves them wholly new."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from fault_proxy import CLOSE, HANG, PASS, defer, drip, fault_proxy, latency, reset
from fault_support import Run, assert_one_clean_error, run
from ictkg.namespaces import GRAPH_NS, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.project import Project
from ictkg.stores.http import HttpClient
from ictkg.stores.loader import derive_urls, load_quads
from ictkg.stores.loads import STAGING_NS
from oxigraph_support import SparqlServer, start_oxigraph, stop
from protocol_support import PlainProtocolClient
from stub_endpoint import hashes_of

pytestmark = pytest.mark.integration

LIVE = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NS}") || ?g = <{QUERY_CATALOGUE_GRAPH_IRI}>) }}'
)
STAGING = f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_NS}")) }}'


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SparqlServer, subprocess.Popen[bytes]]]:
    """A server of this module's own (its graphs are replaced by the tests)."""
    try:
        started = start_oxigraph(tmp_path_factory.mktemp("oxigraph-faults"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield started
    finally:
        stop(started[1])


def old_dataset(project: Project) -> list[ox.Quad]:
    """What the server holds before each test: the dataset less one triple, plus an old graph."""
    quads = [*project.quads(), *project.description()]
    extra = ox.Quad(
        ox.NamedNode(GRAPH_NS + "wp2012"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.Literal("an older edition", language="en"),
        ox.NamedNode(GRAPH_NS + "wp2012"),
    )
    return [*quads[1:], extra]


@pytest.fixture
def oxigraph(
    server: tuple[SparqlServer, subprocess.Popen[bytes]],
    real_project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> SparqlServer:
    """The server holding the old dataset, straight (no proxy)."""
    for name in ("ICTKG_ENDPOINT_USER", "ICTKG_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    sparql = server[0]
    if live(sparql) != _OLD.get(sparql.base):  # a test changed it (or the first test)
        load_quads(old_dataset(real_project), derive_urls(sparql.query_url), retries=0)
        _OLD[sparql.base] = live(sparql)
    return sparql


_OLD: dict[str, dict[str, str]] = {}
"""The live hashes of the old dataset, per server, once it is loaded."""


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays between tries, recorded instead of slept."""
    asked: list[float] = []
    for defaults in (HttpClient.__init__.__kwdefaults__, load_quads.__kwdefaults__):
        assert defaults is not None and "sleep" in defaults
        monkeypatch.setitem(defaults, "sleep", asked.append)
    return asked


def live(server: SparqlServer) -> dict[str, str]:
    result = PlainProtocolClient(server.query_url).query(LIVE)
    quads = [ox.Quad(s, p, o, g) for g, s, p, o in result.rows]  # type: ignore[arg-type]
    return hashes_of(quads)


def staging_left(server: SparqlServer) -> bool:
    return bool(PlainProtocolClient(server.query_url).query(STAGING).boolean)


def new_hashes(project: Project, query_url: str) -> dict[str, str]:
    return hashes_of([*project.quads(), *project.description(endpoint=query_url)])


def graphs_sent(project: Project, query_url: str) -> int:
    quads = [*project.quads(), *project.description(endpoint=query_url)]
    return len({q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)})


def test_a_dripping_load_times_out_and_changes_nothing(
    oxigraph: SparqlServer, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = live(oxigraph)
    with fault_proxy(oxigraph.base, then=drip(0.2)) as proxy:
        url = proxy.url(oxigraph.query_url)
        result = run(
            capsys,
            real_project.root,
            "load",
            "--force",
            "--endpoint",
            url,
            "--timeout",
            "1",
            "--retries",
            "0",
        )
    assert result.code == 75, result.err
    assert_one_clean_error(result, "within 1 s")
    assert result.seconds < 1 + 2.0  # the deadline, not a per-read timeout
    assert live(oxigraph) == before


def test_a_reset_upload_leaves_the_live_graphs(
    oxigraph: SparqlServer, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Connections: the ASK, the list of live graphs, then the first upload (reset mid-answer)."""
    before = live(oxigraph)
    with fault_proxy(oxigraph.base, [PASS, PASS, reset(10)], then=PASS) as proxy:
        url = proxy.url(oxigraph.query_url)
        result = run(
            capsys, real_project.root, "load", "--force", "--endpoint", url, "--retries", "0"
        )
        assert proxy.used[:3] == ["pass", "pass", "reset"]
    assert result.code == 69, result.err
    assert_one_clean_error(result, "the connection failed")
    assert "dropped" in result.err and "staging graph" in result.err
    assert live(oxigraph) == before
    assert not staging_left(oxigraph)


def test_a_hung_switch_leaves_the_live_graphs(
    oxigraph: SparqlServer, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The switch never reaches the server: after the timeout the loader finds the staging
    graphs still there, so it was not applied; it drops them and exits 75."""
    before = live(oxigraph)
    with fault_proxy(oxigraph.base) as proxy:
        url = proxy.url(oxigraph.query_url)
        switch = 2 + graphs_sent(real_project, url) + 1  # ASK, live graphs, uploads, COUNT
        proxy.plan(*[PASS] * switch, HANG, then=PASS)
        result = run(
            capsys,
            real_project.root,
            "load",
            "--force",
            "--endpoint",
            url,
            "--timeout",
            "1",
            "--retries",
            "0",
        )
        assert proxy.used[switch] == "hang", proxy.used
    assert result.code == 75, result.err
    assert_one_clean_error(result, "switch to the new dataset")
    assert live(oxigraph) == before
    assert not staging_left(oxigraph)


def test_a_switch_whose_answer_is_lost_is_found_applied(
    oxigraph: SparqlServer, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The switch reaches the server, which applies it; its answer comes too late. The loader
    finds the staging graphs gone, so the dataset is wholly the new one: exit 0."""
    with fault_proxy(oxigraph.base) as proxy:
        url = proxy.url(oxigraph.query_url)
        switch = 2 + graphs_sent(real_project, url) + 1
        # (the server must apply the switch within the timeout: 2.5 s, for a loaded machine)
        proxy.plan(*[PASS] * switch, latency(3.0), then=PASS)
        result = run(
            capsys,
            real_project.root,
            "load",
            "--force",
            "--endpoint",
            url,
            "--timeout",
            "2.5",
            "--retries",
            "0",
        )
        assert proxy.used[switch] == "latency", proxy.used
    assert result.code == 0, result.err
    assert "the switch was applied although its answer was lost" in result.err
    assert live(oxigraph) == new_hashes(real_project, url)
    assert not staging_left(oxigraph)


def test_a_switch_the_server_starts_after_the_timeout_changes_nothing(
    oxigraph: SparqlServer, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The switch reaches the server only after the loader gave up on it: the loader's check
    sees the staging graphs, drops them and exits 75; the late MOVE then fails on its missing
    source (MOVE without SILENT, SPARQL 1.1 Update), so the live graphs stay wholly old. The
    loader does not claim that: a switch the server is still applying may yet commit."""
    before = live(oxigraph)
    with fault_proxy(oxigraph.base) as proxy:
        url = proxy.url(oxigraph.query_url)
        switch = 2 + graphs_sent(real_project, url) + 1
        proxy.plan(*[PASS] * switch, defer(2.0), then=PASS)
        result = run(
            capsys,
            real_project.root,
            "load",
            "--force",
            "--endpoint",
            url,
            "--timeout",
            "1",
            "--retries",
            "0",
        )
        assert proxy.used[switch] == "defer", proxy.used
        waited = 0.0
        while proxy.request_bytes.get(switch, 0) < 100 and waited < 5:  # the late MOVE
            time.sleep(0.05)
            waited += 0.05
        assert proxy.request_bytes.get(switch, 0) > 100  # it did reach the server
        time.sleep(0.5)  # and the server has worked on it
    assert result.code == 75, result.err
    assert "dropped" in result.err and "had not been applied when checked" in result.err
    assert "the live graphs are unchanged" not in result.err  # it could not know that
    assert live(oxigraph) == before
    assert not staging_left(oxigraph)


_CLEAN: dict[tuple[str, ...], Run] = {}
"""Each command's output straight from the server (the dataset is the same in every test)."""

QUERY = ("query", "19", "--format", "csv")
SPARQL = ("sparql", "SELECT ?m WHERE { ?m a ictkg:Meeting } ORDER BY ?m", "--format", "csv")


@pytest.mark.parametrize("args", [QUERY, SPARQL], ids=["query", "sparql"])
def test_a_dripping_server_times_out_a_query(
    args: tuple[str, ...],
    oxigraph: SparqlServer,
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    before = live(oxigraph)
    with fault_proxy(oxigraph.base, [drip(0.2)] * 4, then=PASS) as proxy:
        url = proxy.url(oxigraph.query_url)
        result = run(capsys, real_project.root, *args, "--endpoint", url, "--timeout", "0.5")
        assert proxy.connections == 4  # tried, then retried 3 times
    assert result.code == 75, result.err
    assert_one_clean_error(result, "within 0.5 s")
    assert result.seconds < 4 * 0.5 + 2.0 and sleeps == [0.5, 1.0, 2.0]  # 4 deadlines
    assert live(oxigraph) == before


@pytest.mark.parametrize("args", [QUERY, SPARQL], ids=["query", "sparql"])
@pytest.mark.parametrize(
    "first", [reset(0), reset(100), CLOSE], ids=["reset", "reset-100", "close"]
)
def test_a_query_recovers_from_one_broken_connection(
    first: object,
    args: tuple[str, ...],
    oxigraph: SparqlServer,
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    before = live(oxigraph)
    if args not in _CLEAN:
        _CLEAN[args] = run(capsys, real_project.root, *args, "--endpoint", oxigraph.query_url)
    clean = _CLEAN[args]
    assert clean.code == 0, clean.err
    with fault_proxy(oxigraph.base, [first], then=PASS) as proxy:  # type: ignore[list-item]
        url = proxy.url(oxigraph.query_url)
        result = run(capsys, real_project.root, *args, "--endpoint", url, "--timeout", "2")
    assert result.code == 0, result.err
    assert result.out == clean.out and clean.out.count("\n") > 5
    assert sleeps == [0.5]
    assert live(oxigraph) == before


def test_hashes_see_a_change(oxigraph: SparqlServer, real_project: Project) -> None:
    """The LIVE hashes are not blind: loading the new dataset changes them."""
    before = live(oxigraph)
    load_quads(
        [*real_project.quads(), *real_project.description()],
        derive_urls(oxigraph.query_url),
        retries=0,
    )
    assert live(oxigraph) != before
