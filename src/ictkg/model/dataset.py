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
from rdflib.namespace import RDF

from ictkg.errors import InputError, MissingInputError
from ictkg.model.inferred import add_inferred_graph
from ictkg.model.passages import passages_for_edition
from ictkg.model.turtle import parse_turtle
from ictkg.namespaces import curie
from ictkg.paths import ProjectPaths, check_input_file
from ictkg.vocab import (
    ICTKG,
    KIND,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    bind_namespaces,
    edition_graph,
)

__all__ = [
    "GraphBuilder",
    "SourceFile",
    "SOURCE_CLASSES",
    "build_dataset",
    "check_source_folder",
    "collect_sources",
    "load_shapes",
]

SOURCE_CLASSES: tuple[URIRef, ...] = (ICTKG.Source, ICTKG.SourceText, ICTKG.SourceDocument)
"""The classes that make a resource a source (the ontology's ``ictkg:Source`` and its kinds)."""

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
        _refuse_unread_rdf(paths)
    for source in sources:
        check_input_file(source.path, "Turtle file", root=paths.root)
    return sources


RDF_SUFFIXES = frozenset(
    {".ttl", ".nt", ".nq", ".trig", ".n3", ".rdf", ".owl", ".xml", ".jsonld", ".json"}
)
"""File endings of RDF syntaxes: under ``data/``, the build reads ``*.ttl`` only."""


def _refuse_unread_rdf(paths: ProjectPaths) -> None:
    """An RDF file the build would silently skip (``.TTL``, ``.jsonld``, ``.rdf`` …, or a Turtle
    file in a folder the build does not read) is an error, not a surprise in the answers."""
    read = {paths.reference_dir, *paths.edition_dirs()}
    for path in sorted(paths.data_dir.rglob("*")):
        if path.suffix.lower() not in RDF_SUFFIXES or path.is_dir():
            continue
        if path.suffix == ".ttl" and path.parent in read:
            continue
        where = path.parent.relative_to(paths.data_dir).as_posix()
        folder = "data/" if where == "." else f"data/{where}/"
        raise InputError(
            path,
            f"the build does not read this file ({path.suffix} in {folder}): only *.ttl "
            "files directly in data/reference/ or data/<source>/ are data",
            hint="convert it to Turtle and name it *.ttl (lower case) in its source folder, or "
            "move it out of data/",
        )


def check_source_folder(folder: Path, graph: Graph) -> URIRef:
    """Check that one source folder describes exactly one source, named after the folder.

    ``data/<slug>/*.ttl`` is one graph, ``graph:<slug>``, and states what one source says, so
    "which source says what" is one ``GRAPH`` pattern. The folder must therefore type exactly one
    resource ``ictkg:SourceText`` or ``ictkg:SourceDocument``: ``source:<slug>`` with
    ``ictkg:edition "<slug>"``.

    Args:
        folder: the ``data/<slug>/`` folder.
        graph: what its Turtle files state.

    Returns:
        The source's IRI.

    Raises:
        InputError: when the folder describes no source, two or more, or one whose IRI or
            ``ictkg:edition`` is not the folder's name; the message names the folder and the fix.
    """
    slug = folder.name
    expected = KIND["source"][slug]
    found = sorted(
        {URIRef(str(s)) for c in SOURCE_CLASSES for s in graph.subjects(RDF.type, c)}, key=str
    )
    where = f"{folder.parent.name}/{slug}/"
    if not found:
        raise InputError(
            folder,
            f"{where} describes no source: every data folder states what one source says",
            hint=(
                f"add source:{slug} a ictkg:SourceText (a local text: ictkg:localPath, "
                f"ictkg:sha256) or ictkg:SourceDocument (schema:url, dct:publisher, dct:issued), "
                f'with ictkg:edition "{slug}", to a file in {where}'
            ),
        )
    if len(found) > 1:
        names = ", ".join(curie(str(s)) or f"<{s}>" for s in found)
        raise InputError(
            folder,
            f"{where} describes {len(found)} sources ({names}); a folder is one source's graph",
            hint=(
                f"keep source:{slug} here and move each other source, with the facts it states, "
                f"to a folder of its own, data/<its slug>/"
            ),
        )
    (source,) = found
    if source != expected:
        raise InputError(
            folder,
            f"{where} describes the source {curie(str(source)) or f'<{source}>'}, "
            f"but a folder's source is named after the folder",
            hint=f"call it source:{slug}, or rename the folder after the source's slug",
        )
    editions = sorted(str(o) for o in graph.objects(source, ICTKG.edition))
    if editions != [slug]:
        raise InputError(
            folder,
            f"source:{slug} in {where} has ictkg:edition {editions or 'none'}, expected {slug!r}",
            hint=f'give source:{slug} exactly one ictkg:edition "{slug}", the folder\'s name',
        )
    return source


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
            check_input_file(path, "shapes file", root=paths.root)
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
    editions: dict[URIRef, Path] = {}
    for source in collect_sources(paths):
        target = dataset.graph(source.graph)
        target += parse_turtle(source.path)
        if source.graph not in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
            editions.setdefault(source.graph, source.path.parent)
    for iri, folder in editions.items():
        target = dataset.graph(iri)
        check_source_folder(folder, target)
        target += passages_for_edition(target, paths.root, folder)
    for builder in extra_graph_builders:
        builder(dataset, paths)
    add_inferred_graph(dataset)
    return dataset
