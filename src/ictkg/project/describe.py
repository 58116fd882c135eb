"""Everything the graph says about one resource: the statements about it and pointing to it (in
which graph), the labels of the terms they name, and the provenance behind them, the source
passages (with their text) it is derived from and the press releases that back it.

Built with SPARQL through the :class:`~ictkg.stores.base.Store` interface only, so it gives the
same description on rdflib, Oxigraph and any endpoint; finding the resource from a name is
:func:`ictkg.stores.names.resolve_name`'s job, and rendering it is :mod:`ictkg.render.describe`'s.

Provenance follows the model (docs/decisions.md, Provenance): a source graph gives each resource
it describes ``prov:wasDerivedFrom`` the passages (or excerpts) that state it; a passage's
``ictkg:footnote`` links its footnote, whose ``dct:references`` is a press release's URL; and
``dct:source`` names a press release (``schema:url``) the resource cites.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from ictkg.errors import UsageError
from ictkg.namespaces import (
    GRAPH_NS,
    ICTKG_NS,
    INFERRED_GRAPH_IRI,
    LABEL_LANGUAGES,
    OA_NS,
    PREFIXES,
    RDF_NS,
    RDFS_NS,
    SCHEMA_NS,
)
from ictkg.queries.results import Term
from ictkg.queries.sparql import term_to_sparql
from ictkg.stores.base import Store

__all__ = [
    "Description",
    "PressRelease",
    "SourcePassage",
    "Statement",
    "describe_resource",
]

_RDF_TYPE = RDF_NS + "type"
_RDF_VALUE = RDF_NS + "value"
_RDFS_LABEL = RDFS_NS + "label"
_PROV_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
_DCT_SOURCE = PREFIXES["dct"] + "source"
_DCT_REFERENCES = PREFIXES["dct"] + "references"
_SCHEMA_URL = SCHEMA_NS + "url"
_FOOTNOTE = ICTKG_NS + "footnote"
_LINE = ICTKG_NS + "lineNumber"
_HAS_SOURCE = OA_NS + "hasSource"

_PROLOGUE = "".join(
    f"PREFIX {p}: <{PREFIXES[p]}>\n"
    for p in ("rdf", "rdfs", "dct", "prov", "schema", "oa", "ictkg")
)

_LABEL_CHUNK = 200
"""IRIs per label query (a ``VALUES`` block of this many terms)."""


@dataclass(frozen=True)
class Statement:
    """One triple about (or pointing to) the described resource, with the graphs that state it."""

    subject: ox.NamedNode | ox.BlankNode
    """The subject (the resource itself for an outgoing statement)."""
    predicate: ox.NamedNode
    """The property."""
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    """The value (the resource itself for an incoming statement)."""
    graphs: tuple[str, ...]
    """The named graphs that state it, sorted (``graph:inferred`` when the build derived it)."""

    @property
    def inferred_only(self) -> bool:
        """Whether only the build's derived graph states it (no source does)."""
        return self.graphs == (INFERRED_GRAPH_IRI,)

    @property
    def triple(self) -> ox.Triple:
        """The statement as a triple."""
        return ox.Triple(self.subject, self.predicate, self.object)


@dataclass(frozen=True)
class SourcePassage:
    """A passage of a source text (or an excerpt of a document) the resource is derived from."""

    iri: str
    """The passage's IRI (``passage:wp2013-p01-s1``)."""
    kind: str | None
    """Its stated class (``ictkg:Sentence``, ``ictkg:Footnote``, ``ictkg:Excerpt`` …)."""
    value: ox.Literal | None
    """Its text (``rdf:value``): the source's own words, or the quoted excerpt."""
    line: int | None
    """Its line in the source file, when it has one."""
    source: str | None
    """The source it belongs to (``oa:hasSource``)."""
    graphs: tuple[str, ...]
    """The graphs that derive the resource from it (which source says so)."""

    @property
    def text(self) -> str | None:
        """The passage's text, when it has one."""
        return None if self.value is None else self.value.value


@dataclass(frozen=True)
class PressRelease:
    """A press release (or other document known by its URL) behind the resource."""

    url: str
    """Its URL."""
    document: str | None
    """The document resource with that ``schema:url``, when the graph has one."""
    via: str
    """How it backs the resource: ``cited`` (``dct:source``) or ``footnote`` (the footnote of
    a passage the resource is derived from)."""
    footnote: str | None
    """The footnote passage, for ``via == "footnote"``."""
    graphs: tuple[str, ...]
    """The graphs that state the link."""


