"""``ictkg search``: find resources by their labels, descriptions and source passages."""

from __future__ import annotations

import click

from ictkg.cli.output import backend_options, out, project
from ictkg.errors import ExitCode
from ictkg.namespaces import LABEL_LANGUAGES

_FORMATS = ("table", "csv", "json")


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the labels and headings shown (both languages are always searched).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Show at most this many hits; 0 shows them all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="table",
    show_default=True,
    help="table for people; csv (one row per hit) or json (every match and passage) for programs.",
)
@backend_options(
    backend_help="Where to search, as for `ictkg query`.",
    endpoint_help="Search a SPARQL 1.1 query endpoint that already holds the graph instead.",
)
@click.pass_context
def search(
    ctx: click.Context,
    text: tuple[str, ...],
    lang: str,
    limit: int,
    fmt: str,
    backend: str,
    endpoint: str | None,
) -> int:
    """Find resources whose labels, descriptions or source passages contain TEXT.

    Both languages are searched, case-insensitively and by substring (Japanese needs no
    spaces; full-width and half-width forms match). Each word is a term, a "quoted phrase"
    one term; resources matching more terms come first, then those matching in a label, a
    description, a topic they are about, and last a source passage they are derived from.
    Each hit lists the passages it comes from.

    \b
    Example:
      ictkg search 意見交換                        # the sentences, and the meetings they support
      ictkg search cybersecurity --lang ja        # labels and headings in Japanese
      ictkg search '"information sharing"' EU --limit 5
      ictkg search プライバシー --format json
    """
    from ictkg.render.search import render_search
    from ictkg.render.tables import output_width

    result = project(ctx).search(
        " ".join(text), lang=lang, limit=limit, backend=backend, endpoint=endpoint
    )
    out(render_search(result, fmt, width=output_width()))
    return int(ExitCode.OK)
