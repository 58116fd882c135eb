"""The stored queries as a grlc API: the real grlc package (PyPI) serving ``queries/`` against
the real Oxigraph server, and its answers compared with ``ictkg query``'s on the same server.

grlc takes a query's parameters from its variable names (``?__topic_iri``: an optional IRI) and
writes each value into the query text; ictkg binds the same variables the same way
(``ictkg.queries.sparql.bind_parameters``). For every stored query, with no values and with the
header's example values, both must give the same rows, and grlc's API must declare exactly the
parameters the header declares.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from golden_support import FIXTURE_ONLY_EXAMPLES
from ictkg.project import Project
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.queries.parameters import parse_parameter
from ictkg.stores.names import UnknownNameError
from oxigraph_support import SparqlServer, free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_queries(ROOT / "queries")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class GrlcServer:
    base: str
    log: Path

    def get(self, path: str, params: dict[str, str] | None = None, accept: str = "") -> Any:
        url = f"{self.base}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


@pytest.fixture(scope="module")
def grlc(
    tmp_path_factory: pytest.TempPathFactory, oxigraph_bulk_server: SparqlServer
) -> Iterator[GrlcServer]:
    """grlc's own server (gunicorn over ``grlc.server:app``, as its ``grlc-server`` script runs
    it, with one worker on loopback), configured as grlc's README says: ``config.ini`` in the
    working folder naming the local query folder and the default SPARQL endpoint."""
    folder = tmp_path_factory.mktemp("grlc")
    (folder / "config.ini").write_text(
        "[defaults]\n"
        f"sparql_endpoint = {oxigraph_bulk_server.query_url}\n"
        "[local]\n"
        f"local_sparql_dir = {ROOT / 'queries'}\n",
        encoding="utf-8",
    )
    port = free_port()
    log = folder / "grlc.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
            + ["grlc.server:app"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = GrlcServer(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"grlc exited early:\n{log.read_text(errors='replace')}")
            try:
                server.get("/api-local/swagger")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"grlc did not come up:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def swagger(grlc: GrlcServer) -> dict[str, Any]:
    _, body = grlc.get("/api-local/swagger")
    spec: dict[str, Any] = json.loads(body)
    return spec


def _cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> tuple[str, ...] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    datatype = term.datatype.value
    return ("literal", term.value, term.language or "", "" if term.language else datatype)


def _json_cell(binding: dict[str, str] | None) -> tuple[str, ...] | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        return ("uri", binding["value"])
    if binding["type"] == "bnode":
        return ("bnode",)
    lang = binding.get("xml:lang", "")
    return ("literal", binding["value"], lang, "" if lang else binding.get("datatype", XSD_STRING))


def _examples(query: StoredQuery) -> dict[str, str]:
    """The header's example values, as a grlc user types them (full IRIs, plain lexical forms)."""
    values = {}
    for param in query.parameters.values():
        if param.example is not None:
            values[param.name] = parse_parameter(param, param.example).value
    return values


CASES = [(q, case) for q in QUERIES for case in ("all", "example") if case == "all" or q.parameters]


@pytest.mark.parametrize(("query", "case"), CASES, ids=[f"{q.id}-{case}" for q, case in CASES])
def test_grlc_answers_as_ictkg_query(
    query: StoredQuery,
    case: str,
    grlc: GrlcServer,
    oxigraph_bulk_server: SparqlServer,
    real_project: Project,
) -> None:
    values = _examples(query) if case == "example" else {}
    content_type, body = grlc.get(
        f"/api-local/{query.id}", values, accept="application/sparql-results+json"
    )
    # grlc answers 200 whatever the endpoint said: a rewritten query that is not valid SPARQL
    # shows up as an error text instead of JSON.
    assert "sparql-results+json" in content_type, body[:500]
    answer = json.loads(body)
    if case == "example" and query.id in FIXTURE_ONLY_EXAMPLES:
        # grlc checks nothing and answers no rows; ictkg looks the value up and refuses it.
        assert answer["results"]["bindings"] == []
        with pytest.raises(UnknownNameError, match="is not in the graph"):
            real_project.query(query.id, values, endpoint=oxigraph_bulk_server.query_url)
        return
    ours = real_project.query(query.id, values, endpoint=oxigraph_bulk_server.query_url).result
    assert answer["head"]["vars"] == list(ours.variables)
    theirs = sorted(
        (
            tuple(_json_cell(row.get(v)) for v in ours.variables)
            for row in answer["results"]["bindings"]
        ),
        key=repr,
    )
    expected = sorted((tuple(_cell(t) for t in row) for row in ours.rows), key=repr)
    assert theirs == expected
    if case == "all":  # (31's example names a series of the fixture edition, not real data)
        assert expected, "with no values every stored query has an answer on the real data"


@pytest.mark.parametrize("query", QUERIES, ids=[q.id for q in QUERIES])
def test_grlc_declares_the_parameters_the_header_declares(
    query: StoredQuery, swagger: dict[str, Any]
) -> None:
    operation = swagger["paths"][f"/{query.id}"]["get"]
    declared = {
        p["name"]: (p["required"], p.get("format"))
        for p in operation.get("parameters") or []
        if p["name"] != "endpoint"  # grlc's own: the endpoint to send the query to
    }
    assert declared == {
        p.name: (p.required, "iri" if p.type == "iri" else None) for p in query.parameters.values()
    }
    assert operation["summary"] == query.summary
