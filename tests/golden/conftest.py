"""Fixtures for the golden tests: the real dataset, built once, loaded into every backend.

Goldens are rewritten only on request: ``pytest --update-golden`` (the option is registered in
``tests/conftest.py``); review the diff before committing.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset

from ictkg.build import build_dataset
from ictkg.paths import ProjectPaths
from ictkg.store import MemoryStore, OxigraphStore, Store


@pytest.fixture(scope="session")
def built_dataset(project_root) -> Dataset:
    """The project's dataset, built once per session (do not modify it)."""
    return build_dataset(ProjectPaths(project_root))


@pytest.fixture(scope="session")
def stores(built_dataset: Dataset) -> dict[str, Store]:
    """Every backend, loaded with the dataset."""
    oxigraph = OxigraphStore()
    oxigraph.load(built_dataset)
    return {"memory": MemoryStore(built_dataset), "oxigraph": oxigraph}


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when goldens should be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))
