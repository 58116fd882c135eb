"""Typed parameters of stored queries: turn what a user typed into a validated RDF term.

A value is parsed by its declared type (IRI or CURIE, string with an optional language, date at
its precision, integer) into a pyoxigraph term, which the stores bind as a term, never as text.
An IRI parameter may also be given a name (a label), which :func:`prepare_values` keeps as a
:class:`ResourceName` for the store to resolve (:func:`ictkg.stores.names.resolve_bindings`).
Finding and running queries is left to :mod:`ictkg.queries.files` and :mod:`ictkg.stores`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ictkg.errors import UsageError
from ictkg.namespaces import LABEL_LANGUAGES, PREFIXES, XSD_NS
from ictkg.periods import PRECISION, lexical_period
from ictkg.queries.headers import suggest

if TYPE_CHECKING:
    from ictkg.queries.files import StoredQuery

__all__ = [
    "PARAMETER_TYPES",
    "Binding",
    "ParameterError",
    "QueryParameter",
    "ResourceName",
    "Value",
    "example_bindings",
    "iri_from_text",
    "is_name",
    "parse_parameter",
    "prepare_bindings",
    "prepare_values",
    "variable_bindings",
]

PARAMETER_TYPES: frozenset[str] = frozenset({"iri", "string", "date", "integer"})
"""The parameter types a header may declare."""

Binding = ox.NamedNode | ox.Literal
"""A term a parameter can be bound to."""


@dataclass(frozen=True)
class ResourceName:
    """The value of an IRI parameter written as a name (``France``, ``フランス``), not as an IRI
    or CURIE: only the store can say which resource it means."""

    text: str
    """What the user typed, stripped."""


Value = Binding | ResourceName
"""A checked parameter value: a term, or a name still to be resolved against the store."""

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
"""A BCP 47 language tag, as SPARQL and Turtle allow it."""
_INTEGER = re.compile(r"^[+-]?[0-9]+$", re.ASCII)
_DATE_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII), XSD_NS + "date"),
    (re.compile(r"^(\d{4})-(\d{2})$", re.ASCII), XSD_NS + "gYearMonth"),
    (re.compile(r"^(\d{4})$", re.ASCII), XSD_NS + "gYear"),
)
_XSD_INTEGER = ox.NamedNode(XSD_NS + "integer")
_MAX_INTEGER_DIGITS = 18
"""Longer integers are refused: no question here needs one, and Python refuses to convert
more than 4,300 digits (a 5,000-digit value used to end in an internal error)."""
_XSD_STRING = XSD_NS + "string"


class ParameterError(UsageError):
    """A parameter value or name given for a stored query is not acceptable (exit code 2)."""

    def __init__(self, where: str, message: str, *, hint: str | None = None) -> None:
        """Create the error.

        Args:
            where: what to name, e.g. ``--param topic`` or the stored query.
            message: what is wrong.
            hint: how to fix it.
        """
        self.where = where
        """What the error is about: ``--param <name>`` or the stored query's id."""
        super().__init__(message, hint=hint)

    @property
    def location(self) -> str:
        """The parameter or query at fault."""
        return self.where


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
    classes: tuple[str, ...] = ()
    """For ``iri`` parameters: the classes (full IRIs) a value may be an instance of, any of
    them (``#+ ... class: ictkg:Meeting``); empty means any resource."""

    @property
    def variable(self) -> str:
        """The variable the query reads the value from, named as grlc expects (without ``?``).

        grlc (the BASIL convention) takes a parameter from a variable's name: one leading
        ``_`` for a required parameter, two for an optional one, then the name and a suffix for
        the kind of term it substitutes: ``_iri`` for an IRI, ``_integer`` for an xsd:integer, a
        language tag for a tagged string, none for a plain string. Dates have no suffix: ictkg
        accepts a year, a month or a day, grlc one datatype per variable, so grlc writes a plain
        string and the queries compare dates by ``STR()``, which reads both the same.

        >>> QueryParameter("topic", "iri").variable
        '__topic_iri'
        >>> QueryParameter("year", "integer", required=True).variable
        '_year_integer'
        """
        suffix = {"iri": "_iri", "integer": "_integer"}.get(self.type, "")
        if self.type == "string" and self.lang:
            suffix = "_" + self.lang
        return ("_" if self.required else "__") + self.name + suffix


