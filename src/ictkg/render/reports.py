"""Render the reports of validation, checks, coverage, the query list and the demo for people
(text) and programs (JSON, Turtle). Computing them is left to :mod:`ictkg.quality` and
:mod:`ictkg.project`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from ictkg.namespaces import curie
from ictkg.render.results import ColumnLabels, column_heading
from ictkg.render.tables import render_table
from ictkg.render.terms import term_kind, term_n3, term_text

if TYPE_CHECKING:
    from ictkg.project import ClassCount, DemoReport, ShowcaseAnswer
    from ictkg.quality.checks import CheckResult
    from ictkg.quality.coverage import CoverageReport
    from ictkg.quality.shacl import ValidationReport
    from ictkg.queries.files import StoredQuery

__all__ = [
    "checks_json",
    "checks_text",
    "coverage_json",
    "coverage_text",
    "demo_text",
    "queries_json",
    "queries_text",
    "validation_json",
    "validation_text",
    "validation_turtle",
]

_CHECK_WORDS = {
    "en": {
        "ok": "ok",
        "fail": "FAIL",
        "row": "row",
        "rows": "rows",
        "fix": "fix",
        "none": "no checks found",
    },
    "ja": {
        "ok": "ok",
        "fail": "不合格",
        "row": "行",
        "rows": "行",
        "fix": "直し方",
        "none": "検査がない",
    },
}
_TEXT_WIDTH = 100
"""Prose (a check's fix text) is wrapped to this many columns."""


# -- SHACL validation -----------------------------------------------------------------------------


def _full(term: Any) -> str | None:
    """A term in full for JSON: the IRI, ``_:id`` or the literal in N-Triples form."""
    if term is None:
        return None
    kind, value, language, datatype = term_kind(term)
    if kind == "iri":
        return value
    if kind == "bnode":
        return f"_:{value}"
    text = json.dumps(value, ensure_ascii=False)
    if language:
        return f"{text}@{language}"
    return f"{text}^^<{datatype}>" if datatype else text


def validation_text(report: ValidationReport, lang: str = "en") -> str:
    """Render the report for a person: results grouped by resource, with passages to check.

    Args:
        report: the validation report.
        lang: ``en`` or ``ja``, for the headings and, where the shapes give both, the messages.

    Returns:
        Plain text ending in a newline.
    """
    from ictkg.quality.shacl import LABELS, SEVERITIES

    words = LABELS.get(lang, LABELS["en"])
    counts = ", ".join(f"{report.count(s)} {words[s]}" for s in SEVERITIES if report.count(s))
    status = words["conforms"] if report.conforms else words["fails"]
    lines = [f"{words['title']}: {status}" + (f" ({counts})" if counts else "")]
    grouped: dict[Any, list[Any]] = {}
    for result in report.results:
        grouped.setdefault(result.focus_node, []).append(result)
    for focus, results in grouped.items():
        label = results[0].label_in(lang)
        lines.append("")
        lines.append(term_n3(focus) + (f"  ({label})" if label else ""))
        severities = [words[r.severity] for r in results]
        width = max(cell_len(s) for s in severities)
        for result, severity in zip(results, severities, strict=True):
            path = term_n3(result.result_path) or "-"
            padded = severity + " " * (width - cell_len(severity))
            lines.append(f"  {padded}  {path}: {result.message_in(lang)}")
            pad = " " * (width + 4)
            if result.value is not None:
                lines.append(f"{pad}{words['value']}: {term_n3(result.value)}")
            if result.source_shape is not None or result.constraint_component is not None:
                shape = term_n3(result.source_shape)
                component = term_n3(result.constraint_component)
                lines.append(f"{pad}{words['shape']}: {shape} ({component})")
            if len(report.source_graphs) > 1 and result.graphs:
                graphs = ", ".join(term_n3(g) for g in result.graphs)
                lines.append(f"{pad}{words['graph']}: {graphs}")
        passages = sorted({p for r in results for p in r.source_passages})
        if passages:
            shown = ", ".join(curie(p) or f"<{p}>" for p in passages)
            lines.append(f"  {words['check']}: {shown}")
        else:
            lines.append(f"  {words['check']}: {words['none']}")
    return "\n".join(lines) + "\n"


def _by_language(messages: Iterable[Any]) -> dict[str, str]:
    """Map each language ("" for none) to its first message (a SPARQL constraint's own first)."""
    found: dict[str, str] = {}
    for m in messages:
        found.setdefault(m.language or "", str(m))
    return found


def validation_dict(report: ValidationReport) -> dict[str, Any]:
    """Return the report as JSON-ready data (IRIs in full, literals in N-Triples form)."""
    from ictkg.quality.shacl import SEVERITIES

    return {
        "conforms": report.conforms,
        "counts": {s: report.count(s) for s in SEVERITIES},
        "results": [
            {
                "focus_node": _full(r.focus_node),
                "focus_node_curie": term_n3(r.focus_node),
                "path": _full(r.result_path),
                "value": _full(r.value),
                "severity": r.severity,
                "message": r.message,
                "messages": _by_language(r.messages),
                "source_shape": _full(r.source_shape),
                "constraint_component": _full(r.constraint_component),
                "source_passages": list(r.source_passages),
                "graphs": [str(g) for g in r.graphs],
            }
            for r in report.results
        ],
    }


def validation_json(report: ValidationReport) -> str:
    """Render the report as JSON (see :func:`validation_dict`), ending in a newline."""
    return json.dumps(validation_dict(report), ensure_ascii=False, indent=2) + "\n"


def validation_turtle(report: ValidationReport) -> str:
    """Render pySHACL's raw report graph as Turtle (the standard SHACL report vocabulary)."""
    return str(report.report_graph.serialize(format="longturtle"))


# -- Quality checks -------------------------------------------------------------------------------


def checks_text(results: Sequence[CheckResult], lang: str = "en") -> str:
    """Render each check as ``name: ok`` or ``name: FAIL (N rows)``, a failed one with its
    summary, its fix text and its rows as a table.

    >>> checks_text([])
    'no checks found\\n'
    """
    words = _CHECK_WORDS.get(lang, _CHECK_WORDS["en"])
    lines: list[str] = []
    for result in results:
        if result.passed:
            lines.append(f"{result.name}: {words['ok']}")
            continue
        count = len(result.rows)
        noun = words["row"] if count == 1 else words["rows"]
        lines.append(f"{result.name}: {words['fail']} ({count} {noun})")
        if result.summary:
            lines.append(f"  {result.summary}")
        if result.description:
            lines += textwrap.wrap(
                result.description,
                _TEXT_WIDTH,
                initial_indent=f"  {words['fix']}: ",
                subsequent_indent="       ",
                break_on_hyphens=False,
            )
        table = render_table(
            list(result.columns), [[term_text(v) for v in row] for row in result.rows]
        )
        lines.extend("  " + line if line else line for line in table.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\n" if lines else f"{words['none']}\n"


def checks_dict(results: Sequence[CheckResult]) -> list[dict[str, Any]]:
    """Return the check results as JSON-ready data."""
    return [
        {
            "name": r.name,
            "passed": r.passed,
            "summary": r.summary,
            "fix": r.description,
            "columns": list(r.columns),
            "rows": [[_full(v) for v in row] for row in r.rows],
        }
        for r in results
    ]


def checks_json(results: Sequence[CheckResult]) -> str:
    """Render the check results as JSON, ending in a newline."""
    return json.dumps(checks_dict(results), ensure_ascii=False, indent=2) + "\n"


# -- Coverage -------------------------------------------------------------------------------------


def _excerpt(text: str | None, width: int = 40) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def coverage_text(report: CoverageReport) -> str:
    """Render each passage with the resources derived from it, flagging those with none.

    Returns:
        Text ending in a newline: one block per passage, then the coverage figure.
    """
    lines: list[str] = []
    for entry in report.passages:
        flag = "ok " if entry.covered else "NOT COVERED"
        lines.append(f"{flag:<3} {term_n3(entry.passage)}  {_excerpt(entry.text)}")
        lines.extend(f"      <- {term_n3(d)}" for d in entry.derived)
    percent = f"{100 * report.ratio:.0f}%"
    lines.append(f"coverage: {report.covered}/{report.total} passages ({percent})")
    for source in report.sources_without_passages:
        lines.append(
            f"  no passages: {term_n3(source)} is a document known by its URL, with no excerpt: "
            "there is nothing of it to cover (its facts point to the document itself)"
        )
    for entry in report.uncovered:
        lines.append(
            f"  not covered: {term_n3(entry.passage)} ({entry.label}): add a resource "
            "with prov:wasDerivedFrom pointing at this passage or one of its sentences"
        )
    return "\n".join(lines) + "\n"


def coverage_dict(report: CoverageReport) -> dict[str, Any]:
    """Return the report as JSON-ready data."""
    return {
        "covered": report.covered,
        "total": report.total,
        "ratio": round(report.ratio, 4),
        "sources_without_passages": [str(s) for s in report.sources_without_passages],
        "passages": [
            {
                "passage": str(e.passage),
                "kind": str(e.kind),
                "graph": str(e.graph),
                "position": e.position,
                "label": e.label,
                "covered": e.covered,
                "derived": [str(d) for d in e.derived],
            }
            for e in report.passages
        ],
    }


def coverage_json(report: CoverageReport) -> str:
    """Render the report as JSON, ending in a newline."""
    return json.dumps(coverage_dict(report), ensure_ascii=False, indent=2) + "\n"


# -- The stored queries ---------------------------------------------------------------------------


def _parameters(query: StoredQuery) -> str:
    return ", ".join(
        f"{p.name}:{p.type}" + ("" if p.required else "?") for p in query.parameters.values()
    )


_QUERIES_HEADINGS = {
    "en": ["query", "question", "parameters"],
    "ja": ["クエリ", "質問", "パラメータ"],
}


def queries_text(
    queries: Sequence[StoredQuery], *, width: int | None = None, lang: str = "en"
) -> str:
    """List the stored queries: name, summary and parameters (``?`` marks optional ones), with
    headings in ``lang`` (the summaries are the headers' English)."""
    rows = [[q.id, q.summary, _parameters(q)] for q in queries]
    headings = _QUERIES_HEADINGS.get(lang, _QUERIES_HEADINGS["en"])
    return render_table(headings, rows, width=width)


def queries_json(queries: Sequence[StoredQuery]) -> str:
    """List the stored queries as JSON: id, summary, description, tags and parameters (with the
    classes an IRI parameter's value must be of, as CURIEs)."""
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
                    # The classes a value must be an instance of (any; absent: any resource).
                    **({"class": [curie(c) or c for c in p.classes]} if p.classes else {}),
                }
                for p in q.parameters.values()
            },
        }
        for q in queries
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- The demo -------------------------------------------------------------------------------------


