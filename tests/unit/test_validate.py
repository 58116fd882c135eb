"""Tests for ictkg.quality.shacl and its renderers: what conforms means, the result fields."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ictkg.namespaces import sparql_prologue
from ictkg.quality.shacl import meta_validate_shapes, validate
from ictkg.render.reports import validation_json as render_json
from ictkg.render.reports import validation_text as render_text
from ictkg.render.reports import validation_turtle as render_turtle

PREFIXES = sparql_prologue().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")

SHAPES = (
    PREFIXES
    + """
@prefix shapes: <https://w3id.org/ictkg/shapes#> .
shapes:MeetingShape a sh:NodeShape ;
    sh:targetClass ictkg:Meeting ;
    sh:property shapes:Meeting-date , shapes:Meeting-label .
shapes:Meeting-date a sh:PropertyShape ;
    sh:path dct:date ; sh:minCount 1 ; sh:datatype xsd:date ;
    sh:message "Meeting has no date."@en , "日付がない。"@ja .
shapes:Meeting-label a sh:PropertyShape ;
    sh:path rdfs:label ; sh:minCount 1 ; sh:severity sh:Warning ;
    sh:message "Meeting has no label."@en .
"""
)

ONTOLOGY = PREFIXES + "ictkg:Summit rdfs:subClassOf ictkg:Meeting .\n"


def graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def shapes() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def ontology() -> Graph:
    return Graph().parse(data=ONTOLOGY, format="turtle")


def test_clean_data_conforms() -> None:
    data = graph('meeting:m a ictkg:Meeting ; dct:date "2012-10-04"^^xsd:date ; rdfs:label "M" .')
    report = validate(data, shapes(), ontology())
    assert report.conforms
    assert report.results == ()


def test_warnings_do_not_fail() -> None:
    data = graph('meeting:m a ictkg:Meeting ; dct:date "2012-10-04"^^xsd:date .')
    report = validate(data, shapes(), ontology())
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert (None, SH.conforms, None) in report.report_graph


def test_violation_fields_and_source_passages() -> None:
    data = graph(
        """meeting:m a ictkg:Summit ; rdfs:label "Summit"@en , "首脳会談"@ja ;
           prov:wasDerivedFrom passage:wp2013-p02 , passage:wp2013-p01 ."""
    )
    report = validate(data, shapes(), ontology())
    assert not report.conforms
    (result,) = report.results
    assert result.focus_node == URIRef("https://w3id.org/ictkg/id/meeting/m")
    assert result.result_path == URIRef("http://purl.org/dc/terms/date")
    assert result.severity == "Violation"
    assert result.message == "Meeting has no date."
    assert result.message_in("ja") == "日付がない。"
    assert result.source_shape == URIRef("https://w3id.org/ictkg/shapes#Meeting-date")
    assert result.constraint_component == SH.MinCountConstraintComponent
    assert result.source_passages == (
        "https://w3id.org/ictkg/id/passage/wp2013-p01",
        "https://w3id.org/ictkg/id/passage/wp2013-p02",
    )
    assert result.label_in("ja") == "首脳会談"


def test_subclass_targeting_needs_the_ontology() -> None:
    data = graph("meeting:m a ictkg:Summit .")
    assert validate(data, shapes(), ontology()).count("Violation") == 1
    assert validate(data, shapes(), None).results == ()


def test_render_text_groups_by_resource() -> None:
    data = graph(
        """meeting:a a ictkg:Meeting ; dct:date "2012" ; prov:wasDerivedFrom passage:wp2013-p01 .
           meeting:b a ictkg:Meeting ; rdfs:label "B"@en ."""
    )
    text = render_text(validate(data, shapes(), ontology()))
    assert text.startswith("SHACL validation: does not conform (2 Violation, 1 Warning)\n")
    assert "\nmeeting:a\n" in text
    assert '  value: "2012"' in text
    assert "shape: ictkgsh:Meeting-date (sh:DatatypeConstraintComponent)" in text
    assert "  check passage: passage:wp2013-p01" in text
    assert "\nmeeting:b  (B)\n" in text
    assert "  check passage: no source passage recorded" in text
    assert text.index("meeting:a") < text.index("meeting:b")


def test_render_text_japanese() -> None:
    report = validate(graph("meeting:m a ictkg:Meeting ."), shapes(), ontology())
    text = render_text(report, lang="ja")
    assert "不適合" in text
    assert "日付がない。" in text


def test_only_violations() -> None:
    report = validate(graph("meeting:m a ictkg:Meeting ."), shapes(), ontology())
    assert [r.severity for r in report.only_violations().results] == ["Violation"]


def test_render_json_and_turtle() -> None:
    report = validate(graph("meeting:m a ictkg:Meeting ."), shapes(), ontology())
    data = json.loads(render_json(report))
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 1, "Warning": 1, "Info": 0}
    assert data["results"][0]["focus_node_curie"] == "meeting:m"
    reread = Graph().parse(data=render_turtle(report), format="turtle")
    assert len(reread) == len(report.report_graph)


def test_rendering_is_deterministic() -> None:
    data = graph(
        "meeting:a a ictkg:Meeting . meeting:b a ictkg:Meeting . meeting:c a ictkg:Meeting ."
    )
    first = validate(data, shapes(), ontology())
    second = validate(data, shapes(), ontology())
    assert render_text(first) == render_text(second)
    assert render_json(first) == render_json(second)


def test_meta_validation_accepts_good_shapes() -> None:
    assert meta_validate_shapes(shapes()).conforms


def test_meta_validation_catches_bad_shapes() -> None:
    bad = Graph().parse(
        data=SHAPES + 'shapes:Broken a sh:PropertyShape ; sh:path dct:date ; sh:minCount "one" .',
        format="turtle",
    )
    report = meta_validate_shapes(bad)
    assert not report.conforms
    assert any(
        r.focus_node == URIRef("https://w3id.org/ictkg/shapes#Broken") for r in report.results
    )
