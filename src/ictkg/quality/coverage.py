"""Measure how much of the source text the graph covers: which passages no fact points to.

A paragraph or footnote is covered when some resource has ``prov:wasDerivedFrom`` pointing at
it or at a passage that is (transitively) ``dct:isPartOf`` it, such as one of its sentences. A
source document (``ictkg:SourceDocument``) has no generated passages: its hand-written excerpts
are measured instead, and a document with none is listed as such (coverage does not apply).
Any number of sources is measured, each passage in its own source's graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from ictkg.vocab import ICTKG, OA

__all__ = ["COVERED_KINDS", "CoverageReport", "PassageCoverage", "coverage"]

COVERED_KINDS: tuple[URIRef, ...] = (ICTKG.Paragraph, ICTKG.Footnote, ICTKG.Excerpt)
"""The passage classes coverage is measured over, in report order."""

_SOURCE_CLASSES = frozenset(
    {
        ICTKG.Passage,
        ICTKG.Heading,
        ICTKG.Paragraph,
        ICTKG.Sentence,
        ICTKG.Footnote,
        ICTKG.Excerpt,
        ICTKG.Source,
        ICTKG.SourceText,
        ICTKG.SourceDocument,
        OA.TextPositionSelector,
    }
)
"""Classes of the sources themselves; a passage derived from a passage is not a fact."""


@dataclass(frozen=True)
class PassageCoverage:
    """One paragraph or footnote and the resources derived from it."""

    passage: URIRef
    """The passage."""
    kind: URIRef
    """``ictkg:Paragraph``, ``ictkg:Footnote`` or ``ictkg:Excerpt``."""
    graph: URIRef
    """The edition graph holding the passage."""
    position: int | None
    """Its ``ictkg:position`` (order among passages of its kind)."""
    label: str | None
    """Its English label (or any label), e.g. "Paragraph 3"."""
    text: str | None
    """Its text (``rdf:value``)."""
    derived: tuple[URIRef, ...]
    """Resources derived from it or from one of its parts, sorted."""

    @property
    def covered(self) -> bool:
        """True when at least one resource is derived from this passage."""
        return bool(self.derived)


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of the source passages by the graph's facts."""

    passages: tuple[PassageCoverage, ...]
    """Every paragraph, footnote and excerpt, by graph, kind (paragraphs first) and position."""
    sources_without_passages: tuple[URIRef, ...] = ()
    """Source documents with no excerpt: nothing of theirs to cover (facts point to the
    document itself)."""

    @property
    def total(self) -> int:
        """How many passages coverage is measured over."""
        return len(self.passages)

    @property
    def covered(self) -> int:
        """How many of them some resource is derived from."""
        return sum(1 for p in self.passages if p.covered)

    @property
    def uncovered(self) -> tuple[PassageCoverage, ...]:
        """The passages nothing is derived from."""
        return tuple(p for p in self.passages if not p.covered)

    @property
    def ratio(self) -> float:
        """``covered / total`` (1.0 when there are no passages)."""
        return self.covered / self.total if self.total else 1.0


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, int):
            return value
    return None


def _label(graph: Graph, node: URIRef) -> str | None:
    labels = sorted(
        (lit for lit in graph.objects(node, RDFS.label) if isinstance(lit, Literal)),
        key=lambda lit: (lit.language != "en", lit.language or "", str(lit)),
    )
    return str(labels[0]) if labels else None


def coverage(dataset: Dataset) -> CoverageReport:
    """Return which paragraphs and footnotes have resources derived from them.

    Args:
        dataset: the built dataset (all named graphs are considered).

    Returns:
        The coverage report.
    """
    types: dict[Node, set[Node]] = defaultdict(set)
    kind_graph: dict[URIRef, tuple[URIRef, URIRef]] = {}
    parts: dict[Node, set[Node]] = defaultdict(set)
    derived_from: dict[Node, set[URIRef]] = defaultdict(set)
    documents: set[URIRef] = set()
    quoted: set[Node] = set()
    for s, _p, o, g in dataset.quads((None, RDF.type, None, None)):
        types[s].add(o)
        if o == ICTKG.SourceDocument and isinstance(s, URIRef):
            documents.add(s)
        if o in COVERED_KINDS and isinstance(s, URIRef) and g is not None:
            graph_iri = URIRef(str(g.identifier if isinstance(g, Graph) else g))
            kind_graph.setdefault(s, (URIRef(str(o)), graph_iri))
    for s, _p, o, _g in dataset.quads((None, OA.hasSource, None, None)):
        if ICTKG.Excerpt in types.get(s, set()):
            quoted.add(o)
    for s, _p, o, _g in dataset.quads((None, DCTERMS.isPartOf, None, None)):
        parts[o].add(s)
    for s, _p, o, _g in dataset.quads((None, PROV.wasDerivedFrom, None, None)):
        if isinstance(s, URIRef):
            derived_from[o].add(s)

    entries = []
    for passage, (kind, graph_iri) in kind_graph.items():
        seen: set[Node] = {passage}
        todo: list[Node] = [passage]
        while todo:
            for part in parts.get(todo.pop(), ()):
                if part not in seen:
                    seen.add(part)
                    todo.append(part)
        derived = {
            d
            for node in seen
            for d in derived_from.get(node, ())
            if not types.get(d, set()) & _SOURCE_CLASSES
        }
        graph = dataset.graph(graph_iri)
        text = graph.value(passage, RDF.value)
        entries.append(
            PassageCoverage(
                passage=passage,
                kind=kind,
                graph=graph_iri,
                position=_int(graph.value(passage, ICTKG.position)),
                label=_label(graph, passage),
                text=str(text) if text is not None else None,
                derived=tuple(sorted(derived, key=str)),
            )
        )
    entries.sort(
        key=lambda e: (
            str(e.graph),
            COVERED_KINDS.index(e.kind),
            e.position if e.position is not None else 1 << 30,
            str(e.passage),
        )
    )
    return CoverageReport(
        passages=tuple(entries),
        sources_without_passages=tuple(sorted(documents - quoted, key=str)),
    )
