"""``ictkg export``: what it writes, what it prints, and its exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import run
from ictkg.errors import ExitCode
from ictkg.export.formats import FORMAT_NAMES, MARKER_FILE
from ictkg.project import Project


def test_export_writes_the_chosen_formats_and_lists_them(
    capsys: pytest.CaptureFixture[str], real_project: Project, tmp_path: Path
) -> None:
    out_dir = tmp_path / "export"
    code, out, err = run(
        capsys,
        real_project.paths,
        "export",
        "--out",
        str(out_dir),
        "--format",
        "turtle",
        "--format",
        "csv",
    )
    assert code == ExitCode.OK, err
    written = sorted(
        p.relative_to(out_dir).as_posix()
        for p in out_dir.rglob("*.*")
        if p.is_file() and p.name != MARKER_FILE
    )
    assert "ictkg.ttl" in written and "graphs/wp2013.ttl" in written
    assert "csv/meetings.csv" in written
    assert not [p for p in written if p.endswith((".nq", ".jsonld", ".rdf"))]
    lines = out.splitlines()
    assert lines[0] == f"exported to {out_dir}"
    assert lines[1].split() == ["file", "format", "bytes", "triples"]
    whole = next(line.split() for line in lines if line.split()[:1] == ["ictkg.ttl"])
    size = (out_dir / "ictkg.ttl").stat().st_size
    assert whole[:3] == ["ictkg.ttl", "turtle", f"{size:,}"]
    assert next(line for line in lines if "csv/meetings.csv" in line).endswith("rows")
    assert lines[-1] == f"({len(written)} files, " + (
        f"{sum((out_dir / p).stat().st_size for p in written):,} bytes)"
    )
    assert f"wrote {out_dir / 'ictkg.ttl'}" in err  # progress on stderr


def test_an_unwritable_out_folder_exits_73(
    capsys: pytest.CaptureFixture[str], real_project: Project, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run(
        capsys, real_project.paths, "export", "--out", str(blocker / "x"), "--format", "nquads"
    )
    assert code == ExitCode.CANNOT_WRITE == 73
    assert f"error: {blocker / 'x'}: cannot create the export folder" in err
    assert "Traceback" not in err and out == ""


def test_an_unknown_format_exits_2(
    capsys: pytest.CaptureFixture[str], real_project: Project, tmp_path: Path
) -> None:
    code, _out, err = run(
        capsys, real_project.paths, "export", "--out", str(tmp_path / "x"), "--format", "owl"
    )
    assert code == ExitCode.USAGE == 2
    assert "'owl' is not one of" in err
    assert not (tmp_path / "x").exists()


def test_help_teaches_the_formats_and_gives_examples(
    capsys: pytest.CaptureFixture[str], real_project: Project
) -> None:
    code, out, _err = run(capsys, real_project.paths, "export", "--help")
    assert code == ExitCode.OK
    assert "Example:" in out and "ictkg export --format jsonld" in out
    formats = out[out.index("Formats:") : out.index("Example:")]
    for name in FORMAT_NAMES:
        assert f"\n    {name} " in formats


def test_a_folder_that_is_not_an_export_is_refused_with_73(
    capsys: pytest.CaptureFixture[str], real_project: Project, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, _out, err = run(capsys, real_project.paths, "export", "--out", str(tmp_path))
    assert code == ExitCode.CANNOT_WRITE
    assert "holds no earlier export" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