@dataclass(frozen=True)
class Description:
    """What :func:`describe_resource` found out about one resource."""

    resource: ox.NamedNode
    """The resource described."""
    lang: str
    """The language of :attr:`term_labels`."""
    outgoing: tuple[Statement, ...]
    """Every statement with the resource as subject."""
    incoming: tuple[Statement, ...]
    """Every statement with the resource as value."""
    passages: tuple[SourcePassage, ...]
    """The source passages it is derived from, in source order."""
    press_releases: tuple[PressRelease, ...]
    """The press releases behind it."""
    term_labels: Mapping[str, str]
    """IRI -> ``rdfs:label`` in :attr:`lang` (else another language) of every term named."""
    label_triples: tuple[ox.Triple, ...] = ()
    """The ``rdfs:label`` triples behind :attr:`term_labels` (for the RDF form)."""
    source: str = ""
    """Where the answer came from: a backend name or the endpoint URL."""

    @property
    def labels(self) -> tuple[ox.Literal, ...]:
        """The resource's own ``rdfs:label`` values, Japanese and English."""
        found = {
            s.object
            for s in self.outgoing
            if s.predicate.value == _RDFS_LABEL and isinstance(s.object, ox.Literal)
        }
        return tuple(sorted(found, key=lambda lit: (lit.language or "", lit.value)))

    @property
    def types(self) -> tuple[ox.NamedNode, ...]:
        """The classes a source states it has (the derived superclasses are left out)."""
        found = {
            s.object
            for s in self.outgoing
            if s.predicate.value == _RDF_TYPE
            and isinstance(s.object, ox.NamedNode)
            and not s.inferred_only
        }
        return tuple(sorted(found, key=lambda t: t.value))

    def label(self, iri: str) -> str:
        """The label of a term named in the description, or the empty string."""
        return self.term_labels.get(iri, "")

    def triples(self) -> list[ox.Triple]:
        """The description as RDF: the statements, the provenance (passages with their text,
        type, line and source; footnotes with their URL; the press releases' URLs) and the
        labels of the terms named, without duplicates, sorted."""
        out: set[ox.Triple] = {s.triple for s in (*self.outgoing, *self.incoming)}
        for passage in self.passages:
            node = ox.NamedNode(passage.iri)
            out.add(ox.Triple(self.resource, ox.NamedNode(_PROV_DERIVED), node))
            if passage.kind:
                out.add(ox.Triple(node, ox.NamedNode(_RDF_TYPE), ox.NamedNode(passage.kind)))
            if passage.value is not None:
                out.add(ox.Triple(node, ox.NamedNode(_RDF_VALUE), passage.value))
            if passage.line is not None:
                out.add(ox.Triple(node, ox.NamedNode(_LINE), _integer(passage.line)))
            if passage.source:
                out.add(ox.Triple(node, ox.NamedNode(_HAS_SOURCE), ox.NamedNode(passage.source)))
        for release in self.press_releases:
            url = ox.NamedNode(release.url)
            if release.document:
                document = ox.NamedNode(release.document)
                out.add(ox.Triple(document, ox.NamedNode(_SCHEMA_URL), url))
                if release.via == "cited":
                    out.add(ox.Triple(self.resource, ox.NamedNode(_DCT_SOURCE), document))
            if release.footnote:
                footnote = ox.NamedNode(release.footnote)
                out.add(ox.Triple(footnote, ox.NamedNode(_DCT_REFERENCES), url))
        out.update(self.label_triples)
        return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))


K = TypeVar("K", bound=Hashable)


def _graphs(rows: Iterable[tuple[K, str]]) -> dict[K, tuple[str, ...]]:
    found: dict[K, set[str]] = {}
    for key, graph in rows:
        found.setdefault(key, set()).add(graph)
    return {key: tuple(sorted(graphs)) for key, graphs in found.items()}


def _statement_key(statement: Statement) -> tuple[bool, bool, str, str, str]:
    return (
        statement.inferred_only,
        statement.predicate.value != _RDF_TYPE,
        statement.predicate.value,
        str(statement.subject),
        str(statement.object),
    )


def _outgoing(store: Store, term: str, include_inferred: bool) -> list[Statement]:
    result = store.query(
        "SELECT DISTINCT ?graph ?property ?value WHERE "
        f"{{ GRAPH ?graph {{ {term} ?property ?value }} }}"
    )
    subject = ox.NamedNode(term[1:-1])
    rows: list[tuple[tuple[ox.NamedNode, Term], str]] = [
        ((p, o), g.value)
        for g, p, o in result.rows
        if isinstance(g, ox.NamedNode) and isinstance(p, ox.NamedNode) and o is not None
    ]
    statements = [Statement(subject, p, o, graphs) for (p, o), graphs in _graphs(rows).items()]
    if not include_inferred:
        statements = [s for s in statements if not s.inferred_only]
    return sorted(statements, key=_statement_key)


