"""ictkg: a knowledge graph of Japan's bilateral ICT policy dialogues, built from MIC white papers.

The library builds, validates, stores, queries and exports the graph; the ``ictkg`` command line
(:mod:`ictkg.cli`) is a thin layer over it.
"""

__version__ = "0.1.0"
