"""``ictkg export``: write the dataset in linked-data formats and CSV tables (one Project call)."""

from __future__ import annotations

from pathlib import Path

import click

from ictkg.cli.output import out, project
from ictkg.errors import ExitCode

# The names and descriptions come from the export layer, so --help cannot drift from it.
from ictkg.export.formats import CONTEXT_FILE, CSV_FORMAT, FORMAT_NAMES, FORMATS

_FORMAT_LINES = "\n".join(
    [f"  {f.name:<9} .{f.extension:<7} {f.description}" for f in FORMATS.values()]
    + [
        f"  {CSV_FORMAT:<9} .csv     tables of meetings, series, organisations, countries, "
        "documents, topics, outcomes (UTF-8 with BOM, CRLF)"
    ]
)


@click.command(
    help=f"""Export the dataset as linked data (and CSV tables) into build/export/.

For each RDF format, writes the whole dataset as ictkg.<ext> (dataset formats keep the named
graphs; Turtle, N-Triples and RDF/XML hold their union) and one file per named graph as
graphs/<name>.<ext>. JSON-LD is compact, with readable keys ("label", "inSeries") from
{CONTEXT_FILE}, written beside it; nothing is ever fetched. CSV tables go to csv/.

The same data gives the same bytes. The folder is replaced only when the new export is
complete, so a failure leaves the previous export as it was (exit code 73). Only a
new or empty folder, or an earlier export, is replaced: any other folder is refused (73).

\b
Formats:
{_FORMAT_LINES}

\b
Example:
  ictkg export                                # every format into build/export/
  ictkg export --format jsonld --format csv   # only JSON-LD and the CSV tables
  ictkg export --out /tmp/ictkg-export --format turtle
"""
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_NAMES),
    multiple=True,
    help="A format to write (repeat for several; default: all).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Export folder (default: build/export/ in the project); replaced as a whole.",
)
@click.pass_context
def export(ctx: click.Context, formats: tuple[str, ...], out_dir: Path | None) -> int:
    """The ``ictkg export`` command."""
    from ictkg.render.export import export_text
    from ictkg.render.tables import output_width

    result = project(ctx).export(out_dir, list(formats) or None)
    out(export_text(result, width=output_width()))
    return int(ExitCode.OK)