def _incoming(store: Store, term: str, include_inferred: bool) -> list[Statement]:
    result = store.query(
        "SELECT DISTINCT ?graph ?subject ?property WHERE "
        f"{{ GRAPH ?graph {{ ?subject ?property {term} }} }}"
    )
    value = ox.NamedNode(term[1:-1])
    rows: list[tuple[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode], str]] = [
        ((s, p), g.value)
        for g, s, p in result.rows
        if isinstance(g, ox.NamedNode)
        and isinstance(p, ox.NamedNode)
        and isinstance(s, ox.NamedNode | ox.BlankNode)
    ]
    statements = [Statement(s, p, value, graphs) for (s, p), graphs in _graphs(rows).items()]
    if not include_inferred:
        statements = [s for s in statements if not s.inferred_only]
    return sorted(statements, key=_statement_key)


@dataclass
class _PassageRows:
    kinds: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)
    value: ox.Literal | None = None
    line: int | None = None
    position: int | None = None
    source: str | None = None


def _passages(store: Store, term: str) -> list[SourcePassage]:
    # The passage's stated class is read in the graph that derives the resource from it (the
    # source's own graph); graph:inferred adds every superclass, which would say less.
    result = store.query(
        _PROLOGUE
        + f"""SELECT DISTINCT ?graph ?passage ?kind ?text ?line ?position ?source WHERE {{
  GRAPH ?graph {{ {term} prov:wasDerivedFrom ?passage }}
  OPTIONAL {{ GRAPH ?graph {{ ?passage a ?kind }} }}
  OPTIONAL {{ ?passage rdf:value ?text }}
  OPTIONAL {{ ?passage ictkg:lineNumber ?line }}
  OPTIONAL {{ ?passage ictkg:position ?position }}
  OPTIONAL {{ ?passage oa:hasSource ?source }}
}}"""
    )
    found: dict[str, _PassageRows] = {}
    for row in result.as_dicts():
        passage, graph = row.get("passage"), row.get("graph")
        if not isinstance(passage, ox.NamedNode) or not isinstance(graph, ox.NamedNode):
            continue
        entry = found.setdefault(passage.value, _PassageRows())
        entry.graphs.add(graph.value)
        kind, text, line, position, source = (
            row.get(k) for k in ("kind", "text", "line", "position", "source")
        )
        if isinstance(kind, ox.NamedNode):
            entry.kinds.add(kind.value)
        if isinstance(text, ox.Literal):
            entry.value = text
        if isinstance(line, ox.Literal) and line.value.isdigit():
            entry.line = int(line.value)
        if isinstance(position, ox.Literal) and position.value.isdigit():
            entry.position = int(position.value)
        if isinstance(source, ox.NamedNode):
            entry.source = source.value
    order = {iri: (e.source or "", e.line or 0, e.position or 0, iri) for iri, e in found.items()}
    passages = [
        SourcePassage(
            iri=iri,
            kind=min(entry.kinds) if entry.kinds else None,
            value=entry.value,
            line=entry.line,
            source=entry.source,
            graphs=tuple(sorted(entry.graphs)),
        )
        for iri, entry in found.items()
    ]
    return sorted(passages, key=lambda p: order[p.iri])


def _press_releases(store: Store, term: str) -> list[PressRelease]:
    cited = store.query(
        _PROLOGUE
        + f"""SELECT DISTINCT ?graph ?document ?url WHERE {{
  GRAPH ?graph {{ {term} dct:source ?document }}
  ?document schema:url ?url .
}}"""
    )
    footnotes = store.query(
        _PROLOGUE
        + f"""SELECT DISTINCT ?graph ?footnote ?url ?document WHERE {{
  GRAPH ?graph {{ {term} prov:wasDerivedFrom ?passage }}
  ?passage ictkg:footnote ?footnote .
  ?footnote dct:references ?url .
  OPTIONAL {{ ?document schema:url ?url }}
}}"""
    )
    rows: list[tuple[tuple[str, str | None, str, str | None], str]] = []
    for row in cited.as_dicts():
        url, document, graph = row.get("url"), row.get("document"), row.get("graph")
        if isinstance(url, ox.NamedNode) and isinstance(graph, ox.NamedNode):
            doc = document.value if isinstance(document, ox.NamedNode) else None
            rows.append(((url.value, doc, "cited", None), graph.value))
    for row in footnotes.as_dicts():
        url, footnote, graph = row.get("url"), row.get("footnote"), row.get("graph")
        document = row.get("document")
        if isinstance(url, ox.NamedNode) and isinstance(graph, ox.NamedNode):
            doc = document.value if isinstance(document, ox.NamedNode) else None
            note = footnote.value if isinstance(footnote, ox.NamedNode) else None
            rows.append(((url.value, doc, "footnote", note), graph.value))
    releases = [
        PressRelease(url, document, via, footnote, graphs)
        for (url, document, via, footnote), graphs in _graphs(rows).items()
    ]
    return sorted(releases, key=lambda r: (r.url, r.via, r.footnote or "", r.document or ""))


