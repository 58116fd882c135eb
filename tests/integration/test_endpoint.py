"""Load the graph into a real Oxigraph server over the W3C protocols and run every stored query.

The server is started by the ``oxigraph_server`` fixture; ictkg talks to it only through the
Graph Store Protocol (load) and the SPARQL 1.1 Protocol (query, update), as it would to Fuseki,
GraphDB or Virtuoso. Answers must match the same golden files as the in-process backends.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from golden_support import GOLDEN, answer, read_golden
from ictkg.errors import StoreError
from ictkg.namespaces import REFERENCE_GRAPH_IRI
from ictkg.project import Project
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.stores import run_query
from ictkg.stores.endpoint import SparqlEndpointStore

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")


@pytest.fixture(scope="module")
def quads(real_project: Project) -> list[ox.Quad]:
    return real_project.quads()


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, quads: list[ox.Quad]) -> SparqlEndpointStore:  # type: ignore[no-untyped-def]
    store = SparqlEndpointStore(
        oxigraph_server.query_url, oxigraph_server.update_url, oxigraph_server.store_url
    )
    store.clear()
    store.load(quads)
    return store


def _count(store: SparqlEndpointStore) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    value = result.rows[0][0]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def test_load_puts_every_quad_in_its_named_graph(
    endpoint: SparqlEndpointStore, quads: list[ox.Quad]
) -> None:
    assert _count(endpoint) == len(quads)
    assert REFERENCE_GRAPH_IRI in endpoint.graph_names()


def test_loading_again_replaces_rather_than_duplicates(
    endpoint: SparqlEndpointStore, quads: list[ox.Quad]
) -> None:
    before = _count(endpoint)
    endpoint.load(quads)
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
    store = SparqlEndpointStore("http://user:secret@127.0.0.1:9/query", retries=0)
    with pytest.raises(StoreError, match="the connection failed") as info:
        store.query("ASK {}")
    assert "secret" not in str(info.value)


def test_cli_queries_the_server(oxigraph_server, endpoint: SparqlEndpointStore, capsys) -> None:  # type: ignore[no-untyped-def]
    from ictkg.cli import main

    code = main(
        [
            "query",
            "05",
            "-p",
            "year=2010",
            "--format",
            "csv",
            "--endpoint",
            oxigraph_server.query_url,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["meeting"].rsplit("/", 1)[1] for row in rows} == {
        "jp-us-ied-1",
        "jp-us-summit-2010-11",
    }


def test_loading_needs_the_graph_store_url(quads: list[ox.Quad]) -> None:
    with pytest.raises(StoreError, match="store_url"):
        SparqlEndpointStore("http://127.0.0.1:9/query").load(quads)


def test_bound_iri_parameter_works_remotely(endpoint: SparqlEndpointStore) -> None:
    query = next(q for q in QUERIES if q.id.startswith("01-"))
    topic = ox.NamedNode("https://w3id.org/ictkg/id/topic/cybersecurity")
    result = run_query(query, endpoint, {"topic": topic})
    events = set(result.column("event"))
    assert ox.NamedNode("https://w3id.org/ictkg/id/meeting/jp-us-ied-4") in events


def test_search_on_an_endpoint_finds_what_the_embedded_store_finds(
    endpoint: SparqlEndpointStore,
    oxigraph_server,
    real_project: Project,  # type: ignore[no-untyped-def]
) -> None:
    for text in ("意見交換", "cybersecurity"):
        remote = real_project.search(text, limit=0, endpoint=oxigraph_server.query_url)
        local = real_project.search(text, limit=0, backend="oxigraph")
        assert [(h.resource, h.best.how) for h in remote.hits] == [
            (h.resource, h.best.how) for h in local.hits
        ]
        assert remote.total == local.total > 0
