"""Split a white-paper source text into addressable passages and describe them in RDF."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ictkg.errors import InputError, MissingInputError
from ictkg.namespaces import curie
from ictkg.paths import confined_path
from ictkg.vocab import DCT, ICTKG, KIND, OA

__all__ = [
    "FURNITURE_LINES",
    "LINK_SUFFIX",
    "Segment",
    "SegmentationError",
    "footnote_markers",
    "reading_text",
    "heading_level",
    "passage_iri",
    "passages_for_edition",
    "segment",
    "segments_to_graph",
    "split_sentences",
]

Kind = TypingLiteral["heading", "paragraph", "sentence", "footnote"]

FURNITURE_LINES: frozenset[str] = frozenset(
    {"テキスト形式のファイルはこちら", "ページトップへ戻る"}
)
"""Whole lines of page navigation that are not content."""

BREADCRUMB_PREFIX = "総務省トップ >"
"""A line starting with this is the page's breadcrumb trail, not content."""

LINK_SUFFIX = "別ウィンドウで開きます"
"""Alt text of the 'opens in a new window' icon the page puts after external links."""

_HEADING_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"第\d+部"),
    re.compile(r"第\d+節"),
    re.compile(r"[(（]\d+[)）]"),
    re.compile(r"[アイウエオカキクケコ][ \u3000]"),
    re.compile(r"[(（][アイウエオカキクケコ][)）]"),
)
"""Heading line prefixes, index + 1 = heading level (部, 節, (1), ア, (ア))."""

_FOOTNOTE_START = re.compile(r"(\d+)[ \u3000]")
"""A line that starts a footnote: its number, then a space."""

_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
"""An http(s) URL written in ASCII (the page's link suffix is Japanese, so it is not swallowed)."""

_NUMBER = re.compile(r"\d+")

