"""The embedded default store: written whole or not at all, and recognised as stale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.stores.embedded import FINGERPRINT_FILE, open_embedded_store, write_embedded_store

G = ox.NamedNode("https://w3id.org/ictkg/graph/test")


def dataset(value: str) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal(value), G)]


def values(folder: Path) -> list[str]:
    store = open_embedded_store(folder)
    assert store is not None
    result = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    return [row[0].value for row in result.rows if isinstance(row[0], ox.Literal)]


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

    def broken() -> Iterator[ox.Quad]:
        yield from dataset("two")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_embedded_store(broken(), folder, "b")
    assert values(folder) == ["one"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oxigraph"]
