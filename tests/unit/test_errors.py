"""Tests for ictkg.errors: the path:line:column rendering people and editors rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ictkg.errors import IctkgError, InputError


def test_full_location_and_hint() -> None:
    error = InputError("data/x.ttl", "bad", line=3, column=7, hint="fix it")
    assert str(error) == "data/x.ttl:3:7: bad\n  hint: fix it"
    assert error.location == "data/x.ttl:3:7"


def test_line_without_column() -> None:
    assert str(InputError("a.ttl", "bad", line=3)) == "a.ttl:3: bad"


def test_column_without_line_is_not_shown() -> None:
    assert str(InputError("a.ttl", "bad", column=3)) == "a.ttl: bad"


def test_fields_and_keyword_construction() -> None:
    error = InputError(path=Path("a.ttl"), message="m", line=1, column=2, hint="h")
    assert (error.path, error.message, error.line, error.column, error.hint) == (
        Path("a.ttl"),
        "m",
        1,
        2,
        "h",
    )


def test_is_an_ictkg_error_and_can_be_raised() -> None:
    with pytest.raises(IctkgError, match="a.ttl:1: m"):
        raise InputError("a.ttl", "m", line=1)


def test_equality_and_repr() -> None:
    a = InputError("a.ttl", "m", line=1)
    assert a == InputError("a.ttl", "m", line=1)
    assert a != InputError("a.ttl", "m", line=2)
    assert "line=1" in repr(a)
    assert len({a, InputError("a.ttl", "m", line=1)}) == 1
