"""``ictkg sparql`` through main(): every output format, text, file and standard input, the
project prefixes, graph answers read back as RDF, and each error's exit code."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg import cli
from ictkg.namespaces import PREFIXES

SRX = "{http://www.w3.org/2005/sparql-results#}"
MEETING = PREFIXES["meeting"] + "jp-us-ied-"
SERIES = PREFIXES["series"] + "jp-us-ied"
IN_SERIES = PREFIXES["ictkg"] + "inSeries"

SELECT = (
    "SELECT ?m ?date WHERE { ?m ictkg:inSeries series:jp-us-ied "
    "OPTIONAL { ?m dct:date ?date } } ORDER BY ?m"
)
CONSTRUCT = (
    "CONSTRUCT { ?m ictkg:inSeries series:jp-us-ied } WHERE { ?m ictkg:inSeries series:jp-us-ied }"
)
EXPECTED = {
    ox.Triple(ox.NamedNode(MEETING + n), ox.NamedNode(IN_SERIES), ox.NamedNode(SERIES))
    for n in "134"
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("backend", ["embedded", "memory"])
def test_select_as_a_table(capsys: pytest.CaptureFixture[str], backend: str) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--backend", backend)
    assert code == 0
    assert "meeting:jp-us-ied-1" in out and "2012-10" in out
    assert "(3 rows)" in out


def test_select_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["m", "date"]
    assert [r[0] for r in rows[1:]] == [MEETING + n for n in "134"]
    assert rows[3][1] == "2012-10" and rows[2][1] == ""


def test_select_tsv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--format", "tsv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "?m\t?date"
    assert lines[1].startswith(f"<{MEETING}1>\t")


def test_select_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [row["m"] for row in data] == [MEETING + n for n in "134"]
    assert data[1]["date"] is None


def test_select_srj(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--format", "srj")
    assert code == 0
    parsed = ox.parse_query_results(out.encode(), format=ox.QueryResultsFormat.JSON)
    assert [s["m"] for s in parsed] == [ox.NamedNode(MEETING + n) for n in "134"]  # type: ignore[union-attr]


def test_select_srx(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", SELECT, "--format", "srx")
    assert code == 0
    root = ET.fromstring(out)
    uris = [u.text for u in root.iter(f"{SRX}uri")]
    assert uris == [MEETING + n for n in "134"]


def test_ask_as_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    ask = "ASK { meeting:jp-us-ied-4 dct:subject topic:privacy }"
    assert run(capsys, "sparql", ask)[:2] == (0, "true\n")
    assert run(capsys, "sparql", ask, "--format", "json")[:2] == (0, "true\n")
    code, out, _ = run(capsys, "sparql", ask.replace("-4", "-1"), "--format", "srj")
    assert code == 0 and json.loads(out)["boolean"] is False


def _parse(text: str, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(text.encode("utf-8"), format=fmt)}


@pytest.mark.parametrize("backend", ["embedded", "memory"])
def test_construct_as_turtle_parses_back_to_the_expected_triples(
    capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    code, out, _ = run(capsys, "sparql", CONSTRUCT, "--backend", backend)
    assert code == 0
    assert out.startswith("@prefix ")
    assert "meeting:jp-us-ied-1 ictkg:inSeries series:jp-us-ied" in out
    assert _parse(out, ox.RdfFormat.TURTLE) == EXPECTED


def test_construct_as_ntriples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", CONSTRUCT, "--format", "ntriples")
    assert code == 0
    assert len(out.splitlines()) == 3
    assert _parse(out, ox.RdfFormat.N_TRIPLES) == EXPECTED


def test_construct_as_jsonld_with_an_inline_context(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", CONSTRUCT, "--format", "jsonld")
    assert code == 0
    document = json.loads(out)
    assert document["@context"]["series"] == PREFIXES["series"]  # nothing to fetch
    assert {node["@id"] for node in document["@graph"]} == {f"meeting:jp-us-ied-{n}" for n in "134"}
    assert _parse(out, ox.RdfFormat.JSON_LD) == EXPECTED


@pytest.mark.parametrize("backend", ["embedded", "memory"])
def test_describe_query(capsys: pytest.CaptureFixture[str], backend: str) -> None:
    code, out, _ = run(capsys, "sparql", "DESCRIBE country:fr", "--backend", backend)
    assert code == 0
    triples = _parse(out, ox.RdfFormat.TURTLE)
    france = ox.NamedNode(PREFIXES["country"] + "fr")
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    assert ox.Triple(france, label, ox.Literal("France", language="en")) in triples


def test_query_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(CONSTRUCT))
    code, out, _ = run(capsys, "sparql", "-", "--format", "ntriples")
    assert code == 0
    assert _parse(out, ox.RdfFormat.N_TRIPLES) == EXPECTED


def test_query_from_a_file_without_a_header(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "question.sparql"
    path.write_text(SELECT + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "sparql", str(path), "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "m,date"


def test_a_syntax_error_names_the_file_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "broken.rq"
    # A misspelt LIMIT on line 3, with more lines after it.
    path.write_text("SELECT ?m WHERE {\n  ?m a ictkg:Meeting\n} LIMT 3\n\n\n", encoding="utf-8")
    code, _, err = run(capsys, "sparql", str(path))
    assert code == 65
    assert f"error: {path}:3:" in err and "SPARQL syntax error" in err
    code, _, err = run(capsys, "sparql", "SELECT ?m WHERE {\n ?m ?p }")
    assert code == 65 and "error: <query>:2:" in err


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://example.org/g> { ?s ?p ?o }",
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_network_keywords_exit_77(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, _, err = run(capsys, "sparql", text)
    assert code == 77 and "not allowed" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "SPARQL Update"),
        ([SELECT, "--format", "turtle"], "does not fit a SELECT query"),
        ([CONSTRUCT, "--format", "csv"], "does not fit a CONSTRUCT query"),
        (["   "], "empty"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "sparql", *args)
    assert code == 2 and message in err


def test_a_missing_query_file_exits_66(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "sparql", str(tmp_path / "nothing-here.rq"))
    assert code == 66 and "no such query file" in err


def test_help_teaches_by_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sparql", "--help")
    assert code == 0
    assert "Example:" in out and "ictkg sparql -" in out and "--format" in out


def test_on_a_built_store_neither_command_loads_rdflib(
    tmp_project, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from cli.test_startup import loaded_after

    assert loaded_after("sparql", "--help") == (0, [])
    assert cli.main(["--root", str(tmp_project.root), "build"]) == 0
    capsys.readouterr()
    root = str(tmp_project.root)
    ask = "ASK { meeting:jp-us-ied-4 a ictkg:Meeting }"
    assert loaded_after("--root", root, "sparql", ask) == (0, [])
    assert loaded_after("--root", root, "sparql", CONSTRUCT) == (0, [])
    assert loaded_after("--root", root, "describe", "France") == (0, [])
    assert loaded_after("--root", root, "describe", "country:fr", "--format", "turtle") == (0, [])
