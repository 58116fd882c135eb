"""`ictkg load` into a real Virtuoso 7 (Debian's), then every stored query from a plain client.

The server is the session's ``virtuoso_server`` (its own folder and ports); `ictkg load` reaches
it only through the SPARQL 1.1 Protocol, Update and the Graph Store Protocol
(``/sparql-graph-crud``), as an operator's loader would. Virtuoso applies the one update of
``MOVE``s in one transaction, which the reader test checks.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from golden_support import GOLDEN, answer, read_golden
from ictkg.cli import main
from ictkg.namespaces import (
    GRAPH_NS,
    QUERY_CATALOGUE_GRAPH_IRI,
    REFERENCE_GRAPH_IRI,
    edition_graph_iri,
)
from ictkg.project import Project
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.stores.endpoint import SparqlEndpointStore
from ictkg.stores.loader import derive_urls, load_quads
from ictkg.stores.loads import is_staging_graph
from protocol_support import (
    PlainProtocolClient,
    counts_seen_during,
    graph_counts,
    one_more_triple_in,
)
from stub_endpoint import hashes_of
from virtuoso_support import VirtuosoServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")


def _ictkg_quads(url: str) -> list[ox.Quad]:
    rows = PlainProtocolClient(url).query(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NS}") || ?g = <{QUERY_CATALOGUE_GRAPH_IRI}>) }}'
    )
    return [ox.Quad(s, p, _canonical(o), g) for g, s, p, o in rows.rows]  # type: ignore[arg-type]


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _canonical(
    term: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Virtuoso 7 answers xsd:boolean true as "1"^^xsd:boolean (the same value, another lexical
    form; docs/engines.md): compare canonical forms."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    return term


@pytest.fixture(scope="module")
def loaded(virtuoso_server: VirtuosoServer, real_project: Project) -> VirtuosoServer:
    root = str(real_project.root)
    assert main(["--root", root, "load", "--endpoint", virtuoso_server.query_url]) == 0
    return virtuoso_server


def test_virtuoso_holds_exactly_the_loaded_dataset(
    loaded: VirtuosoServer, real_project: Project
) -> None:
    expected = [
        *real_project.quads(),
        *real_project.description(endpoint=loaded.query_url),
    ]
    assert hashes_of(_ictkg_quads(loaded.query_url)) == hashes_of(expected)
    graphs = PlainProtocolClient(loaded.query_url).query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert not any(is_staging_graph(g.value) for g in graphs.column("g"))  # type: ignore[union-attr]


def test_loading_again_changes_nothing(loaded: VirtuosoServer, real_project: Project) -> None:
    before = hashes_of(_ictkg_quads(loaded.query_url))
    assert main(["--root", str(real_project.root), "load", "--endpoint", loaded.query_url]) == 0
    assert hashes_of(_ictkg_quads(loaded.query_url)) == before


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_stored_query_after_ictkg_load(query: StoredQuery, loaded: VirtuosoServer) -> None:
    expected = read_golden(GOLDEN / f"{query.id}.csv")
    assert answer(query, PlainProtocolClient(loaded.query_url)) == expected  # type: ignore[arg-type]
    assert answer(query, SparqlEndpointStore(loaded.query_url)) == expected


def test_a_reader_sees_the_old_or_the_new_dataset_never_a_mix(
    loaded: VirtuosoServer, real_project: Project
) -> None:
    old = [*real_project.quads(), *real_project.description(endpoint=loaded.query_url)]
    new = one_more_triple_in(old, (REFERENCE_GRAPH_IRI, edition_graph_iri("wp2013")))
    endpoint = derive_urls(loaded.query_url, environ={"NETRC": "/nonexistent"})
    old_counts = graph_counts(loaded.query_url)

    def reload() -> None:
        for _ in range(3):
            load_quads(new, endpoint)
            load_quads(old, endpoint)
        load_quads(new, endpoint)

    seen, reads = counts_seen_during(loaded.query_url, reload)
    new_counts = graph_counts(loaded.query_url)
    assert new_counts != old_counts
    assert seen <= {old_counts, new_counts}, "\n".join(
        map(str, [old_counts, new_counts, "--", *(seen - {old_counts, new_counts})])
    )
    assert reads > 10
    load_quads(old, endpoint)
    assert graph_counts(loaded.query_url) == old_counts


def test_wrong_credentials_fail_at_once_and_change_nothing(
    loaded: VirtuosoServer,
    real_project: Project,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Virtuoso's Digest-protected endpoints refuse a wrong password: exit 77, no retry, the
    live graphs as they were, and the password in no output."""
    sentinel = "s3ntinel-virtuoso-Pw"
    before = hashes_of(_ictkg_quads(loaded.query_url))
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", sentinel)
    capsys.readouterr()
    code = main(
        [
            "--debug",
            "--root",
            str(real_project.root),
            "load",
            "--endpoint",
            f"{loaded.base}/sparql-auth",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 77
    assert "refused the credentials (HTTP 401)" in err
    assert sentinel not in out + err
    assert hashes_of(_ictkg_quads(loaded.query_url)) == before


def test_the_right_credentials_load_through_digest(
    loaded: VirtuosoServer, real_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICTKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", "dba")  # the throwaway server's own
    endpoint = f"{loaded.base}/sparql-auth"
    assert main(["--root", str(real_project.root), "load", "--endpoint", endpoint]) == 0
    expected = [*real_project.quads(), *real_project.description(endpoint=endpoint)]
    assert hashes_of(_ictkg_quads(loaded.query_url)) == hashes_of(expected)
