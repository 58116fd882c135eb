"""Stored queries: read and check ``queries/NN-slug.rq`` files and find one by what a user typed.

A stored query is a SPARQL 1.1 file with a ``#+`` YAML header (the grlc convention) giving its
summary, description, tags and typed parameters. Binding values is left to
:mod:`ictkg.queries.parameters`; running them to :mod:`ictkg.stores`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ictkg.errors import InputError, UsageError
from ictkg.namespaces import PREFIXES
from ictkg.paths import check_input_file, read_input
from ictkg.queries.headers import header_lines, header_mapping, line_of, strip_header, suggest
from ictkg.queries.parameters import (
    LANG_TAG,
    PARAMETER_TYPES,
    ParameterError,
    QueryParameter,
    parse_parameter,
)
from ictkg.queries.sparql import tokens, where_group, without_comments

__all__ = [
    "HEADER_KEYS",
    "PARAMETER_KEYS",
    "QUERY_FILE",
    "StoredQuery",
    "check_syntax",
    "find_query",
    "load_queries",
    "load_query",
    "parse_header",
    "query_files",
]

HEADER_KEYS: frozenset[str] = frozenset(
    {
        "summary",
        # ictkg's own: the question in Japanese (the project's translation), for the catalogue.
        "summary_ja",
        "title",
        "description",
        "tags",
        "parameters",
        # ictkg's own: the columns that identify a row (tests check the rows are unique on it).
        "row_key",
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
    {"type", "class", "example", "required", "description", "lang", "default"}
)
"""Keys one parameter's declaration may hold."""

QUERY_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.rq$")
"""Stored query file names: ``NN-slug.rq``."""

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAMETER_NAME = re.compile(r"^[A-Za-z0-9]+$")
_GRLC_XSD_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
# grlc's own pattern for a parameter variable (grlc.gquery.get_parameters, 1.3.11): it scans the
# whole file, comments and header included, so ictkg does too.
_GRLC_VARIABLE = re.compile(
    r"\?(?P<required>[_]{1,2})(?P<name>[a-zA-Z0-9]+)"
    r"([_](?P<type>(iri)|(number)|(literal)|(integer)))?"
    r"([_](?P<prefix>[a-zA-Z0-9]+)[_](?P<userdefined>[a-zA-Z0-9]+))?"
    r"([_](?P<lang>[a-zA-Z0-9]+))?"
)


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
    summary_ja: str = ""
    """The question in Japanese (``#+ summary_ja``; the project's translation)."""
    row_key: tuple[str, ...] = ()
    """The result columns that identify a row (``#+ row_key: [topic, event]``): one row per
    meeting and topic, say. Empty means the default: one row per meeting, for every column
    that holds meetings."""

    @property
    def title(self) -> str:
        """The summary (grlc calls it either)."""
        return self.summary

    @property
    def body(self) -> str:
        """The query without its ``#+`` header lines."""
        return strip_header(self.text)


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
        text = read_input(path, "stored query")
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
                line=line_of(lines, rf"^{re.escape(str(key))}\s*:"),
                hint=suggest(str(key), HEADER_KEYS)
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
            line=line_of(lines, r"^tags\s*:"),
            hint="write '#+ tags: [topic, meeting]'",
        )
    body = without_comments(strip_header(text))
    header["parameters"] = _parse_parameters(path, lines, header.get("parameters"))
    _check_variables(path, lines, text, header["parameters"])
    header["row_key"] = _parse_row_key(path, lines, header.get("row_key"), body)
    return header


def _parse_row_key(path: Path, lines: Sequence[str], value: object, body: str) -> tuple[str, ...]:
    """Check ``#+ row_key: [a, b]``: a list of variables the query body uses."""
    if value is None:
        return ()
    line = line_of(lines, r"^row_key\s*:")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InputError(
            path,
            "row_key must be a list of result columns",
            line=line,
            hint="write '#+ row_key: [topic, event]'",
        )
    for name in value:
        if not re.search(rf"[?$]{re.escape(name)}\b", body):
            raise InputError(
                path,
                f"row_key names {name!r}, which the query does not use",
                line=line,
                hint="list SELECT variables without the '?'",
            )
    return tuple(value)