_KANA_KANJI = re.compile(
    r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
"""Hiragana, katakana (with ー), 々/〆 and CJK ideographs: what a footnote marker follows."""

MARKER_NOT_AFTER: frozenset[str] = frozenset("年第約計")
"""Kanji after which a number is a quantity or ordinal (第3回, 同年11月), not a footnote marker."""

MARKER_NOT_BEFORE: frozenset[str] = frozenset("月回年日時人件号名社歳倍億万兆円%％")
"""Counters and units; a number followed by one of these is a quantity, not a footnote marker."""

_SENTENCE_END = "。"
_OPEN_QUOTES = "「『"
_CLOSE_QUOTES = "」』"


class SegmentationError(ValueError):
    """The text does not follow the white-paper page layout (e.g. a footnote number repeats).

    Attributes:
        line: 1-based line number of the offending line.
    """

    def __init__(self, message: str, line: int) -> None:
        """Create the error.

        Args:
            message: what is wrong.
            line: 1-based line number of the offending line.
        """
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Segment:
    """One passage of a source text, addressed by code-point offsets into the decoded text.

    Attributes:
        kind: ``"heading"``, ``"paragraph"``, ``"sentence"`` or ``"footnote"``.
        local_id: the id without the edition prefix (``"h01"``, ``"p02"``, ``"p02-s3"``,
            ``"fn10"``).
        text: the passage text, exactly ``source[start:end]``.
        start: offset of the first code point.
        end: offset just past the last code point (exclusive).
        line: 1-based number of the line the passage starts on.
        position: 1-based document order among passages of the same kind.
        heading_path: texts of the enclosing headings, outermost first (for a heading: its
            ancestors; for a paragraph or sentence: every heading it sits under).
        parent: local id of the enclosing passage: a heading's parent heading, a paragraph's
            innermost heading, a sentence's paragraph; ``None`` when there is none.
        level: heading level 1..5 (headings only).
        index: 1-based number of a sentence within its paragraph (sentences only).
        footnotes: footnote numbers whose markers occur in the passage, in text order.
        footnote_number: the number of a footnote (footnotes only).
        url: the first http(s) URL in a footnote, if any.
    """

    kind: Kind
    local_id: str
    text: str
    start: int
    end: int
    line: int
    position: int
    heading_path: tuple[str, ...] = ()
    parent: str | None = None
    level: int | None = None
    index: int | None = None
    footnotes: tuple[int, ...] = ()
    footnote_number: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class _Line:
    number: int
    start: int
    end: int
    text: str


def _content_lines(text: str) -> Iterator[_Line | None]:
    """Yield each line trimmed of surrounding whitespace, or None for blank and furniture lines."""
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped or stripped in FURNITURE_LINES or stripped.startswith(BREADCRUMB_PREFIX):
            yield None
        else:
            start = offset + (len(raw) - len(raw.lstrip()))
            yield _Line(number, start, start + len(stripped), stripped)
        offset += len(raw) + 1


def _blocks(text: str) -> list[list[_Line]]:
    """Group content lines into blocks separated by blank (or furniture) lines."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in _content_lines(text):
        if line is None:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def heading_level(line: str) -> int | None:
    """Return the heading level (1..5) of a line, or None when it is not a heading.

    Args:
        line: one line of text, without its newline.

    Returns:
        1 for 第N部, 2 for 第N節, 3 for (N), 4 for ア + space, 5 for (ア); otherwise None.

    >>> heading_level("第8節 国際戦略の推進"), heading_level("(ア)欧州連合(EU)との協力")
    (2, 5)
    >>> heading_level("アジア諸国との協力") is None
    True
    """
    for level, pattern in enumerate(_HEADING_PATTERNS, start=1):
        if pattern.match(line):
            return level
    return None


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Split a paragraph after each 。 (outside 「」/『』 quotations) into sentence spans.

    Nothing is stripped: the spans are contiguous, cover the whole paragraph, and a final
    fragment without 。 (e.g. one ending in a footnote marker) is a sentence too.

    Args:
        paragraph: the paragraph text.

    Returns:
        ``(start, end)`` offsets into ``paragraph``, end exclusive, in order.

    >>> p = "一致した10。同年に開催した。とりまとめた11"
    >>> [p[s:e] for s, e in split_sentences(p)]
    ['一致した10。', '同年に開催した。', 'とりまとめた11']
    """
    spans = _split(paragraph, respect_quotes=True)
    if spans is None:  # an unclosed 「 would swallow the rest of the paragraph: ignore quotes
        spans = _split(paragraph, respect_quotes=False)
        assert spans is not None
    return spans


def _split(paragraph: str, *, respect_quotes: bool) -> list[tuple[int, int]] | None:
    """Split after each 。 (outside quotations if asked); None when quotations are unbalanced."""
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0
    for i, char in enumerate(paragraph):
        if respect_quotes and char in _OPEN_QUOTES:
            depth += 1
        elif respect_quotes and char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif char == _SENTENCE_END and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if depth:
        return None
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return spans


def footnote_markers(text: str, numbers: frozenset[int] | set[int]) -> list[tuple[int, int, int]]:
    """Find footnote markers: numbers of existing footnotes written right after kana or kanji.

    A number counts when it follows a kana/kanji character other than those in
    ``MARKER_NOT_AFTER`` (so not 第3, 年11), is not followed by a counter from
    ``MARKER_NOT_BEFORE`` (月, 回, 年, 日 …) or by a decimal point and digit, and is the number of a
    footnote that exists.

    Args:
        text: body text (a paragraph or heading).
        numbers: the footnote numbers present in the document.

    Returns:
        ``(number, start, end)`` for each marker, offsets into ``text``.

    >>> footnote_markers("一致した10。同年11月に第1回を開催", {10, 11, 1})
    [(10, 4, 6)]
    >>> footnote_markers("IPv6及び物聯網15分野", {6, 15})
    [(15, 9, 11)]
    """
    found: list[tuple[int, int, int]] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if start == 0:
            continue
        before = text[start - 1]
        if not _KANA_KANJI.match(before) or before in MARKER_NOT_AFTER:
            continue
        after = text[end : end + 2]
        if after[:1] in MARKER_NOT_BEFORE and after[:1]:
            continue
        if len(after) == 2 and after[0] in ".．,，" and after[1].isdigit():
            continue
        number = int(match.group())
        if number in numbers:
            found.append((number, start, end))
    return found


def _footnote_segments(blocks: list[list[_Line]], text: str) -> list[Segment]:
    """Turn the trailing footnote blocks into footnote segments (continuation lines included)."""
    groups: list[list[_Line]] = []
    for block in blocks:
        for line in block:
            if _FOOTNOTE_START.match(line.text) or not groups:
                groups.append([line])
            else:
                groups[-1].append(line)
    segments: list[Segment] = []
    seen: set[int] = set()
    for position, group in enumerate(groups, start=1):
        first, last = group[0], group[-1]
        match = _FOOTNOTE_START.match(first.text)
        assert match is not None  # the block was chosen because its first line matches
        number = int(match.group(1))
        if number in seen:
            raise SegmentationError(f"footnote {number} appears twice", first.number)
        seen.add(number)
        end = last.end
        if text[first.start : end].endswith(LINK_SUFFIX):
            end -= len(LINK_SUFFIX)
            while end > first.start and text[end - 1].isspace():
                end -= 1
        body = text[first.start : end]
        url = _URL.search(body)
        segments.append(
            Segment(
                kind="footnote",
                local_id=f"fn{number}",
                text=body,
                start=first.start,
                end=end,
                line=first.number,
                position=position,
                footnote_number=number,
                url=url.group() if url else None,
            )
        )
    return segments


def _split_footnote_section(
    blocks: list[list[_Line]],
) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Split blocks into body and the trailing run of blocks that start with ``N `` (footnotes)."""
    cut = len(blocks)
    while cut > 0 and _FOOTNOTE_START.match(blocks[cut - 1][0].text):
        cut -= 1
    return blocks[:cut], blocks[cut:]


def segment(text: str) -> list[Segment]:
    """Segment a white-paper page text into headings, paragraphs, sentences and footnotes.

    Page furniture (breadcrumb, navigation lines, link suffixes) is left out; blank lines separate
    blocks; each non-blank body line is a heading or one paragraph; the trailing blocks whose
    lines start with a number and a space are footnotes.

    Args:
        text: the decoded source text.

    Returns:
        Segments in document order (each paragraph followed by its sentences, footnotes last).

    Raises:
        SegmentationError: when a footnote number occurs twice.

    >>> segs = segment("第1部 総論\\n\\nア 例\\n\\n一つ目。二つ目1\\n\\n1 注記\\n")
    >>> [(s.local_id, s.text) for s in segs]  # doctest: +NORMALIZE_WHITESPACE
    [('h01', '第1部 総論'), ('h02', 'ア 例'), ('p01', '一つ目。二つ目1'),
     ('p01-s1', '一つ目。'), ('p01-s2', '二つ目1'), ('fn1', '1 注記')]
    >>> segs[2].footnotes, segs[4].footnotes, segs[2].heading_path
    ((1,), (1,), ('第1部 総論', 'ア 例'))
    """
    body_blocks, footnote_blocks = _split_footnote_section(_blocks(text))
    footnotes = _footnote_segments(footnote_blocks, text)
    numbers = frozenset(f.footnote_number for f in footnotes if f.footnote_number is not None)

    segments: list[Segment] = []
    stack: list[tuple[int, str, str]] = []  # (level, local id, text) of the open headings
    n_headings = n_paragraphs = n_sentences = 0
    for block in body_blocks:
        for line in block:
            level = heading_level(line.text)
            markers = tuple(n for n, _, _ in footnote_markers(line.text, numbers))
            if level is not None:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                n_headings += 1
                local_id = f"h{n_headings:02d}"
                segments.append(
                    Segment(
                        kind="heading",
                        local_id=local_id,
                        text=line.text,
                        start=line.start,
                        end=line.end,
                        line=line.number,
                        position=n_headings,
                        heading_path=tuple(t for _, _, t in stack),
                        parent=stack[-1][1] if stack else None,
                        level=level,
                        footnotes=markers,
                    )
                )
                stack.append((level, local_id, line.text))
                continue
            n_paragraphs += 1
            paragraph_id = f"p{n_paragraphs:02d}"
            path = tuple(t for _, _, t in stack)
            segments.append(
                Segment(
                    kind="paragraph",
                    local_id=paragraph_id,
                    text=line.text,
                    start=line.start,
                    end=line.end,
                    line=line.number,
                    position=n_paragraphs,
                    heading_path=path,
                    parent=stack[-1][1] if stack else None,
                    footnotes=markers,
                )
            )
            for index, (s, e) in enumerate(split_sentences(line.text), start=1):
                n_sentences += 1
                sentence = line.text[s:e]
                segments.append(
                    Segment(
                        kind="sentence",
                        local_id=f"{paragraph_id}-s{index}",
                        text=sentence,
                        start=line.start + s,
                        end=line.start + e,
                        line=line.number,
                        position=n_sentences,
                        heading_path=path,
                        parent=paragraph_id,
                        index=index,
                        footnotes=tuple(n for n, _, _ in footnote_markers(sentence, numbers)),
                    )
                )
    return segments + footnotes


def _int(value: int) -> Literal:
    """An xsd:integer literal: the shapes state the range (>= 0 or >= 1), not the datatype.

    Derived types such as xsd:positiveInteger are not used, because stores like Oxigraph
    store them as xsd:integer and the same data would then differ between backends.
    """
    return Literal(value, datatype=XSD.integer)


def _labels(seg: Segment, paragraph_positions: dict[str, int], edition: str) -> tuple[str, str]:
    """Return the (Japanese, English) labels of a passage, led by its edition's slug.

    The slug keeps labels unique across sources (two editions both have a "Paragraph 1", and
    may share a heading's wording), as the duplicate-label check requires.

    >>> _labels(Segment("paragraph", "p02", "…", 0, 1, 1, 2), {}, "wp2013")
    ('wp2013 第2段落', 'wp2013 paragraph 2')
    """
    if seg.kind == "heading":
        return (
            f"{edition} 見出し「{seg.text}」",
            f"{edition} heading {seg.position} (level {seg.level})",
        )
    if seg.kind == "paragraph":
        return f"{edition} 第{seg.position}段落", f"{edition} paragraph {seg.position}"
    if seg.kind == "sentence":
        para = paragraph_positions[seg.parent or ""]
        return (
            f"{edition} 第{para}段落 第{seg.index}文",
            f"{edition} paragraph {para}, sentence {seg.index}",
        )
    return f"{edition} 脚注{seg.footnote_number}", f"{edition} footnote {seg.footnote_number}"


_TYPES = {
    "heading": ICTKG.Heading,
    "paragraph": ICTKG.Paragraph,
    "sentence": ICTKG.Sentence,
    "footnote": ICTKG.Footnote,
}


def passage_iri(edition: str, local_id: str) -> URIRef:
    """Return the IRI of a passage.

    Args:
        edition: the edition slug, e.g. ``"wp2013"``.
        local_id: the segment's local id, e.g. ``"p02-s3"``.

    Returns:
        The passage IRI.

    >>> str(passage_iri("wp2013", "p02-s3"))
    'https://w3id.org/ictkg/id/passage/wp2013-p02-s3'
    """
    return KIND["passage"][f"{edition}-{local_id}"]


def reading_text(seg: Segment, numbers: frozenset[int]) -> str:
    """The passage's text without its footnote markers (the numbers in ``seg.footnotes``).

    The markers stay in the source and in the passage's selector span; in the graph they are
    ``ictkg:footnote`` links, so the text reads as the sentence does.

    >>> seg = Segment("sentence", "p01-s1", "一致した10。", 0, 7, 1, 1, footnotes=(10,))
    >>> reading_text(seg, frozenset({10}))
    '一致した。'
    """
    if not seg.footnotes or seg.kind == "footnote":
        return seg.text
    wanted = set(seg.footnotes)
    text = seg.text
    for number, start, end in reversed(footnote_markers(text, numbers)):
        if number in wanted:
            text = text[:start] + text[end:]
    return text


def segments_to_graph(segments: list[Segment], source: URIRef, edition: str) -> Graph:
    """Describe segments as Web Annotation specific resources of ``source``.

    Args:
        segments: the output of :func:`segment` for the source's text.
        source: the ``ictkg:SourceText`` IRI.
        edition: the edition slug that prefixes every passage id.

    Returns:
        A new graph with the passages, their selectors and their links.
    """
    graph = Graph()
    paragraph_positions = {s.local_id: s.position for s in segments if s.kind == "paragraph"}
    numbers = frozenset(s.footnote_number for s in segments if s.footnote_number is not None)

    def iri(local_id: str) -> URIRef:
        return passage_iri(edition, local_id)

    for seg in segments:
        node = iri(seg.local_id)
        selector = URIRef(f"{node}#position")
        label_ja, label_en = _labels(seg, paragraph_positions, edition)
        triples: list[tuple[Node, Node, Node]] = [
            (node, RDF.type, _TYPES[seg.kind]),
            (node, RDF.value, Literal(reading_text(seg, numbers), lang="ja")),
            (node, OA.hasSource, source),
            (node, OA.hasSelector, selector),
            (selector, RDF.type, OA.TextPositionSelector),
            (selector, OA.start, _int(seg.start)),
            (selector, OA.end, _int(seg.end)),
            (node, ICTKG.lineNumber, _int(seg.line)),
            (node, ICTKG.position, _int(seg.position)),
            (node, RDFS.label, Literal(label_ja, lang="ja")),
            (node, RDFS.label, Literal(label_en, lang="en")),
        ]
        if seg.kind == "heading":
            assert seg.level is not None
            triples.append((node, ICTKG.headingLevel, _int(seg.level)))
            if seg.parent is not None:
                triples.append((node, ICTKG.underHeading, iri(seg.parent)))
        elif seg.kind == "paragraph":
            triples.append((node, DCT.isPartOf, source))
            if seg.parent is not None:
                triples.append((node, ICTKG.underHeading, iri(seg.parent)))
            if seg.heading_path:
                path = Literal(" > ".join(seg.heading_path), lang="ja")
                triples.append((node, ICTKG.headingPath, path))
        elif seg.kind == "sentence":
            assert seg.parent is not None
            triples.append((node, DCT.isPartOf, iri(seg.parent)))
        else:
            assert seg.footnote_number is not None
            triples.append((node, DCT.isPartOf, source))
            triples.append((node, ICTKG.footnoteNumber, _int(seg.footnote_number)))
            if seg.url is not None:
                triples.append((node, DCT.references, URIRef(seg.url)))
        for number in seg.footnotes:
            triples.append((node, ICTKG.footnote, iri(f"fn{number}")))
        for triple in triples:
            graph.add(triple)
    return graph


def _one_string(graph: Graph, subject: URIRef, prop: URIRef) -> str:
    """Return the single string value of ``prop`` on ``subject`` or raise InputError."""
    values = sorted(str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal))
    if len(values) != 1:
        raise InputError(
            path=f"<{subject}>",
            message=f"source text <{subject}> has {len(values)} values for <{prop}>, expected 1",
            hint=f"give <{subject}> exactly one {curie(str(prop)) or f'<{prop}>'} string",
        )
    return values[0]


def _stated_at(folder: Path, value: str) -> tuple[Path, int, int] | None:
    """Where the folder's Turtle writes the string ``value`` (file, line, column), if it does."""
    written = {f'"{value}"', '"{}"'.format(value.replace("\\", "\\\\"))}  # (as escaped)
    for ttl in sorted(folder.glob("*.ttl")):
        text = ttl.read_text(encoding="utf-8", errors="replace")
        found = [at for at in map(text.find, written) if at >= 0]
        if found:
            at = min(found)
            return ttl, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return None


def passages_for_edition(edition_graph: Graph, root: Path, folder: Path | None = None) -> Graph:
    """Build the passage resources of every ``ictkg:SourceText`` described in ``edition_graph``.

    Each source text's ``ictkg:localPath`` (relative to ``root``) is read, its SHA-256 checked
    against ``ictkg:sha256``, and its passages emitted with ids prefixed by ``ictkg:edition``.

    Args:
        edition_graph: a graph that describes one or more source texts.
        root: the project root that local paths are relative to.
        folder: the ``data/<edition>/`` folder the graph was read from, to name the file and
            line of an ``ictkg:localPath`` that leaves the project.

    Returns:
        A new graph holding the passages of all the source texts.

    Raises:
        InputError: when a source text's description is incomplete, its file is missing,
            unreadable, not UTF-8, does not match its checksum, breaks the page layout, or two
            source texts claim the same edition.
    """
    result = Graph()
    editions: dict[str, URIRef] = {}
    sources = sorted(
        {s for s in edition_graph.subjects(RDF.type, ICTKG.SourceText) if isinstance(s, URIRef)}
    )
    if any(isinstance(s, BNode) for s in edition_graph.subjects(RDF.type, ICTKG.SourceText)):
        raise InputError(
            path="<edition graph>",
            message="a source text is a blank node; passages need its IRI for oa:hasSource",
            hint="give every ictkg:SourceText an IRI in the source: namespace",
        )
    for source in sources:
        local_path = _one_string(edition_graph, source, ICTKG.localPath)
        expected = _one_string(edition_graph, source, ICTKG.sha256).strip().lower()
        edition = _one_string(edition_graph, source, ICTKG.edition)
        if edition in editions:
            raise InputError(
                path=local_path,
                message=(
                    f"source texts <{editions[edition]}> and <{source}> both belong to edition "
                    f"{edition!r}; their passage ids would collide"
                ),
                hint="passage ids are <edition>-p01 …, so an edition can have one source text",
            )
        editions[edition] = source
        # The gate: no absolute path, no '..', no symlink out of the project, no device or FIFO,
        # no file over the input limit; an outside file is never opened, so never hashed.
        try:
            path = confined_path(root, local_path, "source text", source=local_path)
        except InputError as exc:
            stated = _stated_at(folder, local_path) if folder is not None else None
            if stated is None or exc.path != Path(local_path):
                raise
            raise InputError(
                stated[0], exc.message, line=stated[1], column=stated[2], hint=exc.hint
            ) from exc
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MissingInputError(
                path=local_path,
                message=f"cannot read source text: {exc.strerror or exc}",
                hint=f"check ictkg:localPath of <{source}> (relative to {root})",
            ) from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise InputError(
                path=local_path,
                message=f"SHA-256 is {actual}, but <{source}> says {expected}",
                hint=(
                    "the source text must stay byte-identical so passage offsets stay valid; "
                    "restore the file, or if it was replaced on purpose, update ictkg:sha256 "
                    "and re-check every passage reference"
                ),
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                path=local_path,
                line=data.count(b"\n", 0, exc.start) + 1,
                message=f"not valid UTF-8: {exc.reason}",
                hint="source texts must be UTF-8",
            ) from exc
        try:
            segments = segment(text)
        except SegmentationError as exc:
            raise InputError(
                path=local_path,
                line=exc.line,
                message=str(exc),
                hint="the text must follow the white-paper page layout",
            ) from exc
        result += segments_to_graph(segments, source, edition)
    return result
