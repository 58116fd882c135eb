"""ictkg.export.formats: every format parses back to the dataset, the bytes are stable, JSON-LD
reads only its local context, the CSV tables hold what the data says, and a failed export
leaves the previous one intact."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from ictkg.errors import OutputError, UsageError
from ictkg.export.dumps import graph_file_name
from ictkg.export.formats import (
    CONTEXT_FILE,
    CSV_TABLES,
    FORMATS,
    MARKER_FILE,
    ExportFormat,
    ExportResult,
    LocalContextOnlyError,
    export_dataset,
    read_jsonld,
)
from ictkg.model.terms import to_rdflib
from ictkg.namespaces import (
    GRAPH_NS,
    ICTKG_NS,
    INFERRED_GRAPH_IRI,
    QUERY_CATALOGUE_GRAPH_IRI,
    RDFS_NS,
    curie,
)
from ictkg.paths import ProjectPaths
from ictkg.project import Project

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _graph(quads: Iterable[ox.Quad]) -> Graph:
    graph = Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    groups: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        groups[str(q.graph_name)].append(q)
    return groups


def _read(path: Path, fmt: str) -> list[ox.Quad]:
    if fmt == "jsonld":
        return read_jsonld(path)
    return list(ox.parse(path=path, format=_OX_FORMATS[fmt]))


def _assert_same_dataset(got: list[ox.Quad], expected: list[ox.Quad]) -> None:
    """Isomorphic graph by graph (the graph names themselves must match)."""
    mine, theirs = _by_graph(got), _by_graph(expected)
    assert sorted(mine) == sorted(theirs)
    for name, quads in theirs.items():
        assert isomorphic(_graph(mine[name]), _graph(quads)), name


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def quads(real_project: Project) -> list[ox.Quad]:
    return real_project.quads()


@pytest.fixture(scope="module")
def exported(quads: list[ox.Quad], tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    return export_dataset(quads, tmp_path_factory.mktemp("export") / "out")


# -- Round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_whole_dataset_parses_back_to_the_dataset(
    fmt: str, exported: ExportResult, quads: list[ox.Quad]
) -> None:
    path = exported.out_dir / f"ictkg.{FORMATS[fmt].extension}"
    got = _read(path, fmt)
    if FORMATS[fmt].quads:
        _assert_same_dataset(got, quads)
    else:
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in got)
        assert isomorphic(_graph(got), _graph(quads))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_named_graph_file_parses_back_to_its_graph(
    fmt: str, exported: ExportResult, quads: list[ox.Quad]
) -> None:
    groups = _by_graph(quads)
    names = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert names >= {GRAPH_NS + n for n in ("ontology", "reference", "wp2013")}
    assert QUERY_CATALOGUE_GRAPH_IRI in names
    for iri in sorted(names):
        path = exported.out_dir / "graphs" / f"{graph_file_name(iri)}.{FORMATS[fmt].extension}"
        got = _read(path, fmt)
        expected = groups[f"<{iri}>"]
        if FORMATS[fmt].quads:
            _assert_same_dataset(got, expected)
        else:
            assert isomorphic(_graph(got), _graph(expected)), iri


def test_jsonld_agrees_with_pyoxigraphs_own_jsonld(
    exported: ExportResult, quads: list[ox.Quad]
) -> None:
    """Differential: rdflib's compact JSON-LD and pyoxigraph's expanded JSON-LD say the same."""
    theirs = list(
        ox.parse(ox.serialize(quads, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.JSON_LD)
    )
    _assert_same_dataset(read_jsonld(exported.out_dir / "ictkg.jsonld"), theirs)


def test_the_files_listed_are_the_files_written(exported: ExportResult) -> None:
    on_disk = {p for p in exported.out_dir.rglob("*") if p.is_file() and p.name != MARKER_FILE}
    assert {f.path for f in exported.files} == on_disk
    for file in exported.files:
        assert file.bytes == file.path.stat().st_size
    whole = {f.format: f for f in exported.files if f.path.parent == exported.out_dir}
    per_graph = defaultdict(int)
    for f in exported.files:
        if f.graph is not None:
            per_graph[f.format] += f.triples or 0
    for name, fmt in FORMATS.items():
        got = _read(whole[name].path, name)
        assert whole[name].triples == len(got)
        assert whole[name].media_type == fmt.media_type
        if fmt.quads:  # the graphs partition the dataset
            assert per_graph[name] == whole[name].triples


def test_extra_quads_become_graphs_of_the_export(quads: list[ox.Quad], tmp_path: Path) -> None:
    void = GRAPH_NS + "void"
    extra = ox.Quad(
        ox.NamedNode(GRAPH_NS),
        ox.NamedNode(RDFS_NS + "label"),
        ox.Literal("ictkg", language="en"),
        ox.NamedNode(void),
    )
    result = export_dataset(quads, tmp_path / "out", ["nquads", "turtle"], extra_quads=[extra])
    assert [f.triples for f in result.files if f.graph == void] == [1, 1]
    got = _read(tmp_path / "out" / "graphs" / "void.ttl", "turtle")
    assert [q.triple for q in got] == [extra.triple]
    _assert_same_dataset(_read(tmp_path / "out" / "ictkg.nq", "nquads"), [*quads, extra])


# -- Determinism -------------------------------------------------------------------------------


def test_the_same_data_gives_the_same_bytes(
    exported: ExportResult, quads: list[ox.Quad], tmp_path: Path
) -> None:
    # The quads in another order, and another interpreter with another hash seed.
    again = export_dataset(list(reversed(quads)), tmp_path / "again")
    assert _snapshot(again.out_dir) == _snapshot(exported.out_dir)
    script = (
        "import sys; from pathlib import Path; from ictkg import Project;"
        "from ictkg.export.formats import export_dataset;"
        "export_dataset(Project(sys.argv[1]).quads(), Path(sys.argv[2]))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", script, str(root), str(tmp_path / "seeded")], check=True, env=env
    )
    assert _snapshot(tmp_path / "seeded") == _snapshot(exported.out_dir)


# -- JSON-LD -----------------------------------------------------------------------------------


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_jsonld_refers_to_the_local_context_and_uses_its_keys(exported: ExportResult) -> None:
    document = json.loads((exported.out_dir / "ictkg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == CONTEXT_FILE
    per_graph = json.loads((exported.out_dir / "graphs" / "wp2013.jsonld").read_bytes())
    assert per_graph["@context"] == "../" + CONTEXT_FILE
    context = json.loads((exported.out_dir / CONTEXT_FILE).read_bytes())["@context"]
    assert isinstance(context, dict)  # one local object, no remote or nested references
    assert "@import" not in context
    keys = _keys(document)
    assert {"label", "inSeries", "subject", "wasDerivedFrom"} <= keys
    assert not [k for k in keys if "://" in k]  # no key is a full IRI
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    meeting = next(
        node
        for graph in document["@graph"]
        for node in graph.get("@graph", [])
        if node.get("@id") == "meeting:jp-us-ied-4" and "label" in node
    )
    assert set(meeting["label"]) == {"en", "ja"}


def test_reading_jsonld_never_reaches_the_network(
    exported: ExportResult, quads: list[ox.Quad], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the JSON-LD reader tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    _assert_same_dataset(read_jsonld(exported.out_dir / "ictkg.jsonld"), quads)


def test_reading_jsonld_refuses_a_remote_context(exported: ExportResult, tmp_path: Path) -> None:
    document = json.loads((exported.out_dir / "ictkg.jsonld").read_bytes())
    document["@context"] = "https://example.org/context.jsonld"
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(LocalContextOnlyError, match="not the export's local"):
        read_jsonld(remote)


# -- CSV ---------------------------------------------------------------------------------------


def _csv(exported: ExportResult, name: str) -> list[dict[str, str]]:
    raw = (exported.out_dir / "csv" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    assert text.count("\r\n") >= text.count("\n") > 0  # every line ends in CRLF
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(quads)
    return store


def test_csv_meetings_hold_both_labels_of_a_meeting(
    exported: ExportResult, quads: list[ox.Quad]
) -> None:
    answer = list(
        _store(quads).query(
            f"""PREFIX rdfs: <{RDFS_NS}> PREFIX ictkg: <{ICTKG_NS}>
            SELECT ?m ?ja ?en ?series WHERE {{
              ?m a ictkg:Meeting ; ictkg:inSeries ?series ;
                 rdfs:label ?ja , ?en .
              FILTER(LANG(?ja) = "ja" && LANG(?en) = "en")
            }} ORDER BY ?m LIMIT 1""",
            use_default_graph_as_union=True,
        )
    )
    assert answer, "the data has a meeting of a series"
    row = answer[0]
    by_iri = {r["iri"]: r for r in _csv(exported, "meetings")}
    got = by_iri[row["m"].value]
    assert got["label_ja"] == row["ja"].value
    assert got["label_en"] == row["en"].value
    assert got["series"] == curie(row["series"].value)
    assert got["curie"] == curie(row["m"].value)


def test_csv_tables_have_a_row_per_instance_of_their_classes(
    exported: ExportResult, quads: list[ox.Quad]
) -> None:
    store = _store(quads)
    for table in CSV_TABLES:
        values = " ".join(f"<{c}>" for c in table.classes)
        answer = store.query(
            f"""SELECT DISTINCT ?x WHERE {{
              VALUES ?class {{ {values} }}
              GRAPH ?g {{ ?x a ?stated }}
              FILTER(?g != <{INFERRED_GRAPH_IRI}>)  # the classes the sources state
              {f"?stated <{RDFS_NS}subClassOf>* ?class ." if table.subclasses else ""}
              {"" if table.subclasses else "FILTER(?stated = ?class)"}
              FILTER(isIRI(?x))
            }}""",
            use_default_graph_as_union=True,
        )
        expected = sorted(solution["x"].value for solution in answer)
        rows = _csv(exported, table.name)
        assert [r["iri"] for r in rows] == expected, table.name
        assert expected, table.name
        assert all(r["label_en"] for r in rows), table.name
    topics = {r["curie"] for r in _csv(exported, "topics")}
    assert "topic:security" in topics
    assert not [t for t in topics if not t.startswith("topic:")]  # no controlled values


def test_csv_joins_several_values_with_a_bar(exported: ExportResult) -> None:
    parties = [r["parties"] for r in _csv(exported, "meetings") if " | " in r["parties"]]
    assert parties
    assert all(p.split(" | ") == sorted(p.split(" | ")) for p in parties)


# -- Failures ----------------------------------------------------------------------------------


def _failing(error: Exception) -> ExportFormat:
    def write(quads: object, path: Path, _ctx: object) -> None:
        path.write_bytes(b"half a file")
        raise error

    return ExportFormat("broken", "broken", "text/plain", True, write)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), RuntimeError("bug")])
def test_a_failure_halfway_leaves_the_old_export_intact(
    error: Exception, quads: list[ox.Quad], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export_dataset(quads, out, ["turtle", "csv"])
    before = _snapshot(out)
    expected = OutputError if isinstance(error, OSError) else RuntimeError
    with pytest.raises(expected):
        export_dataset(quads, out, ["nquads", _failing(error), "jsonld"])
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


def test_an_unknown_format_is_refused_before_writing(quads: list[ox.Quad], tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown export format 'owl'"):
        export_dataset(quads, tmp_path / "out", ["turtle", "owl"])
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_is_an_output_error(quads: list[ox.Quad], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        export_dataset(quads, blocker / "out", ["turtle"])
    assert caught.value.path == blocker / "out"


def test_project_export_defaults_to_build_export(tmp_project: ProjectPaths) -> None:
    messages: list[str] = []
    project = Project(tmp_project.root, progress=messages.append)
    result = project.export(formats=["ntriples"])
    assert result.out_dir == tmp_project.build_dir / "export"
    assert [f.path.name for f in result.files if f.graph is None] == ["ictkg.nt"]
    assert f"wrote {result.out_dir / 'ictkg.nt'}" in " ".join(messages)


def test_a_failed_swap_puts_the_old_export_back(
    quads: list[ox.Quad], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rename (new folder into place) fails: the old folder is renamed back."""
    out = tmp_path / "out"
    export_dataset(quads, out, ["ntriples"])
    before = _snapshot(out)
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.startswith(".out.tmp-"):
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match="Permission denied"):
        export_dataset(quads, out, ["turtle"])
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_that_holds_no_export_is_never_replaced(
    quads: list[ox.Quad], tmp_path: Path
) -> None:
    """``--out build`` or ``--out .`` must not wipe the folder: only an export is replaced."""
    precious = tmp_path / "build"
    precious.mkdir()
    (precious / "oxigraph").mkdir()
    (precious / "ictkg.trig").write_text("keep me", encoding="utf-8")
    before = _snapshot(precious)
    with pytest.raises(OutputError, match="holds no earlier export"):
        export_dataset(quads, precious, ["turtle"])
    assert _snapshot(precious) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    empty = tmp_path / "empty"
    empty.mkdir()
    export_dataset(quads, empty, ["turtle"])  # an empty folder is fine
    export_dataset(quads, empty, ["ntriples"])  # and so is an earlier export
    assert (empty / MARKER_FILE).is_file() and not (empty / "ictkg.ttl").exists()
