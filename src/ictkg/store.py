"""The only module that talks to a triple store: load a dataset, run a query, clear the store.

Backends share the small :class:`Store` protocol and are chosen by name from :data:`BACKENDS`
(in the spirit of rdflib's ``plugin.get``). Every backend exposes the union of the named graphs
as the default graph, binds parameters as RDF terms and returns rdflib terms, so the same stored
query gives equal answers everywhere. Which query to run and how to render it is left to
:mod:`ictkg.queries` and the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ictkg.errors import IctkgError, InputError
from ictkg.queries import QueryResult, inject_values

__all__ = [
    "BACKENDS",
    "MemoryStore",
    "OxigraphStore",
    "SparqlEndpointStore",
    "Store",
    "StoreError",
    "from_oxigraph",
    "open_embedded_store",
    "open_store",
    "to_oxigraph",
    "write_embedded_store",
]


class StoreError(IctkgError):
    """A store cannot be opened or cannot answer a query."""


@runtime_checkable
class Store(Protocol):
    """What ictkg needs from a triple store."""

    def load(self, dataset: Dataset) -> None:
        """Add every quad of ``dataset`` (its named graphs) to the store."""

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a SELECT or ASK query over the union of the graphs, with variables pre-bound."""

    def clear(self) -> None:
        """Remove every quad."""


def _graph_name(graph: object) -> URIRef | BNode | None:
    """The name of a quad's graph (rdflib yields a Graph or its identifier, by version)."""
    name = getattr(graph, "identifier", graph)
    return name if isinstance(name, URIRef | BNode) else None


def _result(result: Result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(variables=(), rows=(), boolean=bool(result.askAnswer))
    if result.type != "SELECT":
        raise InputError("query", f"only SELECT and ASK queries are supported, not {result.type}")
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(row) for row in result)  # type: ignore[arg-type]
    return QueryResult(variables=variables, rows=rows)


class MemoryStore:
    """An in-memory rdflib Dataset whose default graph is the union of its named graphs.

    Parameters are bound with rdflib's ``initBindings`` (real term bindings).
    """

    def __init__(self, dataset: Dataset | None = None) -> None:
        """Wrap ``dataset`` (queried in place, not copied) or start empty.

        Args:
            dataset: an existing dataset; it must have ``default_union=True``.
        """
        if dataset is None:
            dataset = Dataset(default_union=True)
        elif not dataset.default_union:
            raise StoreError("MemoryStore needs a Dataset(default_union=True)")
        self.dataset = dataset
        """The rdflib dataset holding the data."""

    def load(self, dataset: Dataset) -> None:
        """Add every quad of ``dataset``, each into the graph of the same name."""
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = _graph_name(g)
            if name is None or name == DATASET_DEFAULT_GRAPH_ID:
                self.dataset.graph(DATASET_DEFAULT_GRAPH_ID).add((s, p, o))
            else:
                self.dataset.graph(name).add((s, p, o))

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a query with rdflib, binding variables through ``initBindings``."""
        init = {name: term for name, term in (bindings or {}).items()}
        try:
            result = self.dataset.query(sparql, initBindings=init)
        except IctkgError:
            raise
        except Exception as exc:
            raise StoreError(f"the in-memory store cannot run the query: {exc}") from exc
        return _result(result)

    def clear(self) -> None:
        """Remove every graph and quad."""
        for graph in list(self.dataset.graphs()):
            self.dataset.remove_graph(graph)

    def __len__(self) -> int:
        """The number of quads."""
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))


# -- rdflib <-> pyoxigraph terms -----------------------------------------------------------------


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store {type(term).__name__} {term!r}")


def from_oxigraph(term: Any) -> Node | None:
    """Convert a pyoxigraph term (or None) to the equal rdflib term.

    Plain ``xsd:string`` literals become rdflib literals without a datatype, as rdflib's own
    query results have them, so results from both backends compare equal.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        if datatype == str(RDF.langString):  # pragma: no cover - always has a language
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"unexpected term from Oxigraph: {term!r}")


