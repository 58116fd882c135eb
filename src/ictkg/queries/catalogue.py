"""Describe the stored queries in RDF, as ``sh:SPARQLExecutable`` resources (sparql-examples).

The catalogue is a named graph of the built dataset, ``<https://w3id.org/ictkg/.well-known/
sparql-examples>`` (where the sparql-examples convention puts a dataset's examples), so a triple
store holding the graph also documents how to query it. Reading the query files is left to
:mod:`ictkg.queries.files`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from ictkg.namespaces import DATASET_IRI, PREFIXES, QUERY_CATALOGUE_GRAPH_IRI
from ictkg.paths import ProjectPaths
from ictkg.queries.files import StoredQuery, load_queries
from ictkg.queries.parameters import QueryParameter
from ictkg.vocab import DCT, ICTKG, KIND, QUERY_CATALOGUE_GRAPH, SCHEMA, bind_namespaces

__all__ = ["PREFIX_DECLARATIONS", "add_catalogue", "catalogue_graph"]

PREFIX_DECLARATIONS = URIRef(QUERY_CATALOGUE_GRAPH_IRI + "/prefixes")
"""The ``sh:prefixes`` resource every query points to: one ``sh:declare`` per project prefix."""

_DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)


def _any_of(graph: Graph, node: URIRef, key: URIRef, values: Sequence[URIRef]) -> None:
    """``key value`` for one value, ``sh:or ( [key v1] [key v2] … )`` for several. The list and
    its members are IRIs below ``node`` (``…/or/1``, ``…/kind/1``): the catalogue has no blank
    nodes, so every export format, JSON-LD included, round-trips it exactly."""
    if len(values) == 1:
        graph.add((node, key, values[0]))
        return
    cells = [URIRef(f"{node}/or/{i}") for i in range(1, len(values) + 1)]
    graph.add((node, SH["or"], cells[0]))
    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        member = URIRef(f"{node}/kind/{i + 1}")
        graph.add((member, RDF.type, SH.NodeShape))  # one alternative a value may conform to
        graph.add((member, key, value))
        graph.add((cell, RDF.type, RDF.List))
        graph.add((cell, RDF.first, member))
        graph.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))


def _describe_parameter(graph: Graph, query: URIRef, param: QueryParameter) -> None:
    node = URIRef(f"{query}/parameter/{param.name}")
    graph.add((query, SH.parameter, node))
    graph.add((node, RDF.type, SH.Parameter))
    graph.add((node, SH.name, Literal(param.name)))
    graph.add((node, ICTKG.variable, Literal(param.variable)))
    graph.add((node, SH.optional, Literal(not param.required)))
    if param.description:
        graph.add((node, SH.description, Literal(param.description, lang="en")))
    if param.example is not None:
        graph.add((node, SKOS.example, Literal(param.example)))
    if param.type == "iri":
        graph.add((node, SH.nodeKind, SH.IRI))
        if param.classes:
            _any_of(graph, node, SH["class"], [URIRef(c) for c in param.classes])
    elif param.type == "string":
        graph.add((node, SH.datatype, RDF.langString if param.lang else XSD.string))
    elif param.type == "integer":
        graph.add((node, SH.datatype, XSD.integer))
    elif param.type == "date":
        _any_of(graph, node, SH.datatype, list(_DATE_TYPES))


def _describe_prefixes(graph: Graph) -> None:
    graph.add((PREFIX_DECLARATIONS, RDF.type, OWL.Ontology))
    for prefix, namespace in sorted(PREFIXES.items()):
        declaration = URIRef(f"{PREFIX_DECLARATIONS}/{prefix}")
        graph.add((PREFIX_DECLARATIONS, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))


def catalogue_graph(queries: Sequence[StoredQuery], root: Path | None = None) -> Graph:
    """Describe the stored queries as sparql-examples do (SIB's convention, which its tools and
    the SPARQL editors that read it expect), plus their parameters.

    Per query: ``sh:SPARQLExecutable`` and ``sh:SPARQLSelectExecutable``, the ``sh:select``
    text (header removed, its own PREFIX lines kept), the question as ``rdfs:comment`` and
    ``rdfs:label`` in English and Japanese (the Japanese is the project's translation, see
    ``ictkg:japaneseLabelStatus``), the description (``dct:description``), the tags
    (``schema:keywords``), ``schema:target`` (the ictkg dataset: each user serves it from an
    endpoint of their own), ``sh:prefixes`` (:data:`PREFIX_DECLARATIONS`), the id and file, and
    one ``sh:parameter`` per declared parameter: ``sh:name``, ``ictkg:variable`` (the grlc
    variable), ``sh:optional``, ``sh:description``, ``skos:example`` and the kind of value
    (``sh:nodeKind sh:IRI`` with ``sh:class``, or ``sh:datatype``; several as ``sh:or``).

    Args:
        queries: the stored queries.
        root: the project root, so file paths are written relative to it.

    Returns:
        The catalogue graph.
    """
    graph = bind_namespaces(Graph())
    if queries:  # no stored queries, no catalogue graph
        _describe_prefixes(graph)
    for query in queries:
        node = KIND["query"][query.id]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, SH.select, Literal(query.body)))
        graph.add((node, SH.prefixes, PREFIX_DECLARATIONS))
        graph.add((node, SCHEMA.target, URIRef(DATASET_IRI)))
        for text, lang in ((query.summary, "en"), (query.summary_ja, "ja")):
            if text:
                graph.add((node, RDFS.label, Literal(text, lang=lang)))
                graph.add((node, RDFS.comment, Literal(text, lang=lang)))
        if query.summary_ja:
            graph.add((node, ICTKG.japaneseLabelStatus, ICTKG.ProjectWording))
        if query.description:
            graph.add((node, DCT.description, Literal(query.description, lang="en")))
        for tag in query.tags:
            graph.add((node, SCHEMA.keywords, Literal(tag)))
        graph.add((node, DCT.identifier, Literal(query.id)))
        path = query.path
        if root is not None:
            with contextlib.suppress(ValueError):  # outside the root: keep the path as given
                path = query.path.resolve().relative_to(root.resolve())
        graph.add((node, ICTKG.localPath, Literal(path.as_posix())))
        for param in query.parameters.values():
            _describe_parameter(graph, node, param)
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
