"""`ictkg build` loads the embedded store and `ictkg query` reads it, or rebuilds when stale."""

from __future__ import annotations

import pytest

from ictkg.cli import main
from ictkg.paths import ProjectPaths


@pytest.fixture
def built(tmp_project: ProjectPaths, capsys: pytest.CaptureFixture[str]) -> ProjectPaths:
    assert main(["--root", str(tmp_project.root), "build"]) == 0
    capsys.readouterr()
    return tmp_project


def test_build_writes_the_embedded_store(built: ProjectPaths) -> None:
    assert (built.store_dir / "ictkg-inputs.sha256").is_file()
    assert (built.build_dir / "graphs" / "sparql-examples.ttl").is_file()


def test_query_reads_the_built_store(
    built: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(built.root), "query", "05", "-p", "year=2013", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "building the graph in memory" not in err
    assert "jp-fr-ict-policy-consultation-16" in out


def test_query_rebuilds_when_the_inputs_changed(
    built: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    asia = built.data_dir / "wp2013" / "asia.ttl"
    asia.write_text(asia.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code = main(["--root", str(built.root), "query", "05", "-p", "year=2013", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "older than the inputs" in err
    assert "jp-fr-ict-policy-consultation-16" in out


def test_demo_answers_from_the_embedded_store(
    tmp_project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_project.root), "demo"]) == 0
    out, err = capsys.readouterr()
    assert "loaded the embedded Oxigraph store" in err
    assert "Which dialogues and meetings covered cybersecurity itself?" in out
    assert "4th Director General-Level Meeting" in out
    assert "SHACL: conforms" in out


def test_bad_values_are_refused_before_any_build(
    tmp_project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(tmp_project.root), "query", "05", "-p", "year=twenty"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "is not an integer" in err
    assert "building" not in err
