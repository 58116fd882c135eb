"""Two builds at once, and what an interrupted build leaves (issue 10, item 5, first step): the
output folder's lock makes a second build wait, and a build removes the leftovers it finds."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_support import run
from ictkg.errors import ExitCode
from ictkg.paths import LOCK_FILE, ProjectPaths


def _build_process(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ictkg", "--root", str(root), "build"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_builds_at_once_both_succeed_one_after_the_other(mini_project: ProjectPaths) -> None:
    first, second = _build_process(mini_project.root), _build_process(mini_project.root)
    results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    build = mini_project.build_dir
    quads = list(ox.parse(path=build / "ictkg.nq", format=ox.RdfFormat.N_QUADS))
    assert quads
    store = ox.Store.read_only(str(build / "oxigraph" / "store"))
    assert len(store) >= len(quads)  # the store also holds the dataset's description
    assert not list(build.glob(".tmp-*")) and not list(build.glob(".oxigraph-*"))


def test_a_build_waits_for_the_lock_then_stops_clearly(
    capsys: pytest.CaptureFixture[str],
    mini_project: ProjectPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build = mini_project.build_dir
    build.mkdir(parents=True)
    monkeypatch.setenv("ICTKG_LOCK_WAIT_S", "0.5")
    handle = os.open(build / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a build in another process would hold it
        code, _out, err = run(capsys, mini_project, "build")
    finally:
        os.close(handle)
    assert code == ExitCode.CANNOT_WRITE, err
    assert "waiting for it to finish" in err
    assert "another ictkg build is still writing this folder" in err
    assert not (build / "ictkg.nq").exists()
    code, _out, err = run(capsys, mini_project, "build")  # the lock is free again
    assert code == 0, err


def test_leftovers_of_an_interrupted_build_are_removed(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    stale = mini_project.build_dir / ".tmp-interrupted"
    (stale / "graphs").mkdir(parents=True)
    (stale / "ictkg.nq").write_text("half a file", encoding="utf-8")
    code, _out, err = run(capsys, mini_project, "build")
    assert code == 0, err
    assert not stale.exists()
