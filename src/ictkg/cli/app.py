"""The ``ictkg`` command group, its global options, and ``main``, which maps every failure to
its exit code through :func:`ictkg.errors.exit_code_for` (the one table)."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from ictkg import __version__
from ictkg.errors import EXIT_CODE_HELP, ExitCode, IctkgError, exit_code_for

EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {int(code):<3}  {meaning}" for code, meaning in EXIT_CODE_HELP
)
"""The exit-code table as ``--help`` shows it (``\\b`` keeps click from re-wrapping it)."""

HELP = f"""Build, validate and query the knowledge graph of Japan's ICT policy dialogues.

Run from anywhere inside the checkout, or pass --root DIR (or set ICTKG_ROOT). Every command
takes --help, with examples.

\b
Example:
  ictkg demo                                   # build, validate, load, answer the showcase
  ictkg query 02 -p topic=topic:security       # a stored question, with a parameter
  ictkg search 意見交換                         # labels, descriptions and source sentences
  ictkg sparql 'ASK {{ ?s a ictkg:Meeting }}'   # any SPARQL (project prefixes declared)
  ictkg describe France                        # everything about one resource, with sources
  ictkg validate --lang ja                     # the SHACL report in Japanese
  ictkg load --endpoint http://localhost:7878/query   # replace a server's graphs at once

{EXIT_CODES_HELP}
"""


class LazyGroup(click.Group):
    """A group whose subcommands are imported when one is run (or listed by ``--help``), so
    that ``ictkg query`` does not import the code of ``export``, ``load`` or ``validate``."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy
        """Command name -> ``module:attribute``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


COMMANDS: dict[str, str] = {
    "build": "ictkg.cli.pipeline:build",
    "validate": "ictkg.cli.pipeline:validate",
    "checks": "ictkg.cli.pipeline:checks",
    "coverage": "ictkg.cli.pipeline:coverage",
    "demo": "ictkg.cli.pipeline:demo",
    "queries": "ictkg.cli.queries:queries",
    "query": "ictkg.cli.queries:query",
    "search": "ictkg.cli.search:search",
    "sparql": "ictkg.cli.sparql:sparql",
    "describe": "ictkg.cli.sparql:describe",
    "export": "ictkg.cli.export:export",
    "load": "ictkg.cli.load:load",
}
"""Every subcommand and where it lives (imported only when used)."""


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    help=HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: $ICTKG_ROOT or the checkout around the working directory).",
)
@click.option("--debug", is_flag=True, help="Show the Python traceback when a command fails.")
@click.version_option(__version__, prog_name="ictkg")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """The ``ictkg`` command group."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["debug"] = debug


def _wants_debug(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("ICTKG_DEBUG", "") not in ("", "0")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (see :class:`ictkg.errors.ExitCode`).

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code; no traceback is printed unless ``--debug`` is given.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_debug(args)
    try:
        result = cli.main(args=args, prog_name="ictkg", standalone_mode=False)
    except click.exceptions.Abort:  # click turns Ctrl-C into Abort
        click.echo("interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except (IctkgError, KeyboardInterrupt) as exc:
        if debug:
            traceback.print_exc()
        if isinstance(exc, KeyboardInterrupt):
            click.echo("interrupted", err=True)
        else:
            click.echo(f"error: {exc}", err=True)
        return int(exit_code_for(exc))
    except BrokenPipeError:  # e.g. `ictkg query 02 | head`: the reader has what it wanted
        sys.stderr.close()
        return int(ExitCode.OK)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in ictkg; rerun with --debug and report the traceback",
            err=True,
        )
        return int(exit_code_for(exc))
    if isinstance(result, int):
        return result
    return int(ExitCode.OK)
