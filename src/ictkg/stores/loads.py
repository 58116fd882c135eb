"""What a load into a remote endpoint is aimed at and what it did, as plain data; the loading
itself is :mod:`ictkg.stores.loader` (kept apart so that callers above the stores can name these
types without importing the HTTP code)."""

from __future__ import annotations

from dataclasses import dataclass

from ictkg.namespaces import BASE
from ictkg.stores.credentials import Credentials

__all__ = ["GENID_NS", "STAGING_NS", "Endpoint", "EndpointLoad", "GraphLoad", "is_staging_graph"]

STAGING_NS = BASE + "staging/"
"""Staging graphs live below this IRI, one folder per load (never a live graph)."""
GENID_NS = BASE + ".well-known/genid/"
"""Skolem IRIs of blank nodes (RDF 1.1 §3.5 ``.well-known/genid``)."""


def is_staging_graph(iri: str) -> bool:
    """Whether a graph is a loader's staging graph (readers must leave them out).

    >>> is_staging_graph("https://w3id.org/ictkg/staging/20260101T000000Z-ab12/wp2013")
    True
    """
    return iri.startswith(STAGING_NS)


@dataclass(frozen=True)
class Endpoint:
    """Where to send queries, updates and graphs, and as whom."""

    query_url: str
    """The SPARQL query URL, without credentials."""
    update_url: str
    """The SPARQL Update URL."""
    store_url: str | None
    """The Graph Store Protocol URL, or None when the endpoint has none (INSERT DATA then)."""
    credentials: Credentials | None = None
    """User and password (masked in ``repr``), or None."""


@dataclass(frozen=True)
class GraphLoad:
    """One graph of a load."""

    graph: str
    """The live graph's IRI."""
    staging: str
    """The staging graph it went through."""
    triples: int
    """Triples loaded (checked by a COUNT query before the switch)."""
    bytes: int
    """N-Triples bytes sent."""
    seconds: float
    """Upload time."""
    method: str
    """How it was uploaded (``bulk PUT ?no_transaction``, ``Graph Store PUT``, ``INSERT DATA``)."""


@dataclass(frozen=True)
class EndpointLoad:
    """What :func:`load_quads` did."""

    endpoint: str
    """The query URL (credentials never appear)."""
    engine: str
    """The engine detected (``oxigraph``, ``virtuoso`` or ``generic``)."""
    load_id: str
    """This load's id (the staging folder's name)."""
    graphs: tuple[GraphLoad, ...]
    """Every graph loaded, by IRI."""
    dropped: tuple[str, ...]
    """ictkg graphs the endpoint held that the new dataset has not, dropped by the switch."""
    seconds: float
    """The whole load, switch included."""

    @property
    def triples(self) -> int:
        """Triples loaded over all graphs."""
        return sum(g.triples for g in self.graphs)
