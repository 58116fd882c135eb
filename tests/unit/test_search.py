"""Search (issue 9 item 5): normalisation, terms, ranking on tiny inline answers, and the real
data found by a Japanese phrase and an English word on every in-process backend."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.errors import UsageError
from ictkg.namespaces import ICTKG_NS, ID_NS, RDF_NS, RDFS_NS
from ictkg.project import Project
from ictkg.queries.results import QueryResult
from ictkg.queries.search import (
    SEARCH_QUERIES,
    normalize,
    query_terms,
    search_texts,
    snippet,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "data" / "sources" / "wp2013-nc258220.txt").read_text(encoding="utf-8")

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"


def iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID_NS + local)


def lit(text: str, lang: str | None = "en") -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def result(variables: tuple[str, ...], *rows: tuple[object, ...]) -> QueryResult:
    return QueryResult(variables=variables, rows=tuple(rows))  # type: ignore[arg-type]


LABEL = ox.NamedNode(RDFS_NS + "label")
ALT = ox.NamedNode(SKOS + "altLabel")
DEFINITION = ox.NamedNode(SKOS + "definition")
SENTENCE = ox.NamedNode(ICTKG_NS + "Sentence")
PARAGRAPH = ox.NamedNode(ICTKG_NS + "Paragraph")


def answers(
    texts: list[tuple[object, ...]],
    passages: list[tuple[object, ...]] = (),  # type: ignore[assignment]
    citations: list[tuple[object, ...]] = (),  # type: ignore[assignment]
    subjects: list[tuple[object, ...]] = (),  # type: ignore[assignment]
) -> dict[str, QueryResult]:
    return {
        "texts": result(("resource", "property", "text"), *texts),
        "passages": result(("passage", "type", "text", "line", "parent"), *passages),
        "citations": result(("resource", "passage"), *citations),
        "subjects": result(("resource", "topic"), *subjects),
    }


# -- Normalisation and terms ----------------------------------------------------------------------


def test_normalize_folds_width_and_case() -> None:
    assert normalize("ＩＣＴ　政策") == "ict 政策"
    assert normalize("ｸﾗｳﾄﾞ") == "クラウド"  # half-width kana, voiced mark joined
    assert normalize("Cyber\n\tSecurity") == "cyber security"


def test_query_terms_words_phrases_and_japanese_without_spaces() -> None:
    assert query_terms('EU "Internet Economy"  eu') == ("eu", "internet economy")
    assert query_terms("意見交換を実施") == ("意見交換を実施",)
    assert query_terms("   ") == ()


def test_snippet_keeps_the_match_and_marks_cuts() -> None:
    text = "あ" * 50 + "意見交換" + "い" * 50
    cut = snippet(text, "意見交換", 20)
    assert "意見交換" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut) <= 22
    assert snippet("short", "x", 20) == "short"
    # The match is found in the normalised text but shown as the source wrote it.
    assert "ＩＣＴ" in snippet("x" * 40 + "ＩＣＴ政策" + "y" * 40, "ict", 10)


# -- Ranking --------------------------------------------------------------------------------------


def test_ranking_exact_prefix_word_substring_description_topic_passage() -> None:
    topic = iri("topic/cyber")
    found = search_texts(
        "cyber",
        answers(
            texts=[
                (iri("x/substring"), LABEL, lit("anticyberattack")),
                (iri("x/word"), LABEL, lit("Japan cyber dialogue")),
                (iri("x/description"), DEFINITION, lit("about cyber things")),
                (iri("x/prefix"), LABEL, lit("Cyber dialogue")),
                (topic, LABEL, lit("Cyber")),
                (iri("x/unrelated"), LABEL, lit("broadcasting")),
            ],
            passages=[(iri("passage/s1"), SENTENCE, lit("a cyber sentence", "ja"), None, None)],
            citations=[(iri("x/cited"), iri("passage/s1"))],
            subjects=[(iri("x/about"), topic)],
        ),
    )
    assert [h.resource.removeprefix(ID_NS) for h in found.hits] == [
        "topic/cyber",
        "x/prefix",
        "x/word",
        "x/substring",
        "x/description",
        "x/about",
        "x/cited",
    ]
    assert [h.best.how for h in found.hits] == [
        "exact",
        "prefix",
        "word",
        "label",
        "description",
        "topic",
        "passage",
    ]
    assert found.hits[-1].matched_passages[0].iri == ID_NS + "passage/s1"
    assert found.total == 7


def test_more_terms_first_and_limit() -> None:
    found = search_texts(
        "security France",
        answers(
            texts=[
                (iri("x/one"), LABEL, lit("Security")),
                (iri("x/two"), DEFINITION, lit("security talks with France")),
            ]
        ),
        limit=1,
    )
    assert [h.resource for h in found.hits] == [ID_NS + "x/two"]
    assert found.hits[0].terms == ("security", "france")
    assert found.total == 2


def test_uncited_passage_is_its_own_hit_and_its_paragraph_gives_way_to_the_sentence() -> None:
    found = search_texts(
        "意見交換",
        answers(
            texts=[(iri("passage/p1"), LABEL, lit("paragraph 1"))],
            passages=[
                (iri("passage/p1"), PARAGRAPH, lit("前文。意見交換した。", "ja"), None, None),
                (
                    iri("passage/p1-s2"),
                    SENTENCE,
                    lit("意見交換した。", "ja"),
                    None,
                    iri("passage/p1"),
                ),
            ],
        ),
    )
    assert [h.resource for h in found.hits] == [ID_NS + "passage/p1-s2"]
    assert found.hits[0].passages[0].text == "意見交換した。"


def test_labels_are_given_in_the_language_asked_for() -> None:
    texts = [
        (iri("x/a"), LABEL, lit("Finland")),
        (iri("x/a"), LABEL, lit("フィンランド", "ja")),
        (iri("x/a"), ALT, lit("Suomi")),
    ]
    assert search_texts("suomi", answers(texts), lang="ja").hits[0].label == "フィンランド"
    assert search_texts("suomi", answers(texts), lang="en").hits[0].label == "Finland"


# -- The real data --------------------------------------------------------------------------------

SENTENCES = {
    "wp2013-p01-s1": "インターネットエコノミーに関する幅広い政策課題について意見交換し、",
    "wp2013-p01-s2": "同年11月に第1回を開催して以来、",
    "wp2013-p05-s1": "2012年(平成24年)11月に日本(東京)で開催した日EU・ICT政策対話(第19回)",
    "wp2013-p05-s2": "また、併せて開催した日EUインターネット・セキュリティフォーラムでは、",
    "wp2013-p06-s1": "2013年(平成25年)2月にフランス(パリ)で開催した日仏ICT政策協議(第16回)では、",
    "wp2013-p07-s1": "2013年(平成25年)6月に日本(東京)で開催した日フィンランドICT政策協議",
}
"""The sentences of the source that contain 意見交換 (in four paragraphs), by their start."""


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_japanese_phrase_finds_its_sentences_and_the_meetings_they_support(
    real_project: Project, backend: str
) -> None:
    found = real_project.search("意見交換", limit=0, backend=backend)
    assert SOURCE.count("意見交換") == 6
    passages = {p.iri: p for h in found.hits for p in h.matched_passages}
    assert sorted(passages) == sorted(ID_NS + "passage/" + p for p in SENTENCES)
    for local, start in SENTENCES.items():
        text = passages[ID_NS + "passage/" + local].text
        assert text.startswith(start) and "意見交換" in text
        assert start in SOURCE
    resources = {h.resource.removeprefix(ID_NS) for h in found.hits}
    assert {
        "meeting/jp-eu-ict-policy-dialogue-19",
        "meeting/jp-fr-ict-policy-consultation-16",
        "meeting/jp-fi-ict-policy-consultation-13",
        "meeting/jp-us-ied-1",
        "meeting/jp-eu-internet-security-forum-2012",
    } <= resources
    # The meeting with the phrase in its own description ranks above those cited by a sentence.
    ranks = {h.resource.removeprefix(ID_NS): i for i, h in enumerate(found.hits)}
    forum = ranks["meeting/jp-eu-internet-security-forum-2012"]
    assert forum < ranks["meeting/jp-eu-ict-policy-dialogue-19"]
    meeting = found.hits[ranks["meeting/jp-eu-ict-policy-dialogue-19"]]
    assert meeting.best.where == "passage"
    assert meeting.matched_passages[0].iri == ID_NS + "passage/wp2013-p05-s1"


def test_an_english_word_finds_the_topic_first_then_what_is_about_it(
    real_project: Project,
) -> None:
    found = real_project.search("cybersecurity", limit=0, backend="oxigraph")
    assert found.hits[0].resource == ID_NS + "topic/cybersecurity"
    assert found.hits[0].best.how == "exact"
    by_resource = {h.resource.removeprefix(ID_NS): h for h in found.hits}
    for meeting in ("meeting/jp-us-ied-3", "meeting/jp-us-ied-4"):
        assert by_resource[meeting].best.how == "topic"
        assert by_resource[meeting].passages  # the passages it is derived from
    assert by_resource["meeting/jp-us-ied-4"].label == (
        "4th Director General-Level Meeting of the Japan-U.S. Policy Cooperation Dialogue "
        "on the Internet Economy"
    )


def test_full_width_and_case_do_not_matter(real_project: Project) -> None:
    plain = real_project.search("ict政策対話", limit=0, backend="oxigraph")
    wide = real_project.search("ＩＣＴ政策対話", limit=0, backend="oxigraph")
    assert [h.resource for h in wide.hits] == [h.resource for h in plain.hits]
    assert ID_NS + "series/jp-eu-ict-policy-dialogue" in {h.resource for h in plain.hits}


def test_japanese_labels_on_request(real_project: Project) -> None:
    found = real_project.search("cybersecurity", lang="ja", backend="oxigraph")
    assert found.hits[0].label == "サイバーセキュリティ"


def test_search_refuses_an_empty_text_and_unknown_language(real_project: Project) -> None:
    with pytest.raises(UsageError, match="nothing to search"):
        real_project.search("  ")
    with pytest.raises(UsageError, match="no labels in 'fr'"):
        real_project.search("EU", lang="fr")


def test_search_queries_are_portable_select_queries() -> None:
    from rdflib.plugins.sparql import prepareQuery

    for text in SEARCH_QUERIES.values():
        prepareQuery(text)
        assert "*" not in text.split("WHERE")[1]  # no property paths with * (docs/engines.md)
    assert RDF_NS + "value" in SEARCH_QUERIES["passages"]
    assert PROV + "wasDerivedFrom" in SEARCH_QUERIES["citations"]
    assert DCT + "subject" in SEARCH_QUERIES["subjects"]
