"""An in-memory rdflib Dataset as a store: the reference engine the others are compared with.

Parameters are bound as on every backend, by writing each validated term in place of its
variable (:func:`ictkg.queries.sparql.bind_parameters`), so all engines run the same text; answers
are converted to pyoxigraph terms like every other backend's. Queries are bounded as on every
backend (:mod:`ictkg.stores.limits`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ictkg.errors import IctkgError, InputError, StoreError, UsageError
from ictkg.model.terms import add_quads, to_oxigraph
from ictkg.queries.parameters import Binding
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import bind_parameters, check_policy
from ictkg.stores.limits import DEFAULT_LIMITS, Limits, capped, run_bounded

__all__ = ["MemoryStore"]


class MemoryStore:
    """An in-memory rdflib Dataset whose default graph is the union of its named graphs."""

    def __init__(self, dataset: Dataset | None = None, *, limits: Limits = DEFAULT_LIMITS) -> None:
        """Wrap ``dataset`` (queried in place, not copied) or start empty.

        Args:
            dataset: an existing dataset; it must have ``default_union=True``.
            limits: each query's deadline and largest answer.

        Raises:
            StoreError: when the dataset's default graph is not the union of its graphs.
        """
        if dataset is None:
            dataset = Dataset(default_union=True)
        elif not dataset.default_union:
            raise StoreError("MemoryStore needs a Dataset(default_union=True)")
        self.dataset = dataset
        """The rdflib dataset holding the data."""
        self.limits = limits
        """Each query's deadline and largest answer."""

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add every quad, each into the graph it names."""
        add_quads(self.dataset, quads)

    def _run(self, sparql: str) -> Any:
        check_policy(sparql)
        try:
            return self.dataset.query(sparql)
        except ParseException as exc:
            raise InputError(
                "query",
                f"SPARQL syntax error: {exc.msg}",
                line=exc.lineno,
                column=exc.col,
                hint="the query must be valid SPARQL 1.1",
            ) from exc
        except IctkgError:
            raise
        except Exception as exc:  # rdflib raises plain exceptions for evaluation errors
            raise StoreError(f"the in-memory store cannot run the query: {exc}") from exc

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a query with rdflib, with each bound parameter's term written in.

        Raises:
            StoreTimeoutError: past the deadline (:attr:`limits`).
            AnswerLimitError: for an answer of more rows than the limit.
        """
        check_policy(sparql)
        text = bind_parameters(sparql, bindings) if bindings else sparql

        def work(cancelled: threading.Event) -> QueryResult:
            result = self._run(text)
            if result.type == "ASK":
                return QueryResult(variables=(), rows=(), boolean=bool(result.askAnswer))
            if result.type != "SELECT":
                raise UsageError("only SELECT and ASK queries are supported")
            variables = tuple(str(v) for v in result.vars or ())
            rows: list[tuple[Any, ...]] = [
                tuple(None if v is None else to_oxigraph(v) for v in row)
                for row in capped(result, self.limits.max_rows, cancelled)
            ]
            return QueryResult(variables=variables, rows=tuple(rows))

        return run_bounded(work, self.limits.timeout)

    def query_graph(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query with rdflib; return the triples as pyoxigraph terms.

        rdflib's DESCRIBE gives each described resource's Concise Bounded Description (its
        triples as subject, following blank-node objects), as Oxigraph's does.
        """

        def work(cancelled: threading.Event) -> list[ox.Triple]:
            result = self._run(sparql)
            if result.type not in ("CONSTRUCT", "DESCRIBE"):
                raise UsageError(
                    "a SELECT or ASK query has no graph to return",
                    hint="ask for a graph with CONSTRUCT or DESCRIBE, or read the rows as a table",
                )
            triples = capped(result.graph or (), self.limits.max_rows, cancelled, "triples")
            return [
                ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
                for s, p, o in triples
            ]

        return run_bounded(work, self.limits.timeout)

    def clear(self) -> None:
        """Remove every graph and quad."""
        for graph in list(self.dataset.graphs()):
            self.dataset.remove_graph(graph)
        self.dataset.graph(DATASET_DEFAULT_GRAPH_ID).remove((None, None, None))

    def __len__(self) -> int:
        """The number of quads."""
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))
