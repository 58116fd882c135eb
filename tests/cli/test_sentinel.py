"""A sentinel password never leaks (issue 10, item 6): with ``$ICTKG_ENDPOINT_PASSWORD`` (or a
``user:SENTINEL@`` URL) set to a unique value, ``ictkg load``, ``ictkg query`` and ``ictkg
sparql`` meet endpoints answering 401, 500, never (a timeout) and with a redirect to another
origin; the sentinel (and its Basic ``Authorization`` form) must appear nowhere: not on stdout
or stderr, with or without ``--debug`` (the traceback printed), not in any log record at DEBUG,
not in warnings, not in the library's exceptions (``str``, ``repr``, the formatted chain), and
not in the ``repr`` of the store, client, endpoint or credentials objects. The 401 case also
checks that the password was really sent (to the right origin only), so the test can fail."""

from __future__ import annotations

import base64
import logging
import secrets
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fault_support import run
from ictkg.errors import IctkgError
from ictkg.project import Project
from ictkg.stores.endpoint import SparqlEndpointStore
from ictkg.stores.http import HttpClient, find_credentials
from ictkg.stores.loader import derive_urls
from stub_endpoint import Fault, StubEndpoint, stub_endpoint

USER = "reader"
AUTH = {"WWW-Authenticate": 'Basic realm="stub"'}


@pytest.fixture
def sentinel(monkeypatch: pytest.MonkeyPatch) -> str:
    """A password that must never appear; set in the environment for every command."""
    password = "S3NTINEL-" + secrets.token_hex(12)
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", USER)
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", password)
    monkeypatch.setenv("NETRC", "/nonexistent")
    return password


def forms(sentinel: str) -> list[str]:
    """The sentinel as it could leak: itself, its Basic credentials, and a slice of it."""
    basic = base64.b64encode(f"{USER}:{sentinel}".encode()).decode()
    return [sentinel, basic, sentinel[9:25]]


def assert_clean(text: str, sentinel: str, where: str) -> None:
    for form in forms(sentinel):
        assert form not in text, f"the sentinel leaked into {where}: {text[:2000]}"


@pytest.fixture(scope="module")
def servers(real_project: Project) -> Iterator[tuple[StubEndpoint, StubEndpoint]]:
    """The endpoint that fails, and another origin a redirect points to."""
    with stub_endpoint() as stub, stub_endpoint() as elsewhere:
        quads = [*real_project.quads(), *real_project.description()]
        stub.load(quads)
        elsewhere.load(quads)
        yield stub, elsewhere


SCENARIOS: dict[str, Callable[[StubEndpoint], list[Fault]]] = {
    "401": lambda other: [Fault("status", status=401, headers=AUTH)],
    "500": lambda other: [Fault("status", status=500, headers={"Retry-After": "0"})],
    "timeout": lambda other: [Fault("hang", seconds=1.5)],
    "redirect": lambda other: [Fault("status", status=307, headers={"Location": other.query_url})],
}
EXPECTED = {"401": 77, "500": 69, "timeout": 75, "redirect": 69}
TIMEOUT = {"401": 5.0, "500": 5.0, "timeout": 0.1, "redirect": 5.0}
"""--timeout: short where the endpoint hangs, ample elsewhere (a loaded machine)."""

COMMANDS: dict[str, tuple[str, ...]] = {
    "load": ("load", "--retries", "0"),
    "query": ("query", "19"),
    "sparql": ("sparql", "ASK { ?s ?p ?o }"),
}


