"""Stored queries: read ``queries/NN-slug.rq`` files, bind typed parameters, run them on a store.

A stored query is a SPARQL 1.1 file with a ``#+`` YAML header (the grlc convention) giving its
summary, description, tags and typed parameters. Parameter values are parsed into validated
rdflib terms and bound as terms, never pasted into query text: in-process rdflib gets
``initBindings``; other engines get a ``VALUES`` block built from each term's N-Triples form
(:func:`values_clause`, :func:`inject_values`). Talking to a store is left to :mod:`ictkg.store`;
rendering to the CLI.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml
from pyparsing import ParseException
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Identifier, Node

from ictkg.errors import InputError
from ictkg.namespaces import (
    DCT,
    ICTKG,
    KIND,
    PREFIXES,
    QUERY_CATALOGUE_GRAPH,
    SCHEMA,
    bind_namespaces,
)

if TYPE_CHECKING:
    from rdflib import Dataset

    from ictkg.paths import ProjectPaths
    from ictkg.store import Store

__all__ = [
    "HEADER_KEYS",
    "PARAMETER_TYPES",
    "ParameterError",
    "QueryParameter",
    "QueryResult",
    "StoredQuery",
    "add_catalogue",
    "catalogue_graph",
    "find_query",
    "header_lines",
    "header_mapping",
    "inject_values",
    "load_queries",
    "parse_header",
    "parse_parameter",
    "prepare_bindings",
    "run_query",
    "term_to_sparql",
    "values_clause",
]

HEADER_MARK = "#+"
"""Lines starting with this hold the YAML header."""

PARAMETER_TYPES: frozenset[str] = frozenset({"iri", "string", "date", "integer"})
"""The parameter types a header may declare."""

HEADER_KEYS: frozenset[str] = frozenset(
    {
        "summary",
        "title",
        "description",
        "tags",
        "parameters",
        # Other grlc keys, accepted so the folder can back a grlc API unchanged.
        "endpoint",
        "method",
        "pagination",
        "enumerate",
        "defaults",
        "endpoint_in_url",
        "transform",
    }
)
"""Keys a ``#+`` header may hold."""

PARAMETER_KEYS: frozenset[str] = frozenset(
    {"type", "example", "required", "description", "lang", "default"}
)
"""Keys one parameter's declaration may hold."""

QUERY_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.rq$")
"""Stored query file names: ``NN-slug.rq``."""

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE_SHAPES: tuple[tuple[re.Pattern[str], URIRef], ...] = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), XSD.date),
    (re.compile(r"^(\d{4})-(\d{2})$"), XSD.gYearMonth),
    (re.compile(r"^(\d{4})$"), XSD.gYear),
)


class ParameterError(InputError):
    """A parameter value or name given for a stored query is not acceptable."""


@dataclass(frozen=True)
class QueryParameter:
    """One typed parameter a stored query declares; the query uses it as ``?name``."""

    name: str
    """The variable name, without ``?``."""
    type: str
    """One of :data:`PARAMETER_TYPES`."""
    required: bool = False
    """Whether a value must be given; an optional parameter left unbound means "all"."""
    example: str | None = None
    """An example value, written as a user would type it (e.g. ``topic:cybersecurity``)."""
    description: str = ""
    """What the parameter selects."""
    lang: str | None = None
    """For ``string`` parameters: the language tag given to the value."""


@dataclass(frozen=True)
class StoredQuery:
    """A stored query read from ``queries/NN-slug.rq``."""

    id: str
    """The file stem, e.g. ``01-meetings-by-topic``."""
    path: Path
    """The ``.rq`` file."""
    summary: str
    """The question the query answers, in one line."""
    description: str
    """What it returns and how parameters narrow it."""
    parameters: Mapping[str, QueryParameter] = field(hash=False)
    """Declared parameters by name, in header order."""
    tags: tuple[str, ...]
    """Keywords."""
    text: str = field(repr=False)
    """The whole file (the header is made of SPARQL comments, so it is valid SPARQL)."""

    @property
    def title(self) -> str:
        """The summary (grlc calls it either)."""
        return self.summary

    @property
    def body(self) -> str:
        """The query without its ``#+`` header lines."""
        return _strip_header(self.text)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT (rows of rdflib terms) or ASK query (``boolean``)."""

    variables: tuple[str, ...]
    """Column names, in SELECT order."""
    rows: tuple[tuple[Node | None, ...], ...]
    """One tuple per solution; ``None`` where a variable is unbound."""
    boolean: bool | None = None
    """The answer of an ASK query; None for SELECT."""

    def as_dicts(self) -> list[dict[str, Node]]:
        """Return the rows as ``{variable: term}`` dicts, leaving unbound variables out."""
        return [
            {name: value for name, value in zip(self.variables, row, strict=True) if value}
            for row in self.rows
        ]


# -- Header ---------------------------------------------------------------------------------------


def header_lines(text: str) -> list[str]:
    """Return the leading ``#+`` lines of a query file, without the marker and one space."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith(HEADER_MARK):
            break
        body = line[len(HEADER_MARK) :]
        lines.append(body[1:] if body.startswith(" ") else body)
    return lines


