"""Check the data against the SHACL shapes with pySHACL and render the report; the CLI prints it.

A report *conforms* when it has no ``sh:Violation`` result: ``sh:Warning`` and ``sh:Info``
results are reported but never fail a build (pySHACL's ``allow_warnings``/``allow_infos``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pyshacl
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, NamespaceManager
from rdflib.term import Node

from ictkg.namespaces import ONTOLOGY_GRAPH, bind_namespaces

__all__ = [
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "meta_validate_shapes",
    "render_json",
    "render_text",
    "render_turtle",
    "report_to_dict",
    "union_graph",
    "validate",
]

SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
"""Severity names, most serious first (the local names of ``sh:Violation`` …)."""

_LABELS: dict[str, dict[str, str]] = {
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


def validate(
    data: Graph | Dataset,
    shapes: Graph,
    ontology: Graph | None = None,
    *,
    inference: str = "none",
) -> ValidationReport:
    """Validate ``data`` against ``shapes``, with ``ontology`` mixed in for class hierarchy.

    A dataset is validated as the union of its named graphs, because facts in an edition graph
    refer to entities in the reference graph. The ontology is merged in (pySHACL's
    ``ont_graph``) so that ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf``,
    which is all the entailment SHACL needs; RDFS inference is off by default because range
    entailment would make a wrongly typed value look right (and it is much slower).

    Args:
        data: the data graph or the built dataset.
        shapes: the shapes graph.
        ontology: the ontology graph; when None and ``data`` is a dataset, its ontology graph
            is part of the union anyway.
        inference: pySHACL's ``inference`` option (``none``, ``rdfs``, ``owlrl`` …).

    Returns:
        The report; see :class:`ValidationReport` for what ``conforms`` means.
    """
    skip = (ONTOLOGY_GRAPH,) if ontology is not None else ()
    merged = union_graph(data, skip=skip)
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


def _width(text: str) -> int:
    """Return the display width of ``text`` in a terminal (CJK characters take two cells)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _show(node: Node | None, nm: NamespaceManager) -> str:
    """Return a term as a CURIE (or ``<iri>``, a quoted literal, ``[]`` for a blank node)."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, URIRef):
        try:
            prefix, _ns, local = nm.compute_qname(str(node), generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
        return f"{prefix}:{local}"
    return node.n3(nm)


def render_text(report: ValidationReport, lang: str = "en") -> str:
    """Render the report for a person: results grouped by resource, with passages to check.

    Args:
        report: the validation report.
        lang: ``en`` or ``ja``, for the headings and, where the shapes give both, the messages.

    Returns:
        Plain text ending in a newline.
    """
    words = _LABELS.get(lang, _LABELS["en"])
    nm = report.report_graph.namespace_manager
    counts = ", ".join(f"{report.count(s)} {words[s]}" for s in SEVERITIES if report.count(s))
    status = words["conforms"] if report.conforms else words["fails"]
    lines = [f"{words['title']}: {status}" + (f" ({counts})" if counts else "")]
    grouped: dict[Node, list[ValidationResult]] = {}
    for result in report.results:
        grouped.setdefault(result.focus_node, []).append(result)
    for focus, results in grouped.items():
        label = results[0].label_in(lang)
        lines.append("")
        lines.append(_show(focus, nm) + (f"  ({label})" if label else ""))
        width = max(_width(words[r.severity]) for r in results)
        for result in results:
            path = _show(result.result_path, nm) or "-"
            severity = _pad(words[result.severity], width)
            lines.append(f"  {severity}  {path}: {result.message_in(lang)}")
            pad = " " * (width + 4)
            if result.value is not None:
                lines.append(f"{pad}{words['value']}: {_show(result.value, nm)}")
            if result.source_shape is not None or result.constraint_component is not None:
                shape = _show(result.source_shape, nm)
                component = _show(result.constraint_component, nm)
                lines.append(f"{pad}{words['shape']}: {shape} ({component})")
        passages = sorted({p for r in results for p in r.source_passages})
        if passages:
            shown = ", ".join(_show(URIRef(p), nm) for p in passages)
            lines.append(f"  {words['check']}: {shown}")
        else:
            lines.append(f"  {words['check']}: {words['none']}")
    return "\n".join(lines) + "\n"


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return str(node)
    return node.n3()


def _by_language(messages: Iterable[Literal]) -> dict[str, str]:
    """Map each language ("" for none) to its first message (a SPARQL constraint's own first)."""
    found: dict[str, str] = {}
    for m in messages:
        found.setdefault(m.language or "", str(m))
    return found


def report_to_dict(report: ValidationReport) -> dict[str, Any]:
    """Return the report as JSON-ready data (IRIs in full, literals in N-Triples form).

    Args:
        report: the validation report.

    Returns:
        ``{"conforms", "counts", "results": [...]}``.
    """
    nm = report.report_graph.namespace_manager
    return {
        "conforms": report.conforms,
        "counts": {s: report.count(s) for s in SEVERITIES},
        "results": [
            {
                "focus_node": _term(r.focus_node),
                "focus_node_curie": _show(r.focus_node, nm),
                "path": _term(r.result_path),
                "value": _term(r.value),
                "severity": r.severity,
                "message": r.message,
                "messages": _by_language(r.messages),
                "source_shape": _term(r.source_shape),
                "constraint_component": _term(r.constraint_component),
                "source_passages": list(r.source_passages),
            }
            for r in report.results
        ],
    }


def render_json(report: ValidationReport) -> str:
    """Render the report as JSON (see :func:`report_to_dict`), ending in a newline."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """Render pySHACL's raw report graph as Turtle (the standard SHACL report vocabulary)."""
    return report.report_graph.serialize(format="longturtle")
