"""The hostile-input corpus (issue 10, item 6): every case of ``tests/fixtures/hostile/cases.yaml``
run through the CLI, in-process, on a fresh copy of a project built once for the module.

Each case plants one hostile or malformed input (a file of ``tests/fixtures/hostile/``, an edit of
a project file, or what git cannot hold: a FIFO, a symlink out of the tree or to ``/dev/zero``, an
oversized file) and runs one command. It must end in its documented exit code with exactly one
``error:`` line, which names the expected location (``data/x.ttl:3:14``, ``--param year``, the
option) and says what the manifest says; no traceback, nothing on stdout, no secret (the sentinel
in the environment, the content of the file outside the project), and ``build/``, the embedded
store included, byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

from ictkg.cli import main

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MANIFEST = HOSTILE / "cases.yaml"
CATEGORIES = ("turtle", "queries", "headers", "params", "paths")
SENTINEL = "SENTINEL-5f0c-NEVER-SHOWN"
"""In the environment (as a password would be) and in the file outside the project."""
CASE_TIMEOUT_S = 30
"""A case that takes longer has hung (a FIFO opened, /dev/zero read): it fails, not the suite."""


@dataclass(frozen=True)
class Case:
    """One hostile input and what the user must see (see cases.yaml for the keys)."""

    id: str
    run: tuple[str, ...]
    exit: int
    where: str
    says: str
    file: str | None = None
    at: str | None = None
    edit: tuple[dict[str, str], ...] = ()
    make: tuple[dict[str, Any], ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    raw: bool = False


def load_cases() -> list[Case]:
    """The manifest's cases, ``<category>/<name>`` each."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    cases = []
    for category, entries in manifest.items():
        assert category in CATEGORIES, f"unknown category {category!r} in {MANIFEST}"
        for entry in entries:
            run = entry["run"]
            cases.append(
                Case(
                    id=f"{category}/{entry['id']}",
                    run=tuple(shlex.split(run) if isinstance(run, str) else map(str, run)),
                    exit=int(entry["exit"]),
                    where=str(entry["where"]),
                    says=str(entry["says"]),
                    file=entry.get("file"),
                    at=entry.get("at"),
                    edit=tuple(entry.get("edit", ())),
                    make=tuple(entry.get("make", ())),
                    env={k: str(v) for k, v in entry.get("env", {}).items()},
                    raw=bool(entry.get("raw", False)),
                )
            )
    return cases


CASES = load_cases()


def tree_hash(folder: Path) -> str:
    """SHA-256 over every path and file under ``folder`` (the embedded store's files included:
    opening it read-only, as every command here does, writes nothing)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class Built:
    """The project built once for the module, and the hash of its ``build/``."""

    root: Path
    build_hash: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Built:
    """A copy of the real project's inputs, built once with ``ictkg build``."""
    root = tmp_path_factory.mktemp("hostile-built") / "project"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project_root / name, root / name)
    assert main(["--root", str(root), "build"]) == 0
    return Built(root, tree_hash(root / "build"))


@dataclass(frozen=True)
class Planted:
    """A fresh project with the case's input in place."""

    root: Path
    outside: Path


def _fill(text: str, planted: Planted) -> str:
    secret = planted.outside / "secret.txt"
    text = re.sub(r"\{digits:(\d+)\}", lambda m: "7" * int(m[1]), text)  # {digits:5000}
    return (
        text.replace("{root}", str(planted.root))
        .replace("{outside}", str(planted.outside))
        .replace("{outside_sha}", hashlib.sha256(secret.read_bytes()).hexdigest())
    )


def plant(case: Case, built: Built, tmp_path: Path) -> Planted:
    """Copy the built project and put the case's hostile input in it."""
    root = tmp_path / "project"
    shutil.copytree(built.root, root, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SENTINEL}\n", encoding="utf-8")
    (outside / "secret.ttl").write_text(
        f'<https://example.org/secret> <https://example.org/is> "{SENTINEL}" .\n',
        encoding="utf-8",
    )
    planted = Planted(root, outside)
    if case.file is not None:
        assert case.at is not None, f"{case.id}: 'file' needs 'at'"
        target = root / case.at
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOSTILE / case.file, target)
    for edit in case.edit:
        path = root / edit["path"]
        text = path.read_text(encoding="utf-8")
        assert edit["old"] in text, f"{case.id}: nothing to edit in {edit['path']}"
        path.write_text(text.replace(edit["old"], _fill(edit["new"], planted)), encoding="utf-8")
    for spec in case.make:
        _make(case, spec, planted)
    return planted


