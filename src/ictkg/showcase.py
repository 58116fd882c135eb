"""Answers to the showcase questions that ``ictkg demo`` prints; the stored queries supply them.

Each answer runs one stored query (``queries/``) on a store and renders its rows as plain text;
printing is left to the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ictkg.namespaces import bind_namespaces
from ictkg.paths import ProjectPaths
from ictkg.queries import find_query, load_queries, run_query
from ictkg.store import Store

SHOWCASE: tuple[tuple[str, str, dict[str, str], tuple[str, ...]], ...] = (
    (
        "Which dialogues and meetings covered cybersecurity itself?",
        "01-meetings-by-topic",
        {"topic": "topic:cybersecurity"},
        ("date", "eventLabel"),
    ),
    (
        "... and counting narrower topics such as cybersecurity R&D?",
        "02-meetings-by-topic-with-narrower",
        {"topic": "topic:cybersecurity"},
        ("date", "eventLabel", "matchedTopicLabel"),
    ),
    (
        "What was discussed with France and Finland alike?",
        "17-topics-shared-by-partners",
        {"partner1": "country:fr", "partner2": "country:fi"},
        ("topicLabel",),
    ),
    (
        "How did the Japan-U.S. Internet Economy dialogue unfold, meeting by meeting?",
        "08-series-meetings",
        {"series": "series:jp-us-ied"},
        ("ordinal", "date", "placeLabel", "meetingLabel"),
    ),
    (
        "Where were the meetings held, in Japan or abroad?",
        "09-meetings-by-place",
        {},
        ("date", "locationLabel", "meetingLabel", "inJapan"),
    ),
)
"""Question, stored query, parameter values and the columns shown, in the demo's order."""


@dataclass(frozen=True)
class ShowcaseAnswer:
    """One question the demo answers, with its answer already rendered as text."""

    question: str
    """The question, as a user would ask it."""
    query_id: str
    """The stored query that answers it (``queries/<query_id>.rq``)."""
    answer: str
    """The answer, rendered as plain text (one line per row)."""


def _text(value: object, nm: Graph) -> str:
    if value is None:
        return "-"
    if isinstance(value, URIRef):
        return value.n3(nm.namespace_manager)
    if isinstance(value, Literal) and value.datatype == XSD.boolean:
        return "in Japan" if str(value) == "true" else "abroad"
    return str(value)


def showcase_answers(store: Store, paths: ProjectPaths) -> list[ShowcaseAnswer]:
    """Return the showcase questions with their answers from ``store``.

    Args:
        store: a store holding the built dataset (the demo uses the embedded Oxigraph store).
        paths: where the stored queries live.

    Returns:
        The answers, in the order the demo prints them (empty when there are no stored
        queries).

    Raises:
        InputError: when a showcase query is missing or invalid.
    """
    queries = load_queries(paths.queries_dir, check_syntax=False)
    if not queries:
        return []
    nm = bind_namespaces(Graph())
    answers = []
    for question, query_id, bindings, columns in SHOWCASE:
        query = find_query(query_id, queries)
        result = run_query(query, store, {**bindings, "lang": "en"})
        lines = []
        for row in result.rows:
            values = dict(zip(result.variables, row, strict=True))
            lines.append("  " + "  ".join(_text(values.get(c), nm) for c in columns))
        answers.append(
            ShowcaseAnswer(
                question=question,
                query_id=query_id,
                answer="\n".join(lines) + "\n" if lines else "  (no rows)\n",
            )
        )
    return answers
