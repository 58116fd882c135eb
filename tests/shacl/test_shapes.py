"""The SHACL shapes in ontology/shapes/: fixtures, coverage, SHACL-for-SHACL and the real data.

Layout (after the W3C SHACL test suite that pySHACL runs):

- ``invalid/<shape>-<case>.ttl`` holds data that breaks one shape, followed by the expected
  ``sh:ValidationReport``. The test takes the report out, validates the rest and asserts that
  exactly the expected results appear (compared on focus node, path, severity, constraint
  component, source shape and SPARQL constraint; ``sh:value`` too where the fixture gives it).
- ``valid/*.ttl`` must conform with no results at all, warnings included.
- Every fixture is validated together with ``context.ttl`` (one complete, conforming example of
  each class) and the ontology, through :func:`ictkg.quality.shacl.validate`, the function
  ``ictkg validate`` calls (with its prepared-query cache), so the tests run the CLI's path.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from rdflib.term import Node

from ictkg.model.dataset import load_shapes
from ictkg.model.turtle import parse_turtle
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.quality.shacl import ValidationReport, meta_validate_shapes, validate
from ictkg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, QUERY_CATALOGUE_GRAPH

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PATHS = ProjectPaths(ROOT)
CONTEXT = HERE / "context.ttl"
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
VALID = sorted((HERE / "valid").glob("*.ttl"))
SHAPES_NS = "https://w3id.org/ictkg/shapes#"

Key = tuple[Node | None, ...]
"""(focus node, result path, severity, constraint component, source shape, SPARQL constraint)."""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PATHS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(PATHS.ontology_file)


@pytest.fixture(scope="module")
def context() -> Graph:
    return parse_turtle(CONTEXT)


@functools.cache
def split_fixture(path: Path) -> tuple[Graph, Graph]:
    """Return (data, expected report) from a fixture file."""
    graph = parse_turtle(path)
    report_nodes = set(graph.subjects(RDF.type, SH.ValidationReport))
    result_nodes = {r for n in report_nodes for r in graph.objects(n, SH.result)}
    expected, data = Graph(), Graph()
    for triple in graph:
        (expected if triple[0] in report_nodes | result_nodes else data).add(triple)
    return data, expected


def result_keys(report: Graph) -> dict[Key, set[Node]]:
    """Map each result's key to the sh:value(s) it reports."""
    keys: dict[Key, set[Node]] = {}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        key = tuple(
            report.value(node, p)
            for p in (
                SH.focusNode,
                SH.resultPath,
                SH.resultSeverity,
                SH.sourceConstraintComponent,
                SH.sourceShape,
                SH.sourceConstraint,
            )
        )
        values = keys.setdefault(key, set())
        value = report.value(node, SH.value)
        if value is not None:
            values.add(value)
    return keys


def run(data: Graph, context: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate(data + context, shapes, ontology)


def show(keys: Any, report: Graph) -> str:
    nm = report.namespace_manager
    return "\n".join(
        "  " + " | ".join(t.n3(nm) if t is not None else "-" for t in key) for key in sorted(keys)
    )


def shape_iri(name: str) -> URIRef:
    return URIRef(SHAPES_NS + name)


# -- Fixtures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_its_expected_results(
    path: Path, context: Graph, shapes: Graph, ontology: Graph
) -> None:
    data, expected_graph = split_fixture(path)
    expected = result_keys(expected_graph)
    assert expected, f"{path.name} has no expected sh:result"
    report = run(data, context, shapes, ontology)
    actual = result_keys(report.report_graph)
    assert set(actual) == set(expected), (
        f"{path.name}\nexpected:\n{show(expected, expected_graph)}\n"
        f"actual:\n{show(actual, report.report_graph)}"
    )
    for key, values in expected.items():
        assert values <= actual[key], f"{path.name}: sh:value {values} not in {actual[key]}"
    expect_violation = any(key[2] == SH.Violation for key in expected)
    assert report.conforms is not expect_violation


@pytest.mark.parametrize("path", [CONTEXT, *VALID], ids=lambda p: p.stem)
def test_valid_fixture_conforms_without_warnings(
    path: Path, context: Graph, shapes: Graph, ontology: Graph
) -> None:
    data = parse_turtle(path)
    report = run(data, context, shapes, ontology)
    assert report.results == (), show(result_keys(report.report_graph), report.report_graph)


def test_fixture_names_start_with_the_shape_they_break() -> None:
    for path in INVALID:
        _data, expected = split_fixture(path)
        names = {str(s)[len(SHAPES_NS) :] for s in expected.objects(None, SH.sourceShape)}
        assert any(path.stem.startswith(f"{name}-") for name in names), path.name


# -- Coverage of the shapes by the fixtures ---------------------------------------------------


def expected_from_all_fixtures(predicate: URIRef) -> set[Node]:
    found: set[Node] = set()
    for path in INVALID:
        _data, expected = split_fixture(path)
        found.update(expected.objects(None, predicate))
    return found


