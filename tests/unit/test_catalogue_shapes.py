"""The stored-query catalogue as sparql-examples publish it, held to queries/catalogue-shapes.ttl:
the real catalogue conforms, and tests/fixtures/catalogue-invalid.ttl breaks each shape once."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from ictkg.namespaces import DATASET_IRI, PREFIXES, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.project import Project
from ictkg.queries.catalogue import PREFIX_DECLARATIONS
from ictkg.vocab import ICTKG, KIND, QUERY_CATALOGUE_GRAPH, SCHEMA

ROOT = Path(__file__).resolve().parents[2]
SHAPES = Graph().parse(ROOT / "queries" / "catalogue-shapes.ttl")
INVALID = ROOT / "tests" / "fixtures" / "catalogue-invalid.ttl"
BAD = "https://example.org/catalogue-invalid/"
SHAPES_NS = PREFIXES["ictkgsh"]


def _results(data: Graph) -> list[tuple[str, str]]:
    """(focus node, source shape) of every result, shape names without their namespace."""
    conforms, report, _ = pyshacl.validate(data, shacl_graph=SHAPES)
    assert isinstance(report, Graph)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus, shape = report.value(result, SH.focusNode), report.value(result, SH.sourceShape)
        found.append((str(focus), str(shape).removeprefix(SHAPES_NS)))
    assert conforms == (not found)
    return found


@pytest.fixture(scope="module")
def catalogue(real_project: Project) -> Graph:
    graph = Graph()
    for triple in real_project.dataset().graph(QUERY_CATALOGUE_GRAPH):
        graph.add(triple)
    return graph


def _named_shapes() -> list[str]:
    """Every shape of the file with a name of its own: the property shapes, and the node shapes
    that state a constraint themselves (QueryParameterShape's kind of value)."""
    names = {
        str(s).removeprefix(SHAPES_NS)
        for s in SHAPES.subjects(RDF.type, SH.PropertyShape)
        if isinstance(s, URIRef)
    }
    names.add("QueryParameterShape")
    return sorted(names)


def test_the_real_catalogue_conforms(catalogue: Graph) -> None:
    assert _results(catalogue) == []
    queries = set(catalogue.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(queries) == 32


@pytest.mark.parametrize("shape", _named_shapes())
def test_each_shape_sees_its_fixture_and_only_it(shape: str) -> None:
    results = _results(Graph().parse(INVALID))
    assert (BAD + shape, shape) in results, f"{shape}: no result for bad:{shape}"
    own = {s for focus, s in results if focus == BAD + shape}
    assert own == {shape}, f"bad:{shape} breaks other shapes too: {own}"
    # The template every variant departs from is complete.
    assert not [r for r in results if r[0] in (BAD + "good", BAD + "good-param")]


def test_every_shape_has_a_name_description_and_message_in_both_languages() -> None:
    for shape in _named_shapes():
        node = URIRef(SHAPES_NS + shape)
        for key in (SH.name, SH.description, SH.message):
            langs = {v.language for v in SHAPES.objects(node, key) if isinstance(v, Literal)}
            assert langs >= {"en", "ja"}, (shape, key)


def test_the_catalogue_is_what_sparql_examples_tools_read(catalogue: Graph) -> None:
    query = KIND["query"]["02-meetings-by-topic-with-narrower"]
    comments = {(str(c), c.language) for c in catalogue.objects(query, RDFS.comment)}
    assert (
        "Which dialogues and meetings covered a topic or any narrower topic?",
        "en",
    ) in comments
    assert {lang for _, lang in comments} == {"en", "ja"}
    assert catalogue.value(query, SCHEMA.target) == URIRef(DATASET_IRI)
    assert catalogue.value(query, SH.prefixes) == PREFIX_DECLARATIONS
    declared = {
        str(catalogue.value(d, SH.prefix)): str(catalogue.value(d, SH.namespace))
        for d in catalogue.objects(PREFIX_DECLARATIONS, SH.declare)
    }
    assert declared == PREFIXES
    text = str(catalogue.value(query, SH.select))
    assert text.startswith("PREFIX") and "#+" not in text
    # The parameter, as a machine reads it: name, variable, optional, IRI of class skos:Concept.
    (topic,) = [
        p
        for p in catalogue.objects(query, SH.parameter)
        if catalogue.value(p, SH.name) == Literal("topic")
    ]
    assert catalogue.value(topic, ICTKG.variable) == Literal("__topic_iri")
    assert catalogue.value(topic, SH.optional) == Literal(True)
    assert catalogue.value(topic, SH.nodeKind) == SH.IRI
    assert catalogue.value(topic, SH["class"]) == URIRef(PREFIXES["skos"] + "Concept")


def test_date_and_multi_class_parameters_list_their_alternatives(catalogue: Graph) -> None:
    def alternatives(query_id: str, name: str, key: URIRef) -> set[str]:
        query = KIND["query"][query_id]
        (param,) = [
            p
            for p in catalogue.objects(query, SH.parameter)
            if catalogue.value(p, SH.name) == Literal(name)
        ]
        head = catalogue.value(param, SH["or"])
        members = list(catalogue.items(head))
        return {str(catalogue.value(m, key)) for m in members}

    assert alternatives("06-meetings-in-date-range", "from", SH.datatype) == {
        str(XSD.date),
        str(XSD.gYearMonth),
        str(XSD.gYear),
    }
    assert alternatives("18-topics-per-partner", "partner", SH["class"]) == {
        str(ICTKG.Country),
        str(ICTKG.SupranationalBody),
    }


def test_the_catalogue_graph_is_the_well_known_sparql_examples_graph(
    real_project: Project,
) -> None:
    assert QUERY_CATALOGUE_GRAPH_IRI == "https://w3id.org/ictkg/.well-known/sparql-examples"
    graphs = {str(g.identifier) for g in real_project.dataset().graphs()}
    assert QUERY_CATALOGUE_GRAPH_IRI in graphs
