"""Ad-hoc SPARQL, as ``ictkg sparql`` takes it: where the text comes from (the argument itself, a
file or standard input), which query form it is, and the project prefixes declared for it.

Running the query is left to the stores, and the network policy to
:func:`ictkg.queries.sparql.check_policy`. Unlike a stored query, an ad-hoc query needs no ``#+``
header and has no parameters.

>>> query = prepare_query("SELECT ?s { ?s a ictkg:Meeting }")
>>> query.form, query.text.splitlines()[0]
('SELECT', 'PREFIX ictkg: <https://w3id.org/ictkg/ontology#>')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ictkg.errors import InputError, MissingInputError, UsageError
from ictkg.namespaces import PREFIXES
from ictkg.paths import read_input
from ictkg.queries.sparql import check_policy, tokens

__all__ = [
    "GRAPH_FORMS",
    "QUERY_FORMS",
    "AdhocQuery",
    "declared_prefixes",
    "prepare_query",
    "query_form",
    "read_query",
    "shift_error",
]

QUERY_FORMS: tuple[str, ...] = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
"""The SPARQL 1.1 query forms ``ictkg sparql`` runs."""

GRAPH_FORMS: frozenset[str] = frozenset({"CONSTRUCT", "DESCRIBE"})
"""The query forms whose answer is a graph (triples), not a table."""

UPDATE_KEYWORDS: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "WITH", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "LOAD"}
)
"""Words that open a SPARQL Update operation, which ``ictkg sparql`` refuses (it only reads)."""

STDIN = "<stdin>"
"""What errors name when the query came from standard input."""
ARGUMENT = "<query>"
"""What errors name when the query was the command-line argument itself."""

_QUERY_SUFFIXES = (".rq", ".sparql", ".txt")


@dataclass(frozen=True)
class AdhocQuery:
    """An ad-hoc query ready to run: its text with the project prefixes declared."""

    source: str
    """The text as the user wrote it."""
    where: str
    """Where it came from, for error messages: a file path, ``<stdin>`` or ``<query>``."""
    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; None when no form keyword was found
    (the store's parser then reports the syntax error)."""
    text: str
    """The text to run: the prefix declarations it lacked, then :attr:`source`."""
    added_lines: int
    """How many lines were put in front of :attr:`source` (to report errors at its own lines)."""

    @property
    def is_graph(self) -> bool:
        """Whether the answer is a graph (CONSTRUCT or DESCRIBE)."""
        return self.form in GRAPH_FORMS


def _significant(sparql: str) -> list[tuple[str, str]]:
    return [(k, t) for k, t in tokens(sparql) if k != "comment" and not t.isspace()]


def declared_prefixes(sparql: str) -> set[str]:
    """The prefix names the query declares itself (``PREFIX name: <…>``).

    >>> sorted(declared_prefixes("PREFIX ex: <http://ex/> PREFIX : <http://x/> ASK {}"))
    ['', 'ex']
    """
    toks = _significant(sparql)
    names: set[str] = set()
    for (kind, text), (next_kind, next_text) in zip(toks, toks[1:], strict=False):
        is_prefix = kind == "word" and text.upper() == "PREFIX"
        if is_prefix and next_kind == "word" and next_text.endswith(":"):
            names.add(next_text[:-1])
    return names


