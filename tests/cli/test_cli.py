"""In-process tests of the ``ictkg`` command line: exit codes, help text and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import break_syntax, drop_date, misspell_ordinal, run
from ictkg.cli import main
from ictkg.errors import EXIT_CODE_HELP, ExitCode
from ictkg.paths import ProjectPaths

SUBCOMMANDS = ("build", "validate", "coverage", "checks", "demo")


def test_top_level_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Exit codes:" in out
    assert [code for code, _ in EXIT_CODE_HELP] == sorted(ExitCode)
    for code, meaning in EXIT_CODE_HELP:
        assert f"    {int(code):<3}  {meaning}\n" in out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help_has_example(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example:" in out
    assert f"ictkg {name}" in out


def test_unknown_option_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--no-such-option"]) == 2
    assert "no-such-option" in capsys.readouterr().err


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2


def test_bad_choice_is_usage_error(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    code, _out, err = run(capsys, mini_project, "validate", "--format", "xml")
    assert code == 2
    assert "xml" in err


def test_validate_conforming_project(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    code, out, _err = run(capsys, mini_project, "validate")
    assert code == 0, out
    assert "SHACL validation: conforms (1 Warning)" in out
    # The warning (a summit, targeted through rdfs:subClassOf) is listed but does not fail.
    assert "meeting:test-summit" in out
    assert "ictkg:ordinal" in out
    assert "label-violation: ok" in out


def test_validate_no_warnings_hides_them(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    code, out, _err = run(capsys, mini_project, "validate", "--no-warnings")
    assert code == 0
    assert "meeting:test-summit" not in out


def test_violation_exits_1_and_names_resource_property_and_passage(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    drop_date(mini_project)
    code, out, _err = run(capsys, mini_project, "validate")
    assert code == 1
    assert "does not conform" in out
    assert "meeting:test-1  (First test meeting)" in out
    assert "dct:date: Meeting has no date" in out
    assert "passage:wp9999-p01" in out


def test_violation_report_in_japanese(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    drop_date(mini_project)
    code, out, _err = run(capsys, mini_project, "validate", "--lang", "ja")
    assert code == 1
    assert "会合に日付がない" in out
    assert "第1回テスト会合" in out


def test_violation_as_json(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    drop_date(mini_project)
    code, out, _err = run(capsys, mini_project, "validate", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["shacl"]["conforms"] is False
    violation = [r for r in data["shacl"]["results"] if r["severity"] == "Violation"]
    assert violation[0]["focus_node"] == "https://w3id.org/ictkg/id/meeting/test-1"
    assert violation[0]["path"] == "http://purl.org/dc/terms/date"
    assert {c["name"] for c in data["checks"]} >= {"label-violation"}


def test_violation_as_turtle(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    drop_date(mini_project)
    code, out, _err = run(capsys, mini_project, "validate", "--format", "turtle")
    assert code == 1
    assert "sh:ValidationReport" in out


def test_failed_check_exits_1(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    misspell_ordinal(mini_project)
    code, out, _err = run(capsys, mini_project, "checks")
    assert code == 1
    assert "undeclared-term-violation: FAIL (1 row)\n" in out
    assert "  fix: Every IRI in the ictkg ontology namespace" in out
    assert "   ictkg:ordnal   predicate   graph:wp9999   1" in out
    code, out, _err = run(capsys, mini_project, "validate")
    assert code == 1


def test_bad_turtle_exits_65_naming_file_and_line(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    path = break_syntax(mini_project)
    for command in ("validate", "build", "checks", "coverage", "demo"):
        code, _out, err = run(capsys, mini_project, command)
        assert code == ExitCode.DATA_ERROR == 65, command
        assert "Traceback" not in err
        assert f"{path}:" in err
        # The statement left open on line 14 is reported where the next token appears.
        assert f"{path}:15:5:" in err
        assert "hint:" in err


def test_build_writes_output(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    code, _out, err = run(capsys, mini_project, "build")
    assert code == 0, err
    build = mini_project.build_dir
    assert (build / "ictkg.trig").is_file()
    assert (build / "ictkg.nq").is_file()
    assert sorted(p.name for p in (build / "graphs").iterdir()) == [
        "inferred.ttl",
        "ontology.ttl",
        "reference.ttl",
        "wp9999.ttl",
    ]


def test_build_out_option(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths, tmp_path: Path
) -> None:
    code, _out, _err = run(capsys, mini_project, "build", "--out", str(tmp_path / "elsewhere"))
    assert code == 0
    assert (tmp_path / "elsewhere" / "ictkg.trig").is_file()
    assert not mini_project.build_dir.exists()


def test_build_with_violation_writes_nothing(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    drop_date(mini_project)
    code, out, err = run(capsys, mini_project, "build")
    assert code == 1
    assert "meeting:test-1" in out
    assert "not written" in err
    assert not mini_project.build_dir.exists()
    code, _out, _err = run(capsys, mini_project, "build", "--no-validate")
    assert code == 0
    assert (mini_project.build_dir / "ictkg.trig").is_file()


def test_build_with_syntax_error_writes_nothing(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    break_syntax(mini_project)
    code, _out, _err = run(capsys, mini_project, "build", "--no-validate")
    assert code == 65
    assert not mini_project.build_dir.exists()


def test_coverage(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, _err = run(capsys, mini_project, "coverage")
    assert code == 0
    assert out.endswith("coverage: 2/2 passages (100%)\n")
    code, out, _err = run(capsys, mini_project, "coverage", "--format", "json")
    assert json.loads(out)["total"] == 2


def test_demo(capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths) -> None:
    code, out, _err = run(capsys, mini_project, "demo")
    assert code == 0
    assert "ictkg:Meeting" in out
    assert "SHACL: conforms (1 warning)" in out
    assert "Coverage:" in out
    assert (mini_project.build_dir / "ictkg.trig").is_file()


def test_missing_root_is_a_missing_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["--root", str(tmp_path), "validate"])
    assert code == ExitCode.NO_INPUT == 66
    err = capsys.readouterr().err
    assert err == (
        f"error: {tmp_path}: not an ictkg project folder: it has no ontology/ and data/ folders\n"
        "  hint: pass the checkout's top folder (the one holding ontology/ and data/)\n"
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_terminal_output_uses_rich(
    capsys: pytest.CaptureFixture[str],
    mini_project: ProjectPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ictkg.cli.output.stdout_is_tty", lambda: True)
    code, out, _err = run(capsys, mini_project, "demo")
    assert code == 0
    assert "Resources per class" in out
    drop_date(mini_project)
    code, out, _err = run(capsys, mini_project, "validate")
    assert code == 1
    assert "meeting:test-1" in out
