"""The schema.org view (ictkg.export.schemaorg), read back as a JSON-LD consumer would: framed on
schema:Event with pyld, its expected content computed from the ictkg data, never listed here."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import RDF, RDFS, Dataset, Graph, URIRef

from ictkg.export.schemaorg import VIEW_QUERIES, schema_view, view_query
from ictkg.model.terms import to_rdflib
from ictkg.namespaces import (
    ICTKG_NS,
    ONTOLOGY_GRAPH_IRI,
    PREFIXES,
    SCHEMA_NS,
    SCHEMAORG_GRAPH_IRI,
    sparql_prologue,
)
from ictkg.project import Project

DCT_DATE = PREFIXES["dct"] + "date"
XSD_NS = PREFIXES["xsd"]


def _refuse_network(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise jsonld.JsonLdError(f"no network: refused to load {url}", "loading document failed")


JSONLD_OPTIONS = {"documentLoader": _refuse_network}


@pytest.fixture(scope="module")
def view(real_project: Project) -> list[ox.Quad]:
    return schema_view(real_project.quads())


def _expanded(quads: list[ox.Quad]) -> list[dict[str, Any]]:
    """The view as expanded JSON-LD, serialised by rdflib (triples: the graph is the view).

    Not pyoxigraph's JSON-LD: it writes types as ``rdf:type`` properties rather than ``@type``
    (valid, but a frame on ``@type`` then matches nothing, as for many consumers).
    """
    graph = Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    expanded = jsonld.expand(json.loads(graph.serialize(format="json-ld")), JSONLD_OPTIONS)
    assert isinstance(expanded, list)
    return expanded


@pytest.fixture(scope="module")
def events(view: list[ox.Quad]) -> dict[str, dict[str, Any]]:
    frame = {"@context": {"@vocab": SCHEMA_NS}, "@type": "Event"}
    framed = jsonld.frame(_expanded(view), frame, JSONLD_OPTIONS)
    nodes = framed.get("@graph", [framed] if "@id" in framed else [])
    return {node["@id"]: node for node in nodes}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _meetings(dataset: Dataset) -> set[str]:
    """Every meeting, summit and visit of the data, by its ictkg type and the ontology's tree."""
    rows = dataset.query(
        sparql_prologue()
        + """SELECT DISTINCT ?meeting WHERE {
          ?meeting a ?class .
          GRAPH ?ontology { ?class rdfs:subClassOf* ictkg:Meeting }
        }""",
        initBindings={"ontology": URIRef(ONTOLOGY_GRAPH_IRI)},
    )
    return {str(row[0]) for row in rows}  # type: ignore[index]


def test_the_frame_finds_every_meeting_summit_and_visit(
    events: dict[str, dict[str, Any]], built_dataset: Dataset
) -> None:
    expected = _meetings(built_dataset)
    kinds = {o for s, o in built_dataset.subject_objects(RDF.type) if str(s) in expected} - {
        URIRef(ICTKG_NS + "Meeting")
    }
    assert kinds >= {URIRef(ICTKG_NS + "Summit"), URIRef(ICTKG_NS + "MinisterialVisit")}
    assert set(events) == expected


def test_every_event_is_named_in_both_languages_as_the_data_labels_it(
    events: dict[str, dict[str, Any]], built_dataset: Dataset
) -> None:
    for iri, node in events.items():
        names = {(n["@language"], n["@value"]) for n in _as_list(node["name"])}
        labels = {
            (label.language, str(label)) for label in built_dataset.objects(URIRef(iri), RDFS.label)
        }
        assert names == labels, iri
        assert {lang for lang, _ in names} == {"en", "ja"}, iri


def test_start_dates_keep_the_datatype_of_the_data(
    events: dict[str, dict[str, Any]], built_dataset: Dataset
) -> None:
    dated = 0
    for iri, node in events.items():
        dates = {
            (str(d), str(d.datatype)) for d in built_dataset.objects(URIRef(iri), URIRef(DCT_DATE))
        }
        found = {(d["@value"], d["@type"]) for d in _as_list(node.get("startDate", []))}
        assert found == dates, iri
        dated += bool(dates)
    assert dated > 0
    assert any(
        t == XSD_NS + "gYearMonth"
        for n in events.values()
        for t in [d["@type"] for d in _as_list(n.get("startDate", []))]
    )


def _view_graph(view: list[ox.Quad]) -> dict[str, set[tuple[str, Any]]]:
    by_subject: dict[str, set[tuple[str, Any]]] = {}
    for q in view:
        by_subject.setdefault(q.subject.value, set()).add((q.predicate.value, q.object))
    return by_subject


def _types(view: list[ox.Quad], schema_class: str) -> set[str]:
    return {
        q.subject.value
        for q in view
        if q.predicate.value == str(RDF.type) and q.object.value == SCHEMA_NS + schema_class
    }


def _ictkg_instances(dataset: Dataset, ictkg_class: str) -> set[str]:
    """Instances of an ictkg class or any subclass, by the ontology graph's tree."""
    ontology = dataset.graph(URIRef(ONTOLOGY_GRAPH_IRI))
    top = URIRef(ICTKG_NS + ictkg_class)
    classes = set(ontology.transitive_subjects(RDFS.subClassOf, top))
    return {str(s) for c in classes for s in dataset.subjects(RDF.type, c)}


