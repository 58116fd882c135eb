"""Every namespace and fixed IRI ictkg uses, declared once, as plain strings.

This module imports nothing outside the standard library, so that fast paths (``ictkg query`` on a
built store, ``ictkg --help``) need not load rdflib. :mod:`ictkg.vocab` builds rdflib
``Namespace`` objects from the same table for the modules that work with rdflib graphs.

The instance namespace follows DESIGN.md: ``<BASE>id/<kind>/<slug>``, one prefix per kind so that
Turtle files can write ``meeting:jp-us-ied-4`` instead of escaping slashes.
"""

from __future__ import annotations

import re

BASE = "https://w3id.org/ictkg/"
"""The one persistent base every ictkg IRI hangs from (a w3id.org redirect we can repoint)."""

ICTKG_NS = BASE + "ontology#"
"""Ontology terms: ``ictkg:Meeting`` …"""
ID_NS = BASE + "id/"
"""Instances: ``<ID_NS><kind>/<slug>``."""
GRAPH_NS = BASE + "graph/"
"""Named graphs."""
SHAPES_NS = BASE + "shapes#"
"""SHACL shapes: ``ictkgsh:Meeting-date`` …"""

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SH_NS = "http://www.w3.org/ns/shacl#"
OA_NS = "http://www.w3.org/ns/oa#"
WD_NS = "http://www.wikidata.org/entity/"

LABEL_LANGUAGES: tuple[str, ...] = ("en", "ja")
"""The languages the data has labels in (the shapes allow ``@en`` and ``@ja`` only): the choices
of ``--lang`` and the values a query's ``lang`` parameter accepts."""

INSTANCE_KINDS: tuple[str, ...] = (
    "country",
    "organization",
    "person",
    "post",
    "place",
    "series",
    "name",
    "meeting",
    "level",
    "initiative",
    "document",
    "outcome",
    "topic",
    "scheme",
    "region",
    "source",
    "passage",
    "excerpt",
    "query",
)
"""Kinds of instance IRI; each gets a Turtle prefix of the same name (``meeting:`` …)."""

ONTOLOGY_GRAPH_IRI = GRAPH_NS + "ontology"
REFERENCE_GRAPH_IRI = GRAPH_NS + "reference"
QUERY_CATALOGUE_GRAPH_IRI = BASE + ".well-known/sparql-examples"
"""The stored-query catalogue, where the sparql-examples convention puts a dataset's examples
(``<base>/.well-known/sparql-examples``); the one ictkg graph outside :data:`GRAPH_NS`."""
QUERY_CATALOGUE_FILE_STEM = "sparql-examples"
"""Its file name in ``build/graphs/`` and its subset name in the dataset description."""


def graph_stem(graph: str) -> str | None:
    """The short name of an ictkg graph (its path below :data:`GRAPH_NS`, or
    :data:`QUERY_CATALOGUE_FILE_STEM` for the catalogue), used for its dump file and its subset
    of the dataset description; None for any other graph.

    >>> graph_stem("https://w3id.org/ictkg/graph/wp2013"), graph_stem(QUERY_CATALOGUE_GRAPH_IRI)
    ('wp2013', 'sparql-examples')
    >>> graph_stem("urn:example:g") is None
    True
    """
    if graph == QUERY_CATALOGUE_GRAPH_IRI:
        return QUERY_CATALOGUE_FILE_STEM
    return graph[len(GRAPH_NS) :] if graph.startswith(GRAPH_NS) else None


INFERRED_GRAPH_IRI = GRAPH_NS + "inferred"
"""What the build infers so that queries need no reasoner and no property paths."""
SCHEMAORG_GRAPH_IRI = GRAPH_NS + "schemaorg"
"""The schema.org view of the data (:mod:`ictkg.export.schemaorg`), generated, not hand-written."""
VOID_GRAPH_IRI = GRAPH_NS + "void"
"""The VoID and DCAT description of the dataset (:mod:`ictkg.export.description`)."""

DATASET_IRI = BASE + "dataset"
"""The dataset as a whole (``dcat:Dataset``, ``void:Dataset``); its parts hang below it
(``<DATASET_IRI>/graph/wp2013``, ``/class/ictkg-Meeting``, ``/distribution/ictkg.trig``)."""

SCHEMA_NS = "https://schema.org/"
SD_NS = "http://www.w3.org/ns/sparql-service-description#"
"""SPARQL 1.1 Service Description (``sd:name`` of a graph subset); not in :data:`PREFIXES`,
whose table the query catalogue and the dumps declare."""


def kind_namespace(kind: str) -> str:
    """Return the namespace IRI of one kind of instance.

    >>> kind_namespace("meeting")
    'https://w3id.org/ictkg/id/meeting/'
    """
    return f"{ID_NS}{kind}/"


def edition_graph_iri(edition: str) -> str:
    """Return the IRI of the named graph holding what one white-paper edition states.

    >>> edition_graph_iri("wp2013")
    'https://w3id.org/ictkg/graph/wp2013'
    """
    return GRAPH_NS + edition


PREFIXES: dict[str, str] = {
    "ictkg": ICTKG_NS,
    **{kind: kind_namespace(kind) for kind in INSTANCE_KINDS},
    "graph": GRAPH_NS,
    "ictkgsh": SHAPES_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD_NS,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": SCHEMA_NS,
    "time": "http://www.w3.org/2006/time#",
    "oa": OA_NS,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": SH_NS,
    "wd": WD_NS,
}
"""Prefix -> namespace IRI, the single table used by parsers, serialisers, queries and the CLI."""


_LOCAL = re.compile(r"^(?:[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$")
"""A local name that needs no escaping in Turtle or SPARQL (a safe subset of PN_LOCAL)."""

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def curie(iri: str) -> str | None:
    """Return ``prefix:local`` for an IRI under a project prefix, or None when none fits.

    The one CURIE function: the longest matching namespace wins, and the local part must be
    writable without escapes.

    >>> curie("https://w3id.org/ictkg/id/meeting/jp-us-ied-4")
    'meeting:jp-us-ied-4'
    >>> curie("https://w3id.org/ictkg/id/passage/wp2013-p01#position") is None
    True
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return f"{prefix}:{local}" if _LOCAL.match(local) else None
    return None


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every ictkg prefix, for queries that want them all."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
