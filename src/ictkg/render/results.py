"""Render a query result as a table, CSV, TSV, JSON, or the W3C SPARQL results formats.

CSV, TSV, SRJ and SRX follow the W3C SPARQL 1.1 Query Results specifications; ``json`` is a
plain list of objects for scripts (numbers as numbers, every row with the same keys); ``table``
is for people (CURIEs, headings in the chosen language).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Any

from ictkg.namespaces import XSD_NS
from ictkg.queries.results import QueryResult
from ictkg.queries.sparql import term_to_sparql
from ictkg.render.terms import term_kind, term_text

__all__ = [
    "column_heading",
    "render_csv",
    "render_json",
    "render_result",
    "render_srj",
    "render_srx",
    "render_table_result",
    "render_tsv",
]


_INTEGERS = frozenset(
    XSD_NS + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOATS = frozenset(XSD_NS + t for t in ("decimal", "double", "float"))
_BOOLEAN = XSD_NS + "boolean"

ColumnLabels = Mapping[str, Mapping[str, str]]
"""Variable name -> language -> heading, e.g. ``{"meetingLabel": {"en": "Meeting", …}}``."""


def escape(text: str) -> str:
    """Escape text for XML element content (what ``xml.sax.saxutils.escape`` does, without
    importing it: saxutils pulls in urllib and http, a fifth of ``ictkg query``'s start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """Escape and double-quote text for an XML attribute value.

    >>> quoteattr('a "b" <c>')
    '"a &quot;b&quot; &lt;c&gt;"'
    """
    escaped = escape(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def column_heading(variable: str, labels: ColumnLabels | None, lang: str) -> str:
    """The heading of a column: its label in ``lang`` (or English), else the words of its name.

    >>> column_heading("matchedTopicLabel", None, "en")
    'matched topic label'
    >>> column_heading("date", {"date": {"en": "Date", "ja": "日付"}}, "ja")
    '日付'
    """
    entry = (labels or {}).get(variable)
    if entry:
        return entry.get(lang) or entry.get("en") or variable
    words: list[str] = []
    for char in variable:
        if char.isupper() and words:
            words.append(" ")
        words.append(char.lower())
    return "".join(words).replace("_", " ")


def _number_like(term: Any) -> bool:
    kind, _value, _lang, datatype = term_kind(term)
    return kind == "literal" and datatype in _INTEGERS | _FLOATS


def render_table_result(
    result: QueryResult,
    *,
    labels: ColumnLabels | None = None,
    lang: str = "en",
    width: int | None = None,
) -> str:
    """Render rows as a table for people: CURIEs for IRIs, literal text, readable headings.

    Args:
        result: the query result.
        labels: column headings per variable and language.
        lang: the language of the headings.
        width: the width to fit; None for the natural width.

    Returns:
        The table and a ``(N rows)`` line; ``true``/``false`` for an ASK query.
    """
    if result.boolean is not None:
        return f"{str(result.boolean).lower()}\n"
    headers = [column_heading(v, labels, lang) for v in result.variables]
    cells = [[term_text(v) for v in row] for row in result.rows]
    right = [
        bool(result.rows) and all(r[i] is None or _number_like(r[i]) for r in result.rows)
        for i in range(len(result.variables))
    ]
    count = len(cells)
    footer = f"({count} row{'s' if count != 1 else ''})"
    if not cells:
        return "  ".join(headers) + "\n" + footer + "\n"
    from ictkg.render.tables import render_table  # rich: only for tables

    return render_table(headers, cells, width=width, right=right, footer=footer)


def _plain(term: Any) -> str:
    if term is None:
        return ""
    kind, value, _lang, _datatype = term_kind(term)
    return f"_:{value}" if kind == "bnode" else value


def render_csv(result: QueryResult) -> str:
    """Render as SPARQL 1.1 Query Results CSV: plain values, CRLF line ends (W3C)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(v) for v in row])
    return out.getvalue()


def _tsv_value(term: Any) -> str:
    if term is None:
        return ""
    kind, value, _lang, datatype = term_kind(term)
    if kind == "bnode":
        return f"_:{value}"
    if kind == "literal" and datatype in (XSD_NS + "integer", XSD_NS + "decimal"):
        return value
    if kind == "literal" and datatype == _BOOLEAN and value in ("true", "false"):
        return value
    return term_to_sparql(term)


def render_tsv(result: QueryResult) -> str:
    """Render as SPARQL 1.1 Query Results TSV: ``?var`` header, terms in SPARQL syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(v) for v in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _srj_term(term: Any) -> dict[str, str]:
    kind, value, language, datatype = term_kind(term)
    if kind == "iri":
        return {"type": "uri", "value": value}
    if kind == "bnode":
        return {"type": "bnode", "value": value}
    cell = {"type": "literal", "value": value}
    if language:
        cell["xml:lang"] = language
    elif datatype:
        cell["datatype"] = datatype
    return cell


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


def _srx_term(term: Any) -> str:
    kind, value, language, datatype = term_kind(term)
    if kind == "iri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
    if datatype:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


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


def json_value(term: Any) -> str | int | float | bool | None:
    """A term as a JSON value: numbers and booleans as such, IRIs in full, literal text.

    >>> import pyoxigraph as ox
    >>> json_value(ox.Literal("3", datatype=ox.NamedNode(XSD_NS + "integer"))), json_value(None)
    (3, None)
    """
    if term is None:
        return None
    kind, value, _lang, datatype = term_kind(term)
    if kind == "bnode":
        return f"_:{value}"
    if kind == "literal" and datatype:
        try:
            if datatype in _INTEGERS:
                return int(value)
            if datatype in _FLOATS:
                return float(value)
        except ValueError:
            return value
        if datatype == _BOOLEAN and value in ("true", "false", "1", "0"):
            return value in ("true", "1")
    return value


def render_json(result: QueryResult) -> str:
    """Render as a JSON list of objects, one per row, every row with every variable (null when
    unbound); numbers and booleans as JSON numbers and booleans."""
    if result.boolean is not None:
        return json.dumps(result.boolean) + "\n"
    rows = [
        {name: json_value(value) for name, value in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[QueryResult], str]] = {
    "csv": render_csv,
    "tsv": render_tsv,
    "json": render_json,
    "srj": render_srj,
    "srx": render_srx,
}


def render_result(
    result: QueryResult,
    fmt: str,
    *,
    labels: ColumnLabels | None = None,
    lang: str = "en",
    width: int | None = None,
) -> str:
    """Render a result in one of :data:`~ictkg.render.formats.RESULT_FORMATS`.

    Args:
        result: the query result.
        fmt: the format name.
        labels: for ``table`` only, as in :func:`render_table_result`.
        lang: for ``table`` only, as in :func:`render_table_result`.
        width: for ``table`` only, as in :func:`render_table_result`.

    Returns:
        The rendered text.
    """
    if fmt == "table":
        return render_table_result(result, labels=labels, lang=lang, width=width)
    return _RENDERERS[fmt](result)
