"""Every stored query gives one row per meeting (issue 8), on the real data and on the real data
plus a second source that tells known meetings again at another precision.

A query whose answer holds meetings (in any column) must not repeat a meeting: its rows are unique
on the columns that hold meetings, or on the columns its ``#+ row_key`` header names when a row is
something else (one row per meeting and topic, per document and relation ...). The second source
is a temporary ``data/pressrelease-test/`` folder (clearly synthetic, never in data/): a finer date
for the 4th Japan-U.S. Internet Economy meeting, a coarser one for the 19th Japan-EU dialogue and
a two-day span for the 16th Japan-France consultation. Without the derived view, each of these
meetings would come back twice from every query that shows a date.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from ictkg.namespaces import ICTKG_NS, RDF_NS
from ictkg.project import Project
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.queries.parameters import example_bindings
from ictkg.stores import Store, run_query

ROOT = Path(__file__).resolve().parents[2]


def term_value(term: object) -> str:
    """The IRI or lexical form of a result term."""
    return str(getattr(term, "value", term))


QUERIES = load_queries(ROOT / "queries")

SECOND_SOURCE = """\
@prefix meeting: <https://w3id.org/ictkg/id/meeting/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ictkg:   <https://w3id.org/ictkg/ontology#> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix organization: <https://w3id.org/ictkg/id/organization/> .
@prefix source:  <https://w3id.org/ictkg/id/source/> .
@prefix excerpt: <https://w3id.org/ictkg/id/excerpt/> .

# A synthetic press release (test only): known meetings told again at another precision.

source:pressrelease-test
    a ictkg:SourceDocument ;
    rdfs:label "Synthetic press release (test only)"@en , "架空の報道発表(試験用)"@ja ;
    dct:publisher organization:mic ;
    dct:issued "2013-03-01"^^xsd:date ;
    schema:url <http://example.org/test/press-release> ;
    ictkg:edition "pressrelease-test" .

excerpt:pressrelease-test-1
    a ictkg:Excerpt ;
    rdf:value "(synthetic) three meetings told again at another precision."@en ;
    oa:hasSource source:pressrelease-test .

meeting:jp-us-ied-4
    dct:date "2012-10-18"^^xsd:date ;
    prov:wasDerivedFrom excerpt:pressrelease-test-1 .

meeting:jp-eu-ict-policy-dialogue-19
    dct:date "2012"^^xsd:gYear ;
    prov:wasDerivedFrom excerpt:pressrelease-test-1 .

meeting:jp-fr-ict-policy-consultation-16
    schema:startDate "2013-02-05"^^xsd:date ;
    schema:endDate "2013-02-06"^^xsd:date ;
    prov:wasDerivedFrom excerpt:pressrelease-test-1 .
