"""The façade, ictkg.Project: each input read once per process, stores of their own, verbs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cli_support import drop_date
from ictkg.model import dataset as model_dataset
from ictkg.paths import ProjectPaths
from ictkg.project import Project


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[Path]:
    """Count the Turtle files the model parses."""
    counts: Counter[Path] = Counter()
    real = model_dataset.parse_turtle

    def counting(path: Path | str):  # type: ignore[no-untyped-def]
        counts[Path(path)] += 1
        return real(path)

    monkeypatch.setattr(model_dataset, "parse_turtle", counting)
    return counts


def test_every_verb_shares_one_parse_of_each_file(
    mini_project: ProjectPaths, parses: Counter[Path]
) -> None:
    project = Project(mini_project.root)
    project.validate()
    project.coverage()
    project.class_counts()
    project.build()
    Project(mini_project.root).run_checks()  # another Project of the same folder
    data_files = {p for p in parses if p.suffix == ".ttl" and "shapes" not in p.parts}
    assert data_files and all(parses[p] == 1 for p in data_files), parses


def test_an_edited_input_is_read_again(mini_project: ProjectPaths) -> None:
    project = Project(mini_project.root)
    before = project.dataset()
    assert project.dataset() is before
    meetings = mini_project.data_dir / "wp9999" / "meetings.ttl"
    meetings.write_text(meetings.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert project.dataset() is not before
    project.forget()
    assert project.dataset() is not before


def test_stores_are_the_callers_own(real_project: Project) -> None:
    size = len(real_project.quads())
    for backend in ("memory", "oxigraph"):
        store = real_project.open_store(backend)
        store.clear()
        assert store.query("ASK { ?s ?p ?o }").boolean is False
    assert len(real_project.quads()) == size
    assert real_project.open_store("memory").query("ASK { ?s ?p ?o }").boolean is True


def test_build_with_violations_writes_nothing(mini_project: ProjectPaths) -> None:
    drop_date(mini_project)
    built = Project(mini_project.root).build()
    assert not built.conforms
    assert built.output is None and built.store_dir is None
    assert built.report is not None and built.report.count("Violation") == 1
    assert not mini_project.build_dir.exists()


def test_progress_is_reported_through_the_callback(mini_project: ProjectPaths) -> None:
    messages: list[str] = []
    Project(mini_project.root, progress=messages.append).build()
    assert messages[0] == f"building from {mini_project.root}"
    assert messages[-1].startswith("loaded the embedded Oxigraph store")
