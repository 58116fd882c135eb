"""Check the data against the SHACL shapes with pySHACL; rendering the report is left to render/.

A report *conforms* when it has no ``sh:Violation`` result: ``sh:Warning`` and ``sh:Info``
results are reported but never fail a build (pySHACL's ``allow_warnings``/``allow_infos``).

A built dataset is validated **per source graph**: each source's graph together with the reference
graph (and the ontology for the class tree), then the other hand-written graphs (reference, query
catalogue) on their own. So two sources may each give a meeting one date at their own precision,
while each graph alone must still obey ``sh:maxCount``. The results are merged without duplicates
(a problem of a reference entity, seen in every run, is reported once) and each result names the
graph(s) it was found in.

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
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from ictkg.namespaces import SCHEMAORG_GRAPH_IRI, VOID_GRAPH_IRI
from ictkg.vocab import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    QUERY_CATALOGUE_GRAPH,
    REFERENCE_GRAPH,
    bind_namespaces,
)

__all__ = [
    "LABELS",
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "meta_validate_shapes",
    "ontology_individuals",
    "prepared_sparql",
    "source_graphs",
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
        "graph": "graph",
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
        "graph": "グラフ",
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
    graphs: tuple[URIRef, ...] = ()
    """The named graph(s) the result was found in: a source graph (validated with the reference
    graph), or the reference or query-catalogue graph for a problem they have on their own.
    Empty when a plain graph, not a dataset, was validated."""

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
    """pySHACL's raw ``sh:ValidationReport`` graph (for a dataset: one report holding the merged
    results of every run)."""
    source_graphs: tuple[URIRef, ...] = ()
    """The source graphs validated (one run each); empty for a plain graph."""

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
    return tuple(sorted((r for _n, r in _result_nodes(report, data, shapes)), key=_sort_key))


def _result_nodes(
    report: Graph, data: Graph, shapes: Graph | None = None
) -> list[tuple[Node, ValidationResult]]:
    """Each ``sh:ValidationResult`` node of ``report`` with the result read from it."""
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
            (
                node,
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
                ),
            )
        )
    return results


_INDIVIDUALS: dict[int, tuple[Graph, Graph]] = {}


def _individuals(ontology: Graph) -> Graph:
    """:func:`ontology_individuals`, computed once per ontology graph object."""
    cached = _INDIVIDUALS.get(id(ontology))
    if cached is None or cached[0] is not ontology:
        cached = (ontology, ontology_individuals(ontology))
        _INDIVIDUALS.clear()
        _INDIVIDUALS[id(ontology)] = cached
    return cached[1]


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


NOT_SOURCE_GRAPHS: frozenset[URIRef] = frozenset(
    {
        ONTOLOGY_GRAPH,
        REFERENCE_GRAPH,
        QUERY_CATALOGUE_GRAPH,
        INFERRED_GRAPH,
        URIRef(VOID_GRAPH_IRI),
        URIRef(SCHEMAORG_GRAPH_IRI),
    }
)
"""Named graphs that are not one source's statements: the ontology, reference, catalogue and
the generated graphs."""

GENERATED_GRAPHS: frozenset[URIRef] = frozenset(
    {INFERRED_GRAPH, URIRef(VOID_GRAPH_IRI), URIRef(SCHEMAORG_GRAPH_IRI)}
)
"""Graphs the build derives; shapes check what the sources state, so these are not validated."""


def source_graphs(dataset: Dataset) -> list[URIRef]:
    """Return the IRIs of the dataset's non-empty source graphs (``graph:<slug>``), sorted."""
    found = {
        URIRef(str(g.identifier))
        for g in dataset.graphs()
        if len(g) and URIRef(str(g.identifier)) not in NOT_SOURCE_GRAPHS
    }
    found.discard(URIRef(str(dataset.default_graph.identifier)))
    return sorted(found, key=str)


def ontology_individuals(ontology: Graph) -> Graph:
    """Return the descriptions of the ontology's own individuals (and its concept schemes).

    pySHACL mixes only the class hierarchy of ``ont_graph`` into the data, so without this a
    value such as ``ictkg:MinisterialLevel`` would not be an ``ictkg:MeetingLevel`` for
    ``sh:class``. The four meeting levels and the label statuses are controlled values the data
    uses like any other; a level added as data (``level:<slug>``) is validated the same way.
    """
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    individuals = {
        s for s, o in ontology.subject_objects(RDF.type) if o in classes or o == SKOS.ConceptScheme
    }
    found = Graph()
    for subject in individuals:
        for p, o in ontology.predicate_objects(subject):
            found.add((subject, p, o))
    return found


def _run(data: Graph, shapes: Graph, ontology: Graph | None, inference: str) -> Graph:
    """One pySHACL run over ``data`` (our own copy, so pySHACL may work in place)."""
    if ontology is not None:
        data += _individuals(ontology)
    with prepared_sparql():
        _conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference=inference,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
    assert isinstance(report_graph, Graph)
    return report_graph


