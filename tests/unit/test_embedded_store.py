"""The embedded default store: written whole or not at all, and recognised as stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from ictkg.store import FINGERPRINT_FILE, open_embedded_store, write_embedded_store

G = URIRef("https://w3id.org/ictkg/graph/test")


def dataset(value: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.graph(G).add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal(value)))
    return ds


def values(folder: Path) -> list[str]:
    store = open_embedded_store(folder)
    assert store is not None
    result = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    return [str(row[0]) for row in result.rows]


def test_write_then_open(tmp_path: Path) -> None:
    folder = tmp_path / "oxigraph"
    write_embedded_store(dataset("one"), folder, "abc")
    assert values(folder) == ["one"]
    assert (folder / FINGERPRINT_FILE).read_text().strip() == "abc"


def test_a_stale_or_missing_store_is_not_opened(tmp_path: Path) -> None:
    folder = tmp_path / "oxigraph"
    assert open_embedded_store(folder) is None
    write_embedded_store(dataset("one"), folder, "abc")
    assert open_embedded_store(folder, "other") is None
    assert open_embedded_store(folder, "abc") is not None


def test_rewriting_replaces_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "oxigraph"
    write_embedded_store(dataset("one"), folder, "a")
    write_embedded_store(dataset("two"), folder, "b")
    assert values(folder) == ["two"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oxigraph"]


def test_a_failure_halfway_keeps_the_previous_store(tmp_path: Path) -> None:
    folder = tmp_path / "oxigraph"
    write_embedded_store(dataset("one"), folder, "a")

    class Broken(Dataset):
        def quads(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_embedded_store(Broken(default_union=True), folder, "b")
    assert values(folder) == ["one"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oxigraph"]
