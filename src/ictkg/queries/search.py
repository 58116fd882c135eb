"""Full-text search over labels, descriptions and source passages: the SPARQL that reads the
texts from any store, and the matching and ranking done on them here.

The store is asked three portable SELECT queries (:data:`TEXTS_QUERY`, :data:`PASSAGES_QUERY`,
:data:`CITATIONS_QUERY`); :func:`search_texts` matches and ranks in Python, because SPARQL has
neither Unicode normalisation (NFKC: full-width ``ＩＣＴ`` is ``ICT``) nor ranking, and the
engines' full-text indexes are not portable (see ``docs/decisions.md``, *Search*). Running the
queries is left to :mod:`ictkg.stores`, rendering to :mod:`ictkg.render.search`.

Example::

    from ictkg import Project

    for hit in Project().search("意見交換").hits:
        print(hit.resource, hit.label, [p.iri for p in hit.matched_passages])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ictkg.namespaces import ICTKG_NS, ID_NS, PREFIXES, RDF_NS, RDFS_NS, kind_namespace
from ictkg.queries.results import QueryResult

__all__ = [
    "CITATIONS_QUERY",
    "LABEL_PROPERTIES",
    "PASSAGES_QUERY",
    "SEARCH_QUERIES",
    "SUBJECTS_QUERY",
    "TEXTS_QUERY",
    "TEXT_PROPERTIES",
    "SearchHit",
    "SearchMatch",
    "SearchPassage",
    "SearchResult",
    "normalize",
    "query_terms",
    "search_texts",
    "snippet",
]

_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dct"]

LABEL_PROPERTIES: tuple[str, ...] = (
    RDFS_NS + "label",
    _SKOS + "prefLabel",
    _SKOS + "altLabel",
    _DCT + "title",
)
"""Properties whose values name a resource (a match here ranks above one in a description)."""

DESCRIPTION_PROPERTIES: tuple[str, ...] = (
    _SKOS + "definition",
    _DCT + "description",
    RDFS_NS + "comment",
    ICTKG_NS + "purpose",
    _SKOS + "scopeNote",
)
"""Properties whose values describe a resource in prose."""

TEXT_PROPERTIES: tuple[str, ...] = LABEL_PROPERTIES + DESCRIPTION_PROPERTIES
"""Every property :data:`TEXTS_QUERY` reads."""

PASSAGE_TYPES: dict[str, str] = {
    ICTKG_NS + "Sentence": "sentence",
    ICTKG_NS + "Paragraph": "paragraph",
    ICTKG_NS + "Heading": "heading",
    ICTKG_NS + "Footnote": "footnote",
    ICTKG_NS + "Excerpt": "excerpt",
}
"""The classes of source text (generated passages and hand-copied excerpts), by kind."""

_QUERY_NS = kind_namespace("query")
_IN_ICTKG = (
    f'(STRSTARTS(STR(?resource), "{ID_NS}") || STRSTARTS(STR(?resource), "{ICTKG_NS}"))'
    f' && !STRSTARTS(STR(?resource), "{_QUERY_NS}")'
)


def _iris(iris: Iterable[str]) -> str:
    return ", ".join(f"<{iri}>" for iri in iris)


TEXTS_QUERY = f"""SELECT DISTINCT ?resource ?property ?text
WHERE {{
  ?resource ?property ?text .
  FILTER(?property IN ({_iris(TEXT_PROPERTIES)}))
  FILTER(ISLITERAL(?text))
  FILTER({_IN_ICTKG})
}}
"""
"""Every label and description of an ictkg resource or ontology term (not of the stored-query
catalogue, whose texts describe queries, not the domain; query 24 leaves it out too). Engines'
own vocabularies in the default graph are outside ``https://w3id.org/ictkg/``."""

PASSAGES_QUERY = f"""SELECT DISTINCT ?passage ?type ?text ?line ?parent
WHERE {{
  ?passage a ?type ;
    <{RDF_NS}value> ?text .
  FILTER(?type IN ({_iris(PASSAGE_TYPES)}))
  OPTIONAL {{ ?passage <{ICTKG_NS}lineNumber> ?line }}
  OPTIONAL {{ ?passage <{_DCT}isPartOf> ?parent }}
}}
"""
"""Every passage and excerpt with its text, kind, line and what it is part of (a sentence's
paragraph)."""

CITATIONS_QUERY = f"""SELECT DISTINCT ?resource ?passage
WHERE {{
  ?resource <{PREFIXES["prov"]}wasDerivedFrom> ?passage .
  FILTER({_IN_ICTKG})
}}
"""
"""Which resource is derived from which passage (``prov:wasDerivedFrom``)."""


