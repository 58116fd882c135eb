"""For killing a real server at chosen points of a load: a loopback proxy that sees each HTTP
request go by (what it is, when it started, when its body was all forwarded, when the answer
began), a deterministic large dataset, and fast hashes of a server's live ictkg graphs."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ictkg.namespaces import GRAPH_NS, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.stores.loads import is_staging_graph

__all__ = ["Event", "RequestProxy", "generated_dataset", "live_hashes", "staging_triples"]

EVENTS = ("start", "sent", "answered")
"""A request's moments: its first byte reached the proxy, its body was all forwarded to the
server, the server's answer began."""


def kind_of(head: bytes) -> str:
    """What a loader request is, from its first bytes (request line and urlencoded body)."""
    line = head.split(b"\r\n", 1)[0]
    if line.startswith(b"PUT") and b"/store" in line:
        return "upload"
    body = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
    text = urllib.parse.unquote_plus(body.decode("latin-1"))
    if b"/update" in line:
        return "switch" if "MOVE " in text else "drop"
    if "COUNT(" in text:
        return "count"
    if "ASK" in text:
        return "reach"
    return "query"


@dataclass
class Event:
    """One moment of one request, seconds after the proxy's clock was :meth:`reset`."""

    kind: str
    index: int
    """The request's number among those of its kind (0 for the first upload, …)."""
    event: str
    at: float


@dataclass
class _Request:
    kind: str
    index: int
    length: int | None = None
    forwarded: int = 0
    started: float = 0.0
    sent: float | None = None
    answered: float | None = None


@dataclass
class RequestProxy:
    """Forwards 127.0.0.1:<port> to the current upstream port, one request per connection (as
    urllib makes them), calling ``hook`` at each :class:`Event`."""

    upstream: int
    hook: Callable[[Event], None] | None = None
    events: list[Event] = field(default_factory=list)
    _in_flight: list[_Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._counts: dict[str, int] = {}
        self._clock = time.monotonic()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self) -> None:
        """Start a new load: clock, request numbers and events start again."""
        with self._lock:
            self._clock = time.monotonic()
            self._counts = {}
            self.events = []
            self._in_flight = []

    def now(self) -> float:
        return time.monotonic() - self._clock

    def phase(self) -> str:
        """What the load is doing now: the request in flight, or client work after the last."""
        with self._lock:
            if self._in_flight:
                request = self._in_flight[-1]
                where = "received by the server" if request.sent is not None else "being sent"
                return f"{request.kind} #{request.index} ({where})"
            if not self.events:
                return "client work before the first request"
            last = self.events[-1]
            return f"client work after {last.kind} #{last.index}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _note(self, request: _Request, event: str) -> None:
        happened = Event(request.kind, request.index, event, self.now())
        with self._lock:
            self.events.append(happened)
        if self.hook is not None:
            self.hook(happened)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        request: _Request | None = None
        try:
            head = b""
            while True:  # the request line, the headers and enough body to tell what it is
                chunk = client.recv(65536)
                if not chunk:
                    break
                head += chunk
                if b"\r\n\r\n" in head:
                    body = len(head) - head.index(b"\r\n\r\n") - 4
                    if head.startswith(b"PUT") or body >= min(self._length(head) or 0, 4096):
                        break
            if not head:
                return
            kind = kind_of(head)
            with self._lock:
                index = self._counts.get(kind, 0)
                self._counts[kind] = index + 1
                request = _Request(kind, index, started=self.now())
                self._in_flight.append(request)
            self._note(request, "start")
            request.length = self._length(head)
            upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=None)
        except OSError:
            client.close()
            self._done(request)
            return
        try:
            answer = threading.Thread(target=self._answer, args=(upstream, client, request))
            answer.start()
            self._forward(head, client, upstream, request)
            answer.join()
        finally:
            upstream.close()
            client.close()
            self._done(request)

    @staticmethod
    def _length(head: bytes) -> int | None:
        header, _, _ = head.partition(b"\r\n\r\n")
        for line in header.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return int(value.strip())
        return None

    def _forward(
        self, head: bytes, client: socket.socket, upstream: socket.socket, request: _Request
    ) -> None:
        header_size = head.index(b"\r\n\r\n") + 4 if b"\r\n\r\n" in head else len(head)
        body_seen = len(head) - header_size
        data = head
        while True:
            try:
                upstream.sendall(data)
            except OSError:
                return
            if request.sent is None and (request.length is None or body_seen >= request.length):
                request.sent = self.now()
                self._note(request, "sent")
            try:
                data = client.recv(1 << 20)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    upstream.shutdown(socket.SHUT_WR)
                return
            body_seen += len(data)

    def _answer(self, upstream: socket.socket, client: socket.socket, request: _Request) -> None:
        while True:
            try:
                data = upstream.recv(1 << 20)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)
                return
            if request.answered is None:
                request.answered = self.now()
                self._note(request, "answered")
            try:
                client.sendall(data)
            except OSError:
                return

    def _done(self, request: _Request | None) -> None:
        if request is None:
            return
        with self._lock:
            if request in self._in_flight:
                self._in_flight.remove(request)


