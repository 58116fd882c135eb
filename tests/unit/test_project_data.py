"""Tests on the real ontology and data: every file parses, the vocabulary is closed, every
reference resolves, every content paragraph is covered and names follow docs/decisions.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

from ictkg.model.turtle import parse_turtle
from ictkg.quality.coverage import coverage
from ictkg.quality.shacl import union_graph
from ictkg.vocab import (
    BASE,
    ICTKG,
    KIND,
    OA,
    ONTOLOGY_GRAPH,
    QUERY_CATALOGUE_GRAPH,
    REFERENCE_GRAPH,
    WD,
)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"

# Web Annotation has no rdflib DefinedNamespace: these are its terms we may use.
OA_TERMS = {
    "SpecificResource",
    "TextPositionSelector",
    "TextQuoteSelector",
    "hasSource",
    "hasSelector",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
}

CLOSED: list[type[DefinedNamespace]] = [
    RDF,
    RDFS,
    OWL,
    XSD,
    SKOS,
    DCTERMS,
    ORG,
    PROV,
    SDO,
    TIME,
    FOAF,
    DCAT,
    VOID,
    SH,
]


def ttl_files() -> list[Path]:
    return sorted(
        p for folder in ("ontology", "data", "queries") for p in (ROOT / folder).rglob("*.ttl")
    )


@pytest.fixture(scope="module")
def dataset(built_dataset: Dataset) -> Dataset:
    return built_dataset


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    return union_graph(dataset)


@pytest.mark.parametrize("path", ttl_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_turtle_file_parses(path: Path) -> None:
    assert len(parse_turtle(path)) > 0


def _terms(graph: Graph) -> set[URIRef]:
    found: set[URIRef] = set()
    for s, p, o in graph:
        found.add(URIRef(p))
        if p == RDF.type and isinstance(o, URIRef):
            found.add(o)
        for node in (s, o):
            if isinstance(node, URIRef):
                found.add(node)
    return found


def test_every_external_vocabulary_term_exists(union: Graph) -> None:
    """A misspelt reused term (rdfs:subClasOf) parses but asserts nothing: catch it."""
    unknown = []
    for term in _terms(union):
        text = str(term)
        if text.startswith(str(OA)):
            if text[len(str(OA)) :] not in OA_TERMS:
                unknown.append(text)
            continue
        for ns in CLOSED:
            base = str(ns._NS)
            if text.startswith(base) and text != base and term not in ns:
                unknown.append(text)
    assert unknown == []


def test_every_ictkg_term_is_declared_in_the_ontology(dataset: Dataset, union: Graph) -> None:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    used = {t for t in _terms(union) if str(t).startswith(str(ICTKG))}
    undeclared = sorted(str(t) for t in used if (t, RDF.type, None) not in ontology)
    assert undeclared == []


def test_every_instance_iri_is_described(union: Graph) -> None:
    """Every ictkg instance IRI used as an object has a type: no dangling references."""
    dangling = set()
    for _, p, o in union:
        internal = isinstance(o, URIRef) and str(o).startswith(BASE + "id/") and "#" not in str(o)
        if internal and p != RDFS.seeAlso and (o, RDF.type, None) not in union:
            dangling.add(str(o))
    assert sorted(dangling) == []


def test_instance_iris_use_known_kinds(union: Graph) -> None:
    kinds = {str(ns) for ns in KIND.values()}
    bad = {
        str(s)
        for s in union.subjects()
        if isinstance(s, URIRef)
        and str(s).startswith(BASE + "id/")
        and not any(str(s).startswith(k) for k in kinds)
    }
    assert bad == set()


def test_every_content_paragraph_and_footnote_is_covered(dataset: Dataset) -> None:
    report = coverage(dataset)
    assert report.total == 17  # 11 paragraphs and footnotes 10-15 of the 2013 section
    assert [p.passage for p in report.uncovered] == []


def test_facts_point_at_passages(union: Graph) -> None:
    passage_types = {ICTKG.Sentence, ICTKG.Paragraph, ICTKG.Footnote, ICTKG.Heading}
    for _, target in union.subject_objects(PROV.wasDerivedFrom):
        assert set(union.objects(target, RDF.type)) & passage_types, target


def test_labels_in_both_languages(dataset: Dataset) -> None:
    """Every labelled resource of the data has @ja and @en labels (the stored-query catalogue,
    whose summaries are English only, is not data)."""
    union = union_graph(dataset, skip=[QUERY_CATALOGUE_GRAPH])
    missing = []
    for subject in set(union.subjects(RDFS.label, None)):
        langs = {o.language for o in union.objects(subject, RDFS.label) if isinstance(o, Literal)}
        if not {"ja", "en"} <= langs:
            missing.append(str(subject))
    assert missing == []


def test_wikidata_links_only_from_the_reference_list(union: Graph) -> None:
    listed = yaml.safe_load((REFERENCE / "wikidata.yaml").read_text(encoding="utf-8"))
    allowed = {WD[q] for group in listed.values() for q in group.values()}
    used = {o for o in union.objects(None, SKOS.exactMatch) if str(o).startswith(str(WD))}
    assert used <= allowed


def test_official_english_names_match_the_reference_list(union: Graph) -> None:
    """A label marked official must be the English name the reference list records."""
    entries = yaml.safe_load((REFERENCE / "english-names.yaml").read_text(encoding="utf-8"))
    by_ja = {e["ja"]: e for e in entries["entities"]}
    for subject in union.subjects(ICTKG.englishLabelStatus, ICTKG.OfficialEnglishName):
        ja = next(str(o) for o in union.objects(subject, RDFS.label) if o.language == "ja")
        en = next(str(o) for o in union.objects(subject, RDFS.label) if o.language == "en")
        entry = by_ja.get(ja)
        if entry is None:
            continue
        names = [entry["en"], *entry.get("variants", [])]
        assert any(en in str(name) or str(name).startswith(en) for name in names), (ja, en)


def test_reference_graph_holds_no_edition_facts(dataset: Dataset) -> None:
    reference = dataset.graph(REFERENCE_GRAPH)
    assert (None, PROV.wasDerivedFrom, None) not in reference


def test_dates_keep_their_precision(union: Graph) -> None:
    allowed = {XSD.date, XSD.gYearMonth, XSD.gYear}
    for _, date in union.subject_objects(DCTERMS.date):
        assert isinstance(date, Literal) and date.datatype in allowed, date
