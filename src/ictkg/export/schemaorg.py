"""The schema.org view of the data, for consumers who know schema.org and not ictkg; where the
view is stored or published is left to the caller.

The view is generated, never written by hand: SPARQL CONSTRUCT queries kept in
``ictkg/export/views/schemaorg-*.rq`` run on an in-memory Oxigraph store holding the dataset
(default graph = union of the named graphs). ``schemaorg-types.rq`` runs first and derives the
types from the ontology's own ``rdfs:subClassOf`` alignment (plus a short table for the classes
the ontology aligns with W3C ORG and SKOS only); its result joins the store, so that the other
queries (``rdfs:subPropertyOf`` alignment, then a table of reused properties) find each resource
by its schema.org type. Every triple of the view goes into the graph
:data:`ictkg.namespaces.SCHEMAORG_GRAPH_IRI`.

Example::

    from ictkg import Project
    from ictkg.export.schemaorg import schema_view

    view = schema_view(Project().quads())   # sorted quads in graph:schemaorg
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import pyoxigraph as ox

from ictkg.export.dumps import sorted_quads
from ictkg.namespaces import SCHEMAORG_GRAPH_IRI, VOID_GRAPH_IRI

__all__ = ["VIEW_QUERIES", "schema_view", "view_query"]

VIEW_QUERIES: tuple[str, ...] = (
    "schemaorg-types.rq",
    "schemaorg-aligned.rq",
    "schemaorg-mapped.rq",
)
"""The view's CONSTRUCT queries, in the order they run (the types first)."""

_GENERATED = (SCHEMAORG_GRAPH_IRI, VOID_GRAPH_IRI)
"""Graphs generated from the data; an earlier view or description in the input is ignored."""


def view_query(name: str) -> str:
    """Return the text of one of the queries shipped in ``ictkg/export/views/``.

    >>> "CONSTRUCT" in view_query("schemaorg-types.rq")
    True
    """
    return resources.files("ictkg.export").joinpath("views", name).read_text(encoding="utf-8")


def source_store(quads: Iterable[ox.Quad], skip: Iterable[str] = _GENERATED) -> ox.Store:
    """Return an in-memory Oxigraph store holding the quads, minus the graphs named in ``skip``
    (by default both generated graphs)."""
    left_out = frozenset(skip)
    store = ox.Store()
    store.bulk_extend(
        q
        for q in quads
        if isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name.value not in left_out
    )
    return store


def schema_view(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the schema.org view of a dataset: quads in the schemaorg graph, sorted.

    Args:
        quads: the dataset (for example :meth:`ictkg.Project.quads`); quads already in the view
            or description graph are ignored, so the view depends on the data alone.

    Returns:
        The view's quads, each once, in the order the dumps use.
    """
    store = source_store(quads)
    graph = ox.NamedNode(SCHEMAORG_GRAPH_IRI)
    view: set[ox.Quad] = set()
    for name in VIEW_QUERIES:
        result = store.query(view_query(name), use_default_graph_as_union=True)
        new = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in result}  # type: ignore[union-attr]
        view |= new
        if name == VIEW_QUERIES[0]:
            store.bulk_extend(new)  # the later queries find resources by their schema.org type
    return sorted_quads(view)
