"""The loader's parts: URL layouts, credentials, the masked password, retries and their delays,
skolemisation, and the checks around the switch (on a stub endpoint, see tests/stub_endpoint.py)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.errors import StoreError, StoreTimeoutError, UsageError
from ictkg.stores.credentials import Credentials, Secret
from ictkg.stores.http import HttpClient, StoreAuthError, find_credentials, retry_after_seconds
from ictkg.stores.loader import (
    GENID_NS,
    STAGING_NS,
    derive_urls,
    load_quads,
    new_load_id,
    skolemise,
)
from ictkg.stores.loads import Endpoint, is_staging_graph
from stub_endpoint import Fault, StubEndpoint, hashes_of, stub_endpoint

NO_NETRC = {"NETRC": "/nonexistent/netrc"}


# -- URLs and credentials ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "environ", "update", "store"),
    [
        ("http://h:7878/query", NO_NETRC, "http://h:7878/update", "http://h:7878/store"),
        ("http://h/ds/query/", NO_NETRC, "http://h/ds/update", "http://h/ds/store"),
        (
            "http://h:8890/sparql",
            NO_NETRC,
            "http://h:8890/sparql",
            "http://h:8890/sparql-graph-crud",
        ),
        (
            "http://dba:pw@h:8890/sparql",
            NO_NETRC,
            "http://h:8890/sparql-auth",
            "http://h:8890/sparql-graph-crud-auth",
        ),
    ],
)
def test_known_layouts_give_update_and_store_urls(
    query: str, environ: dict[str, str], update: str, store: str
) -> None:
    endpoint = derive_urls(query, environ=environ)
    assert (endpoint.update_url, endpoint.store_url) == (update, store)
    assert "pw" not in endpoint.query_url


def test_given_urls_win_and_an_unknown_layout_needs_them() -> None:
    given = derive_urls("http://h/x", "http://h/u", "http://h/s", environ=NO_NETRC)
    assert (given.update_url, given.store_url) == ("http://h/u", "http://h/s")
    assert derive_urls("http://h/x", "http://h/u", environ=NO_NETRC).store_url is None
    with pytest.raises(UsageError, match="--update-url"):
        derive_urls("http://h/x", environ=NO_NETRC)
    with pytest.raises(UsageError, match="not an http"):
        derive_urls("file:///etc/passwd", environ=NO_NETRC)


def test_credentials_come_from_the_url_then_the_environment_then_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login nuser password npass\n", encoding="utf-8")
    netrc.chmod(0o600)
    env = {"NETRC": str(netrc)}
    both = {**env, "ICTKG_ENDPOINT_USER": "euser", "ICTKG_ENDPOINT_PASSWORD": "epass"}
    url, found = find_credentials("http://u:p%40ss@h/query", both)
    assert url == "http://h/query"
    assert found is not None and (found.user, found.password.reveal()) == ("u", "p@ss")
    _, found = find_credentials("http://h/query", both)
    assert found is not None and (found.user, found.password.reveal(), found.source) == (
        "euser",
        "epass",
        "environment",
    )
    _, found = find_credentials("http://h/query", env)
    assert found is not None and (found.user, found.password.reveal()) == ("nuser", "npass")
    assert find_credentials("http://other/query", env)[1] is None


def test_a_broken_netrc_is_reported_without_quoting_it(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login u password s3cret-line extra-junk\n", encoding="utf-8")
    netrc.chmod(0o600)
    with pytest.raises(UsageError) as info:
        find_credentials("http://h/query", {"NETRC": str(netrc)})
    assert "s3cret" not in str(info.value)


def test_the_password_is_masked_everywhere() -> None:
    credentials = Credentials("u", Secret("s3cret"), "environment")
    client = HttpClient(credentials)
    for text in (repr(credentials), str(credentials), repr(client), f"{credentials.password}"):
        assert "s3cret" not in text
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(credentials.password)


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0) == 0.0
    assert retry_after_seconds("") is None


# -- Retries -----------------------------------------------------------------------------------


@pytest.fixture
def stub() -> StubEndpoint:
    with stub_endpoint() as server:
        yield server


def _client(sleeps: list[float], **options: float) -> HttpClient:
    return HttpClient(None, sleep=sleeps.append, **options)  # type: ignore[arg-type]


def test_delays_double_and_retry_after_is_capped(stub: StubEndpoint) -> None:
    stub.faults = [Fault("status", status=503)]
    sleeps: list[float] = []
    with pytest.raises(StoreError, match="after 4 tries"):
        _client(sleeps, retries=3).request("GET", stub.query_url, idempotent=True, what="ask")
    assert sleeps == [0.5, 1.0, 2.0]
    stub.faults = [Fault("status", status=503, headers={"Retry-After": "3600"})]
    sleeps.clear()
    with pytest.raises(StoreError):
        _client(sleeps, retries=2).request("GET", stub.query_url, idempotent=True, what="ask")
    assert sleeps == [30.0, 30.0]


def test_only_idempotent_requests_and_transient_failures_are_retried(stub: StubEndpoint) -> None:
    sleeps: list[float] = []
    stub.faults = [Fault("status", status=503)]
    with pytest.raises(StoreError):
        _client(sleeps).request("POST", stub.query_url, b"", idempotent=False, what="switch")
    stub.faults = [Fault("status", status=400)]
    with pytest.raises(StoreError, match="HTTP 400"):
        _client(sleeps).request("GET", stub.query_url, idempotent=True, what="ask")
    stub.faults = [Fault("status", status=403)]
    with pytest.raises(StoreAuthError):
        _client(sleeps).request("GET", stub.query_url, idempotent=True, what="ask")
    assert sleeps == []
    assert len(stub.requests) == 3


def test_a_hang_is_a_timeout(stub: StubEndpoint) -> None:
    stub.faults = [Fault("hang", seconds=5)]
    sleeps: list[float] = []
    with pytest.raises(StoreTimeoutError, match="no complete answer within 0.2 s after 2 tries"):
        _client(sleeps, timeout=0.2, retries=1).request(
            "GET", stub.query_url, idempotent=True, what="ask"
        )


# -- Blank nodes -------------------------------------------------------------------------------

TURTLE = b"""
@prefix ex: <http://example.org/> .
ex:a ex:p [ ex:q [ ex:r "x" ] ] ; ex:list ( 1 2 ) .
"""


def _parse() -> list[ox.Triple]:
    return [q.triple for q in ox.parse(TURTLE, format=ox.RdfFormat.TURTLE)]


def test_skolem_iris_depend_only_on_the_graph() -> None:
    first, second = skolemise("urn:g", _parse()), skolemise("urn:g", _parse())
    assert sorted(map(str, first)) == sorted(map(str, second))  # fresh blank nodes each parse
    terms = {t for triple in first for t in (triple.subject, triple.object)}
    assert not any(isinstance(t, ox.BlankNode) for t in terms)
    assert (
        len({t for t in terms if isinstance(t, ox.NamedNode) and t.value.startswith(GENID_NS)}) == 4
    )
    other = skolemise("urn:other", _parse())
    assert set(map(str, other)) != set(map(str, first))
    plain = [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))]
    assert skolemise("urn:g", plain) == plain


def _endpoint(stub: StubEndpoint) -> Endpoint:
    return derive_urls(stub.query_url, environ=NO_NETRC)


def test_loading_blank_nodes_twice_gives_the_same_graphs(stub: StubEndpoint) -> None:
    quads = [ox.Quad(*t, ox.NamedNode("urn:g")) for t in _parse()]
    load_quads(quads, _endpoint(stub))
    once = stub.graph_hashes()
    load_quads([ox.Quad(*t, ox.NamedNode("urn:g")) for t in _parse()], _endpoint(stub))
    assert stub.graph_hashes() == once
    assert len(stub.store) == len(quads)


# -- Around the switch ---------------------------------------------------------------------------

NEW = [
    ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(str(i)), ox.NamedNode(g))
    for i, g in enumerate(["urn:a", "urn:b", "urn:b"])
]


def test_a_count_mismatch_stops_before_the_switch(stub: StubEndpoint) -> None:
    # The server says 201 to the second upload but keeps nothing.
    stub.faults = [Fault("status", method="PUT", path="/store", nth=2, status=201)]
    with pytest.raises(StoreError, match=r"<urn:b>: 0 of 2\); nothing was switched"):
        load_quads(NEW, _endpoint(stub))
    assert list(stub.store) == []


def test_a_lost_answer_to_the_switch_is_checked(stub: StubEndpoint) -> None:
    stub.faults = [Fault("reset", method="POST", path="/update", contains="MOVE")]
    with pytest.raises(StoreError, match="switch to the new dataset"):
        load_quads(NEW, _endpoint(stub), backoff=0.01)
    assert list(stub.store) == []  # not applied: staging graphs found and dropped


def test_other_graphs_are_left_alone_and_staging_is_hidden(stub: StubEndpoint) -> None:
    theirs = ox.Quad(
        ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("keep"), ox.NamedNode("urn:theirs")
    )
    stub.load([theirs])
    done = load_quads(NEW, _endpoint(stub), load_id="test-1")
    assert done.dropped == () and done.triples == 3
    assert hashes_of([*NEW, theirs]) == stub.graph_hashes()
    assert [g.staging for g in done.graphs] == [
        "https://w3id.org/ictkg/staging/test-1/urn%3Aa",
        "https://w3id.org/ictkg/staging/test-1/urn%3Ab",
    ]
    assert all(is_staging_graph(g.staging) for g in done.graphs)


def _staging_quad(load_id: str, name: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode("urn:s"),
        ox.NamedNode("urn:p"),
        ox.Literal("left"),
        ox.NamedNode(f"{STAGING_NS}{load_id}/{name}"),
    )


def test_a_killed_loads_staging_graphs_are_dropped_once_an_hour_old(stub: StubEndpoint) -> None:
    now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    old = new_load_id(now - 3601)  # begun over an hour ago, killed before it dropped them
    young = new_load_id(now - 60)  # perhaps still running
    left = [_staging_quad(old, "wp2012"), _staging_quad(old, "wp2013"), _staging_quad(young, "x")]
    mine = _staging_quad("mine", "x")  # a staging name ictkg does not give: never touched
    stub.load([*left, mine])
    said: list[str] = []
    done = load_quads(NEW, _endpoint(stub), now=lambda: now, progress=said.append)

    assert done.load_id.startswith("20270115T080000Z-")
    graphs = {g.value for g in stub.store.named_graphs()}
    assert {q.graph_name.value for q in left[:2]}.isdisjoint(graphs)
    assert {left[2].graph_name.value, mine.graph_name.value, "urn:a", "urn:b"} == graphs
    assert "dropped 2 staging graphs; they were left by 1 earlier load that did not finish" in said
    assert any(m.startswith("left 2 staging graphs of 2 other loads alone") for m in said)
    # An hour later the young load's graphs go too; the foreign name stays.
    load_quads(NEW, _endpoint(stub), now=lambda: now + 3600)
    assert {g.value for g in stub.store.named_graphs()} == {
        mine.graph_name.value,
        "urn:a",
        "urn:b",
    }


def test_a_failing_cleanup_does_not_stop_the_load(stub: StubEndpoint) -> None:
    stub.load([_staging_quad("20000101T000000Z-00000000", "x")])
    stub.faults = [Fault("status", method="POST", path="/update", contains="DROP", status=500)]
    said: list[str] = []
    done = load_quads(NEW, _endpoint(stub), backoff=0.001, retries=0, progress=said.append)
    assert done.triples == 3
    assert any(m.startswith("could not drop the staging graphs under") for m in said)


def test_a_digest_challenge_is_answered_without_sending_the_password(stub: StubEndpoint) -> None:
    challenge = 'Digest realm="stub", nonce="0123456789abcdef", qop="auth", algorithm=MD5'
    stub.faults = [Fault("status", status=401, headers={"WWW-Authenticate": challenge})]
    client = HttpClient(Credentials("loader", Secret("s3ntinel-digest"), "environment"))
    with pytest.raises(StoreAuthError, match="refused the credentials"):
        client.request("GET", stub.query_url, idempotent=True, what="ask")
    assert stub.authorizations  # urllib answers a few times (nc=1, 2 …), then gives up
    for answer in stub.authorizations:
        assert answer.startswith('Digest username="loader", realm="stub"')
        assert "s3ntinel" not in answer


def test_an_unknown_authentication_scheme_is_an_auth_error(stub: StubEndpoint) -> None:
    stub.faults = [Fault("status", status=401, headers={"WWW-Authenticate": 'Bearer realm="x"'})]
    client = HttpClient(Credentials("loader", Secret("pw"), "environment"))
    with pytest.raises(StoreAuthError, match="asks for Bearer authentication"):
        client.request("GET", stub.query_url, idempotent=True, what="ask")