def _parameter(path: Path, line: int, name: object, spec: object) -> QueryParameter:
    if not isinstance(name, str) or not _PARAMETER_NAME.match(name):
        raise InputError(
            path,
            f"parameter name {name!r} is not letters and digits",
            line=line,
            hint="grlc reads a parameter's name from its variable (?__name_iri), letters and "
            "digits only",
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
                hint=suggest(str(key), PARAMETER_KEYS)
                or f"known keys: {', '.join(sorted(PARAMETER_KEYS))}",
            )
    kind = spec.get("type")
    if kind is None:
        raise InputError(
            path,
            f"parameter {name!r} has no type",
            line=line,
            hint=f"add 'type: ...', one of {', '.join(sorted(PARAMETER_TYPES))}",
        )
    if kind not in PARAMETER_TYPES:
        suggestion = suggest(str(kind), PARAMETER_TYPES)
        raise InputError(
            path,
            f"parameter {name!r} has unknown type {kind!r}",
            line=line,
            hint=(suggestion + " " if suggestion else "")
            + f"types: {', '.join(sorted(PARAMETER_TYPES))}",
        )
    lang = spec.get("lang")
    if lang is not None and (
        kind != "string" or not LANG_TAG.match(str(lang)) or not str(lang).isalnum()
    ):
        raise InputError(
            path,
            f"parameter {name!r}: lang {lang!r} needs type string and a language tag of "
            "letters and digits",
            line=line,
            hint="e.g. 'lang: ja' on a string parameter (grlc reads the tag from ?__name_ja)",
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
    classes = _parameter_classes(path, line, name, kind, spec.get("class"))
    param = QueryParameter(
        name=name,
        type=str(kind),
        required=required,
        example=None if example is None else str(example),
        description=str(spec.get("description") or ""),
        lang=None if lang is None else str(lang),
        classes=classes,
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
    return param


def _parameter_classes(
    path: Path, line: int, name: str, kind: object, raw: object
) -> tuple[str, ...]:
    """The classes an IRI parameter's value may be an instance of (``class: ictkg:Meeting`` or a
    list, any of them), as full IRIs."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    hint = "write 'class: ictkg:Meeting' or 'class: [ictkg:Country, ictkg:SupranationalBody]'"
    if kind != "iri" or not items or not all(isinstance(i, str) for i in items):
        raise InputError(
            path,
            f"parameter {name!r}: class needs type iri and one or more CURIEs",
            line=line,
            hint=hint,
        )
    classes = []
    for item in map(str, items):
        prefix, colon, local = item.partition(":")
        if item.startswith("<") and item.endswith(">"):
            classes.append(item[1:-1])
        elif colon and prefix in PREFIXES:
            classes.append(PREFIXES[prefix] + local)
        else:
            raise InputError(
                path,
                f"parameter {name!r}: class {item!r} is not a CURIE with a project prefix",
                line=line,
                hint=suggest(prefix, PREFIXES) or hint,
            )
    return tuple(classes)


def _parse_parameters(path: Path, lines: Sequence[str], raw: object) -> dict[str, QueryParameter]:
    if raw is None:
        return {}
    params_line = line_of(lines, r"^parameters\s*:")
    if not isinstance(raw, dict):
        raise InputError(
            path,
            "parameters must be a mapping of name to declaration",
            line=params_line,
            hint="write '#+ parameters: {topic: {type: iri, example: \"topic:x\"}}'",
        )
    result: dict[str, QueryParameter] = {}
    for name, spec in raw.items():
        line = line_of(lines, rf"\b{re.escape(str(name))}\s*:", default=params_line)
        result[str(name)] = _parameter(path, line, name, spec)
    return result


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_variables(
    path: Path, lines: Sequence[str], text: str, params: Mapping[str, QueryParameter]
) -> None:
    """Check that grlc and ictkg read the same parameters from the query.

    grlc takes every ``?_name…`` or ``?__name…`` in the file as a parameter and writes its
    value as text wherever the variable appears; ictkg writes the same term in the same places
    (:func:`ictkg.queries.sparql.bind_parameters`). So each declared parameter must be read from
    exactly the variable grlc derives from its declaration, every such variable must be
    declared, and the variable may appear only where a constant is valid SPARQL: inside the
    ``WHERE`` group, not as ``BOUND()``'s argument, never assigned.
    """
    for match in _GRLC_VARIABLE.finditer(text):
        name = match["name"]
        line = _line_at(text, match.start())
        param = params.get(name)
        if param is None:
            raise InputError(
                path,
                f"{match[0]} is read by grlc as a parameter {name!r}, which the header does "
                "not declare",
                line=line,
                hint=f"declare {name!r} under '#+ parameters:', or rename the variable so it "
                "does not start with '_'",
            )
        if match[0] != "?" + param.variable:
            kind = ("required" if param.required else "optional") + f" {param.type}"
            raise InputError(
                path,
                f"{match[0]} does not match the declaration of {name!r} ({kind}): grlc "
                f"reads that parameter from ?{param.variable}",
                line=line,
                hint=f"write ?{param.variable}, or change the declaration",
            )
    if not params:
        return
    toks = list(tokens(text))  # once for all parameters
    offsets = [0]
    for _, token in toks:
        offsets.append(offsets[-1] + len(token))
    group = where_group(toks)
    for param in params.values():
        _check_uses(path, lines, text, param, toks, offsets, group)


def _check_uses(
    path: Path,
    lines: Sequence[str],
    text: str,
    param: QueryParameter,
    toks: Sequence[tuple[str, str]],
    offsets: Sequence[int],
    group: tuple[int, int],
) -> None:
    start, end = group
    wanted = "?" + param.variable
    hints = {
        "outside": f"compare it in a FILTER of the WHERE group instead, e.g. 'FILTER(sameTerm("
        f"?{param.name}, COALESCE({wanted}, ?{param.name})))', and project ?{param.name}",
        "bound": f"ask 'sameTerm(COALESCE({wanted}, rdf:nil), rdf:nil)' (true when it was left "
        "out) instead",
        "assigned": "a parameter must only be read; assign to another variable",
    }
    used = False
    paren = 0
    for index, (kind, token) in enumerate(toks):
        if kind == "other" and token in "()":
            paren += 1 if token == "(" else -1
        if kind != "variable" or token[1:] != param.variable:
            continue
        used = True
        line = _line_at(text, offsets[index])
        if token != wanted:
            raise InputError(path, f"write {wanted}, not {token}: grlc reads only '?'", line=line)
        before = [t.upper() for k, t in toks[max(0, index - 6) : index] if not t.isspace()]
        if not start < index < end and paren == 0:
            problem, fix = "is a plain variable outside the WHERE group", "outside"
        elif before[-2:] == ["BOUND", "("]:
            problem, fix = "is the argument of BOUND()", "bound"
        elif before[-1:] == ["AS"]:
            problem, fix = "is assigned with AS", "assigned"
        else:
            continue
        raise InputError(
            path,
            f"parameter {param.name!r}: {wanted} {problem}; grlc writes the value there as "
            "text, which is not valid SPARQL",
            line=line,
            hint=hints[fix],
        )
    if not used:
        raise InputError(
            path,
            f"parameter {param.name!r} is declared but the query never reads {wanted}",
            line=line_of(lines, rf"\b{re.escape(param.name)}\s*:"),
            hint=f"read it in the WHERE group, e.g. 'FILTER(sameTerm(?{param.name}, "
            f"COALESCE({wanted}, ?{param.name})))', or remove the declaration",
        )
    if param.type == "integer" and _GRLC_XSD_PREFIX not in text:
        raise InputError(
            path,
            f"parameter {param.name!r} is an xsd:integer: grlc adds its own xsd prefix before "
            "every SELECT (comments and sub-queries too) unless the query declares it exactly so",
            line=line_of(lines, rf"\b{re.escape(param.name)}\s*:"),
            hint=f"declare '{_GRLC_XSD_PREFIX}' (one space after the colon)",
        )


def check_syntax(query: StoredQuery) -> None:
    """Parse the query with Oxigraph (about 0.2 ms); ``ictkg build`` does it for every query.

    Args:
        query: the stored query.

    Raises:
        InputError: naming the file, line and column of a syntax error.
        PolicyError: when the query would reach the network (SERVICE, LOAD, FROM).
    """
    import pyoxigraph

    from ictkg.queries.sparql import check_policy, oxigraph_syntax_error

    check_policy(query.text, str(query.path))
    try:
        # Parsing happens here; an empty store makes evaluation immediate and harmless.
        pyoxigraph.Store().query(query.text)
    except SyntaxError as exc:
        raise oxigraph_syntax_error(
            exc, str(query.path), "the stored query must be valid SPARQL 1.1"
        ) from exc


def load_query(path: Path | str, *, syntax: bool = False) -> StoredQuery:
    """Read and check one stored query file.

    Args:
        path: the ``.rq`` file.
        syntax: also check the SPARQL syntax (:func:`check_syntax`).

    Returns:
        The stored query.

    Raises:
        InputError: when the header is invalid (or, with ``syntax``, the query does not parse).
    """
    path = Path(path)
    text = read_input(path, "stored query")
    header = parse_header(path, text)
    summary = str(header.get("summary", header.get("title", ""))).strip()
    query = StoredQuery(
        id=path.stem,
        path=path,
        summary=" ".join(summary.split()),
        description=" ".join(str(header.get("description") or "").split()),
        parameters=MappingProxyType(dict(header["parameters"])),
        tags=tuple(str(t) for t in header.get("tags", [])),
        text=text,
        row_key=header["row_key"],
        summary_ja=" ".join(str(header.get("summary_ja") or "").split()),
    )
    if syntax:
        check_syntax(query)
    return query


def query_files(folder: Path | str) -> list[Path]:
    """List the stored query files in ``folder`` (not its sub-folders), sorted by name.

    Raises:
        InputError: when a ``.rq`` file is not named ``NN-slug.rq``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.rq"))
    for path in files:
        check_input_file(path, "stored query", root=folder)
        if not QUERY_FILE.match(path.name):
            raise InputError(
                path,
                "stored query file names must look like NN-slug.rq",
                hint="e.g. 30-my-question.rq (two digits, lower-case words joined by '-')",
            )
    return files


def load_queries(folder: Path | str, *, syntax: bool = False) -> list[StoredQuery]:
    """Read every ``NN-slug.rq`` file in ``folder`` (not its sub-folders), sorted by name.

    Args:
        folder: usually ``queries/``.
        syntax: also check each query's SPARQL syntax.

    Returns:
        The stored queries (empty when the folder does not exist).

    Raises:
        InputError: when a file is misnamed, its header is invalid or (with ``syntax``) it does
            not parse.
    """
    return [load_query(path, syntax=syntax) for path in query_files(folder)]


def _match(name: str, stem: str) -> bool:
    number, _, slug = stem.partition("-")
    if name.isascii() and name.isdigit() and len(name) <= 3:
        return int(name) == int(number)  # "2" finds 02-…
    return name in (stem, slug)


def find_query(name_or_path: str | Path, queries: Sequence[StoredQuery] | Path) -> StoredQuery:
    """Find a stored query by id (``01-meetings-by-topic``), number (``01``), slug or file path.

    Args:
        name_or_path: what the user typed.
        queries: the loaded queries, or the folder holding them (then only the file that
            matches is read, which is what ``ictkg query`` does to start quickly).

    Returns:
        The query.

    Raises:
        UsageError: when nothing matches, suggesting the closest names.
        InputError: when the file that matches is invalid.
    """
    text = str(name_or_path)
    candidate = Path(text)
    if isinstance(queries, Path):
        paths = query_files(queries)
        if candidate.suffix == ".rq" and candidate.is_file():
            return load_query(candidate)
        name = candidate.stem if candidate.suffix == ".rq" else text
        for path in paths:
            if _match(name, path.stem):
                return load_query(path)
        stems = [p.stem for p in paths]
    else:
        if candidate.suffix == ".rq" and candidate.is_file():
            resolved = candidate.resolve()
            for query in queries:
                if query.path.resolve() == resolved:
                    return query
            return load_query(candidate)
        name = candidate.stem if candidate.suffix == ".rq" else text
        for query in queries:
            if _match(name, query.id):
                return query
        stems = [q.id for q in queries]
    slugs = {s.partition("-")[2]: s for s in stems}
    close = difflib.get_close_matches(name, stems, n=3, cutoff=0.4)
    close += [slugs[s] for s in difflib.get_close_matches(name, list(slugs), n=3, cutoff=0.4)]
    unique = list(dict.fromkeys(close))[:3]
    hint = (
        f"did you mean {', '.join(unique)}?"
        if unique
        else "run 'ictkg queries' to list the stored queries"
    )
    raise UsageError(f"{text}: no stored query of that name", hint=hint)
