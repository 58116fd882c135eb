"""The queries layer: stored-query files, their ``#+`` headers, typed parameters and binding.

Modules: :mod:`~ictkg.queries.headers` (the YAML header), :mod:`~ictkg.queries.files`
(``StoredQuery``, loading, finding), :mod:`~ictkg.queries.parameters` (values to terms),
:mod:`~ictkg.queries.sparql` (``VALUES`` blocks, the network policy),
:mod:`~ictkg.queries.results` (``QueryResult``), :mod:`~ictkg.queries.search` (full-text
search: its SPARQL, matching and ranking) and :mod:`~ictkg.queries.catalogue` (the catalogue
graph). Running a query is left to :mod:`ictkg.stores`; nothing here imports rdflib
except the catalogue.
"""
