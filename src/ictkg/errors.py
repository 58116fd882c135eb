"""The errors ictkg raises on purpose and the one table that maps each of them to an exit code.

Every failure a user can meet is one of the classes below; :func:`exit_code_for` is the only
place that turns an exception into a process exit code (the CLI calls it; nothing else decides).
The numbers follow the BSD ``sysexits.h`` convention where one fits, as pySHACL maps one code to
each failure class. Only the standard library is imported here.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What an ``ictkg`` process exit code means."""

    OK = 0
    """Success; the data conforms and every check passes."""
    NOT_CONFORMING = 1
    """The data does not conform: SHACL violations, failed checks or uncovered passages."""
    USAGE = 2
    """Bad command-line usage: an unknown option, command, stored query or parameter value."""
    DATA_ERROR = 65
    """An input file is wrong (``EX_DATAERR``): Turtle or SPARQL syntax, a bad ``#+`` header."""
    NO_INPUT = 66
    """An input is missing (``EX_NOINPUT``): no project folder, a missing file."""
    INTERNAL = 70
    """A bug in ictkg (``EX_SOFTWARE``); rerun with ``--debug`` and report the traceback."""
    CANNOT_WRITE = 73
    """An output cannot be written (``EX_CANTCREAT``)."""
    STORE_UNAVAILABLE = 69
    """A triple store cannot be opened or reached, or gave an answer that is not SPARQL."""
    TIMEOUT = 75
    """A store or endpoint did not answer in time (``EX_TEMPFAIL``); try again later."""
    REFUSED = 77
    """Refused by policy (``EX_NOPERM``): a query that would reach the network, an answer over
    ``--max-rows`` or ``--max-answer-mb``, credentials an endpoint refuses."""
    INTERRUPTED = 130
    """Interrupted by Ctrl-C (128 + SIGINT)."""


EXIT_CODE_HELP: tuple[tuple[ExitCode, str], ...] = (
    (ExitCode.OK, "success; the data conforms and the checks pass"),
    (ExitCode.NOT_CONFORMING, "the data does not conform (SHACL violations, failed checks)"),
    (ExitCode.USAGE, "usage error: unknown option, command, query, parameter or bad value"),
    (ExitCode.DATA_ERROR, "an input file is malformed (Turtle, SPARQL, #+ header)"),
    (ExitCode.NO_INPUT, "an input is missing (project folder, file)"),
    (ExitCode.STORE_UNAVAILABLE, "a triple store or endpoint cannot be opened or reached"),
    (ExitCode.INTERNAL, "internal error (a bug: rerun with --debug and report it)"),
    (ExitCode.CANNOT_WRITE, "an output cannot be written"),
    (ExitCode.TIMEOUT, "a store or endpoint timed out"),
    (ExitCode.REFUSED, "refused by policy (SERVICE, LOAD or FROM in a query; answer over a limit)"),
    (ExitCode.INTERRUPTED, "interrupted (Ctrl-C)"),
)
"""The exit codes in the order ``--help`` and the README list them, each with its meaning."""


class IctkgError(Exception):
    """Base class of every error ictkg raises on purpose; each subclass has its exit code.

    The string form is ``<location>: <message>`` (the location only when the error has one),
    plus the fix on a second line.
    """

    exit_code: ExitCode = ExitCode.INTERNAL
    """The process exit code this error ends the CLI with."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        """Create the error.

        Args:
            message: what is wrong, in one sentence.
            hint: how to fix it.
        """
        self.message = message
        """What is wrong, in one sentence."""
        self.hint = hint
        """How to fix it, when ictkg knows."""
        super().__init__(str(self))

    @property
    def location(self) -> str | None:
        """What the error is about (a file, a parameter), when it names one."""
        return None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


class UsageError(IctkgError):
    """A value given on the command line (or to a library call) is not acceptable."""

    exit_code = ExitCode.USAGE


class InputError(IctkgError):
    """An input file is wrong in a way the person editing it can fix.

    The string form follows the ``path:line:column: message`` convention of compilers and
    linters, so editors and terminals can jump to the spot, and adds the fix on a second line.

    >>> print(InputError("data/x.ttl", "prefix foo: is not declared", line=3, column=7,
    ...                  hint="add '@prefix foo: <...> .' at the top"))
    data/x.ttl:3:7: prefix foo: is not declared
      hint: add '@prefix foo: <...> .' at the top
    """

    exit_code = ExitCode.DATA_ERROR

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
        """The file at fault."""
        self.line = line
        """1-based line of the problem, when known."""
        self.column = column
        """1-based column (in characters) of the problem, when known."""
        super().__init__(message, hint=hint)

    @property
    def location(self) -> str:
        """``path``, ``path:line`` or ``path:line:column``, whichever is known."""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(path={str(self.path)!r}, message={self.message!r}, "
            f"line={self.line!r}, column={self.column!r}, hint={self.hint!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InputError):
            return NotImplemented
        return repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


class MissingInputError(InputError):
    """An input the command needs does not exist (the project folder, a file)."""

    exit_code = ExitCode.NO_INPUT


class OutputError(IctkgError):
    """An output file or folder cannot be written."""

    exit_code = ExitCode.CANNOT_WRITE

    def __init__(self, path: Path | str, message: str, *, hint: str | None = None) -> None:
        """Create the error.

        Args:
            path: what could not be written.
            message: why.
            hint: how to fix it.
        """
        self.path = Path(path)
        """What could not be written."""
        super().__init__(message, hint=hint)

    @property
    def location(self) -> str:
        """The path that could not be written."""
        return str(self.path)


class StoreError(IctkgError):
    """A store cannot be opened, reached, or cannot answer a query (the message names the
    store or endpoint, never a secret)."""

    exit_code = ExitCode.STORE_UNAVAILABLE


class StoreTimeoutError(StoreError):
    """A store or endpoint did not answer in time."""

    exit_code = ExitCode.TIMEOUT


class PolicyError(UsageError):
    """A request ictkg refuses on principle, such as a query that would reach the network."""

    exit_code = ExitCode.REFUSED


class AnswerLimitError(PolicyError):
    """An answer is larger than the limit the caller set (``--max-rows``, ``--max-answer-mb``)."""


def exit_code_for(error: BaseException) -> ExitCode:
    """Return the exit code that ends the CLI after ``error``: the one table, in one place.

    Args:
        error: the exception that stopped the command.

    Returns:
        The error's own :attr:`IctkgError.exit_code`; ``INTERRUPTED`` for Ctrl-C;
        ``INTERNAL`` for anything ictkg did not raise on purpose.

    >>> int(exit_code_for(InputError("a.ttl", "bad")))
    65
    >>> int(exit_code_for(KeyboardInterrupt()))
    130
    >>> int(exit_code_for(ZeroDivisionError()))
    70
    """
    if isinstance(error, IctkgError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL
