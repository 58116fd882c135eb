"""Load the graph into a real Oxigraph server over the W3C protocols and run every stored query.

The server is started by the ``oxigraph_server`` fixture; ictkg talks to it only through the
Graph Store Protocol (load) and the SPARQL 1.1 Protocol (query, update), as it would to Fuseki,
GraphDB or Virtuoso. Answers must match the same golden files as the in-process backends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from golden_support import GOLDEN, answer, read_golden
from ictkg.build import build_dataset
from ictkg.namespaces import REFERENCE_GRAPH
from ictkg.paths import ProjectPaths
from ictkg.queries import StoredQuery, load_queries, run_query
from ictkg.store import SparqlEndpointStore, StoreError

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(ProjectPaths(ROOT))


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, dataset: Dataset) -> SparqlEndpointStore:  # type: ignore[no-untyped-def]
    store = SparqlEndpointStore(
        oxigraph_server.query_url, oxigraph_server.update_url, oxigraph_server.store_url
    )
    store.clear()
    store.load(dataset)
    return store


def _count(store: SparqlEndpointStore) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    value = result.rows[0][0]
    assert isinstance(value, Literal)
    return int(value)


def test_load_puts_every_quad_in_its_named_graph(
    endpoint: SparqlEndpointStore, dataset: Dataset
) -> None:
    assert _count(endpoint) == sum(1 for _ in dataset.quads((None, None, None, None)))
    assert str(REFERENCE_GRAPH) in endpoint.graph_names()


def test_loading_again_replaces_rather_than_duplicates(
    endpoint: SparqlEndpointStore, dataset: Dataset
) -> None:
    before = _count(endpoint)
    endpoint.load(dataset)
    assert _count(endpoint) == before


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_stored_query_matches_golden_on_the_server(
    query: StoredQuery, endpoint: SparqlEndpointStore
) -> None:
    header, rows = answer(query, endpoint)
    expected_header, expected_rows = read_golden(GOLDEN / f"{query.id}.csv")
    assert header == expected_header
    assert rows == expected_rows


@pytest.mark.parametrize(
    "hostile",
    ['x" } DROP ALL ; INSERT DATA { <a:b> <a:b> <a:b> } #', "x\n} DROP ALL", 'x"@en', "{}#"],
)
def test_hostile_values_are_matched_literally_and_change_nothing(
    endpoint: SparqlEndpointStore, hostile: str
) -> None:
    query = next(q for q in QUERIES if q.id.startswith("24-"))
    before = _count(endpoint)
    result = run_query(query, endpoint, {"text": hostile})
    assert result.rows == ()
    assert _count(endpoint) == before


def test_unreachable_endpoint_is_a_clear_error() -> None:
    store = SparqlEndpointStore("http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match="cannot answer"):
        store.query("ASK {}")


def test_loading_needs_the_graph_store_url(dataset: Dataset) -> None:
    with pytest.raises(StoreError, match="store_url"):
        SparqlEndpointStore("http://127.0.0.1:9/query").load(dataset)


def test_bound_iri_parameter_works_remotely(endpoint: SparqlEndpointStore) -> None:
    query = next(q for q in QUERIES if q.id.startswith("01-"))
    topic = URIRef("https://w3id.org/ictkg/id/topic/cybersecurity")
    result = run_query(query, endpoint, {"topic": topic})
    column = result.variables.index("event")
    events = {row[column] for row in result.rows}
    assert URIRef("https://w3id.org/ictkg/id/meeting/jp-us-ied-4") in events
