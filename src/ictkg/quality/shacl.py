"""Check the data against the SHACL shapes with pySHACL; rendering the report is left to render/.

A report *conforms* when it has no ``sh:Violation`` result: ``sh:Warning`` and ``sh:Info``
results are reported but never fail a build (pySHACL's ``allow_warnings``/``allow_infos``).

pySHACL hands rdflib the text of each SPARQL constraint once per focus node, and rdflib parses
it again every time (about 80% of validation time). :func:`prepared_sparql` caches the parsed
query, keyed by text, base and prefixes, while ictkg validates; the results are identical.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pyshacl
from pyshacl.entrypoints import meta_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from ictkg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, bind_namespaces

__all__ = [
    "LABELS",
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "meta_validate_shapes",
    "prepared_sparql",
    "union_graph",
    "validate",
]

SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
"""Severity names, most serious first (the local names of ``sh:Violation`` …)."""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "Violation": "Violation",
        "Warning": "Warning",
        "Info": "Info",
        "conforms": "conforms",
        "fails": "does not conform",
        "value": "value",
        "shape": "shape",
        "check": "check passage",
        "none": "no source passage recorded",
        "title": "SHACL validation",
        "resources": "resources",
    },
    "ja": {
        "Violation": "違反",
        "Warning": "警告",
        "Info": "情報",
        "conforms": "適合",
        "fails": "不適合",
        "value": "値",
        "shape": "シェイプ",
        "check": "確認する出典箇所",
        "none": "出典箇所の記録なし",
        "title": "SHACL検証",
        "resources": "リソース",
    },
}
"""Words of the validation report in each language, for the renderers."""


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``: what is wrong with which resource, and where to look."""

    focus_node: Node
    """The resource that failed."""
    result_path: Node | None
    """The property (or property path) at fault, when the shape has one."""
    value: Node | None
    """The offending value, when there is one."""
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    message: str
    """The message, in English when the shape gives one (else the first, or pySHACL's own)."""
    messages: tuple[Literal, ...]
    """Every ``sh:resultMessage``, e.g. one ``@en`` and one ``@ja``; a SPARQL constraint's first."""
    source_shape: Node | None
    """The shape that produced the result."""
    constraint_component: Node | None
    """The SHACL constraint component, e.g. ``sh:MinCountConstraintComponent``."""
    source_passages: tuple[str, ...] = ()
    """The ``prov:wasDerivedFrom`` values of the focus node: the passages to re-read."""
    focus_labels: tuple[Literal, ...] = ()
    """The focus node's ``rdfs:label`` values, to name it for people."""

    def message_in(self, lang: str) -> str:
        """Return the message in ``lang`` if the shape gives one, else :attr:`message`."""
        for literal in self.messages:
            if literal.language == lang:
                return str(literal)
        return self.message

    def label_in(self, lang: str) -> str | None:
        """Return the focus node's label in ``lang`` (or any label), if it has one."""
        for literal in self.focus_labels:
            if literal.language == lang:
                return str(literal)
        return str(self.focus_labels[0]) if self.focus_labels else None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    ``conforms`` is False only when at least one result is a ``sh:Violation``; warnings and
    infos are listed in ``results`` but do not make the data fail.
    """

    conforms: bool
    """True when no result has severity ``sh:Violation``."""
    results: tuple[ValidationResult, ...]
    """Every result, sorted by focus node, path, severity and message."""
    report_graph: Graph
    """pySHACL's raw ``sh:ValidationReport`` graph."""

    def count(self, severity: str) -> int:
        """Return how many results have ``severity`` (``Violation``, ``Warning``, ``Info``)."""
        return sum(1 for r in self.results if r.severity == severity)

    def only_violations(self) -> ValidationReport:
        """Return a copy whose ``results`` keep only violations (the raw graph is unchanged)."""
        kept = tuple(r for r in self.results if r.severity == "Violation")
        return replace(self, results=kept)


def union_graph(data: Graph | Dataset, *, skip: Iterable[Node] = ()) -> Graph:
    """Merge a dataset's named graphs into one graph (a plain graph is copied).

    Args:
        data: a graph or dataset.
        skip: graph IRIs to leave out.

    Returns:
        A new graph with the project prefixes bound.
    """
    merged = bind_namespaces(Graph())
    if isinstance(data, Dataset):
        skipped = set(skip)
        for graph in data.graphs():
            if graph.identifier not in skipped:
                merged += graph
    else:
        merged += data
    return merged


def _severity(node: Node | None) -> str:
    if isinstance(node, URIRef) and str(node).startswith(str(SH)):
        return str(node)[len(str(SH)) :]
    return "Violation"


def _sort_key(result: ValidationResult) -> tuple[str, ...]:
    return (
        str(result.focus_node),
        str(result.result_path or ""),
        str(SEVERITIES.index(result.severity) if result.severity in SEVERITIES else 9),
        result.message,
        str(result.value or ""),
        str(result.constraint_component or ""),
    )


def _messages(report: Graph, node: Node, shapes: Graph | None) -> tuple[Literal, ...]:
    """Return a result's ``sh:resultMessage`` literals, language tags restored.

    pySHACL (0.40) rebuilds the messages of a SPARQL-based result as plain literals (to fill in
    ``{$this}``, ``{?value}`` …), which drops their language tags. A plain message whose text is
    that of exactly one ``sh:message`` of the result's SPARQL constraint or source shape gets
    that literal back, tag included. The constraint's own messages come first (it says more
    than the shape's), then the rest by language and text.
    """
    constraint = report.value(node, SH.sourceConstraint)
    own: set[Literal] = set()
    known: dict[str, set[Literal]] = {}
    if shapes is not None:
        for source in (constraint, report.value(node, SH.sourceShape)):
            if source is None:
                continue
            for lit in shapes.objects(source, SH.message):
                if isinstance(lit, Literal):
                    known.setdefault(str(lit), set()).add(lit)
                    if source == constraint:
                        own.add(lit)
    messages = set()
    for m in report.objects(node, SH.resultMessage):
        if not isinstance(m, Literal):
            continue
        if m.language is None and len(known.get(str(m), ())) == 1:
            (m,) = known[str(m)]
        messages.add(m)
    return tuple(sorted(messages, key=lambda m: (m not in own, m.language or "", str(m))))


