"""Run the quality-check queries (``queries/checks/*-violation.rq``); a check passes with no rows.

Checks complement the SHACL shapes with rules that span graphs (declared terms, duplicate
labels, provenance). They are plain SPARQL 1.1 SELECT queries using ``GRAPH`` patterns, run
through the :class:`~ictkg.stores.base.Store` interface, so any backend can answer them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ictkg.errors import InputError
from ictkg.paths import read_input
from ictkg.queries.headers import header_lines, header_mapping
from ictkg.queries.results import Term
from ictkg.queries.sparql import check_policy
from ictkg.stores.base import Store

__all__ = ["CheckQuery", "CheckResult", "load_checks", "parse_header", "run_check", "run_checks"]


@dataclass(frozen=True)
class CheckQuery:
    """A check read from ``queries/checks/<name>.rq``."""

    name: str
    """The file stem, e.g. ``label-violation``."""
    path: Path
    """The ``.rq`` file."""
    summary: str
    """One line on what a row means."""
    description: str
    """What to do about a row: the fix text shown to a curator."""
    text: str = field(repr=False)
    """The query text, header included (it is made of SPARQL comments)."""


@dataclass(frozen=True)
class CheckResult:
    """The rows a check returned; it passes when there are none."""

    name: str
    """The check's name (file stem)."""
    path: Path
    """The ``.rq`` file."""
    rows: tuple[tuple[Term | None, ...], ...]
    """The problems found, one row each, in the query's ``ORDER BY`` order."""
    columns: tuple[str, ...] = ()
    """The SELECT variables, naming the row fields."""
    summary: str = ""
    """The check's one-line summary."""
    description: str = ""
    """What to do about a row."""

    @property
    def passed(self) -> bool:
        """True when the check found nothing."""
        return not self.rows


def parse_header(path: Path, text: str) -> dict[str, Any]:
    """Parse the ``#+`` YAML header of a check file.

    Args:
        path: the file, for error messages.
        text: its content.

    Returns:
        The header as a mapping (empty when there is none).

    Raises:
        InputError: when the header is not a YAML mapping; names the file and line.

    >>> parse_header(Path("q.rq"), "#+ summary: Hi\\n#+ tags: [a]\\nSELECT * {}")
    {'summary': 'Hi', 'tags': ['a']}
    """
    return header_mapping(path, header_lines(text))


def load_checks(folder: Path) -> list[CheckQuery]:
    """Read every ``*-violation.rq`` file in ``folder``, sorted by name.

    Args:
        folder: usually ``queries/checks/``.

    Returns:
        The checks (empty when the folder does not exist).

    Raises:
        InputError: when a file cannot be read (or the input gate refuses it) or its header is
            invalid.
        PolicyError: when a check would reach the network (SERVICE, LOAD, FROM ...).
    """
    if not folder.is_dir():
        return []
    checks = []
    for path in sorted(folder.glob("*-violation.rq")):
        # The input gate (no FIFO or device, the size limit, UTF-8 errors at their line), and
        # the network policy when loaded, naming the file.
        text = read_input(path, "check", root=folder)
        check_policy(text, str(path))
        header = parse_header(path, text)
        checks.append(
            CheckQuery(
                name=path.stem,
                path=path,
                summary=" ".join(str(header.get("summary", header.get("title", ""))).split()),
                description=" ".join(str(header.get("description", "")).split()),
                text=text,
            )
        )
    return checks


def run_check(check: CheckQuery, store: Store) -> CheckResult:
    """Run one check against a store holding the dataset.

    Args:
        check: the check.
        store: any store (its named graphs are what ``GRAPH`` patterns see).

    Returns:
        The result; it passes when it has no rows.

    Raises:
        InputError: when the query does not parse or is not a SELECT query; names the file.
    """
    try:
        result = store.query(check.text)
    except InputError as exc:
        raise InputError(
            check.path,
            exc.message,
            line=exc.line,
            column=exc.column,
            hint="the check must be a valid SPARQL 1.1 SELECT query",
        ) from exc
    if result.boolean is not None:
        raise InputError(
            check.path,
            "a check must be a SELECT query, not ASK",
            hint="return the rows that violate the rule",
        )
    return CheckResult(
        name=check.name,
        path=check.path,
        rows=result.rows,
        columns=result.variables,
        summary=check.summary,
        description=check.description,
    )


def run_checks(checks: list[CheckQuery], store: Store) -> list[CheckResult]:
    """Run every check against the store, in order.

    Args:
        checks: the checks (see :func:`load_checks`).
        store: a store holding the built dataset.

    Returns:
        One result per check.
    """
    return [run_check(check, store) for check in checks]
