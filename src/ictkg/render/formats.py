"""The names of the output formats, in a module that imports nothing, so ``--help`` can list
them without loading a renderer."""

from __future__ import annotations

RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "srj", "srx")
"""Output formats of ``ictkg query``: a table for people, the W3C SPARQL results formats (CSV,
TSV, JSON as ``srj``, XML as ``srx``) and ``json``, a plain list of objects."""
