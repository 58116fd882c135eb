"""Every stored query, on every backend, must give the answer recorded in tests/golden/<id>.csv.

Each golden holds two cases in a leading ``case`` column: ``example`` (the header's example
parameter values) and ``all`` (no parameters). Rows are compared as sorted multisets; IRIs are
written as CURIEs where a project prefix fits, literals in Turtle form so that language tags
and datatypes show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from golden_support import answer, cell, read_golden, write_golden
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.stores import Store, run_query

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent
QUERIES = load_queries(ROOT / "queries")
BACKENDS = ("memory", "oxigraph")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_query_matches_golden(
    query: StoredQuery, backend: str, stores: dict[str, Store], update_golden: bool
) -> None:
    path = GOLDEN / f"{query.id}.csv"
    header, rows = answer(query, stores[backend])
    if update_golden and backend == "memory":
        write_golden(path, header, rows)
        return
    assert path.is_file(), f"no golden for {query.id}: run pytest --update-golden"
    expected_header, expected_rows = read_golden(path)
    assert header == expected_header
    assert rows == expected_rows


WITH_LANG = [q for q in QUERIES if "lang" in q.parameters]


@pytest.mark.parametrize("query", WITH_LANG, ids=[q.id for q in WITH_LANG])
def test_backends_agree_in_japanese(query: StoredQuery, stores: dict[str, Store]) -> None:
    """With ?lang bound to ja (initBindings in memory, VALUES on Oxigraph) the answers agree."""
    answers = [
        sorted(
            tuple(cell(v) for v in row) for row in run_query(query, stores[b], {"lang": "ja"}).rows
        )
        for b in BACKENDS
    ]
    assert answers[0] == answers[1]
    labels = [c for row in answers[0] for c in row if c.endswith("@en")]
    assert not labels, f"English labels in a Japanese answer: {labels[:3]}"


def test_every_query_has_a_golden_file() -> None:
    missing = [q.id for q in QUERIES if not (GOLDEN / f"{q.id}.csv").is_file()]
    assert not missing


def test_every_golden_file_has_a_query() -> None:
    ids = {q.id for q in QUERIES}
    orphans = [p.name for p in GOLDEN.glob("*.csv") if p.stem not in ids]
    assert not orphans


def test_no_blank_nodes_in_answers(stores: dict[str, Store]) -> None:
    """Blank node labels differ between runs, so no stored query may return one."""
    for query in QUERIES:
        for row in run_query(query, stores["memory"]).rows:
            assert not any(c.startswith("_:") for c in map(cell, row)), query.id
