"""A pyoxigraph store, in memory or on disk; the embedded default is one on disk under build/.

The default graph of queries is the union of the named graphs. Parameters are bound with a
``VALUES`` block injected into the outer ``WHERE`` group; pyoxigraph's ``substitutions``
argument is not used because in pyoxigraph 0.5 ``BOUND(?x)`` stays false for a substituted
variable, which breaks the "unbound parameter means all" idiom of the stored queries.

Every query is bounded (:mod:`ictkg.stores.limits`): it runs in a worker thread with a total
deadline, and its answer is read up to a number of rows. A store that cannot be read (damaged
files: RocksDB says ``Corruption``) is a :class:`DamagedStoreError`, whether found on opening
or by a query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ictkg.errors import StoreError
from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters, check_policy, oxigraph_syntax_error
from ictkg.stores.base import first_line, solutions_to_result, triples_of
from ictkg.stores.limits import DEFAULT_LIMITS, Limits, run_bounded

__all__ = ["DamagedStoreError", "OxigraphStore"]

T = TypeVar("T")

_REBUILD = "run `ictkg build` to write it again (or delete the folder)"


class DamagedStoreError(StoreError):
    """An on-disk store whose files cannot be read: damaged, truncated, or not a store."""


class OxigraphStore:
    """A pyoxigraph store, in memory or on disk."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        """Open the store.

        Args:
            path: a folder for an on-disk store (created if needed); None for memory.
            read_only: open an existing on-disk store for reading only (several processes may
                then read it at once).
            limits: each query's deadline and largest answer.

        Raises:
            DamagedStoreError: when the store's files cannot be read.
            StoreError: when the store cannot be opened (locked by another process).
        """
        self.limits = limits
        """Each query's deadline and largest answer."""
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
        except RuntimeError as exc:  # RocksDB's "Corruption: …"
            raise _damaged(path, exc) from None
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

    def _bounded(self, work: Callable[[threading.Event], T]) -> T:
        try:
            return run_bounded(work, self.limits.timeout)
        except SyntaxError as exc:
            raise oxigraph_syntax_error(exc, "query", "the query must be valid SPARQL 1.1") from exc
        except RuntimeError as exc:  # RocksDB's "Corruption: …", met while reading
            raise _damaged(self.path, exc) from None
        except OSError as exc:
            raise StoreError(f"Oxigraph cannot run the query: {exc}") from exc

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT or ASK query with Oxigraph over the union of the graphs.

        Raises:
            StoreTimeoutError: past the deadline (:attr:`limits`).
            AnswerLimitError: for an answer of more rows than the limit.
        """
        check_policy(sparql)
        text = bind_parameters(sparql, bindings) if bindings else sparql
        rows = self.limits.max_rows

        def work(cancelled: threading.Event) -> QueryResult:
            result = self.store.query(text, use_default_graph_as_union=True)
            return solutions_to_result(result, rows, cancelled)

        return self._bounded(work)

    def query_graph(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query with Oxigraph over the union of the graphs.

        Oxigraph's DESCRIBE gives each described resource's triples as subject, following
        blank-node objects (its Concise Bounded Description).
        """
        check_policy(sparql)
        rows = self.limits.max_rows

        def work(cancelled: threading.Event) -> list[ox.Triple]:
            return triples_of(
                self.store.query(sparql, use_default_graph_as_union=True), rows, cancelled
            )

        return self._bounded(work)

    def quads(self) -> list[ox.Quad]:
        """Every quad in the store."""
        try:
            return list(self.store)
        except RuntimeError as exc:
            raise _damaged(self.path, exc) from None

    def clear(self) -> None:
        """Remove every quad."""
        self.store.clear()

    def __len__(self) -> int:
        """The number of quads."""
        return len(self.store)


def _damaged(path: object, exc: BaseException) -> DamagedStoreError:
    """The error for RocksDB's ``Corruption`` (a RuntimeError) met at ``path``."""
    return DamagedStoreError(
        f"the Oxigraph store at {path} is damaged: {first_line(exc)}", hint=_REBUILD
    )
