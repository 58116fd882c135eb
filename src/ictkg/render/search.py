"""Render a search's hits for people (a table with headings in English or Japanese) and for
programs (CSV, JSON). Finding and ranking them is left to :mod:`ictkg.queries.search`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ictkg.namespaces import curie
from ictkg.queries.search import SearchHit, SearchMatch, SearchResult, snippet

__all__ = ["SEARCH_FORMATS", "render_search", "search_csv", "search_json", "search_table"]

SEARCH_FORMATS: tuple[str, ...] = ("table", "csv", "json")
"""The formats ``ictkg search --format`` offers."""

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "rank": "#",
        "resource": "Resource",
        "label": "Resource (name)",
        "where": "Matched in",
        "text": "Text",
        "passages": "Passages",
        "label_match": "label",
        "description": "description",
        "topic": "topic",
        "passage": "passage",
        "hit": "hit",
        "hits": "hits",
        "of": "{shown} of {total} hits; --limit 0 shows them all",
        "none": "no resource or passage contains {terms}",
        "more": "+{n} more",
    },
    "ja": {
        "rank": "#",
        "resource": "リソース",
        "label": "リソース名",
        "where": "一致箇所",
        "text": "本文",
        "passages": "出典箇所",
        "label_match": "ラベル",
        "description": "説明",
        "topic": "テーマ",
        "passage": "出典箇所",
        "hit": "件",
        "hits": "件",
        "of": "{total}件中{shown}件; --limit 0 ですべて表示",
        "none": "{terms} を含むリソースや出典箇所はない",
        "more": "ほか{n}件",
    },
}
"""Headings and words of the search table, per language."""

_PASSAGES_SHOWN = 3
"""How many passages a table cell lists before ``+N more``."""


def _short(iri: str) -> str:
    return curie(iri) or f"<{iri}>"


def _where(match: SearchMatch, words: dict[str, str]) -> str:
    key = "label_match" if match.where == "label" else match.where
    shown = words[key]
    if match.passage is not None:
        return f"{shown} ({match.passage.kind})"
    return f"{shown}@{match.lang}" if match.lang else shown


def _text(match: SearchMatch, width: int) -> str:
    text = snippet(match.text, match.terms[0] if match.terms else "", width)
    if match.topic is not None:
        return f"{_short(match.topic)}: {text}"
    return text


def _passages_cell(hit: SearchHit, words: dict[str, str]) -> str:
    shown = [_short(p.iri) for p in hit.passages[:_PASSAGES_SHOWN]]
    extra = len(hit.passages) - _PASSAGES_SHOWN
    if extra > 0:
        shown.append(words["more"].format(n=extra))
    return "\n".join(shown)


def search_table(result: SearchResult, *, width: int | None = None) -> str:
    """Render the hits as a table: rank, resource, its label, where it matched, the text
    around the match, and the passages it comes from; headings in ``result.lang``.

    Returns:
        The table and a count line, or one line saying nothing matched.
    """
    words = _WORDS.get(result.lang, _WORDS["en"])
    if not result.hits:
        terms = ", ".join(f"“{t}”" for t in result.terms)
        return words["none"].format(terms=terms) + "\n"
    headers = [words[k] for k in ("rank", "resource", "label", "where", "text", "passages")]
    rows = [
        [
            str(rank),
            _short(hit.resource),
            hit.label or "",
            _where(hit.best, words),
            _text(hit.best, 40),
            _passages_cell(hit, words),
        ]
        for rank, hit in enumerate(result.hits, start=1)
    ]
    if len(result.hits) < result.total:
        footer = "(" + words["of"].format(shown=len(result.hits), total=result.total) + ")"
    else:
        count = len(result.hits)
        footer = f"({count} {words['hit'] if count == 1 else words['hits']})"
    from ictkg.render.tables import render_table  # rich: only for tables

    right = [True, False, False, False, False, False]
    return render_table(headers, rows, width=width, right=right, footer=footer)


_CSV_COLUMNS = (
    "rank",
    "resource",
    "label",
    "terms",
    "matched_in",
    "property",
    "lang",
    "text",
    "matched_passages",
    "passages",
)


def search_csv(result: SearchResult) -> str:
    """Render one row per hit: full IRIs, its best match's whole text, and the passages it
    comes from (space-separated IRIs, those that matched also on their own)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for rank, hit in enumerate(result.hits, start=1):
        best = hit.best
        writer.writerow(
            [
                rank,
                hit.resource,
                hit.label or "",
                " ".join(hit.terms),
                best.where,
                best.predicate,
                best.lang or "",
                best.text,
                " ".join(p.iri for p in hit.matched_passages),
                " ".join(p.iri for p in hit.passages),
            ]
        )
    return out.getvalue()


def _match_dict(match: SearchMatch) -> dict[str, Any]:
    return {
        "how": match.how,
        "matched_in": match.where,
        "property": match.predicate,
        "lang": match.lang,
        "text": match.text,
        "terms": list(match.terms),
        "passage": match.passage.iri if match.passage else None,
        "topic": match.topic,
    }


def search_dict(result: SearchResult) -> dict[str, Any]:
    """Return the result as JSON-ready data: the query, its terms, the total, and each hit
    with every match and every passage it comes from (with its text)."""
    hits = []
    for rank, hit in enumerate(result.hits, start=1):
        matched = {p.iri for p in hit.matched_passages}
        hits.append(
            {
                "rank": rank,
                "resource": hit.resource,
                "curie": curie(hit.resource),
                "label": hit.label,
                "terms": list(hit.terms),
                "matches": [_match_dict(m) for m in hit.matches],
                "passages": [
                    {
                        "passage": p.iri,
                        "kind": p.kind,
                        "line": p.line,
                        "text": p.text,
                        "matched": p.iri in matched,
                    }
                    for p in hit.passages
                ],
            }
        )
    return {
        "query": result.text,
        "terms": list(result.terms),
        "lang": result.lang,
        "total": result.total,
        "hits": hits,
    }


def search_json(result: SearchResult) -> str:
    """Render the result as JSON (see :func:`search_dict`), ending in a newline."""
    return json.dumps(search_dict(result), ensure_ascii=False, indent=2) + "\n"


def render_search(result: SearchResult, fmt: str, *, width: int | None = None) -> str:
    """Render a search result in one of :data:`SEARCH_FORMATS`."""
    if fmt == "csv":
        return search_csv(result)
    if fmt == "json":
        return search_json(result)
    return search_table(result, width=width)
