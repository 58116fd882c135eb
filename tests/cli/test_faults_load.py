"""Fault injection for ``ictkg load --endpoint`` (issue 10, item 6): a stub endpoint failing on
cue, and the loopback fault proxy (tests/fault_proxy.py) in front of it for the faults below
HTTP (latency, hang, drip, reset after N bytes, close). Each case checks the exit code, the one
error line, the requests the endpoint saw where retrying matters, and that the live dataset is
unchanged (or, when the load recovers, wholly the new one)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from fault_proxy import CLOSE, HANG, PASS, Mode, drip, fault_proxy, latency, reset
from fault_support import assert_one_clean_error, closed_port_url, empty_object, run, truncated_json
from ictkg.namespaces import GRAPH_NS
from ictkg.project import Project
from ictkg.stores.loader import load_quads
from ictkg.stores.loads import is_staging_graph
from stub_endpoint import Fault, StubEndpoint, hashes_of, stub_endpoint

AUTH = {"WWW-Authenticate": 'Basic realm="stub"'}


def old_dataset(quads: list[ox.Quad]) -> list[ox.Quad]:
    """What the endpoint holds before a load: the dataset less one triple, plus an old graph."""
    extra = ox.Quad(
        ox.NamedNode(GRAPH_NS + "wp2012"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.Literal("an older edition", language="en"),
        ox.NamedNode(GRAPH_NS + "wp2012"),
    )
    return [*quads[1:], extra]


@pytest.fixture(scope="module")
def shared_stub(real_project: Project) -> Iterator[StubEndpoint]:
    with stub_endpoint() as server:
        yield server


@pytest.fixture
def stub(
    shared_stub: StubEndpoint, real_project: Project, monkeypatch: pytest.MonkeyPatch
) -> StubEndpoint:
    """The module's stub holding the old dataset, with no faults and no requests seen."""
    for name in ("ICTKG_ENDPOINT_USER", "ICTKG_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    shared_stub.load(old_dataset(real_project.quads()))
    shared_stub.faults = []
    shared_stub.requests.clear()
    shared_stub.authorizations.clear()
    return shared_stub


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the loader asks for between tries, recorded instead of slept (the wait for
    Retry-After is measured for real in its own test)."""
    asked: list[float] = []
    defaults = load_quads.__kwdefaults__
    assert defaults is not None and "sleep" in defaults
    monkeypatch.setitem(defaults, "sleep", asked.append)
    return asked


def backoff(retries: int) -> list[float]:
    """The delays before each retry: 0.5 s, doubling."""
    return [0.5 * 2**i for i in range(retries)]


def loaded_hashes(project: Project, query_url: str) -> dict[str, str]:
    """What a load sends: the dataset and its description naming the endpoint."""
    return hashes_of([*project.quads(), *project.description(endpoint=query_url)])


def staging_left(stub: StubEndpoint) -> list[str]:
    return [g.value for g in stub.store.named_graphs() if is_staging_graph(g.value)]


def requests(stub: StubEndpoint, method: str, path: str) -> int:
    return stub.requests.count((method, path))


def load(capsys: pytest.CaptureFixture[str], root: Path, url: str, *options: str):  # type: ignore[no-untyped-def]
    """``ictkg load --force``: SHACL is not what these tests are about (tests/cli/test_load.py
    covers the validation step), and skipping it keeps the set fast."""
    return run(capsys, root, "load", "--force", "--endpoint", url, *options)


# -- HTTP faults from the stub ---------------------------------------------------------------

STUB_FAULTS: dict[str, tuple[list[Fault], tuple[str, ...], int, str]] = {
    # name: (faults, options, exit code, in the error line)
    "404-query-url": ([Fault("status", path="/query", status=404)], (), 69, "HTTP 404"),
    "400-on-upload": (
        [Fault("status", method="PUT", path="/store", status=400)],
        (),
        69,
        "failed with HTTP 400",
    ),
    "415-on-upload-and-insert": (
        [
            Fault("status", method="PUT", path="/store", status=415),
            Fault("status", method="POST", path="/update", contains="INSERT+DATA", status=415),
        ],
        (),
        69,
        "HTTP 415",
    ),
    "persistent-503": (
        [Fault("status", method="PUT", path="/store", status=503)],
        ("--retries", "2"),
        69,
        "HTTP 503 Service Unavailable after 3 tries",
    ),
    "persistent-500-on-ask": (
        [Fault("status", path="/query", status=500)],
        ("--retries", "1"),
        69,
        "HTTP 500 Internal Server Error after 2 tries",
    ),
    "html-instead-of-results": (
        [Fault("html", path="/query")],
        (),
        69,
        "answered with a web page (text/html), not SPARQL results",
    ),
    "truncated-json": ([truncated_json(path="/query")], (), 69, "did not answer in SPARQL"),
    "empty-object": ([empty_object(path="/query")], (), 69, "did not answer in SPARQL"),
    "truncated-json-on-count": (
        [truncated_json(path="/query", contains="COUNT")],
        (),
        69,
        "count the staging graphs",
    ),
    "hang-on-upload": (
        [Fault("hang", method="PUT", path="/store", seconds=3)],
        ("--timeout", "0.3", "--retries", "0"),
        75,
        "within 0.3 s",
    ),
    "hang-on-switch": (
        [Fault("hang", method="POST", path="/update", contains="MOVE", seconds=3)],
        ("--timeout", "1", "--retries", "0"),
        75,
        "switch to the new dataset",
    ),
    "switch-started-after-the-timeout": (
        # The check after the lost answer sees the staging graphs, drops them, and exits 75;
        # the server's late MOVE then fails on its missing source (SPARQL 1.1 Update: MOVE
        # without SILENT fails when the source graph does not exist), so nothing changes.
        [Fault("delay", method="POST", path="/update", contains="MOVE", seconds=2.2)],
        ("--timeout", "1", "--retries", "0"),
        75,
        "switch to the new dataset",
    ),
    "reset-on-switch": (
        [Fault("reset", method="POST", path="/update", contains="MOVE")],
        ("--retries", "0"),
        69,
        "switch to the new dataset",
    ),
}


KNOWN_BUGS: dict[str, pytest.MarkDecorator] = {}  # (none open: add strict xfails here)


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=KNOWN_BUGS.get(n, ())) for n in STUB_FAULTS]
)
def test_an_http_fault_exits_with_its_code_and_changes_nothing(
    name: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    faults, options, expected, fragment = STUB_FAULTS[name]
    stub.faults = faults
    before = stub.graph_hashes()
    result = load(capsys, project_root, stub.query_url, *options)
    assert result.code == expected, result.err
    assert_one_clean_error(result, fragment, "hint: ")
    retries = int(options[options.index("--retries") + 1]) if "--retries" in options else 3
    # only the persistent 5xx are retried; a refusal or a wrong answer is final at once
    assert sleeps == (backoff(retries) if name.startswith("persistent") else []), sleeps
    time.sleep(1.5 if name == "switch-started-after-the-timeout" else 0)  # the late MOVE
    assert stub.graph_hashes() == before
    assert staging_left(stub) == []


def test_401_is_answered_once_and_never_retried(
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "loader")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", "wrong")
    stub.faults = [Fault("status", status=401, headers=AUTH)]
    before = stub.graph_hashes()
    result = load(capsys, project_root, stub.query_url)  # --retries 3 by default
    assert result.code == 77, result.err
    assert_one_clean_error(result, "refused the credentials (HTTP 401)")
    # the challenge answered once with the credentials, then no retry
    assert stub.requests == [("POST", "/query"), ("POST", "/query")]
    assert len(stub.authorizations) == 1
    assert stub.graph_hashes() == before


def test_401_without_credentials_is_one_request(
    stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", status=401, headers=AUTH)]
    before = stub.graph_hashes()
    result = load(capsys, project_root, stub.query_url)
    assert result.code == 77, result.err
    assert_one_clean_error(result, "HTTP 401", "ICTKG_ENDPOINT_USER")
    assert stub.requests == [("POST", "/query")]
    assert stub.graph_hashes() == before


def test_403_on_the_upload_is_not_retried(
    stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", method="PUT", path="/store", status=403)]
    before = stub.graph_hashes()
    result = load(capsys, project_root, stub.query_url, "--retries", "3")
    assert result.code == 77, result.err
    assert_one_clean_error(result, "forbids this operation (HTTP 403)")
    assert requests(stub, "PUT", "/store") == 1
    assert stub.graph_hashes() == before
    assert staging_left(stub) == []


def test_400_on_the_upload_is_not_retried(
    stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", method="PUT", path="/store", status=400)]
    before = stub.graph_hashes()
    result = load(capsys, project_root, stub.query_url, "--retries", "3")
    assert result.code == 69, result.err
    assert requests(stub, "PUT", "/store") == 1
    assert stub.graph_hashes() == before


def test_415_on_the_upload_falls_back_to_insert_data(
    stub: StubEndpoint,
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """415 means "no Graph Store Protocol here" (as 404, 405 and 501 do): SPARQL Update then."""
    stub.faults = [Fault("status", method="PUT", path="/store", status=415)]
    result = load(capsys, real_project.root, stub.query_url)
    assert result.code == 0, result.err
    assert "has no Graph Store Protocol (HTTP 415); using SPARQL Update INSERT DATA" in result.err
    assert requests(stub, "PUT", "/store") == 1
    assert stub.graph_hashes() == loaded_hashes(real_project, stub.query_url)


def test_500_then_success_honours_retry_after(
    stub: StubEndpoint, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [
        Fault(
            "status", method="PUT", path="/store", nth=1, status=500, headers={"Retry-After": "1"}
        )
    ]
    result = load(capsys, real_project.root, stub.query_url)
    assert result.code == 0, result.err
    assert "HTTP 500 Internal Server Error; try 2 of 4 in 1.0 s" in result.err
    assert result.seconds >= 1.0  # Retry-After, not the 0.5 s backoff
    assert stub.graph_hashes() == loaded_hashes(real_project, stub.query_url)
    assert staging_left(stub) == []


def test_429_then_success_is_retried(
    stub: StubEndpoint,
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    stub.faults = [Fault("status", path="/query", nth=1, status=429)]
    result = load(capsys, real_project.root, stub.query_url)
    assert result.code == 0, result.err
    assert "HTTP 429" in result.err and "try 2 of 4" in result.err and sleeps == [0.5]
    assert stub.graph_hashes() == loaded_hashes(real_project, stub.query_url)


def test_a_server_that_is_down_exits_69(
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
) -> None:
    monkeypatch.setenv("NETRC", "/nonexistent")
    url = closed_port_url()
    result = load(capsys, project_root, url, "--retries", "1")
    assert result.code == 69, result.err
    assert_one_clean_error(result, f"reach {url}: the connection failed", "try 2 of 2")
    assert "check that the endpoint is running" in result.err and sleeps == [0.5]


# -- Faults below HTTP, from the proxy -------------------------------------------------------

PROXY_FAULTS: dict[str, tuple[list[Mode], Mode, tuple[str, ...], int, str, int]] = {
    # name: (first connections, then, options, exit code, in the error line, connections)
    "hang": ([], HANG, ("--timeout", "0.3", "--retries", "1"), 75, "within 0.3 s", 2),
    "latency-over-the-timeout": (
        [],
        latency(2.0),
        ("--timeout", "0.3", "--retries", "0"),
        75,
        "within 0.3 s",
        1,
    ),
    "reset-after-40-bytes": (
        [],
        reset(40),
        ("--retries", "1"),
        69,
        "the connection failed",
        2,
    ),
    "reset-after-the-headers": ([], reset(150), ("--retries", "0"), 69, "reach", 1),
    "close-before-answering": ([], CLOSE, ("--retries", "1"), 69, "the connection failed", 2),
    "drip": ([], drip(0.1), ("--timeout", "0.5", "--retries", "0"), 75, "within 0.5 s", 1),
}


@pytest.mark.parametrize("name", list(PROXY_FAULTS))
def test_a_connection_fault_exits_with_its_code_and_changes_nothing(
    name: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    first, then, options, expected, fragment, connections = PROXY_FAULTS[name]
    before = stub.graph_hashes()
    with fault_proxy(stub.base, first, then=then) as proxy:
        result = load(capsys, project_root, proxy.url(stub.query_url), *options)
        assert result.code == expected, result.err
        assert_one_clean_error(result, fragment)
        assert proxy.connections == connections, proxy.used
    assert stub.graph_hashes() == before
    assert staging_left(stub) == []
    # every try retried on the backoff schedule, each ended by the total deadline (a drip too)
    retries = int(options[options.index("--retries") + 1])
    assert sleeps == backoff(retries)
    timeout = float(options[options.index("--timeout") + 1]) if "--timeout" in options else 1
    assert result.seconds < (1 + retries) * timeout + 1.5


@pytest.mark.parametrize(
    "first", [reset(0), reset(40), CLOSE, latency(1.3)], ids=["reset", "reset-40", "close", "slow"]
)
def test_one_broken_connection_is_retried_and_the_load_completes(
    first: Mode,
    stub: StubEndpoint,
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    with fault_proxy(stub.base, [first], then=PASS) as proxy:
        url = proxy.url(stub.query_url)
        result = load(capsys, real_project.root, url, "--timeout", "1")
        assert result.code == 0, result.err
        assert proxy.used[0] == first.kind and proxy.connections > 2
    assert "try 2 of 4" in result.err and sleeps == [0.5]
    assert stub.graph_hashes() == loaded_hashes(real_project, url)
    assert staging_left(stub) == []


def test_latency_under_the_timeout_is_only_slower(
    stub: StubEndpoint, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with fault_proxy(stub.base, then=latency(0.05)) as proxy:
        url = proxy.url(stub.query_url)
        started = time.monotonic()
        result = load(capsys, real_project.root, url, "--timeout", "2", "--retries", "0")
        assert result.code == 0, result.err
        assert time.monotonic() - started >= 0.05 * proxy.connections
    assert "try 2" not in result.err
    assert stub.graph_hashes() == loaded_hashes(real_project, url)
