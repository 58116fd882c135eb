"""Tests of source-text segmentation into passages and of the passage RDF."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ictkg.errors import InputError
from ictkg.model.passages import (
    LINK_SUFFIX,
    Segment,
    footnote_markers,
    passages_for_edition,
    segment,
    split_sentences,
)
from ictkg.vocab import DCT, ICTKG, KIND, OA

ROOT = Path(__file__).resolve().parents[2]
LOCAL_PATH = "data/sources/wp2013-nc258220.txt"
SOURCE_FILE = ROOT / LOCAL_PATH
SHA256 = "029179098043b3b7b32901303d16de6aa17cd91965ab275a445cb9d92a1dafbb"
SOURCE = URIRef("https://w3id.org/ictkg/id/source/wp2013-nc258220")
P = KIND["passage"]


@pytest.fixture(scope="module")
def text() -> str:
    return SOURCE_FILE.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def segments(text: str) -> list[Segment]:
    return segment(text)


@pytest.fixture(scope="module")
def by_id(segments: list[Segment]) -> dict[str, Segment]:
    return {s.local_id: s for s in segments}


def _edition_graph(sha256: str = SHA256, local_path: str = LOCAL_PATH) -> Graph:
    graph = Graph()
    graph.add((SOURCE, RDF.type, ICTKG.SourceText))
    graph.add((SOURCE, ICTKG.localPath, Literal(local_path)))
    graph.add((SOURCE, ICTKG.sha256, Literal(sha256)))
    graph.add((SOURCE, ICTKG.edition, Literal("wp2013")))
    return graph


@pytest.fixture(scope="module")
def passages() -> Graph:
    return passages_for_edition(_edition_graph(), ROOT)


# --- the real file --------------------------------------------------------------------------


def test_source_file_is_unchanged() -> None:
    assert hashlib.sha256(SOURCE_FILE.read_bytes()).hexdigest() == SHA256


def test_every_offset_is_exact(text: str, segments: list[Segment]) -> None:
    for seg in segments:
        assert 0 <= seg.start < seg.end <= len(text)
        assert text[seg.start : seg.end] == seg.text, seg.local_id


def test_counts(segments: list[Segment]) -> None:
    kinds = [s.kind for s in segments]
    assert kinds.count("heading") == 10
    assert kinds.count("paragraph") == 11
    assert kinds.count("sentence") == 25
    assert [s.footnote_number for s in segments if s.kind == "footnote"] == list(range(10, 16))


def test_ids_and_positions_follow_document_order(segments: list[Segment]) -> None:
    for kind, prefix in (("heading", "h"), ("paragraph", "p"), ("footnote", "fn")):
        same = [s for s in segments if s.kind == kind]
        assert [s.position for s in same] == list(range(1, len(same) + 1))
        if kind != "footnote":
            assert [s.local_id for s in same] == [
                f"{prefix}{i:02d}" for i in range(1, len(same) + 1)
            ]
        starts = [s.start for s in same]
        assert starts == sorted(starts)
    sentences = [s for s in segments if s.kind == "sentence"]
    assert [s.position for s in sentences] == list(range(1, 26))


def test_sentences_tile_their_paragraph(segments: list[Segment], by_id: dict[str, Segment]) -> None:
    for para in (s for s in segments if s.kind == "paragraph"):
        sentences = [s for s in segments if s.kind == "sentence" and s.parent == para.local_id]
        assert "".join(s.text for s in sentences) == para.text
        assert sentences[0].start == para.start and sentences[-1].end == para.end
        assert [s.index for s in sentences] == list(range(1, len(sentences) + 1))
        assert [s.local_id for s in sentences] == [
            f"{para.local_id}-s{i}" for i in range(1, len(sentences) + 1)
        ]
        assert len(sentences) == para.text.count("。") + (not para.text.endswith("。"))
    assert len([s for s in segments if s.parent == "p02" and s.kind == "sentence"]) == 7
    assert by_id["p02-s7"].text.endswith("とりまとめた11")


def test_footnote_markers_each_once_in_the_right_sentence(segments: list[Segment]) -> None:
    sentence_markers = {
        s.local_id: s.footnotes for s in segments if s.kind == "sentence" and s.footnotes
    }
    assert sentence_markers == {
        "p01-s1": (10,),
        "p02-s7": (11,),
        "p03-s2": (12,),
        "p05-s2": (13,),
        "p06-s1": (14,),
        "p09-s2": (15,),
    }
    paragraph_markers = {
        s.local_id: s.footnotes for s in segments if s.kind == "paragraph" and s.footnotes
    }
    assert paragraph_markers == {
        "p01": (10,),
        "p02": (11,),
        "p03": (12,),
        "p05": (13,),
        "p06": (14,),
        "p09": (15,),
    }
    assert not any(s.footnotes for s in segments if s.kind in ("heading", "footnote"))


def test_marker_contexts(by_id: dict[str, Segment]) -> None:
    assert "一致した10。" in by_id["p01-s1"].text
    assert by_id["p01-s1"].text.endswith("10。")
    assert "物聯網15分野" in by_id["p09-s2"].text


def test_headings(segments: list[Segment], by_id: dict[str, Segment]) -> None:
    headings = [s for s in segments if s.kind == "heading"]
    assert [h.level for h in headings] == [1, 2, 3, 4, 5, 5, 4, 5, 5, 4]
    assert by_id["h01"].text == "第2部 情報通信の現況・政策の動向"
    assert by_id["h01"].parent is None and by_id["h01"].heading_path == ()
    assert by_id["h06"].text == "(イ)日米ICTサービス通商原則の策定"
    assert by_id["h06"].parent == "h04"
    assert by_id["h10"].text == "ウ アジア諸国との協力"
    assert by_id["h10"].parent == "h03"


def test_heading_paths(by_id: dict[str, Segment]) -> None:
    assert by_id["p01"].heading_path == (
        "第2部 情報通信の現況・政策の動向",
        "第8節 国際戦略の推進",
        "(2)二国間関係における国際政策の展開",
        "ア 米国との政策協力",
        "(ア)インターネットエコノミーに関する日米政策協力対話",
    )
    assert by_id["p01"].parent == "h05"
    assert by_id["p04"].heading_path[-1] == "イ 欧州との協力"
    assert by_id["p04"].parent == "h07"
    assert by_id["p07"].heading_path[-2:] == ("イ 欧州との協力", "(イ)欧州諸国との二国間協力")
    assert by_id["p10"].heading_path[-1] == "ウ アジア諸国との協力"
    assert len(by_id["p10"].heading_path) == 4


def test_furniture_is_excluded(text: str, segments: list[Segment]) -> None:
    for seg in segments:
        assert "総務省トップ" not in seg.text
        assert "テキスト形式のファイルはこちら" not in seg.text
        assert "ページトップへ戻る" not in seg.text
        assert LINK_SUFFIX not in seg.text
    covered = {i for s in segments for i in range(s.start, s.end)}
    first_line_end = text.index("\n")
    assert not covered & set(range(first_line_end))
    assert not covered & set(range(text.index("テキスト形式のファイルはこちら"), len(text)))


def test_footnotes(by_id: dict[str, Segment]) -> None:
    fn10 = by_id["fn10"]
    assert fn10.text == (
        "10 インターネットエコノミーに関する日米政策協力:\n"
        "http://www.soumu.go.jp/menu_news/s-news/02tsushin06_02000027.html"
    )
    assert fn10.url == "http://www.soumu.go.jp/menu_news/s-news/02tsushin06_02000027.html"
    assert fn10.line == 44
    assert by_id["fn14"].url == "http://www.soumu.go.jp/menu_news/s-news/01tsushin06_02000044.html"
    assert by_id["fn15"].url is None
    assert by_id["fn15"].text.startswith("15 物聯網(ぶつれんもう)")
    assert by_id["fn15"].text.endswith("相当する。")


# --- rules on small texts -------------------------------------------------------------------


def test_footnote_marker_rules() -> None:
    numbers = {1, 3, 6, 10, 11, 12, 15, 19}
    assert footnote_markers("同年11月に第1回を開催", numbers) == []
    assert footnote_markers("第19回会合", numbers) == []
    assert footnote_markers("2010年(平成22年)6月", numbers) == []
    assert footnote_markers("IPv6及び", numbers) == []
    assert footnote_markers("では、1(1)イの", numbers) == []
    assert footnote_markers("とりまとめた11", numbers) == [(11, 6, 8)]
    assert footnote_markers("物聯網15分野", numbers) == [(15, 3, 5)]
    assert footnote_markers("協議を行った12、", numbers) == [(12, 6, 8)]
    assert footnote_markers("協議を行った13。", numbers) == []  # no footnote 13
    assert footnote_markers("会合を3回", numbers) == []


def test_continuation_lines_and_trailing_furniture() -> None:
    text = (
        "総務省トップ > 白書\n第3部 総論\n\n本文です1。\n\n\n"
        "1 説明:\nhttps://example.org/a.html" + LINK_SUFFIX + "\n2 次の注\n\n"
        "テキスト形式のファイルはこちら\n\nページトップへ戻る"
    )
    segs = {s.local_id: s for s in segment(text)}
    assert set(segs) == {"h01", "p01", "p01-s1", "fn1", "fn2"}
    assert segs["fn1"].text == "1 説明:\nhttps://example.org/a.html"
    assert segs["fn1"].url == "https://example.org/a.html"
    assert segs["fn2"].text == "2 次の注"
    assert segs["p01"].footnotes == (1,)


def test_full_width_heading_forms() -> None:
    text = "第1部 A\n第2節 B\n（3）C\nエ D\n（カ）E\n本文。\n"
    segs = segment(text)
    assert [s.level for s in segs if s.kind == "heading"] == [1, 2, 3, 4, 5]
    assert segs[5].heading_path == ("第1部 A", "第2節 B", "（3）C", "エ D", "（カ）E")


def test_duplicate_footnote_number_is_an_error() -> None:
    with pytest.raises(ValueError, match="footnote 1 appears twice"):
        segment("本文1。\n\n1 注\n\n1 また注\n")


paragraph_chars = st.sampled_from(list("あいう漢字アイ12。「」『』 \u3000ABC(),、"))


@given(st.text(alphabet=paragraph_chars, min_size=1, max_size=80))
def test_sentences_concatenate_to_the_paragraph(paragraph: str) -> None:
    spans = split_sentences(paragraph)
    assert "".join(paragraph[s:e] for s, e in spans) == paragraph
    assert all(s < e for s, e in spans)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(paragraph[e - 1] == "。" for _, e in spans[:-1])


@given(
    st.lists(
        st.text(alphabet=paragraph_chars, min_size=1, max_size=40).filter(lambda s: s.strip()),
        min_size=1,
        max_size=5,
    )
)
def test_segment_offsets_exact_on_generated_texts(lines: list[str]) -> None:
    text = "\n\n".join("本" + line for line in lines) + "\n"  # "本": never a footnote line
    for seg in segment(text):
        assert text[seg.start : seg.end] == seg.text


# --- RDF ------------------------------------------------------------------------------------


def test_passage_rdf(passages: Graph) -> None:
    s3 = P["wp2013-p02-s3"]
    assert str(s3) == "https://w3id.org/ictkg/id/passage/wp2013-p02-s3"
    assert (s3, RDF.type, ICTKG.Sentence) in passages
    assert (s3, DCT.isPartOf, P["wp2013-p02"]) in passages
    assert (s3, OA.hasSource, SOURCE) in passages
    assert (s3, RDFS.label, Literal("wp2013 第2段落 第3文", lang="ja")) in passages
    assert (s3, RDFS.label, Literal("wp2013 paragraph 2, sentence 3", lang="en")) in passages
    selector = URIRef(f"{s3}#position")
    assert (s3, OA.hasSelector, selector) in passages
    assert (selector, RDF.type, OA.TextPositionSelector) in passages
    start = passages.value(selector, OA.start)
    end = passages.value(selector, OA.end)
    assert isinstance(start, Literal) and start.datatype == XSD.integer
    assert isinstance(end, Literal) and end.datatype == XSD.integer
    value = passages.value(s3, RDF.value)
    assert isinstance(value, Literal) and value.language == "ja"
    text = SOURCE_FILE.read_bytes().decode("utf-8")
    assert text[start.toPython() : end.toPython()] == str(value)  # no footnote marker in it


def test_footnote_markers_are_links_not_text(passages: Graph, text: str) -> None:
    s1 = P["wp2013-p01-s1"]
    value = str(passages.value(s1, RDF.value))
    assert value.endswith("行うことで一致した。")
    assert (s1, ICTKG.footnote, P["wp2013-fn10"]) in passages
    selector = passages.value(s1, OA.hasSelector)
    start, end = passages.value(selector, OA.start), passages.value(selector, OA.end)
    assert text[start.toPython() : end.toPython()].endswith("一致した10。")  # type: ignore[union-attr]


def test_every_passage_is_complete(passages: Graph, text: str) -> None:
    kinds = (ICTKG.Heading, ICTKG.Paragraph, ICTKG.Sentence, ICTKG.Footnote)
    nodes = {s for k in kinds for s in passages.subjects(RDF.type, k)}
    assert len(nodes) == 10 + 11 + 25 + 6
    for node in nodes:
        assert len(set(passages.objects(node, RDF.type))) == 1
        assert passages.value(node, OA.hasSource) == SOURCE
        selector = passages.value(node, OA.hasSelector)
        start = passages.value(selector, OA.start)
        end = passages.value(selector, OA.end)
        value = passages.value(node, RDF.value)
        assert isinstance(start, Literal) and isinstance(end, Literal)
        span = text[start.toPython() : end.toPython()]
        links = [
            passages.value(f, ICTKG.footnoteNumber) for f in passages.objects(node, ICTKG.footnote)
        ]
        if not links:
            assert span == str(value)
        else:  # the value is the span without its footnote markers (kept as ictkg:footnote)
            assert len(span) - len(str(value)) == sum(len(str(n)) for n in links)
            rest = iter(span)
            assert all(char in rest for char in str(value))  # a subsequence of the span
        for prop in (ICTKG.lineNumber, ICTKG.position):
            literal = passages.value(node, prop)
            assert isinstance(literal, Literal) and literal.datatype == XSD.integer
            assert literal.toPython() >= 1
        langs = sorted(
            o.language or "" for o in passages.objects(node, RDFS.label) if isinstance(o, Literal)
        )
        assert langs == ["en", "ja"]


def test_paragraph_heading_and_footnote_rdf(passages: Graph) -> None:
    p01 = P["wp2013-p01"]
    assert (p01, RDF.type, ICTKG.Paragraph) in passages
    assert (p01, DCT.isPartOf, SOURCE) in passages
    assert (p01, ICTKG.underHeading, P["wp2013-h05"]) in passages
    path = passages.value(p01, ICTKG.headingPath)
    assert path == Literal(
        "第2部 情報通信の現況・政策の動向 > 第8節 国際戦略の推進 > "
        "(2)二国間関係における国際政策の展開 > ア 米国との政策協力 > "
        "(ア)インターネットエコノミーに関する日米政策協力対話",
        lang="ja",
    )
    assert (p01, ICTKG.footnote, P["wp2013-fn10"]) in passages
    assert (P["wp2013-p01-s1"], ICTKG.footnote, P["wp2013-fn10"]) in passages
    assert (P["wp2013-p01-s2"], ICTKG.footnote, None) not in passages
    assert len(set(passages.subject_objects(ICTKG.footnote))) == 12

    h05 = P["wp2013-h05"]
    assert passages.value(h05, ICTKG.headingLevel) == Literal(5, datatype=XSD.integer)
    assert (h05, ICTKG.underHeading, P["wp2013-h04"]) in passages
    assert (P["wp2013-h01"], ICTKG.underHeading, None) not in passages
    assert (h05, RDFS.label, Literal("wp2013 heading 5 (level 5)", lang="en")) in passages

    fn10 = P["wp2013-fn10"]
    assert (fn10, RDF.type, ICTKG.Footnote) in passages
    assert (fn10, DCT.isPartOf, SOURCE) in passages
    assert passages.value(fn10, ICTKG.footnoteNumber) == Literal(10, datatype=XSD.integer)
    url = URIRef("http://www.soumu.go.jp/menu_news/s-news/02tsushin06_02000027.html")
    assert (fn10, DCT.references, url) in passages
    assert (fn10, RDFS.label, Literal("wp2013 脚注10", lang="ja")) in passages
    assert (fn10, RDFS.label, Literal("wp2013 footnote 10", lang="en")) in passages
    assert (P["wp2013-fn15"], DCT.references, None) not in passages


def test_output_is_deterministic(passages: Graph) -> None:
    again = passages_for_edition(_edition_graph(), ROOT)
    assert sorted(again) == sorted(passages)


def test_checksum_mismatch_raises_input_error() -> None:
    with pytest.raises(InputError) as caught:
        passages_for_edition(_edition_graph(sha256="0" * 64), ROOT)
    assert caught.value.path == Path(LOCAL_PATH)
    assert SHA256 in caught.value.message
    assert caught.value.hint


def test_modified_file_raises_input_error(tmp_path: Path) -> None:
    target = tmp_path / LOCAL_PATH
    target.parent.mkdir(parents=True)
    shutil.copyfile(SOURCE_FILE, target)
    with target.open("ab") as handle:
        handle.write(b"\n")
    with pytest.raises(InputError, match="SHA-256"):
        passages_for_edition(_edition_graph(), tmp_path)


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        passages_for_edition(_edition_graph(), tmp_path)


def test_missing_property_raises_input_error() -> None:
    graph = _edition_graph()
    graph.remove((SOURCE, ICTKG.sha256, None))
    with pytest.raises(InputError, match="sha256"):
        passages_for_edition(graph, ROOT)


def test_no_source_text_gives_empty_graph() -> None:
    assert len(passages_for_edition(Graph(), ROOT)) == 0
