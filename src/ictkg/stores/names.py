"""Find the resource a person means: by IRI, by CURIE with a project prefix, or by one of its
labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, in any language, ignoring case and
character width), whole or by an unambiguous prefix; and check that a resource given by IRI is in
the graph and of the class a stored-query parameter expects.

Works on any :class:`~ictkg.stores.base.Store` through SPARQL alone (a name is bound as a
literal, never pasted into the query, or matched in Python against the labels read back), so a
name resolves the same way on rdflib, Oxigraph and a remote endpoint. What to do with the
resource is left to the caller.

Example::

    from ictkg import Project
    from ictkg.stores.names import resolve_name

    store = Project().open_store()
    resolve_name(store, "19th Japan-EU ICT Policy Dialogue")  # meeting:jp-eu-ict-policy-dialogue-19
    resolve_name(store, "フランス", ICTKG_NS + "Country")      # country:fr
    resolve_name(store, "Fran", [ICTKG_NS + "Country"])        # country:fr, by prefix
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ictkg.errors import UsageError
from ictkg.namespaces import PREFIXES, RDFS_NS, curie
from ictkg.queries.files import StoredQuery
from ictkg.queries.parameters import (
    Binding,
    ParameterError,
    ResourceName,
    Value,
    iri_from_text,
    is_name,
)
from ictkg.queries.search import normalize
from ictkg.queries.sparql import term_to_sparql
from ictkg.stores.base import Store

__all__ = [
    "AmbiguousNameError",
    "Candidate",
    "NameResolutionError",
    "UnknownNameError",
    "WrongClassError",
    "check_resource",
    "parse_iri",
    "resolve_bindings",
    "resolve_name",
]

_LABEL_PROPERTIES = "rdfs:label skos:prefLabel skos:altLabel"

_PROLOGUE = (
    f"PREFIX rdfs: <{RDFS_NS}>\n"
    f"PREFIX skos: <{PREFIXES['skos']}>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)

_BY_LABEL = (
    _PROLOGUE
    + f"""SELECT DISTINCT ?resource WHERE {{
  VALUES ?property {{ {_LABEL_PROPERTIES} }}
  ?resource ?property ?label .
  FILTER(isIRI(?resource))
  FILTER(LCASE(STR(?label)) = LCASE(?name))
}}"""
)

_ALL_LABELS = (
    _PROLOGUE
    + f"""SELECT DISTINCT ?resource ?label WHERE {{
  VALUES ?property {{ {_LABEL_PROPERTIES} }}
  ?resource ?property ?label .
  FILTER(isIRI(?resource))
}}"""
)

SUGGESTIONS = 5
"""How many close matches an unknown name suggests."""

Classes = str | Sequence[str] | None
"""The class (IRI) a resource must be an instance of, or several (any of them), or None (any)."""

_Pool = dict[str, list[str]]
"""Resource IRI -> its labels (any language): what a name is matched against."""


@dataclass(frozen=True)
class Candidate:
    """A resource a name might mean."""

    iri: str
    """The resource's IRI."""
    label: str
    """Its label in the language asked for (or any label; empty when it has none)."""

    @property
    def name(self) -> str:
        """The CURIE (or ``<iri>``) a user can type to mean exactly this resource."""
        return curie(self.iri) or f"<{self.iri}>"

    def __str__(self) -> str:
        return f"{self.name} ({self.label})" if self.label else self.name


class NameResolutionError(UsageError):
    """A name does not pick out exactly one resource; :attr:`candidates` says what it might
    mean (exit code 2, a usage error)."""

    def __init__(
        self,
        message: str,
        candidates: Sequence[Candidate],
        *,
        hint: str | None = None,
        where: str | None = None,
    ) -> None:
        self.candidates: tuple[Candidate, ...] = tuple(candidates)
        """The resources the name may mean (ambiguous) or comes closest to (unknown)."""
        self.where = where
        """What the name was given for, e.g. ``--param partner`` (None: no location)."""
        super().__init__(message, hint=hint)

    @property
    def location(self) -> str | None:
        """The parameter the name was given for, when there is one."""
        return self.where


class AmbiguousNameError(NameResolutionError):
    """A label (or the prefix of labels) that several resources carry."""


class UnknownNameError(NameResolutionError):
    """A name or IRI no resource of the graph (of the expected class) has."""


class WrongClassError(UnknownNameError):
    """An IRI of the graph whose resource is not of the expected class; :attr:`types` says
    what it is."""

    def __init__(
        self,
        message: str,
        candidates: Sequence[Candidate],
        types: Sequence[str],
        *,
        hint: str | None = None,
        where: str | None = None,
    ) -> None:
        self.types: tuple[str, ...] = tuple(types)
        """The resource's classes (IRIs, the inferred closure included)."""
        super().__init__(message, candidates, hint=hint, where=where)


