"""Any SPARQL 1.1 endpoint, spoken to only through the W3C protocols.

Queries and updates go through the SPARQL 1.1 Protocol (SPARQLWrapper); whole graphs are
loaded with the Graph Store Protocol. So the endpoint may be Oxigraph, Fuseki, GraphDB, Virtuoso
or a cluster. Answers are parsed by pyoxigraph's SPARQL results parser into the same terms every
other backend returns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from ictkg.errors import StoreError, StoreTimeoutError
from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters, check_policy
from ictkg.stores.base import solutions_to_result
from ictkg.stores.http import check_endpoint_url, is_timeout, redact, strip_credentials
from ictkg.stores.loads import is_staging_graph

__all__ = ["SparqlEndpointStore", "redact"]


def _unreachable(exc: BaseException, who: str, timeout: float, failed: str) -> StoreError:
    """The error for a request to ``who`` that failed with ``exc``: a timeout, or ``failed``."""
    if is_timeout(exc):
        return StoreTimeoutError(f"{who} did not answer within {timeout:g} s")
    return StoreError(f"{who} {failed}: {exc}")


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
        timeout: float = 60.0,
    ) -> None:
        """Describe the endpoint.

        Args:
            query_url: the SPARQL query endpoint (e.g. ``http://localhost:7878/query``).
            update_url: the SPARQL update endpoint; needed by :meth:`clear`.
            store_url: the Graph Store Protocol endpoint; needed by :meth:`load`.
            timeout: seconds to wait for each HTTP request.
        """
        # Credentials in the URL are accepted, but kept apart from it (never in a message).
        query_url, self._credentials = strip_credentials(query_url)
        for other in (update_url, store_url):
            if other is not None:
                check_endpoint_url(other)
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self._graphs: tuple[str, ...] | None = None

    def _wrapper(self, url: str) -> Any:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(max(1, math.ceil(self.timeout)))  # SPARQLWrapper takes whole seconds
        if self._credentials is not None:
            wrapper.setCredentials(self._credentials.user, self._credentials.password.reveal())
        return wrapper

    def _request(self, method: str, url: str, body: bytes, content_type: str) -> None:
        import urllib.request

        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"{method} {redact(url)} failed: HTTP {exc.code} {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise _unreachable(exc, redact(url), self.timeout, "cannot be reached") from exc

    def _run(self, wrapper: Any) -> bytes:
        return self._answer(wrapper)[0]

    def _answer(self, wrapper: Any) -> tuple[bytes, str]:
        """Send the request; return the body and its media type."""
        endpoint = redact(str(wrapper.endpoint))
        try:
            response = wrapper.query().response
            media_type = response.headers.get_content_type() if response.headers else ""
            return bytes(response.read()), str(media_type)
        except Exception as exc:  # SPARQLWrapper raises many unrelated types
            raise _unreachable(
                exc, f"the endpoint {endpoint}", self.timeout, "cannot answer"
            ) from exc

    def _parse(self, data: bytes) -> QueryResult:
        try:
            parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            return solutions_to_result(parsed)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the endpoint {redact(self.query_url)} did not answer in SPARQL results JSON: "
                f"{exc}",
                hint="check that the URL is the endpoint's SPARQL query URL",
            ) from exc

    def graph_names(self) -> tuple[str, ...]:
        """The named graphs the endpoint holds (asked once, then remembered until a change)."""
        if self._graphs is None:
            wrapper = self._wrapper(self.query_url)
            wrapper.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            result = self._parse(self._run(wrapper))
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
            self._request("PUT", url, body or b"", "application/n-triples")
        self._graphs = None

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT or ASK query over the union of the endpoint's named graphs."""
        check_policy(sparql)
        text = bind_parameters(sparql, bindings) if bindings else sparql
        return self._parse(self._run(self._dataset_wrapper(text)))

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
        data, media_type = self._answer(wrapper)
        # (text/plain, which some servers still send for N-Triples, is read as N-Triples.)
        fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if fmt is None or fmt.supports_datasets:
            raise StoreError(
                f"the endpoint {redact(self.query_url)} answered a graph query with "
                f"{media_type or 'no media type'}, not an RDF graph format",
                hint="check that the URL is the endpoint's SPARQL query URL",
            )
        try:
            return [q.triple for q in ox.parse(data, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the endpoint {redact(self.query_url)} sent {media_type} that does not parse: "
                f"{exc}"
            ) from exc

    def clear(self) -> None:
        """Drop every graph (SPARQL Update ``DROP ALL``)."""
        if self.update_url is None:
            raise StoreError("clearing needs the endpoint's SPARQL update URL (update_url)")
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery("DROP ALL")
        self._run(wrapper)
        self._graphs = None
