"""What every command shares: the Project it works on, progress on stderr, text on stdout."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ictkg.project import Project


F = TypeVar("F", bound=Callable[..., Any])

BACKEND_HELP = (
    "embedded: the Oxigraph store `ictkg build` wrote (built afresh in memory when it is "
    "missing or out of date); memory: rdflib; oxigraph: a fresh in-memory Oxigraph."
)
ENDPOINT_HELP = "Ask a SPARQL 1.1 query endpoint that already holds the graph instead (any engine)."


_LIMITS_KEY = "ictkg.limits"
"""Where the limit options leave their values in ``ctx.meta``, for :func:`project`."""


def _remember_limit(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if param.name is not None:
        ctx.meta.setdefault(_LIMITS_KEY, {})[param.name] = value


def backend_options(
    *, backend_help: str = BACKEND_HELP, endpoint_help: str = ENDPOINT_HELP
) -> Callable[[F], F]:
    """``--backend`` and ``--endpoint``, as every command that reads the graph takes them, and
    the limits of every query it runs: ``--timeout``, ``--max-rows``, ``--max-answer-mb``
    (defaults of :data:`ictkg.stores.limits.DEFAULT_LIMITS`, written here so that ``--help``
    does not import the stores)."""

    def decorate(command: F) -> F:
        limits = (
            (
                "--max-answer-mb",
                click.FloatRange(min=0, min_open=True),
                256.0,
                "MB",
                "The largest answer taken from an endpoint, in MiB as sent (exit 77 above it).",
            ),
            (
                "--max-rows",
                click.IntRange(min=1),
                100_000,
                "N",
                "The most rows (or triples) an answer may have (exit 77 above it).",
            ),
            (
                "--timeout",
                click.FloatRange(min=0, min_open=True),
                60.0,
                "SECONDS",
                "Seconds each query (each endpoint request) may take in all (exit 75 after).",
            ),
        )
        for flag, kind, default, metavar, text in limits:
            command = click.option(
                flag,
                type=kind,
                default=default,
                show_default=True,
                metavar=metavar,
                help=text,
                expose_value=False,
                callback=_remember_limit,
            )(command)
        command = click.option("--endpoint", metavar="URL", default=None, help=endpoint_help)(
            command
        )
        return click.option(
            "--backend",
            # (ictkg.project.BACKEND_NAMES, not imported: the CLI starts without the project)
            type=click.Choice(["embedded", "memory", "oxigraph"]),
            default="embedded",
            show_default=True,
            help=backend_help,
        )(command)

    return decorate


def progress(message: str) -> None:
    """Tell the user, on stderr, what a long step is doing (dimmed on a terminal)."""
    click.echo(click.style(message, dim=True), err=True)


def note(message: str) -> None:
    """Tell the user, on stderr, something about the answer that is not an error."""
    click.echo(click.style(f"note: {message}", dim=True), err=True)


def lang_given(ctx: click.Context) -> bool:
    """Whether the user chose ``--lang`` (on the command line or by environment), rather than
    leaving it at its default."""
    source = ctx.get_parameter_source("lang")
    return source is not None and source is not click.core.ParameterSource.DEFAULT


def error(message: str) -> None:
    """Say on stderr why the command failed (red on a terminal)."""
    click.echo(click.style(message, fg="red"), err=True)


def project(ctx: click.Context) -> Project:
    """The :class:`~ictkg.project.Project` named by ``--root``, ``$ICTKG_ROOT`` or the cwd."""
    from ictkg.project import Project

    obj = ctx.find_root().obj
    root: Path | None = obj.get("root") if isinstance(obj, dict) else None
    chosen = ctx.meta.get(_LIMITS_KEY)
    if not chosen:
        return Project(root, progress=progress)
    from ictkg.stores.limits import Limits

    return Project(root, progress=progress, limits=Limits(**chosen))


def stdout_is_tty() -> bool:
    """Whether stdout is a terminal (colours and fitted tables then)."""
    return sys.stdout.isatty()


def out(text: str) -> None:
    """Write text to stdout, colouring severities when stdout is a terminal."""
    if not stdout_is_tty():
        click.echo(text, nl=False)
        return
    from rich.console import Console
    from rich.text import Text

    rich_text = Text(text)
    rich_text.highlight_words(["Violation", "違反", "FAIL", "不合格"], style="bold red")
    rich_text.highlight_words(["Warning", "警告", "NOT COVERED"], style="yellow")
    Console(highlight=False, soft_wrap=True).print(rich_text, end="")
