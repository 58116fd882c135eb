"""Stored queries: headers, parameter parsing, VALUES blocks, parameter safety, the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql import prepareQuery

from ictkg.build import build_dataset, load_shapes
from ictkg.checks import run_checks
from ictkg.errors import InputError
from ictkg.namespaces import KIND, ONTOLOGY_GRAPH, QUERY_CATALOGUE_GRAPH
from ictkg.paths import ProjectPaths
from ictkg.queries import (
    ParameterError,
    QueryParameter,
    StoredQuery,
    _without_comments,
    add_catalogue,
    catalogue_graph,
    find_query,
    inject_values,
    load_queries,
    parse_header,
    parse_parameter,
    prepare_bindings,
    run_query,
    term_to_sparql,
    values_clause,
)
from ictkg.store import MemoryStore, OxigraphStore, Store
from ictkg.validate import validate

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "queries-bad"
QUERIES = load_queries(ROOT / "queries")
TOPIC = "https://w3id.org/ictkg/id/topic/"

IRI = QueryParameter("topic", "iri")
STRING = QueryParameter("text", "string")
DATE = QueryParameter("from", "date")
INTEGER = QueryParameter("year", "integer")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(ProjectPaths(ROOT))


@pytest.fixture(scope="module")
def stores(dataset: Dataset) -> dict[str, Store]:
    oxigraph = OxigraphStore()
    oxigraph.load(dataset)
    return {"memory": MemoryStore(dataset), "oxigraph": oxigraph}


def snapshot(store: Store) -> Graph | set[object]:
    """What the store holds, to compare before and after a query."""
    if isinstance(store, MemoryStore):
        return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in store.dataset.quads()}
    assert isinstance(store, OxigraphStore)
    return set(store.store)


def by_id(name: str) -> StoredQuery:
    return find_query(name, QUERIES)


# -- Headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_every_header_parses_and_query_is_valid(query: StoredQuery) -> None:
    header = parse_header(query.path)
    assert query.summary and query.description and query.tags
    assert set(header["parameters"]) == set(query.parameters)
    for param in query.parameters.values():
        assert not param.required, "an optional parameter keeps the file runnable as-is"
        assert param.example is not None and param.description
    prepareQuery(query.text)
    for word in ("SERVICE", "LOAD", "FROM", "GRAPH"):
        body = _without_comments(query.body)
        assert not re.search(rf"(?<![:\w?$]){word}\b", body, re.IGNORECASE), (
            f"{query.id} uses {word}"
        )


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_every_query_runs_on_pyoxigraph_as_is(query: StoredQuery) -> None:
    store = pyoxigraph.Store()
    solutions = store.query(query.text, use_default_graph_as_union=True)
    assert list(solutions) == [] or True


def test_query_ids_are_unique_and_numbered() -> None:
    numbers = [q.id.split("-")[0] for q in QUERIES]
    assert len(set(numbers)) == len(numbers)


def test_lang_convention_is_consistent() -> None:
    for query in QUERIES:
        if "lang" in query.parameters:
            assert query.parameters["lang"].type == "string"
            assert query.parameters["lang"].example == "en"
            assert 'COALESCE(?lang, "en")' in query.body


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("bad-yaml.rq", 3, "invalid #+ header"),
        ("unknown-type.rq", 3, "unknown type 'uri'"),
        ("unused-parameter.rq", 5, "never uses ?year"),
        ("unknown-key.rq", 2, "unknown header key 'tgas'"),
        ("bad-example.rq", 3, "example is invalid"),
        ("no-summary.rq", 1, "no summary"),
        ("assigned-parameter.rq", 3, "assigned with AS"),
        ("parameters-not-mapping.rq", 2, "must be a mapping"),
    ],
)
def test_invalid_header_names_file_and_line(name: str, line: int, fragment: str) -> None:
    path = BAD / name
    with pytest.raises(InputError) as info:
        parse_header(path)
    assert info.value.path == path
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"{path}:{line}")


def test_unknown_key_suggests_the_right_one() -> None:
    with pytest.raises(InputError) as info:
        parse_header(BAD / "unknown-key.rq")
    assert "tags" in (info.value.hint or "")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "01-broken.rq").write_text((BAD / "syntax-error.rq").read_text())
    with pytest.raises(InputError) as info:
        load_queries(folder)
    assert info.value.path.name == "01-broken.rq"
    assert info.value.line is not None


def test_misnamed_query_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "My Query.rq").write_text("#+ summary: x\nSELECT * {}")
    with pytest.raises(InputError, match="NN-slug"):
        load_queries(tmp_path)


# -- Finding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["01-meetings-by-topic", "01", "meetings-by-topic", "queries/01-meetings-by-topic.rq"],
)
def test_find_query_by_id_number_slug_or_path(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert find_query(name, QUERIES).id == "01-meetings-by-topic"


def test_find_query_suggests_close_names() -> None:
    with pytest.raises(InputError) as info:
        find_query("meetings-by-topik", QUERIES)
    assert "01-meetings-by-topic" in (info.value.hint or "")


# -- Parameter values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("topic:security", TOPIC + "security"),
        (f"<{TOPIC}security>", TOPIC + "security"),
        (TOPIC + "security", TOPIC + "security"),
        ("ictkg:MinisterialLevel", "https://w3id.org/ictkg/ontology#MinisterialLevel"),
        ("urn:isbn:123", "urn:isbn:123"),
    ],
)
def test_iri_values(raw: str, expected: str) -> None:
    assert parse_parameter(IRI, raw) == URIRef(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "security",
        "topic:a b",
        "<http://ex/a> } DROP ALL",
        "http://ex/a>",
        'http://ex/"a',
        "http://ex/{a}",
        "http://ex/a|b",
        "http://ex/a^b",
        "http://ex/a`b",
        "http://ex/a\\b",
        "http://ex/a\nb",
        "topic://x",
        "<relative>",
    ],
)
def test_invalid_iris_are_refused(raw: str) -> None:
    with pytest.raises(ParameterError):
        parse_parameter(IRI, raw)


def test_string_values() -> None:
    assert parse_parameter(STRING, "x") == Literal("x")
    assert parse_parameter(STRING, "x").language is None
    tagged = parse_parameter(QueryParameter("t", "string", lang="ja"), "セキュリティ")
    assert tagged == Literal("セキュリティ", lang="ja")
    hostile = parse_parameter(STRING, 'x"@en')
    assert str(hostile) == 'x"@en' and hostile.language is None


@pytest.mark.parametrize(
    ("raw", "datatype"),
    [("2012", XSD.gYear), ("2012-10", XSD.gYearMonth), ("2012-10-05", XSD.date)],
)
def test_date_values_keep_their_precision(raw: str, datatype: URIRef) -> None:
    value = parse_parameter(DATE, raw)
    assert isinstance(value, Literal) and value.datatype == datatype and str(value) == raw


@pytest.mark.parametrize("raw", ["2012-13", "2013-02-30", "12", "2012/10", "2012-1", "x"])
def test_invalid_dates_are_refused(raw: str) -> None:
    with pytest.raises(ParameterError):
        parse_parameter(DATE, raw)


def test_integer_values() -> None:
    assert parse_parameter(INTEGER, "2012") == Literal(2012)
    assert parse_parameter(INTEGER, "2012").datatype == XSD.integer
    for raw in ("2012.0", "1e3", "", "12 ; DROP"):
        with pytest.raises(ParameterError):
            parse_parameter(INTEGER, raw)


def test_unknown_parameter_names_are_errors() -> None:
    with pytest.raises(ParameterError) as info:
        prepare_bindings(by_id("05"), {"yaer": "2012"})
    assert "year" in (info.value.hint or "")


def test_terms_are_checked_against_the_declared_type() -> None:
    query = by_id("01")
    with pytest.raises(ParameterError):
        prepare_bindings(query, {"topic": Literal("topic:security")})
    with pytest.raises(ParameterError):
        prepare_bindings(query, {"topic": URIRef("http://ex/a b")})
    assert prepare_bindings(query, {"topic": URIRef(TOPIC + "x")}) == {"topic": URIRef(TOPIC + "x")}


def test_required_parameter_must_be_given() -> None:
    param = QueryParameter("topic", "iri", required=True)
    query = StoredQuery(
        id="99-x",
        path=Path("99-x.rq"),
        summary="x",
        description="",
        parameters={"topic": param},
        tags=(),
        text="SELECT * WHERE { ?s ?p ?topic }",
    )
    with pytest.raises(ParameterError, match="needs a value"):
        prepare_bindings(query, {})


# -- VALUES blocks --------------------------------------------------------------------------------


def test_values_clause_escapes_literals() -> None:
    block = values_clause(
        {"a": Literal('x" } DROP ALL #\n'), "b": Literal("y", lang="en"), "c": Literal(1)}
    )
    assert block == (
        'VALUES (?a ?b ?c) { ("x\\" } DROP ALL #\\n" "y"@en '
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    )


def test_values_clause_refuses_bad_names_and_terms() -> None:
    with pytest.raises(ParameterError):
        values_clause({"a b": Literal("x")})
    with pytest.raises(ParameterError):
        term_to_sparql(URIRef("http://ex/a> } "))
    with pytest.raises(ValueError):  # rdflib itself refuses the tag
        Literal("x", lang="en} DROP")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "select * where{?s ?p ?o}",
        "SELECT * { ?s ?p ?o }",
        "# a { comment\nPREFIX ex: <http://ex/>\nSELECT * WHERE { ?s ?p ?o }",
        'SELECT ("{" AS ?x) ?s WHERE { ?s ?p ?o FILTER(?x != "}") }',
        "SELECT ?s FROM <http://ex/g> WHERE { ?s ?p ?o }",
        "SELECT (EXISTS { ?a ?b ?c } AS ?e) ?s WHERE { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_inject_values_finds_the_outer_where(query: str) -> None:
    store = pyoxigraph.Store()
    ex = pyoxigraph.NamedNode("http://ex/s")
    store.add(pyoxigraph.Quad(ex, ex, ex))
    bound = inject_values(query, {"s": URIRef("http://ex/s")})
    assert "VALUES (?s)" in bound
    prepareQuery(bound)
    store.query(bound)
    head = bound[: bound.index("VALUES")]
    assert head.rstrip().endswith("{")


def test_inject_values_without_bindings_is_identity() -> None:
    assert inject_values("SELECT * {}", {}) == "SELECT * {}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_round_trips_through_values(text: str) -> None:
    """Whatever the text, the VALUES block binds exactly that literal."""
    bound = inject_values("SELECT ?x WHERE { }", {"x": Literal(text)})
    solutions = list(pyoxigraph.Store().query(bound))
    assert len(solutions) == 1 and solutions[0]["x"].value == text
    rows = list(Dataset().query(bound))
    assert len(rows) == 1 and str(rows[0][0]) == text


# -- Parameter safety on the real data ------------------------------------------------------------

HOSTILE = [
    '"',
    "'",
    "}",
    "{",
    "} DROP ALL",
    '" } DROP ALL #',
    'x" . } ; DROP ALL ; SELECT * { #',
    "#",
    "\n} DROP ALL\n",
    'x"^^<http://www.w3.org/2001/XMLSchema#integer>',
    'x"@en',
    "\\",
    '\\" }',
    "\\u0022 } DROP ALL #",
    "<script>",
    "topic:security> } DROP ALL #",
    "http://ex/a> . ?s ?p ?o",
    "",
]


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_fail_or_match_literally(
    value: str, backend: str, stores: dict[str, Store]
) -> None:
    store = stores[backend]
    before = snapshot(store)
    # A string parameter: matched literally, so only labels containing the text come back.
    result = run_query(by_id("24"), store, {"text": value})
    for row in result.rows:
        assert value.lower() in str(row[1]).lower()
    # An IRI parameter: refused or an IRI that matches nothing.
    try:
        result = run_query(by_id("01"), store, {"topic": value, "lang": value})
    except ParameterError:
        pass
    else:
        assert result.rows == ()
    # Date and integer parameters: refused.
    for name, query in (("from", "06"), ("year", "05")):
        with pytest.raises(ParameterError):
            run_query(by_id(query), store, {name: value})
    assert snapshot(store) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(max_size=30))
def test_generated_values_never_break_the_query(value: str) -> None:
    oxigraph = _HYPOTHESIS_STORES["oxigraph"]
    memory = _HYPOTHESIS_STORES["memory"]
    size = len(oxigraph)  # type: ignore[arg-type]
    for row in run_query(by_id("24"), oxigraph, {"text": value}).rows:
        assert value.lower() in str(row[1]).lower()
    for query, name in (("01", "topic"), ("06", "to"), ("05", "year")):
        try:
            ox_rows = run_query(by_id(query), oxigraph, {name: value}).rows
        except ParameterError:
            continue
        mem_rows = run_query(by_id(query), memory, {name: value}).rows
        assert sorted(map(str, ox_rows)) == sorted(map(str, mem_rows))
    assert len(oxigraph) == size  # type: ignore[arg-type]


_HYPOTHESIS_STORES: dict[str, Store] = {}


@pytest.fixture(autouse=True, scope="module")
def _hypothesis_stores(stores: dict[str, Store]) -> None:
    _HYPOTHESIS_STORES.update(stores)


# -- Hand-checked answers -------------------------------------------------------------------------


def events(store: Store, query: str, topic: str) -> set[str]:
    result = run_query(by_id(query), store, {"topic": topic})
    column = result.variables.index("event")
    return {str(row[column]).rsplit("/", 1)[1] for row in result.rows}


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_cybersecurity_alone_and_with_narrower(backend: str, stores: dict[str, Store]) -> None:
    store = stores[backend]
    assert events(store, "01", "topic:cybersecurity") == {
        "jp-us-ied-4",
        "jp-in-ministerial-visit-2013-02",
    }
    assert events(store, "02", "topic:cybersecurity") == {
        "jp-us-ied-3",
        "jp-us-ied-4",
        "jp-in-ministerial-visit-2013-02",
    }


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_security_privacy_cloud_as_a_whole(backend: str, stores: dict[str, Store]) -> None:
    store = stores[backend]
    assert events(store, "02", "topic:security") == {
        "jp-us-ied-3",
        "jp-us-ied-4",
        "jp-in-ministerial-visit-2013-02",
        "jp-eu-internet-security-forum-2012",
        "jp-fi-ict-policy-consultation-13",
    }
    assert events(store, "02", "topic:privacy") == {
        "jp-us-ied-4",
        "jp-eu-internet-security-forum-2012",
        "jp-fr-ict-policy-consultation-16",
        "jp-fi-ict-policy-consultation-13",
    }
    assert events(store, "02", "topic:cloud-computing") == {
        "jp-us-ied-4",
        "jp-eu-ict-policy-dialogue-19",
    }


def test_series_meetings_come_in_order(stores: dict[str, Store]) -> None:
    for store in stores.values():
        result = run_query(by_id("08"), store, {"series": "series:jp-us-ied"})
        assert [int(row[2]) for row in result.rows] == [1, 3, 4]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bindings", "expected"),
    [
        ({"from": "2012-10-15", "to": "2012-10-15"}, {"jp-us-ied-4"}),
        (
            {"from": "2013"},
            {
                "jp-th-summit-2013-01",
                "jp-fr-ict-policy-consultation-16",
                "jp-in-ministerial-visit-2013-02",
                "jp-fi-ict-policy-consultation-13",
            },
        ),
        ({"to": "2010"}, {"jp-us-ied-1", "jp-us-summit-2010-11"}),
        ({"from": "2013-03", "to": "2013-05-31"}, set()),
    ],
)
def test_date_ranges_respect_precision(
    bindings: dict[str, str], expected: set[str], stores: dict[str, Store]
) -> None:
    for store in stores.values():
        result = run_query(by_id("06"), store, bindings)
        assert {str(row[1]).rsplit("/", 1)[1] for row in result.rows} == expected


# -- Catalogue ------------------------------------------------------------------------------------


def test_catalogue_describes_every_query() -> None:
    graph = catalogue_graph(QUERIES, ROOT)
    for query in QUERIES:
        node = KIND["query"][query.id]
        assert (node, RDF.type, SH.SPARQLExecutable) in graph
        assert (node, RDF.type, SH.SPARQLSelectExecutable) in graph
        select = graph.value(node, SH.select)
        assert select is not None and not str(select).startswith("#+")
        prepareQuery(str(select))
    assert len(set(graph.subjects(RDF.type, SH.SPARQLSelectExecutable))) == len(QUERIES)


def test_catalogue_graph_keeps_data_valid_and_checks_passing() -> None:
    """The catalogue sits in its own graph; no shape targets its nodes and the checks pass."""
    paths = ProjectPaths(ROOT)
    plain = build_dataset(paths)
    with_catalogue = build_dataset(paths, extra_graph_builders=[add_catalogue])
    catalogue = with_catalogue.graph(QUERY_CATALOGUE_GRAPH)
    assert isomorphic(catalogue, catalogue_graph(QUERIES, ROOT))
    # Validating the ontology with and without the catalogue gives the same results, so no
    # shape targets a catalogue node (validating the whole data twice would be slow).
    shapes = load_shapes(paths)
    ontology = Graph()
    ontology += with_catalogue.graph(ONTOLOGY_GRAPH)
    alone = Dataset(default_union=True)
    alone.graph(ONTOLOGY_GRAPH).__iadd__(ontology)
    together = Dataset(default_union=True)
    together.graph(ONTOLOGY_GRAPH).__iadd__(ontology)
    together.graph(QUERY_CATALOGUE_GRAPH).__iadd__(catalogue)
    before = validate(alone, shapes, ontology)
    after = validate(together, shapes, ontology)
    assert len(after.results) == len(before.results)
    checks = {c.name: c.passed for c in run_checks(with_catalogue, paths)}
    assert checks == {c.name: c.passed for c in run_checks(plain, paths)}
