"""Load a dataset into a remote SPARQL endpoint so that readers see the old dataset or the new
one, never a mix; validating the data first and rendering the report are left to others.

Every named graph is uploaded into a staging graph of its own
(``https://w3id.org/ictkg/staging/<load-id>/<name>``), each staging graph's triple count is
checked with a ``COUNT`` query, and then ONE SPARQL Update request switches the whole dataset::

    MOVE <…/staging/<load-id>/ontology> TO <…/graph/ontology> ;
    MOVE <…/staging/<load-id>/wp2013> TO <…/graph/wp2013> ;
    DROP SILENT GRAPH <…/graph/wp2012>        # an ictkg graph the new dataset no longer has

A failure before the switch drops the staging graphs (best effort) and leaves the live graphs
as they were; staging graphs that a killed load could not drop are dropped by the next load
once they are an hour old (``stale_after``). How a staging graph is uploaded depends on the
engine (:class:`Engine`): a bulk ``PUT ?no_transaction`` for Oxigraph, a Graph Store Protocol
``PUT`` elsewhere, and SPARQL Update ``INSERT DATA`` chunks where there is no Graph Store
Protocol. Blank nodes are skolemised deterministically, so loading the same data twice gives
the same graphs.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from ictkg.errors import StoreError, UsageError, one_line
from ictkg.namespaces import GRAPH_NS, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.stores.http import (
    HttpClient,
    Response,
    StoreHttpError,
    find_credentials,
    naming_once,
    redact,
)
from ictkg.stores.loads import (
    GENID_NS,
    STAGING_NS,
    Endpoint,
    EndpointLoad,
    GraphLoad,
    is_staging_graph,
)

__all__ = [
    "GENID_NS",
    "STAGING_NS",
    "Endpoint",
    "EndpointLoad",
    "Engine",
    "GraphLoad",
    "derive_urls",
    "load_quads",
    "skolemise",
]

Progress = Callable[[str], None]

RESULTS_JSON = "application/sparql-results+json"
_INSERT_CHUNK = 5000
"""Triples per ``INSERT DATA`` request when the Graph Store Protocol is not available."""
_NO_GSP = frozenset({404, 405, 415, 501})
"""Statuses that mean "no Graph Store Protocol here" rather than "this request is wrong"."""


def _replace_path(url: str, old_tail: str, new_tail: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/")[: -len(old_tail)] + new_tail
    return urlunsplit(parts._replace(path=path, query="", fragment=""))


def derive_urls(
    query_url: str,
    update_url: str | None = None,
    store_url: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Endpoint:
    """Work out the update and Graph Store URLs from the query URL, for known layouts.

    Oxigraph (and Fuseki-like) ``…/query`` gives ``…/update`` and ``…/store``; Virtuoso's
    ``…/sparql`` gives the same URL for updates and ``…/sparql-graph-crud`` for graphs, or
    ``…/sparql-auth`` and ``…/sparql-graph-crud-auth`` (HTTP Digest) when there are
    credentials. Given URLs win; credentials in any URL are stripped (see
    :func:`~ictkg.stores.http.find_credentials`).

    >>> e = derive_urls("http://localhost:7878/query", environ={"NETRC": "/nonexistent"})
    >>> e.update_url, e.store_url
    ('http://localhost:7878/update', 'http://localhost:7878/store')
    >>> e = derive_urls("http://localhost:8890/sparql", environ={"NETRC": "/nonexistent"})
    >>> e.update_url, e.store_url
    ('http://localhost:8890/sparql', 'http://localhost:8890/sparql-graph-crud')

    Raises:
        UsageError: for a URL that is not http(s), or an update URL that cannot be derived.
    """
    query, credentials = find_credentials(query_url, environ)
    for url in (query, update_url, store_url):
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise UsageError(f"{redact(url)} is not an http(s) URL")
    if update_url is not None:
        update_url, extra = find_credentials(update_url, environ)
        credentials = credentials or extra
    if store_url is not None:
        store_url, extra = find_credentials(store_url, environ)
        credentials = credentials or extra
    path = urlsplit(query).path.rstrip("/")
    if path.endswith("/query"):
        update_url = update_url or _replace_path(query, "/query", "/update")
        store_url = store_url or _replace_path(query, "/query", "/store")
    elif path.endswith("/sparql") or path.endswith("/sparql-auth"):
        tail = "/sparql-auth" if path.endswith("/sparql-auth") else "/sparql"
        auth = "-auth" if credentials is not None else ""
        update_url = update_url or _replace_path(query, tail, f"/sparql{auth}")
        store_url = store_url or _replace_path(query, tail, f"/sparql-graph-crud{auth}")
    if update_url is None:
        raise UsageError(
            f"cannot tell the SPARQL Update URL of {redact(query_url)}",
            hint="give it with --update-url (and the Graph Store URL with --store-url)",
        )
    return Endpoint(query, update_url, store_url, credentials)


# -- Blank nodes -----------------------------------------------------------------------------------


def skolemise(graph: str, triples: Sequence[ox.Triple]) -> list[ox.Triple]:
    """Replace blank nodes by IRIs that depend only on the graph's content.

    Each blank node gets its canonical RDFC-1.0 label within its graph, and the IRI
    ``<BASE>.well-known/genid/<hash>`` from the graph IRI and that label, so loading the same
    graph twice gives the same IRIs (the IRIs change when the graph changes).

    >>> b = ox.BlankNode()
    >>> [t.object.value for t in skolemise("urn:g", [ox.Triple(ox.NamedNode("urn:s"),
    ...     ox.NamedNode("urn:p"), b)])]  # doctest: +ELLIPSIS
    ['https://w3id.org/ictkg/.well-known/genid/...']
    """
    if not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return list(triples)
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def iri(node: ox.BlankNode) -> ox.NamedNode:
        digest = hashlib.sha256(f"{graph}\n{node.value}".encode()).hexdigest()[:32]
        return ox.NamedNode(GENID_NS + digest)

    out: list[ox.Triple] = []
    for quad in dataset:
        subject = iri(quad.subject) if isinstance(quad.subject, ox.BlankNode) else quad.subject
        obj = iri(quad.object) if isinstance(quad.object, ox.BlankNode) else quad.object
        out.append(ox.Triple(subject, quad.predicate, obj))
    return out


# -- Engines -----------------------------------------------------------------------------------


class Engine:
    """How one kind of server takes a staging graph; the generic Graph Store Protocol here.

    Subclasses change :attr:`graph_parameter` or :meth:`store_query` for their server; pick one
    with :func:`detect_engine`. Every upload first replaces the staging graph, so it may be
    retried.
    """

    name: ClassVar[str] = "generic"
    """The engine's name in reports."""
    graph_parameter: ClassVar[str] = "graph"
    """The Graph Store Protocol's graph parameter (Virtuoso says ``graph-uri``)."""

    def store_query(self, graph: str, triples: int) -> dict[str, str]:
        """The query parameters of the ``PUT`` that replaces ``graph`` with ``triples``."""
        return {self.graph_parameter: graph}

    def method(self, triples: int) -> str:
        """How a graph of ``triples`` is uploaded, for reports."""
        return "Graph Store PUT"


