"""Build the RDF dataset from the project's sources: one named graph per source, plus passages.

Each input file goes into a named graph (ontology, reference, one per edition) and the generated
passages are added to their edition's graph. Validation, storing and writing files are left to
:mod:`ictkg.quality`, :mod:`ictkg.stores` and :mod:`ictkg.export`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ictkg.errors import MissingInputError
from ictkg.model.inferred import add_inferred_graph
from ictkg.model.passages import passages_for_edition
from ictkg.model.turtle import parse_turtle
from ictkg.paths import ProjectPaths
from ictkg.vocab import ONTOLOGY_GRAPH, REFERENCE_GRAPH, bind_namespaces, edition_graph

__all__ = [
    "GraphBuilder",
    "SourceFile",
    "build_dataset",
    "collect_sources",
    "load_shapes",
]

GraphBuilder = Callable[[Dataset, ProjectPaths], None]
"""A hook that adds generated graphs to the dataset after the sources are loaded."""


@dataclass(frozen=True)
class SourceFile:
    """One input Turtle file and the named graph its triples go to."""

    path: Path
    """The Turtle file."""
    graph: URIRef
    """The named graph that receives its triples."""


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
        MissingInputError: when the ontology file is missing.
    """
    if not paths.ontology_file.is_file():
        raise MissingInputError(
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
        extra_graph_builders: hooks run after the sources, in order, each
            ``(dataset, paths) -> None`` (e.g. the stored-query catalogue). The inferred graph
            (:mod:`ictkg.model.inferred`) is added last, from everything before it.

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
    add_inferred_graph(dataset)
    return dataset
