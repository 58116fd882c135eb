"""Parse the project's Turtle files into one RDF dataset and write it out; validation is elsewhere.

Each input file goes into a named graph (ontology, reference, one per edition), generated
passages are added to their edition's graph, and :func:`write_build` serialises the dataset to
``build/`` deterministically.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ictkg.errors import InputError
from ictkg.namespaces import (
    GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REFERENCE_GRAPH,
    bind_namespaces,
    edition_graph,
)
from ictkg.passages import passages_for_edition
from ictkg.paths import ProjectPaths

__all__ = [
    "BuildOutput",
    "GraphBuilder",
    "SourceFile",
    "build_dataset",
    "collect_sources",
    "graph_file_name",
    "input_fingerprint",
    "load_shapes",
    "parse_turtle",
    "write_build",
]

GraphBuilder = Callable[[Dataset, ProjectPaths], None]
"""A hook that adds generated graphs to the dataset after the sources are loaded."""

_OXI_POSITION = re.compile(r"^Parser error (?:at|between) [^:]*: ", re.DOTALL)
"""The position prefix of pyoxigraph's messages; we report the position ourselves."""

_UNDECLARED_PREFIX = re.compile(r"The prefix (?P<prefix>[^\s:]*): has not been declared")


@dataclass(frozen=True)
class SourceFile:
    """One input Turtle file and the named graph its triples go to."""

    path: Path
    """The Turtle file."""
    graph: URIRef
    """The named graph that receives its triples."""


@dataclass(frozen=True)
class BuildOutput:
    """What :func:`write_build` wrote."""

    out_dir: Path
    """The build folder."""
    files: tuple[Path, ...]
    """Every file written, sorted."""
    triple_counts: tuple[tuple[URIRef, int], ...]
    """Triples per named graph, sorted by graph IRI."""


def _hint_for(message: str) -> str:
    """Suggest a fix for one of the Turtle parser's messages."""
    match = _UNDECLARED_PREFIX.search(message)
    if match:
        prefix = match["prefix"]
        if prefix in PREFIXES:
            return f"add '@prefix {prefix}: <{PREFIXES[prefix]}> .' at the top of the file"
        return (
            f"declare '@prefix {prefix}: <...> .' or fix the spelling; the project's prefixes "
            f"are: {', '.join(sorted(PREFIXES))}"
        )
    if "dot is expected" in message:
        return (
            "the statement before this point is not finished: end it with ' .' "
            "(or ' ;' to add another property of the same subject)"
        )
    if "end of file" in message.lower():
        return "a string, IRI or bracket opened near here is never closed"
    if message.strip().lower() == "unexpected end":
        return (
            "the file ends in the middle of a statement: end the last block with ' .' "
            "(and check that every string and bracket is closed)"
        )
    if "absolute IRI" in message or "No scheme" in message:
        return (
            "write a full IRI such as <https://...> or a prefixed name; relative IRIs are refused"
        )
    return "fix the Turtle syntax here (https://www.w3.org/TR/turtle/)"


def _decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 (dropping a byte-order mark), naming the position of a bad byte."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(
            path,
            f"not valid UTF-8 ({exc.reason})",
            line=data.count(b"\n", 0, exc.start) + 1,
            column=column,
            hint="save the file as UTF-8",
        ) from exc


def _check_syntax(path: Path, text: str) -> None:
    """Parse with pyoxigraph, whose errors carry exact line and column, and raise InputError."""
    try:
        # No base IRI on purpose: a relative IRI in the data is a mistake, not a file path.
        for _ in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        message = _OXI_POSITION.sub("", exc.msg or str(exc))
        raise InputError(
            path,
            message,
            line=exc.lineno,
            column=exc.offset,
            hint=_hint_for(message),
        ) from exc