def _strip_header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER_MARK):
        start += 1
    return "".join(lines[start:]).lstrip("\n")


def _line_of(lines: Sequence[str], pattern: str, default: int = 1) -> int:
    """Return the 1-based number of the first header line matching ``pattern``."""
    regex = re.compile(pattern)
    for number, line in enumerate(lines, start=1):
        if regex.search(line):
            return number
    return default


def _without_comments(sparql: str) -> str:
    """Blank out comments, keeping strings and IRIs (which may hold ``#``)."""
    out: list[str] = []
    for kind, token in _tokens(sparql):
        out.append(" " * len(token) if kind == "comment" else token)
    return "".join(out)


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else ""


def header_mapping(path: Path, lines: Sequence[str]) -> dict[str, Any]:
    """Parse ``#+`` header lines (marker already removed) as one YAML mapping.

    Shared by stored queries and quality checks, so both report header errors alike.

    Args:
        path: the file, named in errors.
        lines: the header lines without their ``#+`` marker.

    Returns:
        The mapping (empty when there are no lines).

    Raises:
        InputError: naming the file, line and column, when the lines are not a YAML mapping.

    >>> header_mapping(Path("q.rq"), ["summary: Hi", "tags: [a]"])
    {'summary': 'Hi', 'tags': ['a']}
    """
    if not lines:
        return {}
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"invalid #+ header: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 + len(HEADER_MARK) + 1 if mark is not None else None,
            hint="each header line is '#+ key: value' and together they must be valid YAML",
        ) from exc
    if not isinstance(header, dict):
        raise InputError(
            path, "the #+ header is not a YAML mapping", line=1, hint="write '#+ key: value' lines"
        )
    return header


