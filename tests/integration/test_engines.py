"""Every stored query, sent as a plain SPARQL Protocol request, to servers loaded by their own
bulk loaders: what a user with curl, grlc or any SPARQL client gets.

Two engines: Oxigraph (``oxigraph load`` + ``serve-read-only --union-default-graph``) and
Virtuoso 7 from Debian (``ld_dir`` + ``rdf_loader_run``), loaded as docs/engines.md says. The
request names no graph (no ``default-graph-uri``): the server's default graph must answer.
Parameters are bound the way ictkg binds them (constants written in, see
``ictkg.queries.sparql.bind_parameters``); the answers must equal the golden files.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from golden_support import GOLDEN, answer, read_golden
from ictkg.queries.files import StoredQuery, load_queries
from protocol_support import PlainProtocolClient
from virtuoso_support import VirtuosoServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")


@pytest.fixture(scope="module")
def virtuoso_bulk(virtuoso_server: VirtuosoServer, nquads_dump: Path) -> PlainProtocolClient:
    virtuoso_server.bulk_load(nquads_dump)
    return PlainProtocolClient(virtuoso_server.query_url)


@pytest.fixture(scope="module")
def oxigraph_bulk(oxigraph_bulk_server) -> PlainProtocolClient:  # type: ignore[no-untyped-def]
    return PlainProtocolClient(oxigraph_bulk_server.query_url)


def _check(query: StoredQuery, client: PlainProtocolClient) -> None:
    header, rows = answer(query, client)  # type: ignore[arg-type]
    expected_header, expected_rows = read_golden(GOLDEN / f"{query.id}.csv")
    assert header == expected_header
    assert rows == expected_rows


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_stored_query_on_virtuoso_after_its_bulk_loader(
    query: StoredQuery, virtuoso_bulk: PlainProtocolClient
) -> None:
    _check(query, virtuoso_bulk)


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_stored_query_on_oxigraph_after_its_bulk_loader(
    query: StoredQuery, oxigraph_bulk: PlainProtocolClient
) -> None:
    _check(query, oxigraph_bulk)


def test_virtuoso_holds_every_quad_in_its_graph(
    virtuoso_bulk: PlainProtocolClient, nquads_dump: Path
) -> None:
    """The bulk loader put each quad into the graph the dump names, none into another."""
    expected: dict[str, int] = {}
    for quad in ox.parse(path=str(nquads_dump), format=ox.RdfFormat.N_QUADS):
        expected[quad.graph_name.value] = expected.get(quad.graph_name.value, 0) + 1
    result = virtuoso_bulk.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER(STRSTARTS(STR(?g), "https://w3id.org/ictkg/")) } GROUP BY ?g'
    )
    found = {g.value: int(n.value) for g, n in result.rows}  # type: ignore[union-attr]
    assert found == expected


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_stored_query_on_virtuoso_through_ictkg_query_endpoint(
    query: StoredQuery, virtuoso_bulk: PlainProtocolClient
) -> None:
    """What `ictkg query --endpoint` sends: every graph named in the request, values bound."""
    from ictkg.stores.endpoint import SparqlEndpointStore

    header, rows = answer(query, SparqlEndpointStore(virtuoso_bulk.url))
    expected_header, expected_rows = read_golden(GOLDEN / f"{query.id}.csv")
    assert (header, rows) == (expected_header, expected_rows)
