"""Shared fixtures: the real project (built once per session), a scratch copy of it, and a tiny
complete project that tests may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.stores import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.csv from the current answers (then review the diff)",
    )


@pytest.fixture(autouse=True)
def _natural_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables at their natural width, as in a pipe: pytest-xdist's workers set $COLUMNS to 80,
    and a developer's shell may export it. Tests of fitted tables set it themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository checkout."""
    return ROOT


@pytest.fixture(scope="session", autouse=True)
def real_project(project_root: Path) -> Project:
    """The repository's own project; its dataset is built once for the whole session.

    Opened first (autouse) and kept to the end, so every Project of the checkout in the session,
    the CLI's included, shares what it reads (see ictkg.project).
    """
    return Project(project_root)


@pytest.fixture(scope="session")
def built_dataset(real_project: Project) -> Dataset:
    """The real dataset with its query catalogue, as ``ictkg build`` makes it (do not modify)."""
    return real_project.dataset()


@pytest.fixture(scope="session")
def stores(real_project: Project) -> dict[str, Store]:
    """Every in-process backend, loaded as a user's store is: the dataset and its description."""
    return {name: real_project.open_store(name) for name in ("memory", "oxigraph")}


@pytest.fixture
def tmp_project(tmp_path: Path, project_root: Path) -> ProjectPaths:
    """A scratch copy of the project's inputs (ontology/, data/, queries/) that tests may break."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("ontology", "data", "queries"):
        source = project_root / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            (root / name).mkdir()
    return ProjectPaths(root)


@pytest.fixture
def mini_project(tmp_path: Path, project_root: Path) -> ProjectPaths:
    """A copy of ``tests/fixtures/mini`` (tiny ontology, shapes and data) plus the real checks.

    It conforms, with one warning (the summit has no ordinal), so tests can break it on purpose
    without depending on the real data, which is still being written.
    """
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    checks = project_root / "queries" / "checks"
    (root / "queries" / "checks").mkdir(parents=True, exist_ok=True)
    for query in sorted(checks.glob("*.rq")):
        shutil.copy(query, root / "queries" / "checks" / query.name)
    return ProjectPaths(root)
