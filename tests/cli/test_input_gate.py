"""The input gate (issue 10, item 2, first step): no file outside the project, no device, FIFO
or oversized file, and no RDF file the build would silently skip. Each case ends in exit code 65
(or 66 for a missing file) with one line naming the file, and leaves ``build/`` as it was."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cli_support import run
from ictkg.errors import ExitCode
from ictkg.paths import ProjectPaths

SOURCE_TTL = Path("data") / "wp2013" / "source.ttl"
LOCAL_PATH = 'ictkg:localPath "data/sources/wp2013-nc258220.txt"'
SHA = 'ictkg:sha256 "029179098043b3b7b32901303d16de6aa17cd91965ab275a445cb9d92a1dafbb"'


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.exists() else ():
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _point_source_at(paths: ProjectPaths, local: str, target: Path | None = None) -> None:
    """Make source:wp2013's ictkg:localPath ``local``, with the SHA-256 of ``target`` (so the
    checksum cannot be what stops the build)."""
    ttl = paths.root / SOURCE_TTL
    text = ttl.read_text(encoding="utf-8")
    assert LOCAL_PATH in text and SHA in text
    text = text.replace(LOCAL_PATH, f'ictkg:localPath "{local}"')
    if target is not None and target.is_file():
        text = text.replace(
            SHA, f'ictkg:sha256 "{hashlib.sha256(target.read_bytes()).hexdigest()}"'
        )
    ttl.write_text(text, encoding="utf-8")


def _refused(
    capsys: pytest.CaptureFixture[str],
    paths: ProjectPaths,
    fragment: str,
    *,
    command: tuple[str, ...] = ("build",),
    code: int = ExitCode.DATA_ERROR,
) -> str:
    before = _tree_hash(paths.build_dir)
    got, out, err = run(capsys, paths, *command)
    assert got == code, err
    lines = [line for line in err.splitlines() if line.startswith(("error:", "  hint:"))]
    assert lines and fragment in lines[0], err
    assert "Traceback" not in err
    assert _tree_hash(paths.build_dir) == before
    return lines[0]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project whose content must never reach the graph."""
    secret = tmp_path / "outside.txt"
    secret.write_text("SECRET-OUTSIDE-THE-PROJECT\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize(
    "local",
    [
        "../../outside.txt",
        "data/../../outside.txt",
        "/etc/hostname",
        "C:/Windows/win.ini",
        "a\\\\b",
    ],
)
def test_a_local_path_that_leaves_the_project_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths, outside: Path, local: str
) -> None:
    _point_source_at(tmp_project, local, outside)
    line = _refused(capsys, tmp_project, "leaves the project")
    assert "SECRET" not in line and "SHA-256 is" not in line


def test_the_in_memory_rebuild_of_ictkg_query_refuses_it_too(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths, outside: Path
) -> None:
    _point_source_at(tmp_project, "../../outside.txt", outside)
    got, out, err = run(capsys, tmp_project, "query", "21", "--format", "csv")
    assert got == ExitCode.DATA_ERROR, err
    assert "leaves the project" in err and "SECRET" not in out + err


def test_a_symlink_out_of_the_project_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths, outside: Path
) -> None:
    link = tmp_project.root / "data" / "sources" / "link.txt"
    link.symlink_to(outside)
    _point_source_at(tmp_project, "data/sources/link.txt", outside)
    _refused(capsys, tmp_project, "outside")


def test_a_device_behind_a_symlink_is_refused_without_reading_it(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths
) -> None:
    link = tmp_project.root / "data" / "sources" / "zero.txt"
    link.symlink_to("/dev/zero")
    _point_source_at(tmp_project, "data/sources/zero.txt")
    _refused(capsys, tmp_project, "not a regular file")


