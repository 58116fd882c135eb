"""What every store backend shares: the :class:`Store` protocol and running a stored query.

Every backend exposes the union of its named graphs as the default graph, binds parameters as
RDF terms and returns a :class:`~ictkg.queries.results.QueryResult` of pyoxigraph terms, so the
same stored query gives equal answers everywhere. Which query to run and how to render the
answer is left to the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox

from ictkg.errors import StoreError, UsageError
from ictkg.queries.files import StoredQuery
from ictkg.queries.parameters import Binding, prepare_bindings, variable_bindings
from ictkg.queries.results import QueryResult
from ictkg.stores.limits import capped

__all__ = ["Store", "StoreError", "run_query"]


@runtime_checkable
class Store(Protocol):
    """What ictkg needs from a triple store."""

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add every quad (each into the graph it names) to the store."""

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT or ASK query over the union of the graphs, with variables pre-bound.

        Raises:
            PolicyError: when the query would reach the network (SERVICE, LOAD, FROM).
            InputError: when the query does not parse.
            StoreError: when the store cannot answer.
        """

    def query_graph(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query over the union of the graphs; return its triples.

        What DESCRIBE returns is the engine's own choice (SPARQL 1.1 leaves it open); each
        engine's is documented in docs/engines.md.

        Raises:
            PolicyError: when the query would reach the network (SERVICE, LOAD, FROM).
            InputError: when the query does not parse.
            UsageError: when the query is a SELECT or ASK query.
            StoreError: when the store cannot answer.
        """

    def clear(self) -> None:
        """Remove every quad."""


def run_query(
    query: StoredQuery, store: Store, bindings: Mapping[str, Any] | None = None
) -> QueryResult:
    """Run a stored query with parameter values bound as RDF terms.

    Args:
        query: the stored query.
        store: any :class:`Store`.
        bindings: parameter name -> text typed by a user or a term; parameters left out stay
            unbound, which means "all".

    Returns:
        The result.

    Raises:
        ParameterError: for an unknown parameter, a missing required one or a bad value.
    """
    return store.query(query.text, variable_bindings(query, prepare_bindings(query, bindings)))


def triples_of(
    result: Any, max_rows: int | None = None, cancelled: threading.Event | None = None
) -> list[ox.Triple]:
    """The triples of pyoxigraph's answer to a CONSTRUCT or DESCRIBE query.

    Args:
        result: pyoxigraph's answer.
        max_rows: the most triples taken (None: no limit).
        cancelled: set when the caller stopped waiting; reading then stops.

    Raises:
        UsageError: when the answer is a table or a boolean (a SELECT or ASK query).
        AnswerLimitError: when there are more than ``max_rows`` triples.
    """
    if not isinstance(result, ox.QueryTriples):
        raise UsageError(
            "a SELECT or ASK query has no graph to return",
            hint="ask for the graph with CONSTRUCT or DESCRIBE, or read the rows as a table",
        )
    if max_rows is None:
        return list(result)
    return list(capped(result, max_rows, cancelled, "triples"))


def solutions_to_result(
    result: Any, max_rows: int | None = None, cancelled: threading.Event | None = None
) -> QueryResult:
    """Turn pyoxigraph's answer (solutions or a boolean) into a :class:`QueryResult`.

    Args:
        result: pyoxigraph's answer.
        max_rows: the most rows taken (None: no limit).
        cancelled: set when the caller stopped waiting; reading then stops.

    Raises:
        UsageError: for a graph (CONSTRUCT or DESCRIBE) answer.
        AnswerLimitError: when there are more than ``max_rows`` rows.
    """
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(variables=(), rows=(), boolean=bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError(
            "only SELECT and ASK queries are supported",
            hint="CONSTRUCT and DESCRIBE answers are graphs; use a SELECT query",
        )
    variables = tuple(v.value for v in result.variables)
    solutions = result if max_rows is None else capped(result, max_rows, cancelled)
    rows = tuple(tuple(solution[name] for name in variables) for solution in solutions)
    return QueryResult(variables=variables, rows=rows)


def first_line(exc: BaseException) -> str:
    """The first line of an engine's or parser's message, at most 200 characters (RocksDB's
    and pyoxigraph's go on with file names, offsets and long "expected" lists).

    >>> first_line(RuntimeError("Corruption: bad block\\n in 000009.sst"))
    'Corruption: bad block'
    """
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]