_DEMO_WORDS = {
    "en": {
        "class": "class",
        "label": "label",
        "count": "count",
        "title": "Resources per class",
        "conforms": "SHACL: conforms ({n} warning{s})",
        "coverage": "Coverage: {covered}/{total} passages ({percent}%)",
        "questions": "Showcase questions:",
        "no rows": "(no rows)",
    },
    "ja": {
        "class": "クラス",
        "label": "ラベル",
        "count": "件数",
        "title": "クラスごとのリソース数",
        "conforms": "SHACL: 適合(警告{n}件)",
        "coverage": "出典箇所の網羅: {covered}/{total}箇所({percent}%)",
        "questions": "例題:",
        "no rows": "(該当なし)",
    },
}
"""The demo's own words, per language."""


def class_counts_text(
    counts: Sequence[ClassCount], *, width: int | None = None, lang: str = "en"
) -> str:
    """The resources per class, as a table (headings and class labels in ``lang``)."""
    words = _DEMO_WORDS.get(lang, _DEMO_WORDS["en"])
    rows = [[c.curie, c.label, str(c.count)] for c in counts]
    return render_table(
        [words["class"], words["label"], words["count"]],
        rows,
        width=width,
        right=[False, False, True],
        title=words["title"],
    )


def _answer_text(
    answer: ShowcaseAnswer, labels: ColumnLabels | None, width: int | None, lang: str
) -> str:
    result = answer.result
    columns = [c for c in answer.columns if c in result.variables]
    index = [result.variables.index(c) for c in columns]
    rows = [[term_text(row[i]) or "-" for i in index] for row in result.rows]
    if not rows:
        return f"  {_DEMO_WORDS.get(lang, _DEMO_WORDS['en'])['no rows']}\n"
    headers = [column_heading(c, labels, lang) for c in columns]
    table = render_table(headers, rows, width=width)
    return "".join(f"  {line}\n" if line else "\n" for line in table.rstrip("\n").split("\n"))


def demo_text(report: DemoReport, *, width: int | None = None) -> str:
    """Render what ``ictkg demo`` found: classes, validation, coverage and the showcase answers,
    in the report's language (``report.lang``)."""
    lang = report.lang
    words = _DEMO_WORDS.get(lang, _DEMO_WORDS["en"])
    parts = [class_counts_text(report.class_counts, width=width, lang=lang)]
    warnings = report.build.report.count("Warning") if report.build.report else 0
    cover = report.coverage
    plural = "" if warnings == 1 else "s"
    parts.append(words["conforms"].format(n=warnings, s=plural) + "\n")
    percent = f"{100 * cover.ratio:.0f}"
    parts.append(
        words["coverage"].format(covered=cover.covered, total=cover.total, percent=percent) + "\n"
    )
    if report.answers:
        parts.append(f"\n{words['questions']}\n")
        for answer in report.answers:
            parts.append(f"\n? {answer.question}  [{answer.query_id}]\n")
            parts.append(_answer_text(answer, report.headings, width, lang))
    return "".join(parts)
