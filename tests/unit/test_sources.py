"""Sources of two kinds, one folder per source, validation per source graph (issue 8).

Small inline datasets, validated with the project's own ontology and shapes, through
:func:`ictkg.quality.shacl.validate` (the function ``ictkg validate`` calls).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from ictkg.errors import InputError
from ictkg.model.dataset import build_dataset, check_source_folder, load_shapes
from ictkg.model.turtle import parse_turtle
from ictkg.namespaces import sparql_prologue
from ictkg.paths import ProjectPaths
from ictkg.quality.coverage import coverage
from ictkg.quality.shacl import validate
from ictkg.render.reports import coverage_text, validation_dict, validation_text
from ictkg.vocab import GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

ROOT = Path(__file__).resolve().parents[2]
PATHS = ProjectPaths(ROOT)
TTL_PREFIXES = "".join(
    line.replace("PREFIX ", "@prefix ") + " .\n" for line in sparql_prologue().splitlines()
)

REFERENCE = """
country:jp a ictkg:Country ; rdfs:label "Japan"@en , "日本"@ja ;
    ictkg:iso3166Alpha2 "JP" ; ictkg:iso3166Alpha3 "JPN" ; ictkg:inRegion region:world ;
    ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
country:fr a ictkg:Country ; rdfs:label "France"@en , "フランス"@ja ;
    ictkg:iso3166Alpha2 "FR" ; ictkg:iso3166Alpha3 "FRA" ; ictkg:inRegion region:world ;
    ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
organization:mic a ictkg:Ministry ; rdfs:label "MIC"@en , "総務省"@ja ;
    ictkg:jurisdiction country:jp ; ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
"""


def document(slug: str, date: str, extra: str = "") -> str:
    """A source graph: one press release with one excerpt, and what it says of meeting:m."""
    return f"""
source:{slug} a ictkg:SourceDocument ;
    rdfs:label "Press release {slug}"@en , "報道発表 {slug}"@ja ;
    schema:url <https://example.org/{slug}.html> ; dct:publisher organization:mic ;
    ictkg:edition "{slug}" ; ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
excerpt:{slug}-1 a ictkg:Excerpt ; rdf:value "会合を開催した。"@ja ; oa:hasSource source:{slug} .
meeting:m a ictkg:Meeting ; rdfs:label "Meeting"@en , "会合"@ja ;
    ictkg:party country:jp , country:fr ; dct:subject topic:x ; ictkg:ordinal 1 ;
    dct:date {date} ; ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording ; prov:wasDerivedFrom excerpt:{slug}-1 .
{extra}
"""


TOPIC = """
scheme:m49 a skos:ConceptScheme ; rdfs:label "Regions"@en , "地域"@ja ;
    skos:hasTopConcept region:world ; ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
region:world a ictkg:Region ; skos:inScheme scheme:m49 ; skos:topConceptOf scheme:m49 ;
    rdfs:label "World"@en , "世界"@ja ; skos:prefLabel "World"@en , "世界"@ja ;
    skos:definition "The world."@en , "世界。"@ja ;
    ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
scheme:topics a skos:ConceptScheme ; rdfs:label "Topics"@en , "議題"@ja ;
    skos:hasTopConcept topic:x ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
topic:x a skos:Concept ; skos:inScheme scheme:topics ; skos:topConceptOf scheme:topics ;
    rdfs:label "X"@en , "エックス"@ja ; skos:prefLabel "X"@en , "エックス"@ja ;
    skos:definition "X."@en , "エックス。"@ja ; ictkg:englishLabelStatus ictkg:ProjectTranslation ;
    ictkg:japaneseLabelStatus ictkg:ProjectWording .
