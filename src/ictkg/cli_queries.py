"""The ``ictkg queries`` and ``ictkg query`` subcommands, and the result renderers they use.

Parsing arguments and rendering are here; loading, binding and running stored queries is left
to :mod:`ictkg.queries` and :mod:`ictkg.store`. Registered in :mod:`ictkg.cli`, whose ``main``
turns click errors and :class:`ictkg.errors.IctkgError` into exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import click
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ictkg.build import input_fingerprint
from ictkg.cli_common import EXIT_OK, build_full_dataset, progress, project_paths
from ictkg.namespaces import bind_namespaces
from ictkg.paths import ProjectPaths
from ictkg.queries import (
    QueryResult,
    StoredQuery,
    find_query,
    load_queries,
    prepare_bindings,
    run_query,
    term_to_sparql,
)
from ictkg.store import SparqlEndpointStore, Store, open_embedded_store, open_store

__all__ = [
    "FORMATS",
    "queries_command",
    "query_command",
    "render_csv",
    "render_json",
    "render_result",
    "render_srj",
    "render_srx",
    "render_table",
    "render_tsv",
]

FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "srj", "srx")
"""Output formats of ``ictkg query``."""


_NAMESPACES = bind_namespaces(Graph()).namespace_manager


# -- Renderers ------------------------------------------------------------------------------------


def _compact(term: Node | None) -> str:
    """A readable cell: a CURIE (or full IRI) for IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return str(_NAMESPACES.curie(str(term), generate=False))
        except (KeyError, ValueError):
            return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render_table(result: QueryResult) -> str:
    """Render rows as an aligned text table, IRIs as CURIEs and literals as their text."""
    if result.boolean is not None:
        return f"{str(result.boolean).lower()}\n"
    header = list(result.variables)
    cells = [[_compact(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [len(h) for h in header]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render_csv(result: QueryResult) -> str:
    """Render as SPARQL 1.1 Query Results CSV: plain values, CRLF line ends (W3C)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.decimal, XSD.boolean):
        text = str(term)
        if term.datatype != XSD.boolean or text in ("true", "false"):
            return text
    if isinstance(term, URIRef | Literal):
        return term_to_sparql(term).replace("\t", "\\t")
    return str(term)


def render_tsv(result: QueryResult) -> str:
    """Render as SPARQL 1.1 Query Results TSV: ``?var`` header, terms in SPARQL syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(v) for v in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _srj_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            value["datatype"] = str(term.datatype)
        return value
    raise TypeError(f"cannot render {term!r}")


def render_srj(result: QueryResult) -> str:
    """Render as SPARQL 1.1 Query Results JSON (``application/sparql-results+json``)."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [
        {
            name: _srj_term(value)
            for name, value in zip(result.variables, row, strict=True)
            if value is not None
        }
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_srx(result: QueryResult) -> str:
    """Render as SPARQL Query Results XML (``application/sparql-results+xml``)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "  <head>",
    ]
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines.append("  </head>")
    if result.boolean is not None:
        lines.append(f"  <boolean>{str(result.boolean).lower()}</boolean>")
    else:
        lines.append("  <results>")
        for row in result.rows:
            lines.append("    <result>")
            for name, value in zip(result.variables, row, strict=True):
                if value is None:
                    continue
                lines.append(f"      <binding name={quoteattr(name)}>{_srx_term(value)}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _srx_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
        if term.datatype and term.datatype != XSD.string:
            return (
                f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
            )
        return f"<literal>{escape(str(term))}</literal>"
    raise TypeError(f"cannot render {term!r}")


def render_json(result: QueryResult) -> str:
    """Render as a plain JSON list of ``{variable: value}`` objects (IRIs in full, literal text)."""
    if result.boolean is not None:
        return json.dumps(result.boolean) + "\n"
    rows = [
        {
            name: _csv_value(value)
            for name, value in zip(result.variables, row, strict=True)
            if value is not None
        }
        for row in result.rows
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


_RENDERERS = {
    "table": render_table,
    "csv": render_csv,
    "tsv": render_tsv,
    "json": render_json,
    "srj": render_srj,
    "srx": render_srx,
}


def render_result(result: QueryResult, fmt: str) -> str:
    """Render a result in one of :data:`FORMATS`."""
    return _RENDERERS[fmt](result)


# -- Commands -------------------------------------------------------------------------------------


def _describe_parameters(query: StoredQuery) -> str:
    return ", ".join(
        f"{p.name}:{p.type}" + ("" if p.required else "?") for p in query.parameters.values()
    )


@click.command("queries")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def queries_command(ctx: click.Context, fmt: str) -> int:
    """List the stored queries: name, summary and parameters (a trailing ? marks optional ones).

    \b
    Example:
      ictkg queries
      ictkg queries --format json
    """
    queries = load_queries(project_paths(ctx).queries_dir, check_syntax=False)
    if fmt == "json":
        data = [
            {
                "id": q.id,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "parameters": {
                    p.name: {
                        "type": p.type,
                        "required": p.required,
                        "example": p.example,
                        "description": p.description,
                    }
                    for p in q.parameters.values()
                },
            }
            for q in queries
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(q.id) for q in queries), default=0)
    for query in queries:
        click.echo(f"{query.id:<{width}}  {query.summary}")
        if query.parameters:
            click.echo(f"{'':<{width}}    parameters: {_describe_parameters(query)}")
    return EXIT_OK


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


def _open_query_store(paths: ProjectPaths, backend: str, endpoint: str | None) -> Store:
    """The store ``ictkg query`` asks: an endpoint, the built embedded store, or a fresh one."""
    if endpoint is not None:
        return SparqlEndpointStore(endpoint)
    if backend == "embedded":
        store = open_embedded_store(paths.store_dir, input_fingerprint(paths))
        if store is not None:
            return store
        progress(
            f"{paths.store_dir} is missing or older than the inputs (run `ictkg build`); "
            "building the graph in memory"
        )
        backend = "oxigraph"
    fresh = open_store(backend)
    fresh.load(build_full_dataset(paths))
    return fresh


@click.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value; repeat for several. IRIs may be CURIEs (topic:security).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="table",
    show_default=True,
    help="table, csv/tsv/srj/srx (W3C SPARQL results formats) or json (a list of objects).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default="en",
    show_default=True,
    help="Language of the label columns (the query's lang parameter).",
)
@click.option(
    "--backend",
    type=click.Choice(["embedded", "memory", "oxigraph"]),
    default="embedded",
    show_default=True,
    help=(
        "embedded: the Oxigraph store `ictkg build` wrote (built afresh in memory when it is "
        "missing or out of date); memory: rdflib; oxigraph: a fresh in-memory Oxigraph."
    ),
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Ask a SPARQL 1.1 query endpoint that already holds the graph instead (any engine).",
)
@click.pass_context
def query_command(
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
    parameter or a value of the wrong type exits with code 2.

    \b
    Example:
      ictkg query 02 --param topic=topic:security
      ictkg query meetings-in-date-range -p from=2012-10 -p to=2013 --format csv
      ictkg query 01 --lang ja --backend memory --format srj
      ictkg query 19 --endpoint http://localhost:7878/query
    """
    paths = project_paths(ctx)
    queries = load_queries(paths.queries_dir, check_syntax=False)
    query = find_query(name, queries)
    bindings: dict[str, Identifier | str] = dict(_parse_param_options(params))
    if "lang" in query.parameters and "lang" not in bindings:
        bindings["lang"] = lang
    terms = prepare_bindings(query, bindings)  # refuse bad values before any slow work
    store = _open_query_store(paths, backend, endpoint)
    result = run_query(query, store, terms)
    click.echo(render_result(result, fmt), nl=False)
    return EXIT_OK
