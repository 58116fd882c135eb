"""The export layer: write the dataset out of ictkg in standard RDF formats, deterministically.

:mod:`~ictkg.export.dumps` writes what ``ictkg build`` puts in ``build/`` (TriG, N-Quads, one
Turtle file per named graph). Building the dataset is left to :mod:`ictkg.model`.
"""
