"""Default locations of the project's inputs and outputs, and reading an input file; no other
module hard-codes a path.

The project root is, in order: ``$ICTKG_ROOT``; the nearest folder at or above the working
directory that holds both ``ontology/`` and ``data/``; the checkout this package was installed from
(editable installs).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ictkg.errors import InputError, MissingInputError


def _looks_like_root(folder: Path) -> bool:
    return (folder / "ontology").is_dir() and (folder / "data").is_dir()


def find_root(start: Path | None = None) -> Path:
    """Return the project root folder.

    Args:
        start: where to begin the upward search (default: the working directory).

    Returns:
        The root folder.

    Raises:
        MissingInputError: when no folder with ``ontology/`` and ``data/`` can be found.
    """
    env = os.environ.get("ICTKG_ROOT")
    if env:
        root = Path(env).resolve()
        if not _looks_like_root(root):
            raise MissingInputError(
                root,
                f"ICTKG_ROOT={env} has no ontology/ and data/ folders",
                hint="point ICTKG_ROOT at the ictkg checkout, or unset it",
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _looks_like_root(folder):
            return folder
    installed = Path(__file__).resolve().parents[2]
    if _looks_like_root(installed):
        return installed
    raise MissingInputError(
        here,
        "cannot find the ictkg project folder (one holding ontology/ and data/)",
        hint="run from inside the checkout, pass --root DIR or set ICTKG_ROOT",
    )


@dataclass(frozen=True)
class ProjectPaths:
    """Where everything lives, resolved against one root."""

    root: Path
    """The checkout's top folder."""

    @property
    def ontology_dir(self) -> Path:
        """``ontology/``: the vocabulary (``ictkg.ttl``)."""
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        """``ontology/ictkg.ttl``."""
        return self.ontology_dir / "ictkg.ttl"

    @property
    def shapes_dir(self) -> Path:
        """``ontology/shapes/``: SHACL shapes, one file per concern."""
        return self.ontology_dir / "shapes"

    @property
    def data_dir(self) -> Path:
        """``data/``: reference entities and one folder per edition."""
        return self.root / "data"

    @property
    def reference_dir(self) -> Path:
        """``data/reference/``: edition-independent entities and the topic scheme."""
        return self.data_dir / "reference"

    @property
    def sources_dir(self) -> Path:
        """``data/sources/``: byte-identical copies of the source texts."""
        return self.data_dir / "sources"

    @property
    def queries_dir(self) -> Path:
        """``queries/``: stored queries (``NN-slug.rq``)."""
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        """``queries/checks/``: quality checks that must return no rows."""
        return self.queries_dir / "checks"

    @property
    def columns_file(self) -> Path:
        """``queries/columns.yaml``: readable column headings of the stored queries, en and ja."""
        return self.queries_dir / "columns.yaml"

    @property
    def build_dir(self) -> Path:
        """``build/``: generated output, never edited by hand."""
        return self.root / "build"

    @property
    def store_dir(self) -> Path:
        """``build/oxigraph/``: the embedded Oxigraph store that ``ictkg build`` writes."""
        return self.build_dir / "oxigraph"

    def input_files(self) -> list[Path]:
        """Every file a build reads: Turtle under ontology/ and data/, sources, stored queries."""
        files = [
            *self.ontology_dir.rglob("*.ttl"),
            *(p for p in self.data_dir.rglob("*") if p.is_file()),
            *self.queries_dir.rglob("*.rq"),
        ]
        return sorted(set(files))

    def fingerprint(self) -> str:
        """Return a SHA-256 over every input file's path and bytes, to tell a stale build.

        Returns:
            The hex digest; it changes when any input is added, removed or edited.
        """
        digest = hashlib.sha256()
        for path in self.input_files():
            digest.update(path.relative_to(self.root).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def edition_dirs(self) -> list[Path]:
        """Every ``data/<edition>/`` folder (all but ``reference`` and ``sources``), sorted."""
        skip = {"reference", "sources"}
        return sorted(p for p in self.data_dir.iterdir() if p.is_dir() and p.name not in skip)


def read_input(path: Path | str, what: str = "file") -> str:
    """Read an input file as UTF-8 text (a byte-order mark is dropped).

    Args:
        path: the file.
        what: what it is, for the message (``Turtle file``, ``stored query`` …).

    Returns:
        The text.

    Raises:
        MissingInputError: when the file cannot be read.
        InputError: when it is not UTF-8, naming the line and column of the first bad byte.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MissingInputError(
            path, f"cannot read {what}: {exc.strerror or exc}", hint="check the path"
        ) from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(
            path,
            f"not valid UTF-8 ({exc.reason})",
            line=data.count(b"\n", 0, exc.start) + 1,
            column=column,
            hint="save the file as UTF-8",
        ) from exc


def default_paths(root: Path | str | None = None) -> ProjectPaths:
    """Return the :class:`ProjectPaths` for ``root`` or, when None, for :func:`find_root`.

    Raises:
        MissingInputError: when ``root`` (or the folder found) has no ``ontology/`` and ``data/``.
    """
    if root is None:
        return ProjectPaths(find_root())
    folder = Path(root).resolve()
    if not _looks_like_root(folder):
        raise MissingInputError(
            folder,
            "not an ictkg project folder: it has no ontology/ and data/ folders",
            hint="pass the checkout's top folder (the one holding ontology/ and data/)",
        )
    return ProjectPaths(folder)
