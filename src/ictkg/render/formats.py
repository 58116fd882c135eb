"""The names of the output formats, in a module that imports nothing, so ``--help`` can list
them without loading a renderer."""

from __future__ import annotations

RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "srj", "srx")
"""Output formats of ``ictkg query``: a table for people, the W3C SPARQL results formats (CSV,
TSV, JSON as ``srj``, XML as ``srx``) and ``json``, a plain list of objects."""

GRAPH_FORMATS: tuple[str, ...] = ("turtle", "jsonld", "ntriples")
"""Output formats of a graph (``ictkg sparql`` CONSTRUCT and DESCRIBE, ``ictkg describe``):
Turtle, JSON-LD (compact, with an inline context) and N-Triples."""

SPARQL_FORMATS: tuple[str, ...] = (*RESULT_FORMATS, *GRAPH_FORMATS)
"""Every format ``ictkg sparql --format`` accepts: the table formats for SELECT and ASK, the
graph formats for CONSTRUCT and DESCRIBE."""

DESCRIBE_FORMATS: tuple[str, ...] = ("table", *GRAPH_FORMATS)
"""Output formats of ``ictkg describe``: a readable table, or the description as RDF."""
