"""The HTTP client's bounds (issue 10, items 3 and 4): a total deadline that a dripping server
cannot stretch, a cap on the answer's size, and redirects kept to the endpoint's origin.

The servers here are raw loopback sockets scripted byte by byte, so each case is exactly the
misbehaviour named."""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from ictkg.errors import AnswerLimitError, ExitCode, StoreError, StoreTimeoutError, exit_code_for
from ictkg.stores.endpoint import SparqlEndpointStore
from ictkg.stores.http import HttpClient

Script = Callable[[socket.socket, bytes], None]
ASK_TRUE = b'{"head":{},"boolean":true}'
NO_GRAPHS = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'


@contextmanager
def scripted(script: Script) -> Iterator[str]:
    """A loopback server running ``script(connection, request)`` for each connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):  # the client hung up, as at its deadline
                    script(conn, _request(conn))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stopping.set()
        thread.join(5)
        server.close()


def _request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return data
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _answer(body: bytes, status: str = "200 OK", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/sparql-results+json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    ).encode() + body


def test_a_dripping_server_ends_at_the_total_deadline() -> None:
    def drip(conn: socket.socket, _request: bytes) -> None:
        whole = _answer(ASK_TRUE)
        start = whole.index(b"\r\n\r\n") + 2  # the headers but their last line end ...
        conn.sendall(whole[:start])
        for byte in whole[start:]:  # ... then a byte every 0.3 s
            time.sleep(0.3)
            conn.sendall(bytes([byte]))

    with scripted(drip) as base:
        client = HttpClient(timeout=1.0, retries=0)
        started = time.monotonic()
        with pytest.raises(StoreTimeoutError, match="no complete answer within 1 s") as caught:
            client.request("GET", base + "/query", idempotent=True, what="ask")
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 1.8  # each read comes within 0.3 s: only the total deadline ends it
    assert exit_code_for(caught.value) == ExitCode.TIMEOUT


def test_a_dripping_endpoint_ends_a_query_at_its_deadline() -> None:
    def drip(conn: socket.socket, _request: bytes) -> None:
        for byte in _answer(b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'):
            time.sleep(0.05)
            conn.sendall(bytes([byte]))

    with scripted(drip) as base:
        store = SparqlEndpointStore(base + "/query", timeout=1, retries=0)
        started = time.monotonic()
        with pytest.raises(StoreTimeoutError):
            store.query("ASK {}")
        assert time.monotonic() - started < 1.8


def test_an_answer_over_the_cap_is_refused_by_its_declared_length() -> None:
    sent: list[int] = []

    def big(conn: socket.socket, _request: bytes) -> None:
        sent.append(1)
        conn.sendall(_answer(b"x" * 5000))

    with scripted(big) as base:
        client = HttpClient(timeout=5, max_bytes=1000, retries=3)
        with pytest.raises(AnswerLimitError, match="over the limit of") as caught:
            client.request("GET", base + "/query", idempotent=True, what="ask")
    assert "--max-answer-mb" in str(caught.value)
    assert exit_code_for(caught.value) == ExitCode.REFUSED
    assert sent == [1]  # a limit is not a transient failure: no retry


def test_an_answer_over_the_cap_is_refused_while_it_streams() -> None:
    def unbounded(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
        for _ in range(1000):
            conn.sendall(b"y" * 65536)

    with scripted(unbounded) as base:
        client = HttpClient(timeout=10, max_bytes=256 * 1024, retries=0)
        with pytest.raises(AnswerLimitError, match="more than 0.2 MiB|more than 0.3 MiB"):
            client.request("GET", base + "/query", idempotent=True, what="ask")


def test_a_redirect_to_another_port_is_not_followed() -> None:
    reached: list[bytes] = []

    def elsewhere(conn: socket.socket, request: bytes) -> None:
        reached.append(request)
        conn.sendall(_answer(ASK_TRUE))

    with scripted(elsewhere) as other:

        def redirect(conn: socket.socket, _request: bytes) -> None:
            conn.sendall(_answer(b"", "307 Temporary Redirect", f"Location: {other}/query\r\n"))

        with scripted(redirect) as base:
            store = SparqlEndpointStore(base + "/query", timeout=2, retries=0)
            with pytest.raises(StoreError, match="a redirect to another origin") as caught:
                store.query("ASK {}")
    assert exit_code_for(caught.value) == ExitCode.STORE_UNAVAILABLE
    assert "final URL" in str(caught.value)
    assert reached == []  # nothing was sent to the other port


def test_a_redirect_within_the_origin_keeps_the_post_and_its_body() -> None:
    seen: list[bytes] = []

    def answer(conn: socket.socket, request: bytes) -> None:
        seen.append(request)
        if request.startswith(b"POST /old"):
            conn.sendall(_answer(b"", "308 Permanent Redirect", "Location: /query\r\n"))
        else:  # first the list of graphs, then the ASK
            conn.sendall(_answer(NO_GRAPHS if b"GRAPH" in request else ASK_TRUE))

    with scripted(answer) as base:
        store = SparqlEndpointStore(base + "/old", timeout=2, retries=0)
        assert store.query("ASK {}").boolean is True
    lines = [r.split(b" ")[:2] for r in seen]
    assert lines == [[b"POST", b"/old"], [b"POST", b"/query"]] * 2
    assert b"query=ASK" in seen[3]


def test_a_boolean_where_a_table_was_asked_is_a_clear_error() -> None:
    with scripted(lambda conn, _request: conn.sendall(_answer(ASK_TRUE))) as base:
        store = SparqlEndpointStore(base + "/query", timeout=2, retries=0)
        with pytest.raises(StoreError, match="not the table asked for") as caught:
            store.query("SELECT * { ?s ?p ?o }")
    assert exit_code_for(caught.value) == ExitCode.STORE_UNAVAILABLE


def test_a_query_answers_a_basic_challenge_with_the_environment_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", "s3cret")
    monkeypatch.setenv("NETRC", "/nonexistent")
    wanted = "Basic " + base64.b64encode(b"reader:s3cret").decode()
    seen: list[bool] = []

    def guarded(conn: socket.socket, request: bytes) -> None:
        authorised = f"authorization: {wanted}".encode().lower() in request.lower()
        seen.append(authorised)
        if not authorised:
            conn.sendall(_answer(b"", "401 Unauthorized", 'WWW-Authenticate: Basic realm="x"\r\n'))
        else:
            conn.sendall(_answer(NO_GRAPHS if b"GRAPH" in request else ASK_TRUE))

    with scripted(guarded) as base:
        store = SparqlEndpointStore(base + "/query", timeout=2, retries=0)
        assert store.query("ASK {}").boolean is True
        assert "s3cret" not in repr(store)
    assert seen[0] is False  # the password is sent only when the server asks for it
    assert True in seen