def parse_iri(text: str) -> ox.NamedNode | None:
    """The IRI ``text`` writes, as ``<iri>``, an absolute IRI or a CURIE with a project prefix;
    None when it is none of these (so it may be a label).

    >>> parse_iri("meeting:jp-us-ied-4").value
    'https://w3id.org/ictkg/id/meeting/jp-us-ied-4'
    >>> parse_iri("<https://w3id.org/ictkg/id/country/fr>").value
    'https://w3id.org/ictkg/id/country/fr'
    >>> parse_iri("Japan") is None, parse_iri("日EU: 対話") is None, parse_iri("tpoic:x") is None
    (True, True, True)
    """
    text = text.strip()
    if is_name(text):
        return None
    try:
        return iri_from_text(text)  # the parameters' own IRI reading
    except ParameterError:
        return None


def _class_list(expected: Classes) -> tuple[str, ...]:
    if expected is None:
        return ()
    if isinstance(expected, str):
        return (expected,)
    return tuple(expected)


def _class_names(classes: Sequence[str]) -> str:
    """``ictkg:Country or ictkg:SupranationalBody``."""
    return " or ".join(curie(c) or f"<{c}>" for c in classes)


def _exists(store: Store, iri: ox.NamedNode) -> bool:
    term = term_to_sparql(iri)
    sparql = (
        f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} "
        f"UNION {{ GRAPH {term} {{ ?s ?p ?o }} }} }}"
    )
    return bool(store.query(sparql).boolean)


def _types(store: Store, iri: ox.NamedNode) -> list[str]:
    result = store.query(f"SELECT DISTINCT ?type WHERE {{ {term_to_sparql(iri)} a ?type }}")
    return sorted({t.value for t in result.column("type") if isinstance(t, ox.NamedNode)})


def _instances_sparql(classes: Sequence[str]) -> str:
    """The resources of any of the classes and their labels (each class a UNION branch: no
    VALUES block, which some engines mishandle next to an OPTIONAL; docs/engines.md)."""
    union = " UNION ".join(f"{{ ?resource a {term_to_sparql(ox.NamedNode(c))} }}" for c in classes)
    return (
        _PROLOGUE
        + f"""SELECT DISTINCT ?resource ?label WHERE {{
  {union}
  FILTER(isIRI(?resource))
  OPTIONAL {{ ?resource rdfs:label|skos:prefLabel|skos:altLabel ?label }}
}}"""
    )


def _pool(store: Store, classes: Sequence[str]) -> _Pool:
    """Every resource of the classes (every labelled resource when there are none) with its
    labels."""
    result = store.query(_instances_sparql(classes) if classes else _ALL_LABELS)
    pool: _Pool = {}
    for row in result.rows:
        resource, label = row
        if not isinstance(resource, ox.NamedNode):
            continue
        labels = pool.setdefault(resource.value, [])
        if isinstance(label, ox.Literal):
            labels.append(label.value)
    return pool


def _matches(pool: _Pool, wanted: str) -> list[str]:
    """The resources a label of which is ``wanted`` (NFKC, case folded); failing that, those
    a label of which starts with it."""
    key = normalize(wanted)
    if not key:
        return []
    exact = sorted(iri for iri, labels in pool.items() if any(normalize(x) == key for x in labels))
    if exact:
        return exact
    return sorted(
        iri for iri, labels in pool.items() if any(normalize(x).startswith(key) for x in labels)
    )


def _closest_in(pool: _Pool, text: str) -> list[str]:
    """The resources whose label, CURIE or IRI comes closest to ``text``: the same ignoring
    case first (``country:FR``), then those containing it, then :mod:`difflib`'s choice."""
    names: dict[str, set[str]] = {}
    for iri, labels in pool.items():
        keys = {normalize(x) for x in labels}
        short = curie(iri)
        keys.add(normalize(short) if short else iri.casefold())
        for key in keys:
            names.setdefault(key, set()).add(iri)
    wanted = normalize(text.strip().strip("<>"))
    expanded = _expand_mistyped_prefix(text)
    ordered: list[str] = []
    if expanded:
        ordered.append(normalize(expanded))
    if wanted in names:  # the same but for case or width: that is what was meant
        return sorted(names[wanted])[:SUGGESTIONS]
    contained = sorted((k for k in names if wanted and wanted in k and k != wanted), key=len)
    ordered += contained
    ordered += difflib.get_close_matches(wanted, list(names), n=SUGGESTIONS, cutoff=0.6)
    found: list[str] = []
    for key in ordered:
        for iri in sorted(names.get(key, ())):
            if iri not in found:
                found.append(iri)
    return found[:SUGGESTIONS]


