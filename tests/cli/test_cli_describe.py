"""``ictkg describe`` through main(): the table in English and Japanese, every RDF format read
back, names by IRI, CURIE and label, ambiguous and unknown names, and equal answers from rdflib
and Oxigraph."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ictkg import cli
from ictkg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
MEETING = PREFIXES["meeting"] + "jp-us-ied-4"
SERIES = PREFIXES["series"] + "jp-us-ied"
SENTENCE = "2012年(平成24年)10月には、第4回局長級会合がワシントンD.C.で開催され"
PRESS_RELEASE = "http://www.soumu.go.jp/menu_news/s-news/01tsushin06_02000039.html"
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_sentence_is_in_the_source_text() -> None:
    source = (ROOT / "data" / "sources" / "wp2013-nc258220.txt").read_text(encoding="utf-8")
    assert SENTENCE in source


def test_table_shows_statements_both_ways_and_the_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "describe", "meeting:jp-us-ied-4")
    assert code == 0
    assert out.startswith("meeting:jp-us-ied-4\n")
    assert f"IRI: {MEETING}" in out
    assert "types: ictkg:Meeting (Meeting)" in out
    assert "Statements about it (" in out and "Statements pointing to it (2)" in out
    assert (
        "series:jp-us-ied (Japan-U.S. Policy Cooperation Dialogue on the Internet Economy)" in out
    )
    assert "document:jp-us-ied-4-joint-press-statement" in out and "ictkg:presentedAt" in out
    assert "Source passages it is derived from (4)" in out
    assert "passage:wp2013-p02-s1" in out and SENTENCE in out
    assert "Press releases behind it (2)" in out and PRESS_RELEASE in out
    assert "inferred" in out  # the derived view is shown, marked by its graph


def test_table_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "describe", "meeting:jp-us-ied-4", "--lang", "ja")
    assert code == 0
    assert "このリソースについての記述" in out and "典拠となる出典の文・段落" in out
    assert "series:jp-us-ied (インターネットエコノミーに関する日米政策協力対話)" in out
    assert "Japan-U.S. Policy Cooperation Dialogue on the Internet Economy)" not in out


@pytest.mark.parametrize(
    "name",
    [
        MEETING,
        f"<{MEETING}>",
        "meeting:jp-us-ied-4",
        "4th Director General-Level Meeting of the Japan-U.S. Policy Cooperation Dialogue "
        "on the Internet Economy",
        "4TH DIRECTOR GENERAL-LEVEL MEETING OF THE JAPAN-U.S. POLICY COOPERATION DIALOGUE "
        "ON THE INTERNET ECONOMY",
        "インターネットエコノミーに関する日米政策協力対話 第4回局長級会合",
    ],
)
def test_every_way_of_naming_the_resource(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "describe", name, "--format", "ntriples")
    assert code == 0, err
    subjects = {q.triple.subject for q in ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert ox.NamedNode(MEETING) in subjects


def test_japanese_label_with_japanese_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "describe", "フランス", "--lang", "ja")
    assert code == 0
    assert out.startswith("country:fr\n") and "ictkg:Country (国)" in out


def test_an_ambiguous_name_lists_the_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "describe", "Footnote")
    assert code == 2 and out == ""
    assert "names 2 resources" in err
    assert "ictkg:Footnote (Footnote)" in err and "ictkg:footnote (footnote)" in err
    assert "hint: give one of them by its CURIE or IRI" in err


def test_an_unknown_name_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "describe", "Frnace")
    assert code == 2
    assert "no resource is named 'Frnace'" in err
    assert "did you mean country:fr (France)" in err
    code, _, err = run(capsys, "describe", "country:atlantis")
    assert code == 2 and "country:atlantis is not in the graph" in err


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_formats_hold_statements_provenance_and_press_releases(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = run(capsys, "describe", "meeting:jp-us-ied-4", "--format", fmt)
    assert code == 0
    triples = {q.triple for q in ox.parse(out.encode(), format=RDF_FORMATS[fmt])}
    meeting = ox.NamedNode(MEETING)
    in_series = ox.NamedNode(PREFIXES["ictkg"] + "inSeries")
    assert ox.Triple(meeting, in_series, ox.NamedNode(SERIES)) in triples
    presented = ox.Triple(
        ox.NamedNode(PREFIXES["document"] + "jp-us-ied-4-joint-press-statement"),
        ox.NamedNode(PREFIXES["ictkg"] + "presentedAt"),
        meeting,
    )
    assert presented in triples
    rdf_value = PREFIXES["rdf"] + "value"
    sentence = ox.NamedNode(PREFIXES["passage"] + "wp2013-p02-s1")
    texts = [t.object for t in triples if t.subject == sentence and t.predicate.value == rdf_value]
    assert len(texts) == 1 and SENTENCE in texts[0].value  # type: ignore[union-attr]
    assert (
        ox.Triple(
            ox.NamedNode(PREFIXES["passage"] + "wp2013-fn11"),
            ox.NamedNode(PREFIXES["dct"] + "references"),
            ox.NamedNode(PRESS_RELEASE),
        )
        in triples
    )
    if fmt == "jsonld":
        assert json.loads(out)["@context"]["meeting"] == PREFIXES["meeting"]


def test_stated_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "describe", "meeting:jp-us-ied-4", "--stated-only")
    assert code == 0
    assert "ictkg:bestDate" not in out and "inferred" not in out
    code, out, _ = run(capsys, "describe", "meeting:jp-us-ied-4")
    assert "ictkg:bestDate" in out


def test_rdflib_and_oxigraph_give_the_same_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = {
        backend: run(capsys, "describe", "country:fi", "--format", "turtle", "--backend", backend)
        for backend in ("embedded", "memory", "oxigraph")
    }
    assert {code for code, _, _ in outputs.values()} == {0}
    assert len({out for _, out, _ in outputs.values()}) == 1


def test_help_teaches_by_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "describe", "--help")
    assert code == 0
    assert "Example:" in out and "ictkg describe フランス --lang ja" in out
