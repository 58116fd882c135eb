"""Store backends: loading, querying with bound terms, clearing, and equal answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from ictkg.errors import InputError, UsageError
from ictkg.model.terms import dataset_quads, from_oxigraph, to_oxigraph
from ictkg.queries.results import QueryResult
from ictkg.stores import Store, StoreError, open_store
from ictkg.stores.memory import MemoryStore
from ictkg.stores.oxigraph import OxigraphStore

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


def quads(dataset: Dataset) -> list[ox.Quad]:
    return list(dataset_quads(dataset))


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
    store.load(quads(small))
    assert len(store) == 5  # type: ignore[arg-type]
    everything = store.query(QUERY)
    assert everything.variables == ("s", "label")
    assert len(everything.rows) == 3, "the default graph is the union of the named graphs"
    japanese = store.query(QUERY, {"lang": ox.Literal("ja")})
    assert japanese.rows == ((ox.NamedNode(EX + "a"), ox.Literal("エー", language="ja")),)
    store.clear()
    assert store.query(QUERY).rows == ()


def test_backends_return_equal_terms(small: Dataset) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    answers = []
    for name in IN_PROCESS:
        store = open_store(name)
        store.load(quads(small))
        answers.append(rows(store.query(query)))
    assert answers[0] == answers[1]
    assert ox.Literal("B") in [row[2] for row in answers[1]], "plain strings stay plain"
    three = ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))
    assert three in [row[2] for row in answers[0]]


def test_ask_queries(small: Dataset) -> None:
    for name in IN_PROCESS:
        store = open_store(name)
        store.load(quads(small))
        assert store.query("ASK { ?s ?p ?o }").boolean is True


@pytest.mark.parametrize("name", IN_PROCESS)
def test_construct_is_refused(name: str, small: Dataset) -> None:
    store = open_store(name)
    store.load(quads(small))
    with pytest.raises(UsageError, match="SELECT and ASK"):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_memory_store_wraps_a_dataset_without_copying(small: Dataset) -> None:
    store = MemoryStore(small)
    assert store.dataset is small
    with pytest.raises(StoreError):
        MemoryStore(Dataset())


def test_oxigraph_on_disk(tmp_path: Path, small: Dataset) -> None:
    store = open_store("oxigraph", path=tmp_path / "store")
    store.load(quads(small))
    assert len(store) == 5  # type: ignore[arg-type]
    del store
    reopened = OxigraphStore(tmp_path / "store")
    assert len(reopened) == 5


def test_unknown_backend() -> None:
    with pytest.raises(UsageError, match="memory"):
        open_store("virtuoso")


@pytest.mark.parametrize("name", IN_PROCESS)
def test_syntax_errors_name_line_and_column(name: str) -> None:
    with pytest.raises(InputError) as info:
        open_store(name).query("SELECT ?x WHERE {\n  ?x ?y\n}\n")
    assert info.value.line is not None
    assert "syntax error" in info.value.message


def test_a_locked_store_is_a_store_error(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "store")
    with pytest.raises(StoreError, match="cannot open"):
        OxigraphStore(tmp_path / "store")
    del first


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
