"""The embedded default store: an on-disk Oxigraph store that ``ictkg build`` writes whole.

A fingerprint of the inputs is written beside the store, so readers can tell a stale store from
a fresh one. The store is written to a sibling folder and swapped in only when complete.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ictkg.errors import OutputError
from ictkg.stores.limits import DEFAULT_LIMITS, Limits
from ictkg.stores.oxigraph import OxigraphStore

__all__ = ["FINGERPRINT_FILE", "open_embedded_store", "write_embedded_store"]

FINGERPRINT_FILE = "ictkg-inputs.sha256"
"""Written beside the embedded store: the fingerprint of the inputs it was built from."""


def write_embedded_store(quads: Iterable[ox.Quad], folder: Path, fingerprint: str) -> None:
    """Replace the on-disk Oxigraph store at ``folder`` with one holding ``quads``.

    The new store is bulk-loaded into a sibling folder and swapped in only when complete, so a
    failure halfway leaves the previous store as it was.

    Args:
        quads: the dataset's quads.
        folder: where the store lives (e.g. ``build/oxigraph``).
        fingerprint: the inputs' fingerprint, recorded so that readers can tell a stale store.

    Raises:
        OutputError: when the folder cannot be written.
    """
    fresh = folder.with_name(f".{folder.name}-new")
    old = folder.with_name(f".{folder.name}-old")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (fresh, old):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh.mkdir()
    except OSError as exc:
        raise OutputError(folder, f"cannot create the store folder: {exc.strerror or exc}") from exc
    try:
        store = OxigraphStore(fresh / "store")
        store.bulk_load(quads)
        del store
        gc.collect()  # pyoxigraph releases the store's lock when the object is freed
        (fresh / FINGERPRINT_FILE).write_text(fingerprint + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def stored_fingerprint(folder: Path) -> str | None:
    """The fingerprint recorded beside the store at ``folder``, or None when there is none."""
    stamp = folder / FINGERPRINT_FILE
    try:
        return stamp.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def open_embedded_store(
    folder: Path, fingerprint: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> OxigraphStore | None:
    """Open the store written by :func:`write_embedded_store` for reading.

    Args:
        folder: where the store lives.
        fingerprint: when given, the store is returned only if it was built from these inputs.
        limits: each query's deadline and largest answer.

    Returns:
        The store, or None when there is none or it is out of date.

    Raises:
        DamagedStoreError: when the store exists but its files cannot be read.
        StoreError: when the store exists but cannot be opened.
    """
    recorded = stored_fingerprint(folder)
    if recorded is None:
        return None
    if fingerprint is not None and recorded != fingerprint:
        return None
    return OxigraphStore(folder / "store", read_only=True, limits=limits)
