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
  ictkg:SourceDocument a owl:Class ; rdfs:label "Source document"@en , "出典文書"@ja ;
      skos:definition "A source known by its URL."@en , "URL で知られる出典。"@ja .
  ictkg:DerivedProperty a owl:Class ; rdfs:label "Derived property"@en , "導出プロパティ"@ja ;
      skos:definition "Only the build states it."@en , "ビルドだけが記述する。"@ja .
  ictkg:bestDate a owl:DatatypeProperty , ictkg:DerivedProperty ;
      rdfs:label "best date"@en , "最も詳しい日付"@ja ;
      skos:definition "The most precise date."@en , "最も詳しい日付。"@ja .
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
  meeting:m1 dct:date "2012-10"^^xsd:gYearMonth .
  meeting:m2 dct:date "2012"^^xsd:gYear .
}
# A second source: the same meetings, the same English labels, dates that agree at another
# precision (a day in the month; a two-day meeting in the year).
GRAPH graph:pressrelease-2012 {
  source:pressrelease-2012 a ictkg:SourceDocument .
  meeting:m1 rdfs:label "Meeting 1"@en ; dct:date "2012-10-18"^^xsd:date ;
      prov:wasDerivedFrom source:pressrelease-2012 .
  meeting:m2 schema:startDate "2012-12-31"^^xsd:date ; schema:endDate "2013-01-01"^^xsd:date ;
      prov:wasDerivedFrom source:pressrelease-2012 .
}
GRAPH graph:inferred { meeting:m1 ictkg:bestDate "2012-10-18"^^xsd:date . }
"""
)

GRAPH = "https://w3id.org/ictkg/graph/"

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
    "label-conflict-violation": (
        'GRAPH graph:pressrelease-2012 { meeting:m2 rdfs:label "The second meeting"@en . }',
        {("https://w3id.org/ictkg/id/meeting/m2", "en")},
    ),
    "date-conflict-violation": (
        'GRAPH graph:pressrelease-2015 { meeting:m1 dct:date "2012-11-02"^^xsd:date ;'
        " prov:wasDerivedFrom source:pressrelease-2015 . source:pressrelease-2015 a"
        " ictkg:SourceDocument . }",
        {
            (
                "https://w3id.org/ictkg/id/meeting/m1",
                GRAPH + "pressrelease-2012",
                GRAPH + "pressrelease-2015",
            ),
            ("https://w3id.org/ictkg/id/meeting/m1", GRAPH + "pressrelease-2015", GRAPH + "wp2013"),
        },
    ),
    "derived-term-violation": (
        'GRAPH graph:wp2013 { meeting:m1 ictkg:bestDate "2012-10-18"^^xsd:date . }',
        {("https://w3id.org/ictkg/ontology#bestDate", GRAPH + "wp2013")},
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
        "label-conflict-violation": ("resource", "language"),
        "date-conflict-violation": ("resource", "graph", "otherGraph"),
        "derived-term-violation": ("term", "graph"),
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


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("extra", "conflicts"),
    [
        # A year agrees with a month and a day in it.
        ('GRAPH graph:s3 { meeting:m1 dct:date "2012"^^xsd:gYear . }', set()),
        # Two days of one month do not (the press release says the 18th).
        (
            'GRAPH graph:s3 { meeting:m1 dct:date "2012-10-31"^^xsd:date . }',
            {("m1", "pressrelease-2012", "s3")},
        ),
        # A meeting over 31 December and 1 January meets both years and both months ...
        ('GRAPH graph:s3 { meeting:m2 dct:date "2012-12"^^xsd:gYearMonth . }', set()),
        (
            'GRAPH graph:s3 { meeting:m2 dct:date "2013-01"^^xsd:gYearMonth . }',
            {("m2", "s3", "wp2013")},  # the press release agrees; the 2012 of wp2013 does not
        ),
        # ... but not a day before it, nor a year after.
        (
            'GRAPH graph:s3 { meeting:m2 dct:date "2012-12-30"^^xsd:date . }',
            {("m2", "pressrelease-2012", "s3")},
        ),
        (
            'GRAPH graph:s3 { meeting:m2 dct:date "2014"^^xsd:gYear . }',
            {("m2", "pressrelease-2012", "s3"), ("m2", "s3", "wp2013")},
        ),
        # Each date of a source is compared with the other sources', never with its own (two
        # dates in one source graph are for SHACL): 2011 against 2012 is not reported.
        (
            'GRAPH graph:wp2013 { meeting:m2 dct:date "2011"^^xsd:gYear . }',
            {("m2", "pressrelease-2012", "wp2013")},
        ),
        # Generated graphs are not sources.
        ('GRAPH graph:inferred { meeting:m1 dct:date "1999"^^xsd:gYear . }', set()),
    ],
)
def test_date_conflict_compares_periods(
    extra: str, conflicts: set[tuple[str, str, str]], backend: str
) -> None:
    result = run_check(CHECKS["date-conflict-violation"], dataset(CLEAN + extra, backend))
    found = {
        tuple(
            text(row[result.columns.index(c)]).rsplit("/", 1)[1]
            for c in ("resource", "graph", "otherGraph")
        )
        for row in result.rows
    }
    assert found == conflicts


@pytest.mark.parametrize("backend", BACKENDS)
def test_label_conflict_ignores_one_wording_twice_and_other_languages(backend: str) -> None:
    extra = """GRAPH graph:s3 {
      meeting:m1 rdfs:label "Meeting 1"@en , "第1回会合"@ja ; skos:altLabel "First meeting"@en .
    }
    GRAPH graph:s4 { meeting:m1 rdfs:label "第一回会合"@JA . }"""
    result = run_check(CHECKS["label-conflict-violation"], dataset(CLEAN + extra, backend))
    assert {(text(r[0]), text(r[1])) for r in result.rows} == {
        ("https://w3id.org/ictkg/id/meeting/m1", "ja")
    }


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