def _check_iri(value: str, where: str, param: str) -> ox.NamedNode:
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
            hint="write a CURIE such as topic:security or country:fr, or a full IRI; "
            "Project.query and `ictkg query` also take a label (France, フランス)",
        )
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise ParameterError(where, f"parameter {param!r}: {value!r} is not a valid IRI") from exc


def is_name(text: str) -> bool:
    """Whether the value of an IRI parameter is a name rather than an IRI: not ``<…>``, not a
    CURIE with a project prefix, not an absolute IRI with ``://`` and not a ``urn:``.

    So ``tpoic:security`` (an unknown prefix) is a name, which then fails to resolve and
    suggests ``topic:security``, rather than the IRI of a scheme nobody uses.

    >>> is_name("France"), is_name("フランス"), is_name("tpoic:security")
    (True, True, True)
    >>> is_name("country:fr"), is_name("<urn:x>"), is_name("https://example.org/x")
    (False, False, False)
    """
    value = text.strip()
    if not value or (value.startswith("<") and value.endswith(">")):
        return False
    prefix, colon, _local = value.partition(":")
    if colon and prefix in PREFIXES:
        return False
    return not ("://" in value or value.startswith("urn:"))


def _parse_iri(value: str, where: str, param: str) -> ox.NamedNode:
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


def iri_from_text(value: str) -> ox.NamedNode:
    """The IRI that ``<iri>``, an absolute IRI or a CURIE with a project prefix writes, checked
    as an IRI parameter's value is.

    Raises:
        ParameterError: when the text is none of these, or not a valid IRI.
    """
    return _parse_iri(value.strip(), "value", "value")


def _parse_date(value: str, where: str, param: str) -> ox.Literal:
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
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    raise ParameterError(
        where,
        f"parameter {param!r}: {value!r} is not a date",
        hint="write YYYY (xsd:gYear), YYYY-MM (xsd:gYearMonth) or YYYY-MM-DD (xsd:date)",
    )


def _check_string(value: str, where: str, param: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParameterError(
            where, f"parameter {param!r}: the value is not valid Unicode text"
        ) from exc


def parse_parameter(param: QueryParameter, raw_value: str, *, where: str = "") -> Binding:
    """Turn a value typed by a user into the RDF term the parameter's type calls for.

    Args:
        param: the declared parameter.
        raw_value: the text, e.g. ``topic:security``, ``2012-10``, ``42`` or any string.
        where: what to name in errors (default: ``--param <name>``).

    Returns:
        A NamedNode (iri), a Literal with the declared language or none (string), an
        xsd:date / xsd:gYearMonth / xsd:gYear literal (date) or an xsd:integer literal.

    Raises:
        ParameterError: when the value does not fit the type.

    >>> parse_parameter(QueryParameter("topic", "iri"), "topic:security")
    <NamedNode value=https://w3id.org/ictkg/id/topic/security>
    >>> parse_parameter(QueryParameter("d", "date"), "2012-10")
    <Literal value=2012-10 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYearMonth>>
    """
    where = where or f"--param {param.name}"
    if param.type == "iri":
        return _parse_iri(raw_value.strip(), where, param.name)
    if param.type == "string":
        _check_string(raw_value, where, param.name)
        return ox.Literal(raw_value, language=param.lang) if param.lang else ox.Literal(raw_value)
    if param.type == "date":
        return _parse_date(raw_value.strip(), where, param.name)
    if param.type == "integer":
        value = raw_value.strip()
        if not _INTEGER.match(value):
            raise ParameterError(
                where,
                f"parameter {param.name!r}: {raw_value[:40]!r} is not an integer",
                hint="write digits only, e.g. 2012",
            )
        if len(value.lstrip("+-")) > _MAX_INTEGER_DIGITS:
            raise ParameterError(
                where,
                f"parameter {param.name!r}: an integer of {len(value.lstrip('+-'))} digits is "
                f"too long (at most {_MAX_INTEGER_DIGITS})",
                hint="write the number the query asks for, e.g. 2012",
            )
        return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)
    raise ParameterError(where, f"parameter {param.name!r} has unknown type {param.type!r}")


