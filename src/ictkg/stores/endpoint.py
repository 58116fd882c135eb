"""Any SPARQL 1.1 endpoint, spoken to only through the W3C protocols.

Queries and updates go through the SPARQL 1.1 Protocol: SPARQLWrapper writes each request
(method, form, ``default-graph-uri``, ``Accept``), and :class:`~ictkg.stores.http.HttpClient`
sends it, with a total deadline, a cap on the answer's size, redirects kept to the endpoint's
origin, credentials answered only when asked, and retries of transient failures (a query is
safe to send again). Whole graphs are loaded with the Graph Store Protocol. So the endpoint may
be Oxigraph, Fuseki, GraphDB, Virtuoso or a cluster. Answers are parsed by pyoxigraph's SPARQL
results parser into the same terms every other backend returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from ictkg.errors import StoreError
from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters, check_policy
from ictkg.stores.base import first_line, solutions_to_result
from ictkg.stores.http import HttpClient, Response, check_endpoint_url, find_credentials, redact
from ictkg.stores.limits import DEFAULT_LIMITS, Limits, capped
from ictkg.stores.loads import is_staging_graph

__all__ = ["SparqlEndpointStore", "redact"]


_GRAPH_ACCEPT = (
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.1"
)
"""What a graph query asks an endpoint for: formats pyoxigraph parses, simplest first."""


class SparqlEndpointStore:
    """Any SPARQL 1.1 endpoint.

    The union of the named graphs is made the default graph of each query by naming every
    graph as a ``default-graph-uri`` (and as a ``named-graph-uri``, so ``GRAPH`` patterns still
    see them), which is part of the Protocol: no server setting is needed. Parameters are bound
    with a ``VALUES`` block built from each validated term, never by pasting user text.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        timeout: float | None = None,
        limits: Limits = DEFAULT_LIMITS,
        retries: int = 3,
    ) -> None:
        """Describe the endpoint.

        Args:
            query_url: the SPARQL query endpoint (e.g. ``http://localhost:7878/query``).
            update_url: the SPARQL update endpoint; needed by :meth:`clear`.
            store_url: the Graph Store Protocol endpoint; needed by :meth:`load`.
            timeout: seconds each HTTP request may take in all (default: ``limits.timeout``).
            limits: each request's deadline, the largest answer (MiB as sent, and rows).
            retries: tries again of a request after a transient failure (reset, timeout, 429,
                5xx), honouring ``Retry-After``.

        Raises:
            UsageError: for a URL that is not http(s).
        """
        # Credentials in the URL are accepted, but kept apart from it (never in a message); else
        # $ICTKG_ENDPOINT_USER / $ICTKG_ENDPOINT_PASSWORD or netrc, as for `ictkg load`. They are
        # sent only when the server asks (a 401 challenge), by HTTP Basic or Digest.
        query_url, self._credentials = find_credentials(query_url)
        for other in (update_url, store_url):
            if other is not None:
                check_endpoint_url(other)
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        if timeout is not None:
            limits = dataclasses.replace(limits, timeout=timeout)
        self.limits = limits
        """Each request's deadline and the largest answer."""
        self.timeout = limits.timeout
        """Seconds each HTTP request may take in all."""
        self._client = HttpClient(
            self._credentials,
            timeout=limits.timeout,
            max_bytes=limits.max_answer_bytes,
            retries=retries,
        )
        self._graphs: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"SparqlEndpointStore({redact(self.query_url)!r}, client={self._client!r})"

    def _wrapper(self, url: str) -> Any:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        return wrapper

    def _answer(self, wrapper: Any, what: str | None = None) -> Response:
        """Send the request SPARQLWrapper wrote (its Protocol form; credentials are added by
        the client, only when the server asks) and return the 2xx answer."""
        request = wrapper._createRequest()  # SPARQLWrapper's request, sent by our client
        return self._client.request(
            request.get_method(),
            request.full_url,
            request.data,
            {k: v for k, v in request.header_items() if k.lower() != "authorization"},
            idempotent=True,  # a query may be sent again; so may DROP ALL
            what=what or f"the endpoint {redact(str(wrapper.endpoint))}",
        )

    def _parse(self, answer: Response) -> QueryResult:
        try:
            parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
            return solutions_to_result(parsed, self.limits.max_rows)
        except (SyntaxError, ValueError) as exc:
            shown = answer.content_type or "no media type"
            raise StoreError(
                f"the endpoint {redact(self.query_url)} did not answer in SPARQL results JSON "
                f"(it sent {shown}): {first_line(exc)}",
                hint="check that the URL is the endpoint's SPARQL query URL",
            ) from None

    def graph_names(self) -> tuple[str, ...]:
        """The named graphs the endpoint holds (asked once, then remembered until a change)."""
        if self._graphs is None:
            wrapper = self._wrapper(self.query_url)
            wrapper.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            result = self._parse(self._answer(wrapper))
            if "g" not in result.variables:
                raise StoreError(
                    f"the endpoint {redact(self.query_url)} answered the list of its graphs with "
                    f"{'a boolean' if result.boolean is not None else 'other columns'}, not the "
                    "table asked for",
                    hint="check that the URL is the endpoint's SPARQL query URL",
                )
            self._graphs = tuple(
                sorted(
                    t.value
                    for t in result.column("g")
                    # A load in progress keeps its graphs in staging graphs: never read them.
                    if isinstance(t, ox.NamedNode) and not is_staging_graph(t.value)
                )
            )
        return self._graphs

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Replace each named graph of the quads on the endpoint (Graph Store Protocol PUT).

        Each graph is replaced atomically by the server, one graph per request. Quads in the
        default graph are not sent.
        """
        if self.store_url is None:
            raise StoreError("loading needs the endpoint's Graph Store Protocol URL (store_url)")
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in quads:
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        for name in sorted(graphs):
            body = ox.serialize(graphs[name], format=ox.RdfFormat.N_TRIPLES)
            url = f"{self.store_url}?graph={quote(name, safe='')}"
            self._client.request(
                "PUT",
                url,
                body or b"",
                {"Content-Type": "application/n-triples"},
                idempotent=True,  # PUT replaces the graph: sending it twice does no harm
                what=f"upload <{name}>",
            )
        self._graphs = None

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT or ASK query over the union of the endpoint's named graphs."""
        check_policy(sparql)
        text = bind_parameters(sparql, bindings) if bindings else sparql
        return self._parse(self._answer(self._dataset_wrapper(text)))

    def _dataset_wrapper(self, sparql: str) -> Any:
        wrapper = self._wrapper(self.query_url)
        for graph in self.graph_names():
            # Naming any graph makes the request's dataset exactly the graphs named, so each
            # graph is named twice: merged into the default graph and kept as a named graph.
            wrapper.addDefaultGraph(graph)
            wrapper.addNamedGraph(graph)
        wrapper.setQuery(sparql)
        return wrapper

    def query_graph(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query over the union of the endpoint's named graphs.

        The answer is asked for as N-Triples (or Turtle, or RDF/XML) and parsed by pyoxigraph
        by the media type the server gives. What DESCRIBE returns is the server's choice.
        """
        check_policy(sparql)
        from SPARQLWrapper import TURTLE

        wrapper = self._dataset_wrapper(sparql)
        wrapper.setReturnFormat(TURTLE)  # (a graph format, so SPARQLWrapper does not warn)
        wrapper.addCustomHttpHeader("Accept", _GRAPH_ACCEPT)  # what is really asked for
        answer = self._answer(wrapper)
        data, media_type = answer.body, answer.content_type
        # (text/plain, which some servers still send for N-Triples, is read as N-Triples.)
        fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if fmt is None or fmt.supports_datasets:
            raise StoreError(
                f"the endpoint {redact(self.query_url)} answered a graph query with "
                f"{media_type or 'no media type'}, not an RDF graph format",
                hint="check that the URL is the endpoint's SPARQL query URL",
            )
        try:
            quads = ox.parse(data, format=fmt)
            return [q.triple for q in capped(quads, self.limits.max_rows, None, "triples")]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the endpoint {redact(self.query_url)} sent {media_type} that does not parse: "
                f"{first_line(exc)}"
            ) from None

    def clear(self) -> None:
        """Drop every graph (SPARQL Update ``DROP ALL``)."""
        if self.update_url is None:
            raise StoreError("clearing needs the endpoint's SPARQL update URL (update_url)")
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery("DROP ALL")
        self._answer(wrapper, "DROP ALL")
        self._graphs = None