def parse_header(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Parse and check the ``#+`` YAML header of a stored query.

    Args:
        path: the ``.rq`` file (read when ``text`` is None; named in errors).
        text: the file's content, if already read.

    Returns:
        The header as a mapping, with ``parameters`` normalised to a dict of
        :class:`QueryParameter`.

    Raises:
        InputError: naming the file and line, when the header is missing or not valid YAML,
            has an unknown key, declares a parameter with an unknown type, a bad name or an
            invalid example, or declares a parameter the query body never uses.
    """
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                path, f"cannot read stored query: {exc}", hint="check the path"
            ) from exc
    lines = header_lines(text)
    if not lines:
        raise InputError(
            path,
            "no #+ header",
            line=1,
            hint="start the file with '#+ summary: <the question>' and '#+ parameters: {...}'",
        )
    header = header_mapping(path, lines)
    for key in header:
        if key not in HEADER_KEYS:
            raise InputError(
                path,
                f"unknown header key {key!r}",
                line=_line_of(lines, rf"^{re.escape(str(key))}\s*:"),
                hint=_suggest(str(key), HEADER_KEYS)
                or f"known keys: {', '.join(sorted(HEADER_KEYS))}",
            )
    summary = header.get("summary", header.get("title"))
    if not isinstance(summary, str) or not summary.strip():
        raise InputError(
            path, "the header has no summary", line=1, hint="add '#+ summary: <the question>'"
        )
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputError(
            path,
            "tags must be a list of words",
            line=_line_of(lines, r"^tags\s*:"),
            hint="write '#+ tags: [topic, meeting]'",
        )
    body = _without_comments(_strip_header(text))
    header["parameters"] = _parse_parameters(path, lines, header.get("parameters"), body)
    return header


def _parse_parameters(
    path: Path, lines: Sequence[str], raw: object, body: str
) -> dict[str, QueryParameter]:
    if raw is None:
        return {}
    params_line = _line_of(lines, r"^parameters\s*:")
    if not isinstance(raw, dict):
        raise InputError(
            path,
            "parameters must be a mapping of name to declaration",
            line=params_line,
            hint="write '#+ parameters: {topic: {type: iri, example: \"topic:x\"}}'",
        )
    result: dict[str, QueryParameter] = {}
    for name, spec in raw.items():
        line = _line_of(lines, rf"\b{re.escape(str(name))}\s*:", default=params_line)
        if not isinstance(name, str) or not _VARIABLE_NAME.match(name):
            raise InputError(
                path,
                f"parameter name {name!r} is not a SPARQL variable name",
                line=line,
                hint="use letters, digits and '_' (the query refers to it as ?name)",
            )
        if not isinstance(spec, dict):
            raise InputError(
                path,
                f"parameter {name!r} must be a mapping",
                line=line,
                hint="write 'name: {type: iri, example: ..., description: ...}'",
            )
        for key in spec:
            if key not in PARAMETER_KEYS:
                raise InputError(
                    path,
                    f"parameter {name!r} has unknown key {key!r}",
                    line=line,
                    hint=_suggest(str(key), PARAMETER_KEYS)
                    or f"known keys: {', '.join(sorted(PARAMETER_KEYS))}",
                )
        kind = spec.get("type")
        if kind not in PARAMETER_TYPES:
            suggestion = _suggest(str(kind), PARAMETER_TYPES)
            raise InputError(
                path,
                f"parameter {name!r} has unknown type {kind!r}",
                line=line,
                hint=(suggestion + " " if suggestion else "")
                + f"types: {', '.join(sorted(PARAMETER_TYPES))}",
            )
        lang = spec.get("lang")
        if lang is not None and (kind != "string" or not _LANG_TAG.match(str(lang))):
            raise InputError(
                path,
                f"parameter {name!r}: lang {lang!r} needs type string and a BCP 47 tag",
                line=line,
                hint="e.g. 'lang: ja' on a string parameter",
            )
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise InputError(
                path,
                f"parameter {name!r}: required must be true or false",
                line=line,
                hint="write 'required: false'",
            )
        example = spec.get("example")
        param = QueryParameter(
            name=name,
            type=str(kind),
            required=required,
            example=None if example is None else str(example),
            description=str(spec.get("description") or ""),
            lang=None if lang is None else str(lang),
        )
        if not re.search(rf"[?$]{re.escape(name)}\b", body):
            raise InputError(
                path,
                f"parameter {name!r} is declared but the query never uses ?{name}",
                line=line,
                hint=f"use ?{name} in the query body or remove the declaration",
            )
        if re.search(rf"\bAS\s+[?$]{re.escape(name)}\b", body, re.IGNORECASE):
            raise InputError(
                path,
                f"parameter ?{name} is assigned with AS (BIND or SELECT expression)",
                line=line,
                hint="a parameter must only be read; assign to another variable",
            )
        if param.example is not None:
            try:
                parse_parameter(param, param.example)
            except ParameterError as exc:
                raise InputError(
                    path,
                    f"parameter {name!r}: example is invalid: {exc.message}",
                    line=line,
                    hint=exc.hint,
                ) from exc
        result[name] = param
    return result


# -- Loading and finding --------------------------------------------------------------------------


def _check_syntax(path: Path, text: str) -> None:
    try:
        prepareQuery(text)
    except ParseException as exc:
        raise InputError(
            path,
            f"SPARQL syntax error: {exc.msg}",
            line=exc.lineno,
            column=exc.col,
            hint="the stored query must be valid SPARQL 1.1",
        ) from exc
    except Exception as exc:  # rdflib raises plain exceptions for some algebra errors.
        raise InputError(
            path, f"SPARQL error: {exc}", hint="the stored query must be valid SPARQL 1.1"
        ) from exc


def load_query(path: Path | str, *, check_syntax: bool = True) -> StoredQuery:
    """Read and check one stored query file.

    Args:
        path: the ``.rq`` file.
        check_syntax: also parse the query with rdflib (slower; the store parses it anyway).

    Returns:
        The stored query.

    Raises:
        InputError: when the header is invalid or the query does not parse.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    header = parse_header(path, text)
    if check_syntax:
        _check_syntax(path, text)
    summary = str(header.get("summary", header.get("title", ""))).strip()
    return StoredQuery(
        id=path.stem,
        path=path,
        summary=" ".join(summary.split()),
        description=" ".join(str(header.get("description") or "").split()),
        parameters=MappingProxyType(dict(header["parameters"])),
        tags=tuple(str(t) for t in header.get("tags", [])),
        text=text,
    )


def load_queries(folder: Path | str, *, check_syntax: bool = True) -> list[StoredQuery]:
    """Read every ``NN-slug.rq`` file in ``folder`` (not its sub-folders), sorted by name.

    Args:
        folder: usually ``queries/``.
        check_syntax: also parse each query with rdflib (about 30 ms a query).

    Returns:
        The stored queries (empty when the folder does not exist).

    Raises:
        InputError: when a file is misnamed, its header is invalid or it does not parse.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    queries = []
    for path in sorted(folder.glob("*.rq")):
        if not QUERY_FILE.match(path.name):
            raise InputError(
                path,
                "stored query file names must look like NN-slug.rq",
                hint="e.g. 30-my-question.rq (two digits, lower-case words joined by '-')",
            )
        queries.append(load_query(path, check_syntax=check_syntax))
    return queries


def find_query(name_or_path: str | Path, queries: Sequence[StoredQuery]) -> StoredQuery:
    """Find a stored query by id (``01-meetings-by-topic``), number (``01``), slug or file path.

    Args:
        name_or_path: what the user typed.
        queries: the loaded queries.

    Returns:
        The query.

    Raises:
        InputError: when nothing matches, suggesting the closest names.
    """
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".rq" and candidate.is_file():
        resolved = candidate.resolve()
        for query in queries:
            if query.path.resolve() == resolved:
                return query
        return load_query(candidate)
    name = candidate.stem if candidate.suffix == ".rq" else text
    for query in queries:
        number, _, slug = query.id.partition("-")
        if name in (query.id, number, slug):
            return query
    ids = [q.id for q in queries]
    slugs = {q.id.partition("-")[2]: q.id for q in queries}
    close = difflib.get_close_matches(name, ids, n=3, cutoff=0.4)
    close += [slugs[s] for s in difflib.get_close_matches(name, list(slugs), n=3, cutoff=0.4)]
    unique = list(dict.fromkeys(close))[:3]
    hint = (
        f"did you mean {', '.join(unique)}?"
        if unique
        else "run 'ictkg queries' to list the stored queries"
    )
    raise InputError(text, "no stored query of that name", hint=hint)


# -- Parameter values -----------------------------------------------------------------------------


def _check_iri(value: str, where: str, param: str) -> URIRef:
    if not value or _IRI_FORBIDDEN.search(value):
        raise ParameterError(
            where,
            f"parameter {param!r}: {value!r} is not a valid IRI",
            hint='IRIs cannot contain spaces, control characters or any of <>"{}|^`\\',
        )
    if not _SCHEME.match(value):
        raise ParameterError(
            where,
            f"parameter {param!r}: {value!r} is not an absolute IRI (no scheme)",
            hint="write a full IRI such as https://... or a CURIE with a project prefix "
            f"({', '.join(sorted(PREFIXES))})",
        )
    return URIRef(value)


def _parse_iri(value: str, where: str, param: str) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        return _check_iri(value[1:-1], where, param)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES:
        if local.startswith("//"):
            raise ParameterError(
                where,
                f"parameter {param!r}: {value!r} mixes a project prefix with a full IRI",
                hint="write either a CURIE (topic:security) or a full IRI",
            )
        return _check_iri(PREFIXES[prefix] + local, where, param)
    return _check_iri(value, where, param)


def _parse_date(value: str, where: str, param: str) -> Literal:
    for pattern, datatype in _DATE_SHAPES:
        match = pattern.match(value)
        if not match:
            continue
        parts = [int(g) for g in match.groups()]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ParameterError(
                where, f"parameter {param!r}: {value!r} is not a real date ({exc})"
            ) from exc
        return Literal(value, datatype=datatype)
    raise ParameterError(
        where,
        f"parameter {param!r}: {value!r} is not a date",
        hint="write YYYY (xsd:gYear), YYYY-MM (xsd:gYearMonth) or YYYY-MM-DD (xsd:date)",
    )


def parse_parameter(param: QueryParameter, raw_value: str, *, where: str = "") -> Identifier:
    """Turn a value typed by a user into the RDF term the parameter's type calls for.

    Args:
        param: the declared parameter.
        raw_value: the text, e.g. ``topic:security``, ``2012-10``, ``42`` or any string.
        where: what to name in errors (default: ``--param <name>``).

    Returns:
        A URIRef (iri), a Literal with the declared language or none (string), an
        xsd:date / xsd:gYearMonth / xsd:gYear literal (date) or an xsd:integer literal.

    Raises:
        ParameterError: when the value does not fit the type.

    >>> parse_parameter(QueryParameter("topic", "iri"), "topic:security")
    rdflib.term.URIRef('https://w3id.org/ictkg/id/topic/security')
    >>> parse_parameter(QueryParameter("d", "date"), "2012-10").n3()
    '"2012-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    where = where or f"--param {param.name}"
    if param.type == "iri":
        return _parse_iri(raw_value.strip(), where, param.name)
    if param.type == "string":
        _check_string(raw_value, where, param.name)
        return Literal(raw_value, lang=param.lang) if param.lang else Literal(raw_value)
    if param.type == "date":
        return _parse_date(raw_value.strip(), where, param.name)
    if param.type == "integer":
        value = raw_value.strip()
        if not _INTEGER.match(value):
            raise ParameterError(
                where,
                f"parameter {param.name!r}: {raw_value!r} is not an integer",
                hint="write digits only, e.g. 2012",
            )
        return Literal(int(value), datatype=XSD.integer)
    raise ParameterError(where, f"parameter {param.name!r} has unknown type {param.type!r}")


def _check_string(value: str, where: str, param: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParameterError(
            where, f"parameter {param!r}: the value is not valid Unicode text"
        ) from exc


def _check_term(param: QueryParameter, term: Identifier, where: str) -> Identifier:
    """Validate a term given directly (not as text) against the parameter's type."""
    if param.type == "iri":
        if not isinstance(term, URIRef):
            raise ParameterError(where, f"parameter {param.name!r} needs an IRI, not {term!r}")
        return _check_iri(str(term), where, param.name)
    if not isinstance(term, Literal):
        raise ParameterError(where, f"parameter {param.name!r} needs a literal, not {term!r}")
    if param.type == "string":
        if term.datatype not in (None, XSD.string) or (
            term.language is not None and not _LANG_TAG.match(term.language)
        ):
            raise ParameterError(where, f"parameter {param.name!r} needs a plain string literal")
        _check_string(str(term), where, param.name)
        return term
    if param.type == "date":
        parsed = _parse_date(str(term), where, param.name)
        if term.datatype not in (None, parsed.datatype):
            raise ParameterError(where, f"parameter {param.name!r}: datatype does not fit")
        return parsed
    return parse_parameter(param, str(term), where=where)


def prepare_bindings(
    query: StoredQuery, values: Mapping[str, Identifier | str] | None
) -> dict[str, Identifier]:
    """Check names and types of parameter values and turn them into RDF terms.

    Args:
        query: the stored query.
        values: parameter name -> text typed by a user, or an rdflib term.

    Returns:
        Parameter name -> validated term.

    Raises:
        ParameterError: for an unknown name, a missing required parameter or a bad value.
    """
    bindings: dict[str, Identifier] = {}
    for name, value in (values or {}).items():
        param = query.parameters.get(name)
        if param is None:
            known = ", ".join(query.parameters) or "none"
            suggestion = _suggest(name, query.parameters)
            raise ParameterError(
                query.path,
                f"{query.id} has no parameter {name!r}",
                hint=(suggestion + " " if suggestion else "") + f"its parameters: {known}",
            )
        where = f"--param {name}"
        if isinstance(value, Identifier):  # URIRef and Literal are str too: test them first.
            bindings[name] = _check_term(param, value, where)
        elif isinstance(value, str):
            bindings[name] = parse_parameter(param, value, where=where)
        else:
            raise ParameterError(where, f"parameter {name!r}: cannot use {value!r} as a value")
    for param in query.parameters.values():
        if param.required and param.name not in bindings:
            raise ParameterError(
                query.path,
                f"{query.id} needs a value for parameter {param.name!r}",
                hint=f"add --param {param.name}=<{param.type}>"
                + (f", e.g. {param.example}" if param.example else ""),
            )
    return bindings


def example_bindings(query: StoredQuery) -> dict[str, Identifier]:
    """Return the bindings given by the examples in the query's header."""
    return prepare_bindings(
        query, {p.name: p.example for p in query.parameters.values() if p.example is not None}
    )


# -- VALUES blocks --------------------------------------------------------------------------------


def term_to_sparql(term: Identifier) -> str:
    """Write one validated term in SPARQL syntax (its N-Triples form).

    Args:
        term: an IRI or a literal (blank nodes cannot be bound in a query).

    Returns:
        ``<iri>``, ``"text"``, ``"text"@lang`` or ``"lexical"^^<datatype>``; quotes,
        backslashes and line breaks in the text are escaped.

    Raises:
        ParameterError: for a blank node, an invalid IRI or language tag.

    >>> term_to_sparql(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if isinstance(term, URIRef):
        return f"<{_check_iri(str(term), 'VALUES', 'term')}>"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            # pyparsing (under rdflib's parser) expands raw tabs to spaces: escape them.
            .replace("\t", "\\t")
            .replace("\b", "\\b")
            .replace("\f", "\\f")
        )
        if term.language:
            if not _LANG_TAG.match(term.language):
                raise ParameterError("VALUES", f"invalid language tag {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{_check_iri(str(term.datatype), "VALUES", "datatype")}>'
        return f'"{text}"'
    raise ParameterError("VALUES", f"cannot bind {type(term).__name__} {term!r} in a query")


def values_clause(bindings: Mapping[str, Identifier]) -> str:
    """Return a one-row ``VALUES`` block binding each variable to its term.

    >>> values_clause({"topic": URIRef("https://w3id.org/ictkg/id/topic/privacy")})
    'VALUES (?topic) { (<https://w3id.org/ictkg/id/topic/privacy>) }'
    """
    if not bindings:
        return ""
    for name in bindings:
        if not _VARIABLE_NAME.match(name):
            raise ParameterError("VALUES", f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term_to_sparql(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)


def _tokens(sparql: str) -> Iterable[tuple[str, str]]:
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        yield kind, match.group()


def inject_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
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
        ParameterError: when the query has no WHERE group or a value cannot be written.

    >>> inject_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://ex/a")})
    'SELECT * WHERE { VALUES (?s) { (<http://ex/a>) } ?s ?p ?o }'
    """
    block = values_clause(bindings)
    if not block:
        return sparql
    depth_paren = 0
    offset = 0
    seen_where = False
    form: str | None = None
    for kind, token in _tokens(sparql):
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
    raise ParameterError("query", "cannot find the WHERE clause to bind parameters in")


# -- Running --------------------------------------------------------------------------------------


def run_query(
    query: StoredQuery,
    store: Store | Dataset,
    bindings: Mapping[str, Identifier | str] | None = None,
) -> QueryResult:
    """Run a stored query with parameter values bound as RDF terms.

    Args:
        query: the stored query.
        store: a :class:`ictkg.store.Store`, or an rdflib Dataset (queried in memory).
        bindings: parameter name -> text typed by a user or an rdflib term; parameters left
            out stay unbound, which means "all".

    Returns:
        The result, with rdflib terms.

    Raises:
        ParameterError: for an unknown parameter, a missing required one or a bad value.
    """
    from rdflib import Dataset

    from ictkg.store import MemoryStore

    terms = prepare_bindings(query, bindings)
    target: Store = MemoryStore(store) if isinstance(store, Dataset) else store
    return target.query(query.text, terms)


# -- Catalogue ------------------------------------------------------------------------------------


def catalogue_graph(queries: Sequence[StoredQuery], root: Path | None = None) -> Graph:
    """Describe the stored queries as ``sh:SPARQLSelectExecutable`` resources (sparql-examples).

    Args:
        queries: the stored queries.
        root: the project root, so file paths are written relative to it.

    Returns:
        A graph with, per query, its type, ``sh:select`` text (header removed), label,
        comment, keywords, identifier and file path (``ictkg:localPath``).
    """
    graph = bind_namespaces(Graph())
    for query in queries:
        node = KIND["query"][query.id]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, SH.select, Literal(query.body)))
        graph.add((node, RDFS.label, Literal(query.summary, lang="en")))
        if query.description:
            graph.add((node, RDFS.comment, Literal(query.description, lang="en")))
        for tag in query.tags:
            graph.add((node, SCHEMA.keywords, Literal(tag)))
        graph.add((node, DCT.identifier, Literal(query.id)))
        path = query.path
        if root is not None:
            with contextlib.suppress(ValueError):  # outside the root: keep the path as given
                path = query.path.resolve().relative_to(root.resolve())
        graph.add((node, ICTKG.localPath, Literal(path.as_posix())))
    return graph


def add_catalogue(dataset: Dataset, paths: ProjectPaths) -> None:
    """Add the stored-query catalogue to its own named graph (a ``build_dataset`` hook).

    Args:
        dataset: the dataset being built.
        paths: the project layout (for ``queries/``).

    Raises:
        InputError: when a stored query is invalid.
    """
    target = dataset.graph(QUERY_CATALOGUE_GRAPH)
    target += catalogue_graph(load_queries(paths.queries_dir), paths.root)
