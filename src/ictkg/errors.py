"""Exceptions ictkg raises for problems the user can fix; the CLI turns them into exit code 2."""

from __future__ import annotations

from pathlib import Path


class IctkgError(Exception):
    """Base class of every error ictkg raises on purpose (bad input, bad configuration)."""


class InputError(IctkgError):
    """An input file is wrong in a way the person editing it can fix.

    The string form follows the ``path:line:column: message`` convention of compilers and
    linters, so editors and terminals can jump to the spot, and adds the fix on a second line.

    >>> print(InputError("data/x.ttl", "prefix foo: is not declared", line=3, column=7,
    ...                  hint="add '@prefix foo: <...> .' at the top"))
    data/x.ttl:3:7: prefix foo: is not declared
      hint: add '@prefix foo: <...> .' at the top
    """

    path: Path
    """The file at fault."""
    line: int | None
    """1-based line of the problem, when known."""
    column: int | None
    """1-based column (in characters) of the problem, when known."""
    message: str
    """What is wrong, in one sentence."""
    hint: str | None
    """How to fix it."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(str(self))

    @property
    def location(self) -> str:
        """``path``, ``path:line`` or ``path:line:column``, whichever is known."""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return (
            f"InputError(path={str(self.path)!r}, message={self.message!r}, line={self.line!r}, "
            f"column={self.column!r}, hint={self.hint!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InputError):
            return NotImplemented
        return repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))
