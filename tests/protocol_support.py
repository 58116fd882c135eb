"""The least a SPARQL client does, for tests that must see what curl or grlc would see."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Mapping

import pyoxigraph as ox

from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters
from ictkg.stores.base import solutions_to_result

__all__ = ["PlainProtocolClient"]


class PlainProtocolClient:
    """The least a SPARQL client does: POST the query text, read SPARQL results JSON.

    No ``default-graph-uri``, no ``named-graph-uri``, no server-specific parameter.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    def load(self, quads: object) -> None:  # the servers are loaded by their own tools
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        text = bind_parameters(sparql, bindings) if bindings else sparql
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": text}).encode(),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        return solutions_to_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
