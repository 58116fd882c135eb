"""A small loopback TCP fault proxy for the fault-injection tests (standard library only).

It stands in front of any server (the stub endpoint or a real Oxigraph server) on a free
127.0.0.1 port and treats each accepted connection by the :class:`Mode` planned for it:

``pass``
    forward both ways untouched;
``latency``
    forward the request, then wait ``seconds`` before forwarding the response;
``defer``
    hold the request ``seconds`` before forwarding it (the server starts on it late, perhaps
    after the client gave up);
``hang``
    accept and read, never answer (until the client gives up or the proxy stops);
``drip``
    forward the response one byte every ``seconds``;
``reset``
    forward the first ``after`` bytes of the response, then reset the connection
    (``SO_LINGER`` 0, so the client sees ``ECONNRESET``, not a clean end);
``close``
    read the request, then close the connection cleanly without a byte of answer.

The plan is per connection count, so "the first fails, then it passes" is
``proxy.plan(reset(0), then=PASS)``; every HTTP client ictkg uses sends ``Connection: close``,
so one connection is one request.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

_CHUNK = 65536


@dataclass(frozen=True)
class Mode:
    """What the proxy does with one connection."""

    kind: str = "pass"
    """``pass``, ``latency``, ``hang``, ``drip``, ``reset`` or ``close``."""
    seconds: float = 0.0
    """``latency``: the delay before the response; ``defer``: before the request; ``drip``:
    the delay between the response's bytes."""
    after: int = 0
    """``reset``: response bytes forwarded before the reset."""

    def __post_init__(self) -> None:
        if self.kind not in ("pass", "latency", "defer", "hang", "drip", "reset", "close"):
            raise ValueError(f"unknown proxy mode {self.kind!r}")


PASS = Mode()
HANG = Mode("hang")
CLOSE = Mode("close")


def latency(seconds: float) -> Mode:
    """Wait ``seconds`` before forwarding the response."""
    return Mode("latency", seconds=seconds)


def defer(seconds: float) -> Mode:
    """Hold the request ``seconds`` before forwarding it."""
    return Mode("defer", seconds=seconds)


def drip(seconds: float) -> Mode:
    """Forward the response one byte every ``seconds``."""
    return Mode("drip", seconds=seconds)


def reset(after: int = 0) -> Mode:
    """Forward ``after`` bytes of the response, then reset the connection."""
    return Mode("reset", after=after)


