"""``ictkg sparql`` and ``ictkg describe``: ask the graph anything, or show everything about one
resource. The work is done by :meth:`ictkg.project.Project.sparql` and
:meth:`~ictkg.project.Project.describe`."""

from __future__ import annotations

import sys

import click

from ictkg.cli.output import backend_options, out, project
from ictkg.errors import ExitCode, UsageError
from ictkg.namespaces import LABEL_LANGUAGES
from ictkg.render.formats import DESCRIBE_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, SPARQL_FORMATS


@click.command()
@click.argument("query", metavar="QUERY")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(SPARQL_FORMATS)),
    default=None,
    help=(
        "SELECT/ASK: table (default), csv, tsv, json, srj, srx. "
        "CONSTRUCT/DESCRIBE: turtle (default), jsonld, ntriples."
    ),
)
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the table headings (queries/columns.yaml); the query picks its labels.",
)
@backend_options()
@click.pass_context
def sparql(
    ctx: click.Context,
    query: str,
    fmt: str | None,
    lang: str,
    backend: str,
    endpoint: str | None,
) -> int:
    """Run a SPARQL query given as text, as a file, or on standard input (-).

    SELECT, ASK, CONSTRUCT and DESCRIBE are run; updates are not. The project prefixes
    (ictkg:, meeting:, topic:, rdfs:, skos:, dct:, prov: … as in the data) are declared for
    you unless the query declares them itself. SERVICE, LOAD and FROM are refused (exit 77):
    ictkg never fetches data on its own. A syntax error names the line and column (exit 65).
    DESCRIBE gives the engine's own description; `ictkg describe` gives ictkg's.

    \b
    Example:
      ictkg sparql 'SELECT ?m ?date { ?m ictkg:inSeries series:jp-us-ied ; dct:date ?date }'
      ictkg sparql 'ASK { meeting:jp-us-ied-4 dct:subject topic:privacy }'
      ictkg sparql my-question.rq --format csv
      echo 'DESCRIBE country:fr' | ictkg sparql - --format jsonld
      ictkg sparql 'CONSTRUCT { ?m dct:subject ?t } WHERE { ?m dct:subject ?t }' \\
          --format ntriples --endpoint http://localhost:7878/query
    """
    from ictkg.queries.adhoc import read_query
    from ictkg.render.graphs import render_graph
    from ictkg.render.results import render_result
    from ictkg.render.tables import output_width

    adhoc = read_query(query, stdin=sys.stdin)
    if fmt is not None:
        wanted = GRAPH_FORMATS if adhoc.is_graph else RESULT_FORMATS
        if fmt not in wanted:
            form = adhoc.form or "this"
            raise UsageError(
                f"--format {fmt} does not fit a {form} query",
                hint=f"a {form} query gives {', '.join(wanted)}",
            )
    answer = project(ctx).sparql(adhoc, backend=backend, endpoint=endpoint)
    if answer.triples is not None:
        out(render_graph(answer.triples, fmt or "turtle"))
    else:
        assert answer.result is not None
        out(
            render_result(
                answer.result,
                fmt or "table",
                labels=answer.headings,
                lang=lang,
                width=output_width(),
            )
        )
    return int(ExitCode.OK)


@click.command()
@click.argument("name", metavar="NAME-OR-IRI")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DESCRIBE_FORMATS)),
    default="table",
    show_default=True,
    help="table: for people; turtle, jsonld, ntriples: the statements, their provenance and "
    "the labels of the terms they name, as RDF.",
)
@click.option(
    "--lang",
    type=click.Choice(LABEL_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the labels of the other terms, and of the table's headings.",
)
@click.option(
    "--stated-only",
    is_flag=True,
    help="Leave out what only the build's derived graph (graph:inferred) states.",
)
@backend_options()
@click.pass_context
def describe(
    ctx: click.Context,
    name: str,
    fmt: str,
    lang: str,
    stated_only: bool,
    backend: str,
    endpoint: str | None,
) -> int:
    """Show everything the graph says about one resource, and the sources behind it.

    NAME-OR-IRI is an IRI, a CURIE with a project prefix (meeting:jp-us-ied-4) or a label or
    alternative label in English or Japanese, in any case. Shown: its labels and types, every
    statement about it and pointing to it (with the graph that states it and the labels of the
    other terms), the source passages it is derived from with their text, and the press
    releases behind it. A name several resources carry lists them; an unknown name suggests
    the closest ones (both exit 2).

    \b
    Example:
      ictkg describe meeting:jp-us-ied-4
      ictkg describe France
      ictkg describe フランス --lang ja
      ictkg describe "19th Japan-EU ICT Policy Dialogue" --format turtle
      ictkg describe https://w3id.org/ictkg/id/topic/privacy --format jsonld
      ictkg describe country:fi --endpoint http://localhost:7878/query
    """
    from ictkg.render.describe import render_description
    from ictkg.render.tables import output_width

    description = project(ctx).describe(
        name,
        lang=lang,
        backend=backend,
        endpoint=endpoint,
        include_inferred=not stated_only,
    )
    out(render_description(description, fmt, width=output_width()))
    return int(ExitCode.OK)
