"""Run the quality-check queries (``queries/checks/*-violation.rq``); a check passes with no rows.

Checks complement the SHACL shapes with rules that span graphs (declared terms, duplicate
labels, provenance). They are plain SPARQL 1.1 SELECT queries using ``GRAPH`` patterns, so they
run unchanged on a quad store; this module runs them in memory with rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyparsing import ParseException
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ictkg.errors import InputError
from ictkg.paths import ProjectPaths
from ictkg.queries import header_lines, header_mapping

__all__ = [
    "CheckQuery",
    "CheckResult",
    "load_checks",
    "parse_header",
    "run_check",
    "run_checks",
]


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
    """What to do about a row."""
    text: str = field(repr=False)
    """The query text, header included (it is made of SPARQL comments)."""


@dataclass(frozen=True)
class CheckResult:
    """The rows a check returned; it passes when there are none."""

    name: str
    """The check's name (file stem)."""
    path: Path
    """The ``.rq`` file."""
    rows: tuple[tuple[Node | None, ...], ...]
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
    """Parse the ``#+`` YAML header of a query file.

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
        InputError: when a header is invalid.
    """
    if not folder.is_dir():
        return []
    checks = []
    for path in sorted(folder.glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        header = parse_header(path, text)
        checks.append(
            CheckQuery(
                name=path.stem,
                path=path,
                summary=str(header.get("summary", header.get("title", ""))).strip(),
                description=str(header.get("description", "")).strip(),
                text=text,
            )
        )
    return checks


def _prepare(check: CheckQuery) -> Query:
    try:
        return prepareQuery(check.text)
    except ParseException as exc:
        raise InputError(
            check.path,
            f"SPARQL syntax error: {exc.msg}",
            line=exc.lineno,
            column=exc.col,
            hint="the check must be a valid SPARQL 1.1 SELECT query",
        ) from exc


def run_check(check: CheckQuery, dataset: Dataset) -> CheckResult:
    """Run one check against the dataset.

    Args:
        check: the check.
        dataset: the built dataset (queried through its named graphs).

    Returns:
        The result; it passes when it has no rows.

    Raises:
        InputError: when the query does not parse or is not a SELECT query.
    """
    query = _prepare(check)
    result = dataset.query(query)
    if result.type != "SELECT":
        raise InputError(
            check.path,
            f"a check must be a SELECT query, not {result.type}",
            hint="return the rows that violate the rule",
        )
    columns = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(row) for row in result)  # type: ignore[arg-type]
    return CheckResult(
        name=check.name,
        path=check.path,
        rows=rows,
        columns=columns,
        summary=check.summary,
        description=check.description,
    )


def run_checks(dataset: Dataset, paths: ProjectPaths) -> list[CheckResult]:
    """Run every check in ``queries/checks/`` against the dataset.

    Args:
        dataset: the built dataset.
        paths: the project layout (for the checks folder).

    Returns:
        One result per check, sorted by name.

    Raises:
        InputError: when a check file is invalid.
    """
    return [run_check(check, dataset) for check in load_checks(paths.checks_dir)]
