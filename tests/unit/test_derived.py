"""The derived view (ictkg.model.derived): best date, period, sort date and partner per resource,
from every source graph, on small inline datasets and on the real data."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from ictkg.model.derived import (
    DERIVED_PROPERTIES,
    Period,
    best_date,
    derived_triples,
    is_source_graph,
    period_of,
    sort_day,
)
from ictkg.namespaces import sparql_prologue
from ictkg.vocab import ICTKG, INFERRED_GRAPH, KIND, ONTOLOGY_GRAPH

M = KIND["meeting"]
D = dt.date


def build(trig: str) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=sparql_prologue() + trig, format="trig")
    return ds


def view(trig: str, resource: URIRef) -> dict[str, object]:
    """The derived values of one resource: property local name -> value (a set for partner)."""
    out: dict[str, object] = {}
    for _s, p, o in derived_triples(build(trig)).triples((resource, None, None)):
        name = str(p).rsplit("#", 1)[1]
        if name == "partner":
            out.setdefault(name, set()).add(str(o).rsplit("/", 1)[1])  # type: ignore[union-attr]
        else:
            assert name not in out, f"two {name} values"
            out[name] = o.toPython() if name != "bestDate" else (str(o), o.datatype)
    return out


def test_periods_of_each_precision() -> None:
    assert period_of(Literal("2012", datatype=XSD.gYear)) == Period(D(2012, 1, 1), D(2012, 12, 31))
    assert period_of(Literal("2013-02", datatype=XSD.gYearMonth)) == Period(
        D(2013, 2, 1), D(2013, 2, 28)
    )
    assert period_of(Literal("2012-12", datatype=XSD.gYearMonth)).end == D(2012, 12, 31)  # type: ignore[union-attr]
    assert period_of(Literal("2012-10-18", datatype=XSD.date)) == Period(
        D(2012, 10, 18), D(2012, 10, 18)
    )
    assert period_of(Literal("2012-10-18Z", datatype=XSD.date)) == Period(
        D(2012, 10, 18), D(2012, 10, 18)
    )
    assert period_of(Literal("2012-13", datatype=XSD.gYearMonth)) is None
    assert period_of(Literal("2012")) is None


def test_best_date_prefers_precision_then_earliest() -> None:
    y, m = Literal("2012", datatype=XSD.gYear), Literal("2012-10", datatype=XSD.gYearMonth)
    d1, d2 = Literal("2012-10-19", datatype=XSD.date), Literal("2012-10-18", datatype=XSD.date)
    assert best_date([y, m]) == m
    assert best_date([d1, y, d2, m]) == d2
    assert best_date([d2, d1]) == best_date([d1, d2]) == d2
    assert best_date([]) is None


def test_sort_day_takes_the_middle_or_the_third() -> None:
    year = Period(D(2012, 1, 1), D(2012, 12, 31))
    assert sort_day(year) == D(2012, 7, 1)
    assert sort_day(year, 0) < D(2012, 5, 1) < sort_day(year, 1) < D(2012, 9, 1) < sort_day(year, 2)
    month = Period(D(2012, 10, 1), D(2012, 10, 31))
    assert [sort_day(month, k) for k in (0, 1, 2)] == [
        D(2012, 10, 5),
        D(2012, 10, 15),
        D(2012, 10, 26),
    ]
    # A third outside the bounds other sources set is ignored; one that overlaps them is cut.
    assert sort_day(year, 0, within=month) == D(2012, 10, 16)
    assert sort_day(year, 2, within=Period(D(2012, 8, 1), D(2012, 9, 30))) == D(2012, 9, 15)


def test_sources_at_different_precision_give_one_best_date_and_their_intersection() -> None:
    trig = """
    GRAPH graph:wp2013 { meeting:m dct:date "2012-10"^^xsd:gYearMonth . }
    GRAPH graph:press { meeting:m dct:date "2012-10-18"^^xsd:date . }
    GRAPH graph:later { meeting:m dct:date "2012"^^xsd:gYear . }
    """
    assert view(trig, M.m) == {
        "bestDate": ("2012-10-18", XSD.date),
        "startDay": D(2012, 10, 18),
        "endDay": D(2012, 10, 18),
        "sortDate": D(2012, 10, 18),
    }


def test_a_multi_day_meeting_runs_from_start_to_end() -> None:
    trig = """
    GRAPH graph:wp2013 { meeting:m dct:date "2012-11"^^xsd:gYearMonth . }
    GRAPH graph:press { meeting:m schema:startDate "2012-11-05"^^xsd:date ;
                                  schema:endDate "2012-11-07"^^xsd:date . }
    """
    assert view(trig, M.m) == {
        "bestDate": ("2012-11-05", XSD.date),
        "startDay": D(2012, 11, 5),
        "endDay": D(2012, 11, 7),
        "sortDate": D(2012, 11, 6),
    }


def test_a_year_sorts_mid_year_and_early_in_the_year_before_spring() -> None:
    plain = 'GRAPH graph:s { meeting:m dct:date "2012"^^xsd:gYear . }'
    early = plain.replace(" . }", " ; ictkg:periodPart ictkg:EarlyPart . }")
    assert view(plain, M.m)["sortDate"] == D(2012, 7, 1)
    got = view(early, M.m)
    assert got["sortDate"] == D(2012, 3, 1)
    # The part never narrows the bounds.
    assert (got["startDay"], got["endDay"]) == (D(2012, 1, 1), D(2012, 12, 31))


def test_period_part_is_relative_to_its_own_source_and_kept_inside_the_bounds() -> None:
    trig = """
    GRAPH graph:s1 { meeting:m dct:date "2012"^^xsd:gYear ; ictkg:periodPart ictkg:LatePart . }
    GRAPH graph:s2 { meeting:m dct:date "2012-11"^^xsd:gYearMonth . }
    """
    got = view(trig, M.m)
    assert (got["startDay"], got["endDay"], got["sortDate"]) == (
        D(2012, 11, 1),
        D(2012, 11, 30),
        D(2012, 11, 15),
    )


def test_contradicting_sources_fall_back_on_the_best_date() -> None:
    trig = """
    GRAPH graph:s1 { meeting:m dct:date "2012-10"^^xsd:gYearMonth . }
    GRAPH graph:s2 { meeting:m dct:date "2012-11-02"^^xsd:date . }
    """
    got = view(trig, M.m)
    assert (got["startDay"], got["endDay"]) == (D(2012, 11, 2), D(2012, 11, 2))


def test_only_source_graphs_count() -> None:
    trig = """
    GRAPH graph:reference { meeting:m dct:date "1999"^^xsd:gYear . }
    GRAPH graph:inferred { meeting:n dct:date "1999"^^xsd:gYear . }
    GRAPH graph:s1 { meeting:m dct:date "2012"^^xsd:gYear . }
    """
    assert view(trig, M.m)["bestDate"] == ("2012", XSD.gYear)
    assert view(trig, M.n) == {}
    assert is_source_graph(URIRef("https://w3id.org/ictkg/graph/pressrelease-2014"))
    assert not is_source_graph(URIRef("https://w3id.org/ictkg/graph/schemaorg"))
    assert not is_source_graph(URIRef("http://example.org/graph"))


PARTNERS = """
GRAPH graph:ontology { ictkg:Member a owl:Class ; rdfs:subClassOf ictkg:SupranationalBody . }
GRAPH graph:reference {
  country:jp a ictkg:Country . country:us a ictkg:Country . country:fr a ictkg:Country .
  organization:eu a ictkg:SupranationalBody . organization:asean a ictkg:Member .
  organization:fr-ministry a ictkg:Ministry ; ictkg:jurisdiction country:fr .
  organization:mic a ictkg:Ministry ; ictkg:jurisdiction country:jp .
  person:sibal a schema:Person .
}
GRAPH graph:s1 {
  series:a ictkg:party country:jp , country:us ; ictkg:counterpart country:us .
  meeting:b ictkg:counterpart organization:fr-ministry ; ictkg:leadBody organization:mic .
  outcome:c ictkg:agreedBy country:jp , organization:eu , person:sibal .
  initiative:d ictkg:party organization:asean .
  document:us-eu dct:creator country:us , organization:eu .
  document:report ictkg:submittedBy organization:fr-ministry .
}
"""


def test_partners_come_from_party_agreed_by_and_counterpart_only() -> None:
    kinds = KIND
    assert view(PARTNERS, kinds["series"].a) == {"partner": {"us"}}
    assert view(PARTNERS, kinds["meeting"].b) == {"partner": {"fr"}}
    assert view(PARTNERS, kinds["outcome"].c) == {"partner": {"eu"}}
    assert view(PARTNERS, kinds["initiative"].d) == {"partner": {"asean"}}
    # A document of the U.S. and the EU is no dialogue of Japan's with either.
    assert view(PARTNERS, kinds["document"]["us-eu"]) == {}
    assert view(PARTNERS, kinds["document"].report) == {}


def test_the_real_view_has_one_value_per_resource(built_dataset: Dataset) -> None:
    inferred = built_dataset.graph(INFERRED_GRAPH)
    for prop in (ICTKG.bestDate, ICTKG.startDay, ICTKG.endDay, ICTKG.sortDate):
        subjects = list(inferred.subjects(prop, None))
        assert subjects and len(subjects) == len(set(subjects)), prop
    for s, start in inferred.subject_objects(ICTKG.startDay):
        end = inferred.value(s, ICTKG.endDay)
        middle = inferred.value(s, ICTKG.sortDate)
        assert start.toPython() <= middle.toPython() <= end.toPython()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        # 同年初頭: early 2012, before the Japan-Thailand summit of March 2012.
        ("initiative/jp-us-cloud-wg", ("2012", "2012-01-01", "2012-12-31", "2012-03-01")),
        ("meeting/jp-th-summit-2012-03", ("2012-03", "2012-03-01", "2012-03-31", "2012-03-16")),
    ],
)
def test_real_dates(built_dataset: Dataset, resource: str, expected: tuple[str, ...]) -> None:
    inferred = built_dataset.graph(INFERRED_GRAPH)
    iri = URIRef(f"https://w3id.org/ictkg/id/{resource}")
    got = tuple(
        str(inferred.value(iri, p))
        for p in (ICTKG.bestDate, ICTKG.startDay, ICTKG.endDay, ICTKG.sortDate)
    )
    assert got == expected


def test_the_real_partners_leave_out_japan_and_the_us_eu_principles(built_dataset: Dataset) -> None:
    inferred = built_dataset.graph(INFERRED_GRAPH)
    partners = set(inferred.objects(None, ICTKG.partner))
    assert KIND["country"]["jp"] not in partners
    assert KIND["organization"]["eu"] in partners
    us_eu = KIND["document"]["us-eu-ict-services-trade-principles"]
    assert list(inferred.objects(us_eu, ICTKG.partner)) == []
    jp_us = KIND["document"]["jp-us-ict-services-trade-principles"]
    assert list(inferred.objects(jp_us, ICTKG.partner)) == [KIND["country"]["us"]]


def test_every_derived_property_is_declared_derived(built_dataset: Dataset) -> None:
    ontology = built_dataset.graph(ONTOLOGY_GRAPH)
    declared = set(ontology.subjects(None, ICTKG.DerivedProperty))
    assert declared == set(DERIVED_PROPERTIES)