@pytest.fixture
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without the backoff's real waits (the queries' client retries 3 times)."""
    defaults = HttpClient.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "sleep", lambda _seconds: None)


def with_password(url: str, sentinel: str) -> str:
    return url.replace("://", f"://{USER}:{sentinel}@")


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_sentinel_never_shows_in_the_cli(
    scenario: str,
    command: str,
    servers: tuple[StubEndpoint, StubEndpoint],
    sentinel: str,
    project_root: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    no_waits: None,
) -> None:
    stub, elsewhere = servers
    caplog.set_level(logging.DEBUG)
    for source in ("environment", "url"):
        for debug in ((), ("--debug",)):
            stub.faults = SCENARIOS[scenario](elsewhere)
            stub.authorizations.clear()
            elsewhere.requests.clear()
            elsewhere.authorizations.clear()
            caplog.clear()
            url = (
                stub.query_url
                if source == "environment"
                else with_password(stub.query_url, sentinel)
            )
            args = [
                *debug,
                *COMMANDS[command],
                *("--endpoint", url, "--timeout", str(TIMEOUT[scenario])),
            ]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = run(capsys, project_root, *args)
            case = f"{scenario} {command} {source} {debug}"
            assert result.code == EXPECTED[scenario], (case, result.err)
            if debug:
                assert "Traceback" in result.err, case
            assert_clean(result.out, sentinel, f"stdout ({case})")
            assert_clean(result.err, sentinel, f"stderr ({case})")
            logged = "\n".join(
                f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
            )
            assert_clean(logged, sentinel, f"the log ({case})")
            assert_clean("\n".join(str(w.message) for w in caught), sentinel, f"warnings ({case})")
            if scenario == "401":  # the password was really sent, so a leak could be seen
                basic = base64.b64encode(f"{USER}:{sentinel}".encode()).decode()
                assert stub.authorizations == [f"Basic {basic}"], case
            if scenario == "redirect":  # neither the request nor the password went elsewhere
                assert elsewhere.requests == [] and elsewhere.authorizations == [], case


LIBRARY_CALLS: dict[str, Callable[[Project, str, float], object]] = {
    "load": lambda project, url, timeout: project.load(url, timeout=timeout, retries=0),
    "query": lambda project, url, timeout: SparqlEndpointStore(url, timeout=timeout).query(
        "ASK { ?s ?p ?o }"
    ),
    "graph-query": lambda project, url, timeout: SparqlEndpointStore(
        url, timeout=timeout
    ).query_graph("CONSTRUCT WHERE { ?s ?p ?o }"),
}


@pytest.mark.parametrize("call", list(LIBRARY_CALLS))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_sentinel_never_shows_in_exceptions(
    scenario: str,
    call: str,
    servers: tuple[StubEndpoint, StubEndpoint],
    sentinel: str,
    real_project: Project,
    caplog: pytest.LogCaptureFixture,
    no_waits: None,
) -> None:
    stub, elsewhere = servers
    caplog.set_level(logging.DEBUG)
    for url in (stub.query_url, with_password(stub.query_url, sentinel)):
        stub.faults = SCENARIOS[scenario](elsewhere)
        stub.authorizations.clear()
        with pytest.raises(IctkgError) as info:
            LIBRARY_CALLS[call](real_project, url, TIMEOUT[scenario])
        error = info.value
        assert int(error.exit_code) == EXPECTED[scenario], (url, error)
        assert_clean(str(error), sentinel, "str()")
        assert_clean(repr(error), sentinel, "repr()")
        assert_clean("".join(traceback.format_exception(error)), sentinel, "the traceback")
        assert_clean(repr(vars(error)), sentinel, "the error's attributes")
        cause = error.__cause__ or error.__context__
        while cause is not None:
            assert_clean(repr(cause) + str(cause), sentinel, "a chained exception")
            cause = cause.__cause__ or cause.__context__
        assert_clean(caplog.text, sentinel, "the log")


def test_the_sentinel_never_shows_in_object_reprs(
    servers: tuple[StubEndpoint, StubEndpoint], sentinel: str
) -> None:
    stub, _ = servers
    url = with_password(stub.query_url, sentinel)
    bare, credentials = find_credentials(url)
    assert credentials is not None and credentials.password.reveal() == sentinel
    objects: list[object] = [
        credentials,
        credentials.password,
        HttpClient(credentials),
        SparqlEndpointStore(url),
        SparqlEndpointStore(stub.query_url),
        derive_urls(url),
        derive_urls(stub.query_url),
        find_credentials(stub.query_url),
    ]
    for thing in objects:
        assert_clean(repr(thing), sentinel, f"repr({type(thing).__name__})")
        assert_clean(str(thing), sentinel, f"str({type(thing).__name__})")
    assert bare == stub.query_url
