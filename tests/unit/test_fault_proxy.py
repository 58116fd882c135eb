"""The fault proxy (tests/fault_proxy.py) does what each mode says, on raw HTTP requests to the
stub endpoint, so the fault tests that rely on it test ictkg rather than the proxy."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator

import pytest

from fault_proxy import (
    CLOSE,
    HANG,
    PASS,
    FaultProxy,
    Mode,
    defer,
    drip,
    fault_proxy,
    latency,
    reset,
)
from stub_endpoint import stub_endpoint

ASK = "/query?query=ASK%7B%7D"


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    with stub_endpoint() as stub, fault_proxy(stub.base) as running:
        yield running


def get(proxy: FaultProxy, timeout: float = 2.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=timeout)
    try:
        connection.request("GET", ASK, headers={"Connection": "close"})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_pass_forwards_the_answer(proxy: FaultProxy) -> None:
    assert get(proxy) == (200, b'{"head":{},"boolean":true}')
    assert proxy.used == ["pass"] and proxy.response_bytes > 26


def test_latency_delays_the_answer(proxy: FaultProxy) -> None:
    proxy.plan(latency(0.4))
    started = time.monotonic()
    assert get(proxy)[0] == 200
    assert time.monotonic() - started >= 0.4


def test_defer_reaches_the_server_late_even_after_the_client_left() -> None:
    with stub_endpoint() as stub, fault_proxy(stub.base, then=defer(0.5)) as proxy:
        with pytest.raises(TimeoutError):
            get(proxy, timeout=0.2)
        assert stub.requests == []
        time.sleep(0.8)
        assert stub.requests == [("GET", "/query")] and proxy.request_bytes[0] > 20


def test_hang_never_answers(proxy: FaultProxy) -> None:
    proxy.plan(HANG)
    with pytest.raises(TimeoutError):
        get(proxy, timeout=0.3)


def test_drip_sends_one_byte_at_a_time(proxy: FaultProxy) -> None:
    proxy.plan(drip(0.2))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        started = time.monotonic()
        first = sock.recv(100)
        second = sock.recv(100)
        assert (len(first), len(second)) == (1, 1)
        assert time.monotonic() - started >= 0.15


def test_reset_after_n_bytes(proxy: FaultProxy) -> None:
    proxy.plan(reset(20))
    received = b""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        with pytest.raises(ConnectionResetError):
            while chunk := sock.recv(100):
                received += chunk
                time.sleep(0.05)
    assert received == b"HTTP/1.0 200 OK\r\nSer"[: len(received)] and len(received) <= 20


def test_close_ends_without_an_answer(proxy: FaultProxy) -> None:
    proxy.plan(CLOSE)
    with pytest.raises(http.client.RemoteDisconnected):
        get(proxy)


def test_first_fails_then_passes(proxy: FaultProxy) -> None:
    proxy.plan(reset(0), then=PASS)
    with pytest.raises(ConnectionResetError):
        get(proxy)
    assert get(proxy)[0] == 200
    assert proxy.used == ["reset", "pass"]


def test_a_server_that_is_gone_gives_a_reset(stub_gone: str) -> None:
    with fault_proxy(stub_gone) as proxy, pytest.raises(ConnectionError):
        get(proxy)


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="unknown proxy mode"):
        Mode("teleport")


@pytest.fixture
def stub_gone() -> str:
    with stub_endpoint() as stub:
        base = stub.base
    return base


def test_it_fronts_any_server() -> None:
    with stub_endpoint() as stub, fault_proxy(stub.query_url) as other:
        assert other.url(stub.query_url + "?x=1") == f"{other.base}/query?x=1"
        assert get(other)[0] == 200
