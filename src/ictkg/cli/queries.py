"""``ictkg queries`` and ``ictkg query``: list the stored queries, run one."""

from __future__ import annotations

import click

from ictkg.cli.output import backend_options, lang_given, note, out, project
from ictkg.errors import ExitCode
from ictkg.namespaces import LABEL_LANGUAGES
from ictkg.render.formats import RESULT_FORMATS


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the headings (the questions are written in English only).",
)
@click.pass_context
def queries(ctx: click.Context, fmt: str, lang: str) -> int:
    """List the stored queries: name, question and parameters (a trailing ? marks optional ones).

    \b
    Example:
      ictkg queries
      ictkg queries --lang ja
      ictkg queries --format json
    """
    from ictkg.render.reports import queries_json, queries_text
    from ictkg.render.tables import output_width

    stored = project(ctx).stored_queries()
    if fmt == "json":
        out(queries_json(stored))
        return int(ExitCode.OK)
    if lang_given(ctx) and lang != "en":
        note(f"the questions are written in English only; --lang {lang} sets the headings")
    out(queries_text(stored, width=output_width(), lang=lang))
    return int(ExitCode.OK)


def _parse_param_options(values: tuple[str, ...]) -> dict[str, str]:
    bindings: dict[str, str] = {}
    for item in values:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(
                f"{item!r} is not NAME=VALUE (e.g. topic=topic:security)", param_hint="--param"
            )
        if name.strip() in bindings:
            raise click.BadParameter(f"{name.strip()!r} is given twice", param_hint="--param")
        bindings[name.strip()] = value
    return bindings


@click.command()
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help=(
        "A parameter value; repeat for several. An IRI parameter takes a CURIE "
        "(topic:security), an IRI or a name (France, フランス, Fran)."
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(RESULT_FORMATS)),
    default="table",
    show_default=True,
    help="table, csv/tsv/srj/srx (W3C SPARQL results formats) or json (a list of objects).",
)
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help=(
        "Language of the label columns (the query's lang parameter) and of the headings; "
        "a query without a lang parameter says so."
    ),
)
@backend_options()
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    lang: str,
    backend: str,
    endpoint: str | None,
) -> int:
    """Run a stored query by name (01-meetings-by-topic, its number 01 or slug) or .rq path.

    Values are bound as RDF terms, never pasted into the query. An unknown query, an unknown
    parameter or a value of the wrong type exits with code 2, before anything is built.

    An IRI parameter also takes a name: a label or alternative label in English or Japanese
    (any case), whole or an unambiguous prefix, among the resources of the class the query
    declares. A name several resources carry, an unknown name, and an IRI not in the graph or
    of another class exit with code 2, listing the closest matches.

    --lang sets the query's lang parameter (the language of its label columns) and the table's
    headings; -p lang=ja alone does both too. A query without a lang parameter (its columns
    show every language, as 23, 24 and 30 do) says so on stderr when --lang is given.

    \b
    Example:
      ictkg query 02 --param topic=topic:security
      ictkg query 18 -p partner=France
      ictkg query meetings-in-date-range -p from=2012-10 -p to=2013 --format csv
      ictkg query 01 --lang ja --backend memory --format srj
      ictkg query 19 --endpoint http://localhost:7878/query
    """
    from ictkg.render.results import render_result
    from ictkg.render.tables import output_width

    bindings = _parse_param_options(params)
    chosen = lang_given(ctx)
    answer = project(ctx).query(
        name,
        bindings,
        lang=lang if chosen or "lang" not in bindings else None,
        backend=backend,
        endpoint=endpoint,
    )
    headings = lang if chosen or answer.lang is None else answer.lang
    if chosen and answer.lang is None:
        note(
            f"{answer.query.id} has no lang parameter: its values are shown in the languages "
            f"the data gives them in; --lang {lang} sets the headings only"
        )
    out(
        render_result(
            answer.result, fmt, labels=answer.headings, lang=headings, width=output_width()
        )
    )
    return int(ExitCode.OK)
