"""`ictkg load` into a real Oxigraph server: the stored queries then give the golden answers,
reloading changes nothing, and a reader never sees a mix of the old and the new dataset."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from golden_support import FIXTURE_ONLY_EXAMPLES, GOLDEN, cell, read_golden
from golden_support import answer as golden_answer
from ictkg.cli import main
from ictkg.namespaces import (
    GRAPH_NS,
    QUERY_CATALOGUE_GRAPH_IRI,
    REFERENCE_GRAPH_IRI,
    VOID_GRAPH_IRI,
    edition_graph_iri,
)
from ictkg.project import Project
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.stores.loader import derive_urls, load_quads, new_load_id
from ictkg.stores.loads import STAGING_NS, is_staging_graph
from oxigraph_support import SparqlServer, start_oxigraph, stop
from protocol_support import (
    PlainProtocolClient,
    counts_seen_during,
    graph_counts,
    one_more_triple_in,
)
from stub_endpoint import hashes_of

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")


def server_quads(server) -> list[ox.Quad]:  # type: ignore[no-untyped-def]
    """Everything the server holds (Graph Store Protocol GET of the whole dataset)."""
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return list(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def ictkg_hashes(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        g: h
        for g, h in hashes_of(server_quads(server)).items()
        if g.startswith(GRAPH_NS) or g == QUERY_CATALOGUE_GRAPH_IRI
    }


@pytest.fixture(scope="module")
def loaded(oxigraph_server, real_project: Project) -> object:  # type: ignore[no-untyped-def]
    code = main(["--root", str(real_project.root), "load", "--endpoint", oxigraph_server.query_url])
    assert code == 0
    return oxigraph_server


def test_the_server_holds_the_dataset_and_no_staging_graph(
    loaded,
    real_project: Project,  # type: ignore[no-untyped-def]
) -> None:
    description = real_project.description(endpoint=loaded.query_url)
    assert ictkg_hashes(loaded) == hashes_of([*real_project.quads(), *description])
    assert any(str(q.graph_name.value) == VOID_GRAPH_IRI for q in description)
    assert not any(is_staging_graph(str(q.graph_name.value)) for q in server_quads(loaded))


def _cli_answer(query: StoredQuery, url: str, capsys, params: dict[str, str]) -> list[list[str]]:  # type: ignore[no-untyped-def]
    args = ["query", query.id, "--format", "srj", "--endpoint", url]
    for name, value in params.items():
        args += ["--lang", value] if name == "lang" else ["-p", f"{name}={value}"]
    assert main(args) == 0
    result = ox.parse_query_results(
        capsys.readouterr().out.encode(), format=ox.QueryResultsFormat.JSON
    )
    variables = [v.value for v in result.variables]
    return [[cell(row[v]) for v in variables] for row in result], variables


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_every_stored_query_run_by_the_cli_matches_its_golden(
    query: StoredQuery,
    loaded,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    examples = {p.name: p.example for p in query.parameters.values() if p.example is not None}
    rows: list[list[str]] = []
    header: list[str] = []
    cases: list[tuple[str, dict[str, str]]] = [("example", examples), ("all", {})]
    if query.id in FIXTURE_ONLY_EXAMPLES:
        # Its example is not in the real data, which ictkg query checks (no example rows).
        args = [a for n, v in examples.items() if n != "lang" for a in ("-p", f"{n}={v}")]
        assert main(["query", query.id, "--endpoint", loaded.query_url, *args]) == 2
        assert "is not in the graph" in capsys.readouterr().err
        cases = cases[1:]
    for case, params in cases:
        answer, variables = _cli_answer(query, loaded.query_url, capsys, params)
        header = ["case", *variables]
        rows += [[case, *row] for row in answer]
    expected_header, expected_rows = read_golden(GOLDEN / f"{query.id}.csv")
    assert header == expected_header
    assert sorted(rows) == expected_rows


@pytest.fixture(scope="module")
def union_server(
    tmp_path_factory: pytest.TempPathFactory, real_project: Project
) -> Iterator[SparqlServer]:
    """An Oxigraph server started as docs/engines.md says (``--union-default-graph``), filled
    by ``ictkg load``."""
    try:
        server, process = start_oxigraph(
            tmp_path_factory.mktemp("oxigraph-union"), "--union-default-graph"
        )
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        code = main(["--root", str(real_project.root), "load", "--endpoint", server.query_url])
        assert code == 0
        yield server
    finally:
        stop(process)


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_every_stored_query_from_a_plain_client_after_ictkg_load(
    query: StoredQuery, union_server: SparqlServer
) -> None:
    """What curl or grlc sees after `ictkg load`: no graph named in the request."""
    client = PlainProtocolClient(union_server.query_url)
    assert golden_answer(query, client) == read_golden(GOLDEN / f"{query.id}.csv")  # type: ignore[arg-type]


def test_reloading_gives_identical_graphs(loaded, real_project: Project) -> None:  # type: ignore[no-untyped-def]
    before = ictkg_hashes(loaded)
    for _ in range(2):
        assert main(["--root", str(real_project.root), "load", "--endpoint", loaded.query_url]) == 0
        assert ictkg_hashes(loaded) == before


def test_a_reader_sees_the_old_or_the_new_dataset_never_a_mix(
    loaded,
    real_project: Project,  # type: ignore[no-untyped-def]
) -> None:
    old = real_project.quads()
    new = one_more_triple_in(old, (REFERENCE_GRAPH_IRI, edition_graph_iri("wp2013")))
    endpoint = derive_urls(loaded.query_url, environ={"NETRC": "/nonexistent"})
    load_quads(old, endpoint)
    old_counts = graph_counts(loaded.query_url)

    def reload() -> None:
        for _ in range(3):
            load_quads(new, endpoint)
            load_quads(old, endpoint)
        load_quads(new, endpoint)

    seen, reads = counts_seen_during(loaded.query_url, reload)
    new_counts = graph_counts(loaded.query_url)
    assert new_counts != old_counts
    assert seen <= {old_counts, new_counts}, seen - {old_counts, new_counts}
    assert reads > 10
    load_quads(old, endpoint)  # leave the server as the other tests expect it
    assert graph_counts(loaded.query_url) == old_counts


def test_large_graphs_go_by_the_bulk_loader_and_obsolete_graphs_are_dropped(
    loaded,  # type: ignore[no-untyped-def]
    real_project: Project,
) -> None:
    seed = real_project.quads()
    big = ox.NamedNode(GRAPH_NS + "synthetic")
    extra = [
        ox.Quad(
            ox.NamedNode(f"urn:bench:s{i}"), ox.NamedNode("urn:bench:p"), ox.Literal(str(i)), big
        )
        for i in range(12_000)
    ]
    endpoint = derive_urls(loaded.query_url, environ={"NETRC": "/nonexistent"})
    done = load_quads([*seed, *extra], endpoint)
    methods = {g.graph: g.method for g in done.graphs}
    assert methods[big.value] == "bulk PUT ?no_transaction"
    assert methods[REFERENCE_GRAPH_IRI] == "Graph Store PUT"  # small: not worth the bulk loader
    assert dict(graph_counts(loaded.query_url))[big.value] == 12_000
    again = load_quads(seed, endpoint)
    assert again.dropped == (big.value,)
    assert ictkg_hashes(loaded) == hashes_of(seed)


def test_the_staging_graphs_a_killed_load_left_are_dropped_by_the_next_load_once_stale(
    loaded,  # type: ignore[no-untyped-def]
    real_project: Project,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What a load killed with SIGKILL leaves (tests/integration/test_slow_kill.py shows it):
    staging graphs that nobody drops. Planted here with the Graph Store Protocol under a load
    id of two hours ago and one of a minute ago."""
    now = time.time()
    stale, young = (f"{STAGING_NS}{new_load_id(now - age)}/wp2013" for age in (7200, 60))
    for graph in (stale, young):
        put = urllib.request.Request(
            f"{loaded.store_url}?graph={urllib.parse.quote(graph, safe='')}",
            data=b"<urn:s> <urn:p> <urn:o> .\n",
            headers={"Content-Type": "application/n-triples"},
            method="PUT",
        )
        urllib.request.urlopen(put, timeout=30).close()

    code = main(["--root", str(real_project.root), "load", "--endpoint", loaded.query_url])
    err = capsys.readouterr().err
    assert code == 0, err
    graphs = {str(q.graph_name.value) for q in server_quads(loaded)}
    assert stale not in graphs and young in graphs
    assert "dropped 1 staging graph; they were left by 1 earlier load that did not finish" in err
    assert "left 1 staging graph of 1 other load alone" in err
    description = real_project.description(endpoint=loaded.query_url)
    assert ictkg_hashes(loaded) == hashes_of([*real_project.quads(), *description])

    drop = urllib.parse.urlencode({"update": f"DROP GRAPH <{young}>"}).encode()
    urllib.request.urlopen(loaded.update_url, drop, timeout=30).close()