def _mistyped_prefix(text: str) -> tuple[str, str] | None:
    """``(typed, meant)`` when ``text`` looks like a CURIE whose prefix is a typo of a project
    prefix (``tpoic:security``: ``("tpoic", "topic")``)."""
    prefix, colon, local = text.strip().partition(":")
    if not colon or not local or local.startswith("//") or prefix in PREFIXES:
        return None
    if not prefix.replace("-", "").replace("_", "").isalnum() or not prefix.isascii():
        return None
    close = difflib.get_close_matches(prefix.lower(), list(PREFIXES), n=1, cutoff=0.6)
    return (prefix, close[0]) if close else None


def _expand_mistyped_prefix(text: str) -> str | None:
    typo = _mistyped_prefix(text)
    if typo is None:
        return None
    return f"{typo[1]}:{text.strip().partition(':')[2]}"


def candidates(store: Store, iris: Sequence[str], lang: str = "en") -> list[Candidate]:
    """Each IRI with its ``rdfs:label`` in ``lang`` (else any label), in IRI order."""
    if not iris:
        return []
    values = " ".join(term_to_sparql(ox.NamedNode(iri)) for iri in iris)
    result = store.query(
        _PROLOGUE + f"SELECT ?resource ?label WHERE {{ VALUES ?resource {{ {values} }} "
        "?resource rdfs:label ?label }"
    )
    labels: dict[str, list[ox.Literal]] = {}
    for row in result.rows:
        resource, label = row
        if isinstance(resource, ox.NamedNode) and isinstance(label, ox.Literal):
            labels.setdefault(resource.value, []).append(label)
    out = []
    for iri in sorted(iris):
        found = sorted(labels.get(iri, []), key=lambda lit: (lit.language != lang, lit.value))
        out.append(Candidate(iri, found[0].value if found else ""))
    return out


def _in_order(store: Store, iris: Sequence[str], lang: str) -> list[Candidate]:
    by_iri = {c.iri: c for c in candidates(store, iris, lang)}
    return [by_iri[iri] for iri in iris]


def _suggest(close: Sequence[Candidate], classes: Sequence[str] = ()) -> str:
    if close:
        return "did you mean " + "; ".join(str(c) for c in close) + "?"
    if classes:
        return f"give the label (English or Japanese), CURIE or IRI of an {_class_names(classes)}"
    return "give a label (English or Japanese), a CURIE such as country:fr, or an IRI"


def _advice(
    store: Store, pool: _Pool, wanted: str, classes: Sequence[str], lang: str
) -> tuple[list[Candidate], str]:
    """The closest candidates and the hint naming them; when nothing is close and a class is
    expected, a few of its resources as examples instead."""
    close = _in_order(store, _closest_in(pool, wanted), lang)
    if close or not classes:
        return close, _suggest(close, classes)
    examples = _in_order(store, sorted(pool)[:SUGGESTIONS], lang)
    hint = _suggest((), classes)
    if examples:
        hint += ", e.g. " + "; ".join(str(c) for c in examples)
    return close, hint


def _unknown(
    store: Store,
    wanted: str,
    message: str,
    classes: Sequence[str],
    lang: str,
    where: str | None,
    pool: _Pool | None = None,
) -> UnknownNameError:
    pool = _pool(store, classes) if pool is None else pool
    close, hint = _advice(store, pool, wanted, classes, lang)
    typo = _mistyped_prefix(wanted)
    if typo is not None:
        message += f" ({typo[0]}: is not a project prefix; {typo[1]}: is)"
    return UnknownNameError(message, close, hint=hint, where=where)


def check_resource(
    store: Store,
    iri: ox.NamedNode,
    expected_class: Classes = None,
    *,
    lang: str = "en",
    where: str | None = None,
    text: str | None = None,
) -> ox.NamedNode:
    """Check that ``iri`` is a resource of the graph (a subject, object or graph name) and, when
    classes are given, an instance of one of them (``rdf:type``, the inferred closure included).

    Args:
        store: where to look.
        iri: the resource.
        expected_class: the class or classes (IRIs; any of them); None for any resource.
        lang: the language of the labels shown with suggestions.
        where: what to name in errors (``--param partner``).
        text: how the user wrote it (``country:FR``), for messages and suggestions.

    Returns:
        ``iri``.

    Raises:
        WrongClassError: when it is in the graph but of none of the classes.
        UnknownNameError: when it is not in the graph (the closest resources are suggested).
    """
    classes = _class_list(expected_class)
    shown = text or curie(iri.value) or f"<{iri.value}>"
    if classes:
        types = _types(store, iri)
        if set(types) & set(classes):
            return iri
        if types:
            names = ", ".join(curie(t) or f"<{t}>" for t in types[:4])
            close, hint = _advice(store, _pool(store, classes), shown, classes, lang)
            raise WrongClassError(
                f"{shown} is a {names}, not an {_class_names(classes)}",
                close,
                types,
                hint=hint,
                where=where,
            )
    if _exists(store, iri):
        if not classes:
            return iri
        close, hint = _advice(store, _pool(store, classes), shown, classes, lang)
        raise WrongClassError(
            f"{shown} has no rdf:type, so it is not an {_class_names(classes)}",
            close,
            (),
            hint=hint,
            where=where,
        )
    raise _unknown(store, shown, f"{shown} is not in the graph", classes, lang, where)