def test_government_organizations_are_exactly_the_ministries_and_agencies(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    bodies = _ictkg_instances(built_dataset, "GovernmentBody")
    assert bodies
    assert _types(view, "GovernmentOrganization") == bodies


def test_other_organizations_are_the_other_ictkg_organisations(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    others = (
        _ictkg_instances(built_dataset, "SupranationalBody")
        | _ictkg_instances(built_dataset, "PrivateSectorGroup")
        | _ictkg_instances(built_dataset, "WorkingGroup")
    )
    assert _types(view, "Organization") == others


def test_countries_series_documents_people_places_and_topics(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    assert _types(view, "Country") == _ictkg_instances(built_dataset, "Country")
    assert _types(view, "EventSeries") == _ictkg_instances(built_dataset, "DialogueSeries")
    works = _ictkg_instances(built_dataset, "Document") | _ictkg_instances(
        built_dataset, "SourceText"
    )
    assert _types(view, "CreativeWork") == works
    for name in ("Person", "Place"):
        stated = {str(s) for s in built_dataset.subjects(RDF.type, URIRef(SCHEMA_NS + name))}
        assert _types(view, name) == stated
    concepts = {
        str(s) for s in built_dataset.subjects(RDF.type, URIRef(PREFIXES["skos"] + "Concept"))
    }
    assert _types(view, "DefinedTerm") == concepts


def test_series_meetings_point_to_their_series_as_super_event(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    graph = _view_graph(view)
    series = _types(view, "EventSeries")
    in_series = set(built_dataset.subject_objects(URIRef(ICTKG_NS + "inSeries")))
    assert in_series
    for meeting, s in in_series:
        assert (SCHEMA_NS + "superEvent", ox.NamedNode(str(s))) in graph[str(meeting)]
        assert str(s) in series


def test_organizer_attendee_about_and_location_follow_the_data(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    graph = _view_graph(view)
    pairs = {
        "organizer": [ICTKG_NS + "leadBody"],
        "attendee": [ICTKG_NS + "counterpart", ICTKG_NS + "participant"],
        "about": [PREFIXES["dct"] + "subject"],
        "location": [SCHEMA_NS + "location"],
    }
    for event in _types(view, "Event"):
        for schema_property, sources in pairs.items():
            expected = {
                str(o) for p in sources for o in built_dataset.objects(URIRef(event), URIRef(p))
            }
            found = {o.value for p, o in graph[event] if p == SCHEMA_NS + schema_property}
            assert found == expected, (event, schema_property)


def test_documents_have_their_authors_and_dates(
    view: list[ox.Quad], built_dataset: Dataset
) -> None:
    graph = _view_graph(view)
    for work in _ictkg_instances(built_dataset, "Document"):
        creators = {
            str(o) for o in built_dataset.objects(URIRef(work), URIRef(PREFIXES["dct"] + "creator"))
        }
        authors = {o.value for p, o in graph[work] if p == SCHEMA_NS + "author"}
        assert authors == creators, work
        dates = {str(o) for o in built_dataset.objects(URIRef(work), URIRef(DCT_DATE))}
        published = {o.value for p, o in graph[work] if p == SCHEMA_NS + "datePublished"}
        assert published == dates, work


def test_the_view_is_in_its_own_graph_and_speaks_schema_org(view: list[ox.Quad]) -> None:
    assert {q.graph_name.value for q in view} == {SCHEMAORG_GRAPH_IRI}
    for q in view:
        if q.predicate.value == str(RDF.type):
            assert q.object.value.startswith(SCHEMA_NS)
        else:
            assert q.predicate.value.startswith(SCHEMA_NS)


def test_the_view_is_deterministic_and_ignores_an_earlier_view(
    real_project: Project, view: list[ox.Quad]
) -> None:
    again = schema_view(list(reversed(real_project.quads())))
    assert ox.serialize(again, format=ox.RdfFormat.N_QUADS) == ox.serialize(
        view, format=ox.RdfFormat.N_QUADS
    )
    assert schema_view(real_project.quads() + view) == view


def test_types_follow_the_ontology_alignment_not_a_list() -> None:
    """A class the ontology aligns with schema.org through a new subclass needs no code change."""
    ictkg, schema = ICTKG_NS, SCHEMA_NS
    rdfs_sub = str(RDFS.subClassOf)
    onto = ox.NamedNode(ONTOLOGY_GRAPH_IRI)
    data = ox.NamedNode("https://w3id.org/ictkg/graph/example")
    quads = [
        ox.Quad(
            ox.NamedNode(ictkg + "Workshop"),
            ox.NamedNode(rdfs_sub),
            ox.NamedNode(ictkg + "Meeting"),
            onto,
        ),
        ox.Quad(
            ox.NamedNode(ictkg + "Meeting"),
            ox.NamedNode(rdfs_sub),
            ox.NamedNode(schema + "Event"),
            onto,
        ),
        ox.Quad(
            ox.NamedNode("urn:x:w"),
            ox.NamedNode(str(RDF.type)),
            ox.NamedNode(ictkg + "Workshop"),
            data,
        ),
        ox.Quad(
            ox.NamedNode("urn:x:w"),
            ox.NamedNode(DCT_DATE),
            ox.Literal("2013", datatype=ox.NamedNode(XSD_NS + "gYear")),
            data,
        ),
    ]
    view = schema_view(quads)
    assert {(q.predicate.value, q.object) for q in view} == {
        (str(RDF.type), ox.NamedNode(schema + "Event")),
        (schema + "startDate", ox.Literal("2013", datatype=ox.NamedNode(XSD_NS + "gYear"))),
    }


def test_the_view_queries_ship_with_the_package() -> None:
    for name in VIEW_QUERIES:
        ox.Store().query(view_query(name))  # parses and runs on an empty store


def test_project_schema_view_is_cached(real_project: Project, view: list[ox.Quad]) -> None:
    first = real_project.schema_view()
    assert first == view
    assert real_project.schema_view() is first
