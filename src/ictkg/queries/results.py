"""The answer of a SELECT or ASK query, as pyoxigraph terms, whichever store gave it.

Every backend converts its answer to this one form, so rendering and comparison need to know
nothing about stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import pyoxigraph as ox

__all__ = ["QueryResult", "Term"]

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
"""An RDF term in a result row."""


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT (rows of terms) or ASK query (``boolean``)."""

    variables: tuple[str, ...]
    """Column names, in SELECT order."""
    rows: tuple[tuple[Term | None, ...], ...]
    """One tuple per solution; ``None`` where a variable is unbound."""
    boolean: bool | None = None
    """The answer of an ASK query; None for SELECT."""

    def as_dicts(self) -> list[dict[str, Term]]:
        """Return the rows as ``{variable: term}`` dicts, leaving unbound variables out."""
        return [
            {
                name: value
                for name, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]

    def column(self, name: str) -> list[Term | None]:
        """Return one column's values, in row order.

        Raises:
            KeyError: when the result has no such variable.
        """
        try:
            index = self.variables.index(name)
        except ValueError:
            raise KeyError(name) from None
        return [row[index] for row in self.rows]
