"""Fixtures for the golden tests (the stores themselves are in tests/conftest.py).

Goldens are rewritten only on request: ``pytest --update-golden`` (the option is registered in
``tests/conftest.py``); review the diff before committing.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when goldens should be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))