def _labels(store: Store, iris: Iterable[str], lang: str) -> tuple[dict[str, str], list[ox.Triple]]:
    """Each IRI's ``rdfs:label`` in ``lang`` (else in another language), and the triples."""
    wanted = sorted(set(iris))
    chosen: dict[str, ox.Literal] = {}
    for start in range(0, len(wanted), _LABEL_CHUNK):
        values = " ".join(
            term_to_sparql(ox.NamedNode(i)) for i in wanted[start : start + _LABEL_CHUNK]
        )
        result = store.query(
            _PROLOGUE + f"SELECT DISTINCT ?term ?label WHERE {{ VALUES ?term {{ {values} }} "
            "?term rdfs:label ?label }"
        )
        for found, label in result.rows:
            if not isinstance(found, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            best = chosen.get(found.value)
            rank = (label.language != lang, label.value)
            if best is None or rank < (best.language != lang, best.value):
                chosen[found.value] = label
    labels = {iri: label.value for iri, label in chosen.items()}
    triples = [
        ox.Triple(ox.NamedNode(iri), ox.NamedNode(_RDFS_LABEL), label)
        for iri, label in chosen.items()
    ]
    return labels, triples


def _named_terms(
    resource: ox.NamedNode,
    statements: Sequence[Statement],
    passages: Sequence[SourcePassage],
    releases: Sequence[PressRelease],
) -> set[str]:
    terms: set[str] = set()
    for s in statements:
        for term in (s.subject, s.predicate, s.object):
            if isinstance(term, ox.NamedNode) and term != resource:
                terms.add(term.value)
    for p in passages:
        terms.update(t for t in (p.iri, p.kind, p.source) if t)
    for r in releases:
        terms.update(t for t in (r.document, r.footnote) if t)
    return terms


def describe_resource(
    store: Store,
    resource: ox.NamedNode,
    *,
    lang: str = "en",
    include_inferred: bool = True,
    source: str = "",
) -> Description:
    """Describe one resource from what the store holds.

    Args:
        store: any store holding the dataset.
        resource: the resource's IRI (see :func:`ictkg.stores.names.resolve_name`).
        lang: the language of the labels of the other terms (``en`` or ``ja``).
        include_inferred: also show what only the build's derived graph states (the
            superclasses of its types, the derived dates and partners).
        source: where the store is, for the record.

    Returns:
        Its statements (both directions), the labels of the terms named and its provenance.

    Raises:
        UsageError: for a language the data has no labels in.
        StoreError: when the store cannot answer.
    """
    if lang not in LABEL_LANGUAGES:
        raise UsageError(
            f"no labels in {lang!r}", hint=f"choose one of {', '.join(LABEL_LANGUAGES)}"
        )
    term = term_to_sparql(resource)
    outgoing = _outgoing(store, term, include_inferred)
    incoming = _incoming(store, term, include_inferred)
    passages = _passages(store, term)
    releases = _press_releases(store, term)
    terms = _named_terms(resource, [*outgoing, *incoming], passages, releases)
    terms.add(resource.value)
    labels, label_triples = _labels(store, terms, lang)
    own = {s.triple for s in outgoing}
    return Description(
        resource=resource,
        lang=lang,
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        passages=tuple(passages),
        press_releases=tuple(releases),
        term_labels=labels,
        label_triples=tuple(t for t in label_triples if t not in own),
        source=source,
    )


def graph_name(iri: str) -> str:
    """A named graph as people say it: ``wp2013`` for ``graph:wp2013``.

    >>> graph_name("https://w3id.org/ictkg/graph/inferred")
    'inferred'
    """
    return iri[len(GRAPH_NS) :] if iri.startswith(GRAPH_NS) else iri
