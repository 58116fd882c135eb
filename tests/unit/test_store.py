"""Store backends: loading, querying with bound terms, clearing, and equal answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from ictkg.queries import QueryResult
from ictkg.store import (
    MemoryStore,
    OxigraphStore,
    Store,
    StoreError,
    from_oxigraph,
    open_store,
    to_oxigraph,
)

EX = "http://example.org/"
G1 = URIRef(EX + "g1")
G2 = URIRef(EX + "g2")


@pytest.fixture
def small() -> Dataset:
    dataset = Dataset(default_union=True)
    one = dataset.graph(G1)
    one.add((URIRef(EX + "a"), RDFS.label, Literal("A", lang="en")))
    one.add((URIRef(EX + "a"), RDFS.label, Literal("エー", lang="ja")))
    one.add((URIRef(EX + "a"), URIRef(EX + "n"), Literal(3)))
    two = dataset.graph(G2)
    two.add((URIRef(EX + "b"), RDFS.label, Literal("B")))
    two.add((URIRef(EX + "b"), URIRef(EX + "d"), Literal("2012-10", datatype=XSD.gYearMonth)))
    return dataset


QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(!BOUND(?lang) || LANG(?label) = ?lang) }
"""


IN_PROCESS = ("memory", "oxigraph")
"""The backends that need no server; the endpoint backend is tested in tests/integration."""


def rows(result: QueryResult) -> list[tuple[object, ...]]:
    return sorted(result.rows, key=str)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_backends_load_query_and_clear(name: str, small: Dataset) -> None:
    store = open_store(name)
    assert isinstance(store, Store)
    store.load(small)
    assert len(store) == 5  # type: ignore[arg-type]
    everything = store.query(QUERY)
    assert everything.variables == ("s", "label")
    assert len(everything.rows) == 3, "the default graph is the union of the named graphs"
    japanese = store.query(QUERY, {"lang": Literal("ja")})
    assert japanese.rows == ((URIRef(EX + "a"), Literal("エー", lang="ja")),)
    store.clear()
    assert store.query(QUERY).rows == ()


def test_backends_return_equal_terms(small: Dataset) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    answers = []
    for name in IN_PROCESS:
        store = open_store(name)
        store.load(small)
        answers.append(rows(store.query(query)))
    assert answers[0] == answers[1]
    assert Literal("B") in [row[2] for row in answers[1]], "plain strings stay plain"


def test_ask_queries(small: Dataset) -> None:
    for name in IN_PROCESS:
        store = open_store(name)
        store.load(small)
        assert store.query("ASK { ?s ?p ?o }").boolean is True


def test_construct_is_refused(small: Dataset) -> None:
    store = OxigraphStore()
    store.load(small)
    with pytest.raises(Exception, match="SELECT and ASK"):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_memory_store_wraps_a_dataset_without_copying(small: Dataset) -> None:
    store = MemoryStore(small)
    assert store.dataset is small
    with pytest.raises(StoreError):
        MemoryStore(Dataset())


def test_oxigraph_on_disk(tmp_path: Path, small: Dataset) -> None:
    store = open_store("oxigraph", path=tmp_path / "store")
    store.load(small)
    assert len(store) == 5  # type: ignore[arg-type]
    del store
    reopened = OxigraphStore(tmp_path / "store")
    assert len(reopened) == 5


def test_unknown_backend() -> None:
    with pytest.raises(StoreError, match="memory"):
        open_store("virtuoso")


def test_syntax_errors_become_store_errors() -> None:
    for name in IN_PROCESS:
        with pytest.raises(StoreError):
            open_store(name).query("SELECT WHERE {")


@pytest.mark.parametrize(
    "term",
    [
        URIRef(EX + "x"),
        Literal("plain"),
        Literal("tagged", lang="ja"),
        Literal("2012", datatype=XSD.gYear),
        Literal(42),
        Literal(True),
        BNode("b1"),
    ],
)
def test_term_conversion_round_trips(term: object) -> None:
    assert from_oxigraph(to_oxigraph(term)) == term  # type: ignore[arg-type]


def test_xsd_string_becomes_plain() -> None:
    assert from_oxigraph(ox.Literal("x", datatype=ox.NamedNode(str(XSD.string)))) == Literal("x")
    assert from_oxigraph(None) is None
