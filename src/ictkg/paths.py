"""Default locations of the project's inputs and outputs, and reading an input file; no other
module hard-codes a path.

The project root is, in order: ``$ICTKG_ROOT``; the nearest folder at or above the working
directory that holds both ``ontology/`` and ``data/``; the checkout this package was installed from
(editable installs).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ictkg.errors import InputError, MissingInputError, OutputError


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
            *self.data_dir.rglob("*"),
            *self.queries_dir.rglob("*.rq"),
        ]
        # Regular files only: hashing a FIFO would block, /dev/zero never end (the input gate
        # then refuses them by name).
        return sorted({p for p in files if p.is_file()})

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


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The largest input file ictkg reads (64 MiB; ``ICTKG_MAX_INPUT_MB`` overrides it): the seed's
largest file is 90 KB, so a bigger one is a mistake (or ``/dev/zero``), not data."""


MAX_NESTING = 64
"""The deepest nesting of brackets an input may have: ``[ ]`` and ``( )`` in Turtle, ``{ }``,
``( )`` and ``[ ]`` in SPARQL. The data needs 3 levels and the queries 8; a few hundred levels
of Turtle made the build hang writing its files, and 20,000 crashed the parsers (a segmentation
fault, not an error)."""


def max_input_bytes() -> int:
    """:data:`MAX_INPUT_BYTES`, or ``ICTKG_MAX_INPUT_MB`` mebibytes when set to a positive
    number."""
    raw = os.environ.get("ICTKG_MAX_INPUT_MB", "")
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        return int(raw) * 1024 * 1024
    return MAX_INPUT_BYTES


def check_input_file(path: Path | str, what: str = "file", *, root: Path | None = None) -> None:
    """The input gate for one file: it must be a regular file (no device, FIFO or folder, even
    through a symlink), lie inside ``root`` once symlinks are resolved, and be no larger than
    :func:`max_input_bytes`.

    Args:
        path: the file.
        what: what it is, for the message.
        root: the folder it must stay in (None: anywhere, as for a file named on the command line).

    Raises:
        MissingInputError: when it does not exist.
        InputError: naming the file and the fix, for any other breach.
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise MissingInputError(
            path, f"cannot read {what}: {exc.strerror or exc}", hint="check the path"
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            path,
            f"{what} is not a regular file (a device, FIFO, socket or folder)",
            hint="ictkg reads only plain files; replace it (or the symlink) with the file itself",
        )
    if root is not None and not path.resolve().is_relative_to(Path(root).resolve()):
        raise InputError(
            path,
            f"{what} resolves to a file outside {root} (through a symlink)",
            hint="keep every input inside the project folder; copy the file in instead of linking",
        )
    limit = max_input_bytes()
    if info.st_size > limit:
        raise InputError(
            path,
            f"{what} is {info.st_size:,} bytes, over the {limit // (1024 * 1024)} MiB input limit",
            hint="split it, or raise the limit with ICTKG_MAX_INPUT_MB if it really is data",
        )


def confined_path(root: Path, local: str, what: str, *, source: Path | str) -> Path:
    """Resolve a path the data states (``ictkg:localPath``) inside the project, refusing any way
    out: an absolute path, a ``..`` step, a backslash, or a symlink that leads outside.

    Args:
        root: the project root the path is relative to.
        local: the path as the data gives it (POSIX, relative).
        what: what it is, for the message.
        source: the file stating it, named in the error.

    Returns:
        The file's path, after :func:`check_input_file`.

    Raises:
        InputError: for a path that leaves the project or a file the gate refuses.

    >>> confined_path(Path("."), "../../etc/hostname", "source text", source="data/x.ttl")
    Traceback (most recent call last):
    ...
    ictkg.errors.InputError: data/x.ttl: source text path '../../etc/hostname' leaves the ...
      hint: ...
    """
    pure = PurePosixPath(local)
    if not local or "\\" in local or pure.is_absolute() or ".." in pure.parts or local[1:3] == ":/":
        raise InputError(
            source,
            f"{what} path {local!r} leaves the project (absolute, '..' or a backslash)",
            hint="give a path relative to the project root, e.g. data/sources/wp2013.txt",
        )
    path = Path(root) / Path(*pure.parts)
    check_input_file(path, what, root=Path(root))
    return path


def read_input(path: Path | str, what: str = "file", *, root: Path | None = None) -> str:
    """Read an input file as UTF-8 text (a byte-order mark is dropped), through the input gate
    (:func:`check_input_file`).

    Args:
        path: the file.
        what: what it is, for the message (``Turtle file``, ``stored query`` …).
        root: the folder the file must stay in, when it was found by listing a project folder.

    Returns:
        The text.

    Raises:
        MissingInputError: when the file cannot be read.
        InputError: when the gate refuses it, or it is not UTF-8, naming the line and column of
            the first bad byte.
    """
    path = Path(path)
    check_input_file(path, what, root=root)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_input_bytes() + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise MissingInputError(
            path, f"cannot read {what}: {exc.strerror or exc}", hint="check the path"
        ) from exc
    if len(data) > max_input_bytes():
        raise InputError(path, f"{what} grew past the input limit while it was read")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
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
    nul = text.find("\0")
    if nul >= 0:  # legal in a Turtle string, but no text ictkg reads has one: a binary file
        raise InputError(
            path,
            f"{what} holds a NUL byte (\\0): it is not a text file",
            line=text.count("\n", 0, nul) + 1,
            column=nul - text.rfind("\n", 0, nul),
            hint="remove the NUL byte, or save the file as plain UTF-8 text",
        )
    return text


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


LOCK_FILE = ".ictkg.lock"
"""The lock file an output folder holds while ictkg writes it (see :func:`output_lock`)."""


def _lock_wait_seconds() -> float:
    raw = os.environ.get("ICTKG_LOCK_WAIT_S", "")
    return float(raw) if raw.isascii() and raw.replace(".", "", 1).isdigit() else 300.0


@contextmanager
def output_lock(folder: Path, progress: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock while writing it, so two builds never write one folder at once.

    A second build waits (saying so) until the first is done, at most ``ICTKG_LOCK_WAIT_S``
    seconds (300 by default), then stops with an OutputError (exit 73). The lock is an OS lock
    (``flock``) on ``<folder>/.ictkg.lock``: it is released when the process ends, however it
    ends, so a killed build never leaves the folder locked. Once the lock is held, what an
    interrupted build left behind (``.tmp-*`` folders) is removed.

    Raises:
        OutputError: when the folder cannot be created or the lock is not free in time.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(
            folder, f"cannot create the output folder: {exc.strerror or exc}"
        ) from exc
    try:
        deadline = time.monotonic() + _lock_wait_seconds()
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        folder,
                        "another ictkg build is still writing this folder",
                        hint="wait for it to finish (ICTKG_LOCK_WAIT_S sets how long to wait)",
                    ) from None
                if not told and progress is not None:
                    progress(f"another ictkg build is writing {folder}; waiting for it to finish")
                    told = True
                time.sleep(0.1)
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        for stale in folder.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(handle)  # releases the lock