def test_every_property_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    property_shapes = {s for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    # Every property shape hangs from a node shape (so it is evaluated at all).
    assert property_shapes == set(shapes.objects(None, SH.property))
    missing = property_shapes - expected_from_all_fixtures(SH.sourceShape)
    assert not missing, "no invalid fixture for: " + ", ".join(sorted(map(str, missing)))


def test_every_sparql_constraint_has_an_invalid_fixture(shapes: Graph) -> None:
    constraints = set(shapes.objects(None, SH.sparql))
    assert constraints
    missing = constraints - expected_from_all_fixtures(SH.sourceConstraint)
    assert not missing, "no invalid fixture for: " + ", ".join(sorted(map(str, missing)))


def test_fixtures_name_only_existing_shapes(shapes: Graph) -> None:
    named = expected_from_all_fixtures(SH.sourceShape) | expected_from_all_fixtures(
        SH.sourceConstraint
    )
    unknown = {n for n in named if (n, RDF.type, None) not in shapes}
    assert not unknown, unknown


# -- The shapes themselves --------------------------------------------------------------------


def test_shapes_pass_shacl_for_shacl(shapes: Graph) -> None:
    report = meta_validate_shapes(shapes)
    assert report.conforms, [(str(r.focus_node), r.message) for r in report.results]


@pytest.mark.parametrize("path", sorted(PATHS.shapes_dir.glob("*.ttl")), ids=lambda p: p.stem)
def test_each_shapes_file_opens_with_a_header_resource(path: Path) -> None:
    graph = parse_turtle(path)
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1, f"{path.name}: one owl:Ontology header resource"
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert graph.value(headers[0], prop) is not None, f"{path.name}: header has no {prop}"
    # SPARQL constraints must find their prefixes in the same file, so each file works alone.
    for constraint in graph.objects(None, SH.sparql):
        assert graph.value(constraint, SH.prefixes) == headers[0], constraint
    assert path.read_text(encoding="utf-8").lstrip().startswith("@prefix")


def test_every_shape_is_named_described_and_has_a_message(shapes: Graph) -> None:
    problems = []
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            assert isinstance(shape, URIRef), f"unnamed shape {shape}"
            for prop in (SH.name, SH.description, SH.message):
                if shapes.value(shape, prop) is None:
                    problems.append(f"{shape} has no {prop}")
    for constraint in shapes.objects(None, SH.sparql):
        assert isinstance(constraint, URIRef), f"unnamed SPARQL constraint {constraint}"
        for prop in (SH.message, SH.select, SH.prefixes, RDFS.comment):
            if shapes.value(constraint, prop) is None:
                problems.append(f"{constraint} has no {prop}")
    assert not problems, problems


def test_property_shapes_are_named_after_their_node_shape(shapes: Graph) -> None:
    for node_shape, prop in shapes.subject_objects(SH.property):
        owner = str(node_shape)[len(SHAPES_NS) :].removesuffix("Shape")
        assert str(prop).startswith(f"{SHAPES_NS}{owner}-"), (node_shape, prop)


def test_every_class_in_the_data_is_targeted(
    shapes: Graph, ontology: Graph, built_dataset: Dataset
) -> None:
    dataset = built_dataset
    targeted = set(shapes.objects(None, SH.targetClass))
    untargeted = set()
    for graph in dataset.graphs():
        if graph.identifier in (ONTOLOGY_GRAPH, QUERY_CATALOGUE_GRAPH, INFERRED_GRAPH):
            continue  # the vocabulary, the stored queries describing themselves, superclasses
        for cls in set(graph.objects(None, RDF.type)):
            supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
            if not supers & targeted:
                untargeted.add(cls)
    assert not untargeted, untargeted


# -- How targets follow the class hierarchy ---------------------------------------------------

SUMMIT = """
@prefix ictkg: <https://w3id.org/ictkg/ontology#> .
<https://w3id.org/ictkg/id/meeting/s> a ictkg:Summit ; ictkg:ordinal 0 .
"""


def test_subclass_instances_are_targeted_through_the_ontology(
    shapes: Graph, ontology: Graph
) -> None:
    """sh:targetClass ictkg:Meeting reaches a Summit only when the ontology is mixed in."""
    data = Graph().parse(data=SUMMIT, format="turtle")
    with_ontology = {r.source_shape for r in validate(data, shapes, ontology).results}
    without = {r.source_shape for r in validate(data, shapes, None).results}
    assert shape_iri("Meeting-ordinal") in with_ontology
    assert shape_iri("Meeting-ordinal") not in without


# -- The real data ----------------------------------------------------------------------------


def test_real_data_has_no_violations_only_recommendations(real_project: Project) -> None:
    """The real data conforms; its only results are warnings of the recommended shapes (gaps in
    the source that docs/decisions.md lists under Validation)."""
    report = real_project.validate_shacl()
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not violations, "\n".join(
        f"{r.focus_node} {r.result_path} {r.value}: {r.message}" for r in violations
    )
    shapes_hit: dict[str, int] = {}
    for r in report.results:
        name = str(r.source_shape)[len(SHAPES_NS) :]
        shapes_hit[name] = shapes_hit.get(name, 0) + 1
    assert shapes_hit, "the 2013 source leaves gaps the recommended shapes report"
    assert all(name.endswith("-recommended") for name in shapes_hit), shapes_hit
    assert {r.severity for r in report.results} == {"Warning"}