"""


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Project:
    root = tmp_path_factory.mktemp("two-sources") / "project"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project_root / name, root / name)
    folder = root / "data" / "pressrelease-test"
    folder.mkdir()
    (folder / "meetings.ttl").write_text(SECOND_SOURCE, encoding="utf-8")
    return Project(root)


@pytest.fixture(scope="module")
def datasets(stores: dict[str, Store], two_sources: Project) -> dict[str, Store]:
    return {"real": stores["oxigraph"], "real+second source": two_sources.open_store("oxigraph")}


def meetings(store: Store) -> set[str]:
    result = store.query(f"SELECT DISTINCT ?m WHERE {{ ?m <{RDF_NS}type> <{ICTKG_NS}Meeting> }}")
    return {term_value(row[0]) for row in result.rows}


def repeated_keys(query: StoredQuery, store: Store, bindings: dict[str, str]) -> list[object]:
    """The row keys that occur more than once in the answer (none when no column holds meetings)."""
    result = run_query(query, store, bindings)
    known = meetings(store)
    if query.row_key:
        key = [result.variables.index(name) for name in query.row_key]
    else:
        key = [
            i
            for i in range(len(result.variables))
            if any(row[i] is not None and term_value(row[i]) in known for row in result.rows)
        ]
    if not key:
        return []
    counts = Counter(
        tuple(None if row[i] is None else str(row[i]) for i in key) for row in result.rows
    )
    return [k for k, n in counts.items() if n > 1]


def test_the_second_source_really_states_second_dates(datasets: dict[str, Store]) -> None:
    """What the stored queries must not show: three meetings with two dates each."""
    store = datasets["real+second source"]
    result = store.query(
        "SELECT ?m (COUNT(DISTINCT ?d) AS ?n) WHERE { ?m <http://purl.org/dc/terms/date>|"
        "<https://schema.org/startDate> ?d } GROUP BY ?m HAVING (COUNT(DISTINCT ?d) > 1)"
    )
    assert {term_value(row[0]).rsplit("/", 1)[1] for row in result.rows} == {
        "jp-us-ied-4",
        "jp-eu-ict-policy-dialogue-19",
        "jp-fr-ict-policy-consultation-16",
    }


@pytest.mark.parametrize("data", ["real", "real+second source"])
@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_one_row_per_meeting(query: StoredQuery, data: str, datasets: dict[str, Store]) -> None:
    store = datasets[data]
    for bindings in ({}, example_bindings(query)):
        assert repeated_keys(query, store, bindings) == [], (query.id, bindings)


def test_a_query_that_repeats_a_meeting_is_caught(
    tmp_path: Path, datasets: dict[str, Store]
) -> None:
    """The test bites: a query reading dct:date, as the queries did before, fails it."""
    path = tmp_path / "99-old-style.rq"
    path.write_text(
        "#+ summary: Meetings with their stated dates\n#+ tags: [test]\n"
        "SELECT ?meeting ?date WHERE { ?meeting a <https://w3id.org/ictkg/ontology#Meeting> ;"
        " <http://purl.org/dc/terms/date> ?date }\n",
        encoding="utf-8",
    )
    (query,) = load_queries(tmp_path)
    assert repeated_keys(query, datasets["real"], {}) == []
    repeated = repeated_keys(query, datasets["real+second source"], {})
    assert (
        len(repeated) == 2
    )  # ied-4 and the 19th EU dialogue; the French one has no dct:date twice


def test_the_second_source_changes_dates_not_rows(datasets: dict[str, Store]) -> None:
    (timeline,) = [q for q in QUERIES if q.id.startswith("07-")]
    answers = {
        data: {
            term_value(row[timeline_index(timeline, store, "resource")]): row
            for row in run_query(timeline, store, {}).rows
        }
        for data, store in datasets.items()
    }
    assert answers["real"].keys() == answers["real+second source"].keys()
    result = run_query(timeline, datasets["real+second source"], {})
    date = result.variables.index("date")
    sort = result.variables.index("sortDate")
    by_slug = {
        term_value(row[result.variables.index("resource")]).rsplit("/", 1)[1]: row
        for row in result.rows
    }
    assert term_value(by_slug["jp-us-ied-4"][date]) == "2012-10-18"
    assert term_value(by_slug["jp-us-ied-4"][sort]) == "2012-10-18"
    # The coarser year does not widen the month; the two days narrow it.
    assert term_value(by_slug["jp-eu-ict-policy-dialogue-19"][date]) == "2012-11"
    assert term_value(by_slug["jp-fr-ict-policy-consultation-16"][date]) == "2013-02-05"
    assert term_value(by_slug["jp-fr-ict-policy-consultation-16"][sort]) == "2013-02-05"


def timeline_index(query: StoredQuery, store: Store, column: str) -> int:
    return run_query(query, store, {}).variables.index(column)


def test_timeline_puts_early_2012_among_the_early_months(stores: dict[str, Store]) -> None:
    (timeline,) = [q for q in QUERIES if q.id.startswith("07-")]
    for store in stores.values():
        result = run_query(timeline, store, {})
        column = result.variables.index("resource")
        order = [term_value(row[column]).rsplit("/", 1)[1] for row in result.rows]
        assert (
            order.index("jp-us-ict-services-trade-principles")  # January 2012
            < order.index("jp-us-cloud-wg")  # early 2012 (同年初頭)
            < order.index("jp-th-summit-2012-03")  # March 2012
            < order.index("jp-us-ied-4")  # October 2012
        )


def test_a_range_inside_the_month_no_longer_finds_a_day_outside_it(
    datasets: dict[str, Store],
) -> None:
    (ranges,) = [q for q in QUERIES if q.id.startswith("06-")]
    store = datasets["real+second source"]
    column = run_query(ranges, store, {}).variables.index("meeting")

    def found(bindings: dict[str, str]) -> set[str]:
        rows = run_query(ranges, store, bindings).rows
        return {term_value(row[column]).rsplit("/", 1)[1] for row in rows}

    assert "jp-us-ied-4" not in found({"from": "2012-10-15", "to": "2012-10-15"})
    assert "jp-us-ied-4" in found({"from": "2012-10-15", "to": "2012-10-20"})
    assert "jp-us-ied-4" in found({"from": "2012-10"})
