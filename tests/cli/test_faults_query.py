"""Fault injection for ``ictkg query NAME``, ``ictkg sparql``, ``ictkg describe`` and ``ictkg
search`` with ``--endpoint`` (issue 10, item 6): the same faults as for ``ictkg load``
(tests/cli/test_faults_load.py), each run by all four commands. A broken answer exits 69,
refused credentials 77 (never retried), a hang or a drip 75, an answer over
``--max-answer-mb`` or ``--max-rows`` 77, a redirect to another origin 69; a transient failure
is retried and gives the same output as a clean run; and the endpoint's dataset is the same
before and after every case.

Persistent failures are retried with the client's doubling backoff (0.5, 1, 2 s); so that the
set runs in seconds, those cases record the delays asked for (and check them) instead of
sleeping them. The Retry-After case waits for real and measures the wait.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fault_proxy import CLOSE, HANG, PASS, Mode, drip, fault_proxy, reset
from fault_support import (
    RESULTS_JSON,
    Run,
    assert_one_clean_error,
    closed_port_url,
    empty_object,
    run,
    truncated_json,
)
from ictkg.cli import main
from ictkg.project import Project
from ictkg.stores.http import HttpClient
from stub_endpoint import Fault, StubEndpoint, stub_endpoint

AUTH = {"WWW-Authenticate": 'Basic realm="stub"'}

COMMANDS: dict[str, tuple[str, ...]] = {
    "query": ("query", "19", "--format", "csv"),
    "sparql": (
        "sparql",
        "SELECT ?m ?d WHERE { ?m a ictkg:Meeting ; dct:date ?d } ORDER BY ?m",
        "--format",
        "csv",
    ),
    "describe": ("describe", "country:fi", "--format", "ntriples"),
    "search": ("search", "cybersecurity", "--format", "csv"),
}
BACKOFF = [0.5, 1.0, 2.0]
"""The delays before the 3 retries of a request that keeps failing."""


@pytest.fixture(scope="module")
def shared_stub(real_project: Project) -> Iterator[StubEndpoint]:
    with stub_endpoint() as server:
        server.load([*real_project.quads(), *real_project.description()])
        yield server


@pytest.fixture
def stub(shared_stub: StubEndpoint, monkeypatch: pytest.MonkeyPatch) -> StubEndpoint:
    """The module's stub with no faults and no requests seen (and no credentials around)."""
    for name in ("ICTKG_ENDPOINT_USER", "ICTKG_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    shared_stub.faults = []
    shared_stub.requests.clear()
    shared_stub.authorizations.clear()
    return shared_stub


@pytest.fixture(scope="module")
def clean_runs(shared_stub: StubEndpoint, project_root: Path) -> dict[str, tuple[str, int]]:
    """What each command prints against the stub when nothing fails, and how many requests it
    sends (the query commands 2, describe and search more: a query per part)."""
    outputs: dict[str, tuple[str, int]] = {}
    shared_stub.faults = []  # (set up before the per-test fixture that clears them)
    for name, args in COMMANDS.items():
        shared_stub.requests.clear()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(project_root), *args, "--endpoint", shared_stub.query_url])
        assert code == 0, err.getvalue()
        assert out.getvalue().count("\n") > 5
        outputs[name] = (out.getvalue(), len(shared_stub.requests))
    return outputs


@pytest.fixture(scope="module")
def clean(clean_runs: dict[str, tuple[str, int]]) -> dict[str, str]:
    return {name: output for name, (output, _) in clean_runs.items()}


