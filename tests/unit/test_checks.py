"""Tests for ictkg.quality.checks and queries/checks/: each finds its planted problem, on every
in-process backend, through the store interface."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.errors import InputError
from ictkg.namespaces import sparql_prologue
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.quality.checks import CheckQuery, load_checks, parse_header, run_check, run_checks
from ictkg.stores import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {check.name: check for check in load_checks(ROOT / "queries" / "checks")}

ONTOLOGY = """
GRAPH graph:ontology {
  ictkg:Meeting a owl:Class ;
      rdfs:label "Meeting"@en , "会合"@ja ;
      skos:definition "A meeting."@en , "会合。"@ja .
  ictkg:ordinal a owl:DatatypeProperty ;
      rdfs:label "ordinal"@en , "回次"@ja ;
      skos:definition "Its number."@en , "回次。"@ja .
  ictkg:Paragraph a owl:Class ; rdfs:label "Paragraph"@en , "段落"@ja ;
      skos:definition "A paragraph."@en , "段落。"@ja .
  ictkg:Sentence a owl:Class ; rdfs:label "Sentence"@en , "文"@ja ;
      skos:definition "A sentence."@en , "文。"@ja .
  ictkg:SourceText a owl:Class ; rdfs:label "Source text"@en , "出典テキスト"@ja ;
      skos:definition "A source text."@en , "出典テキスト。"@ja .
}
"""

CLEAN = (
    ONTOLOGY
    + """