def _make(case: Case, spec: dict[str, Any], planted: Planted) -> None:
    """Build what git cannot hold, from a one-line spec."""
    kind, name = next(iter(spec.items()))
    path = planted.root / str(name)
    if kind != "remove":
        path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "symlink":
        path.symlink_to(_fill(str(spec["to"]), planted))
    elif kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block until a writer comes
    elif kind == "folder":
        path.mkdir()
    elif kind == "big":  # a file just over ICTKG_MAX_INPUT_MB (set by the case's env)
        limit = int(case.env["ICTKG_MAX_INPUT_MB"]) * 1024 * 1024
        line = str(spec.get("line", "# padding\n"))
        path.write_text(line * (limit // len(line) + 1), encoding="utf-8")
    elif kind == "remove":
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    else:
        raise AssertionError(f"{case.id}: unknown make {kind!r}")


@pytest.fixture
def deadline() -> Iterator[None]:
    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"the case ran past {CASE_TIMEOUT_S} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(CASE_TIMEOUT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _shown(text: str, planted: Planted) -> str:
    """Output with the temporary folders written as the manifest writes them."""
    root, outside = str(planted.root), str(planted.outside)
    return (
        text.replace(root + "/", "")
        .replace(root, ".")
        .replace(outside + "/", "<outside>/")
        .replace(outside, "<outside>")
    )


def run_case(
    case: Case, built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Planted, int, str, str]:
    """Plant the case, run its command in-process: (project, exit code, stdout, stderr)."""
    planted = plant(case, built, tmp_path)
    args = [_fill(arg, planted) for arg in case.run]
    if not case.raw:
        args = ["--root", str(planted.root), *args]
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    return planted, code, _shown(out, planted), _shown(err, planted)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_hostile_input_ends_in_its_exit_code_and_one_located_line(
    case: Case,
    built: Built,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    deadline: None,
) -> None:
    monkeypatch.delenv("ICTKG_ROOT", raising=False)
    monkeypatch.delenv("ICTKG_DEBUG", raising=False)
    monkeypatch.setenv("ICTKG_ENDPOINT_PASSWORD", SENTINEL)
    monkeypatch.chdir(tmp_path)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    planted, code, out, err = run_case(case, built, tmp_path, capsys)

    assert "Traceback" not in out + err, err
    assert SENTINEL not in out + err
    assert code == case.exit, err
    assert out == ""
    lines = err.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith(("error:", "Error:"))]
    assert len(errors) == 1, err
    message = lines[errors[0]]
    assert all(line.startswith("  hint: ") for line in lines[errors[0] + 1 :]), err
    if message.startswith("error:"):  # ictkg's own: the location comes first, then ": "
        # (or, for the few usage errors whose message starts with what they are about, " ")
        assert message.startswith(f"error: {case.where}"), message
        assert message[len(f"error: {case.where}") :].startswith((": ", " ")), message
    else:  # click's usage errors name the option or argument
        assert case.where in message, message
    assert case.says in message, message
    assert tree_hash(planted.root / "build") == built.build_hash


def test_the_corpus_has_at_least_110_cases_and_20_of_each_kind() -> None:
    assert len(CASES) >= 110
    for category in CATEGORIES:
        assert sum(c.id.startswith(category + "/") for c in CASES) >= 20, category
    assert len({c.id for c in CASES}) == len(CASES), "two cases share an id"


def test_every_fixture_file_is_used_by_a_case() -> None:
    used = {case.file for case in CASES}
    files = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file()}
    files.discard(MANIFEST.name)
    assert files - used == set()
    assert used - {None} <= files
