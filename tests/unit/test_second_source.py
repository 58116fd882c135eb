"""A second white-paper edition beside the first, as data files only: the build, SHACL and the
quality checks must take it without a schema change (issue 8, first steps).

The second edition here is a renamed copy of the 2013 one (clearly synthetic, made in a temporary
folder, never in data/): same text, same facts, its own graph, source resource and passages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ictkg.namespaces import edition_graph_iri
from ictkg.paths import ProjectPaths
from ictkg.project import Project


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Project:
    root = tmp_path_factory.mktemp("editions") / "project"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project_root / name, root / name)
    copy = root / "data" / "wp2099"
    copy.mkdir()
    for path in sorted((root / "data" / "wp2013").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        text = text.replace("wp2013", "wp2099").replace("平成25年版", "平成99年版（試験用の写し）")
        text = text.replace("White Paper 2013", "White Paper 2099 (test copy)")
        (copy / path.name).write_text(text, encoding="utf-8")
    sources = root / "data" / "sources"
    shutil.copyfile(sources / "wp2013-nc258220.txt", sources / "wp2099-nc258220.txt")
    return Project(root)


def test_both_editions_have_their_graph_and_passages(two_editions: Project) -> None:
    graphs = {str(g.identifier) for g in two_editions.dataset().graphs() if len(g)}
    assert {edition_graph_iri("wp2013"), edition_graph_iri("wp2099")} <= graphs


def test_two_editions_validate_and_pass_every_check(two_editions: Project) -> None:
    validation = two_editions.validate()
    violations = [r for r in validation.report.results if r.severity == "Violation"]
    assert violations == []
    failed = {r.name: r.rows[:3] for r in validation.checks if not r.passed}
    assert failed == {}


def test_the_copy_is_not_the_repository(two_editions: Project) -> None:
    assert not (ProjectPaths(Path(__file__).resolve().parents[2]).data_dir / "wp2099").exists()
