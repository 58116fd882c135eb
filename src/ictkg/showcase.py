"""Answers to the showcase questions that ``ictkg demo`` prints; the stored queries supply them.

Placeholder: the stored-query catalogue (``ictkg.queries``) will fill :func:`showcase_answers`
in; until then it returns no answers and the demo says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset

from ictkg.paths import ProjectPaths


@dataclass(frozen=True)
class ShowcaseAnswer:
    """One question the demo answers, with its answer already rendered as text."""

    question: str
    """The question, as a user would ask it."""
    query_id: str
    """The stored query that answers it (``queries/<query_id>.rq``)."""
    answer: str
    """The answer, rendered as plain text (one line per row)."""


def showcase_answers(dataset: Dataset, paths: ProjectPaths) -> list[ShowcaseAnswer]:
    """Return the showcase questions with their answers over ``dataset``.

    Args:
        dataset: the built dataset.
        paths: where the stored queries live.

    Returns:
        The answers, in the order the demo prints them (empty until the catalogue lands).
    """
    # TODO(showcase): run the showcase stored queries here once ictkg.queries exists.
    del dataset, paths
    return []
