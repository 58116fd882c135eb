"""A pyoxigraph store, in memory or on disk; the embedded default is one on disk under build/.

The default graph of queries is the union of the named graphs. Parameters are bound with a
``VALUES`` block injected into the outer ``WHERE`` group; pyoxigraph's ``substitutions``
argument is not used because in pyoxigraph 0.5 ``BOUND(?x)`` stays false for a substituted
variable, which breaks the "unbound parameter means all" idiom of the stored queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from ictkg.errors import StoreError
from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters, check_policy, oxigraph_syntax_error
from ictkg.stores.base import solutions_to_result, triples_of

__all__ = ["OxigraphStore"]


class OxigraphStore:
    """A pyoxigraph store, in memory or on disk."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        """Open the store.

        Args:
            path: a folder for an on-disk store (created if needed); None for memory.
            read_only: open an existing on-disk store for reading only (several processes may
                then read it at once).

        Raises:
            StoreError: when the store cannot be opened (locked by another process, damaged).
        """
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the Oxigraph store at {path}: {exc}",
                hint="if it is damaged or from another version, run `ictkg build` to rewrite it",
            ) from exc
        self.path = Path(path) if path is not None else None
        """The store folder, or None when in memory."""

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add every quad, each into the graph it names."""
        try:
            self.store.extend(quads)
        except OSError as exc:
            raise StoreError(f"cannot write to the Oxigraph store at {self.path}: {exc}") from exc

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads at once, bypassing transactions (for a store nobody else reads yet)."""
        try:
            self.store.bulk_extend(quads)
            self.store.flush()
        except OSError as exc:
            raise StoreError(f"cannot write to the Oxigraph store at {self.path}: {exc}") from exc

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT or ASK query with Oxigraph over the union of the graphs."""
        check_policy(sparql)
        text = bind_parameters(sparql, bindings) if bindings else sparql
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
            return solutions_to_result(result)
        except SyntaxError as exc:
            raise oxigraph_syntax_error(exc, "query", "the query must be valid SPARQL 1.1") from exc
        except OSError as exc:
            raise StoreError(f"Oxigraph cannot run the query: {exc}") from exc

    def query_graph(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query with Oxigraph over the union of the graphs.

        Oxigraph's DESCRIBE gives each described resource's triples as subject, following
        blank-node objects (its Concise Bounded Description).
        """
        check_policy(sparql)
        try:
            return triples_of(self.store.query(sparql, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise oxigraph_syntax_error(exc, "query", "the query must be valid SPARQL 1.1") from exc
        except OSError as exc:
            raise StoreError(f"Oxigraph cannot run the query: {exc}") from exc

    def quads(self) -> list[ox.Quad]:
        """Every quad in the store."""
        return list(self.store)

    def clear(self) -> None:
        """Remove every quad."""
        self.store.clear()

    def __len__(self) -> int:
        """The number of quads."""
        return len(self.store)
