"""Credentials for an endpoint, with a password that never shows itself; finding them (URL,
environment, netrc) and sending them is left to :mod:`ictkg.stores.http`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Credentials", "Secret"]


class Secret:
    """A password that does not show itself: ``repr``, ``str`` and format give ``***``.

    >>> secret = Secret("s3cret")
    >>> secret, f"{secret}", secret.reveal()
    (Secret('***'), '***', 's3cret')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The password itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        raise TypeError("a Secret is not pickled")


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic or Digest authentication."""

    user: str
    """The user name (not secret)."""
    password: Secret
    """The password, masked in every ``repr``."""
    source: str
    """Where they came from: ``url``, ``environment`` or the netrc file's path."""