class OxigraphEngine(Engine):
    """Oxigraph's server: ``PUT /store?graph=…&no_transaction&lenient`` clears the staging
    graph and bulk-loads it, skipping the transaction (nobody reads a staging graph) and the
    re-validation of data ictkg has serialised itself.

    Graphs under :attr:`bulk_from` triples go by a plain ``PUT``: the bulk loader's set-up
    costs more than it saves on them (0.10 s against 0.05 s for the seed's four graphs, 0.93 s
    against 2.46 s for 100 000 triples; benchmarks/bench_load.py).
    """

    name = "oxigraph"
    bulk_from: ClassVar[int] = 10_000
    """The smallest graph worth the bulk loader."""

    def store_query(self, graph: str, triples: int) -> dict[str, str]:
        if triples < self.bulk_from:
            return {"graph": graph}
        return {"graph": graph, "no_transaction": "", "lenient": ""}

    def method(self, triples: int) -> str:
        return "Graph Store PUT" if triples < self.bulk_from else "bulk PUT ?no_transaction"


class VirtuosoEngine(Engine):
    """Virtuoso: its Graph Store endpoint names the graph with ``graph-uri`` (untested)."""

    name = "virtuoso"
    graph_parameter = "graph-uri"


ENGINES: tuple[tuple[str, type[Engine]], ...] = (
    ("oxigraph/", OxigraphEngine),
    ("virtuoso", VirtuosoEngine),
)
"""``Server`` header prefix (lower-cased) -> engine; anything else is :class:`Engine`."""


