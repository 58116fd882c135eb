"""`ictkg load` against a stub endpoint that fails on cue: every failure ends with its
documented exit code (docs/loading.md), leaves the live graphs as they were, and never shows
the password."""

from __future__ import annotations

import base64
import re
import secrets
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_support import drop_date
from ictkg.cli import main
from ictkg.errors import IctkgError
from ictkg.namespaces import GRAPH_NS
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.stores.loads import is_staging_graph
from stub_endpoint import Fault, StubEndpoint, hashes_of, stub_endpoint

OLD_GRAPH = GRAPH_NS + "wp2012"
"""A graph the endpoint holds that the new dataset has not: the switch must drop it."""


def old_dataset(quads: list[ox.Quad]) -> list[ox.Quad]:
    """What the endpoint holds before the load: the dataset less one triple, plus a graph."""
    extra = ox.Quad(
        ox.NamedNode(GRAPH_NS + "wp2012"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.Literal("an older edition", language="en"),
        ox.NamedNode(OLD_GRAPH),
    )
    return [*quads[1:], extra]


@pytest.fixture
def stub(real_project: Project) -> Iterator[StubEndpoint]:
    with stub_endpoint() as server:
        server.load(old_dataset(real_project.quads()))
        yield server


@pytest.fixture
def sentinel(monkeypatch: pytest.MonkeyPatch) -> str:
    """A password that must never appear anywhere."""
    password = "s3ntinel-" + secrets.token_hex(8)
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "loader")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", password)
    return password


def load(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "load", *args])
    out, err = capsys.readouterr()
    return code, out, err


def loaded_hashes(project: Project, query_url: str) -> dict[str, str]:
    """What a load sends: the dataset and its description naming the endpoint."""
    return hashes_of([*project.quads(), *project.description(endpoint=query_url)])


def staging_left(stub: StubEndpoint) -> list[str]:
    return [g.value for g in stub.store.named_graphs() if is_staging_graph(g.value)]


AUTH = {"WWW-Authenticate": 'Basic realm="stub"'}