def resolve_name(
    store: Store,
    text: str,
    expected_class: Classes = None,
    *,
    lang: str = "en",
    where: str | None = None,
) -> ox.NamedNode:
    """The one resource ``text`` names: an IRI (``<…>`` or absolute), a CURIE with a project
    prefix, or a label, alternative label or preferred label in any language, ignoring case and
    character width (NFKC), whole or, when no label is, an unambiguous prefix of one.

    Args:
        store: where to look (the union of its graphs).
        text: what the user typed.
        expected_class: when given, only resources of this class (its IRI) or of one of these
            classes count; the inferred graph's type closure makes superclasses work too.
        lang: the language of the labels shown with candidates.
        where: what to name in errors (``--param partner``); None names nothing.

    Returns:
        The resource's IRI.

    Raises:
        AmbiguousNameError: when several resources carry the label, or labels starting with
            it and none carries it whole (the candidates are listed).
        WrongClassError: an IRI or CURIE of a resource of none of the classes.
        UnknownNameError: when nothing (of the classes) has that IRI or name (the closest names
            are suggested).
    """
    wanted = text.strip()
    classes = _class_list(expected_class)
    if not wanted:
        raise UnknownNameError(
            "an empty name names nothing", (), hint=_suggest((), classes), where=where
        )
    iri = parse_iri(wanted)
    if iri is not None:
        return check_resource(store, iri, classes, lang=lang, where=where, text=wanted)
    if not classes:
        # Any resource: a whole label is found by the engine, without reading every label.
        result = store.query(_BY_LABEL, {"name": ox.Literal(wanted)})
        found = sorted({t.value for t in result.column("resource") if isinstance(t, ox.NamedNode)})
        if found:
            return _one(store, wanted, found, lang, where)
    pool = _pool(store, classes)
    matches = _matches(pool, wanted)
    if matches:
        return _one(store, wanted, matches, lang, where)
    what = f"no {_class_names(classes)}" if classes else "no resource"
    raise _unknown(store, wanted, f"{what} is named {wanted!r}", classes, lang, where, pool)


def _one(
    store: Store, wanted: str, matches: Sequence[str], lang: str, where: str | None
) -> ox.NamedNode:
    if len(matches) == 1:
        return ox.NamedNode(matches[0])
    found = candidates(store, matches, lang)
    raise AmbiguousNameError(
        f"{wanted!r} names {len(found)} resources: " + "; ".join(str(c) for c in found),
        found,
        hint=f"give one of them by its CURIE or IRI, e.g. {found[0].name}",
        where=where,
    )


def resolve_bindings(
    store: Store, query: StoredQuery, values: Mapping[str, Value], *, lang: str = "en"
) -> dict[str, Binding]:
    """Resolve the names among a stored query's checked values and check its IRIs, each
    against the classes its parameter declares (``#+ ... class:``).

    Args:
        store: the store the query will run on.
        query: the stored query.
        values: parameter name -> value from :func:`ictkg.queries.parameters.prepare_values`.
        lang: the language of the labels shown with candidates.

    Returns:
        Parameter name -> term, ready for :func:`ictkg.queries.parameters.variable_bindings`.

    Raises:
        NameResolutionError: for a name that is ambiguous or unknown, or an IRI that is not in
            the graph or not of the class expected (the message names ``--param <name>``).
    """
    terms: dict[str, Binding] = {}
    for name, value in values.items():
        param = query.parameters[name]
        where = f"--param {name}"
        if isinstance(value, ResourceName):
            terms[name] = resolve_name(store, value.text, param.classes, lang=lang, where=where)
        elif param.type == "iri" and isinstance(value, ox.NamedNode):
            terms[name] = check_resource(store, value, param.classes, lang=lang, where=where)
        else:
            terms[name] = value
    return terms
