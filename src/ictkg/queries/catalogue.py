"""Describe the stored queries in RDF, as ``sh:SPARQLExecutable`` resources (sparql-examples).

The catalogue is a named graph of the built dataset, so a triple store holding the graph also
documents how to query it. Reading the query files is left to :mod:`ictkg.queries.files`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from ictkg.paths import ProjectPaths
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.vocab import DCT, ICTKG, KIND, QUERY_CATALOGUE_GRAPH, SCHEMA, bind_namespaces

__all__ = ["add_catalogue", "catalogue_graph"]


def catalogue_graph(queries: Sequence[StoredQuery], root: Path | None = None) -> Graph:
    """Describe the stored queries as ``sh:SPARQLSelectExecutable`` resources.

    Args:
        queries: the stored queries.
        root: the project root, so file paths are written relative to it.

    Returns:
        A graph with, per query, its type, ``sh:select`` text (header removed), label,
        comment, keywords, identifier and file path (``ictkg:localPath``).
    """
    graph = bind_namespaces(Graph())
    for query in queries:
        node = KIND["query"][query.id]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, SH.select, Literal(query.body)))
        graph.add((node, RDFS.label, Literal(query.summary, lang="en")))
        if query.description:
            graph.add((node, RDFS.comment, Literal(query.description, lang="en")))
        for tag in query.tags:
            graph.add((node, SCHEMA.keywords, Literal(tag)))
        graph.add((node, DCT.identifier, Literal(query.id)))
        path = query.path
        if root is not None:
            with contextlib.suppress(ValueError):  # outside the root: keep the path as given
                path = query.path.resolve().relative_to(root.resolve())
        graph.add((node, ICTKG.localPath, Literal(path.as_posix())))
    return graph


def add_catalogue(
    dataset: Dataset, paths: ProjectPaths, queries: Sequence[StoredQuery] | None = None
) -> None:
    """Add the stored-query catalogue to its own named graph (a ``build_dataset`` hook).

    Args:
        dataset: the dataset being built.
        paths: the project layout (for ``queries/``).
        queries: the stored queries, when already loaded (else they are read, syntax checked).

    Raises:
        InputError: when a stored query is invalid.
    """
    if queries is None:
        queries = load_queries(paths.queries_dir, syntax=True)
    target = dataset.graph(QUERY_CATALOGUE_GRAPH)
    target += catalogue_graph(queries, paths.root)