def _identity(result: ValidationResult) -> tuple[Node | str | None, ...]:
    """What makes two results of different runs the same problem."""
    return (
        result.focus_node,
        result.result_path,
        result.value,
        result.severity,
        result.source_shape,
        result.constraint_component,
        result.message,
    )


def _validate_dataset(
    dataset: Dataset, shapes: Graph, ontology: Graph | None, inference: str
) -> ValidationReport:
    """Validate each source graph with the reference graph, then the rest; merge the results."""
    reference = dataset.graph(REFERENCE_GRAPH)
    sources = source_graphs(dataset)
    rest = [
        URIRef(str(g.identifier))
        for g in dataset.graphs()
        if len(g)
        and URIRef(str(g.identifier)) not in GENERATED_GRAPHS
        and URIRef(str(g.identifier)) != ONTOLOGY_GRAPH
        and URIRef(str(g.identifier)) not in sources
        and URIRef(str(g.identifier)) != URIRef(str(dataset.default_graph.identifier))
    ]
    rest.sort(key=lambda iri: (iri != REFERENCE_GRAPH, str(iri)))
    runs: list[tuple[URIRef | None, list[URIRef]]] = [(s, [s]) for s in sources]
    runs.append((None, rest))
    merged_graph = bind_namespaces(Graph())
    report_node = BNode()
    merged_graph.add((report_node, RDF.type, SH.ValidationReport))
    found: dict[tuple[Node | str | None, ...], ValidationResult] = {}
    nodes: dict[tuple[Node | str | None, ...], tuple[Graph, Node]] = {}
    for source, members in runs:
        data = bind_namespaces(Graph())
        for iri in members:
            data += dataset.graph(iri)
        if source is not None:
            data += reference
        report_graph = _run(data, shapes, ontology, inference)
        for node, result in _result_nodes(report_graph, data, shapes):
            key = _identity(result)
            if source is None:  # the rest run comes last: a reference problem is its own, once
                if key not in found and any(
                    (result.focus_node, None, None) in dataset.graph(s) for s in sources
                ):
                    continue  # a source states what the reference graph alone lacks
                graph = _home_graph(dataset, members, result.focus_node)
                found[key] = replace(result, graphs=(graph,))
                nodes[key] = (report_graph, node)
            elif key in found:
                previous = found[key]
                if source not in previous.graphs:
                    passages = sorted({*previous.source_passages, *result.source_passages})
                    found[key] = replace(
                        previous,
                        graphs=(*previous.graphs, source),
                        source_passages=tuple(passages),
                    )
            else:
                found[key] = replace(result, graphs=(source,))
                nodes[key] = (report_graph, node)
    for key, result in list(found.items()):
        # A gap a warning points out is a gap of what is known: when another source graph
        # states the resource without that warning, that source fills it.
        if result.severity != "Violation" and not (set(result.graphs) - set(sources)):
            telling = {s for s in sources if (result.focus_node, None, None) in dataset.graph(s)}
            if telling - set(result.graphs):
                del found[key], nodes[key]
    for report_graph, node in nodes.values():
        merged_graph.add((report_node, SH.result, node))
        _copy_tree(report_graph, node, merged_graph)
    results = tuple(sorted(found.values(), key=_sort_key))
    conforms = not any(r.severity == "Violation" for r in results)
    merged_graph.add((report_node, SH.conforms, Literal(conforms)))
    _bind_from(merged_graph, shapes)
    return ValidationReport(
        conforms=conforms,
        results=results,
        report_graph=merged_graph,
        source_graphs=tuple(sources),
    )


def _home_graph(dataset: Dataset, members: list[URIRef], focus: Node) -> URIRef:
    """The member graph that says most about ``focus`` (the first member when none does)."""
    if not members:
        return ONTOLOGY_GRAPH
    best = max(members, key=lambda iri: len(list(dataset.graph(iri).predicate_objects(focus))))
    if not any(True for _ in dataset.graph(best).predicate_objects(focus)):
        return members[0]
    return best


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """Copy ``node``'s triples and, recursively, those of the blank nodes it points to."""
    todo = [node]
    seen: set[Node] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in source.predicate_objects(subject):
            target.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def validate(
    data: Graph | Dataset,
    shapes: Graph,
    ontology: Graph | None = None,
    *,
    inference: str = "none",
) -> ValidationReport:
    """Validate ``data`` against ``shapes``, with ``ontology`` mixed in for class hierarchy.

    A dataset is validated per source graph: each source graph together with the reference
    graph (facts in a source graph refer to reference entities), then the remaining
    hand-written graphs (reference, query catalogue) on their own; the generated graphs
    (inferred, VoID, schema.org) are left out, since shapes check what the sources state.
    Results are merged without duplicates and carry the graph(s) they were found in
    (:attr:`ValidationResult.graphs`). A plain graph is validated as one graph. The ontology is
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
    if isinstance(data, Dataset):
        return _validate_dataset(data, shapes, ontology, inference)
    merged = union_graph(data)
    report_graph = _run(merged, shapes, ontology, inference)
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
