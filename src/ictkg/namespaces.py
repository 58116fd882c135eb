"""Every namespace and fixed IRI ictkg uses, declared once; other modules import from here.

The instance namespace follows DESIGN.md: ``<BASE>id/<kind>/<slug>``, one prefix per kind so that
Turtle files can write ``meeting:jp-us-ied-4`` instead of escaping slashes.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)

BASE = "https://w3id.org/ictkg/"
"""The one persistent base every ictkg IRI hangs from (a w3id.org redirect we can repoint)."""

ICTKG = Namespace(BASE + "ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
DCT = DCTERMS
SCHEMA = SDO

ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

INSTANCE_KINDS: tuple[str, ...] = (
    "country",
    "organization",
    "person",
    "post",
    "place",
    "series",
    "meeting",
    "initiative",
    "document",
    "outcome",
    "topic",
    "scheme",
    "source",
    "passage",
    "query",
)
"""Kinds of instance IRI; each gets a Turtle prefix of the same name (``meeting:`` …)."""

KIND: dict[str, Namespace] = {kind: Namespace(f"{BASE}id/{kind}/") for kind in INSTANCE_KINDS}

ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
REFERENCE_GRAPH = URIRef(GRAPH + "reference")
QUERY_CATALOGUE_GRAPH = URIRef(GRAPH + "queries")


def edition_graph(edition: str) -> URIRef:
    """Return the named graph IRI holding what one white-paper edition states.

    Args:
        edition: the edition slug, e.g. ``"wp2013"``.

    Returns:
        The graph IRI.

    >>> str(edition_graph("wp2013"))
    'https://w3id.org/ictkg/graph/wp2013'
    """
    return URIRef(GRAPH + edition)


PREFIXES: dict[str, str] = {
    "ictkg": str(ICTKG),
    **{kind: str(ns) for kind, ns in KIND.items()},
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SDO),
    "time": str(TIME),
    "oa": str(OA),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sh": str(SH),
    "wd": str(WD),
}
"""Prefix -> namespace IRI, the single table used by parsers, serialisers, queries and the CLI."""


def bind_namespaces(graph: Graph) -> Graph:
    """Bind every ictkg prefix on ``graph`` (replacing rdflib's defaults) and return it.

    Args:
        graph: any rdflib Graph or Dataset.

    Returns:
        The same graph, for chaining.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every ictkg prefix, for queries that want them all."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