GRAPH graph:reference {
  place:tokyo a schema:City ; rdfs:label "Tokyo"@en , "東京"@ja .
  place:osaka a schema:City ; rdfs:label "Osaka"@en , "大阪"@ja .
}
GRAPH graph:wp2013 {
  meeting:m1 a ictkg:Meeting ; rdfs:label "Meeting 1"@en ; ictkg:ordinal 1 ;
      prov:wasDerivedFrom passage:wp2013-p01 .
  meeting:m2 a ictkg:Meeting ; rdfs:label "Meeting 2"@en ; ictkg:ordinal 2 ;
      prov:wasDerivedFrom passage:wp2013-p02-s1 .
  passage:wp2013-p01 a ictkg:Paragraph ; rdfs:label "Paragraph 1"@en ;
      oa:hasSource source:wp2013 .
  passage:wp2013-p02-s1 a ictkg:Sentence ; rdfs:label "Paragraph 1"@en ;
      oa:hasSource source:wp2013 .
  <https://w3id.org/ictkg/id/passage/wp2013-p01#position> a oa:TextPositionSelector .
  source:wp2013 a ictkg:SourceText .
}
"""
)

PLANTED = {
    "label-violation": (
        'GRAPH graph:ontology { ictkg:Outcome a owl:Class ; rdfs:label "Outcome"@en . }',
        {
            ("https://w3id.org/ictkg/ontology#Outcome", "rdfs:label @ja"),
            ("https://w3id.org/ictkg/ontology#Outcome", "skos:definition @en"),
            ("https://w3id.org/ictkg/ontology#Outcome", "skos:definition @ja"),
        },
    ),
    "duplicate-label-violation": (
        'GRAPH graph:reference { place:tokyo2 a schema:City ; rdfs:label "Tokyo"@en . }',
        {("https://w3id.org/ictkg/id/place/tokyo", "https://w3id.org/ictkg/id/place/tokyo2")},
    ),
    "undeclared-term-violation": (
        "GRAPH graph:wp2013 { meeting:m1 ictkg:ordnal 1 . meeting:m3 a ictkg:Meetng . }",
        {
            ("https://w3id.org/ictkg/ontology#Meetng", "class"),
            ("https://w3id.org/ictkg/ontology#ordnal", "predicate"),
        },
    ),
    "provenance-violation": (
        "GRAPH graph:wp2013 { meeting:m3 a ictkg:Meeting . }",
        {("https://w3id.org/ictkg/id/meeting/m3",)},
    ),
}
"""Per check: TriG to add to the clean dataset, and the key columns of the rows it must find."""


BACKENDS = ("oxigraph", "memory")


def dataset(trig: str, backend: str = "oxigraph") -> Store:
    """A store of the given backend holding the TriG data."""
    store = open_store(backend)
    store.load(ox.parse((sparql_prologue() + trig).encode(), format=ox.RdfFormat.TRIG))
    return store


def text(term: object) -> str:
    return str(getattr(term, "value", term))


def key(check: str, row: tuple[object, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    fields = {
        "label-violation": ("term", "missing"),
        "duplicate-label-violation": ("resource", "other"),
        "undeclared-term-violation": ("term", "used_as"),
        "provenance-violation": ("resource",),
    }[check]
    return tuple(text(row[columns.index(f)]) for f in fields)


def test_every_check_is_tested() -> None:
    assert set(CHECKS) == set(PLANTED)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_clean_dataset_passes(name: str, backend: str) -> None:
    result = run_check(CHECKS[name], dataset(CLEAN, backend))
    assert result.passed, result.rows


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_problem_is_found(name: str, backend: str) -> None:
    extra, expected = PLANTED[name]
    result = run_check(CHECKS[name], dataset(CLEAN + extra, backend))
    assert not result.passed
    assert {key(name, row, result.columns) for row in result.rows} == expected


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_header_has_summary_and_description(name: str) -> None:
    assert CHECKS[name].summary
    assert CHECKS[name].description


def test_provenance_check_ignores_reference_graph() -> None:
    ds = dataset(CLEAN + "GRAPH graph:reference { place:kyoto a schema:City . }")
    assert run_check(CHECKS["provenance-violation"], ds).passed


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # A statement about a resource typed in another graph (a reference entity).
        (
            "GRAPH graph:wp2013 { place:tokyo schema:containedInPlace place:osaka . }",
            {"https://w3id.org/ictkg/id/place/tokyo"},
        ),
        # Provenance given in another source graph does not cover this one.
        (
            "GRAPH graph:pressrelease-2014 { meeting:m1 ictkg:ordinal 1 . }",
            {"https://w3id.org/ictkg/id/meeting/m1"},
        ),
        # Every source graph is checked, whatever its name.
        (
            "GRAPH graph:pressrelease-2014 { meeting:m9 a ictkg:Meeting . }",
            {"https://w3id.org/ictkg/id/meeting/m9"},
        ),
        # A derivation must be of the graph's own source: another source's passage is not.
        (
            "GRAPH graph:pr-2014 { source:pr-2014 a ictkg:SourceDocument ."
            " meeting:m1 ictkg:ordinal 1 ; prov:wasDerivedFrom passage:wp2013-p01 . }",
            {"https://w3id.org/ictkg/id/meeting/m1"},
        ),
        # ... even beside a good one, and a misspelt passage is no passage.
        (
            "GRAPH graph:wp2013 { meeting:m1 prov:wasDerivedFrom passage:wp2013-p99 . }",
            {"https://w3id.org/ictkg/id/meeting/m1"},
        ),
        # An excerpt of the graph's own document, or the document itself, is a derivation.
        (
            "GRAPH graph:pr-2014 { source:pr-2014 a ictkg:SourceDocument ."
            " excerpt:pr-2014-1 a ictkg:Excerpt ; oa:hasSource source:pr-2014 ;"
            ' rdf:value "引用"@ja .'
            " meeting:m1 ictkg:ordinal 1 ; prov:wasDerivedFrom excerpt:pr-2014-1 ."
            " meeting:m2 ictkg:ordinal 2 ; prov:wasDerivedFrom source:pr-2014 . }",
            set(),
        ),
        # Generated and infrastructure graphs are not sources.
        ("GRAPH graph:inferred { meeting:m9 a ictkg:Meeting . }", set()),
        ("GRAPH graph:void { meeting:m9 ictkg:ordinal 9 . }", set()),
    ],
)
def test_provenance_covers_every_source_graph_and_statement(
    extra: str, expected: set[str], backend: str
) -> None:
    result = run_check(CHECKS["provenance-violation"], dataset(CLEAN + extra, backend))
    assert {text(row[result.columns.index("resource")]) for row in result.rows} == expected


def test_duplicate_label_needs_same_language_and_type() -> None:
    extra = """GRAPH graph:reference {
      place:tokyo-ja a schema:City ; rdfs:label "Tokyo"@ja .
      meeting:tokyo a ictkg:Meeting ; rdfs:label "Tokyo"@en ; prov:wasDerivedFrom passage:x .
    }"""
    assert run_check(CHECKS["duplicate-label-violation"], dataset(CLEAN + extra)).passed


def test_run_checks_runs_the_project_checks(mini_project: ProjectPaths) -> None:
    results = run_checks(load_checks(mini_project.checks_dir), dataset(CLEAN))
    assert [r.name for r in results] == sorted(PLANTED)
    assert all(r.passed for r in results)


def test_bad_sparql_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken-violation.rq"
    text = "#+ summary: broken\n\nSELECT ?x WHERE {\n  ?x ?y\n}\n"
    path.write_text(text, encoding="utf-8")
    check = CheckQuery("broken-violation", path, "broken", "", text)
    for backend in BACKENDS:
        with pytest.raises(InputError) as info:
            run_check(check, dataset(CLEAN, backend))
        assert info.value.path == path
        assert info.value.line is not None and info.value.line >= 4


def test_bad_header_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        parse_header(tmp_path / "q.rq", "#+ summary: ok\n#+ tags: [unclosed\nSELECT * {}\n")
    assert info.value.line is not None


def test_real_project_checks_pass(real_project: Project) -> None:
    """The repository's data passes every check."""
    failed = {r.name: r.rows[:3] for r in real_project.run_checks() if not r.passed}
    assert failed == {}
    assert [r.name for r in real_project.run_checks()] == sorted(PLANTED)


def test_check_rows_are_terms() -> None:
    extra, _ = PLANTED["provenance-violation"]
    result = run_check(CHECKS["provenance-violation"], dataset(CLEAN + extra))
    assert isinstance(result.rows[0][0], ox.NamedNode)