def detect_engine(server_header: str | None) -> Engine:
    """Pick the engine from the endpoint's ``Server`` header.

    >>> detect_engine("Oxigraph/0.5.13").name, detect_engine("nginx").name
    ('oxigraph', 'generic')
    """
    header = (server_header or "").lower()
    for prefix, engine in ENGINES:
        if header.startswith(prefix):
            return engine()
    return Engine()


# -- Talking SPARQL ------------------------------------------------------------------------------


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise UsageError(f"{value!r} cannot be written as a SPARQL IRI")
    return f"<{value}>"


class _Session:
    """One load's requests to one endpoint."""

    def __init__(self, endpoint: Endpoint, client: HttpClient) -> None:
        self.endpoint = endpoint
        self.client = client
        self.server: str | None = None
        self.no_gsp = False

    def select(self, sparql: str, what: str) -> list[ox.QuerySolution] | bool:
        response = self.client.request(
            "POST",
            self.endpoint.query_url,
            urlencode({"query": sparql}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON},
            idempotent=True,
            what=what,
        )
        self.server = self.server or response.headers.get("server")
        return self._results(response, what)

    def _results(self, response: Response, what: str) -> list[ox.QuerySolution] | bool:
        """The rows (or the boolean) of an answer, read whole here: pyoxigraph parses JSON
        results lazily, so a truncated answer fails while its rows are read."""
        where = redact(self.endpoint.query_url)
        kind = response.content_type or "no content type"
        hint = "check that the URL is the endpoint's SPARQL query URL (e.g. …/query, …/sparql)"
        if "html" in kind:
            raise StoreError(
                f"{naming_once(what, where)} answered with a web page ({kind}), not SPARQL results",
                hint=hint,
            )
        try:
            parsed = ox.parse_query_results(response.body, format=ox.QueryResultsFormat.JSON)
            if isinstance(parsed, ox.QueryBoolean):
                return bool(parsed)
            return list(parsed)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"{naming_once(what, where)} did not answer in SPARQL "
                f"results JSON ({kind}): "
                f"{one_line(str(exc))}",
                hint=hint,
            ) from None

    def update(self, sparql: str, what: str, *, idempotent: bool) -> None:
        self.client.request(
            "POST",
            self.endpoint.update_url,
            urlencode({"update": sparql}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
            idempotent=idempotent,
            what=what,
        )

    def counts(self, graphs: Iterable[str], what: str) -> dict[str, int]:
        names = " ".join(_iri(g) for g in graphs)
        result = self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {names} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            what,
        )
        found: dict[str, int] = {}
        for row in result if isinstance(result, list) else ():
            graph, count = row["g"], row["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
                found[graph.value] = int(count.value)
        return found

    def ictkg_graphs(self) -> tuple[set[str], set[str]]:
        """The endpoint's live ictkg graphs and its staging graphs, in one query."""
        result = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NS}") || STRSTARTS(STR(?g), "{STAGING_NS}") '
            f"|| ?g = <{QUERY_CATALOGUE_GRAPH_IRI}>) }}",
            "list the ictkg graphs",
        )
        rows = result if isinstance(result, list) else ()
        names = {row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)}
        staging = {g for g in names if is_staging_graph(g)}
        return names - staging, staging


