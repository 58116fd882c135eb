"""The inferred graph: the rdf:type closure, skos:broaderTransitive and the ictkg:inRegion
closure, beside the derived view."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ictkg.model.derived import DERIVED_PROPERTIES
from ictkg.model.inferred import inferred_triples, region_triples
from ictkg.vocab import ICTKG, INFERRED_GRAPH, KIND, ONTOLOGY_GRAPH

EX = "http://example.org/"
A, B, C, D = (URIRef(EX + n) for n in "ABCD")
X, Y, Z = (URIRef(EX + n) for n in "xyz")


def _graph(*triples: tuple[URIRef, URIRef, URIRef]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_types_follow_the_whole_subclass_chain() -> None:
    ontology = _graph((A, RDFS.subClassOf, B), (B, RDFS.subClassOf, C), (D, RDFS.subClassOf, C))
    data = _graph((X, RDF.type, A), (Y, RDF.type, D), (Z, RDF.type, C))
    assert set(inferred_triples(ontology, data)) == {
        (X, RDF.type, B),
        (X, RDF.type, C),
        (Y, RDF.type, C),
    }


def test_nothing_stated_is_repeated_and_cycles_end() -> None:
    ontology = _graph((A, RDFS.subClassOf, B), (B, RDFS.subClassOf, A), (A, RDFS.subClassOf, A))
    data = _graph((X, RDF.type, A), (X, RDF.type, B))
    assert set(inferred_triples(ontology, data)) == set()


def test_broader_transitive_links_every_ancestor() -> None:
    data = _graph((X, SKOS.broader, Y), (Y, SKOS.broader, Z), (A, SKOS.broader, Z))
    assert set(inferred_triples(Graph(), data)) == {
        (X, SKOS.broaderTransitive, Y),
        (X, SKOS.broaderTransitive, Z),
        (Y, SKOS.broaderTransitive, Z),
        (A, SKOS.broaderTransitive, Z),
    }


def test_regions_follow_broader_regions_and_jurisdictions() -> None:
    """A country is in its region and every broader one; a ministry of it (and a body of a
    union) is in the same regions; mappings between schemes are not containment."""
    world, europe, north, group = (URIRef(EX + n) for n in ("world", "europe", "north", "group"))
    country, union, ministry, commission = (URIRef(EX + n) for n in ("fi", "eu", "min", "ec"))
    data = _graph(
        (europe, SKOS.broader, world),
        (north, SKOS.broader, europe),
        (group, SKOS.closeMatch, europe),
        (country, ICTKG.inRegion, north),
        (country, ICTKG.inRegion, group),
        (union, ICTKG.inRegion, europe),
        (ministry, ICTKG.jurisdiction, country),
        (commission, ICTKG.jurisdiction, union),
    )
    found = set(region_triples(data))
    assert {r for s, _, r in found if s == country} == {north, europe, world, group}
    assert {r for s, _, r in found if s == ministry} == {north, europe, world, group}
    assert {r for s, _, r in found if s == commission} == {europe, world}
    assert {r for s, _, r in found if s == union} == {europe, world}
    # Stated triples are not repeated in the inferred graph.
    added = set(inferred_triples(Graph(), data))
    assert (country, ICTKG.inRegion, north) not in added
    assert (country, ICTKG.inRegion, world) in added


def test_european_ministries_are_a_plain_triple_query(built_dataset: Dataset) -> None:
    """What an analyst asks: which ministries are in Europe (M49 150) or under the section's
    heading イ; a plain triple pattern, no property path."""
    org = KIND["organization"]
    region = KIND["region"]
    for europe in (region["m49-150"], region["wp2013-europe"]):
        rows = built_dataset.query(
            "SELECT ?m WHERE { ?m a <https://w3id.org/ictkg/ontology#Ministry> ;"
            " <https://w3id.org/ictkg/ontology#inRegion> ?r }",
            initBindings={"r": europe},
        )
        assert {row[0] for row in rows} == {  # type: ignore[index]
            org["fr-ministry-industrial-renewal"],
            org["fi-ministry-transport-communications"],
        }


def test_the_real_dataset_has_every_superclass_and_ancestor(built_dataset: Dataset) -> None:
    """Checked against rdflib's own transitive closure, over the union of the stated graphs."""
    ontology = built_dataset.graph(ONTOLOGY_GRAPH)
    inferred = built_dataset.graph(INFERRED_GRAPH)
    stated = Graph()
    for graph in built_dataset.graphs():
        if graph.identifier != INFERRED_GRAPH:
            stated += graph
    expected: set[tuple[object, object, object]] = set()
    for resource, cls in stated.subject_objects(RDF.type):
        for superclass in ontology.transitive_objects(cls, RDFS.subClassOf):
            if superclass != cls and (resource, RDF.type, superclass) not in stated:
                expected.add((resource, RDF.type, superclass))
    for narrower in set(stated.subjects(SKOS.broader)):
        for broader in stated.transitive_objects(narrower, SKOS.broader):
            if broader != narrower:
                expected.add((narrower, SKOS.broaderTransitive, broader))
    in_region: dict[object, set[object]] = {}
    for resource, region in stated.subject_objects(ICTKG.inRegion):
        in_region.setdefault(resource, set()).update(
            stated.transitive_objects(region, SKOS.broader)
        )
    for body, jurisdiction in stated.subject_objects(ICTKG.jurisdiction):
        in_region.setdefault(body, set()).update(in_region.get(jurisdiction, set()))
    for resource, regions in in_region.items():
        for region in regions:
            if (resource, ICTKG.inRegion, region) not in stated:
                expected.add((resource, ICTKG.inRegion, region))
    rules = {t for t in inferred if t[1] in (RDF.type, SKOS.broaderTransitive, ICTKG.inRegion)}
    assert rules == expected
    assert len(rules) > 0
    # Everything else is the derived view (tests/unit/test_derived.py).
    assert {p for _s, p, _o in inferred if (_s, p, _o) not in rules} <= set(DERIVED_PROPERTIES)


def test_the_class_hierarchy_has_no_cycles(built_dataset: Dataset) -> None:
    """The stored queries take a resource's most specific class as the one no stated subclass
    of it also types the resource; a cycle (or a class its own subclass) would hide both."""
    ontology = built_dataset.graph(ONTOLOGY_GRAPH)
    for cls in set(ontology.subjects(RDFS.subClassOf)):
        above = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert all((parent, RDFS.subClassOf, cls) not in ontology for parent in above), cls
        assert (cls, RDFS.subClassOf, cls) not in ontology, cls


def test_summits_are_meetings_to_a_plain_query(built_dataset: Dataset) -> None:
    """What a SPARQL user without a reasoner asks: ?x a ictkg:Meeting finds the summits."""
    rows = built_dataset.query(
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/ictkg/ontology#Meeting> ;"
        " a <https://w3id.org/ictkg/ontology#Summit> }"
    )
    summits = set(
        built_dataset.subjects(RDF.type, URIRef("https://w3id.org/ictkg/ontology#Summit"))
    )
    assert [int(row[0]) for row in rows] == [len(summits)]  # type: ignore[index]
    assert summits
