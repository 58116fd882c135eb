"""The one table renderer: rich tables that fit the terminal and align East Asian text.

rich measures cells in terminal columns (a CJK character takes two), wraps long cells instead of
running past the edge, and writes plain text when the output is not a terminal. Tables are
returned as strings, so commands print them and tests compare them exactly.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table

__all__ = ["output_width", "render_table"]


def output_width() -> int | None:
    """The width tables should fit: the terminal's, ``$COLUMNS``, or None (no limit) in a pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None = None,
    right: Sequence[bool] | None = None,
    title: str | None = None,
    footer: str | None = None,
) -> str:
    """Render rows of strings as an aligned table.

    Args:
        headers: the column headings.
        rows: the cells, one sequence per row (newlines in a cell are kept).
        width: the width to fit (wrapping cells as needed); None for the natural width.
        right: per column, whether to align right (numbers).
        title: a line above the table.
        footer: a line below the table, such as ``(3 rows)``.

    Returns:
        Plain text ending in a newline; trailing spaces are stripped from every line.

    >>> print(render_table(["名前", "n"], [["東京", "1"], ["Paris", "22"]], right=[False, True]))
     名前     n
    ────────────
     東京     1
     Paris   22
    <BLANKLINE>
    """
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=True,
        title=title,
        title_justify="left",
        header_style="",
        title_style="",
        expand=False,
    )
    for index, header in enumerate(headers):
        align_right = bool(right and index < len(right) and right[index])
        table.add_column(header, justify="right" if align_right else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(
        file=io.StringIO(),
        width=width or 100_000,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(table)
    text = "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())  # type: ignore[attr-defined]
    text = text.strip("\n") + "\n"
    if footer:
        text += footer + "\n"
    return text