def _staging_iri(load_id: str, graph: str) -> str:
    local = graph[len(GRAPH_NS) :] if graph.startswith(GRAPH_NS) else graph
    return f"{STAGING_NS}{load_id}/{quote(local, safe='')}"


_LOAD_ID_TIME = "%Y%m%dT%H%M%SZ"


def new_load_id(now: float | None = None) -> str:
    """A fresh load id: the UTC time and a random suffix (``20261202T151200Z-3fa9c2d1``)."""
    return time.strftime(_LOAD_ID_TIME, time.gmtime(now)) + "-" + secrets.token_hex(4)


def load_started(staging: str) -> float | None:
    """When the load that made a staging graph began (seconds since the epoch), read from its
    load id; None when the name is not one :func:`new_load_id` gives.

    >>> load_started("https://w3id.org/ictkg/staging/19700101T000100Z-3fa9c2d1/wp2013")
    60.0
    >>> load_started("https://w3id.org/ictkg/staging/mine/wp2013") is None
    True
    """
    load_id = staging[len(STAGING_NS) :].split("/", 1)[0]
    try:
        begun = datetime.strptime(load_id.split("-", 1)[0], _LOAD_ID_TIME)
    except ValueError:
        return None
    return begun.replace(tzinfo=UTC).timestamp()