FAILURES = {
    "401": ([Fault("status", status=401, headers=AUTH)], (), 77, "refused the credentials"),
    "403": (
        [Fault("status", method="PUT", path="/store", status=403)],
        (),
        77,
        "forbids this operation (HTTP 403)",
    ),
    "400-on-second-graph": (
        [Fault("status", method="PUT", path="/store", nth=2, status=400)],
        (),
        69,
        # graphs go in IRI order: the catalogue (…/.well-known/sparql-examples), inferred, …
        "upload graph:inferred",
    ),
    "persistent-503-retry-after": (
        [Fault("status", method="PUT", path="/store", status=503, headers={"Retry-After": "1"})],
        ("--retries", "1"),
        69,
        "HTTP 503",
    ),
    "hang": (
        [Fault("hang", method="PUT", path="/store", seconds=10)],
        ("--timeout", "0.3", "--retries", "1"),
        75,
        "no complete answer within 0.3 s after 2 tries",
    ),
    "reset-mid-upload": (
        [Fault("reset", method="PUT", path="/store")],
        ("--retries", "1"),
        69,
        "the connection failed",
    ),
    "html-instead-of-results": (
        [Fault("html", path="/query")],
        (),
        69,
        "answered with a web page (text/html), not SPARQL results",
    ),
    "switch-refused": (
        [Fault("status", method="POST", path="/update", contains="MOVE", status=500)],
        (),
        69,
        "switch to the new dataset",
    ),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_a_failure_exits_with_its_code_and_changes_nothing(
    name: str,
    stub: StubEndpoint,
    sentinel: str,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    faults, options, expected, message = FAILURES[name]
    stub.faults = faults
    before = stub.graph_hashes()
    code, out, err = load(capsys, project_root, "--endpoint", stub.query_url, *options)
    assert code == expected, err
    assert message in err
    assert err.count("error: ") == 1 and "hint: " in err
    assert stub.graph_hashes() == before
    assert staging_left(stub) == []
    basic = base64.b64encode(f"loader:{sentinel}".encode()).decode()
    assert sentinel not in out + err and basic not in out + err


def test_retry_after_is_honoured(
    stub: StubEndpoint, sentinel: str, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [
        Fault("status", method="PUT", path="/store", status=503, headers={"Retry-After": "1"})
    ]
    started = time.monotonic()
    code, _, err = load(capsys, project_root, "--endpoint", stub.query_url, "--retries", "1")
    assert code == 69
    assert time.monotonic() - started >= 1.0  # not the 0.5 s the backoff alone would wait
    assert "try 2 of 2 in 1.0 s" in err


def test_401_answers_the_challenge_with_the_credentials(
    stub: StubEndpoint, sentinel: str, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", status=401, headers=AUTH)]
    code, _, err = load(capsys, project_root, "--endpoint", stub.query_url)
    assert code == 77
    expected = "Basic " + base64.b64encode(f"loader:{sentinel}".encode()).decode()
    assert stub.authorizations == [expected]  # answered once, then refused: no retry
    assert "user 'loader', from environment" in err


def test_the_password_never_shows_in_exceptions_or_tracebacks(
    stub: StubEndpoint, sentinel: str, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, (faults, options, expected, _message) in FAILURES.items():
        for fault in faults:
            fault.seen = fault.used = 0
        stub.faults = faults
        timeout = 0.3 if "--timeout" in options else 60.0
        # The password in the URL too: it must be stripped, not only masked.
        url = stub.query_url.replace("://", f"://loader:{sentinel}@")
        with pytest.raises(IctkgError) as info:
            Project(project_root).load(url, timeout=timeout, retries=1, backoff=0.01)
        assert int(info.value.exit_code) == expected, name
        text = "".join(traceback.format_exception(info.value))
        assert sentinel not in text and sentinel not in repr(info.value), name
        for fault in faults:
            fault.seen = fault.used = 0
        # With --debug the traceback is printed: it must not show the password either.
        code = main(["--root", str(project_root), "--debug", "load", "--endpoint", url, *options])
        out, err = capsys.readouterr()
        assert "Traceback" in err, name
        assert code == expected, name
        assert sentinel not in out + err, name


def test_a_transient_500_is_retried_and_the_load_completes(
    stub: StubEndpoint, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.faults = [Fault("status", method="PUT", path="/store", nth=1, status=500)]
    code, out, err = load(capsys, real_project.root, "--endpoint", stub.query_url)
    assert code == 0, err
    assert (
        "upload <https://w3id.org/ictkg/.well-known/sparql-examples>: HTTP 500 Internal Server "
        "Error; try 2 of 4 in 0.5 s" in err
    )
    assert stub.graph_hashes() == loaded_hashes(real_project, stub.query_url)  # wp2012 dropped
    assert re.search(r"graph:wp2012 +dropped \(not in the new dataset\)", out)
    assert staging_left(stub) == []


def test_without_the_graph_store_protocol_insert_data_is_used(
    real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with stub_endpoint(gsp=False) as stub:
        stub.load(old_dataset(real_project.quads()))
        code, out, err = load(capsys, real_project.root, "--endpoint", stub.query_url)
        assert code == 0, err
        assert "has no Graph Store Protocol (HTTP 405); using SPARQL Update INSERT DATA" in err
        expected = loaded_hashes(real_project, stub.query_url)
        assert out.count("INSERT DATA") == len(expected)
        assert stub.graph_hashes() == expected


def test_non_conforming_data_is_refused_before_any_request(
    mini_project: ProjectPaths, stub: StubEndpoint, capsys: pytest.CaptureFixture[str]
) -> None:
    drop_date(mini_project)
    code, out, err = load(capsys, mini_project.root, "--endpoint", stub.query_url)
    assert code == 1
    assert "Violation" in out
    assert "not loaded: the data does not conform" in err
    assert stub.requests == []


def test_force_loads_non_conforming_data(
    mini_project: ProjectPaths, stub: StubEndpoint, capsys: pytest.CaptureFixture[str]
) -> None:
    drop_date(mini_project)
    code, _, err = load(capsys, mini_project.root, "--endpoint", stub.query_url, "--force")
    assert code == 0, err
    assert "validating" not in err
    assert stub.graph_hashes() == loaded_hashes(Project(mini_project.root), stub.query_url)


def test_an_unknown_layout_needs_the_update_url(
    stub: StubEndpoint, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = load(capsys, project_root, "--endpoint", stub.base + "/ds/sparql-endpoint")
    assert code == 2
    assert "cannot tell the SPARQL Update URL" in err and "--update-url" in err
    assert stub.requests == []


def test_given_urls_are_used(
    stub: StubEndpoint, real_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = load(
        capsys,
        real_project.root,
        "--endpoint",
        stub.base + "/query",
        "--update-url",
        stub.base + "/update",
        "--store-url",
        stub.base + "/store",
    )
    assert code == 0, err
    assert stub.graph_hashes() == loaded_hashes(real_project, stub.base + "/query")


@pytest.mark.parametrize(
    "options", [("--timeout", "0"), ("--retries", "-1"), ("--retries", "11"), ()]
)
def test_bad_options_are_usage_errors_before_any_request(
    options: tuple[str, ...],
    stub: StubEndpoint,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    endpoint = ("--endpoint", "ftp://127.0.0.1/query") if not options else ()
    args = [*options, *endpoint] if endpoint else [*options, "--endpoint", stub.query_url]
    code, _, _ = load(capsys, project_root, *args)
    assert code == 2
    assert stub.requests == []
