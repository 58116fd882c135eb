"""``ictkg queries`` and ``ictkg query``: every output format and every error, through main()."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ictkg import cli

ROOT = Path(__file__).resolve().parents[2]

SRX = "{http://www.w3.org/2005/sparql-results#}"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_queries_lists_names_summaries_and_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries")
    assert code == 0
    assert "01-meetings-by-topic" in out
    assert "Which dialogues and meetings covered a topic?" in out
    assert "topic:iri?" in out


def test_queries_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries", "--format", "json")
    assert code == 0
    data = json.loads(out)
    files = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert [q["id"] for q in data] == files
    assert data[0]["parameters"]["topic"] == {
        "type": "iri",
        "required": False,
        "example": "topic:cybersecurity",
        "description": data[0]["parameters"]["topic"]["description"],
        "class": ["skos:Concept"],
    }
    partner = next(q for q in data if q["id"] == "18-topics-per-partner")["parameters"]
    assert partner["partner"]["class"] == ["ictkg:Country", "ictkg:SupranationalBody"]
    assert "class" not in partner["lang"]
    assert all(q["summary"] and q["description"] and q["tags"] for q in data)


def test_table_in_english_and_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "10")
    assert code == 0
    assert "meeting:jp-eu-ict-policy-dialogue-19" in out
    assert "19th Japan-EU ICT Policy Dialogue" in out
    assert "(2 rows)" in out
    code, out, _ = run(capsys, "query", "10", "--lang", "ja")
    assert code == 0 and "日EU・ICT政策対話(第19回)" in out and "19th" not in out


def test_csv_follows_the_w3c_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "08", "-p", "series=series:jp-us-ied", "--format", "csv")
    assert code == 0
    assert out.startswith("series,seriesLabel,ordinal,meeting")
    assert "\r\n" in out
    table = list(csv.reader(io.StringIO(out)))
    assert [row[2] for row in table[1:]] == ["1", "3", "4"]
    assert table[1][0] == "https://w3id.org/ictkg/id/series/jp-us-ied"


def test_tsv_follows_the_w3c_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "08", "-p", "series=series:jp-us-ied", "--format", "tsv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[:3] == ["?series", "?seriesLabel", "?ordinal"]
    first = lines[1].split("\t")
    assert first[0] == "<https://w3id.org/ictkg/id/series/jp-us-ied>"
    assert first[1].endswith('"@en') and first[2] == "1"


def test_json_is_a_list_of_objects(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "05", "-p", "year=2010", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["meeting"].rsplit("/", 1)[1] for r in rows} == {
        "jp-us-ied-1",
        "jp-us-summit-2010-11",
    }


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_srj_follows_the_w3c_format(backend: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "query", "09", "-p", "place=country:fr", "--format", "srj", "--backend", backend
    )
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:2] == ["meeting", "meetingLabel"]
    (binding,) = data["results"]["bindings"]
    assert binding["meeting"] == {
        "type": "uri",
        "value": "https://w3id.org/ictkg/id/meeting/jp-fr-ict-policy-consultation-16",
    }
    assert binding["meetingLabel"]["xml:lang"] == "en"
    assert binding["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#gYearMonth"
    assert binding["inJapan"]["value"] == "false"


def test_srx_follows_the_w3c_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "10", "--format", "srx", "--lang", "ja")
    assert code == 0
    root = ET.fromstring(out.encode("utf-8"))
    names = [v.get("name") for v in root.iter(f"{SRX}variable")]
    assert names[0] == "meeting"
    results = list(root.iter(f"{SRX}result"))
    assert len(results) == 2
    literal = results[0].find(f"{SRX}binding[@name='meetingLabel']/{SRX}literal")
    assert literal is not None
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"


def test_unknown_query_suggests_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "meetings-by-topik")
    assert code == 2
    assert "no stored query" in err and "01-meetings-by-topic" in err


def test_wrong_typed_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "05", "-p", "year=twenty")
    assert code == 2
    assert "not an integer" in err


def test_invalid_iri_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "01", "-p", "topic=topic:a> } DROP ALL #")
    assert code == 2
    assert "not a valid IRI" in err


def test_unknown_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "05", "-p", "yaer=2012")
    assert code == 2
    assert "no parameter 'yaer'" in err and "year" in err


def test_malformed_param_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "05", "-p", "2012")
    assert code == 2
    assert "NAME=VALUE" in err


def test_unknown_format_and_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "query", "05", "--format", "xlsx")[0] == 2
    assert run(capsys, "query", "05", "--backend", "virtuoso")[0] == 2


def test_hostile_string_is_matched_literally(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "24", "-p", 'text=x" } DROP ALL #', "--format", "csv")
    assert code == 0
    assert out.strip() == "term,matchedLabel,labelEn,labelJa"


def test_every_result_column_has_a_heading_in_both_languages() -> None:
    from ictkg.project import Project
    from ictkg.stores import run_query
    from ictkg.stores.oxigraph import OxigraphStore

    project = Project(ROOT)
    labels = project.column_labels()
    store = OxigraphStore()  # empty: only the SELECT variables are needed
    variables = {v for q in project.stored_queries() for v in run_query(q, store).variables}
    assert sorted(variables - set(labels)) == []
    assert sorted(set(labels) - variables) == [], "headings for columns no query returns"
    for name, entry in labels.items():
        assert set(entry) == {"en", "ja"}, name
        assert entry["en"] and entry["ja"], name


def test_table_headings_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    from ictkg.project import Project

    labels = Project(ROOT).column_labels()
    for lang in ("en", "ja"):
        code, out, _ = run(capsys, "query", "08", "-p", "series=series:jp-us-ied", "--lang", lang)
        assert code == 0
        header = out.splitlines()[0].split()
        assert " ".join(header) == " ".join(
            labels[v][lang]
            for v in ("series", "seriesLabel", "ordinal", "meeting", "meetingLabel", "date")
            + ("place", "placeLabel", "level")
        )