SUBJECTS_QUERY = f"""SELECT DISTINCT ?resource ?topic
WHERE {{
  {{ ?resource <{_DCT}subject> ?topic }}
  UNION
  {{ ?resource <{_DCT}subject> ?narrower .
    ?narrower <{_SKOS}broaderTransitive> ?topic }}
  FILTER({_IN_ICTKG})
}}
"""
"""Which resource is about which topic (``dct:subject``), or about a narrower one
(``skos:broaderTransitive``, materialised in graph:inferred): a search for a topic's name
finds what is about it."""

SEARCH_QUERIES: dict[str, str] = {
    "texts": TEXTS_QUERY,
    "passages": PASSAGES_QUERY,
    "citations": CITATIONS_QUERY,
    "subjects": SUBJECTS_QUERY,
}
"""The queries a search asks the store, by the name :func:`search_texts` expects its answer."""


# -- Normalisation ---------------------------------------------------------------------------------

_JOINERS = frozenset("\uff9e\uff9f")
"""Half-width (semi-)voiced sound marks: they join the kana before them (ｶﾞ is ガ)."""


def _clusters(text: str) -> Iterable[tuple[int, str]]:
    """The text cut before every character that does not join the one before it."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not (
            unicodedata.combining(text[index]) or text[index] in _JOINERS
        ):
            yield start, text[start:index]
            start = index


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset it comes from."""
    parts: list[str] = []
    offsets: list[int] = []
    for start, cluster in _clusters(text):
        folded = unicodedata.normalize("NFKC", cluster).casefold()
        folded = " " if folded.isspace() else folded
        if folded == " " and parts and parts[-1].endswith(" "):
            continue  # one space for a run of white space
        parts.append(folded)
        offsets.extend([start] * len(folded))
    return "".join(parts), offsets


