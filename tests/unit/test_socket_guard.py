"""The suite's socket guard (pytest-socket, configured in pyproject.toml): a test may connect to
loopback only, so no test reaches the network by accident (issue 10)."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError

from ictkg.errors import StoreError
from ictkg.stores.endpoint import SparqlEndpointStore

# pytest-socket warns as it refuses; here the refusal is the point.
pytestmark = pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")


def test_a_connection_off_loopback_fails_the_test() -> None:
    with pytest.raises(SocketConnectBlockedError), socket.create_connection(("192.0.2.1", 80), 1):
        pass  # pragma: no cover - the guard refuses before a packet leaves


def test_an_endpoint_off_loopback_is_never_contacted() -> None:
    store = SparqlEndpointStore("http://192.0.2.1/sparql", timeout=1)
    with pytest.raises((SocketConnectBlockedError, StoreError)) as caught:
        store.query("ASK {}")
    assert "192.0.2.1" in str(caught.value) or isinstance(caught.value, SocketConnectBlockedError)


def test_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), 1):
            pass
