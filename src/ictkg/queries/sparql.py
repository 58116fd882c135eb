"""SPARQL text handling: comments, the network policy, and ``VALUES`` blocks built from terms.

Parameters are never pasted into query text as typed: each value is first parsed into a
validated RDF term (:mod:`ictkg.queries.parameters`), then written in its N-Triples form into a
one-row ``VALUES`` block placed right after the outer ``WHERE {`` (:func:`inject_values`). A
small tokenizer keeps comments, strings and IRIs apart so that braces or keywords inside them do
not confuse either job.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ictkg.errors import InputError, PolicyError, UsageError, one_line
from ictkg.paths import MAX_NESTING

__all__ = [
    "NETWORK_KEYWORDS",
    "check_policy",
    "oxigraph_syntax_error",
    "bind_parameters",
    "term_to_sparql",
    "tokens",
    "where_group",
    "without_comments",
]

NETWORK_KEYWORDS: tuple[str, ...] = ("SERVICE", "LOAD", "FROM", "USING", "WITH")
"""Keywords that would make a store fetch data from elsewhere or pick a dataset of its own
(``FROM``/``FROM NAMED``, and ``USING``/``WITH`` in updates); ictkg refuses queries with them."""

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
    """Refuse a query that would reach the network (``SERVICE``, ``LOAD`` or ``FROM``), or whose
    brackets nest deeper than :data:`ictkg.paths.MAX_NESTING`.

    ictkg reaches the network only when the user names an endpoint; a query must not make the
    store fetch data on its own (DESIGN.md, Boundaries).

    Args:
        sparql: the query text.
        where: what to name in the error (a file or stored-query name).

    Raises:
        PolicyError: naming the keyword.
        InputError: for nesting too deep, at the bracket's line and column.

    >>> check_policy("SELECT * { ?s ?p ?o }  # SERVICE in a comment is fine")
    >>> check_policy("SELECT * FROM <http://ex/g> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    ictkg.errors.PolicyError: query: FROM is not allowed: ictkg queries never fetch data ...
      hint: ...
    """
    _check_policy(sparql, where)


@functools.lru_cache(maxsize=512)
def _check_policy(sparql: str, where: str) -> None:
    """:func:`check_policy`, remembered for texts that pass (an error is raised again each
    time): a stored query is checked on every run, and tokenizing it cost a quarter of a
    millisecond, a third of a small query's whole time on pyoxigraph."""
    depth = 0
    offset = 0
    for kind, token in tokens(sparql):
        offset += len(token)
        if kind == "other" and token in "({[":
            depth += 1
            if depth > MAX_NESTING:  # before any parser sees it: deep nesting crashes them
                at = offset - 1
                raise InputError(
                    where,
                    f"brackets nested more than {MAX_NESTING} deep",
                    line=sparql.count("\n", 0, at) + 1,
                    column=at - sparql.rfind("\n", 0, at),
                    hint="write the query with fewer nested groups or parentheses",
                )
        elif kind == "other" and token in ")}]":
            depth = max(depth - 1, 0)
        elif kind == "word" and token.upper() in NETWORK_KEYWORDS:
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


def bind_parameters(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Write each bound parameter's term in place of its variable, so every engine sees constants.

    This is how ictkg binds parameters on every backend (see docs/engines.md). A ``VALUES``
    block leaves the variable to be joined, and Virtuoso 7 then loses it inside ``OPTIONAL``
    filters and ``UNION`` branches, or fails to compile the query; a constant means the same on
    every engine. Only variable tokens are replaced, each by the canonical form of a validated
    term (:func:`term_to_sparql`), so no user text reaches the query:

    - inside the ``WHERE`` group, ``BOUND(?p)`` becomes ``true`` and ``?p`` the term;
    - outside it, ``?p`` inside an expression (``HAVING``, a ``SELECT`` expression) becomes the
      term, and a plain ``?p`` (a projected column, a ``GROUP BY`` or ``ORDER BY`` key, a
      ``CONSTRUCT`` template, or every parameter under ``SELECT *``) stays, bound by
      ``BIND(term AS ?p)`` added at the end of the ``WHERE`` group, where nothing else names
      ``?p`` any more.

    A parameter must not be assigned (``BIND … AS``, ``VALUES``), which the query loader refuses.

    Args:
        sparql: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
        bindings: variable name -> validated term.

    Returns:
        The query with the terms written in (unchanged when there are no bindings).

    Raises:
        UsageError: when the query has no WHERE group or a value cannot be written.

    >>> bind_parameters("SELECT ?s ?o WHERE { ?s ?p ?o FILTER(!BOUND(?s)) } ORDER BY ?s",
    ...                 {"s": ox.NamedNode("http://ex/a")})
    'SELECT ?s ?o WHERE { <http://ex/a> ?p ?o FILTER(!true) BIND(<http://ex/a> AS ?s) } ORDER BY ?s'
    """
    if not bindings:
        return sparql
    terms = {name: term_to_sparql(term) for name, term in bindings.items()}
    toks = list(tokens(sparql))
    start, end = where_group(toks)
    out: list[str] = []
    named_outside: list[str] = []
    paren = 0
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        inside = start < i < end
        if kind == "other" and text in "()":
            paren += 1 if text == "(" else -1
        elif inside and kind == "word" and text.upper() == "BOUND":
            argument = _bound_argument(toks, i)
            if argument is not None and argument[0] in terms:
                out.append("true")
                i = argument[1]
                continue
        elif kind == "other" and text == "*" and i < start and paren == 0:
            named_outside += [n for n in terms if n not in named_outside]  # SELECT *
        elif kind == "variable" and text[1:] in terms:
            name = text[1:]
            if inside or paren > 0:
                text = terms[name]
            elif name not in named_outside:
                named_outside.append(name)
        elif i == end and named_outside:
            lead = "" if out and out[-1][-1:].isspace() else " "
            out.append(lead + " ".join(f"BIND({terms[n]} AS ?{n})" for n in named_outside) + " ")
        out.append(text)
        i += 1
    return "".join(out)


def where_group(toks: list[tuple[str, str]]) -> tuple[int, int]:
    """The token indexes of the braces that open and close the query's ``WHERE`` group.

    Args:
        toks: the query's :func:`tokens`, as a list.

    Raises:
        UsageError: when the query has no WHERE group.
    """
    depth_paren = 0
    seen_where = False
    form: str | None = None
    start = -1
    depth = 0
    for index, (kind, text) in enumerate(toks):
        if kind == "word":
            upper = text.upper()
            if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
            elif upper == "WHERE" and depth_paren == 0 and depth == 0:
                seen_where = True
        elif kind == "other":
            if text == "(":
                depth_paren += 1
            elif text == ")":
                depth_paren -= 1
            elif text == "{":
                if start < 0 and depth_paren == 0 and (seen_where or form != "CONSTRUCT"):
                    start = index
                depth += 1
            elif text == "}":
                depth -= 1
                if start >= 0 and depth == 0:
                    return start, index
    raise UsageError("cannot find the WHERE clause to bind parameters in")


def _bound_argument(toks: list[tuple[str, str]], index: int) -> tuple[str, int] | None:
    """For ``BOUND ( ?v )`` starting at ``index``: ``v`` and the index after ``)``; else None."""
    wanted = ("(", "variable", ")")
    found = 0
    name = ""
    index += 1
    while index < len(toks) and found < len(wanted):
        kind, text = toks[index]
        if not (kind == "other" and text.isspace()):
            expected = wanted[found]
            if (expected == "variable" and kind != "variable") or (
                expected != "variable" and text != expected
            ):
                return None
            if kind == "variable":
                name = text[1:]
            found += 1
        index += 1
    return (name, index) if found == len(wanted) else None


def oxigraph_syntax_error(exc: SyntaxError, where: str, hint: str) -> InputError:
    """Turn pyoxigraph's SPARQL ``SyntaxError`` into an InputError with its line and column."""
    message = exc.msg or str(exc)
    match = _ERROR_AT.search(message)
    # One line: pyoxigraph spreads a long "expected one of" list over several.
    problem = " ".join(_ERROR_AT.sub("", message).split())
    if "Prefix not found" in problem:
        problem = "a prefix used here is not declared (PREFIX name: <...>)"
    return InputError(
        where,
        f"SPARQL syntax error: {one_line(problem)}",
        line=int(match[1]) if match else None,
        column=int(match[2]) if match else None,
        hint=hint,
    )
