"""The only layer that talks to a triple store: load quads, run a query, clear the store.

Backends share the small :class:`~ictkg.stores.base.Store` protocol and are chosen by name from
:data:`BACKENDS` (in the spirit of rdflib's ``plugin.get``); each is imported only when opened,
so a command that uses the embedded store never loads rdflib or SPARQLWrapper.

>>> type(open_store("memory")).__name__
'MemoryStore'
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ictkg.errors import StoreError, UsageError
from ictkg.stores.base import Store, run_query
from ictkg.stores.loads import Endpoint, EndpointLoad

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "BACKENDS",
    "Store",
    "StoreError",
    "endpoint_target",
    "load_endpoint",
    "open_store",
    "run_query",
]

BACKENDS: dict[str, str] = {
    "memory": "ictkg.stores.memory:MemoryStore",
    "oxigraph": "ictkg.stores.oxigraph:OxigraphStore",
    "endpoint": "ictkg.stores.endpoint:SparqlEndpointStore",
}
"""Backend name -> ``module:Class`` of its factory, which takes the backend's options."""


def open_store(name: str, **options: Any) -> Store:
    """Open a store backend by name.

    Args:
        name: a key of :data:`BACKENDS` (``memory``, ``oxigraph`` or ``endpoint``).
        **options: passed to the backend, e.g. ``path=`` for an on-disk Oxigraph store.

    Returns:
        The store, empty unless it was opened on existing data.

    Raises:
        StoreError: for an unknown backend name.
    """
    target = BACKENDS.get(name)
    if target is None:
        raise UsageError(f"unknown store backend {name!r}; choose one of {', '.join(BACKENDS)}")
    module, _, attribute = target.partition(":")
    factory = getattr(importlib.import_module(module), attribute)
    store: Store = factory(**options)
    return store


_LOADER = "ictkg.stores.loader"
"""The endpoint loader, imported only when a load is asked for (it brings the HTTP code)."""


def endpoint_target(
    query_url: str, update_url: str | None = None, store_url: str | None = None
) -> Endpoint:
    """Where a load goes: see :func:`ictkg.stores.loader.derive_urls`.

    Raises:
        UsageError: for a URL that is not http(s) or an update URL that cannot be derived.
    """
    target: Endpoint = importlib.import_module(_LOADER).derive_urls(
        query_url, update_url, store_url
    )
    return target


def load_endpoint(quads: Iterable[ox.Quad], target: Endpoint, **options: Any) -> EndpointLoad:
    """Replace the endpoint's ictkg graphs at once: see :func:`ictkg.stores.loader.load_quads`.

    Raises:
        StoreError: when the load fails (the live graphs are then unchanged).
    """
    done: EndpointLoad = importlib.import_module(_LOADER).load_quads(quads, target, **options)
    return done
