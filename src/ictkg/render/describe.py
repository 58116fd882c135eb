"""Show ``ictkg describe``'s answer to people: the resource's names and types, then tables of
the statements about it, the statements pointing to it, its source passages and press releases.

Every other term is shown as its CURIE with its label in the chosen language; literals as
Turtle writes them (``"…"@ja``, ``"2012-10"^^xsd:gYearMonth``), so nothing is lost. The RDF
forms are :func:`ictkg.render.graphs.render_graph` of :meth:`Description.triples`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ictkg.namespaces import curie
from ictkg.project.describe import Description, graph_name
from ictkg.render.graphs import render_graph
from ictkg.render.terms import term_kind, term_n3

__all__ = ["HEADINGS", "render_description", "render_description_table"]

HEADINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "iri": "IRI",
        "label": "label",
        "types": "types",
        "outgoing": "Statements about it",
        "incoming": "Statements pointing to it",
        "passages": "Source passages it is derived from",
        "releases": "Press releases behind it",
        "property": "property",
        "value": "value",
        "subject": "subject",
        "graph": "graph",
        "passage": "passage",
        "kind": "kind",
        "line": "line",
        "text": "text",
        "url": "URL",
        "document": "document",
        "via": "via",
        "cited": "cited (dct:source)",
        "footnote": "footnote",
        "none": "(none)",
        "from": "answered by",
    },
    "ja": {
        "iri": "IRI",
        "label": "ラベル",
        "types": "クラス",
        "outgoing": "このリソースについての記述",
        "incoming": "このリソースを指す記述",
        "passages": "典拠となる出典の文・段落",
        "releases": "典拠となる報道資料",
        "property": "プロパティ",
        "value": "値",
        "subject": "主語",
        "graph": "グラフ",
        "passage": "出典箇所",
        "kind": "種別",
        "line": "行",
        "text": "本文",
        "url": "URL",
        "document": "文書",
        "via": "経路",
        "cited": "引用 (dct:source)",
        "footnote": "脚注",
        "none": "(なし)",
        "from": "回答元",
    },
}
"""Section titles and column headings of the table, per ``--lang`` language."""


def _name(iri: str) -> str:
    return curie(iri) or f"<{iri}>"


def _term(term: object, description: Description) -> str:
    kind, value, _language, _datatype = term_kind(term)
    if kind == "iri":
        label = description.label(value)
        return f"{_name(value)} ({label})" if label else _name(value)
    if kind == "bnode":
        return f"_:{value}"
    return term_n3(term)


def _graphs(graphs: tuple[str, ...]) -> str:
    return ", ".join(graph_name(g) for g in graphs)


def _section(title: str, headers: list[str], rows: list[list[str]], width: int | None) -> str:
    from ictkg.render.tables import render_table  # rich: only for tables

    heading = f"{title} ({len(rows)})"
    if not rows:
        return heading + "\n"
    return heading + "\n" + render_table(headers, rows, width=width)


def render_description_table(description: Description, *, width: int | None = None) -> str:
    """The description for people: names and types, then one table per section.

    Args:
        description: what :meth:`ictkg.project.Project.describe` found.
        width: the width to fit; None for the natural width.

    Returns:
        Plain text in the description's language (headings and labels of other terms).
    """
    words = HEADINGS.get(description.lang, HEADINGS["en"])
    d = description
    iri = d.resource.value
    lines = [_name(iri)]
    lines.append(f"  {words['iri']}: {iri}")
    for label in d.labels:
        lines.append(f"  {words['label']} @{label.language}: {label.value}")
    if d.types:
        lines.append(f"  {words['types']}: " + ", ".join(_term(t, d) for t in d.types))
    if d.source:
        lines.append(f"  {words['from']}: {d.source}")
    parts = ["\n".join(lines) + "\n"]
    parts.append(
        _section(
            words["outgoing"],
            [words["property"], words["value"], words["graph"]],
            [[_term(s.predicate, d), _term(s.object, d), _graphs(s.graphs)] for s in d.outgoing],
            width,
        )
    )
    parts.append(
        _section(
            words["incoming"],
            [words["subject"], words["property"], words["graph"]],
            [[_term(s.subject, d), _term(s.predicate, d), _graphs(s.graphs)] for s in d.incoming],
            width,
        )
    )
    parts.append(
        _section(
            words["passages"],
            [words["passage"], words["kind"], words["line"], words["text"], words["graph"]],
            [
                [
                    _name(p.iri),
                    _term_name(p.kind),
                    "" if p.line is None else str(p.line),
                    p.text or "",
                    _graphs(p.graphs),
                ]
                for p in d.passages
            ],
            width,
        )
    )
    parts.append(
        _section(
            words["releases"],
            [words["url"], words["document"], words["via"], words["graph"]],
            [
                [
                    r.url,
                    # (the CURIE only: the document's label is among its statements)
                    "" if r.document is None else _name(r.document),
                    words["cited"]
                    if r.via == "cited"
                    else f"{words['footnote']} {_name(r.footnote or '')}".strip(),
                    _graphs(r.graphs),
                ]
                for r in d.press_releases
            ],
            width,
        )
    )
    return "\n".join(parts)


def _term_name(iri: str | None) -> str:
    return "" if iri is None else _name(iri)


def render_description(description: Description, fmt: str, *, width: int | None = None) -> str:
    """Render a description as a table (``table``) or as RDF (``turtle``, ``jsonld``,
    ``ntriples``: the statements, the provenance and the labels of the terms named)."""
    if fmt == "table":
        return render_description_table(description, width=width)
    return render_graph(description.triples(), fmt)
