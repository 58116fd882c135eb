"""Convert RDF terms, triples and datasets between rdflib and pyoxigraph, in one place.

pyoxigraph parses, stores, queries and serialises; rdflib holds the graphs that pySHACL validates.
Plain ``xsd:string`` literals become rdflib literals without a datatype, as rdflib's own parser
makes them, so both sides compare equal after a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

__all__ = [
    "dataset_quads",
    "from_oxigraph",
    "graph_name_of",
    "to_oxigraph",
    "to_rdflib",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
"""A pyoxigraph term that can stand in a triple (RDF-star triples are not used)."""


def to_oxigraph(term: Node) -> OxTerm:
    """Convert an rdflib term to the equal pyoxigraph term.

    >>> to_oxigraph(Literal("x", lang="ja"))
    <Literal value=x language=ja>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {type(term).__name__} {term!r} to a pyoxigraph term")


def to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    >>> to_rdflib(ox.Literal("x"))
    rdflib.term.Literal('x')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def from_oxigraph(term: Any) -> Node | None:
    """Like :func:`to_rdflib`, but ``None`` (an unbound variable) stays ``None``."""
    return None if term is None else to_rdflib(term)


def graph_name_of(graph: object) -> URIRef | BNode | None:
    """The name of a quad's graph (rdflib yields a Graph or its identifier, by version)."""
    name = getattr(graph, "identifier", graph)
    if name == DATASET_DEFAULT_GRAPH_ID:
        return None
    return name if isinstance(name, URIRef | BNode) else None


def dataset_quads(dataset: Dataset | Graph) -> Iterator[ox.Quad]:
    """Yield every quad of an rdflib dataset (or triple of a graph) as a pyoxigraph quad.

    Triples of the default graph (or of a plain graph) get pyoxigraph's default graph.
    """
    default = ox.DefaultGraph()
    if isinstance(dataset, Dataset):
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = graph_name_of(g)
            yield ox.Quad(
                to_oxigraph(s),  # type: ignore[arg-type]
                to_oxigraph(p),  # type: ignore[arg-type]
                to_oxigraph(o),
                default if name is None else to_oxigraph(name),  # type: ignore[arg-type]
            )
    else:
        for s, p, o in dataset:
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), default)  # type: ignore[arg-type]


def add_quads(dataset: Dataset, quads: Iterable[ox.Quad]) -> None:
    """Add pyoxigraph quads to an rdflib dataset, each into the graph of the same name."""
    by_graph: dict[Any, list[tuple[Node, Node, Node]]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        )
    for name, triples in by_graph.items():
        target = (
            dataset.graph(DATASET_DEFAULT_GRAPH_ID)
            if isinstance(name, ox.DefaultGraph)
            else dataset.graph(to_rdflib(name))  # type: ignore[arg-type]
        )
        target.addN((s, p, o, target) for s, p, o in triples)
