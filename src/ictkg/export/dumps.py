"""Write the dataset as ``ictkg.trig``, ``ictkg.nq`` and ``graphs/<name>.ttl``, byte for byte
the same for the same input; building the dataset and loading stores are left to others.

pyoxigraph serialises every format; quads are sorted (graph, subject, ``rdf:type`` first, then
predicate and object) and blank nodes get canonical RDFC-1.0 labels, so the files depend only on
the data, never on hash seeds or parse order.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ictkg.errors import OutputError
from ictkg.namespaces import (
    PREFIXES,
    RDF_NS,
    graph_stem,
)

__all__ = [
    "BuildOutput",
    "graph_file_name",
    "sorted_quads",
    "used_prefixes",
    "write_build",
    "write_turtle",
]

_RDF_TYPE = RDF_NS + "type"


@dataclass(frozen=True)
class BuildOutput:
    """What :func:`write_build` wrote."""

    out_dir: Path
    """The build folder."""
    files: tuple[Path, ...]
    """Every file written, sorted."""
    triple_counts: tuple[tuple[str, int], ...]
    """Triples per named graph (``""`` for the default graph), sorted by graph IRI."""


def graph_file_name(graph: str) -> str:
    """Return the file stem for a named graph's dump: its path below the graph namespace.

    >>> graph_file_name("https://w3id.org/ictkg/graph/wp2013")
    'wp2013'
    >>> graph_file_name("urn:example:g/1")
    'urn_example_g_1'
    """
    stem = graph_stem(graph)
    name = graph if stem is None else stem
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "default"


def _graph_key(quad: ox.Quad) -> str:
    name = quad.graph_name
    return "" if isinstance(name, ox.DefaultGraph) else str(name.value)


def _sort_key(quad: ox.Quad) -> tuple[str, str, bool, str, str]:
    predicate = quad.predicate.value
    return (
        _graph_key(quad),
        str(quad.subject),
        predicate != _RDF_TYPE,
        predicate,
        str(quad.object),
    )


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the quads with canonical blank-node labels, in the order the dumps use."""
    dataset = ox.Dataset(quads)
    if any(isinstance(t, ox.BlankNode) for q in dataset for t in (q.subject, q.object)):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=_sort_key)


def used_prefixes(quads: Iterable[ox.Quad | ox.Triple]) -> dict[str, str]:
    """The project prefixes some IRI of ``quads`` (or triples; a datatype included) starts with,
    in :data:`~ictkg.namespaces.PREFIXES` order, so dumps and rendered graphs declare only those.

    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/ictkg/id/topic/iot"),
    ...               ox.NamedNode(RDF_NS + "type"), ox.NamedNode("http://x.example/C"))
    >>> sorted(used_prefixes([t]))
    ['rdf', 'topic']
    """
    iris: set[str] = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def write_build(quads: Iterable[ox.Quad], out_dir: Path) -> BuildOutput:
    """Write the dataset as ``ictkg.trig``, ``ictkg.nq`` and ``graphs/<name>.ttl`` per graph.

    Everything is written to a temporary folder inside ``out_dir`` first and moved into place
    only when complete, so a failure part-way leaves the previous build as it was. Other files
    in ``out_dir`` are left alone.

    Args:
        quads: the dataset's quads.
        out_dir: the build folder (created if needed).

    Returns:
        What was written.

    Raises:
        OutputError: when the folder cannot be created or written.
    """
    ordered = sorted_quads(quads)
    groups: dict[str, list[ox.Quad]] = {}
    for quad in ordered:
        groups.setdefault(_graph_key(quad), []).append(quad)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # Inside out_dir: same file system (so renames are atomic) and already git-ignored.
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    except OSError as exc:
        raise OutputError(
            out_dir, f"cannot create the build folder: {exc.strerror or exc}"
        ) from exc
    written: list[Path] = []
    counts: list[tuple[str, int]] = []
    try:
        (tmp / "graphs").mkdir()
        for graph, members in groups.items():
            name = graph_file_name(graph) if graph else "default"
            ox.serialize(
                [q.triple for q in members],
                tmp / "graphs" / f"{name}.ttl",
                ox.RdfFormat.TURTLE,
                prefixes=used_prefixes(members),
            )
            written.append(out_dir / "graphs" / f"{name}.ttl")
            counts.append((graph, len(members)))
        ox.serialize(
            ordered, tmp / "ictkg.trig", ox.RdfFormat.TRIG, prefixes=used_prefixes(ordered)
        )
        ox.serialize(ordered, tmp / "ictkg.nq", ox.RdfFormat.N_QUADS)

        # All written: now swap into place.
        old_graphs = tmp / "graphs.old"
        if (out_dir / "graphs").exists():
            os.replace(out_dir / "graphs", old_graphs)
        os.replace(tmp / "graphs", out_dir / "graphs")
        for name in ("ictkg.trig", "ictkg.nq"):
            os.replace(tmp / name, out_dir / name)
    except OSError as exc:
        raise OutputError(out_dir, f"cannot write the build: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    files = sorted([*written, out_dir / "ictkg.trig", out_dir / "ictkg.nq"])
    return BuildOutput(out_dir=out_dir, files=tuple(files), triple_counts=tuple(counts))


def write_turtle(quads: Iterable[ox.Quad], path: Path) -> Path:
    """Write one graph's quads as a Turtle file (sorted, project prefixes), replacing it whole.

    The file is written beside ``path`` first and renamed into place, so a failure leaves the
    previous file as it was.

    Raises:
        OutputError: when the file cannot be written.
    """
    ordered = sorted_quads(quads)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ox.serialize(
            [q.triple for q in ordered], tmp, ox.RdfFormat.TURTLE, prefixes=used_prefixes(ordered)
        )
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, f"cannot write it: {exc.strerror or exc}") from exc
    return path