class OxigraphStore:
    """A pyoxigraph store, in memory or on disk (the embedded default).

    The default graph of queries is the union of the named graphs. Parameters are bound with a
    ``VALUES`` block injected into the outer ``WHERE`` group; pyoxigraph's ``substitutions``
    argument is not used because in pyoxigraph 0.5 ``BOUND(?x)`` stays false for a substituted
    variable, which breaks the "unbound parameter means all" idiom of the stored queries.
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        """Open the store.

        Args:
            path: a folder for an on-disk store (created if needed); None for memory.
            read_only: open an existing on-disk store for reading only (several processes may
                then read it at once).
        """
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}") from exc
        self.path = Path(path) if path is not None else None
        """The store folder, or None when in memory."""

    def load(self, dataset: Dataset) -> None:
        """Add every quad of ``dataset``, each into the graph of the same name."""
        quads = []
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = _graph_name(g)
            graph = (
                ox.DefaultGraph()
                if name is None or name == DATASET_DEFAULT_GRAPH_ID
                else to_oxigraph(name)
            )
            quads.append(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph))  # type: ignore[arg-type]
        self.store.extend(quads)

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a query with Oxigraph over the union of the graphs."""
        text = inject_values(sparql, bindings) if bindings else sparql
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(variables=(), rows=(), boolean=bool(result))
            if not isinstance(result, ox.QuerySolutions):
                raise InputError("query", "only SELECT and ASK queries are supported")
            variables = tuple(v.value for v in result.variables)
            rows = tuple(
                tuple(from_oxigraph(solution[name]) for name in variables) for solution in result
            )
        except SyntaxError as exc:
            raise StoreError(f"Oxigraph cannot parse the query: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"Oxigraph cannot run the query: {exc}") from exc
        return QueryResult(variables=variables, rows=rows)

    def clear(self) -> None:
        """Remove every quad."""
        self.store.clear()

    def __len__(self) -> int:
        """The number of quads."""
        return len(self.store)


# -- The embedded default: an on-disk Oxigraph store written by `ictkg build` -------------------

FINGERPRINT_FILE = "ictkg-inputs.sha256"
"""Written beside the embedded store: the fingerprint of the inputs it was built from."""


def write_embedded_store(dataset: Dataset, folder: Path, fingerprint: str) -> None:
    """Replace the on-disk Oxigraph store at ``folder`` with one holding ``dataset``.

    The new store is written to a sibling folder and swapped in only when complete, so a failure
    halfway leaves the previous store as it was.

    Args:
        dataset: the built dataset.
        folder: where the store lives (e.g. ``build/oxigraph``).
        fingerprint: the inputs' fingerprint, recorded so that readers can tell a stale store.
    """
    import gc
    import shutil

    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(f".{folder.name}-new")
    old = folder.with_name(f".{folder.name}-old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        fresh.mkdir()
        store = OxigraphStore(fresh / "store")
        store.load(dataset)
        store.store.flush()
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


def open_embedded_store(folder: Path, fingerprint: str | None = None) -> OxigraphStore | None:
    """Open the store written by :func:`write_embedded_store` for reading.

    Args:
        folder: where the store lives.
        fingerprint: when given, the store is returned only if it was built from these inputs.

    Returns:
        The store, or None when there is none or it is out of date.
    """
    stamp = folder / FINGERPRINT_FILE
    if not stamp.is_file():
        return None
    if fingerprint is not None and stamp.read_text(encoding="utf-8").strip() != fingerprint:
        return None
    return OxigraphStore(folder / "store", read_only=True)


# -- Any SPARQL 1.1 endpoint ---------------------------------------------------------------------


def _from_json_term(cell: Mapping[str, str]) -> Node:
    """Convert one SPARQL 1.1 Query Results JSON term to the equal rdflib term."""
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        if datatype and datatype not in (str(XSD.string), str(RDF.langString)):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise StoreError(f"unexpected term in the endpoint's answer: {cell!r}")


class SparqlEndpointStore:
    """Any SPARQL 1.1 endpoint: the Protocol (via SPARQLWrapper) for queries and updates, the
    Graph Store Protocol for loading whole graphs.

    ictkg speaks only these W3C protocols, so the endpoint may be Oxigraph, Fuseki, GraphDB,
    Virtuoso or a cluster. The union of the named graphs is made the default graph of each
    query by naming every graph as a ``default-graph-uri`` (and as a ``named-graph-uri``, so
    ``GRAPH`` patterns still see them), which is part of the Protocol: no server setting is
    needed. Parameters are bound with a ``VALUES`` block built from each
    validated term, never by pasting user text into the query.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        timeout: float = 60.0,
    ) -> None:
        """Describe the endpoint.

        Args:
            query_url: the SPARQL query endpoint (e.g. ``http://localhost:7878/query``).
            update_url: the SPARQL update endpoint; needed by :meth:`clear`.
            store_url: the Graph Store Protocol endpoint; needed by :meth:`load`.
            timeout: seconds to wait for each HTTP request.
        """
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self._graphs: tuple[str, ...] | None = None

    def _wrapper(self, url: str) -> Any:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(self.timeout))
        return wrapper

    def _request(self, method: str, url: str, body: bytes, content_type: str) -> None:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"{method} {url} failed: HTTP {exc.code} {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach {url}: {exc}") from exc

    def graph_names(self) -> tuple[str, ...]:
        """The named graphs the endpoint holds (asked once, then remembered until a change)."""
        if self._graphs is None:
            wrapper = self._wrapper(self.query_url)
            wrapper.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            answer = self._run(wrapper)
            self._graphs = tuple(
                sorted(b["g"]["value"] for b in answer["results"]["bindings"] if "g" in b)
            )
        return self._graphs

    def _run(self, wrapper: Any) -> Any:
        try:
            return wrapper.queryAndConvert()
        except Exception as exc:  # SPARQLWrapper raises many unrelated types
            raise StoreError(f"the endpoint {wrapper.endpoint} cannot answer: {exc}") from exc

    def load(self, dataset: Dataset) -> None:
        """Replace each named graph of ``dataset`` on the endpoint (Graph Store Protocol PUT).

        Each graph is replaced atomically by the server, one graph per request, so a failure
        leaves every graph either old or new, never half-loaded.
        """
        if self.store_url is None:
            raise StoreError("loading needs the endpoint's Graph Store Protocol URL (store_url)")
        from urllib.parse import quote

        for graph in dataset.graphs():
            name = graph.identifier
            if name == DATASET_DEFAULT_GRAPH_ID or len(graph) == 0:
                continue
            body = graph.serialize(format="nt", encoding="utf-8")
            url = f"{self.store_url}?graph={quote(str(name), safe='')}"
            self._request("PUT", url, body, "application/n-triples")
        self._graphs = None

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a SELECT or ASK query over the union of the endpoint's named graphs."""
        text = inject_values(sparql, bindings) if bindings else sparql
        wrapper = self._wrapper(self.query_url)
        for graph in self.graph_names():
            # Naming any graph makes the request's dataset exactly the graphs named, so each
            # graph is named twice: merged into the default graph and kept as a named graph.
            wrapper.addDefaultGraph(graph)
            wrapper.addNamedGraph(graph)
        wrapper.setQuery(text)
        answer = self._run(wrapper)
        if "boolean" in answer:
            return QueryResult(variables=(), rows=(), boolean=bool(answer["boolean"]))
        variables = tuple(answer["head"].get("vars", ()))
        rows = tuple(
            tuple(_from_json_term(binding[name]) if name in binding else None for name in variables)
            for binding in answer["results"]["bindings"]
        )
        return QueryResult(variables=variables, rows=rows)

    def clear(self) -> None:
        """Drop every graph (SPARQL Update ``DROP ALL``)."""
        if self.update_url is None:
            raise StoreError("clearing needs the endpoint's SPARQL update URL (update_url)")
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery("DROP ALL")
        self._run(wrapper)
        self._graphs = None


BACKENDS: dict[str, Callable[..., Store]] = {
    "memory": MemoryStore,
    "oxigraph": OxigraphStore,
    "endpoint": SparqlEndpointStore,
}
"""Backend name -> factory taking the backend's options as keyword arguments."""


def open_store(name: str, **options: Any) -> Store:
    """Open a store backend by name.

    Args:
        name: a key of :data:`BACKENDS` (``memory`` or ``oxigraph``).
        **options: passed to the backend, e.g. ``path=`` for an on-disk Oxigraph store.

    Returns:
        The store, empty unless it was opened on existing data.

    Raises:
        StoreError: for an unknown backend name.

    >>> type(open_store("memory")).__name__
    'MemoryStore'
    """
    factory = BACKENDS.get(name)
    if factory is None:
        raise StoreError(f"unknown store backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return factory(**options)
