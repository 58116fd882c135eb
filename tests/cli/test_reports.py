"""The exact output of one report per command, as a person sees it (after sqlite-utils' CLI
tests): a change to any renderer shows up here as a diff to review."""

from __future__ import annotations

import re

import pytest

from cli_support import drop_date, misspell_ordinal, run
from ictkg.cli import main
from ictkg.paths import ProjectPaths

VALIDATE_VIOLATION = """\
SHACL validation: does not conform (1 Violation, 1 Warning)

meeting:test-1  (First test meeting)
  Violation  dct:date: Meeting has no date: add dct:date (xsd:date) taken from the source passage.
             shape: ictkgsh:Meeting-date (sh:MinCountConstraintComponent)
  check passage: passage:wp9999-p01

meeting:test-summit  (Test summit)
  Warning  ictkg:ordinal: Meeting has no ordinal.
           shape: ictkgsh:Meeting-ordinal (sh:MinCountConstraintComponent)
  check passage: passage:wp9999-p02

checks:
date-conflict-violation: ok
derived-term-violation: ok
duplicate-label-violation: ok
label-conflict-violation: ok
label-violation: ok
provenance-violation: ok
undeclared-term-violation: ok
"""


def test_validate_report(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    drop_date(mini_project)
    code, out, err = run(capsys, mini_project, "validate")
    assert code == 1
    assert out == VALIDATE_VIOLATION
    assert re.fullmatch(
        rf"building from {re.escape(str(mini_project.root))}\n"
        r"built 96 triples in \d+\.\d\ds\n"
        r"validating with SHACL\n"
        r"validated in \d+\.\d\ds\n",
        err,
    ), err


def test_build_refusal(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    drop_date(mini_project)
    code, out, err = run(capsys, mini_project, "build")
    assert code == 1
    assert out == (
        "SHACL validation: does not conform (1 Violation)\n\n"
        + VALIDATE_VIOLATION.split("\n\n")[1]
        + "\n"
    )
    assert err.splitlines()[-1] == "not written: the data has SHACL violations"
    assert not mini_project.build_dir.exists()


def test_build_progress(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, err = run(capsys, mini_project, "build")
    assert code == 0
    assert out == ""
    build = mini_project.build_dir
    lines = [re.sub(r"\d+\.\d\ds", "T", line) for line in err.splitlines()]
    assert lines == [
        f"building from {mini_project.root}",
        "built 101 triples in T",
        "validating with SHACL",
        "validated in T",
        f"wrote {build}/graphs/inferred.ttl",
        f"wrote {build}/graphs/ontology.ttl",
        f"wrote {build}/graphs/reference.ttl",
        f"wrote {build}/graphs/wp9999.ttl",
        f"wrote {build}/ictkg.nq",
        f"wrote {build}/ictkg.trig",
        f"wrote {build}/void.ttl",
        f"loaded the embedded Oxigraph store {build}/oxigraph in T",
    ]


def test_checks_report(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    misspell_ordinal(mini_project)
    code, out, _err = run(capsys, mini_project, "checks")
    assert code == 1
    assert out == (
        "date-conflict-violation: ok\n"
        "derived-term-violation: ok\n"
        "duplicate-label-violation: ok\n"
        "label-conflict-violation: ok\n"
        "label-violation: ok\n"
        "provenance-violation: ok\n"
        "undeclared-term-violation: FAIL (1 row)\n"
        "  ictkg terms used in the data but not declared in the ontology\n"
        "  fix: Every IRI in the ictkg ontology namespace that is used as a predicate or as the"
        " class of an\n"
        "       rdf:type statement, in any graph, must be declared with a type (owl:Class,"
        " owl:ObjectProperty\n"
        "       …) in the ontology graph. A row is usually a misspelling: fix the term in the"
        " named graph's\n"
        "       file, or declare it in ontology/ictkg.ttl.\n"
        "   term           used_as     graph          uses   example_subject\n"
        "  " + "─" * 91 + "\n"
        "   ictkg:ordnal   predicate   graph:wp9999   1      "
        "https://w3id.org/ictkg/id/meeting/test-1\n"
    )


def test_coverage_report(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, _err = run(capsys, mini_project, "coverage")
    assert code == 0
    assert out == (
        "ok  passage:wp9999-p01  第1回テスト会合を開催した。\n"
        "      <- meeting:test-1\n"
        "ok  passage:wp9999-p02  テスト首脳会談を行った。\n"
        "      <- meeting:test-summit\n"
        "coverage: 2/2 passages (100%)\n"
    )


def test_demo_report(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, _err = run(capsys, mini_project, "demo")
    assert code == 0
    assert out == (
        "Resources per class\n"
        " class                  label             count\n"
        "────────────────────────────────────────────────\n"
        " ictkg:Excerpt          Excerpt               2\n"
        " ictkg:Meeting          Meeting               1\n"
        " ictkg:SourceDocument   Source document       1\n"
        " ictkg:Summit           Summit                1\n"
        " schema:City                                  1\n"
        "SHACL: conforms (1 warning)\n"
        "Coverage: 2/2 passages (100%)\n"
    )


def test_query_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["query", "10"]) == 0
    out = capsys.readouterr().out
    assert out == (
        " Meeting                                      Meeting (name)          "
        "                  Held alongside                               Held al"
        "ongside (name)                     Date      Place"
        "\n" + "─" * 197 + "\n"
        " meeting:jp-eu-ict-policy-dialogue-19         19th Japan-EU ICT Policy Dialogue       "
        "  meeting:jp-eu-internet-security-forum-2012   Japan-EU Internet Security Forum (2012)"
        "   2012-11   place:tokyo\n"
        " meeting:jp-eu-internet-security-forum-2012   Japan-EU Internet Security Forum (2012)"
        "   meeting:jp-eu-ict-policy-dialogue-19         19th Japan-EU ICT Policy Dialogue     "
        "    2012-11   place:tokyo\n"
        "(2 rows)\n"
    )


def _column_of(line: str, text: str) -> int:
    """The terminal column at which ``text`` starts in ``line`` (CJK characters take two)."""
    from rich.cells import cell_len

    return cell_len(line[: line.index(text)])


def test_japanese_table_aligns_by_display_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["query", "10", "--lang", "ja"]) == 0
    header, rule, first, second, footer = capsys.readouterr().out.splitlines()
    assert header.split() == ["会合", "会合名", "併催会合", "併催会合名", "日付", "場所"]
    assert (
        _column_of(first, "2012-11") == _column_of(second, "2012-11") == _column_of(header, "日付")
    )
    assert _column_of(first, "meeting:jp-eu-internet") == _column_of(header, "併催会合")
    assert set(rule) == {"─"} and footer == "(2 rows)"


def test_tables_fit_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("en", "ja"):
        assert main(["query", "02", "-p", "topic=topic:security", "--lang", lang]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert max(cell_len(line) for line in lines) <= 80, lang
        assert lines[-1] == "(11 rows)"
