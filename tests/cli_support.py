"""What the CLI tests share: running ``main`` on a project, and the mistakes they plant in the
mini project (tests/fixtures/mini)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictkg.cli import main
from ictkg.paths import ProjectPaths


def run(
    capsys: pytest.CaptureFixture[str], paths: ProjectPaths, *args: str
) -> tuple[int, str, str]:
    """Run ``ictkg --root <paths.root> <args>`` in-process: (exit code, stdout, stderr)."""
    code = main(["--root", str(paths.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _edit(paths: ProjectPaths, old: str, new: str) -> Path:
    data = paths.data_dir / "wp9999" / "meetings.ttl"
    text = data.read_text(encoding="utf-8")
    assert old in text, f"nothing to plant in {data}"
    data.write_text(text.replace(old, new), encoding="utf-8")
    return data


def drop_date(paths: ProjectPaths) -> None:
    """Plant a violation: the first meeting loses its date."""
    _edit(paths, '    dct:date "2012-10-04"^^xsd:date ;\n', "")


def break_syntax(paths: ProjectPaths) -> Path:
    """Plant a Turtle syntax error (a statement left open); return the file."""
    return _edit(paths, "    ictkg:ordinal 1 ;\n", "    ictkg:ordinal 1\n")


def misspell_ordinal(paths: ProjectPaths) -> None:
    """Plant a failed check: a property the ontology does not declare (ictkg:ordnal)."""
    _edit(paths, "ictkg:ordinal 1", "ictkg:ordinal 1 ; ictkg:ordnal 1")
