"""rdflib ``Namespace`` objects and graph IRIs, built from the table in :mod:`ictkg.namespaces`.

For modules that work with rdflib graphs (the model, SHACL, coverage). Nothing here declares an
IRI of its own: every value comes from :data:`ictkg.namespaces.PREFIXES`, so a prefix is declared
once. Fast paths that must not import rdflib use :mod:`ictkg.namespaces` directly.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, SDO

from ictkg import namespaces as ns

BASE = ns.BASE
ICTKG = Namespace(ns.ICTKG_NS)
OA = Namespace(ns.OA_NS)
WD = Namespace(ns.WD_NS)
DCT = DCTERMS
SCHEMA = SDO
ID = Namespace(ns.ID_NS)
GRAPH = Namespace(ns.GRAPH_NS)

KIND: dict[str, Namespace] = {
    kind: Namespace(ns.kind_namespace(kind)) for kind in ns.INSTANCE_KINDS
}
"""Instance namespace per kind: ``KIND["meeting"]["jp-us-ied-4"]``."""

ONTOLOGY_GRAPH = URIRef(ns.ONTOLOGY_GRAPH_IRI)
REFERENCE_GRAPH = URIRef(ns.REFERENCE_GRAPH_IRI)
QUERY_CATALOGUE_GRAPH = URIRef(ns.QUERY_CATALOGUE_GRAPH_IRI)
INFERRED_GRAPH = URIRef(ns.INFERRED_GRAPH_IRI)


def edition_graph(edition: str) -> URIRef:
    """Return the named graph IRI holding what one white-paper edition states.

    Args:
        edition: the edition slug, e.g. ``"wp2013"``.

    Returns:
        The graph IRI.

    >>> str(edition_graph("wp2013"))
    'https://w3id.org/ictkg/graph/wp2013'
    """
    return URIRef(ns.edition_graph_iri(edition))


def bind_namespaces(graph: Graph) -> Graph:
    """Bind every ictkg prefix on ``graph`` (replacing rdflib's defaults) and return it.

    Args:
        graph: any rdflib Graph or Dataset.

    Returns:
        The same graph, for chaining.
    """
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
