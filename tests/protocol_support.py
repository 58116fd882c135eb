"""The least a SPARQL client does, for tests that must see what curl or grlc would see."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping

import pyoxigraph as ox

from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters
from ictkg.stores.base import solutions_to_result

__all__ = [
    "GRAPH_COUNTS",
    "PlainProtocolClient",
    "counts_seen_during",
    "graph_counts",
    "one_more_triple_in",
]


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

    def query_graph(self, sparql: str) -> list[ox.Triple]:  # SELECT and ASK are all it needs
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


GRAPH_COUNTS = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER(STRSTARTS(STR(?g), "https://w3id.org/ictkg/graph/") '
    "|| ?g = <https://w3id.org/ictkg/.well-known/sparql-examples>) } GROUP BY ?g"
)
"""Triples per ictkg graph (staging graphs, which readers never see, left out)."""

Counts = tuple[tuple[str, int], ...]


def graph_counts(url: str) -> Counts:
    """Triples per ictkg graph on the server, sorted by graph."""
    rows = PlainProtocolClient(url).query(GRAPH_COUNTS).as_dicts()
    return tuple(sorted((row["g"].value, int(row["n"].value)) for row in rows))


def one_more_triple_in(quads: list[ox.Quad], graphs: Iterable[str]) -> list[ox.Quad]:
    """``quads`` plus one ``rdfs:comment`` in each of ``graphs``: a loader that switched graph
    by graph would show one graph changed without the other."""
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    return [
        *quads,
        *(
            ox.Quad(ox.NamedNode(g), comment, ox.Literal("reloaded"), ox.NamedNode(g))
            for g in graphs
        ),
    ]


def counts_seen_during(url: str, work: Callable[[], object]) -> tuple[set[Counts], int]:
    """Poll :func:`graph_counts` from another thread while ``work`` runs; return what was seen
    and how many reads were made."""
    seen: set[Counts] = set()
    reads = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal reads
        while not stop.is_set():
            seen.add(graph_counts(url))
            reads += 1

    reader = threading.Thread(target=read)
    reader.start()
    try:
        work()
    finally:
        stop.set()
        reader.join()
    return seen, reads
