"""Render what ``ictkg export`` wrote as a table of files; writing them is left to
:mod:`ictkg.export.formats`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ictkg.render.tables import render_table

if TYPE_CHECKING:
    from ictkg.export.formats import ExportResult

__all__ = ["export_text"]


def export_text(result: ExportResult, *, width: int | None = None) -> str:
    """One row per file written: its path below the export folder, format, size and triples.

    A CSV table shows its data rows instead of triples (``12 rows``).

    Args:
        result: what :meth:`ictkg.Project.export` returned.
        width: the width to fit, or None for the natural width.

    Returns:
        The folder on the first line, then the table, with the totals in its footer.
    """
    rows = []
    for file in result.files:
        if file.triples is not None:
            count = f"{file.triples:,}"
        elif file.rows is not None:
            count = f"{file.rows:,} rows"
        else:
            count = ""
        rel = file.path.relative_to(result.out_dir).as_posix()
        rows.append([rel, file.format, f"{file.bytes:,}", count])
    total = sum(file.bytes for file in result.files)
    # The folder goes on a line of its own: a table title would wrap to the table's width.
    return f"exported to {result.out_dir}\n" + render_table(
        ["file", "format", "bytes", "triples"],
        rows,
        width=width,
        right=[False, False, True, True],
        footer=f"({len(result.files)} files, {total:,} bytes)",
    )
