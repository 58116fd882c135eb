"""ictkg: a knowledge graph of Japan's bilateral ICT policy dialogues, built from MIC white papers.

The library builds, validates, stores, queries and exports the graph behind one façade,
:class:`ictkg.Project`; the ``ictkg`` command line (:mod:`ictkg.cli`) is a thin layer over it.
``Project`` is imported on first use, so ``import ictkg`` itself costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ictkg.project import Project

__all__ = ["Project", "__version__"]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Project":
        from ictkg.project import Project

        return Project
    raise AttributeError(f"module 'ictkg' has no attribute {name!r}")
