"""What every ictkg subcommand shares: exit codes, the project folder, progress messages and
the one way the CLI builds the dataset. The commands themselves live in cli.py and cli_queries.py.
"""

from __future__ import annotations

from pathlib import Path

import click
from rdflib import Dataset
from rich.console import Console

from ictkg.build import build_dataset
from ictkg.paths import ProjectPaths, default_paths
from ictkg.queries import add_catalogue

EXIT_OK = 0
"""Success, or the data conforms and every check passes."""
EXIT_FAILED = 1
"""SHACL violations or failed checks."""
EXIT_USAGE = 2
"""Bad arguments, or an input file that cannot be read or parsed."""


def err_console() -> Console:
    """A console on stderr for progress and errors."""
    # soft_wrap: never break a path or an IRI across lines, even in a narrow terminal.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def progress(message: str) -> None:
    """Tell the user, on stderr, what a long step is doing."""
    err_console().print(f"[dim]{message}[/dim]")


def project_paths(ctx: click.Context) -> ProjectPaths:
    """The project folder from ``--root``, ``$ICTKG_ROOT`` or the working directory."""
    root_ctx = ctx.find_root()
    root: Path | None = root_ctx.obj.get("root") if isinstance(root_ctx.obj, dict) else None
    try:
        return default_paths(root)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc


def build_full_dataset(paths: ProjectPaths) -> Dataset:
    """Build the dataset the CLI works on: every source, passages and the query catalogue."""
    return build_dataset(paths, extra_graph_builders=(add_catalogue,))
