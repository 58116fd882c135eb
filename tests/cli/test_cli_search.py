"""``ictkg search`` through main(): the table, CSV and JSON, --lang, --limit and the errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ictkg import cli
from ictkg.namespaces import ID_NS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_gives_the_sentences_and_the_resources_they_support(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "search", "意見交換", "--format", "json", "--limit", "0")
    assert code == 0
    data = json.loads(out)
    assert data["terms"] == ["意見交換"] and data["total"] == len(data["hits"])
    sentences = {
        p["passage"].removeprefix(ID_NS + "passage/"): p["text"]
        for hit in data["hits"]
        for p in hit["passages"]
        if p["matched"]
    }
    assert sorted(sentences) == [
        "wp2013-p01-s1",
        "wp2013-p01-s2",
        "wp2013-p05-s1",
        "wp2013-p05-s2",
        "wp2013-p06-s1",
        "wp2013-p07-s1",
    ]
    assert sentences["wp2013-p07-s1"].endswith("放送政策について、意見交換を実施した。")
    meeting = next(
        h for h in data["hits"] if h["curie"] == "meeting:jp-fi-ict-policy-consultation-13"
    )
    assert meeting["label"] == "13th Japan-Finland ICT Policy Consultation"
    assert meeting["matches"][0]["matched_in"] == "passage"
    assert meeting["matches"][0]["passage"] == ID_NS + "passage/wp2013-p07-s1"


def test_search_table_for_an_english_word(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "cybersecurity", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["#", "Resource", "Resource"]
    assert lines[2].split()[:3] == ["1", "topic:cybersecurity", "cybersecurity"]
    assert lines[-1].startswith("(3 of ") and lines[-1].endswith("--limit 0 shows them all)")


def test_search_table_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "cybersecurity", "--lang", "ja", "--limit", "1")
    assert code == 0
    assert out.splitlines()[0].split() == [
        "#",
        "リソース",
        "リソース名",
        "一致箇所",
        "本文",
        "出典箇所",
    ]
    assert "サイバーセキュリティ" in out.splitlines()[2]
    assert "件中1件" in out.splitlines()[-1]


def test_search_words_need_no_quotes_and_csv_has_one_row_per_hit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "search", "Finland", "consultation", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {rows[0]["resource"], rows[1]["resource"]} == {
        ID_NS + "series/jp-fi-ict-policy-consultation",
        ID_NS + "meeting/jp-fi-ict-policy-consultation-13",
    }
    assert rows[0]["terms"] == rows[1]["terms"] == "finland consultation"
    assert rows[2]["terms"] in ("finland", "consultation")  # fewer terms matched: ranked after
    assert rows[0]["passages"].startswith(ID_NS + "passage/")


def test_search_with_no_hit_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "xyzzy")
    assert code == 0
    assert out == "no resource or passage contains “xyzzy”\n"


def test_search_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "search")[0] == 2
    code, _, err = run(capsys, "search", " ")
    assert code == 2 and "nothing to search for" in err
    code, _, err = run(capsys, "search", "EU", "--lang", "fr")
    assert code == 2 and "fr" in err
    assert run(capsys, "search", "EU", "--limit", "-1")[0] == 2
