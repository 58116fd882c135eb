"""``ictkg query`` with values by name (issue 9 item 3) through main(): a label, alternative
label or prefix in English or Japanese gives the rows of the IRI; an ambiguous or unknown name,
an IRI not in the graph or of the wrong class, a mistyped prefix and a wrong-case CURIE exit
with code 2 and one error line naming the parameter, plus a hint with the closest matches."""

from __future__ import annotations

import pytest

from ictkg import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _error(err: str) -> list[str]:
    """The error and hint lines (a note that the store is being built may come first)."""
    return [line for line in err.splitlines() if line.startswith(("error:", "  hint:"))]


@pytest.mark.parametrize(
    "value",
    ["France", "france", "フランス", "Fran", "フラ", "<https://w3id.org/ictkg/id/country/fr>"],
)
def test_query_18_by_name_equals_by_curie(capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, expected, err = run(capsys, "query", "18", "-p", "partner=country:fr", "--format", "csv")
    assert code == 0, err
    assert expected.count("\n") > 1
    code, out, err = run(capsys, "query", "18", "-p", f"partner={value}", "--format", "csv")
    assert (code, out) == (0, expected), err


def test_an_alternative_label_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, expected, _ = run(capsys, "query", "18", "-p", "partner=country:us", "--format", "csv")
    for value in ("U.S.", "United States of America", "アメリカ合衆国", "米国"):
        code, out, err = run(capsys, "query", "18", "-p", f"partner={value}", "--format", "csv")
        assert (code, out) == (0, expected), (value, err)


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (
            ["query", "18", "-p", "partner=F"],
            "error: --param partner: 'F' names 2 resources: country:fi (Finland); "
            "country:fr (France)",
            "give one of them by its CURIE or IRI, e.g. country:fi",
        ),
        (
            ["query", "18", "-p", "partner=フ", "--lang", "ja"],
            "error: --param partner: 'フ' names 2 resources: country:fi (フィンランド); "
            "country:fr (フランス)",
            "give one of them by its CURIE or IRI, e.g. country:fi",
        ),
        (
            ["query", "18", "-p", "partner=Frnace"],
            "error: --param partner: no ictkg:Country or ictkg:SupranationalBody is named 'Frnace'",
            "did you mean country:fr (France)?",
        ),
        (
            ["query", "18", "-p", "partner=フランズ", "--lang", "ja"],
            "error: --param partner: no ictkg:Country or ictkg:SupranationalBody is named "
            "'フランズ'",
            "did you mean country:fr (フランス)",
        ),
        (
            ["query", "18", "-p", "partner=country:FR"],
            "error: --param partner: country:FR is not in the graph",
            "did you mean country:fr (France)?",
        ),
        (
            ["query", "18", "-p", "partner=country:xx"],
            "error: --param partner: country:xx is not in the graph",
            "did you mean",
        ),
        (
            ["query", "30", "-p", "resource=<https://example.org/nothing>"],
            "error: --param resource: <https://example.org/nothing> is not in the graph",
            "",
        ),
        (
            ["query", "18", "-p", "partner=topic:security"],
            "error: --param partner: topic:security is a skos:Concept, not an ictkg:Country or "
            "ictkg:SupranationalBody",
            "give the label (English or Japanese), CURIE or IRI of an ictkg:Country or "
            "ictkg:SupranationalBody, e.g. ",
        ),
        (
            ["query", "18", "-p", "partner=サイバーセキュリティ"],
            "error: --param partner: no ictkg:Country or ictkg:SupranationalBody is named "
            "'サイバーセキュリティ'",
            "",
        ),
        (
            ["query", "02", "-p", "topic=tpoic:security"],
            "error: --param topic: no skos:Concept is named 'tpoic:security' (tpoic: is not a "
            "project prefix; topic: is)",
            "did you mean topic:security (security)",
        ),
    ],
)
def test_bad_names_exit_2_naming_the_parameter(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str, hint: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    lines = _error(err)
    assert lines[0].startswith(error), err
    assert len(lines) == 2 and lines[1].startswith("  hint: " + hint), err
    assert "Traceback" not in err
