"""What ictkg publishes beside the data: the VoID/DCAT description in build/, the embedded store
and the export, and the schema.org view in the export, read back as consumers would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld

from ictkg.export.formats import CONTEXT_FILE, ExportResult
from ictkg.namespaces import (
    GRAPH_NS,
    ICTKG_NS,
    PREFIXES,
    SCHEMA_NS,
    SCHEMAORG_GRAPH_IRI,
    VOID_GRAPH_IRI,
)
from ictkg.project import VOID_FILE, Project

ROOT = Path(__file__).resolve().parents[2]
DCAT, VOID = PREFIXES["dcat"], PREFIXES["void"]


def _refuse_network(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise jsonld.JsonLdError(f"no network: refused to load {url}", "loading document failed")


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project in a folder of its own, so that build/ can be written."""
    root = tmp_path_factory.mktemp("publication") / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, root / part)
    (root / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    return Project(root)


@pytest.fixture(scope="module")
def exported(project_copy: Project) -> ExportResult:
    return project_copy.export()


def _void(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _distributions(store: ox.Store) -> dict[str, int]:
    rows = store.query(
        f"SELECT ?url ?size WHERE {{ ?d a <{DCAT}Distribution> ; <{DCAT}downloadURL> ?url ;"
        f" <{DCAT}byteSize> ?size }}"
    )
    return {row["url"].value: int(row["size"].value) for row in rows}  # type: ignore[index]


def test_build_describes_its_files_with_their_real_sizes(project_copy: Project) -> None:
    result = project_copy.build()
    assert result.output is not None
    out = result.output.out_dir
    assert result.output.files[-1] == out / VOID_FILE
    listed = _distributions(_void(out / VOID_FILE))
    actual = {
        p.relative_to(out).as_posix(): p.stat().st_size
        for p in result.output.files
        if p.name != VOID_FILE
    }
    assert {url.rsplit("ictkg/", 1)[-1]: size for url, size in listed.items()} == actual


def test_the_embedded_store_holds_the_description_and_its_counts_hold(
    project_copy: Project,
) -> None:
    project_copy.build()
    store = project_copy.open_store("embedded")
    total = store.query(
        f"SELECT ?n WHERE {{ GRAPH <{VOID_GRAPH_IRI}> {{ ?d a <{VOID}Dataset> ;"
        f" <{VOID}triples> ?n }} }}"
    )
    counted = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {"
        f" GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{VOID_GRAPH_IRI}>) }} }}"
    )
    assert total.rows and total.rows[0][0] == counted.rows[0][0]


def test_export_lists_every_file_it_wrote(exported: ExportResult) -> None:
    out = exported.out_dir
    void = out / VOID_FILE
    assert exported.files[-1].path == void and exported.files[-1].graph == VOID_GRAPH_IRI
    listed = _distributions(_void(void))
    expected = {
        f.path.relative_to(out).as_posix(): f.path.stat().st_size
        for f in exported.files
        if f.triples is not None and f.path != void
    }
    assert {url.rsplit("ictkg/", 1)[-1]: size for url, size in listed.items()} == expected


def test_export_has_the_schema_org_view_in_its_own_graph(exported: ExportResult) -> None:
    graphs = {f.graph for f in exported.files}
    assert SCHEMAORG_GRAPH_IRI in graphs
    assert (exported.out_dir / "graphs" / "schemaorg.ttl").is_file()


def test_exported_json_ld_framed_on_event_finds_every_meeting(
    exported: ExportResult, project_copy: Project
) -> None:
    """A schema.org consumer reads the export's JSON-LD (with its local context) and frames it."""
    out = exported.out_dir
    document = json.loads((out / "graphs" / "schemaorg.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    document["@context"] = context
    options = {"documentLoader": _refuse_network}
    expanded = jsonld.expand(document, options)
    framed = jsonld.frame(expanded, {"@context": {"@vocab": SCHEMA_NS}, "@type": "Event"}, options)
    nodes = framed.get("@graph", [])
    found = {node["@id"] for node in nodes}
    meetings = project_copy.open_store("oxigraph").query(
        f"SELECT DISTINCT ?m WHERE {{ GRAPH ?g {{ ?m a ?c }} FILTER(?g != <{GRAPH_NS}inferred>)"
        f" ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{ICTKG_NS}Meeting> }}"
    )
    expected = {row[0].value for row in meetings.rows}  # type: ignore[union-attr]
    assert expected and found == expected
    assert all("name" in node for node in nodes)
