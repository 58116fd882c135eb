"""Ad-hoc SPARQL (issue 9 item 4): where the text comes from, its form, the project prefixes
declared for it, the policy, and syntax errors placed in the user's own lines, on every
in-process backend."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg.errors import InputError, MissingInputError, PolicyError, UsageError
from ictkg.namespaces import PREFIXES
from ictkg.project import Project
from ictkg.queries.adhoc import declared_prefixes, prepare_query, query_form, read_query
from ictkg.stores import Store

SERIES = "https://w3id.org/ictkg/id/series/jp-us-ied"
MEETING = "https://w3id.org/ictkg/id/meeting/jp-us-ied-"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("ask { ?s ?p ?o }", "ASK"),
        ("# a comment with SELECT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("BASE <http://ex/> PREFIX a: <http://ex/select#> DESCRIBE <x>", "DESCRIBE"),
        ("PREFIX ex: <http://ex/> construct WHERE { ?s ex:p ?o }", "CONSTRUCT"),
        ("this is no query", None),
    ],
)
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


@pytest.mark.parametrize(
    "update", ["INSERT DATA { <a:b> <a:b> <a:b> }", "DELETE WHERE { ?s ?p ?o }"]
)
def test_an_update_is_refused_as_usage(update: str) -> None:
    with pytest.raises(UsageError, match="SPARQL Update") as info:
        prepare_query(update)
    assert not isinstance(info.value, PolicyError)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://ex/g> { ?s ?p ?o }",
        "SELECT * { SERVICE <http://ex/sparql> { ?s ?p ?o } }",
        "LOAD <http://ex/data.ttl>",
    ],
)
def test_network_keywords_are_refused(text: str) -> None:
    with pytest.raises(PolicyError):
        prepare_query(text)


def test_empty_text_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="empty"):
        prepare_query("  \n")


def test_undeclared_project_prefixes_are_declared_and_declared_ones_kept() -> None:
    query = prepare_query("PREFIX ictkg: <http://other.example/> SELECT * { ?s a ictkg:X }")
    assert declared_prefixes(query.text) == set(PREFIXES)
    assert "PREFIX ictkg: <https://w3id.org/ictkg/ontology#>" not in query.text
    assert f"PREFIX meeting: <{PREFIXES['meeting']}>" in query.text
    assert query.added_lines == len(PREFIXES) - 1
    assert query.text.endswith(query.source)


def test_read_query_from_stdin_a_file_or_the_text(tmp_path: Path) -> None:
    assert read_query("-", stdin=io.StringIO("ASK {}")).where == "<stdin>"
    path = tmp_path / "question.rq"
    path.write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    from_file = read_query(str(path))
    assert (from_file.where, from_file.source) == (str(path), "ASK { ?s ?p ?o }\n")
    assert read_query("ASK {}").where == "<query>"
    with pytest.raises(MissingInputError):
        read_query(str(tmp_path / "missing.rq"))


@pytest.fixture(params=["memory", "oxigraph"])
def backend(request: pytest.FixtureRequest, stores: dict[str, Store]) -> str:
    return str(request.param)


def test_select_with_predeclared_prefixes(real_project: Project, backend: str) -> None:
    answer = real_project.sparql(
        "SELECT ?m WHERE { ?m ictkg:inSeries series:jp-us-ied } ORDER BY ?m", backend=backend
    )
    assert answer.result is not None and answer.triples is None
    assert [t.value for t in answer.result.column("m")] == [MEETING + n for n in "134"]  # type: ignore[union-attr]


def test_a_prefix_the_query_declares_keeps_its_meaning(real_project: Project, backend: str) -> None:
    answer = real_project.sparql(
        "PREFIX meeting: <http://other.example/> SELECT ?x { BIND(meeting:a AS ?x) }",
        backend=backend,
    )
    assert answer.result is not None
    assert answer.result.rows == ((ox.NamedNode("http://other.example/a"),),)


def test_ask(real_project: Project, backend: str) -> None:
    yes = real_project.sparql(
        "ASK { meeting:jp-us-ied-4 dct:subject topic:privacy }", backend=backend
    )
    no = real_project.sparql(
        "ASK { meeting:jp-us-ied-1 dct:subject topic:privacy }", backend=backend
    )
    assert yes.result is not None and yes.result.boolean is True
    assert no.result is not None and no.result.boolean is False


def test_construct_returns_the_expected_triples(real_project: Project, backend: str) -> None:
    answer = real_project.sparql(
        "CONSTRUCT { ?m ictkg:inSeries ?s } WHERE { ?m ictkg:inSeries ?s "
        "FILTER(?s = series:jp-us-ied) }",
        backend=backend,
    )
    predicate = ox.NamedNode(PREFIXES["ictkg"] + "inSeries")
    assert answer.triples is not None and answer.result is None
    assert set(answer.triples) == {
        ox.Triple(ox.NamedNode(MEETING + n), predicate, ox.NamedNode(SERIES)) for n in "134"
    }


def test_describe_gives_the_resource_triples(real_project: Project, backend: str) -> None:
    answer = real_project.sparql("DESCRIBE country:fr", backend=backend)
    assert answer.triples is not None
    france = ox.NamedNode(PREFIXES["country"] + "fr")
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    assert ox.Triple(france, label, ox.Literal("フランス", language="ja")) in answer.triples
    assert all(t.subject == france for t in answer.triples)


def _oxigraph_position(text: str) -> tuple[int, int]:
    """Where Oxigraph puts the error in the text alone (no prefixes added): line and column."""
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(text)
    line, column = info.value.msg.split("error at ", 1)[1].split(":")[:2]
    return int(line), int(column)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("PREFIX ex: <http://ex/>\nSELECT ?x {\n  ?x a ex:Meeting\n  FILTER(\n}", 5),
        ("ASK { <http://ex/s> ?p }", 1),
    ],
)
def test_a_syntax_error_names_the_line_of_the_text_as_written(
    real_project: Project, backend: str, text: str, line: int
) -> None:
    with pytest.raises(InputError) as info:
        real_project.sparql(text, backend=backend)
    assert str(info.value.path) == "<query>"
    assert (info.value.line, info.value.column) == (line, _oxigraph_position(text)[1])
    assert _oxigraph_position(text)[0] == line
