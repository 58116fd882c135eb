"""Commands import only what they use: ``--help`` loads no RDF library, and ``ictkg query`` on a
built embedded store loads neither rdflib nor pySHACL, nor the code of the other commands
(start-up time is measured by benchmarks/bench_startup.py, never asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ictkg.cli import main
from ictkg.paths import ProjectPaths

HEAVY = ("rdflib", "pyshacl", "SPARQLWrapper", "pyparsing", "owlrl")
OTHER_COMMANDS = (
    "ictkg.cli.export",
    "ictkg.cli.load",
    "ictkg.cli.pipeline",
    "ictkg.export.formats",
)
"""Code ``ictkg query`` and ``ictkg search`` have no use for (the subcommands load lazily)."""


def loaded_after(*argv: str) -> tuple[int, list[str]]:
    """Run ``main(argv)`` in a fresh interpreter; return its code and the heavy modules loaded."""
    script = (
        "import sys, io, contextlib\n"
        "from ictkg.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    code = main({list(argv)!r})\n"
        f"print(code, ' '.join(m for m in {HEAVY + OTHER_COMMANDS!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    code, _, modules = done.stdout.strip().partition(" ")
    return int(code), modules.split()


def test_help_loads_no_rdf_library() -> None:
    code, modules = loaded_after("--help")  # (imports every command, to list them)
    assert (code, [m for m in modules if m in HEAVY]) == (0, [])
    code, modules = loaded_after("query", "--help")
    assert (code, modules) == (0, [])


def test_query_on_a_built_store_loads_neither_rdflib_nor_pyshacl(
    tmp_project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_project.root), "build"]) == 0
    capsys.readouterr()
    root = str(tmp_project.root)
    assert loaded_after("--root", root, "query", "01", "-p", "topic=topic:privacy") == (0, [])
    assert loaded_after("--root", root, "query", "08", "--format", "json") == (0, [])
    assert loaded_after("--root", root, "search", "意見交換") == (0, [])