"""


def dataset(**graphs: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.graph(ONTOLOGY_GRAPH).__iadd__(parse_turtle(PATHS.ontology_file))
    ds.graph(REFERENCE_GRAPH).parse(data=TTL_PREFIXES + REFERENCE + TOPIC, format="turtle")
    for slug, text in graphs.items():
        ds.graph(GRAPH[slug.replace("_", "-")]).parse(data=TTL_PREFIXES + text, format="turtle")
    return ds


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PATHS)


def violations(report: object) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (str(r.focus_node), str(r.source_shape).rsplit("#", 1)[-1], tuple(map(str, r.graphs)))
        for r in report.results  # type: ignore[attr-defined]
        if r.severity == "Violation"
    ]


def test_two_sources_may_give_one_date_each_at_their_own_precision(shapes: Graph) -> None:
    ds = dataset(
        pr_a=document("pr-a", '"2012-10"^^xsd:gYearMonth'),
        pr_b=document("pr-b", '"2012-10-18"^^xsd:date'),
    )
    report = validate(ds, shapes)
    assert violations(report) == []
    assert report.source_graphs == (GRAPH["pr-a"], GRAPH["pr-b"])


def test_each_graph_alone_still_obeys_max_count(shapes: Graph) -> None:
    two = '"2012-10-18"^^xsd:date , "2012-10-19"^^xsd:date'
    ds = dataset(pr_a=document("pr-a", '"2012-10"^^xsd:gYearMonth'), pr_b=document("pr-b", two))
    report = validate(ds, shapes)
    assert violations(report) == [
        ("https://w3id.org/ictkg/id/meeting/m", "Meeting-date", (str(GRAPH["pr-b"]),))
    ]
    text = validation_text(report)
    assert "graph: graph:pr-b" in text


def test_a_derivation_from_another_sources_excerpt_is_refused(shapes: Graph) -> None:
    stolen = document("pr-b", '"2012-10"^^xsd:gYearMonth').replace(
        "prov:wasDerivedFrom excerpt:pr-b-1", "prov:wasDerivedFrom excerpt:pr-a-1"
    )
    ds = dataset(pr_a=document("pr-a", '"2012-10"^^xsd:gYearMonth'), pr_b=stolen)
    found = violations(validate(ds, shapes))
    assert (
        "https://w3id.org/ictkg/id/meeting/m",
        "Provenance-wasDerivedFrom",
        (str(GRAPH["pr-b"]),),
    ) in found


def test_a_reference_problem_is_reported_once_in_the_reference_graph(shapes: Graph) -> None:
    ds = dataset(
        pr_a=document("pr-a", '"2012-10"^^xsd:gYearMonth'),
        pr_b=document("pr-b", '"2012-10"^^xsd:gYearMonth'),
    )
    ds.graph(REFERENCE_GRAPH).parse(
        data=TTL_PREFIXES + 'country:xx a ictkg:Country ; rdfs:label "X"@en .', format="turtle"
    )
    report = validate(ds, shapes)
    about_xx = [r for r in report.results if str(r.focus_node).endswith("/country/xx")]
    keys = [(str(r.source_shape), str(r.result_path)) for r in about_xx]
    assert about_xx and len(keys) == len(set(keys))
    assert {r.graphs for r in about_xx} == {(REFERENCE_GRAPH,)}


def test_coverage_measures_excerpts_and_names_documents_without_any() -> None:
    bare = document("pr-b", '"2012-10"^^xsd:gYearMonth').split("excerpt:pr-b-1 a")[0]
    ds = dataset(pr_a=document("pr-a", '"2012-10"^^xsd:gYearMonth'), pr_b=bare)
    report = coverage(ds)
    assert [str(p.passage).rsplit("/", 1)[-1] for p in report.passages] == ["pr-a-1"]
    assert report.covered == 1
    assert report.sources_without_passages == (URIRef("https://w3id.org/ictkg/id/source/pr-b"),)
    assert "no passages: source:pr-b" in coverage_text(report)


SOURCE = """@prefix ictkg: <https://w3id.org/ictkg/ontology#> .
@prefix source: <https://w3id.org/ictkg/id/source/> .
@prefix schema: <https://schema.org/> .
source:{iri} a ictkg:SourceDocument ; schema:url <https://example.org/x> ; ictkg:edition "{ed}" .
"""


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, ["describes no source", "add source:pr-x a ictkg:SourceText"]),
        (
            {
                "a.ttl": SOURCE.format(iri="pr-x", ed="pr-x"),
                "b.ttl": SOURCE.format(iri="pr-y", ed="pr-y"),
            },
            ["describes 2 sources (source:pr-x, source:pr-y)", "a folder of its own"],
        ),
        ({"a.ttl": SOURCE.format(iri="other", ed="pr-x")}, ["source:other", "call it source:pr-x"]),
        (
            {"a.ttl": SOURCE.format(iri="pr-x", ed="px")},
            ["ictkg:edition ['px']", 'ictkg:edition "pr-x"'],
        ),
    ],
    ids=["none", "two", "misnamed", "wrong-edition"],
)
def test_a_folder_describes_exactly_one_source_named_after_it(
    tmp_project: ProjectPaths, files: dict[str, str], words: list[str]
) -> None:
    folder = tmp_project.data_dir / "pr-x"
    folder.mkdir()
    (folder / "facts.ttl").write_text("@prefix ictkg: <https://w3id.org/ictkg/ontology#> .\n")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_dataset(tmp_project)
    assert info.value.path == folder
    message = f"{info.value}"
    for word in words:
        assert word in message, message


def test_the_real_source_folder_passes(built_dataset: Dataset) -> None:
    graph = built_dataset.graph(GRAPH["wp2013"])
    source = check_source_folder(PATHS.data_dir / "wp2013", graph)
    assert str(source) == "https://w3id.org/ictkg/id/source/wp2013"


def test_the_graph_is_shown_only_when_there_are_several_sources(shapes: Graph) -> None:
    two = '"2012-10-18"^^xsd:date , "2012-10-19"^^xsd:date'
    report = validate(dataset(pr_b=document("pr-b", two)), shapes)
    assert violations(report) == [
        ("https://w3id.org/ictkg/id/meeting/m", "Meeting-date", (str(GRAPH["pr-b"]),))
    ]
    assert "graph:" not in validation_text(report)
    (found,) = [r for r in validation_dict(report)["results"] if r["severity"] == "Violation"]
    assert found["graphs"] == [str(GRAPH["pr-b"])]
