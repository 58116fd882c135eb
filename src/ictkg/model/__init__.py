"""The model layer: parse the sources, generate the passages, build the RDF dataset.

Modules: :mod:`~ictkg.model.turtle` (parse one file), :mod:`~ictkg.model.passages` (cut a source
text into addressable passages), :mod:`~ictkg.model.dataset` (all sources into named graphs) and
:mod:`~ictkg.model.terms` (rdflib and pyoxigraph terms). Nothing here validates, stores or prints.
"""
