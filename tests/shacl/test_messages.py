"""The shapes speak English and Japanese: every text once in each, and ``--lang ja`` shows it.

Curators read the report in Japanese (``ictkg validate --lang ja``), so each ``sh:message``,
``sh:name`` and ``sh:description`` (and each ``rdfs:comment``, ``dct:title`` and
``dct:description`` of a header or SPARQL constraint) is given once ``@en`` and once ``@ja``,
and the Japanese keeps the property names, datatypes and examples of the English.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from ictkg.cli import main
from ictkg.model.dataset import load_shapes
from ictkg.model.turtle import parse_turtle
from ictkg.paths import ProjectPaths
from ictkg.quality.shacl import validate

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PATHS = ProjectPaths(ROOT)
SHAPE_FILES = sorted(PATHS.shapes_dir.glob("*.ttl"))
SHAPES_NS = "https://w3id.org/ictkg/shapes#"

TEXTS = (SH.message, SH.name, SH.description, RDFS.comment, DCTERMS.title, DCTERMS.description)
"""The human-readable texts of the shape files."""

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
"""A hiragana, katakana or kanji character."""

TERM = re.compile(r"(?<![\w/])[a-z][A-Za-z]*:[A-Za-z0-9][\w.-]*[\w]|@ja\b|@en\b")
"""A prefixed name such as ``ictkg:party`` or ``passage:wp2013-p02-s4``, or a language tag."""


def texts(graph: Graph) -> dict[tuple[URIRef, URIRef], list[Literal]]:
    """Map (subject, predicate) to its literals, for every predicate in :data:`TEXTS`."""
    found: dict[tuple[URIRef, URIRef], list[Literal]] = {}
    for predicate in TEXTS:
        for subject, value in graph.subject_objects(predicate):
            assert isinstance(subject, URIRef), f"{predicate} on unnamed {subject}"
            assert isinstance(value, Literal), f"{subject} {predicate} {value} is not a literal"
            found.setdefault((subject, predicate), []).append(value)
    return found


def text_in(literals: list[Literal], lang: str) -> str:
    (text,) = [str(lit) for lit in literals if lit.language == lang]
    return text


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.stem)
def test_every_text_is_given_once_in_english_and_once_in_japanese(path: Path) -> None:
    found = texts(parse_turtle(path))
    assert sum(1 for _s, p in found if p == SH.message) > 5
    problems = [
        f"{subject} {predicate}: {dict(langs)}"
        for (subject, predicate), literals in sorted(found.items())
        if (langs := Counter(lit.language for lit in literals)) != {"en": 1, "ja": 1}
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.stem)
def test_japanese_text_is_japanese_and_keeps_the_terms_of_the_english(path: Path) -> None:
    problems = []
    for (subject, predicate), literals in sorted(texts(parse_turtle(path)).items()):
        if sorted(str(lit.language) for lit in literals) != ["en", "ja"]:
            continue  # reported by test_every_text_is_given_once_in_english_and_once_in_japanese
        english, japanese = text_in(literals, "en"), text_in(literals, "ja")
        if not JAPANESE.search(japanese):
            problems.append(f"{subject} {predicate}: not Japanese: {japanese}")
        missing = [term for term in TERM.findall(english) if term not in japanese]
        if missing:
            problems.append(f"{subject} {predicate}: {missing} missing from: {japanese}")
    assert not problems, "\n".join(problems)


def test_sparql_results_carry_both_languages() -> None:
    """pySHACL drops the tags of SPARQL-based messages; ictkg.quality.shacl restores them."""
    shapes = load_shapes(PATHS)
    data = parse_turtle(HERE / "context.ttl")
    for path in sorted((HERE / "invalid").glob("*.ttl")):
        graph = parse_turtle(path)
        reports = set(graph.subjects(RDF.type, SH.ValidationReport))
        results = {r for n in reports for r in graph.objects(n, SH.result)}
        for triple in graph:
            if triple[0] not in reports | results:
                data.add(triple)
    report = validate(data, shapes, parse_turtle(PATHS.ontology_file))
    sparql = [r for r in report.results if r.constraint_component == SH.SPARQLConstraintComponent]
    # That each constraint has a fixture is test_shapes' job; here they only need to fire.
    assert sparql, "the merged fixtures trigger SPARQL constraints"
    for result in report.results:
        langs = Counter(m.language for m in result.messages)
        assert langs["en"] >= 1 and langs["ja"] == langs["en"], (result.source_shape, langs)
        assert JAPANESE.search(result.message_in("ja")), result.source_shape
    # A SPARQL result shows its constraint's own message, not its property shape's, in both.
    own = {str(m) for c in shapes.objects(None, SH.sparql) for m in shapes.objects(c, SH.message)}
    for result in sparql:
        assert result.message in own, result.message
        assert result.message_in("ja") in own, result.message_in("ja")


def drop_a_japanese_label(paths: ProjectPaths) -> str:
    """Plant a violation: the first resource with an English and a Japanese label loses the
    Japanese one. Returns the English label, which the report then shows as the resource's name.
    """
    pattern = re.compile(
        r'^(\s+rdfs:label ("(?:[^"\\]|\\.)*")@en) ,\n\s+"(?:[^"\\]|\\.)*"@ja ;$', re.MULTILINE
    )
    for path in sorted(paths.data_dir.rglob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        match = pattern.search(text)
        if match:
            path.write_text(text[: match.start()] + match[1] + " ;" + text[match.end() :], "utf-8")
            return match[2].strip('"')
    raise AssertionError("no rdfs:label with @en then @ja to break in data/")


def test_validate_in_japanese_prints_the_japanese_message(
    capsys: pytest.CaptureFixture[str], tmp_project: ProjectPaths
) -> None:
    label = drop_a_japanese_label(tmp_project)
    shape = URIRef(SHAPES_NS + "Labelled-label-ja")
    shapes = load_shapes(tmp_project)
    messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
    japanese, english = text_in(messages, "ja"), text_in(messages, "en")

    code = main(["--root", str(tmp_project.root), "validate", "--lang", "ja"])
    out = capsys.readouterr().out

    assert code == 1, out
    assert "SHACL検証: 不適合" in out
    assert f"  違反  rdfs:label: {japanese}\n" in out
    assert f"({label})" in out
    assert "ictkgsh:Labelled-label-ja" in out
    assert english not in out
    assert "確認する出典箇所: passage:" in out
