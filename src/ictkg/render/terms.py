"""Show RDF terms to people: as a readable cell, or as Turtle, with the one CURIE function.

Works on pyoxigraph terms (query results) and rdflib terms (SHACL and coverage reports) alike,
without importing rdflib: a term is read through the attributes both libraries offer.
"""

from __future__ import annotations

from typing import Any

from ictkg.namespaces import XSD_NS, curie

__all__ = ["curie", "term_kind", "term_n3", "term_text"]

_XSD_STRING = XSD_NS + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_kind(term: Any) -> tuple[str, str, str | None, str | None]:
    """Return ``(kind, value, language, datatype)``; kind is ``iri``, ``bnode`` or ``literal``.

    Plain literals have datatype None; ``xsd:string`` and ``rdf:langString`` count as plain.
    """
    name = type(term).__name__
    if name in ("NamedNode", "URIRef"):
        return "iri", str(getattr(term, "value", term)), None, None
    if name in ("BlankNode", "BNode"):
        return "bnode", str(getattr(term, "value", term)), None, None
    if name == "Literal":
        # rdflib's Literal.value is the Python value (an int, a date …); str() is the text.
        value = str(term) if type(term).__module__.startswith("rdflib") else term.value
        language = term.language or None
        datatype = term.datatype
        datatype_iri = None if datatype is None else str(getattr(datatype, "value", datatype))
        if datatype_iri in (_XSD_STRING, _LANG_STRING):
            datatype_iri = None
        return "literal", value, language, datatype_iri
    return "other", str(term), None, None


def term_text(term: Any) -> str:
    """A readable cell: a CURIE (or the full IRI) for IRIs, the text of literals, ``_:id``.

    >>> import pyoxigraph as ox
    >>> term_text(ox.NamedNode("https://w3id.org/ictkg/id/topic/privacy")), term_text(None)
    ('topic:privacy', '')
    """
    if term is None:
        return ""
    kind, value, _language, _datatype = term_kind(term)
    if kind == "iri":
        return curie(value) or value
    if kind == "bnode":
        return f"_:{value}"
    return value


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"'


def term_n3(term: Any) -> str:
    """Write a term as Turtle would: ``prefix:local`` or ``<iri>``, ``"text"@ja``,
    ``"2012"^^xsd:gYear``, ``[]`` for a blank node.

    >>> import pyoxigraph as ox
    >>> term_n3(ox.Literal("2012", datatype=ox.NamedNode(XSD_NS + "gYear")))
    '"2012"^^xsd:gYear'
    """
    if term is None:
        return ""
    kind, value, language, datatype = term_kind(term)
    if kind == "iri":
        return curie(value) or f"<{value}>"
    if kind == "bnode":
        return "[]"
    if kind == "literal":
        if language:
            return f"{_quote(value)}@{language}"
        if datatype:
            return f"{_quote(value)}^^{curie(datatype) or f'<{datatype}>'}"
        return _quote(value)
    return value