def _from_rdflib(value: Any, where: str, param: str) -> Any:
    """Convert an rdflib term given by a library caller (:func:`ictkg.model.terms.to_oxigraph`);
    anything else is returned as it is. rdflib is never imported here: a caller holding an
    rdflib term has loaded it already."""
    term_module = sys.modules.get("rdflib.term")
    if term_module is None or not isinstance(value, term_module.Identifier):
        return value
    from ictkg.model.terms import to_oxigraph

    try:
        return to_oxigraph(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(where, f"parameter {param!r}: {value!r} is not a valid term") from exc


def _check_term(param: QueryParameter, term: Any, where: str) -> Binding:
    """Validate a term given directly (not as text) against the parameter's type."""
    if param.type == "iri":
        if not isinstance(term, ox.NamedNode):
            raise ParameterError(where, f"parameter {param.name!r} needs an IRI, not {term!r}")
        return _check_iri(term.value, where, param.name)
    if not isinstance(term, ox.Literal):
        raise ParameterError(where, f"parameter {param.name!r} needs a literal, not {term!r}")
    if param.type == "string":
        plain = term.datatype.value == _XSD_STRING and not term.language
        tagged = bool(term.language)  # pyoxigraph refuses an invalid tag when the term is made
        if not (plain or tagged):
            raise ParameterError(where, f"parameter {param.name!r} needs a plain string literal")
        _check_string(term.value, where, param.name)
        return term
    if param.type == "date":
        parsed = _parse_date(term.value, where, param.name)
        if term.datatype.value not in (_XSD_STRING, parsed.datatype.value):
            raise ParameterError(where, f"parameter {param.name!r}: datatype does not fit")
        return parsed
    return parse_parameter(param, term.value, where=where)


def prepare_bindings(query: StoredQuery, values: Mapping[str, Any] | None) -> dict[str, Binding]:
    """Check names and types of parameter values and turn them into RDF terms.

    Nothing is looked up: an IRI parameter needs an IRI or CURIE here (names need the store:
    see :func:`prepare_values`), and an IRI the graph lacks is bound as given.

    Args:
        query: the stored query.
        values: parameter name -> text typed by a user, or a pyoxigraph or rdflib term.

    Returns:
        Parameter name -> validated term.

    Raises:
        ParameterError: for an unknown name, a missing required parameter or a bad value.
    """
    prepared = _prepare(query, values, names=False)
    return {name: value for name, value in prepared.items() if not isinstance(value, ResourceName)}


def prepare_values(query: StoredQuery, values: Mapping[str, Any] | None) -> dict[str, Value]:
    """As :func:`prepare_bindings`, but the value of an IRI parameter may be a name (see
    :func:`is_name`), kept as a :class:`ResourceName` for the store to resolve.

    >>> from ictkg.queries.files import load_query
    >>> from ictkg.paths import default_paths
    >>> query = load_query(default_paths().queries_dir / "18-topics-per-partner.rq")
    >>> prepare_values(query, {"partner": "France"})
    {'partner': ResourceName(text='France')}

    Raises:
        ParameterError: as :func:`prepare_bindings`.
    """
    return _prepare(query, values, names=True)


def _prepare(
    query: StoredQuery, values: Mapping[str, Any] | None, *, names: bool
) -> dict[str, Value]:
    prepared: dict[str, Value] = {}
    for name, given in (values or {}).items():
        param = query.parameters.get(name)
        if param is None:
            known = ", ".join(query.parameters) or "none"
            suggestion = suggest(name, query.parameters)
            raise ParameterError(
                f"--param {name}",
                f"{query.id} has no parameter {name!r}",
                hint=(suggestion + " " if suggestion else "") + f"its parameters: {known}",
            )
        where = f"--param {name}"
        value = _from_rdflib(given, where, name)
        if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
            prepared[name] = _check_term(param, value, where)
        elif isinstance(value, str):
            if names and param.type == "iri" and is_name(value):
                prepared[name] = ResourceName(value.strip())
            else:
                prepared[name] = parse_parameter(param, value, where=where)
        else:
            raise ParameterError(where, f"parameter {name!r}: cannot use {value!r} as a value")
    terms = {n: v for n, v in prepared.items() if not isinstance(v, ResourceName)}
    _check_range(query, terms)
    _check_label_language(query, terms)
    for param in query.parameters.values():
        if param.required and param.name not in prepared:
            raise ParameterError(
                query.id,
                f"{query.id} needs a value for parameter {param.name!r}",
                hint=f"add --param {param.name}=<{param.type}>"
                + (f", e.g. {param.example}" if param.example else ""),
            )
    return prepared


def _check_range(query: StoredQuery, bindings: Mapping[str, Binding]) -> None:
    """A ``from`` date after the ``to`` date is a mistake, not a question with no answer."""
    start, end = bindings.get("from"), bindings.get("to")
    if not (isinstance(start, ox.Literal) and isinstance(end, ox.Literal)):
        return
    if "from" not in query.parameters or query.parameters["from"].type != "date":
        return
    first = lexical_period(start.value, PRECISION[start.datatype.value])
    last = lexical_period(end.value, PRECISION[end.datatype.value])
    if first is not None and last is not None and first.start > last.end:
        raise ParameterError(
            "--param from",
            f"{query.id}: the range is reversed: from={start.value} begins after "
            f"to={end.value} ends",
            hint=f"swap them: --param from={end.value} --param to={start.value}",
        )


def _check_label_language(query: StoredQuery, bindings: Mapping[str, Binding]) -> None:
    """A label language the data does not have would give empty label columns, or (``*``) every
    label of every language: both are mistakes, not questions."""
    given = bindings.get("lang")
    param = query.parameters.get("lang")
    if param is None or param.type != "string" or not isinstance(given, ox.Literal):
        return
    if given.value not in LABEL_LANGUAGES:
        raise ParameterError(
            "--param lang",
            f"{query.id}: the data has no labels in {given.value!r}",
            hint="use " + " or ".join(LABEL_LANGUAGES) + " (or --lang)",
        )


def variable_bindings(query: StoredQuery, bindings: Mapping[str, Binding]) -> dict[str, Binding]:
    """Key validated terms by the variable each parameter is read from (see
    :attr:`QueryParameter.variable`), as the stores bind them.

    >>> from ictkg.queries.files import load_query
    >>> from ictkg.paths import default_paths
    >>> query = load_query(default_paths().queries_dir / "01-meetings-by-topic.rq")
    >>> variable_bindings(query, {"topic": ox.NamedNode("https://w3id.org/ictkg/id/topic/x")})
    {'__topic_iri': <NamedNode value=https://w3id.org/ictkg/id/topic/x>}
    """
    return {query.parameters[name].variable: term for name, term in bindings.items()}


def example_bindings(query: StoredQuery) -> dict[str, Binding]:
    """Return the bindings given by the examples in the query's header."""
    return prepare_bindings(
        query, {p.name: p.example for p in query.parameters.values() if p.example is not None}
    )
