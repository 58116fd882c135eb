"""Golden answers of the stored queries: how a run is written down and read back.

Shared by tests/golden (in-process backends) and tests/integration (real SPARQL servers), so
every backend is held to the same files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rdflib import Graph

from ictkg.model.terms import from_oxigraph
from ictkg.queries.files import StoredQuery
from ictkg.queries.parameters import example_bindings
from ictkg.stores import Store, run_query
from ictkg.vocab import bind_namespaces

GOLDEN = Path(__file__).resolve().parent / "golden"
NM = bind_namespaces(Graph()).namespace_manager
FIXTURE_ONLY_EXAMPLES = frozenset({"31-series-names"})
"""Queries whose header example names a resource of the fixture edition only
(tests/fixtures/edition-wp2099): ``run_query`` binds it (no rows on the real data), while
``Project.query`` and ``ictkg query``, which look values up, refuse it (exit 2)."""


def cell(term: Any) -> str:
    """One golden cell: '' for unbound, a CURIE or <IRI>, or a Turtle literal (rdflib's n3)."""
    node = from_oxigraph(term)
    return "" if node is None else node.n3(NM)


def answer(query: StoredQuery, store: Store) -> tuple[list[str], list[list[str]]]:
    """Run both cases and return the golden header and rows (sorted)."""
    header: list[str] = []
    rows: list[list[str]] = []
    for case, bindings in (("example", example_bindings(query)), ("all", {})):
        result = run_query(query, store, bindings)
        header = ["case", *result.variables]
        rows += [[case, *(cell(v) for v in row)] for row in result.rows]
    return header, sorted(rows)


def read_golden(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return table[0], sorted(table[1:])


def write_golden(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
