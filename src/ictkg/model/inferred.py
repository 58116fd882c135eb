"""The inferred graph: what a reasoner would add, materialised at build time in its own graph.

Stored queries must answer the same on every engine, loaded by that engine's own tools, and
engines disagree on property paths (Virtuoso 7 loses rows when ``a/rdfs:subClassOf*`` is joined
with other patterns, and returns nothing when a ``*`` path is followed by ``BIND``). So the build
states what the paths computed, and the queries read plain triples:

- ``?x rdf:type ?super`` for every superclass, in the ontology's ``rdfs:subClassOf`` hierarchy,
  of a class an instance is stated to have (RDFS rules rdfs9 and rdfs11), so ``?x a
  ictkg:Meeting`` finds summits too;
- ``?narrower skos:broaderTransitive ?broader`` for every pair linked by a chain of
  ``skos:broader`` (SKOS S22 and S24: ``skos:broader`` is a sub-property of the transitive
  ``skos:broaderTransitive``).

Only these two rules are applied, and only triples not already stated are added, so the graph
holds exactly what the rules derive and nothing a source did not imply. A query that wants the
class a resource was stated to have takes its most specific one (see docs/engines.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ictkg.model.derived import derived_triples
from ictkg.paths import ProjectPaths
from ictkg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = ["add_inferred_graph", "closure", "inferred_triples"]


def closure(edges: dict[URIRef, set[URIRef]], start: URIRef) -> set[URIRef]:
    """Every node reachable from ``start`` by one or more edges (``start`` itself only on a cycle).

    >>> a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    >>> sorted(closure({a: {b}, b: {c}}, a))
    [rdflib.term.URIRef('urn:b'), rdflib.term.URIRef('urn:c')]
    """
    seen: set[URIRef] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def _edges(pairs: Iterable[tuple[object, object]]) -> dict[URIRef, set[URIRef]]:
    edges: dict[URIRef, set[URIRef]] = {}
    for narrower, broader in pairs:
        if isinstance(narrower, URIRef) and isinstance(broader, URIRef) and narrower != broader:
            edges.setdefault(narrower, set()).add(broader)
    return edges


def inferred_triples(ontology: Graph, data: Graph) -> Graph:
    """Return the triples the two rules add to ``data`` (the union of the sources).

    Args:
        ontology: the graph whose ``rdfs:subClassOf`` statements give the class hierarchy.
        data: every stated triple (the union of the named graphs, the inferred one excluded).

    Returns:
        A graph of the triples that follow and are not stated in ``data``.
    """
    inferred = Graph()
    superclasses = _edges(ontology.subject_objects(RDFS.subClassOf))
    cache: dict[URIRef, set[URIRef]] = {}
    for resource, cls in data.subject_objects(RDF.type):
        if not isinstance(cls, URIRef) or cls not in superclasses:
            continue
        if cls not in cache:
            cache[cls] = closure(superclasses, cls)
        for superclass in cache[cls]:
            if (resource, RDF.type, superclass) not in data:
                inferred.add((resource, RDF.type, superclass))
    broader = _edges(data.subject_objects(SKOS.broader))
    for narrower in broader:
        for ancestor in closure(broader, narrower):
            if (narrower, SKOS.broaderTransitive, ancestor) not in data:
                inferred.add((narrower, SKOS.broaderTransitive, ancestor))
    return inferred


def add_inferred_graph(dataset: Dataset, _paths: ProjectPaths | None = None) -> None:
    """Add the inferred graph to ``dataset`` (replacing an earlier one), from every other graph.

    ``dataset`` must have ``default_union=True`` (as :func:`~ictkg.model.dataset.build_dataset`
    makes it): once the old inferred graph is gone, the dataset itself is the union of the
    stated graphs, so nothing is copied.
    """
    if not dataset.default_union:
        raise ValueError("the inferred graph needs a Dataset(default_union=True)")
    dataset.remove_graph(dataset.graph(INFERRED_GRAPH))
    inferred = inferred_triples(dataset.graph(ONTOLOGY_GRAPH), dataset)
    inferred += derived_triples(dataset)  # the derived view (best dates, periods, partners)
    target = dataset.graph(INFERRED_GRAPH)
    target += inferred