def parse_turtle(path: Path | str) -> Graph:
    """Parse one Turtle file into a new graph, without touching the network.

    The text is first checked by pyoxigraph, whose syntax errors give the exact line and
    column, then parsed by rdflib so the triples are ordinary rdflib terms.

    Args:
        path: the Turtle file.

    Returns:
        A graph holding the file's triples (prefixes as declared in the file).

    Raises:
        InputError: when the file is missing, not UTF-8, or not valid Turtle; the error names the
            file, line and column and suggests a fix.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            path, f"cannot read file: {exc.strerror or exc}", hint="check the path"
        ) from exc
    text = _decode(path, data)
    _check_syntax(path, text)
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        # Only reached where rdflib is stricter than pyoxigraph; work out the column ourselves.
        index: int = getattr(exc, "_i", 0)
        source: str | bytes = getattr(exc, "_str", "")
        if isinstance(source, bytes):
            source = source.decode("utf-8", errors="replace")
        column = index - source.rfind("\n", 0, index) if source else None
        why = str(getattr(exc, "_why", exc))
        raise InputError(path, why, line=exc.lines + 1, column=column, hint=_hint_for(why)) from exc
    return graph


def collect_sources(paths: ProjectPaths) -> list[SourceFile]:
    """List the data files and the named graph each one belongs to.

    ``ontology/ictkg.ttl`` goes to the ontology graph, ``data/reference/*.ttl`` to the reference
    graph and ``data/<edition>/*.ttl`` to that edition's graph. Shapes are not data; see
    :func:`load_shapes`.

    Args:
        paths: the project layout.

    Returns:
        The sources, ontology first, then reference, then editions, each sorted by file name.

    Raises:
        InputError: when the ontology file is missing.
    """
    if not paths.ontology_file.is_file():
        raise InputError(
            paths.ontology_file,
            "the ontology file is missing",
            hint="every build needs the vocabulary in ontology/ictkg.ttl",
        )
    sources = [SourceFile(paths.ontology_file, ONTOLOGY_GRAPH)]
    if paths.reference_dir.is_dir():
        sources += [
            SourceFile(p, REFERENCE_GRAPH) for p in sorted(paths.reference_dir.glob("*.ttl"))
        ]
    if paths.data_dir.is_dir():
        for folder in paths.edition_dirs():
            graph = edition_graph(folder.name)
            sources += [SourceFile(p, graph) for p in sorted(folder.glob("*.ttl"))]
    return sources


def load_shapes(paths: ProjectPaths) -> Graph:
    """Parse every ``ontology/shapes/*.ttl`` file into one shapes graph.

    Args:
        paths: the project layout.

    Returns:
        The merged shapes graph, with the project prefixes bound (empty if there are no shapes).

    Raises:
        InputError: when a shapes file does not parse.
    """
    shapes = Graph()
    if paths.shapes_dir.is_dir():
        for path in sorted(paths.shapes_dir.glob("*.ttl")):
            parsed = parse_turtle(path)
            shapes += parsed
            # Keep the files' own prefixes (e.g. for shape IRIs) so reports can show CURIEs.
            for prefix, namespace in parsed.namespaces():
                if prefix:
                    shapes.bind(prefix, namespace, override=False)
    return bind_namespaces(shapes)


def build_dataset(
    paths: ProjectPaths, *, extra_graph_builders: Sequence[GraphBuilder] = ()
) -> Dataset:
    """Parse every source into its named graph and add the generated passages.

    Args:
        paths: the project layout.
        extra_graph_builders: hooks run last, in order, each ``(dataset, paths) -> None``
            (e.g. the stored-query catalogue).

    Returns:
        A dataset whose default graph is the union of its named graphs.

    Raises:
        InputError: when a source file is missing or malformed.
    """
    dataset = Dataset(default_union=True)
    bind_namespaces(dataset)
    editions: list[URIRef] = []
    for source in collect_sources(paths):
        target = dataset.graph(source.graph)
        target += parse_turtle(source.path)
        if source.graph not in (ONTOLOGY_GRAPH, REFERENCE_GRAPH) and source.graph not in editions:
            editions.append(source.graph)
    for iri in editions:
        target = dataset.graph(iri)
        target += passages_for_edition(target, paths.root)
    for builder in extra_graph_builders:
        builder(dataset, paths)
    return dataset


def input_fingerprint(paths: ProjectPaths) -> str:
    """Return a SHA-256 over every input file's path and bytes, to tell a stale build.

    Args:
        paths: the project layout.

    Returns:
        The hex digest; it changes when any input is added, removed or edited.
    """
    digest = hashlib.sha256()
    for path in paths.input_files():
        digest.update(path.relative_to(paths.root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def graph_file_name(graph: URIRef) -> str:
    """Return the file stem for a named graph's dump: its path below the graph namespace.

    >>> graph_file_name(edition_graph("wp2013"))
    'wp2013'
    >>> graph_file_name(URIRef("urn:example:g/1"))
    'urn_example_g_1'
    """
    name = graph[len(GRAPH) :] if graph.startswith(GRAPH) else str(graph)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "default"


def _canonical(graph: Graph, label: str) -> Graph:
    """Copy ``graph`` with blank nodes renamed by content, so the dumps do not vary per run."""
    result = bind_namespaces(Graph())
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        result += graph
        return result

    def rename(term: Node) -> Node:
        # Prefix with the graph name: canonical ids are per graph, and one dataset file must not
        # merge two graphs' blank nodes.
        return BNode(f"{label}_{term}") if isinstance(term, BNode) else term

    for s, p, o in to_canonical_graph(graph):
        result.add((rename(s), rename(p), rename(o)))
    return result


def _body(turtle: str) -> str:
    """Strip the prefix lines that start a Turtle document, keeping the statements."""
    lines = turtle.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (
        lines[start].startswith(("PREFIX ", "@prefix ")) or not lines[start].strip()
    ):
        start += 1
    return "".join(lines[start:])


def _prefix_lines(turtle: str) -> str:
    """Return the prefix lines that start a Turtle document."""
    lines = []
    for line in turtle.splitlines(keepends=True):
        if line.startswith(("PREFIX ", "@prefix ")):
            lines.append(line)
        elif line.strip():
            break
    return "".join(lines)


def _nquads(graph: Graph, name: URIRef | None) -> list[str]:
    """Return ``graph`` as N-Quads lines (N-Triples lines when ``name`` is None)."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    suffix = f" <{name}> .\n" if name is not None else " .\n"
    return [line[: -len(" .")] + suffix for line in text.splitlines() if line.strip()]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_build(dataset: Dataset, out_dir: Path) -> BuildOutput:
    """Write the dataset as ``ictkg.trig``, ``ictkg.nq`` and ``graphs/<name>.ttl`` per graph.

    Output is deterministic: graphs are sorted by IRI, Turtle comes from rdflib's sorted
    ``longturtle`` serialiser, blank nodes get content-derived ids and N-Quads lines are sorted.
    Everything is written to a temporary folder inside ``out_dir`` first and moved into place
    only when complete, so a failure part-way leaves the previous build as it was. Other files
    in ``out_dir`` are left alone.

    Args:
        dataset: the built dataset.
        out_dir: the build folder (created if needed).

    Returns:
        What was written.
    """
    graphs: list[tuple[URIRef, Graph]] = []
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        graphs.append((URIRef(graph.identifier), graph))
    graphs.sort(key=lambda item: str(item[0]))

    out_dir.mkdir(parents=True, exist_ok=True)
    # Inside out_dir: same file system (so renames are atomic) and already git-ignored.
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        trig_parts: list[str] = []
        quads: list[str] = []
        written: list[Path] = []
        counts: list[tuple[URIRef, int]] = []
        for iri, graph in graphs:
            is_default = iri == DATASET_DEFAULT_GRAPH_ID
            name = "default" if is_default else graph_file_name(iri)
            canonical = _canonical(graph, name.replace(".", "_").replace("-", "_"))
            turtle = canonical.serialize(format="longturtle")
            _write(tmp / "graphs" / f"{name}.ttl", turtle)
            written.append(out_dir / "graphs" / f"{name}.ttl")
            # TriG allows prefix directives between graph blocks, so each block keeps its own.
            label = "" if is_default else f"<{iri}> "
            trig_parts.append(f"{_prefix_lines(turtle)}\n{label}{{\n{_body(turtle)}}}\n")
            quads += _nquads(canonical, None if is_default else iri)
            counts.append((iri, len(graph)))
        _write(tmp / "ictkg.trig", "\n".join(trig_parts))
        _write(tmp / "ictkg.nq", "".join(sorted(quads)))

        # All written: now swap into place.
        old_graphs = tmp / "graphs.old"
        if (out_dir / "graphs").exists():
            os.replace(out_dir / "graphs", old_graphs)
        if (tmp / "graphs").exists():
            os.replace(tmp / "graphs", out_dir / "graphs")
        for name in ("ictkg.trig", "ictkg.nq"):
            os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    files = sorted([*written, out_dir / "ictkg.trig", out_dir / "ictkg.nq"])
    return BuildOutput(out_dir=out_dir, files=tuple(files), triple_counts=tuple(counts))