def _results(
    report: Graph, data: Graph, shapes: Graph | None = None
) -> tuple[ValidationResult, ...]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None:
            continue
        messages = _messages(report, node, shapes)
        english = [str(m) for m in messages if m.language in (None, "en")]
        message = (english or [str(m) for m in messages] or [""])[0]
        passages = tuple(sorted(str(p) for p in data.objects(focus, PROV.wasDerivedFrom)))
        labels = tuple(
            sorted(
                (lit for lit in data.objects(focus, RDFS.label) if isinstance(lit, Literal)),
                key=lambda m: (m.language or "", str(m)),
            )
        )
        results.append(
            ValidationResult(
                focus_node=focus,
                result_path=report.value(node, SH.resultPath),
                value=report.value(node, SH.value),
                severity=_severity(report.value(node, SH.resultSeverity)),
                message=message,
                messages=messages,
                source_shape=report.value(node, SH.sourceShape),
                constraint_component=report.value(node, SH.sourceConstraintComponent),
                source_passages=passages,
                focus_labels=labels,
            )
        )
    return tuple(sorted(results, key=_sort_key))


@functools.lru_cache(maxsize=1024)
def _translated(text: str, base: str | None, prefixes: tuple[tuple[str, str], ...]) -> Any:
    return translateQuery(parseQuery(text), base, dict(prefixes))


@contextmanager
def prepared_sparql() -> Iterator[None]:
    """Within the block, rdflib parses each distinct SPARQL text once instead of per call.

    rdflib's ``SPARQLProcessor.query`` is wrapped so that a query given as text is looked up in
    a cache of translated queries first. The wrapper is removed when the block ends (also on
    error); blocks may nest. Query evaluation itself is unchanged.
    """
    original = processor.SPARQLProcessor.query
    if getattr(original, "_ictkg_prepared", False):  # already inside a block
        yield
        return

    def query(
        self: processor.SPARQLProcessor,
        str_or_query: Any,
        initBindings: Any = None,  # noqa: N803 (rdflib's keyword names)
        initNs: Any = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Any:
        if isinstance(str_or_query, str):
            prefixes = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            str_or_query = _translated(str_or_query, base, prefixes)
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    query._ictkg_prepared = True  # type: ignore[attr-defined]
    processor.SPARQLProcessor.query = query  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def validate(
    data: Graph | Dataset,
    shapes: Graph,
    ontology: Graph | None = None,
    *,
    inference: str = "none",
) -> ValidationReport:
    """Validate ``data`` against ``shapes``, with ``ontology`` mixed in for class hierarchy.

    A dataset is validated as the union of its named graphs, because facts in an edition graph
    refer to entities in the reference graph; the inferred graph is left out, since shapes
    check what the sources state (its two rules are tested on their own). The ontology is
    merged in (pySHACL's ``ont_graph``) so that ``sh:targetClass`` and ``sh:class`` follow
    ``rdfs:subClassOf``, which is all the entailment SHACL needs; RDFS inference is off by
    default because range entailment would make a wrongly typed value look right (and it is
    much slower).

    Args:
        data: the data graph or the built dataset.
        shapes: the shapes graph.
        ontology: the ontology graph; when None and ``data`` is a dataset with an ontology
            graph, that graph is used (and left out of the data), as ``ictkg validate`` does.
        inference: pySHACL's ``inference`` option (``none``, ``rdfs``, ``owlrl`` …).

    Returns:
        The report; see :class:`ValidationReport` for what ``conforms`` means.
    """
    if ontology is None and isinstance(data, Dataset):
        own = data.graph(ONTOLOGY_GRAPH)
        if len(own):
            ontology = Graph()
            ontology += own
    skip = (INFERRED_GRAPH, ONTOLOGY_GRAPH) if ontology is not None else (INFERRED_GRAPH,)
    merged = union_graph(data, skip=skip)
    with prepared_sparql():
        _conforms, report_graph, _text = pyshacl.validate(
            merged,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference=inference,
            inplace=True,  # merged is our own copy
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
    _bind_from(report_graph, shapes)
    results = _results(report_graph, merged, shapes)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, report_graph=report_graph)


def meta_validate_shapes(shapes: Graph) -> ValidationReport:
    """Validate a shapes graph against SHACL-for-SHACL (the W3C shapes for shapes).

    This catches superseded or misspelt SHACL terms that validators silently ignore.

    Args:
        shapes: the shapes graph.

    Returns:
        The report on the shapes themselves.
    """
    with prepared_sparql():
        _conforms, report_graph, _text = meta_validate(shapes, inference="none")
    _bind_from(report_graph, shapes)
    results = _results(report_graph, shapes)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, report_graph=report_graph)


def _bind_from(report_graph: Graph, shapes: Graph) -> None:
    """Bind the shapes' own prefixes (e.g. for shape IRIs), then the project's, which win."""
    for prefix, namespace in shapes.namespaces():
        if prefix:
            report_graph.bind(prefix, namespace, override=False)
    bind_namespaces(report_graph)