def _counted(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _clear_leftovers(
    session: _Session, staging: set[str], stale_after: float, now: float, say: Progress
) -> None:
    """Drop the staging graphs that loads begun over ``stale_after`` seconds ago left behind
    (a load killed before it could drop its own); leave younger ones, which may belong to a
    load still running, and say so. Best effort: a failure here does not stop the load."""
    if not staging:
        return
    started = {g: load_started(g) for g in staging}
    stale = sorted(g for g, at in started.items() if at is not None and now - at > stale_after)
    kept = {g.rsplit("/", 1)[0] for g in staging if g not in stale}
    if kept:
        say(
            f"left {_counted(len(staging) - len(stale), 'staging graph')} of "
            f"{_counted(len(kept), 'other load')} alone "
            f"(begun under {stale_after:.0f} s ago, or not named by ictkg): a load may still be "
            "using them; a later load drops them, or DROP GRAPH them by hand"
        )
    if stale:
        loads = len({g.rsplit("/", 1)[0] for g in stale})
        _drop_staging(
            session,
            stale,
            say,
            f"they were left by {_counted(loads, 'earlier load')} that did not finish",
        )


def _upload(
    session: _Session, engine: Engine, staging: str, triples: list[ox.Triple], what: str
) -> tuple[int, str]:
    """Put ``triples`` into the staging graph, replacing it; return bytes sent and the method."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    store_url = session.endpoint.store_url
    if store_url is not None and not session.no_gsp:
        params = engine.store_query(staging, len(triples)).items()
        url = (
            store_url
            + "?"
            + "&".join(k if not v else f"{k}={quote(v, safe='')}" for k, v in params)
        )
        try:
            session.client.request(
                "PUT",
                url,
                body,
                {"Content-Type": "application/n-triples"},
                idempotent=True,  # PUT replaces the staging graph: sending it twice is harmless
                what=what,
            )
            return len(body), engine.method(len(triples))
        except StoreHttpError as exc:
            if exc.status not in _NO_GSP:
                raise
            session.no_gsp = True
            session.client.on_retry(
                f"{redact(store_url)} has no Graph Store Protocol (HTTP {exc.status}); "
                "using SPARQL Update INSERT DATA"
            )
    # No Graph Store Protocol: empty the staging graph, then insert it chunk by chunk (inserting
    # the same triples twice changes nothing, so each chunk may be retried).
    session.update(f"DROP SILENT GRAPH {_iri(staging)}", what, idempotent=True)
    lines = body.decode("utf-8").splitlines()
    sent = 0
    for start in range(0, len(lines), _INSERT_CHUNK):
        chunk = "\n".join(lines[start : start + _INSERT_CHUNK])
        text = f"INSERT DATA {{ GRAPH {_iri(staging)} {{\n{chunk}\n}} }}"
        session.update(text, what, idempotent=True)
        sent += len(text.encode("utf-8"))
    return sent, "INSERT DATA"


def _graph_label(graph: str) -> str:
    return "graph:" + graph[len(GRAPH_NS) :] if graph.startswith(GRAPH_NS) else f"<{graph}>"


def load_quads(
    quads: Iterable[ox.Quad],
    endpoint: Endpoint,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 0.5,
    max_delay: float = 30.0,
    progress: Progress | None = None,
    load_id: str | None = None,
    engine: Engine | None = None,
    sleep: Callable[[float], None] = time.sleep,
    stale_after: float = 3600.0,
    now: Callable[[], float] = time.time,
) -> EndpointLoad:
    """Replace the endpoint's ictkg graphs by the named graphs of ``quads``, all at once.

    Args:
        quads: the dataset (quads in the default graph are not loaded).
        endpoint: where to load (see :func:`derive_urls`).
        timeout: seconds each request may take.
        retries: tries again of each idempotent step (uploads into staging, COUNT queries,
            DROP) after a transient failure; the switch itself is never sent twice.
        backoff: the first retry's delay in seconds, doubled each time (``Retry-After`` wins
            when longer), capped at ``max_delay``.
        max_delay: the longest wait between tries.
        progress: called with a message per step and per graph.
        load_id: the staging folder's name (default: a fresh :func:`new_load_id`).
        engine: how to upload (default: told by the endpoint's ``Server`` header, see
            :func:`detect_engine`); ``Engine()`` forces the plain Graph Store Protocol.
        sleep: how to wait between tries.
        stale_after: staging graphs of loads begun more than this many seconds ago (killed
            before they could drop them) are dropped first; younger ones are left alone, since
            another load may be using them.
        now: the clock the load ids and ``stale_after`` are read by.

    Returns:
        What was loaded.

    Raises:
        StoreAuthError: HTTP 401 or 403 (exit 77).
        StoreTimeoutError: a step timed out on every try (exit 75).
        StoreError: any other failure (exit 69); the live graphs are then unchanged, unless the
            message says the switch's outcome is unknown.
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    client = HttpClient(
        endpoint.credentials,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        max_delay=max_delay,
        sleep=sleep,
    )
    client.on_retry = say
    session = _Session(endpoint, client)
    load_id = load_id or new_load_id(now())

    graphs: dict[str, set[ox.Triple]] = {}
    default = 0
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
        else:
            default += 1
    if default:
        say(f"{default} quads in the default graph are not loaded (only named graphs are)")
    if not graphs:
        raise UsageError("there is nothing to load: the dataset has no named graph")
    for name in graphs:
        _iri(name)

    where = redact(endpoint.query_url)
    session.select("ASK {}", f"reach {where}")
    engine = engine or detect_engine(session.server)
    say(f"{where}: {engine.name} engine ({session.server or 'no Server header'})")
    live, leftovers = session.ictkg_graphs()
    obsolete = sorted(live - set(graphs))
    _clear_leftovers(session, leftovers, stale_after, now(), say)

    staged: dict[str, str] = {}
    loads: list[GraphLoad] = []
    try:
        for name in sorted(graphs):
            triples = sorted(skolemise(name, list(graphs[name])), key=str)
            staging = _staging_iri(load_id, name)
            staged[name] = staging
            what = f"upload {_graph_label(name)}"
            begun = time.perf_counter()
            sent, method = _upload(session, engine, staging, triples, what)
            seconds = time.perf_counter() - begun
            say(
                f"staged {_graph_label(name)}: {len(triples)} triples, {sent} bytes "
                f"in {seconds:.2f} s ({method})"
            )
            loads.append(GraphLoad(name, staging, len(triples), sent, seconds, method))
        begun = time.perf_counter()
        found = session.counts(staged.values(), "count the staging graphs")
        say(
            f"counted the staging graphs: {sum(found.values())} triples "
            f"in {time.perf_counter() - begun:.2f} s"
        )
        wrong = [
            f"{_graph_label(g.graph)}: {found.get(g.staging, 0)} of {g.triples}"
            for g in loads
            if found.get(g.staging, 0) != g.triples
        ]
        if wrong:
            raise StoreError(
                f"{where} holds a different number of triples than was sent "
                f"({'; '.join(wrong)}); nothing was switched",
                hint="the endpoint may have rejected or merged some triples; check its log",
            )
    except BaseException:
        _drop_staging(session, staged.values(), say)
        raise

    operations = [f"MOVE {_iri(s)} TO {_iri(g)}" for g, s in sorted(staged.items())]
    operations += [f"DROP SILENT GRAPH {_iri(g)}" for g in obsolete]
    begun = time.perf_counter()
    try:
        session.update(" ;\n".join(operations), "switch to the new dataset", idempotent=False)
    except StoreError as exc:
        _after_failed_switch(session, staged, exc, say)
    say(
        f"switched {len(staged)} graphs"
        + (
            f" and dropped {len(obsolete)} ({', '.join(map(_graph_label, obsolete))})"
            if obsolete
            else ""
        )
        + f" in one update in {time.perf_counter() - begun:.2f} s; "
        f"load {load_id} took {time.perf_counter() - started:.2f} s"
    )
    return EndpointLoad(
        endpoint=where,
        engine=engine.name,
        load_id=load_id,
        graphs=tuple(loads),
        dropped=tuple(obsolete),
        seconds=time.perf_counter() - started,
    )


