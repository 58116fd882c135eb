"""The quality layer: SHACL validation, the quality-check queries and source coverage.

Modules: :mod:`~ictkg.quality.shacl` (pySHACL, the report), :mod:`~ictkg.quality.checks`
(``queries/checks/*-violation.rq`` through any store) and :mod:`~ictkg.quality.coverage`
(which passages no fact points to). Rendering the reports is left to :mod:`ictkg.render`.
"""