class FaultProxy:
    """The proxy; use :func:`fault_proxy` to start and stop it.

    Args:
        upstream: the server's URL (``http://127.0.0.1:7878/…``) or ``(host, port)``.
        modes: the mode of the first, second, … connection.
        then: the mode of every connection after those.
    """

    def __init__(
        self,
        upstream: str | tuple[str, int],
        modes: Sequence[Mode] = (),
        *,
        then: Mode = PASS,
    ) -> None:
        if isinstance(upstream, str):
            parts = urlsplit(upstream)
            upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.upstream = upstream
        self._plan: list[Mode] = list(modes)
        self._then = then
        self.connections = 0
        """Connections accepted since the last :meth:`plan`."""
        self.used: list[str] = []
        """The mode kind each of those connections got, in order."""
        self.response_bytes = 0
        """Response bytes forwarded to clients since the last :meth:`plan`."""
        self.request_bytes: dict[int, int] = {}
        """Request bytes forwarded to the server, by connection (0-based, since :meth:`plan`)."""
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self._acceptor = threading.Thread(target=self._accept, daemon=True, name="fault-proxy")

    # -- the test's side ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, upstream_url: str) -> str:
        """``upstream_url`` with the proxy's host and port in place of the server's."""
        parts = urlsplit(upstream_url)
        return parts._replace(netloc=f"127.0.0.1:{self.port}").geturl()

    def plan(self, *modes: Mode, then: Mode = PASS) -> None:
        """Plan the next connections afresh (and reset the counters)."""
        with self._lock:
            self._plan = list(modes)
            self._then = then
            self.connections = 0
            self.used = []
            self.response_bytes = 0
            self.request_bytes = {}

    def start(self) -> None:
        self._acceptor.start()

    def stop(self) -> None:
        self.stopping.set()
        self._acceptor.join(2)
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                _close(sock)
        for thread in list(self._threads):
            thread.join(2)

    # -- the connections' side ----------------------------------------------------------------

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                index = self.connections
                self.connections += 1
                mode = self._plan[index] if index < len(self._plan) else self._then
                self.used.append(mode.kind)
                self._sockets.add(client)
            thread = threading.Thread(target=self._serve, args=(client, mode, index), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                self._sockets.discard(sock)
                _close(sock)

    def _serve(self, client: socket.socket, mode: Mode, index: int) -> None:
        if mode.kind in ("hang", "close"):
            try:
                self._swallow(client, until_headers=mode.kind == "close")
                if mode.kind == "close":
                    client.shutdown(socket.SHUT_RDWR)
            except (OSError, ValueError):  # (ValueError: closed by stop())
                pass
            self._forget(client)
            return
        if mode.kind == "defer" and self.stopping.wait(mode.seconds):
            self._forget(client)
            return
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:  # the server is gone: the client sees its connection reset
            _reset(client)
            self._forget(client)
            return
        server.settimeout(None)
        with self._lock:
            self._sockets.add(server)
        pump = threading.Thread(target=self._pump, args=(client, server, index), daemon=True)
        pump.start()
        try:
            self._respond(client, server, mode)
        except (OSError, ValueError):
            pass
        finally:
            self._forget(client, server)
            pump.join(2)

    def _swallow(self, client: socket.socket, *, until_headers: bool) -> None:
        """Read what the client sends; stop at the end of the headers, or when it gives up."""
        seen = b""
        while not self.stopping.is_set():
            ready, _, _ = select.select([client], [], [], 0.05)
            if not ready:
                continue
            data = client.recv(_CHUNK)
            if not data:
                return
            if until_headers:
                seen = (seen + data)[-_CHUNK:]
                if b"\r\n\r\n" in seen:
                    return

    def _pump(self, client: socket.socket, server: socket.socket, index: int) -> None:
        """Forward the request (client to server) as it comes."""
        try:
            while not self.stopping.is_set():
                ready, _, _ = select.select([client], [], [], 0.05)
                if not ready:
                    continue
                data = client.recv(_CHUNK)
                if not data:
                    server.shutdown(socket.SHUT_WR)
                    return
                server.sendall(data)
                with self._lock:
                    self.request_bytes[index] = self.request_bytes.get(index, 0) + len(data)
        except (OSError, ValueError):  # (ValueError: closed meanwhile)
            return

    def _respond(self, client: socket.socket, server: socket.socket, mode: Mode) -> None:
        """Forward the response (server to client) the way ``mode`` says."""
        first = True
        sent = 0
        while not self.stopping.is_set():
            ready, _, _ = select.select([server], [], [], 0.05)
            if not ready:
                continue
            data = server.recv(_CHUNK)
            if not data:
                client.shutdown(socket.SHUT_WR)
                return
            if first and mode.kind == "latency" and self.stopping.wait(mode.seconds):
                return
            first = False
            if mode.kind == "reset":
                keep = data[: max(0, mode.after - sent)]
                if keep:
                    client.sendall(keep)
                    sent += len(keep)
                    self._count(len(keep))
                if sent >= mode.after:
                    _reset(client)
                    return
                continue
            if mode.kind == "drip":
                for byte in data:
                    client.sendall(bytes([byte]))
                    self._count(1)
                    if self.stopping.wait(mode.seconds):
                        return
                continue
            client.sendall(data)
            self._count(len(data))

    def _count(self, n: int) -> None:
        with self._lock:
            self.response_bytes += n


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer gets a TCP RST."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _close(sock)


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.close()


@contextmanager
def fault_proxy(
    upstream: str | tuple[str, int], modes: Sequence[Mode] = (), *, then: Mode = PASS
) -> Iterator[FaultProxy]:
    """Start a :class:`FaultProxy` in front of ``upstream``; stop it afterwards."""
    proxy = FaultProxy(upstream, modes, then=then)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