def query_form(sparql: str, where: str = ARGUMENT) -> str | None:
    """The query's form: the first of SELECT, ASK, CONSTRUCT, DESCRIBE after its prologue.

    Args:
        sparql: the query text.
        where: what to name in an error.

    Returns:
        The form in capitals, or None when the text has none of them (a syntax error, which
        the store's parser reports with its line and column).

    Raises:
        UsageError: for a SPARQL Update (INSERT, DELETE …): ``ictkg sparql`` only reads.

    >>> query_form("PREFIX ex: <http://ex/#select> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    toks = _significant(sparql)
    index = 0
    while index < len(toks):
        kind, text = toks[index]
        upper = text.upper() if kind == "word" else ""
        if upper == "PREFIX":
            index += 3  # PREFIX name: <iri>
            continue
        if upper == "BASE":
            index += 2  # BASE <iri>
            continue
        if upper in QUERY_FORMS:
            return upper
        if upper in UPDATE_KEYWORDS:
            raise UsageError(
                f"{where}: {upper} is a SPARQL Update; ictkg sparql only runs queries",
                hint="write a SELECT, ASK, CONSTRUCT or DESCRIBE query; "
                "ictkg build and ictkg load change the data",
            )
        return None
    return None


def prepare_query(sparql: str, where: str = ARGUMENT) -> AdhocQuery:
    """Check an ad-hoc query and declare the project prefixes it uses without declaring.

    Every prefix of :data:`ictkg.namespaces.PREFIXES` the text does not declare itself is put
    in front of it, one ``PREFIX`` line each; a prefix the text declares keeps the text's
    meaning. The network policy is applied first.

    Args:
        sparql: the query text.
        where: what to name in errors (a file path, ``<stdin>``, ``<query>``).

    Returns:
        The query ready to run.

    Raises:
        PolicyError: when the query would reach the network (SERVICE, LOAD, FROM).
        UsageError: for an empty text or a SPARQL Update.
    """
    if not sparql.strip():
        raise UsageError(
            f"{where}: the query is empty", hint="e.g. ictkg sparql 'ASK { ?s a ictkg:Meeting }'"
        )
    check_policy(sparql, where)
    form = query_form(sparql, where)
    own = declared_prefixes(sparql)
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in own]
    return AdhocQuery(
        source=sparql,
        where=where,
        form=form,
        text="".join(lines) + sparql,
        added_lines=len(lines),
    )


def _looks_like_path(argument: str) -> bool:
    return (
        argument.lower().endswith(_QUERY_SUFFIXES)
        and not any(c.isspace() for c in argument)
        and "{" not in argument
    )


def read_query(argument: str, *, stdin: TextIO | None = None) -> AdhocQuery:
    """Read an ad-hoc query from what the user gave: ``-`` (standard input), the path of a
    file, or the query text itself, then prepare it (:func:`prepare_query`).

    Args:
        argument: ``-``, a file path, or SPARQL text.
        stdin: where ``-`` reads from (``sys.stdin`` by default).

    Returns:
        The query ready to run.

    Raises:
        MissingInputError: for a path ending in ``.rq``, ``.sparql`` or ``.txt`` that does not
            exist.
        MissingInputError: also when the file cannot be read (:func:`ictkg.paths.read_input`).
        InputError: when the input gate refuses the file or it is not UTF-8 (with its line).
        PolicyError, UsageError: see :func:`prepare_query`.
    """
    if argument == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin
        return prepare_query(stream.read(), STDIN)
    path = Path(argument)
    is_file = False
    if "\n" not in argument and len(argument) < 4096:
        try:
            is_file = path.is_file()
        except OSError:
            is_file = False
    if is_file or (_looks_like_path(argument) and path.exists()):
        # The project's reader: the input gate (no device, size limit), BOM, UTF-8 position;
        # a FIFO or device named .rq is refused, not taken for a missing file.
        text = read_input(path, "query file")
        if not text.strip():  # a malformed file (65), as one holding only comments is
            raise InputError(path, "the query file is empty", hint="write the query in it")
        return prepare_query(text, str(path))
    if _looks_like_path(argument):
        raise MissingInputError(
            path,
            "no such query file",
            hint="give a file that exists, the query text itself, or - to read standard input",
        )
    return prepare_query(argument, ARGUMENT)


def shift_error(error: InputError, query: AdhocQuery) -> InputError:
    """The store's syntax error, placed in the user's own text (the file or ``<query>``), at the
    line it has there (the prefix lines :func:`prepare_query` added are not counted)."""
    line = error.line
    column = error.column
    if line is not None:
        line -= query.added_lines
        if line < 1:  # (an error inside the added prologue cannot be placed in the text)
            line, column = None, None
    return InputError(query.where, error.message, line=line, column=column, hint=error.hint)
