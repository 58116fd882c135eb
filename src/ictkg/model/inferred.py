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
  ``skos:broaderTransitive``);
- ``?x ictkg:inRegion ?region`` for every region a country or supranational body is stated to be
  in and every region above it (``skos:broader``), and for a body, group or post the regions of
  its ``ictkg:jurisdiction`` (:func:`region_triples`), so "which European ministries" is a plain
  triple pattern.

Only these rules are applied, and only triples not already stated are added, so the graph
holds exactly what the rules derive and nothing a source did not imply. A query that wants the
class a resource was stated to have takes its most specific one (see docs/engines.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ictkg.model.derived import derived_triples
from ictkg.paths import ProjectPaths
from ictkg.vocab import ICTKG, INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = ["add_inferred_graph", "closure", "inferred_triples", "region_triples"]


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


def region_triples(data: Graph) -> Graph:
    """Return every ``ictkg:inRegion`` the region hierarchy and jurisdictions imply in ``data``.

    A resource stated to be in a region is in every region above it (``skos:broader``, followed
    transitively); a resource with an ``ictkg:jurisdiction`` (a ministry, a body, a group, a post)
    is in every region of that country or supranational body. SKOS mappings between schemes
    (``skos:closeMatch``, ``skos:broadMatch``) are not followed: they say two regions correspond,
    not that one contains the other. Stated triples are returned too; the caller drops them.

    Args:
        data: the stated triples (the union of the named graphs, the inferred one excluded).

    Returns:
        A graph of ``?resource ictkg:inRegion ?region`` triples.

    >>> from rdflib.namespace import SKOS
    >>> ministry, country = URIRef("urn:ministry"), URIRef("urn:country")
    >>> europe, north = URIRef("urn:europe"), URIRef("urn:north")
    >>> data = Graph()
    >>> for triple in [(north, SKOS.broader, europe), (country, ICTKG.inRegion, north),
    ...                (ministry, ICTKG.jurisdiction, country)]:
    ...     _ = data.add(triple)
    >>> sorted(str(r) for r in region_triples(data).objects(ministry, ICTKG.inRegion))
    ['urn:europe', 'urn:north']
    """
    broader = _edges(data.subject_objects(SKOS.broader))
    regions: dict[URIRef, set[URIRef]] = {}
    for resource, region in data.subject_objects(ICTKG.inRegion):
        if isinstance(resource, URIRef) and isinstance(region, URIRef):
            regions.setdefault(resource, set()).update({region} | closure(broader, region))
    result = Graph()
    for resource, found in regions.items():
        for region in found:
            result.add((resource, ICTKG.inRegion, region))
    for body, jurisdiction in data.subject_objects(ICTKG.jurisdiction):
        if isinstance(body, URIRef) and isinstance(jurisdiction, URIRef):
            for region in regions.get(jurisdiction, ()):
                result.add((body, ICTKG.inRegion, region))
    return result


def inferred_triples(ontology: Graph, data: Graph) -> Graph:
    """Return the triples the rules add to ``data`` (the union of the sources).

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
    for triple in region_triples(data):
        if triple not in data:
            inferred.add(triple)
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
