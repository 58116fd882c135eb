"""The ``ictkg`` command line: each command parses its arguments, makes one
:class:`ictkg.project.Project` call, renders the answer and returns an exit code.

Only this package and :mod:`ictkg.render` write to the terminal. Modules import only click at
start-up; a command imports the library parts it uses when it runs, so ``ictkg --help`` and
``ictkg query`` on a built store start quickly.
"""

from ictkg.cli.app import cli, main

__all__ = ["cli", "main"]
