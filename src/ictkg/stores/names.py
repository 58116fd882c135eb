"""Find the resource a person means: by IRI, by CURIE with a project prefix, or by one of its
labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, in any language, ignoring case).

Works on any :class:`~ictkg.stores.base.Store` through SPARQL alone (the name is bound as a
literal, never pasted into the query), so a name resolves the same way on rdflib, Oxigraph and a
remote endpoint. What to do with the resource is left to the caller.

Example::

    from ictkg import Project
    from ictkg.stores.names import resolve_name

    store = Project().open_store()
    resolve_name(store, "19th Japan-EU ICT Policy Dialogue")  # meeting:jp-eu-ict-policy-dialogue-19
    resolve_name(store, "フランス", expected_class=ICTKG_NS + "Country")
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ictkg.errors import UsageError
from ictkg.namespaces import PREFIXES, RDFS_NS, curie
from ictkg.queries.sparql import term_to_sparql
from ictkg.stores.base import Store

__all__ = [
    "AmbiguousNameError",
    "Candidate",
    "NameResolutionError",
    "UnknownNameError",
    "parse_iri",
    "resolve_name",
]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')

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
        self, message: str, candidates: Sequence[Candidate], *, hint: str | None = None
    ) -> None:
        self.candidates: tuple[Candidate, ...] = tuple(candidates)
        """The resources the name may mean (ambiguous) or comes closest to (unknown)."""
        super().__init__(message, hint=hint)


class AmbiguousNameError(NameResolutionError):
    """A label that several resources carry."""


class UnknownNameError(NameResolutionError):
    """A name no resource of the graph has."""


def parse_iri(text: str) -> ox.NamedNode | None:
    """The IRI ``text`` writes, as ``<iri>``, an absolute IRI or a CURIE with a project prefix;
    None when it is none of these (so it may be a label).

    >>> parse_iri("meeting:jp-us-ied-4").value
    'https://w3id.org/ictkg/id/meeting/jp-us-ied-4'
    >>> parse_iri("<https://w3id.org/ictkg/id/country/fr>").value
    'https://w3id.org/ictkg/id/country/fr'
    >>> parse_iri("Japan") is None, parse_iri("日EU: 対話") is None
    (True, True)
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            text = PREFIXES[prefix] + local
        elif not (colon and "://" in text) and not text.startswith("urn:"):
            return None
    if not _SCHEME.match(text) or _IRI_FORBIDDEN.search(text):
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def _exists(store: Store, iri: ox.NamedNode, expected_class: str | None) -> bool:
    term = term_to_sparql(iri)
    if expected_class is not None:
        sparql = f"ASK {{ {term} a {term_to_sparql(ox.NamedNode(expected_class))} }}"
    else:
        sparql = f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}"
    return bool(store.query(sparql).boolean)


def _by_label(store: Store, text: str, expected_class: str | None) -> list[str]:
    sparql = _BY_LABEL
    if expected_class is not None:
        typed = f"  ?resource a {term_to_sparql(ox.NamedNode(expected_class))} .\n}}"
        sparql = sparql[: sparql.rindex("}")] + typed
    result = store.query(sparql, {"name": ox.Literal(text)})
    return sorted(
        {t.value for t in result.column("resource") if isinstance(t, ox.NamedNode)},
    )


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


def _closest(store: Store, text: str, expected_class: str | None, lang: str) -> list[Candidate]:
    """The resources whose label or CURIE comes closest to ``text``."""
    result = store.query(_ALL_LABELS)
    names: dict[str, set[str]] = {}
    for row in result.rows:
        resource, label = row
        if isinstance(resource, ox.NamedNode) and isinstance(label, ox.Literal):
            names.setdefault(label.value.lower(), set()).add(resource.value)
            short = curie(resource.value)
            if short:
                names.setdefault(short.lower(), set()).add(resource.value)
    wanted = text.strip().lower()
    keys = [k for k in names if wanted and wanted in k and k != wanted]
    keys.sort(key=len)
    keys += difflib.get_close_matches(wanted, list(names), n=SUGGESTIONS, cutoff=0.6)
    found: list[str] = []
    for key in keys:
        for iri in sorted(names[key]):
            if iri not in found:
                found.append(iri)
    if expected_class is not None and found:
        typed = {iri for iri in found if _exists(store, ox.NamedNode(iri), expected_class)}
        found = [iri for iri in found if iri in typed]
    chosen = found[:SUGGESTIONS]
    by_iri = {c.iri: c for c in candidates(store, chosen, lang)}
    return [by_iri[iri] for iri in chosen]


def resolve_name(
    store: Store, text: str, expected_class: str | None = None, *, lang: str = "en"
) -> ox.NamedNode:
    """The one resource ``text`` names: an IRI (``<…>`` or absolute), a CURIE with a project
    prefix, or a label, alternative label or preferred label in any language, ignoring case.

    Args:
        store: where to look (the union of its graphs).
        text: what the user typed.
        expected_class: when given, only resources of this class (its IRI) count; the inferred
            graph's type closure makes superclasses work too.
        lang: the language of the labels shown with candidates.

    Returns:
        The resource's IRI.

    Raises:
        AmbiguousNameError: when several resources carry the label (the candidates are listed).
        UnknownNameError: when nothing has that IRI or label (the closest names are suggested).
    """
    wanted = text.strip()
    if not wanted:
        raise UnknownNameError(
            "an empty name names nothing", (), hint="give a label, a CURIE or an IRI"
        )
    iri = parse_iri(wanted)
    if iri is not None:
        if _exists(store, iri, expected_class):
            return iri
        what = "a resource of that class" if expected_class else "a resource"
        close = _closest(store, wanted, expected_class, lang)
        raise UnknownNameError(
            f"{wanted!r} is not {what} of the graph", close, hint=_suggest(close)
        )
    matches = _by_label(store, wanted, expected_class)
    if len(matches) == 1:
        return ox.NamedNode(matches[0])
    if matches:
        found = candidates(store, matches, lang)
        raise AmbiguousNameError(
            f"{wanted!r} names {len(found)} resources: " + "; ".join(str(c) for c in found),
            found,
            hint=f"give one of them by its CURIE or IRI, e.g. {found[0].name}",
        )
    close = _closest(store, wanted, expected_class, lang)
    raise UnknownNameError(
        f"no resource has the label or IRI {wanted!r}", close, hint=_suggest(close)
    )


def _suggest(close: Sequence[Candidate]) -> str:
    if not close:
        return "give a label (English or Japanese), a CURIE such as country:fr, or an IRI"
    return "did you mean " + "; ".join(str(c) for c in close) + "?"
