"""Finding a resource by name and describing it (issue 9 item 4), on rdflib and Oxigraph alike:
by IRI, CURIE, English, Japanese and alternative label; ambiguous and unknown names; statements
both ways with the graphs that state them; the source sentences and press releases behind it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ictkg.errors import UsageError
from ictkg.namespaces import INFERRED_GRAPH_IRI, PREFIXES, edition_graph_iri
from ictkg.project import Project
from ictkg.project.describe import Description, describe_resource
from ictkg.stores import Store
from ictkg.stores.names import AmbiguousNameError, UnknownNameError, parse_iri, resolve_name

ICTKG = PREFIXES["ictkg"]
FRANCE = PREFIXES["country"] + "fr"
SERIES = PREFIXES["series"] + "jp-us-ied"
MEETING = PREFIXES["meeting"] + "jp-us-ied-4"
WP2013 = edition_graph_iri("wp2013")


@pytest.fixture(params=["memory", "oxigraph"])
def store(request: pytest.FixtureRequest, stores: dict[str, Store]) -> Store:
    return stores[request.param]


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        (FRANCE, FRANCE),
        (f"<{FRANCE}>", FRANCE),
        ("country:fr", FRANCE),
        ("France", FRANCE),
        ("  fRANCE ", FRANCE),
        ("フランス", FRANCE),
        ("U.S.-Japan Internet Economy Dialogue", SERIES),  # an skos:altLabel
        ("インターネットエコノミーに関する日米政策協力対話", SERIES),
        ("ictkg:Footnote", ICTKG + "Footnote"),
    ],
)
def test_resolve_name(store: Store, name: str, iri: str) -> None:
    assert resolve_name(store, name) == ox.NamedNode(iri)


def test_an_ambiguous_label_lists_the_candidates(store: Store) -> None:
    # ictkg:Footnote (the class) and ictkg:footnote (the property) differ only in case.
    with pytest.raises(AmbiguousNameError) as info:
        resolve_name(store, "footnote")
    assert [c.name for c in info.value.candidates] == ["ictkg:Footnote", "ictkg:footnote"]
    assert "ictkg:Footnote" in str(info.value) and "ictkg:footnote" in str(info.value)
    assert isinstance(info.value, UsageError)


def test_expected_class_settles_an_ambiguous_label(store: Store) -> None:
    owl_class = PREFIXES["owl"] + "Class"
    assert resolve_name(store, "footnote", owl_class) == ox.NamedNode(ICTKG + "Footnote")


@pytest.mark.parametrize("name", ["Frnace", "country:frx"])
def test_an_unknown_name_suggests_the_closest(store: Store, name: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_name(store, name)
    assert FRANCE in [c.iri for c in info.value.candidates]
    assert "country:fr (France)" in (info.value.hint or "")


@pytest.mark.parametrize("hostile", ['x" } DROP ALL ; #', 'France"@en', "{}#", "?name"])
def test_a_name_is_bound_as_a_literal_never_pasted(store: Store, hostile: str) -> None:
    with pytest.raises(UnknownNameError):
        resolve_name(store, hostile)


def test_parse_iri_leaves_labels_alone() -> None:
    assert parse_iri("Japan-U.S.: dialogue") is None
    assert parse_iri("unknownprefix:x") is None
    assert parse_iri("https://example.org/x") == ox.NamedNode("https://example.org/x")


@pytest.fixture
def meeting(store: Store) -> Description:
    return describe_resource(store, ox.NamedNode(MEETING))


def test_outgoing_statements_with_their_graphs(meeting: Description) -> None:
    by_predicate = {(s.predicate.value, str(s.object)): s.graphs for s in meeting.outgoing}
    assert by_predicate[(ICTKG + "inSeries", f"<{SERIES}>")] == (WP2013,)
    assert by_predicate[
        (ICTKG + "bestDate", '"2012-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>')
    ] == (INFERRED_GRAPH_IRI,)
    assert meeting.types == (ox.NamedNode(ICTKG + "Meeting"),)
    assert {label.language for label in meeting.labels} == {"en", "ja"}


def test_incoming_statements(meeting: Description) -> None:
    incoming = {(s.subject.value, s.predicate.value) for s in meeting.incoming}
    assert (
        PREFIXES["document"] + "jp-us-ied-4-joint-press-statement",
        ICTKG + "presentedAt",
    ) in incoming
    assert all(s.object == ox.NamedNode(MEETING) for s in meeting.incoming)


def test_labels_of_the_other_terms_follow_the_language(store: Store) -> None:
    english = describe_resource(store, ox.NamedNode(MEETING), lang="en")
    japanese = describe_resource(store, ox.NamedNode(MEETING), lang="ja")
    assert english.label(SERIES) == "Japan-U.S. Policy Cooperation Dialogue on the Internet Economy"
    assert japanese.label(SERIES) == "インターネットエコノミーに関する日米政策協力対話"
    assert japanese.label(ICTKG + "inSeries") != english.label(ICTKG + "inSeries")
    with pytest.raises(UsageError):
        describe_resource(store, ox.NamedNode(MEETING), lang="fr")


def test_source_sentences_with_their_text(meeting: Description, project_root) -> None:  # type: ignore[no-untyped-def]
    source = (project_root / "data" / "sources" / "wp2013-nc258220.txt").read_text(encoding="utf-8")
    passages = {p.iri: p for p in meeting.passages}
    first = passages[PREFIXES["passage"] + "wp2013-p02-s1"]
    assert first.kind == ICTKG + "Sentence"
    assert first.text is not None and "第4回局長級会合がワシントンD.C.で開催され" in first.text
    assert first.text in source  # the source's own words
    assert first.line == 12 and first.graphs == (WP2013,)
    assert [p.iri.rsplit("-", 1)[1] for p in meeting.passages] == ["s1", "s3", "s6", "s7"]


def test_press_releases_cited_and_by_footnote(meeting: Description) -> None:
    url = "http://www.soumu.go.jp/menu_news/s-news/01tsushin06_02000039.html"
    found = {(r.url, r.via, r.footnote, r.document) for r in meeting.press_releases}
    document = PREFIXES["document"] + "mic-press-release-fn11"
    assert found == {
        (url, "cited", None, document),
        (url, "footnote", PREFIXES["passage"] + "wp2013-fn11", document),
    }


def test_stated_only_leaves_out_the_derived_graph(store: Store) -> None:
    stated = describe_resource(store, ox.NamedNode(MEETING), include_inferred=False)
    assert stated.outgoing and all(INFERRED_GRAPH_IRI not in s.graphs for s in stated.outgoing)
    assert ICTKG + "bestDate" not in {s.predicate.value for s in stated.outgoing}


def test_the_rdf_form_holds_statements_provenance_and_labels(meeting: Description) -> None:
    triples = set(meeting.triples())
    resource = ox.NamedNode(MEETING)
    assert ox.Triple(resource, ox.NamedNode(ICTKG + "inSeries"), ox.NamedNode(SERIES)) in triples
    texts = [
        t.object.value
        for t in triples
        if t.predicate.value == PREFIXES["rdf"] + "value" and isinstance(t.object, ox.Literal)
    ]
    assert any("ワシントンD.C.で開催され" in text for text in texts)
    label = ox.Literal(
        "Japan-U.S. Policy Cooperation Dialogue on the Internet Economy", language="en"
    )
    assert (
        ox.Triple(ox.NamedNode(SERIES), ox.NamedNode(PREFIXES["rdfs"] + "label"), label) in triples
    )


def test_rdflib_and_oxigraph_describe_alike(stores: dict[str, Store]) -> None:
    memory = describe_resource(stores["memory"], ox.NamedNode(FRANCE), lang="ja")
    oxigraph = describe_resource(stores["oxigraph"], ox.NamedNode(FRANCE), lang="ja")
    assert memory == oxigraph
    assert memory.triples() == oxigraph.triples()


def test_project_describe_resolves_the_name(real_project: Project) -> None:
    by_label = real_project.describe("フランス", backend="oxigraph")
    assert by_label.resource == ox.NamedNode(FRANCE)
    assert by_label == real_project.describe("country:fr", backend="oxigraph")
