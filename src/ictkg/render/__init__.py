"""The render layer: turn results and reports into text for people and formats for programs.

Modules: :mod:`~ictkg.render.terms` (the one CURIE function), :mod:`~ictkg.render.tables` (the
one table renderer, rich), :mod:`~ictkg.render.results` (query results: table, CSV, TSV, JSON,
SPARQL JSON and XML) and :mod:`~ictkg.render.reports` (validation, checks, coverage, the query
list, the demo). Renderers return strings; only :mod:`ictkg.cli` writes them to the terminal.
"""
