"""Tests for ictkg.coverage: which paragraphs and footnotes facts are derived from."""

from __future__ import annotations

import json

from rdflib import Dataset, URIRef

from ictkg.namespaces import sparql_prologue
from ictkg.quality.coverage import coverage
from ictkg.render.reports import coverage_json as render_json
from ictkg.render.reports import coverage_text as render_text
from ictkg.vocab import KIND

P = KIND["passage"]


def dataset(trig: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=sparql_prologue() + trig, format="trig")
    return ds


DATA = """
GRAPH graph:wp2013 {
  source:wp2013 a ictkg:SourceText .
  passage:wp2013-p02 a ictkg:Paragraph ; ictkg:position 2 ; rdfs:label "Paragraph 2"@en ;
      rdf:value "第二段落。"@ja ; dct:isPartOf source:wp2013 .
  passage:wp2013-p01 a ictkg:Paragraph ; ictkg:position 1 ; rdfs:label "Paragraph 1"@en ;
      dct:isPartOf source:wp2013 .
  passage:wp2013-p01-s1 a ictkg:Sentence ; dct:isPartOf passage:wp2013-p01 .
  passage:wp2013-p03 a ictkg:Paragraph ; ictkg:position 3 .
  passage:wp2013-fn1 a ictkg:Footnote ; ictkg:position 1 ; dct:isPartOf source:wp2013 .
  passage:wp2013-h1 a ictkg:Heading ; ictkg:position 1 .
  meeting:m1 a ictkg:Meeting ; prov:wasDerivedFrom passage:wp2013-p01-s1 .
  meeting:m3 a ictkg:Meeting ; prov:wasDerivedFrom passage:wp2013-p03 .
  document:d1 a ictkg:Document ; prov:wasDerivedFrom passage:wp2013-fn1 .
}
"""


def test_coverage_follows_parts_and_orders_by_position() -> None:
    report = coverage(dataset(DATA))
    assert [e.passage for e in report.passages] == [
        P["wp2013-p01"],
        P["wp2013-p02"],
        P["wp2013-p03"],
        P["wp2013-fn1"],
    ]
    assert report.passages[0].derived == (URIRef("https://w3id.org/ictkg/id/meeting/m1"),)
    assert (report.covered, report.total) == (3, 4)
    assert [e.passage for e in report.uncovered] == [P["wp2013-p02"]]
    assert report.uncovered[0].text == "第二段落。"


def test_whole_source_text_does_not_cover_paragraphs() -> None:
    # A resource derived from the whole source text is not evidence for any one paragraph.
    extra = "GRAPH graph:wp2013 { meeting:m9 prov:wasDerivedFrom source:wp2013 . }"
    assert coverage(dataset(DATA + extra)).covered == 3


def test_renderers() -> None:
    report = coverage(dataset(DATA))
    text = render_text(report)
    assert "coverage: 3/4 passages (75%)\n" in text
    assert "NOT COVERED passage:wp2013-p02" in text
    assert "<- meeting:m1" in text
    assert "not covered: passage:wp2013-p02 (Paragraph 2)" in text
    data = json.loads(render_json(report))
    assert data["covered"] == 3 and data["total"] == 4
    assert data["passages"][1]["covered"] is False


def test_empty_dataset() -> None:
    report = coverage(Dataset())
    assert (report.covered, report.total, report.ratio) == (0, 0, 1.0)
