"""The showcase questions ``ictkg demo`` answers, each by one stored query; asking is left to
:meth:`ictkg.project.Project.demo`, rendering to :mod:`ictkg.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SHOWCASE", "ShowcaseQuestion"]


@dataclass(frozen=True)
class ShowcaseQuestion:
    """One question of the demo and the stored query that answers it."""

    question: str
    """The question, as a user would ask it."""
    query_id: str
    """The stored query that answers it (``queries/<query_id>.rq``)."""
    parameters: dict[str, str] = field(default_factory=dict, hash=False)
    """Parameter values, as a user would type them."""
    columns: tuple[str, ...] = ()
    """The result columns the demo shows."""
    question_ja: str = ""
    """The question in Japanese (``ictkg demo --lang ja``)."""

    def question_in(self, lang: str) -> str:
        """The question in ``lang`` (English when there is no translation).

        >>> SHOWCASE[2].question_in("ja")
        'フランスともフィンランドとも話し合われたテーマは?'
        """
        return self.question_ja if lang == "ja" and self.question_ja else self.question


SHOWCASE: tuple[ShowcaseQuestion, ...] = (
    ShowcaseQuestion(
        "Which dialogues and meetings covered cybersecurity itself?",
        "01-meetings-by-topic",
        {"topic": "topic:cybersecurity"},
        ("date", "eventLabel"),
        question_ja="サイバーセキュリティそのものを扱った対話と会合は?",
    ),
    ShowcaseQuestion(
        "... and counting narrower topics such as cybersecurity R&D?",
        "02-meetings-by-topic-with-narrower",
        {"topic": "topic:cybersecurity"},
        ("date", "eventLabel", "matchedTopicLabel"),
        question_ja="……サイバーセキュリティ研究開発など下位のテーマも含めると?",
    ),
    ShowcaseQuestion(
        "What was discussed with France and Finland alike?",
        "17-topics-shared-by-partners",
        {"partner1": "country:fr", "partner2": "country:fi"},
        ("topicLabel",),
        question_ja="フランスともフィンランドとも話し合われたテーマは?",
    ),
    ShowcaseQuestion(
        "How did the Japan-U.S. Internet Economy dialogue unfold, meeting by meeting?",
        "08-series-meetings",
        {"series": "series:jp-us-ied"},
        ("ordinal", "date", "placeLabel", "meetingLabel"),
        question_ja="インターネットエコノミーに関する日米政策協力対話は、会合ごとにどう進んだか?",
    ),
    ShowcaseQuestion(
        "Where were the meetings held, in Japan or abroad?",
        "09-meetings-by-place",
        {},
        ("date", "locationLabel", "meetingLabel", "inJapan"),
        question_ja="会合はどこで開かれたか(日本国内か海外か)?",
    ),
)
"""The demo's questions, in the order it prints them."""