@pytest.fixture(scope="module")
def requests(clean_runs: dict[str, tuple[str, int]]) -> dict[str, int]:
    return {name: sent for name, (_, sent) in clean_runs.items()}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the endpoint client asks for between tries, recorded instead of slept."""
    asked: list[float] = []
    defaults = HttpClient.__init__.__kwdefaults__
    assert defaults is not None and "sleep" in defaults
    monkeypatch.setitem(defaults, "sleep", asked.append)
    return asked


def ask(capsys: pytest.CaptureFixture[str], root: Path, command: str, url: str, *opts: str) -> Run:
    return run(capsys, root, *COMMANDS[command], "--endpoint", url, *opts)


both = pytest.mark.parametrize("command", list(COMMANDS))


# -- Answers that are not SPARQL results, refusals: no retry ---------------------------------

NOT_RESULTS: dict[str, tuple[Fault, int, str, int]] = {
    # name: (fault, exit code, in the error line, requests seen)
    "html": (Fault("html", path="/query"), 69, "(it sent text/html)", 1),
    "truncated-json": (truncated_json(path="/query"), 69, "did not answer in SPARQL results", 1),
    "empty-object": (empty_object(path="/query"), 69, "did not answer in SPARQL results", 1),
    "401": (Fault("status", status=401, headers=AUTH), 77, "refused the credentials", 1),
    "403": (Fault("status", status=403), 77, "forbids this operation (HTTP 403)", 1),
    "404": (Fault("status", status=404), 69, "HTTP 404", 1),
    "400": (Fault("status", status=400), 69, "HTTP 400", 1),
}


@both
@pytest.mark.parametrize("name", list(NOT_RESULTS))
def test_a_wrong_answer_or_a_refusal_is_not_retried(
    name: str,
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    fault, expected, fragment, seen = NOT_RESULTS[name]
    fault.seen = fault.used = 0
    stub.faults = [fault]
    before = stub.graph_hashes()
    result = ask(capsys, project_root, command, stub.query_url)
    assert result.code == expected, result.err
    assert_one_clean_error(result, fragment, "hint: ")
    assert result.out == ""
    assert len(stub.requests) == seen and sleeps == []
    assert stub.graph_hashes() == before


@both
def test_401_with_credentials_answers_the_challenge_once(
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float],
) -> None:
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", "wrong")
    stub.faults = [Fault("status", status=401, headers=AUTH)]
    result = ask(capsys, project_root, command, stub.query_url)
    assert result.code == 77, result.err
    assert_one_clean_error(result, "HTTP 401", "user 'reader', from environment")
    assert len(stub.requests) == 2 and len(stub.authorizations) == 1 and sleeps == []


# -- Transient failures: retried ---------------------------------------------------------------


@both
def test_500_then_success_honours_retry_after_and_gives_the_rows(
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    clean: dict[str, str],
    requests: dict[str, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    stub.faults = [Fault("status", path="/query", nth=1, status=500, headers={"Retry-After": "1"})]
    before = stub.graph_hashes()
    result = ask(capsys, project_root, command, stub.query_url)
    assert result.code == 0, result.err
    assert result.out == clean[command]
    assert result.seconds >= 1.0  # Retry-After, not the 0.5 s backoff
    assert len(stub.requests) == requests[command] + 1  # the first one twice
    assert stub.graph_hashes() == before


@both
@pytest.mark.parametrize(
    "first", [reset(0), reset(60), CLOSE, HANG], ids=["reset", "reset-60", "close", "hang"]
)
def test_one_broken_connection_is_retried_and_gives_the_rows(
    first: Mode,
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    clean: dict[str, str],
    requests: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    with fault_proxy(stub.base, [first], then=PASS) as proxy:
        result = ask(capsys, project_root, command, proxy.url(stub.query_url), "--timeout", "0.5")
        assert result.code == 0, result.err
        assert proxy.used == [first.kind] + ["pass"] * requests[command]
    assert result.out == clean[command]
    assert sleeps == [0.5]


# -- Persistent failures: retried, then the error ----------------------------------------------

PERSISTENT_HTTP: dict[str, tuple[Fault, int, str]] = {
    "503": (Fault("status", status=503), 69, "HTTP 503"),
    "500": (Fault("status", status=500), 69, "HTTP 500"),
    "hang": (Fault("hang", seconds=2), 75, "within 0.2 s"),
}


@both
@pytest.mark.parametrize("name", list(PERSISTENT_HTTP))
def test_a_persistent_failure_is_retried_three_times(
    name: str,
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    fault, expected, fragment = PERSISTENT_HTTP[name]
    fault.seen = fault.used = 0
    stub.faults = [fault]
    before = stub.graph_hashes()
    result = ask(capsys, project_root, command, stub.query_url, "--timeout", "0.2")
    assert result.code == expected, result.err
    assert_one_clean_error(result, fragment, "hint: ")
    assert len(stub.requests) == 4 and sleeps == BACKOFF
    assert result.seconds < 4 * 0.2 + 1.5
    assert stub.graph_hashes() == before


PERSISTENT_PROXY: dict[str, tuple[Mode, int, str]] = {
    "reset": (reset(0), 69, "the connection failed"),
    "reset-after-60-bytes": (reset(60), 69, "the connection failed"),
    "close": (CLOSE, 69, "the connection failed"),
    "hang": (HANG, 75, "within 0.2 s"),
    "drip": (drip(0.1), 75, "within 0.2 s"),
}


@both
@pytest.mark.parametrize("name", list(PERSISTENT_PROXY))
def test_a_persistent_connection_fault_is_retried_three_times(
    name: str,
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    mode, expected, fragment = PERSISTENT_PROXY[name]
    before = stub.graph_hashes()
    with fault_proxy(stub.base, then=mode) as proxy:
        url = proxy.url(stub.query_url)
        result = ask(capsys, project_root, command, url, "--timeout", "0.2")
        assert result.code == expected, result.err
        assert_one_clean_error(result, fragment, url)
        assert proxy.connections == 4 and sleeps == BACKOFF
    # the deadline is the whole request: a drip ends at 0.3 s a try too
    assert result.seconds < 4 * 0.2 + 1.5
    assert stub.graph_hashes() == before


@both
def test_a_server_that_is_down_exits_69(
    command: str,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NETRC", "/nonexistent")
    url = closed_port_url()
    result = ask(capsys, project_root, command, url, "--timeout", "1")
    assert result.code == 69, result.err
    assert_one_clean_error(result, url, "the connection failed", "hint: ")
    assert sleeps == BACKOFF


# -- Redirects -------------------------------------------------------------------------------


@both
@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_to_another_port_is_refused(
    status: int,
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    with stub_endpoint() as elsewhere:
        stub.faults = [Fault("status", status=status, headers={"Location": elsewhere.query_url})]
        before = stub.graph_hashes()
        result = ask(capsys, project_root, command, stub.query_url)
        assert result.code == 69, result.err
        assert_one_clean_error(result, stub.query_url, "another origin")
        assert elsewhere.requests == []
        assert len(stub.requests) == 1 and sleeps == []
        assert stub.graph_hashes() == before


@both
def test_a_redirect_within_the_origin_is_followed(
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    clean: dict[str, str],
    requests: dict[str, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """307 keeps the method and the body: the POSTed query arrives again."""
    stub.faults = [Fault("status", nth=1, status=307, headers={"Location": stub.query_url})]
    result = ask(capsys, project_root, command, stub.query_url)
    assert result.code == 0, result.err
    assert result.out == clean[command]
    assert stub.requests == [("POST", "/query")] * (requests[command] + 1)


# -- Answers over the limits -----------------------------------------------------------------


def big_results(rows: int) -> bytes:
    binding = {"g": {"type": "uri", "value": "https://w3id.org/ictkg/graph/" + "x" * 200}}
    return json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [binding] * rows}}).encode()


@both
def test_an_answer_over_max_answer_mb_exits_77(
    command: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    body = big_results(2000)  # about 0.5 MB
    stub.faults = [Fault("status", status=200, body=body, content_type=RESULTS_JSON)]
    before = stub.graph_hashes()
    result = ask(capsys, project_root, command, stub.query_url, "--max-answer-mb", "0.1")
    assert result.code == 77, result.err
    assert_one_clean_error(result, "--max-answer-mb")
    assert len(stub.requests) == 1 and sleeps == []  # not retried
    assert stub.graph_hashes() == before


def test_the_answer_cap_is_quoted_as_given(
    stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", status=200, body=big_results(2000), content_type=RESULTS_JSON)]
    result = ask(capsys, project_root, "query", stub.query_url, "--max-answer-mb", "0.1")
    assert result.code == 77, result.err
    assert "limit of 0.1 MiB" in result.err, result.err


@both
def test_an_answer_over_max_rows_exits_77(
    command: str, stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = stub.graph_hashes()
    result = ask(capsys, project_root, command, stub.query_url, "--max-rows", "3")
    assert result.code == 77, result.err
    assert_one_clean_error(result, "--max-rows")
    assert stub.graph_hashes() == before


# -- The one error line names the endpoint once ----------------------------------------------

ONCE: dict[str, tuple[Fault, tuple[str, ...]]] = {
    "401": (Fault("status", status=401, headers=AUTH), ()),
    "403": (Fault("status", status=403), ()),
    "hang": (Fault("hang", seconds=1), ("--timeout", "0.2")),
    "503": (Fault("status", status=503), ()),
    "html": (Fault("html"), ()),
    "over-max-answer-mb": (
        Fault("status", status=200, body=big_results(2000), content_type=RESULTS_JSON),
        ("--max-answer-mb", "0.1"),
    ),
}
ONCE_COMMANDS: dict[str, tuple[str, ...]] = {
    **COMMANDS,
    "load": ("load", "--force", "--retries", "0"),
}


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (c, n)
        for c in ONCE_COMMANDS
        for n in ONCE
        if not (c == "load" and n == "over-max-answer-mb")  # (ictkg load has no such flag)
    ],
)
def test_the_error_names_the_endpoint_once(
    command: str,
    name: str,
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    sleeps: list[float],
) -> None:
    fault, options = ONCE[name]
    fault.seen = fault.used = 0
    stub.faults = [fault]
    before = stub.graph_hashes()
    result = run(
        capsys, project_root, *ONCE_COMMANDS[command], "--endpoint", stub.query_url, *options
    )
    assert result.code in (69, 75, 77), result.err
    line = next(x for x in result.err.splitlines() if x.startswith("error: "))
    assert line.count(stub.query_url) == 1, line
    assert stub.graph_hashes() == before
