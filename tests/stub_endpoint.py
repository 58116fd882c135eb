"""A stub SPARQL endpoint for the loader tests: a real HTTP server in the test process, with its
graphs in a real pyoxigraph Store, speaking enough of the SPARQL 1.1 Protocol, Update and Graph
Store Protocol to play a server, and failing on cue (scripted :class:`Fault` s).

Every request takes one lock, so each query or update sees one state of the store, as a real
server's transactions would give.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when a client goes away mid-answer (a fault test's client often does):
    socketserver would print the traceback on stderr, in the middle of the CLI's output."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Fault:
    """What to do instead of answering, for the requests it matches.

    ``action`` is ``status`` (answer ``status`` with ``headers``, and ``body`` as
    ``content_type`` when given), ``hang`` (say nothing for ``seconds``), ``reset`` (read part
    of the body, then reset the connection), ``html`` (answer 200 with a web page) or ``delay``
    (wait ``seconds``, then serve the request as usual: a server slow to start on it).
    """

    action: str
    method: str = "*"
    path: str = "*"
    nth: int | None = None
    """Only the nth matching request (1-based); None: every one."""
    times: int | None = None
    """At most this many times; None: always."""
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 5.0
    contains: str | None = None
    """Only requests whose body or query string contains this text."""
    body: bytes | None = None
    """``status``: the answer's body (default ``scripted fault``)."""
    content_type: str = "text/plain"
    """``status``: the answer's media type."""
    seen: int = 0
    used: int = 0

    def applies(self, method: str, path: str, text: str) -> bool:
        if self.method not in ("*", method) or self.path not in ("*", path):
            return False
        if self.contains is not None and self.contains not in text:
            return False
        self.seen += 1
        if self.nth is not None and self.seen != self.nth:
            return False
        if self.times is not None and self.used >= self.times:
            return False
        self.used += 1
        return True


def hashes_of(quads: list[ox.Quad]) -> dict[str, str]:
    """SHA-256 of each named graph's sorted N-Triples lines."""
    graphs: dict[str, set[str]] = {}
    for quad in quads:
        line = f"{quad.subject} {quad.predicate} {quad.object} ."
        graphs.setdefault(str(getattr(quad.graph_name, "value", "")), set()).add(line)
    return {
        g: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
        for g, lines in graphs.items()
    }


class StubEndpoint:
    """The server; use :func:`stub_endpoint` to start and stop it."""

    def __init__(self, *, server_header: str = "ictkg-stub/1", gsp: bool = True) -> None:
        self.store = ox.Store()
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.server_header = server_header
        self.gsp = gsp
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.authorizations: list[str] = []
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    def graph_hashes(self) -> dict[str, str]:
        """SHA-256 of each named graph's sorted N-Triples lines."""
        with self.lock:
            return hashes_of(list(self.store))

    def load(self, quads: list[ox.Quad]) -> None:
        with self.lock:
            self.store.clear()
            self.store.extend(quads)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def version_string(self) -> str:
                return stub.server_header

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(
                self,
                status: int,
                body: bytes = b"",
                ctype: str = "text/plain",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _fault(self, method: str, path: str, text: str) -> Fault | None:
                with stub.lock:
                    for fault in stub.faults:
                        if fault.applies(method, path, text):
                            return fault
                return None

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
                stub.requests.append((method, path))
                if self.headers.get("Authorization"):
                    stub.authorizations.append(self.headers["Authorization"])
                length = int(self.headers.get("Content-Length") or 0)
                body: bytes | None = None
                if method == "POST":  # matched on its body: e.g. only the update with MOVE
                    body = self._body()
                    fault = self._fault(method, path, body.decode("utf-8", "replace"))
                else:  # matched before its body is read, so an upload can be cut off
                    fault = self._fault(method, path, parts.query)
                if fault is not None and fault.action == "reset":
                    if body is None and length:
                        self.rfile.read(min(length, 64))
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.connection.close()
                    self.close_connection = True
                    return
                if body is None:
                    body = self._body()
                if fault is not None and fault.action == "delay":
                    stub.stopping.wait(fault.seconds)
                    fault = None
                if fault is not None:
                    if fault.action == "hang":
                        stub.stopping.wait(fault.seconds)
                        return
                    if fault.action == "html":
                        page = b"<!DOCTYPE html><html><body>Please log in</body></html>"
                        return self._send(200, page, "text/html; charset=utf-8")
                    return self._send(
                        fault.status,
                        b"scripted fault" if fault.body is None else fault.body,
                        fault.content_type,
                        headers=fault.headers,
                    )
                form = (
                    parse_qs(body.decode("utf-8"), keep_blank_values=True)
                    if (
                        self.headers.get("Content-Type", "").startswith(
                            "application/x-www-form-urlencoded"
                        )
                    )
                    else {}
                )
                if path == "/query":
                    return self._query(query, form, body)
                if path == "/update":
                    return self._update(form, body)
                if path == "/store" and stub.gsp:
                    return self._store(method, query, body)
                return self._send(405 if path == "/store" else 404, b"no such service")

            def _query(
                self, query: dict[str, list[str]], form: dict[str, list[str]], body: bytes
            ) -> None:
                text = (query.get("query") or form.get("query") or [body.decode()])[0]
                defaults = query.get("default-graph-uri", []) + form.get("default-graph-uri", [])
                named = query.get("named-graph-uri", []) + form.get("named-graph-uri", [])
                try:
                    with stub.lock:
                        result = stub.store.query(
                            text,
                            default_graph=[ox.NamedNode(g) for g in defaults] or None,
                            named_graphs=[ox.NamedNode(g) for g in named] or None,
                        )
                        data = result.serialize(format=ox.QueryResultsFormat.JSON)
                except (SyntaxError, ValueError, OSError) as exc:
                    return self._send(400, str(exc).encode())
                self._send(200, data, "application/sparql-results+json")

            def _update(self, form: dict[str, list[str]], body: bytes) -> None:
                text = (form.get("update") or [body.decode()])[0]
                try:
                    with stub.lock:
                        stub.store.update(text)
                except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
                    return self._send(400, str(exc).encode())
                self._send(204)

            def _store(self, method: str, query: dict[str, list[str]], body: bytes) -> None:
                graph = ox.NamedNode(query["graph"][0])
                with stub.lock:
                    if method == "PUT" and graph in set(stub.store.named_graphs()):
                        stub.store.remove_graph(graph)
                    if method in ("PUT", "POST"):
                        try:
                            stub.store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                        except SyntaxError as exc:
                            return self._send(400, str(exc).encode())
                        return self._send(201)
                    if method == "DELETE":
                        stub.store.remove_graph(graph)
                        return self._send(204)
                self._send(405)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._serve("PUT")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

        return Handler


@contextmanager
def stub_endpoint(**options: object) -> Iterator[StubEndpoint]:
    """Start a :class:`StubEndpoint` on a free loopback port; stop it afterwards."""
    stub = StubEndpoint(**options)  # type: ignore[arg-type]
    stub.thread.start()
    try:
        yield stub
    finally:
        stub.stopping.set()
        stub.httpd.shutdown()
        stub.httpd.server_close()


Clock = Callable[[], float]


def elapsed(clock: Clock = time.monotonic) -> Callable[[], float]:
    """A stopwatch: call the result for the seconds since this call."""
    start = clock()
    return lambda: clock() - start
