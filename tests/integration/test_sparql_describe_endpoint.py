"""``ictkg sparql`` and ``ictkg describe --endpoint`` against a real Oxigraph server (started by
the ``oxigraph_server`` fixture, never mocked): the same answers as the embedded store, graph
answers negotiated over the SPARQL Protocol and read back as RDF."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from ictkg import cli
from ictkg.namespaces import PREFIXES
from ictkg.project import Project
from ictkg.stores.endpoint import SparqlEndpointStore

pytestmark = pytest.mark.integration

MEETING = PREFIXES["meeting"] + "jp-us-ied-"
SERIES = PREFIXES["series"] + "jp-us-ied"
IN_SERIES = PREFIXES["ictkg"] + "inSeries"
CONSTRUCT = (
    "CONSTRUCT { ?m ictkg:inSeries ?s } WHERE { ?m ictkg:inSeries ?s "
    "FILTER(?s = series:jp-us-ied) }"
)


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, real_project: Project) -> str:  # type: ignore[no-untyped-def]
    """The server, holding what every in-process store holds: the dataset and its description."""
    store = SparqlEndpointStore(
        oxigraph_server.query_url, oxigraph_server.update_url, oxigraph_server.store_url
    )
    store.clear()
    store.load([*real_project.quads(), *real_project.description()])
    return str(oxigraph_server.query_url)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_select_on_the_server(capsys: pytest.CaptureFixture[str], endpoint: str) -> None:
    query = "SELECT ?m WHERE { ?m ictkg:inSeries series:jp-us-ied } ORDER BY ?m"
    code, out, err = run(capsys, "sparql", query, "--format", "csv", "--endpoint", endpoint)
    assert code == 0, err
    assert [r[0] for r in csv.reader(io.StringIO(out))][1:] == [MEETING + n for n in "134"]


def test_ask_on_the_server(capsys: pytest.CaptureFixture[str], endpoint: str) -> None:
    code, out, _ = run(
        capsys, "sparql", "ASK { meeting:jp-us-ied-4 a ictkg:Meeting }", "--endpoint", endpoint
    )
    assert (code, out) == (0, "true\n")


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("turtle", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("ntriples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_construct_on_the_server(
    capsys: pytest.CaptureFixture[str], endpoint: str, fmt: str, rdf_format: ox.RdfFormat
) -> None:
    code, out, err = run(capsys, "sparql", CONSTRUCT, "--format", fmt, "--endpoint", endpoint)
    assert code == 0, err
    triples = {q.triple for q in ox.parse(out.encode(), format=rdf_format)}
    assert triples == {
        ox.Triple(ox.NamedNode(MEETING + n), ox.NamedNode(IN_SERIES), ox.NamedNode(SERIES))
        for n in "134"
    }


def test_describe_query_matches_the_embedded_store(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    remote = run(capsys, "sparql", "DESCRIBE country:fr", "--endpoint", endpoint)
    local = run(capsys, "sparql", "DESCRIBE country:fr")
    assert remote[0] == local[0] == 0
    assert remote[1] == local[1]


def test_a_syntax_error_is_caught_before_the_server_is_asked(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    code, _, err = run(capsys, "sparql", "SELECT ?m WHERE {\n ?m ?p }", "--endpoint", endpoint)
    assert code == 65 and "<query>:2:" in err


@pytest.mark.parametrize("fmt", ["table", "turtle", "jsonld", "ntriples"])
def test_describe_on_the_server_matches_the_embedded_store(
    capsys: pytest.CaptureFixture[str], endpoint: str, fmt: str
) -> None:
    remote = run(capsys, "describe", "meeting:jp-us-ied-4", "--format", fmt, "--endpoint", endpoint)
    local = run(capsys, "describe", "meeting:jp-us-ied-4", "--format", fmt)
    assert remote[0] == local[0] == 0, remote[2]
    if fmt == "table":  # the table names where the answer came from
        assert f"answered by: {endpoint}" in remote[1]
        remote_text = remote[1].replace(endpoint, "SOURCE")
        local_text = local[1].replace("answered by: embedded", "answered by: SOURCE")
        assert remote_text == local_text
    else:
        assert remote[1] == local[1]
    assert "ワシントンD.C.で開催され" in remote[1]


def test_describe_by_japanese_label_on_the_server(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    code, out, _ = run(capsys, "describe", "フィンランド", "--endpoint", endpoint, "--lang", "ja")
    assert code == 0 and out.startswith("country:fi\n")
    code, _, err = run(capsys, "describe", "Footnote", "--endpoint", endpoint)
    assert code == 2 and "ictkg:footnote" in err
