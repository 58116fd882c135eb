"""Values by name (issue 9 item 3): a stored query's IRI parameter takes a label or alternative
label in English or Japanese (any case and width; an unambiguous prefix is enough), and an IRI,
CURIE or term must be a resource of the graph of the class the header declares. Run on rdflib
and Oxigraph alike, and through ``Project.query``."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from ictkg.errors import UsageError
from ictkg.namespaces import PREFIXES
from ictkg.project import Project
from ictkg.queries.parameters import (
    ParameterError,
    ResourceName,
    is_name,
    prepare_bindings,
    prepare_values,
)
from ictkg.stores import Store, run_query
from ictkg.stores.names import (
    AmbiguousNameError,
    UnknownNameError,
    WrongClassError,
    check_resource,
    resolve_name,
)

ICTKG = PREFIXES["ictkg"]
PARTNER = (ICTKG + "Country", ICTKG + "SupranationalBody")
CONCEPT = PREFIXES["skos"] + "Concept"
COUNTRY = PREFIXES["country"]
FRANCE, FINLAND, US, CHINA = (COUNTRY + c for c in ("fr", "fi", "us", "cn"))
EU = PREFIXES["organization"] + "eu"
SECURITY = PREFIXES["topic"] + "security"


@pytest.fixture(params=["memory", "oxigraph"])
def store(request: pytest.FixtureRequest, stores: dict[str, Store]) -> Store:
    return stores[request.param]


# -- resolve_name with the classes a parameter declares ------------------------------------------


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("France", FRANCE),  # exact label, en
        ("フランス", FRANCE),  # exact label, ja
        ("fRANCE", FRANCE),  # any case
        ("ｆｒａｎｃｅ", FRANCE),  # full-width (NFKC)
        ("U.S.", US),  # skos:altLabel, en
        ("アメリカ合衆国", US),  # skos:altLabel, ja
        ("中華人民共和国", CHINA),  # skos:altLabel, ja
        ("EU", EU),  # an altLabel, not the prefix of "European Union" and "EU"
        ("United States", US),  # exact beats the prefix of "United States of America"
        ("Fran", FRANCE),  # unambiguous prefix, en
        ("フラ", FRANCE),  # unambiguous prefix, ja
        ("ﾌﾗﾝ", FRANCE),  # half-width kana prefix (NFKC)
        ("Unit", US),  # the prefix of two labels of one resource is not ambiguous
        ("country:fr", FRANCE),
        (f"<{FRANCE}>", FRANCE),
    ],
)
def test_a_partner_by_name(store: Store, name: str, iri: str) -> None:
    assert resolve_name(store, name, PARTNER) == ox.NamedNode(iri)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("F", [FINLAND, FRANCE]), ("フ", [FINLAND, FRANCE])],
)
def test_an_ambiguous_prefix_lists_the_candidates(
    store: Store, name: str, expected: list[str]
) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        resolve_name(store, name, PARTNER, where="--param partner")
    assert [c.iri for c in info.value.candidates] == expected
    message = str(info.value)
    assert message.startswith("--param partner: ")
    assert "country:fi (Finland)" in message and "country:fr (France)" in message
    assert info.value.exit_code == 2


def test_candidates_are_labelled_in_the_language_asked(store: Store) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        resolve_name(store, "フ", PARTNER, lang="ja")
    assert "country:fr (フランス)" in str(info.value)


@pytest.mark.parametrize("name", ["Frnace", "フランズ"])
def test_an_unknown_name_suggests_the_closest(store: Store, name: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_name(store, name, PARTNER, where="--param partner")
    assert not isinstance(info.value, WrongClassError)
    assert info.value.candidates[0].iri == FRANCE
    assert str(info.value).startswith("--param partner: no ictkg:Country or ")
    assert "did you mean country:fr" in (info.value.hint or "")


@pytest.mark.parametrize("name", ["cybersecurity", "サイバーセキュリティ"])
def test_a_topic_name_is_not_a_partner(store: Store, name: str) -> None:
    # Both are topic labels: among partners they name nothing.
    assert resolve_name(store, name, CONCEPT).value.startswith(PREFIXES["topic"])
    with pytest.raises(UnknownNameError) as info:
        resolve_name(store, name, PARTNER)
    assert "ictkg:Country or ictkg:SupranationalBody" in str(info.value)


def test_a_topic_iri_given_for_a_partner_is_the_wrong_class(store: Store) -> None:
    with pytest.raises(WrongClassError) as info:
        resolve_name(store, "topic:security", PARTNER, where="--param partner")
    assert CONCEPT in info.value.types
    assert str(info.value).startswith(
        "--param partner: topic:security is a skos:Concept, not an ictkg:Country or "
        "ictkg:SupranationalBody"
    )
    assert "country:fr (France)" in (info.value.hint or "")  # what there is to choose from


def test_an_iri_not_in_the_graph_is_an_error(store: Store) -> None:
    with pytest.raises(UnknownNameError, match="country:xx is not in the graph"):
        resolve_name(store, "country:xx", PARTNER)
    with pytest.raises(UnknownNameError, match="is not in the graph"):
        check_resource(store, ox.NamedNode("https://example.org/nothing"))


def test_a_wrong_case_curie_suggests_the_right_one(store: Store) -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_name(store, "country:FR", PARTNER)
    assert [c.iri for c in info.value.candidates] == [FRANCE]
    assert info.value.hint == "did you mean country:fr (France)?"


def test_a_mistyped_prefix_suggests_the_project_prefix(store: Store) -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_name(store, "tpoic:security", CONCEPT)
    assert "tpoic: is not a project prefix; topic: is" in str(info.value)
    assert info.value.candidates[0].iri == SECURITY
    assert (info.value.hint or "").startswith("did you mean topic:security (security)")


def test_any_resource_when_no_class_is_declared(store: Store) -> None:
    assert resolve_name(store, "topic:security", ()) == ox.NamedNode(SECURITY)
    assert resolve_name(store, "フランス", None) == ox.NamedNode(FRANCE)
    graph = ox.NamedNode(PREFIXES["graph"] + "wp2013")
    assert check_resource(store, graph) == graph  # a graph name is a resource too


# -- Checking values before and after the store ---------------------------------------------


def test_names_are_kept_for_the_store_and_refused_without_one(real_project: Project) -> None:
    query = real_project.stored_query("18")
    assert prepare_values(query, {"partner": " France "}) == {"partner": ResourceName("France")}
    assert prepare_values(query, {"partner": "country:fr"}) == {"partner": ox.NamedNode(FRANCE)}
    with pytest.raises(ParameterError, match="not an absolute IRI"):
        prepare_bindings(query, {"partner": "France"})  # run_query binds, it never looks up


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("France", True),
        ("tpoic:security", True),
        ("Japan-U.S.: dialogue", True),
        ("country:fr", False),
        ("<country:fr>", False),
        ("https://example.org/x", False),
        ("urn:isbn:1", False),
        ("", False),
    ],
)
def test_what_counts_as_a_name(text: str, name: bool) -> None:
    assert is_name(text) is name


# -- Project.query -------------------------------------------------------------------------------


def _rows(real_project: Project, value: object, **kwargs: object) -> list[tuple[str, ...]]:
    answer = real_project.query("18", {"partner": value}, **kwargs)  # type: ignore[arg-type]
    return [tuple(str(t) for t in row) for row in answer.result.rows]


@pytest.mark.parametrize("name", ["France", "フランス", "fran", "<" + FRANCE + ">"])
def test_a_name_gives_the_rows_of_the_iri(real_project: Project, name: str) -> None:
    expected = _rows(real_project, "country:fr")
    assert expected
    assert _rows(real_project, name) == expected


def test_names_resolve_on_every_in_process_backend(real_project: Project) -> None:
    expected = _rows(real_project, "country:fr")
    for backend in ("memory", "oxigraph"):
        assert _rows(real_project, "フランス", backend=backend) == expected


@pytest.mark.parametrize(
    "term", [ox.NamedNode(COUNTRY + "xx"), URIRef(COUNTRY + "xx"), ox.NamedNode(SECURITY)]
)
def test_terms_given_by_a_library_caller_are_checked_too(
    real_project: Project, term: object
) -> None:
    with pytest.raises(UnknownNameError) as info:
        real_project.query("18", {"partner": term})
    assert info.value.location == "--param partner"
    assert isinstance(info.value, UsageError)


def test_a_term_of_the_graph_is_bound_as_given(real_project: Project) -> None:
    assert _rows(real_project, URIRef(FRANCE)) == _rows(real_project, "country:fr")


def test_every_header_example_is_of_its_declared_class(real_project: Project) -> None:
    """The header's ``class:`` must fit the data: each example resolves through Project.query
    (31's example series:fx-jp-fr-digital is in the fixture edition only)."""
    for query in real_project.stored_queries():
        for param in query.parameters.values():
            if param.type != "iri" or param.example is None or query.id == "31-series-names":
                continue
            real_project.query(query.id, {param.name: param.example})


def test_run_query_binds_without_looking_up(
    stores: dict[str, Store], real_project: Project
) -> None:
    query = real_project.stored_query("18")
    result = run_query(query, stores["oxigraph"], {"partner": "country:xx"})
    assert result.rows == ()
