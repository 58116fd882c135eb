"""Tests for the model and the dumps: parse errors that point at the spot, sources, output
determinism and atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import RdfFormat
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ictkg.errors import InputError, MissingInputError, OutputError
from ictkg.export import dumps
from ictkg.export.dumps import write_build
from ictkg.model import dataset as model_dataset
from ictkg.model.dataset import SourceFile, build_dataset, collect_sources, load_shapes
from ictkg.model.terms import dataset_quads
from ictkg.model.turtle import parse_turtle
from ictkg.paths import ProjectPaths
from ictkg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, edition_graph

EX = "http://example.org/"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class TestParseTurtle:
    def test_parses_valid_file(self, tmp_path: Path) -> None:
        path = write(tmp_path / "ok.ttl", f'@prefix ex: <{EX}> .\nex:a ex:b "日本語"@ja .\n')
        graph = parse_turtle(path)
        assert (URIRef(EX + "a"), URIRef(EX + "b"), Literal("日本語", lang="ja")) in graph

    def test_missing_dot_names_file_line_and_column(self, tmp_path: Path) -> None:
        path = write(
            tmp_path / "bad.ttl",
            f"""\
            @prefix ex: <{EX}> .
            ex:a ex:b ex:c ;
                ex:d ex:e
            ex:f ex:g ex:h .
            """,
        )
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        error = info.value
        assert error.path == path
        assert (error.line, error.column) == (4, 1)
        assert "dot" in error.message
        assert error.hint and "' .'" in error.hint
        assert str(error).startswith(f"{path}:4:1: ")

    def test_unfinished_last_statement_hint(self, tmp_path: Path) -> None:
        path = write(tmp_path / "bad.ttl", f'@prefix ex: <{EX}> .\nex:a ex:b "x"@en\n')
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert info.value.line == 3
        assert info.value.hint and "end the last block with ' .'" in info.value.hint

    def test_column_counts_characters_not_bytes(self, tmp_path: Path) -> None:
        path = write(tmp_path / "bad.ttl", f'@prefix ex: <{EX}> .\nex:a ex:b "日本語", foo:c .\n')
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert (info.value.line, info.value.column) == (2, 18)
        assert "foo:" in info.value.message

    def test_undeclared_project_prefix_hint_gives_the_iri(self, tmp_path: Path) -> None:
        path = write(tmp_path / "bad.ttl", f"@prefix ex: <{EX}> .\nex:a ex:b xsd:c .\n")
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert info.value.hint == (
            "add '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .' at the top of the file"
        )

    def test_unterminated_string(self, tmp_path: Path) -> None:
        path = write(tmp_path / "bad.ttl", f'@prefix ex: <{EX}> .\nex:a ex:b "open .\n')
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert info.value.line == 2

    def test_relative_iri_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path / "bad.ttl", f"@prefix ex: <{EX}> .\nex:a ex:b <c> .\n")
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert (info.value.line, info.value.column) == (2, 11)

    def test_bad_utf8_names_the_byte(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.ttl"
        path.write_bytes(f'@prefix ex: <{EX}> .\nex:a ex:b "ab\xff" .\n'.encode("latin-1"))
        with pytest.raises(InputError) as info:
            parse_turtle(path)
        assert (info.value.line, info.value.column) == (2, 14)
        assert "UTF-8" in info.value.message

    def test_byte_order_mark_is_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "bom.ttl"
        path.write_bytes(b"\xef\xbb\xbf" + f"<{EX}a> <{EX}b> <{EX}c> .\n".encode())
        assert len(parse_turtle(path)) == 1

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(MissingInputError, match="cannot read"):
            parse_turtle(tmp_path / "nope.ttl")

    def test_the_file_is_parsed_once_and_keeps_its_prefixes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = write(tmp_path / "ok.ttl", f"@prefix ex: <{EX}> .\nex:a ex:b ex:c .\n")
        calls: list[object] = []
        real = pyoxigraph.parse

        def counting(*args: object, **kwargs: object) -> object:
            calls.append(args)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr("ictkg.model.turtle.pyoxigraph.parse", counting)
        monkeypatch.setattr(Graph, "parse", lambda *a, **k: pytest.fail("rdflib parsed it"))
        graph = parse_turtle(path)
        assert len(calls) == 1 and len(graph) == 1
        assert dict(graph.namespaces())["ex"] == URIRef(EX)


def test_collect_sources_maps_folders_to_graphs(mini_project: ProjectPaths) -> None:
    write(mini_project.data_dir / "wp2020" / "b.ttl", "")
    write(mini_project.data_dir / "wp2020" / "a.ttl", "")
    root = mini_project.root
    assert collect_sources(mini_project) == [
        SourceFile(root / "ontology/ictkg.ttl", ONTOLOGY_GRAPH),
        SourceFile(root / "data/reference/places.ttl", REFERENCE_GRAPH),
        SourceFile(root / "data/wp2020/a.ttl", edition_graph("wp2020")),
        SourceFile(root / "data/wp2020/b.ttl", edition_graph("wp2020")),
        SourceFile(root / "data/wp9999/meetings.ttl", edition_graph("wp9999")),
        SourceFile(root / "data/wp9999/source.ttl", edition_graph("wp9999")),
    ]


def test_collect_sources_needs_the_ontology(mini_project: ProjectPaths) -> None:
    mini_project.ontology_file.unlink()
    with pytest.raises(InputError, match="ontology file is missing"):
        collect_sources(mini_project)


def test_shapes_are_not_data(mini_project: ProjectPaths) -> None:
    dataset = build_dataset(mini_project)
    shapes = load_shapes(mini_project)
    sh_node_shape = URIRef("http://www.w3.org/ns/shacl#NodeShape")
    assert len(shapes) > 0
    assert not any(True for _ in dataset.quads((None, None, sh_node_shape, None)))


def test_build_dataset_fills_named_graphs(mini_project: ProjectPaths) -> None:
    dataset = build_dataset(mini_project)
    sizes = {g.identifier: len(g) for g in dataset.graphs() if len(g)}
    assert set(sizes) == {
        ONTOLOGY_GRAPH,
        REFERENCE_GRAPH,
        edition_graph("wp9999"),
        INFERRED_GRAPH,
    }
    assert dataset.default_union


def test_extra_graph_builders_run_last(mini_project: ProjectPaths) -> None:
    seen: list[int] = []

    def hook(dataset: Dataset, paths: ProjectPaths) -> None:
        seen.append(len(dataset))
        dataset.graph(URIRef(EX + "extra")).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(1)))

    dataset = build_dataset(mini_project, extra_graph_builders=[hook])
    assert seen and seen[0] > 0
    assert len(dataset.graph(URIRef(EX + "extra"))) == 1


def test_build_calls_passages_for_each_edition(
    mini_project: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[URIRef, Path]] = []

    def fake(graph: Graph, root: Path, folder: Path | None = None) -> Graph:
        calls.append((URIRef(graph.identifier), root))
        result = Graph()
        result.add((URIRef(EX + "passage"), URIRef(EX + "p"), Literal("x")))
        return result

    monkeypatch.setattr(model_dataset, "passages_for_edition", fake)
    dataset = build_dataset(mini_project)
    assert calls == [(edition_graph("wp9999"), mini_project.root)]
    assert (URIRef(EX + "passage"), None, None) in dataset.graph(edition_graph("wp9999"))


def _dataset_with_blank_nodes() -> list[pyoxigraph.Quad]:
    return list(dataset_quads(_rdflib_dataset_with_blank_nodes()))


def _rdflib_dataset_with_blank_nodes() -> Dataset:
    dataset = Dataset()
    for graph_name in ("g1", "g2"):
        graph = dataset.graph(URIRef(EX + graph_name))
        for i in range(5):
            node = BNode()
            graph.add((URIRef(EX + f"s{i}"), URIRef(EX + "selector"), node))
            graph.add((node, URIRef(EX + "start"), Literal(i)))
            graph.add((node, URIRef(EX + "text"), Literal(f"テキスト {i}\nline two", lang="ja")))
    return dataset


def test_write_build_writes_all_outputs(tmp_path: Path) -> None:
    dataset = _rdflib_dataset_with_blank_nodes()
    output = write_build(dataset_quads(dataset), tmp_path / "build")
    out = tmp_path / "build"
    assert output.files == tuple(
        sorted(
            [
                out / "graphs/http___example.org_g1.ttl",
                out / "graphs/http___example.org_g2.ttl",
                out / "ictkg.nq",
                out / "ictkg.trig",
            ]
        )
    )
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for fmt, name in (("trig", "ictkg.trig"), ("nquads", "ictkg.nq")):
        reread = Dataset()
        reread.parse(out / name, format=fmt)
        for graph_name in ("g1", "g2"):
            iri = URIRef(EX + graph_name)
            assert isomorphic(reread.graph(iri), dataset.graph(iri)), (fmt, graph_name)
    # The per-graph Turtle files hold each graph alone, prefixes declared, nothing else.
    for graph_name in ("g1", "g2"):
        turtle = Graph().parse(out / f"graphs/http___example.org_{graph_name}.ttl")
        assert isomorphic(turtle, dataset.graph(URIRef(EX + graph_name)))
    # Oxigraph (the embedded store and the integration server) must read the same files.
    for fmt, name in ((RdfFormat.TRIG, "ictkg.trig"), (RdfFormat.N_QUADS, "ictkg.nq")):
        assert len(list(pyoxigraph.parse(path=out / name, format=fmt))) == len(dataset)


def test_write_build_is_deterministic_in_process(tmp_path: Path) -> None:
    write_build(_dataset_with_blank_nodes(), tmp_path / "a")
    write_build(_dataset_with_blank_nodes(), tmp_path / "b")
    for name in ("ictkg.trig", "ictkg.nq", "graphs/http___example.org_g1.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_write_build_is_deterministic_across_processes(
    tmp_path: Path, mini_project: ProjectPaths
) -> None:
    # Hash seeds change set and dict iteration order between processes; output must not.
    script = (
        "import sys; from pathlib import Path; from ictkg.model.dataset import build_dataset;"
        "from ictkg.export.dumps import write_build; from ictkg.model.terms import dataset_quads;"
        "from ictkg.paths import ProjectPaths;"
        "paths = ProjectPaths(Path(sys.argv[1]));"
        "write_build(dataset_quads(build_dataset(paths)), Path(sys.argv[2]))"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script, str(mini_project.root), str(out)], check=True, env=env
        )
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    assert sorted(map(str, outputs[0])) == [
        "graphs/inferred.ttl",
        "graphs/ontology.ttl",
        "graphs/reference.ttl",
        "graphs/wp9999.ttl",
        "ictkg.nq",
        "ictkg.trig",
    ]


def test_failed_write_leaves_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_build(_dataset_with_blank_nodes(), out)
    (out / "other.txt").write_text("kept")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    original = pyoxigraph.serialize

    def broken(quads: object, output: object, fmt: object, **kwargs: object) -> None:
        if fmt == pyoxigraph.RdfFormat.N_QUADS:  # the last file: everything else is written
            raise OSError(28, "No space left on device")
        original(quads, output, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dumps.ox, "serialize", broken)
    changed = Dataset()
    changed.graph(URIRef(EX + "g1")).add((URIRef(EX + "new"), URIRef(EX + "p"), Literal(1)))
    changed.graph(URIRef(EX + "g2")).add((URIRef(EX + "new"), URIRef(EX + "p"), Literal(2)))
    with pytest.raises(OutputError, match="No space left"):
        write_build(dataset_quads(changed), out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_real_project_builds_every_graph(built_dataset: Dataset) -> None:
    """The repository's own data parses into its four named graphs, plus the inferred one."""
    names = {str(g.identifier).rsplit("/", 1)[1] for g in built_dataset.graphs() if len(g)}
    assert names == {"ontology", "reference", "wp2013", "sparql-examples", "inferred"}
    assert len(built_dataset.graph(ONTOLOGY_GRAPH)) > 0
