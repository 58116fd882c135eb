"""SPARQL text handling: comments, the network policy, and ``VALUES`` blocks built from terms.

Parameters are never pasted into query text as typed: each value is first parsed into a
validated RDF term (:mod:`ictkg.queries.parameters`), then written in its N-Triples form into a
one-row ``VALUES`` block placed right after the outer ``WHERE {`` (:func:`inject_values`). A
small tokenizer keeps comments, strings and IRIs apart so that braces or keywords inside them do
not confuse either job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ictkg.errors import InputError, PolicyError, UsageError

__all__ = [
    "NETWORK_KEYWORDS",
    "check_policy",
    "oxigraph_syntax_error",
    "inject_values",
    "term_to_sparql",
    "tokens",
    "values_clause",
    "without_comments",
]

NETWORK_KEYWORDS: tuple[str, ...] = ("SERVICE", "LOAD", "FROM")
"""Keywords that would make a store fetch data from elsewhere; ictkg refuses queries with them."""

_ERROR_AT = re.compile(r"error at (\d+):(\d+):?\s*")
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z0-9_.-]*)?|:[A-Za-z0-9_.-]*)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)


def tokens(sparql: str) -> Iterable[tuple[str, str]]:
    """Yield ``(kind, text)`` tokens: comment, string, iri, variable, word (names and prefixed
    names), other (one character). Joined, they give back the text exactly.

    >>> [k for k, _ in tokens('SELECT ?x { ?x a "}" } # {')]  # doctest: +NORMALIZE_WHITESPACE
    ['word', 'other', 'variable', 'other', 'other', 'other', 'variable', 'other', 'word',
     'other', 'string', 'other', 'other', 'other', 'comment']
    """
    for match in _TOKEN.finditer(sparql):
        yield match.lastgroup or "other", match.group()


def without_comments(sparql: str) -> str:
    """Blank out comments, keeping strings and IRIs (which may hold ``#``)."""
    return "".join(" " * len(t) if kind == "comment" else t for kind, t in tokens(sparql))


def check_policy(sparql: str, where: str = "query") -> None:
    """Refuse a query that would reach the network (``SERVICE``, ``LOAD`` or ``FROM``).

    ictkg reaches the network only when the user names an endpoint; a query must not make the
    store fetch data on its own (DESIGN.md, Boundaries).

    Args:
        sparql: the query text.
        where: what to name in the error (a file or stored-query name).

    Raises:
        PolicyError: naming the keyword.

    >>> check_policy("SELECT * { ?s ?p ?o }  # SERVICE in a comment is fine")
    >>> check_policy("SELECT * FROM <http://ex/g> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    ictkg.errors.PolicyError: query: FROM is not allowed: ictkg queries never fetch data ...
      hint: ...
    """
    for kind, token in tokens(sparql):
        if kind == "word" and token.upper() in NETWORK_KEYWORDS:
            raise PolicyError(
                f"{where}: {token.upper()} is not allowed: ictkg queries never fetch data from "
                "elsewhere",
                hint="query the graph ictkg loaded; to ask another endpoint, pass it with "
                "--endpoint",
            )


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        # pyparsing (under rdflib's parser) expands raw tabs to spaces: escape them.
        .replace("\t", "\\t")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
    )


def term_to_sparql(term: ox.NamedNode | ox.Literal) -> str:
    """Write one validated term in SPARQL syntax (its N-Triples form).

    Args:
        term: an IRI or a literal (blank nodes cannot be bound in a query).

    Returns:
        ``<iri>``, ``"text"``, ``"text"@lang`` or ``"lexical"^^<datatype>``; quotes,
        backslashes, tabs and line breaks in the text are escaped.

    Raises:
        UsageError: for a blank node. (pyoxigraph refuses invalid IRIs and language tags when
            a term is made, so every IRI and tag here can be written as it is.)

    >>> term_to_sparql(ox.Literal('say "hi"\\n', language="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = _escape(term.value)
        if term.language:
            return f'"{text}"@{term.language}'
        datatype = term.datatype.value
        if datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{text}"^^<{datatype}>'
        return f'"{text}"'
    raise UsageError(f"cannot bind {type(term).__name__} {term!r} in a query")


def values_clause(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Return a one-row ``VALUES`` block binding each variable to its term.

    >>> values_clause({"topic": ox.NamedNode("https://w3id.org/ictkg/id/topic/privacy")})
    'VALUES (?topic) { (<https://w3id.org/ictkg/id/topic/privacy>) }'
    """
    if not bindings:
        return ""
    for name in bindings:
        if not _VARIABLE_NAME.match(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term_to_sparql(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def inject_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Insert a ``VALUES`` block right after the opening brace of the outer ``WHERE`` group.

    There every pattern and ``FILTER`` of the outer group sees the bound values, as they do
    with rdflib's ``initBindings``. Comments, strings and IRIs are skipped when looking for
    the brace, so a ``{`` inside them does not confuse it.

    Args:
        sparql: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
        bindings: variable name -> validated term.

    Returns:
        The query with the block inserted (unchanged when there are no bindings).

    Raises:
        UsageError: when the query has no WHERE group or a value cannot be written.

    >>> inject_values("SELECT * WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://ex/a")})
    'SELECT * WHERE { VALUES (?s) { (<http://ex/a>) } ?s ?p ?o }'
    """
    block = values_clause(bindings)
    if not block:
        return sparql
    depth_paren = 0
    offset = 0
    seen_where = False
    form: str | None = None
    for kind, token in tokens(sparql):
        start = offset
        offset += len(token)
        if kind == "word":
            upper = token.upper()
            if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
            elif upper == "WHERE" and depth_paren == 0:
                seen_where = True
            continue
        if kind != "other":
            continue
        if token == "(":
            depth_paren += 1
        elif token == ")":
            depth_paren -= 1
        elif token == "{" and depth_paren == 0 and (seen_where or form != "CONSTRUCT"):
            return f"{sparql[: start + 1]} {block}{sparql[start + 1 :]}"
    raise UsageError("cannot find the WHERE clause to bind parameters in")


def oxigraph_syntax_error(exc: SyntaxError, where: str, hint: str) -> InputError:
    """Turn pyoxigraph's SPARQL ``SyntaxError`` into an InputError with its line and column."""
    message = exc.msg or str(exc)
    match = _ERROR_AT.search(message)
    return InputError(
        where,
        f"SPARQL syntax error: {_ERROR_AT.sub('', message).strip()}",
        line=int(match[1]) if match else None,
        column=int(match[2]) if match else None,
        hint=hint,
    )