# -- Data -------------------------------------------------------------------------------------


def generated_dataset(triples: int, graphs: list[str]) -> list[ox.Quad]:
    """``triples`` distinct quads spread evenly over ``graphs``: IRIs, plain, language-tagged
    and typed literals; the same every time."""
    ex = "https://example.org/kill-test/"
    predicates = [ox.NamedNode(f"{ex}p{i}") for i in range(8)]
    names = [ox.NamedNode(g) for g in graphs]
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    quads = []
    for i in range(triples):
        kind = i % 4
        if kind == 0:
            obj: ox.NamedNode | ox.Literal = ox.NamedNode(f"{ex}o{i}")
        elif kind == 1:
            obj = ox.Literal(f"value {i}")
        elif kind == 2:
            obj = ox.Literal(f"値 {i}", language="ja")
        else:
            obj = ox.Literal(str(i), datatype=integer)
        quads.append(
            ox.Quad(ox.NamedNode(f"{ex}s{i // 8}"), predicates[i % 8], obj, names[i % len(names)])
        )
    return quads


# -- Reading a server -------------------------------------------------------------------------


def _select(query_url: str, sparql: str) -> list[dict[str, ox.Term]]:
    request = urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode({"query": sparql}).encode(),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    return [{v.value: row[v] for v in result.variables if row[v] is not None} for row in result]


def named_graphs(query_url: str) -> list[str]:
    """Every named graph the server has (``GRAPH ?g {}`` lists them without scanning quads)."""
    rows = _select(query_url, "SELECT ?g WHERE { GRAPH ?g {} }")
    return sorted(str(row["g"].value) for row in rows if "g" in row)


def live_hashes(query_url: str, store_url: str) -> dict[str, str]:
    """SHA-256 of each non-empty live ictkg graph's sorted N-Triples lines, as the server
    serialises them: every graph under GRAPH_NS and the catalogue graph, staging graphs
    excluded (a Graph Store Protocol GET per graph, so leftover staging graphs cost nothing)."""
    hashes: dict[str, str] = {}
    for graph in named_graphs(query_url):
        if is_staging_graph(graph):
            continue
        if not (graph.startswith(GRAPH_NS) or graph == QUERY_CATALOGUE_GRAPH_IRI):
            continue
        url = f"{store_url}?graph={urllib.parse.quote(graph, safe='')}"
        request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=600) as response:
            lines = [line for line in response.read().split(b"\n") if line.strip()]
        if lines:
            lines.sort()
            hashes[graph] = hashlib.sha256(b"\n".join(lines)).hexdigest()
    return hashes


def staging_triples(query_url: str) -> tuple[int, int]:
    """Staging graphs left on the server and the triples in them."""
    staging = [g for g in named_graphs(query_url) if is_staging_graph(g)]
    if not staging:
        return 0, 0
    values = " ".join(f"<{g}>" for g in staging)
    rows = _select(
        query_url,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
    )
    return len(staging), int(rows[0]["n"].value) if rows and "n" in rows[0] else 0