def normalize(text: str) -> str:
    """Fold text for matching: NFKC (full-width letters and digits, half-width kana), case
    folded, each run of white space one space.

    >>> normalize("ＩＣＴ　Policy") == normalize("ict policy")
    True
    >>> normalize("ｾｷｭﾘﾃｨ")
    'セキュリティ'
    """
    return _normalize_with_offsets(text)[0]


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def query_terms(text: str) -> tuple[str, ...]:
    """The terms of a search text: its words, or a "quoted phrase" as one term; normalised,
    each once. Japanese needs no spaces: a run of Japanese text is one term, found anywhere.

    >>> query_terms('Cyber  "information sharing" 意見交換　ＥＵ')
    ('cyber', 'information sharing', '意見交換', 'eu')
    """
    folded = normalize(text.replace("\u201c", '"').replace("\u201d", '"'))
    terms: list[str] = []
    for phrase, word in _TERM.findall(folded):
        term = (phrase or word).strip()
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def snippet(text: str, term: str, width: int = 60) -> str:
    """The part of ``text`` around the first occurrence of the (normalised) term, at most
    about ``width`` characters, with ``…`` where text is cut.

    >>> snippet("6月に開催した協議では、放送政策について、意見交換を実施した。", "意見交換", 16)
    '…策について、意見交換を実施した。'
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    folded, offsets = _normalize_with_offsets(flat)
    found = folded.find(term) if term else -1
    if found < 0:
        return flat[: width - 1] + "…"
    start = offsets[found]
    end = offsets[found + len(term) - 1] + 1
    room = max(width - (end - start), 0)
    before = min(start, room // 3)
    after = room - before
    if end + after > len(flat):
        before = min(start, before + end + after - len(flat))
    lo, hi = start - before, min(len(flat), end + after)
    return ("…" if lo > 0 else "") + flat[lo:hi] + ("…" if hi < len(flat) else "")


# -- What a search returns ------------------------------------------------------------------------

TIERS: dict[str, int] = {
    "exact": 0,
    "prefix": 1,
    "word": 2,
    "label": 3,
    "description": 4,
    "topic": 5,
    "passage": 6,
}
"""How good a match is, best first: the whole label, the label's start, a whole word of the
label, anywhere in the label, in a description, in the name of a topic the resource is about
(or of a broader one), in a source passage it is derived from."""


@dataclass(frozen=True)
class SearchPassage:
    """A source passage (or excerpt) a resource is derived from."""

    iri: str
    """The passage IRI (``passage:wp2013-p05-s1``)."""
    kind: str
    """``sentence``, ``paragraph``, ``heading``, ``footnote`` or ``excerpt``."""
    text: str
    """Its text (the source's Japanese)."""
    line: int | None
    """The line of the source file it starts on (None for an excerpt)."""
    part_of: str | None = None
    """What it is part of: a sentence's paragraph (or the source)."""


@dataclass(frozen=True)
class SearchMatch:
    """One text of a resource in which query terms occur."""

    how: str
    """How good the match is: a key of :data:`TIERS`."""
    predicate: str
    """The property whose value matched (``rdf:value`` for a passage)."""
    text: str
    """The whole text that matched."""
    lang: str | None
    """Its language tag, if any."""
    terms: tuple[str, ...]
    """The query terms found in it."""
    passage: SearchPassage | None = None
    """The passage, for a match in a source passage."""
    topic: str | None = None
    """The topic whose label matched, for a match by topic (``how == "topic"``)."""

    @property
    def tier(self) -> int:
        """The match's rank among kinds of match (0 is best)."""
        return TIERS[self.how]

    @property
    def where(self) -> str:
        """``label``, ``description``, ``topic`` or ``passage``: where the match is."""
        if self.passage is not None:
            return "passage"
        if self.topic is not None:
            return "topic"
        return "label" if self.predicate in LABEL_PROPERTIES else "description"


@dataclass(frozen=True)
class SearchHit:
    """A resource that matches, with where it matched and the passages it comes from."""

    resource: str
    """The resource's IRI."""
    label: str | None
    """Its label in the language asked for (else English, else any)."""
    terms: tuple[str, ...]
    """The query terms it matches, in query order."""
    matches: tuple[SearchMatch, ...]
    """Every text of it that matched, best first."""
    passages: tuple[SearchPassage, ...]
    """The passages it is derived from (``prov:wasDerivedFrom``): those that matched first,
    then the others in source order."""
    score: tuple[int, ...] = field(default=(), compare=False)
    """The sort key it was ranked by (smaller is better)."""

    @property
    def best(self) -> SearchMatch:
        """The best match."""
        return self.matches[0]

    @property
    def matched_passages(self) -> tuple[SearchPassage, ...]:
        """The passages whose text matched."""
        return tuple(m.passage for m in self.matches if m.passage is not None)


@dataclass(frozen=True)
class SearchResult:
    """The ranked answer to a search."""

    text: str
    """The search text as given."""
    terms: tuple[str, ...]
    """Its normalised terms."""
    hits: tuple[SearchHit, ...]
    """The hits, best first, at most ``limit`` of them."""
    total: int
    """How many resources matched in all (``hits`` may be fewer)."""
    lang: str = "en"
    """The language labels are given in."""
    source: str = ""
    """Where the texts came from: the backend name or the endpoint URL."""


# -- Matching and ranking -------------------------------------------------------------------------


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def _language(term: object) -> str | None:
    return getattr(term, "language", None) or None


def _label_how(label: str, term: str, whole: str) -> str:
    if label in (whole, term):
        return "exact"
    if label.startswith(term):
        return "prefix"
    found = label.find(term)
    while found >= 0:
        before = label[found - 1] if found else " "
        after = label[found + len(term)] if found + len(term) < len(label) else " "
        if not (before.isalnum() and before.isascii()) and not (
            after.isalnum() and after.isascii()
        ):
            return "word"
        found = label.find(term, found + 1)
    return "label"


@dataclass
class _Candidate:
    matches: list[SearchMatch] = field(default_factory=list)


def _passages(result: QueryResult) -> dict[str, SearchPassage]:
    passages: dict[str, SearchPassage] = {}
    for row in result.as_dicts():
        iri = _value(row["passage"])
        kind = PASSAGE_TYPES.get(_value(row["type"]))
        if kind is None or iri in passages:
            continue
        line = row.get("line")
        parent = row.get("parent")
        passages[iri] = SearchPassage(
            iri=iri,
            kind=kind,
            text=_value(row["text"]),
            line=int(_value(line)) if line is not None else None,
            part_of=_value(parent) if parent is not None else None,
        )
    return passages


def _pick_label(labels: Sequence[tuple[str, str | None, str]], lang: str) -> str | None:
    """The label to show: rdfs:label, then skos:prefLabel, then dct:title; in ``lang``, else
    English, else any language."""
    order = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
    ranked = sorted(
        (p for p in labels if p[0] != _SKOS + "altLabel"),
        key=lambda item: (
            (item[1] or "") != lang,
            (item[1] or "") != "en",
            order.get(item[0], 9),
            item[2],
        ),
    )
    return ranked[0][2] if ranked else None


def search_texts(
    text: str,
    answers: Mapping[str, QueryResult],
    *,
    lang: str = "en",
    limit: int | None = 20,
    source: str = "",
) -> SearchResult:
    """Match and rank the answers of the three search queries.

    A resource matches when one of the query's terms occurs (after :func:`normalize`) in one
    of its labels or descriptions, in a label of a topic it is about (or of a broader topic),
    or in a passage it is derived from; a passage no resource is derived from is a hit of its
    own (a paragraph only when none of its sentences matches).
    Resources matching more terms come first; then the best kind of match (:data:`TIERS`),
    then more matching texts, then the label.

    Args:
        text: the search text (words, "quoted phrases", Japanese without spaces).
        answers: the store's answer to each of :data:`SEARCH_QUERIES`, by name.
        lang: the language to give labels in.
        limit: the most hits to return; None or 0 for all.
        source: where the answers came from (for the result).

    Returns:
        The ranked hits and how many there were in all.
    """
    terms = query_terms(text)
    whole = " ".join(terms)
    texts, citations = answers["texts"], answers["citations"]
    by_passage = _passages(answers["passages"])
    labels: dict[str, list[tuple[str, str | None, str]]] = {}
    described: list[tuple[str, str, str, str | None]] = []
    for row in texts.as_dicts():
        resource, prop = _value(row["resource"]), _value(row["property"])
        value, language = _value(row["text"]), _language(row["text"])
        if prop in LABEL_PROPERTIES:
            labels.setdefault(resource, []).append((prop, language, value))
        if resource not in by_passage:
            described.append((resource, prop, value, language))
    cited: dict[str, list[str]] = {}
    for row in citations.as_dicts():
        resource, passage_iri = _value(row["resource"]), _value(row["passage"])
        if passage_iri in by_passage and resource not in by_passage:
            cited.setdefault(resource, []).append(passage_iri)
    candidates: dict[str, _Candidate] = {}

    def found_in(value: str) -> tuple[str, ...]:
        folded = normalize(value)
        return tuple(t for t in terms if t in folded)

    if terms:
        for resource, prop, value, language in described:
            hits = found_in(value)
            if not hits:
                continue
            if prop in LABEL_PROPERTIES:
                folded = normalize(value)
                how = min((_label_how(folded, t, whole) for t in hits), key=TIERS.__getitem__)
            else:
                how = "description"
            match = SearchMatch(how, prop, value, language, hits)
            candidates.setdefault(resource, _Candidate()).matches.append(match)
        # What is about a topic whose name matched (a label, not a definition) matches too.
        named = {
            resource: [m for m in c.matches if m.where == "label"]
            for resource, c in candidates.items()
        }
        for row in answers["subjects"].as_dicts():
            resource, topic = _value(row["resource"]), _value(row["topic"])
            for found in named.get(topic, ()):
                match = SearchMatch(
                    "topic", _DCT + "subject", found.text, found.lang, found.terms, topic=topic
                )
                candidates.setdefault(resource, _Candidate()).matches.append(match)
        matching = {iri: found_in(p.text) for iri, p in by_passage.items()}
        matching = {iri: hits for iri, hits in matching.items() if hits}
        citing: dict[str, list[str]] = {}
        for resource, passage_iris in cited.items():
            for iri in passage_iris:
                citing.setdefault(iri, []).append(resource)
        sentences_of = {p.part_of for iri, p in by_passage.items() if iri in matching}
        for iri, hits in matching.items():
            passage = by_passage[iri]
            match = SearchMatch("passage", RDF_NS + "value", passage.text, "ja", hits, passage)
            if iri in citing:
                for resource in citing[iri]:
                    candidates.setdefault(resource, _Candidate()).matches.append(match)
            elif not (passage.kind == "paragraph" and iri in sentences_of):
                # No fact points here: the passage itself is the hit (a paragraph only when
                # none of its sentences matched on its own).
                candidates.setdefault(iri, _Candidate()).matches.append(match)

    ranked: list[SearchHit] = []
    for resource, candidate in candidates.items():
        matches = sorted(
            candidate.matches,
            key=lambda m: (
                m.tier,
                -len(m.terms),
                (m.lang or "") != lang,
                m.passage.line or 0 if m.passage else 0,
                m.text,
            ),
        )
        matched_terms = tuple(t for t in terms if any(t in m.terms for m in matches))
        best_tiers = sum(min(m.tier for m in matches if t in m.terms) for t in matched_terms)
        label = _pick_label(labels.get(resource, []), lang)
        own: tuple[SearchPassage, ...]
        if resource in by_passage:
            own = (by_passage[resource],)
        else:
            matched = [m.passage for m in matches if m.passage is not None]
            rest = sorted(
                (
                    by_passage[p]
                    for p in set(cited.get(resource, ()))
                    if p not in {m.iri for m in matched}
                ),
                key=lambda p: (p.line or 0, p.iri),
            )
            own = (*dict.fromkeys(matched), *rest)
        score = (-len(matched_terms), best_tiers, -len(matches))
        ranked.append(
            SearchHit(resource, label, matched_terms, tuple(matches), tuple(own), score=score)
        )
    ranked.sort(key=lambda h: (h.score, (h.label or "").casefold(), h.resource))
    shown = ranked[:limit] if limit else ranked
    return SearchResult(text, terms, tuple(shown), len(ranked), lang=lang, source=source)
