"""Values by name (issue 9 item 3) against a real Oxigraph server (the ``oxigraph_server``
fixture, never mocked): names are resolved over the SPARQL Protocol, bound as literals or matched
against the labels read back, and give the rows of the IRI; errors are the same as in process."""

from __future__ import annotations

import pytest

from ictkg import cli
from ictkg.project import Project
from ictkg.stores.endpoint import SparqlEndpointStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, real_project: Project) -> str:  # type: ignore[no-untyped-def]
    store = SparqlEndpointStore(
        oxigraph_server.query_url, oxigraph_server.update_url, oxigraph_server.store_url
    )
    store.clear()
    store.load([*real_project.quads(), *real_project.description()])
    return str(oxigraph_server.query_url)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("value", ["France", "フランス", "Fran"])
def test_a_name_on_the_server_gives_the_rows_of_the_iri(
    capsys: pytest.CaptureFixture[str], endpoint: str, value: str
) -> None:
    code, expected, err = run(capsys, "query", "18", "-p", "partner=country:fr", "--format", "csv")
    assert code == 0, err
    code, out, err = run(
        capsys, "query", "18", "-p", f"partner={value}", "--format", "csv", "--endpoint", endpoint
    )
    assert (code, out) == (0, expected), err


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("F", "error: --param partner: 'F' names 2 resources: country:fi (Finland); "),
        ("country:FR", "error: --param partner: country:FR is not in the graph"),
        ("topic:security", "error: --param partner: topic:security is a skos:Concept, not an "),
    ],
)
def test_bad_names_on_the_server_exit_2(
    capsys: pytest.CaptureFixture[str], endpoint: str, value: str, error: str
) -> None:
    code, _, err = run(capsys, "query", "18", "-p", f"partner={value}", "--endpoint", endpoint)
    assert code == 2
    assert err.startswith(error), err
