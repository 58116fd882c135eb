"""--lang everywhere (issue 9 item 6): label columns and headings follow it, a query without a
lang parameter says so, and the lang parameter accepts only the languages the data has."""

from __future__ import annotations

import csv
import io

import pytest

from cli_support import run as run_in
from ictkg import cli
from ictkg.errors import UsageError
from ictkg.namespaces import LABEL_LANGUAGES
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.project.showcase import SHOWCASE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_query_without_lang_parameter_says_so_when_lang_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "query", "30", "-p", "resource=meeting:jp-us-ied-4", "--lang", "ja"
    )
    assert code == 0
    # (Progress lines come first when build/ is missing or stale: the note is one line of its own.)
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: 30-statements-by-source has no lang parameter: its values are shown in the "
        "languages the data gives them in; --lang ja sets the headings only"
    ]
    assert out.split()[:3] == ["出典グラフ", "リソース", "プロパティ"]
    # Left at its default, --lang says nothing.
    code, _, err = run(capsys, "query", "30", "-p", "resource=meeting:jp-us-ied-4")
    assert code == 0 and "note" not in err


def test_a_query_with_lang_parameter_takes_it_silently(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "query", "05", "-p", "year=2013", "--lang", "ja", "--format", "csv"
    )
    assert code == 0 and "note" not in err
    labels = [row["meetingLabel"] for row in csv.DictReader(io.StringIO(out))]
    assert "日仏ICT政策協議(第16回)" in labels


def test_the_lang_parameter_alone_sets_the_headings_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "05", "-p", "year=2013", "-p", "lang=ja")
    assert code == 0
    assert out.split()[:4] == ["年", "日付", "会合", "会合名"]
    assert "日仏ICT政策協議(第16回)" in out


def test_lang_and_the_lang_parameter_must_agree(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "05", "-p", "lang=ja", "--lang", "en")
    assert code == 2
    assert "error: --lang en and the parameter lang=ja disagree" in err
    assert run(capsys, "query", "05", "-p", "lang=ja", "--lang", "ja")[0] == 0


@pytest.mark.parametrize("value", ["fr", "*", "EN-x"])
def test_the_lang_parameter_accepts_only_languages_the_data_has(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, _, err = run(capsys, "query", "05", "-p", f"lang={value}")
    assert code == 2 and "en" in err and "ja" in err


def test_project_query_says_which_language_its_labels_are_in(real_project: Project) -> None:
    assert real_project.query("05", lang="ja", backend="oxigraph").lang == "ja"
    assert real_project.query("05", backend="oxigraph").lang == "en"  # unbound: the default
    assert real_project.query("30", lang="ja", backend="oxigraph").lang is None
    with pytest.raises(UsageError, match="no labels in 'fr'"):
        real_project.query("30", lang="fr")


def test_queries_list_headings_follow_lang(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "queries", "--lang", "ja")
    assert code == 0
    assert out.split()[:3] == ["クエリ", "質問", "パラメータ"]
    assert err == "note: the questions are written in English only; --lang ja sets the headings\n"
    code, out, err = run(capsys, "queries")
    assert out.split()[:3] == ["query", "question", "parameters"] and err == ""


def test_demo_in_japanese(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, _ = run_in(capsys, mini_project, "demo", "--lang", "ja")
    assert code == 0
    assert out.startswith("クラスごとのリソース数\n")
    assert "SHACL: 適合(警告1件)" in out
    assert "会合" in out  # ictkg:Meeting's Japanese label


def test_every_showcase_question_is_asked_in_every_language() -> None:
    assert LABEL_LANGUAGES == ("en", "ja")
    for item in SHOWCASE:
        assert item.question_in("en") == item.question
        assert item.question_in("ja") != item.question