def test_a_turtle_file_that_is_a_device_or_a_fifo_is_refused(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    (mini_project.root / "data" / "wp9999" / "zero.ttl").symlink_to("/dev/zero")
    _refused(capsys, mini_project, "not a regular file")
    (mini_project.root / "data" / "wp9999" / "zero.ttl").unlink()
    os.mkfifo(mini_project.root / "data" / "wp9999" / "pipe.ttl")  # opening it would block
    _refused(capsys, mini_project, "not a regular file")


def test_a_turtle_file_linked_from_outside_is_refused(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.ttl"
    elsewhere.write_text("", encoding="utf-8")
    (mini_project.root / "data" / "wp9999" / "linked.ttl").symlink_to(elsewhere)
    _refused(capsys, mini_project, "outside")


def test_an_oversized_file_is_refused(
    capsys: pytest.CaptureFixture[str],
    mini_project: ProjectPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ICTKG_MAX_INPUT_MB", "1")
    big = mini_project.root / "data" / "wp9999" / "big.ttl"
    big.write_text("# padding\n" * 200_000, encoding="utf-8")  # 2 MB of comments
    line = _refused(capsys, mini_project, "over the 1 MiB input limit")
    assert "big.ttl" in line
    monkeypatch.setenv("ICTKG_MAX_INPUT_MB", "4")
    got, _, err = run(capsys, mini_project, "build")
    assert got == 0, err


@pytest.mark.parametrize(
    "name",
    [
        "data/wp9999/extra.TTL",
        "data/wp9999/extra.jsonld",
        "data/wp9999/extra.rdf",
        "data/wp9999/extra.nt",
        "data/wp9999/sub/deeper.ttl",
        "data/notes.ttl",
    ],
)
def test_an_rdf_file_the_build_would_skip_is_reported(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths, name: str
) -> None:
    path = mini_project.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    line = _refused(capsys, mini_project, "the build does not read this file")
    assert path.name in line


def test_a_stored_query_linked_from_outside_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "99-elsewhere.rq"
    elsewhere.write_text("#+ summary: x\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (tmp_project.queries_dir / "99-elsewhere.rq").symlink_to(elsewhere)
    _refused(capsys, tmp_project, "outside", command=("queries",))


# -- No network unless asked (issue 10, item 3, first step) ------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/sparql",
        "/tmp/store",
        "gopher://127.0.0.1:70/",
        "http:///no-host",
        "ftp://admin:SENTINEL-PW@example.org/sparql",
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ("query", "01"),
        ("load",),
        ("sparql", "ASK { ?s ?p ?o }"),
        ("describe", "France"),
        ("search", "France"),
    ],
    ids=lambda c: c[0],
)
def test_an_endpoint_must_be_an_http_url(
    capsys: pytest.CaptureFixture[str],
    tmp_project: ProjectPaths,
    url: str,
    command: tuple[str, ...],
) -> None:
    got, out, err = run(capsys, tmp_project, *command, "--endpoint", url)
    assert got == ExitCode.USAGE, err
    assert "is not an http(s) URL" in err and "Traceback" not in err
    assert "SENTINEL-PW" not in out + err


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "WITH <http://127.0.0.1:9/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    ],
)
def test_queries_that_would_fetch_data_are_refused(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths, sparql: str
) -> None:
    got, _, err = run(capsys, mini_project, "sparql", sparql, "--backend", "memory")
    assert got == ExitCode.REFUSED, err
    assert "is not allowed" in err


# -- Lexical forms of typed literals (issue 10, item 2) -----------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        '"2012-13"^^xsd:gYearMonth',
        '"2012-1"^^xsd:gYearMonth',
        '"2013-02-30"^^xsd:date',
        '"12-10-04"^^xsd:date',
        '"2012-10-04T10:00:00"^^xsd:date',
        '"２０１２"^^xsd:gYear',
        '"٢٠١٢"^^xsd:gYear',
        '"2012 "^^xsd:gYear',
    ],
)
def test_a_typed_literal_that_is_not_of_its_type_is_refused_at_its_line(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths, literal: str
) -> None:
    data = mini_project.root / "data" / "wp9999" / "meetings.ttl"
    text = data.read_text(encoding="utf-8")
    old = 'dct:date "2012-10-04"^^xsd:date'
    line = text[: text.index(old)].count("\n") + 1
    data.write_text(text.replace(old, f"dct:date {literal}"), encoding="utf-8")
    message = _refused(capsys, mini_project, f"meetings.ttl:{line}:")
    assert literal.split("^^")[0] in message
