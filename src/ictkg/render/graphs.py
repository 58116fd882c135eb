"""Render a graph (the triples a CONSTRUCT or DESCRIBE query or ``ictkg describe`` gives) as
Turtle, N-Triples or JSON-LD; getting the triples is left to the stores and the façade.

The triples are sorted (subject, ``rdf:type`` first, predicate, object) so the same answer gives
the same text. Turtle declares the project prefixes it uses; JSON-LD is compacted with an inline
context of the same prefixes, so a reader needs nothing from the network to expand it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from ictkg.export.dumps import used_prefixes
from ictkg.namespaces import RDF_NS

__all__ = ["render_graph", "render_jsonld", "sorted_triples", "used_prefixes"]

_RDF_TYPE = RDF_NS + "type"


def sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The distinct triples in a stable order: by subject, ``rdf:type`` first, then predicate
    and object."""
    return sorted(
        set(triples),
        key=lambda t: (
            str(t.subject),
            t.predicate.value != _RDF_TYPE,
            t.predicate.value,
            str(t.object),
        ),
    )


def render_jsonld(triples: Iterable[ox.Triple]) -> str:
    """Compact JSON-LD with an inline context of the project prefixes the triples use; one
    node object per subject in ``@graph``, in IRI order."""
    from rdflib import Graph

    from ictkg.model.terms import to_rdflib

    items = sorted_triples(triples)
    graph = Graph()
    for t in items:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    context = used_prefixes(items)
    document: Any = json.loads(
        graph.serialize(format="json-ld", context=context, auto_compact=True)
    )
    if isinstance(document, list):  # (rdflib gives a bare array when nothing compacts)
        document = {"@context": context, "@graph": document}
    nodes = document.get("@graph")
    if nodes is None:  # a single node object: put it in @graph, as for several
        nodes = [{k: v for k, v in document.items() if k != "@context"}] if items else []
    document = {
        "@context": document.get("@context", context),
        "@graph": sorted(
            (_sorted_values(n) for n in nodes),
            key=lambda n: (str(n.get("@id", "")), json.dumps(n, sort_keys=True)),
        ),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _sorted_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_values(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def render_graph(triples: Iterable[ox.Triple], fmt: str) -> str:
    """Render triples in one of :data:`~ictkg.render.formats.GRAPH_FORMATS`.

    Args:
        triples: the graph.
        fmt: ``turtle``, ``ntriples`` or ``jsonld``.

    Returns:
        The text (UTF-8 when written).

    Raises:
        ValueError: for another format name (the CLI offers only these).

    >>> from ictkg.namespaces import ICTKG_NS
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/ictkg/id/country/fr"),
    ...               ox.NamedNode(RDF_NS + "type"), ox.NamedNode(ICTKG_NS + "Country"))
    >>> print(render_graph([t], "turtle"), end="")
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    @prefix country: <https://w3id.org/ictkg/id/country/> .
    @prefix ictkg: <https://w3id.org/ictkg/ontology#> .
    country:fr a ictkg:Country .
    """
    items = sorted_triples(triples)
    if fmt == "jsonld":
        return render_jsonld(items)
    if fmt == "turtle":
        data = ox.serialize(items, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(items))
    elif fmt == "ntriples":
        data = ox.serialize(items, format=ox.RdfFormat.N_TRIPLES)
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return (data or b"").decode("utf-8")