def _drop_staging(
    session: _Session,
    staging: Iterable[str],
    say: Progress,
    outcome: str = "the live graphs are unchanged",
) -> None:
    """Drop the staging graphs, best effort: a failure here only leaves unread graphs behind."""
    names = list(staging)
    if not names:
        return
    try:
        session.update(
            " ;\n".join(f"DROP SILENT GRAPH {_iri(s)}" for s in names),
            "drop the staging graphs",
            idempotent=True,
        )
        say(f"dropped {_counted(len(names), 'staging graph')}; {outcome}")
    except Exception as exc:
        leftover = names[0].rsplit("/", 1)[0] + "/"
        say(
            f"could not drop the staging graphs under {leftover} ({type(exc).__name__}); "
            "the live graphs are unchanged, and readers ignore staging graphs"
        )


def _after_failed_switch(
    session: _Session, staged: Mapping[str, str], error: StoreError, say: Progress
) -> None:
    """The switch failed: find out whether it was applied; raise unless it was."""
    status = getattr(error, "status", None)
    if status is not None:  # the server answered: it refused the update, nothing changed
        _drop_staging(session, staged.values(), say)
        raise error
    # No answer (timeout, reset): the server may have applied the update. It did if and only if
    # the staging graphs are gone, since one update is applied whole or not at all.
    try:
        left = session.counts(staged.values(), "check the switch")
    except StoreError:
        raise StoreError(
            f"{error.message}; whether the switch was applied is unknown",
            hint="check the graphs with `ictkg query --endpoint …`, then load again",
        ) from None
    if not left:
        say("the switch was applied although its answer was lost")
        return
    # Not applied when checked, but perhaps still being applied: Oxigraph goes on with an
    # update after its client gave up, and readers see the staging graphs until it commits.
    # Dropping them makes a switch the server has not begun fail (MOVE needs its source); one
    # it is applying may still commit. Either way the dataset is one or the other, whole.
    _drop_staging(
        session,
        staged.values(),
        say,
        "the live graphs were the old dataset when checked, unless the server is still "
        "applying the switch",
    )
    raise type(error)(
        f"{error.message}; the switch had not been applied when checked, but the server may "
        "still be applying it (the dataset is then the new one, whole)",
        hint="check the graphs with `ictkg query --endpoint …` in a while, and load again if "
        "they are old; a longer --timeout lets a large switch finish",
    )
