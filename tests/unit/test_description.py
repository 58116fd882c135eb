"""The VoID/DCAT description (ictkg.export.description): every count checked against one computed
independently with rdflib over the built dataset, and the description and schema.org view
validated by the project's shapes together with the data."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ictkg.errors import UsageError
from ictkg.export.description import (
    Distribution,
    build_distributions,
    describe,
    package_license,
)
from ictkg.export.dumps import write_build
from ictkg.model.terms import add_quads, to_rdflib
from ictkg.namespaces import (
    DATASET_IRI,
    ICTKG_NS,
    ONTOLOGY_GRAPH_IRI,
    PREFIXES,
    SCHEMAORG_GRAPH_IRI,
    SD_NS,
    VOID_GRAPH_IRI,
)
from ictkg.project import Project
from ictkg.quality.shacl import validate

VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
DCT = PREFIXES["dct"]
DATASET = URIRef(DATASET_IRI)
MODIFIED = dt.date(2026, 12, 2)
FILES = (
    Distribution("ictkg.trig", "application/trig", 123456, 3166),
    Distribution("graphs/wp2013.ttl", "text/turtle", 4321, 1200),
)


def _graph(quads: list[ox.Quad]) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


@pytest.fixture(scope="module")
def quads(real_project: Project) -> list[ox.Quad]:
    return describe(real_project.quads(), distributions=FILES, version="0.1.0", modified=MODIFIED)


@pytest.fixture(scope="module")
def description(quads: list[ox.Quad]) -> Graph:
    return _graph(quads)


def _count(graph: Graph, subject: URIRef, name: str) -> int:
    values = list(graph.objects(subject, URIRef(VOID + name)))
    assert len(values) == 1, (subject, name, values)
    (value,) = values
    assert isinstance(value, Literal) and value.datatype == XSD.integer
    return int(value)


def _union_triples(dataset: Dataset) -> set[tuple[object, object, object]]:
    return {(s, p, o) for s, p, o, _g in dataset.quads((None, None, None, None))}


def test_the_description_is_in_its_own_graph(quads: list[ox.Quad]) -> None:
    assert {q.graph_name.value for q in quads} == {VOID_GRAPH_IRI}


def test_dataset_is_dcat_and_void_with_titles_in_both_languages(description: Graph) -> None:
    types = set(description.objects(DATASET, RDF.type))
    assert types == {URIRef(DCAT + "Dataset"), URIRef(VOID + "Dataset")}
    for name in ("title", "description"):
        langs = sorted(v.language for v in description.objects(DATASET, URIRef(DCT + name)))
        assert langs == ["en", "ja"], name
    assert description.value(DATASET, URIRef(DCAT + "version")) == Literal("0.1.0")
    assert description.value(DATASET, URIRef(DCT + "modified")) == Literal(
        "2026-12-02", datatype=XSD.date
    )


def test_the_licence_is_the_one_the_data_states(description: Graph, built_dataset: Dataset) -> None:
    """The ontology and the topic scheme state their licence; the dataset carries that one."""
    stated = {o for _, o in built_dataset.subject_objects(URIRef(DCT + "license"))}
    assert len(stated) == 1
    assert list(description.objects(DATASET, URIRef(DCT + "license"))) == list(stated)


def test_without_a_stated_licence_the_package_licence_is_used(project_root: Path) -> None:
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["project"]["license"]["text"]
    assert package_license() == f"https://spdx.org/licenses/{declared}"
    dataset = [
        ox.Quad(
            ox.NamedNode("urn:x"),
            ox.NamedNode(ICTKG_NS + "p"),
            ox.Literal("1"),
            ox.NamedNode("urn:g"),
        )
    ]
    quads = describe(dataset, version="0", modified=dt.date(2026, 1, 1))
    licences = [q.object.value for q in quads if q.predicate.value == DCT + "license"]
    assert licences == [package_license()]


def test_the_source_is_the_white_paper_of_the_data(
    description: Graph, built_dataset: Dataset
) -> None:
    sources = set(built_dataset.subjects(RDF.type, URIRef(ICTKG_NS + "SourceText")))
    assert sources
    # dct:source is the data's link from a fact to its cited press release (query 22).
    assert not set(description.objects(DATASET, URIRef(DCT + "source")))
    assert set(description.objects(DATASET, URIRef(PREFIXES["prov"] + "hadPrimarySource"))) == (
        sources
    )


def test_totals_equal_counts_computed_with_rdflib(
    description: Graph, built_dataset: Dataset
) -> None:
    triples = _union_triples(built_dataset)
    assert _count(description, DATASET, "triples") == len(triples)
    assert _count(description, DATASET, "entities") == len(
        {s for s, _p, _o in triples if isinstance(s, URIRef)}
    )
    assert _count(description, DATASET, "classes") == len(
        {o for _s, p, o in triples if p == RDF.type}
    )
    assert _count(description, DATASET, "properties") == len({p for _s, p, _o in triples})


def test_one_subset_per_named_graph_with_its_triples(
    description: Graph, built_dataset: Dataset
) -> None:
    subsets = {
        description.value(s, URIRef(SD_NS + "name")): s
        for s in description.objects(DATASET, URIRef(VOID + "subset"))
    }
    graphs = {g.identifier for g in built_dataset.graphs() if len(g)}
    assert set(subsets) == graphs
    assert URIRef(ONTOLOGY_GRAPH_IRI) in graphs
    for name, subset in subsets.items():
        graph = built_dataset.graph(name)
        assert _count(description, subset, "triples") == len(graph), name
        entities = {s for s in graph.subjects() if isinstance(s, URIRef)}
        assert _count(description, subset, "entities") == len(entities), name
        assert (subset, RDF.type, URIRef(VOID + "Dataset")) in description


def test_class_partitions_count_distinct_subjects_per_class(
    description: Graph, built_dataset: Dataset
) -> None:
    expected: dict[object, set[object]] = defaultdict(set)
    for s, _p, o in _union_triples(built_dataset):
        if _p == RDF.type and isinstance(s, URIRef):
            expected[o].add(s)
    found = {}
    for partition in description.objects(DATASET, URIRef(VOID + "classPartition")):
        found[description.value(partition, URIRef(VOID + "class"))] = _count(
            description, partition, "entities"
        )
    assert found == {cls: len(members) for cls, members in expected.items()}
    assert found[URIRef(ICTKG_NS + "Meeting")] > 0


def test_property_partitions_count_distinct_triples_per_property(
    description: Graph, built_dataset: Dataset
) -> None:
    expected: dict[object, int] = defaultdict(int)
    for _s, p, _o in _union_triples(built_dataset):
        expected[p] += 1
    found = {}
    for partition in description.objects(DATASET, URIRef(VOID + "propertyPartition")):
        found[description.value(partition, URIRef(VOID + "property"))] = _count(
            description, partition, "triples"
        )
    assert found == dict(expected)


def test_example_resources_are_real_meetings(description: Graph, built_dataset: Dataset) -> None:
    ontology = built_dataset.graph(URIRef(ONTOLOGY_GRAPH_IRI))
    meeting_classes = set(
        ontology.transitive_subjects(
            URIRef(PREFIXES["rdfs"] + "subClassOf"), URIRef(ICTKG_NS + "Meeting")
        )
    )
    examples = list(description.objects(DATASET, URIRef(VOID + "exampleResource")))
    assert 1 <= len(examples) <= 5
    for example in examples:
        assert set(built_dataset.objects(example, RDF.type)) & meeting_classes, example


def test_distributions_appear_with_the_given_sizes(description: Graph) -> None:
    found = {}
    for file in description.objects(DATASET, URIRef(DCAT + "distribution")):
        assert (file, RDF.type, URIRef(DCAT + "Distribution")) in description
        size = description.value(file, URIRef(DCAT + "byteSize"))
        assert size is not None and size.datatype == XSD.integer
        found[str(description.value(file, URIRef(DCAT + "downloadURL")))] = (
            str(description.value(file, URIRef(DCAT + "mediaType"))),
            int(size),
            _count(description, file, "triples"),
        )
    iana = "https://www.iana.org/assignments/media-types/"
    assert found == {
        f"https://w3id.org/ictkg/{d.path}": (iana + d.media_type, d.bytes, d.triples) for d in FILES
    }


def test_a_sparql_endpoint_only_when_one_is_given(
    description: Graph, real_project: Project
) -> None:
    assert description.value(DATASET, URIRef(VOID + "sparqlEndpoint")) is None
    url = "http://127.0.0.1:7878/query"
    with_endpoint = _graph(
        describe(real_project.quads(), endpoint=url, version="0.1.0", modified=MODIFIED)
    )
    assert list(with_endpoint.objects(DATASET, URIRef(VOID + "sparqlEndpoint"))) == [URIRef(url)]
    assert list(with_endpoint.objects(DATASET, URIRef(DCAT + "distribution"))) == []


@pytest.mark.parametrize(
    ("kwargs", "wanted"),
    [
        ({"endpoint": "not an iri"}, "endpoint"),
        ({"distributions": (Distribution("/etc/passwd", "text/plain", 1, 0),)}, "relative"),
        ({"distributions": (Distribution("../x.ttl", "text/turtle", 1, 0),)}, "relative"),
    ],
    ids=["endpoint", "absolute-path", "parent-path"],
)
def test_bad_arguments_are_refused(real_project: Project, kwargs: dict, wanted: str) -> None:
    with pytest.raises(UsageError, match=wanted):
        describe(real_project.quads(), version="0.1.0", modified=MODIFIED, **kwargs)


def test_the_description_is_deterministic_and_ignores_an_earlier_one(
    real_project: Project, quads: list[ox.Quad]
) -> None:
    again = describe(
        list(reversed(real_project.quads())) + quads,
        distributions=FILES,
        version="0.1.0",
        modified=MODIFIED,
    )
    assert ox.serialize(again, format=ox.RdfFormat.N_QUADS) == ox.serialize(
        quads, format=ox.RdfFormat.N_QUADS
    )


def test_build_distributions_describes_the_files_written(
    real_project: Project, tmp_path: Path
) -> None:
    output = write_build(real_project.quads(), tmp_path)
    files = build_distributions(output)
    assert {f.path for f in files} == {p.relative_to(tmp_path).as_posix() for p in output.files}
    counts = dict(output.triple_counts)
    for item in files:
        assert item.bytes == (tmp_path / item.path).stat().st_size
        if item.path.startswith("graphs/"):
            graph = next(g for g in counts if g.endswith("/" + Path(item.path).stem))
            assert item.triples == counts[graph]
        else:
            assert item.triples == len(real_project.quads())


def test_project_description_is_cached_and_dated_by_source_date_epoch(
    real_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02T00:00:00Z
    first = real_project.description(distributions=FILES)
    assert real_project.description(distributions=FILES) is first
    modified = _graph(first).value(DATASET, URIRef(DCT + "modified"))
    assert modified == Literal("2025-12-02", datatype=XSD.date)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        real_project.description()


def test_data_view_and_description_together_pass_the_shapes(
    real_project: Project, quads: list[ox.Quad]
) -> None:
    combined = Dataset()
    add_quads(combined, real_project.quads())
    add_quads(combined, real_project.schema_view())
    add_quads(combined, quads)
    report = validate(combined, real_project.shapes())
    assert report.conforms, [r.message for r in report.results if r.severity == "Violation"]
    # Nothing new to warn about either: the same results as the data alone.
    alone = real_project.validate_shacl()
    key = lambda r: (str(r.focus_node), str(r.result_path), str(r.source_shape))  # noqa: E731
    assert sorted(map(key, report.results)) == sorted(map(key, alone.results))


def test_a_schema_org_view_in_the_input_is_counted_as_one_more_subset(
    real_project: Project,
) -> None:
    view = real_project.schema_view()
    described = _graph(describe(real_project.quads() + view, version="0.1.0", modified=MODIFIED))
    subsets = {
        described.value(s, URIRef(SD_NS + "name")): s
        for s in described.objects(DATASET, URIRef(VOID + "subset"))
    }
    view_subset = subsets[URIRef(SCHEMAORG_GRAPH_IRI)]
    assert _count(described, view_subset, "triples") == len(view)
