"""The façade: one :class:`Project` object knows the paths and runs every step of the pipeline.

Like sqlite-utils' ``Database``, it is the one object every command opens: the CLI parses its
arguments, makes one call here and renders what comes back. Inputs (the dataset, the shapes, the
stored queries and checks) are read once and kept until an input file changes (they are cached
per input fingerprint, and shared by every Project of the same folder in the process), so a
process that builds, validates and queries parses each file once.

Example (what ``ictkg build`` and ``ictkg query 02 -p topic=topic:security`` do)::

    from ictkg import Project

    project = Project()                  # the checkout around the working directory
    built = project.build()              # parse, validate, write build/, load the store
    print(built.conforms, built.output.files if built.output else "nothing written")
    answer = project.query("02", {"topic": "topic:security"})
    for row in answer.result.as_dicts():
        print(row["eventLabel"].value)

Heavy libraries (rdflib, pySHACL) are imported only by the methods that need them, so asking a
built embedded store a stored query never loads them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import time
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ictkg.errors import InputError, UsageError
from ictkg.namespaces import (
    INFERRED_GRAPH_IRI,
    ONTOLOGY_GRAPH_IRI,
    RDF_NS,
    RDFS_NS,
    VOID_GRAPH_IRI,
    curie,
)
from ictkg.paths import ProjectPaths, default_paths, output_lock, read_input
from ictkg.project.showcase import SHOWCASE
from ictkg.queries.adhoc import AdhocQuery
from ictkg.queries.files import StoredQuery, find_query, load_queries
from ictkg.queries.results import QueryResult
from ictkg.queries.search import SearchResult
from ictkg.stores import Store, run_query

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from ictkg.export.description import DistributionFile
    from ictkg.export.dumps import BuildOutput
    from ictkg.export.formats import ExportFormat, ExportResult
    from ictkg.project.describe import Description
    from ictkg.quality.checks import CheckQuery, CheckResult
    from ictkg.quality.coverage import CoverageReport
    from ictkg.quality.shacl import ValidationReport
    from ictkg.stores.limits import Limits
    from ictkg.stores.loads import EndpointLoad

__all__ = [
    "BACKEND_NAMES",
    "BuildResult",
    "ClassCount",
    "DemoReport",
    "LoadReport",
    "Project",
    "QueryAnswer",
    "ShowcaseAnswer",
    "SparqlAnswer",
    "Validation",
]

BACKEND_NAMES: tuple[str, ...] = ("embedded", "memory", "oxigraph")

VOID_FILE = "void.ttl"
"""The VoID/DCAT description written beside the files it lists (in ``build/`` and the export)."""
"""Where ``Project.query`` can find its answers (besides an endpoint URL)."""

T = TypeVar("T")
P = ParamSpec("P")

Progress = Callable[[str], None]
"""Called with a short message as each long step starts or ends."""


@dataclass(frozen=True)
class Validation:
    """SHACL validation and the quality checks of the data."""

    report: ValidationReport
    """The SHACL report."""
    checks: tuple[CheckResult, ...]
    """One result per quality check."""

    @property
    def conforms(self) -> bool:
        """True when there is no ``sh:Violation`` and every check passes."""
        return self.report.conforms and all(c.passed for c in self.checks)


@dataclass(frozen=True)
class BuildResult:
    """What :meth:`Project.build` did."""

    report: ValidationReport | None
    """The SHACL report, or None when validation was skipped."""
    output: BuildOutput | None
    """The files written, or None when nothing was written (the data does not conform)."""
    store_dir: Path | None
    """The embedded store written, or None."""

    @property
    def conforms(self) -> bool:
        """True unless validation ran and found a ``sh:Violation``."""
        return self.report is None or self.report.conforms


@dataclass(frozen=True)
class QueryAnswer:
    """A stored query and its answer."""

    query: StoredQuery
    """The stored query that was run."""
    result: QueryResult
    """Its answer."""
    source: str
    """Where the answer came from: ``embedded``, ``memory``, ``oxigraph`` or the endpoint URL."""
    headings: Mapping[str, Mapping[str, str]]
    """Readable column headings per variable and language (``queries/columns.yaml``)."""
    lang: str | None = None
    """The language of the label columns: the value bound to the query's ``lang`` parameter
    (``en`` when it was left unbound), or None when the query has no such parameter (its
    label columns, if any, are fixed or in every language)."""


@dataclass(frozen=True)
class SparqlAnswer:
    """An ad-hoc query and its answer: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT,
    DESCRIBE)."""

    query: AdhocQuery
    """The query as run (with the project prefixes it did not declare)."""
    result: QueryResult | None
    """The rows or the boolean of a SELECT or ASK query; None for a graph query."""
    triples: tuple[ox.Triple, ...] | None
    """The triples of a CONSTRUCT or DESCRIBE query; None for SELECT and ASK."""
    source: str
    """Where the answer came from: ``embedded``, ``memory``, ``oxigraph`` or the endpoint URL."""
    headings: Mapping[str, Mapping[str, str]]
    """Readable column headings per variable and language (``queries/columns.yaml``)."""

    @property
    def is_graph(self) -> bool:
        """Whether the answer is a graph (CONSTRUCT or DESCRIBE)."""
        return self.triples is not None


@dataclass(frozen=True)
class ClassCount:
    """How many resources of one class the data holds."""

    curie: str
    """The class as a CURIE (or ``<iri>``)."""
    label: str
    """Its English label from the ontology."""
    count: int
    """Resources typed with it in any graph but the ontology."""


@dataclass(frozen=True)
class ShowcaseAnswer:
    """One showcase question of the demo and the answer the embedded store gave."""

    question: str
    """The question, as a user would ask it."""
    query_id: str
    """The stored query that answers it."""
    columns: tuple[str, ...]
    """The columns the demo shows."""
    result: QueryResult
    """The answer."""


@dataclass(frozen=True)
class DemoReport:
    """Everything ``ictkg demo`` shows."""

    build: BuildResult
    """The build (written and loaded, since the data conforms)."""
    class_counts: tuple[ClassCount, ...]
    """Resources per class, most numerous first."""
    coverage: CoverageReport
    """Coverage of the source passages."""
    answers: tuple[ShowcaseAnswer, ...]
    """The showcase questions, answered by the embedded store."""
    headings: Mapping[str, Mapping[str, str]]
    """Readable column headings per variable and language (``queries/columns.yaml``)."""
    lang: str = "en"
    """The language of the labels, headings and questions."""


@dataclass(frozen=True)
class LoadReport:
    """What :meth:`Project.load` did."""

    validation: Validation | None
    """The validation run before loading, or None with ``force``."""
    load: EndpointLoad | None
    """What was loaded, or None when the data does not conform (nothing was sent)."""

    @property
    def loaded(self) -> bool:
        """Whether the endpoint now holds the new dataset."""
        return self.load is not None


def _quiet(_message: str) -> None:
    """The default progress callback: say nothing."""


def _source_date() -> dt.date:
    """The date of ``$SOURCE_DATE_EPOCH`` (reproducible builds), or today (UTC) when unset.

    Raises:
        UsageError: when the variable is not a number of seconds.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
            hint="set it to a Unix time such as 1764633600, or unset it",
        ) from exc


class _Cache(dict[str, tuple[str, Any]]):
    """What one project folder's inputs were read into (a dict that can be weakly referenced)."""


_RECENT: OrderedDict[Path, _Cache] = OrderedDict()
"""The caches of the most recently opened project folders, kept even when no Project is left."""

_LIVE: weakref.WeakValueDictionary[Path, _Cache] = weakref.WeakValueDictionary()
"""Every cache some Project still uses, so all Projects of one folder in a process share one
(a test session, a notebook, the CLI's ``main`` called twice): each input is parsed once."""

_RECENT_ROOTS = 4
"""How many project folders' inputs a process keeps once their Projects are gone."""


def _cache_for(root: Path) -> _Cache:
    cache = _LIVE.get(root)
    if cache is None:  # (an empty cache is falsy: test for None)
        cache = _RECENT.get(root, _Cache())
        _LIVE[root] = cache
    _RECENT.pop(root, None)
    _RECENT[root] = cache
    while len(_RECENT) > _RECENT_ROOTS:
        _RECENT.popitem(last=False)
    return cache


def _one_snapshot(
    method: Callable[Concatenate[Project, P], T],
) -> Callable[Concatenate[Project, P], T]:
    """Make one call see one snapshot of the inputs: their fingerprint is computed once for the
    whole call (nested calls included), so the files are hashed once and every part of the
    answer comes from the same inputs."""

    @functools.wraps(method)
    def wrapper(self: Project, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self._pinned is not None:
            return method(self, *args, **kwargs)
        self._pinned = self.fingerprint()
        try:
            return method(self, *args, **kwargs)
        finally:
            self._pinned = None

    return wrapper


class Project:
    """One ictkg project folder and every step of the pipeline on it.

    Args:
        root: the checkout's top folder; by default ``$ICTKG_ROOT`` or the folder around the
            working directory (see :func:`ictkg.paths.find_root`).
        progress: called with a message as long steps start and end (the CLI prints them on
            stderr); silent by default.

    Raises:
        MissingInputError: when no project folder can be found.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        progress: Progress | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.paths: ProjectPaths = default_paths(root)
        """Where the inputs and outputs live."""
        self.progress: Progress = progress or _quiet
        """The progress callback."""
        self.limits: Limits | None = limits
        """Each query's deadline and largest answer (None: the defaults, 60 s and 100,000
        rows, 256 MiB from an endpoint); on every backend."""
        self._cache = _cache_for(self.paths.root)
        self._pinned: str | None = None

    def __repr__(self) -> str:
        return f"Project({str(self.paths.root)!r})"

    @property
    def root(self) -> Path:
        """The project folder."""
        return self.paths.root

    # -- Inputs, read once per input fingerprint --------------------------------------------------

    def forget(self, *keys: str) -> None:
        """Drop what was read (everything, or the named entries such as ``"shacl"``), so the
        next call reads the inputs again even if no file changed."""
        if not keys:
            self._cache.clear()
        for key in keys:
            self._cache.pop(key, None)

    def fingerprint(self) -> str:
        """A SHA-256 over every input file; it changes when any input changes."""
        return self.paths.fingerprint()

    def _cached(self, key: str, make: Callable[[], T]) -> T:
        stamp = self._pinned or self.fingerprint()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]  # type: ignore[no-any-return]
        value = make()
        self._cache[key] = (stamp, value)
        return value

    @_one_snapshot
    def stored_queries(self) -> tuple[StoredQuery, ...]:
        """Every stored query in ``queries/``, headers and SPARQL syntax checked.

        Raises:
            InputError: naming the file and line of the first invalid query.
        """
        return self._cached(
            "queries", lambda: tuple(load_queries(self.paths.queries_dir, syntax=True))
        )

    @_one_snapshot
    def stored_query(self, name: str) -> StoredQuery:
        """Find one stored query by id, number, slug or ``.rq`` path, reading only that file.

        Raises:
            UsageError: when no query has that name (the closest names are suggested).
            InputError: when the file is invalid.
        """
        hit = self._cache.get("queries")
        if hit is not None and hit[0] == self._pinned:
            return find_query(name, hit[1])
        return find_query(name, self.paths.queries_dir)

    @_one_snapshot
    def checks(self) -> tuple[CheckQuery, ...]:
        """The quality checks in ``queries/checks/``."""
        from ictkg.quality.checks import load_checks

        return self._cached("checks", lambda: tuple(load_checks(self.paths.checks_dir)))

    @_one_snapshot
    def shapes(self) -> Graph:
        """The SHACL shapes graph (every ``ontology/shapes/*.ttl``)."""
        from ictkg.model.dataset import load_shapes

        return self._cached("shapes", lambda: load_shapes(self.paths))

    @_one_snapshot
    def dataset(self) -> Dataset:
        """The built dataset: every source in its named graph, the passages and the catalogue.

        Do not modify it: it is shared by every later call until an input changes.

        Raises:
            InputError: naming the file, line and column of the first malformed input.
        """
        return self._cached("dataset", self._build_dataset)

    def _build_dataset(self) -> Dataset:
        from ictkg.model.dataset import build_dataset
        from ictkg.queries.catalogue import add_catalogue

        self.progress(f"building from {self.root}")
        started = time.perf_counter()
        queries = self.stored_queries()
        dataset = build_dataset(
            self.paths,
            extra_graph_builders=(lambda ds, paths: add_catalogue(ds, paths, queries),),
        )
        elapsed = time.perf_counter() - started
        self.progress(f"built {len(dataset)} triples in {elapsed:.2f}s")
        return dataset

    @_one_snapshot
    def quads(self) -> list[ox.Quad]:
        """The dataset's quads as pyoxigraph terms (for stores and dumps), converted once."""
        from ictkg.model.terms import dataset_quads

        return self._cached("quads", lambda: list(dataset_quads(self.dataset())))

    def column_labels(self) -> dict[str, dict[str, str]]:
        """Readable column headings per query variable and language (``queries/columns.yaml``).

        Raises:
            InputError: when the file is not a mapping of variable to ``{en: …, ja: …}``.
        """
        from ictkg.queries.headers import header_mapping

        path = self.paths.columns_file
        if not path.is_file():
            return {}
        data = header_mapping(path, read_input(path, "column headings").splitlines())
        labels: dict[str, dict[str, str]] = {}
        for number, (name, entry) in enumerate(data.items(), start=1):
            if not isinstance(entry, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in entry.items()
            ):
                raise InputError(
                    path,
                    f"column {name!r} must map languages to headings",
                    line=number,
                    hint="write 'meetingLabel: {en: Meeting, ja: 会合}'",
                )
            labels[str(name)] = dict(entry)
        return labels

    # -- Quality -----------------------------------------------------------------------------------

    @_one_snapshot
    def validate_shacl(self) -> ValidationReport:
        """Validate the dataset with the SHACL shapes (the ontology supplies the class tree)."""
        from ictkg.quality.shacl import validate

        dataset = self.dataset()
        shapes = self.shapes()

        def run() -> ValidationReport:
            self.progress("validating with SHACL")
            started = time.perf_counter()
            report = validate(dataset, shapes)
            self.progress(f"validated in {time.perf_counter() - started:.2f}s")
            return report

        return self._cached("shacl", run)

    @_one_snapshot
    def run_checks(self) -> tuple[CheckResult, ...]:
        """Run every quality check on an in-memory Oxigraph store holding the dataset."""
        from ictkg.quality.checks import run_checks

        checks = self.checks()
        return tuple(run_checks(list(checks), self._scratch_store()))

    def _scratch_store(self) -> Store:
        def make() -> Store:
            from ictkg.stores.oxigraph import OxigraphStore

            store = OxigraphStore()
            store.load(self.quads())
            return store

        return self._cached("scratch-store", make)

    @_one_snapshot
    def validate(self) -> Validation:
        """SHACL validation and every quality check."""
        report = self.validate_shacl()
        return Validation(report=report, checks=self.run_checks())

    @_one_snapshot
    def coverage(self) -> CoverageReport:
        """Which source paragraphs and footnotes the facts are derived from."""
        from ictkg.quality.coverage import coverage

        return coverage(self.dataset())

    @_one_snapshot
    def class_counts(self, lang: str = "en") -> tuple[ClassCount, ...]:
        """Resources per stated class (the inferred graph's superclasses are not counted) over
        every graph but the ontology, most numerous first, labelled in ``lang`` (else
        English)."""
        import pyoxigraph as ox

        counts: Counter[str] = Counter()
        labels: dict[str, list[tuple[bool, str]]] = {}
        seen: set[tuple[str, str]] = set()
        rdf_type, rdfs_label = RDF_NS + "type", RDFS_NS + "label"
        for quad in self.quads():
            graph = getattr(quad.graph_name, "value", "")
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if graph == ONTOLOGY_GRAPH_IRI:
                if (
                    predicate == rdfs_label
                    and isinstance(obj, ox.Literal)
                    and obj.language in (lang, "en")
                    and isinstance(subject, ox.NamedNode)
                ):
                    labels.setdefault(subject.value, []).append((obj.language != lang, obj.value))
                continue
            if graph == INFERRED_GRAPH_IRI:
                continue
            if predicate == rdf_type and isinstance(obj, ox.NamedNode):
                key = (str(subject), obj.value)
                if key not in seen:
                    seen.add(key)
                    counts[obj.value] += 1
        rows = [
            ClassCount(curie(iri) or f"<{iri}>", min(labels.get(iri, [(False, "")]))[1], count)
            for iri, count in counts.items()
        ]
        return tuple(sorted(rows, key=lambda row: (-row.count, row.curie)))

    # -- Views and description ---------------------------------------------------------------

    @_one_snapshot
    def schema_view(self) -> list[ox.Quad]:
        """The schema.org view of the data, in graph:schemaorg (see :mod:`ictkg.export.schemaorg`).

        Do not modify it: it is shared by every later call until an input changes.
        """
        from ictkg.export.schemaorg import schema_view

        return self._cached("schema-view", lambda: schema_view(self.quads()))

    @_one_snapshot
    def description(
        self,
        *,
        distributions: Sequence[DistributionFile] = (),
        endpoint: str | None = None,
        modified: dt.date | None = None,
    ) -> list[ox.Quad]:
        """The VoID and DCAT description of the dataset, in graph:void.

        Args:
            distributions: the exported files to list (see
                :func:`ictkg.export.description.build_distributions`).
            endpoint: the SPARQL endpoint that serves the dataset, if any.
            modified: when the data last changed; by default the date of
                ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention) or today (UTC).

        Returns:
            Sorted quads (see :func:`ictkg.export.description.describe`).
        """
        from ictkg import __version__
        from ictkg.export.description import describe

        when = modified or _source_date()
        files = tuple((str(d.path), d.media_type, d.bytes, d.triples) for d in distributions)
        # One slot per input fingerprint, holding an answer per set of arguments.
        answers: dict[tuple[Any, ...], list[ox.Quad]] = self._cached("description", dict)
        key = (endpoint, when.isoformat(), files)
        if key not in answers:
            answers[key] = describe(
                self.quads(),
                distributions=distributions,
                endpoint=endpoint,
                version=__version__,
                modified=when,
            )
        return answers[key]

    # -- Build and publish -------------------------------------------------------------------------

    @_one_snapshot
    def build(self, out_dir: Path | str | None = None, *, validate: bool = True) -> BuildResult:
        """Build and validate the dataset, then write the files and load the embedded store.

        Nothing is written when the data has SHACL violations (unless ``validate`` is False).

        Args:
            out_dir: the output folder (default ``build/``).
            validate: validate with SHACL first.

        Returns:
            What was built and written.

        Raises:
            InputError: for a malformed input; OutputError when the output cannot be written.
        """
        self.dataset()
        report = self.validate_shacl() if validate else None
        if report is not None and not report.conforms:
            return BuildResult(report=report, output=None, store_dir=None)
        output, store_dir = self.publish(out_dir)
        return BuildResult(report=report, output=output, store_dir=store_dir)

    @_one_snapshot
    def publish(self, out_dir: Path | str | None = None) -> tuple[BuildOutput, Path]:
        """Write ``ictkg.trig``, ``ictkg.nq``, ``graphs/*.ttl``, their VoID/DCAT description
        ``void.ttl`` and the embedded store (which holds the description too), unvalidated.

        Args:
            out_dir: the output folder (default ``build/``).

        Returns:
            The files written (``void.ttl`` last) and the embedded store's folder.
        """
        from ictkg.export.description import build_distributions
        from ictkg.export.dumps import write_build, write_turtle
        from ictkg.stores.embedded import write_embedded_store

        target = Path(out_dir) if out_dir is not None else self.paths.build_dir
        quads = self.quads()
        with output_lock(target, self.progress):  # one writer at a time; leftovers removed
            output = write_build(quads, target)
            description = self.description(distributions=build_distributions(output))
            void = write_turtle(description, target / VOID_FILE)
            output = dataclasses.replace(output, files=(*output.files, void))
            for path in output.files:
                self.progress(f"wrote {path}")
            store_dir = target / self.paths.store_dir.name
            started = time.perf_counter()
            fingerprint = self._pinned or self.fingerprint()
            write_embedded_store([*quads, *description], store_dir, fingerprint)
            elapsed = time.perf_counter() - started
        self.progress(f"loaded the embedded Oxigraph store {store_dir} in {elapsed:.2f}s")
        return output, store_dir

    @_one_snapshot
    def export(
        self,
        out_dir: Path | str | None = None,
        formats: Sequence[str | ExportFormat] | None = None,
        *,
        extra_quads: Iterable[ox.Quad] = (),
    ) -> ExportResult:
        """Export the dataset in linked-data formats and CSV tables (unvalidated).

        Args:
            out_dir: the export folder (default ``build/export/``), replaced as a whole.
            formats: format names (``ictkg.export.formats.FORMAT_NAMES``); all by default.
            extra_quads: generated graphs to export with the dataset (VoID, a schema.org view).

        Returns:
            Every file written, with media type, size and triple count.

        Raises:
            UsageError: for an unknown format; OutputError when the folder cannot be written
                (the previous export is then left as it was).
        """
        from ictkg.export.description import Distribution
        from ictkg.export.dumps import write_turtle
        from ictkg.export.formats import ExportedFile, ExportResult, export_dataset

        target = Path(out_dir) if out_dir is not None else self.paths.build_dir / "export"
        started = time.perf_counter()
        generated = [*self.schema_view(), *extra_quads]
        result = export_dataset(
            self.quads(), target, formats, extra_quads=generated, progress=self.progress
        )
        # The description lists the files just written (so it cannot be one of them).
        listed = tuple(
            Distribution(f.path.relative_to(target).as_posix(), f.media_type, f.bytes, f.triples)
            for f in result.files
            if f.triples is not None
        )
        description = self.description(distributions=listed)
        void = write_turtle(description, target / VOID_FILE)
        self.progress(f"wrote {void}")
        result = ExportResult(
            result.out_dir,
            (
                *result.files,
                ExportedFile(
                    path=void,
                    format="turtle",
                    media_type="text/turtle",
                    graph=VOID_GRAPH_IRI,
                    bytes=void.stat().st_size,
                    triples=len(description),
                    rows=None,
                ),
            ),
        )
        elapsed = time.perf_counter() - started
        self.progress(f"exported {len(result.files)} files to {target} in {elapsed:.2f}s")
        return result

    # -- Stores and queries ------------------------------------------------------------------------

    @_one_snapshot
    def open_store(self, backend: str = "embedded", *, endpoint: str | None = None) -> Store:
        """Open a store holding the dataset.

        Args:
            backend: ``embedded`` (the store ``build`` wrote, or, when it is missing or older
                than the inputs, a fresh in-memory Oxigraph store, with a progress message),
                ``memory`` (rdflib) or ``oxigraph`` (a fresh in-memory Oxigraph store).
            endpoint: a SPARQL 1.1 query URL that already holds the graph; overrides backend.

        Returns:
            The store.

        Raises:
            UsageError: for an unknown backend.
            StoreError: when the store cannot be opened.
        """
        from ictkg.stores import open_store
        from ictkg.stores.limits import DEFAULT_LIMITS

        limits = self.limits or DEFAULT_LIMITS
        if endpoint is not None:
            return open_store("endpoint", query_url=endpoint, limits=limits)
        if backend not in BACKEND_NAMES:
            raise UsageError(
                f"unknown backend {backend!r}", hint=f"choose one of {', '.join(BACKEND_NAMES)}"
            )
        if backend == "embedded":
            from ictkg.stores.embedded import open_embedded_store
            from ictkg.stores.oxigraph import DamagedStoreError

            try:
                store = open_embedded_store(
                    self.paths.store_dir, self._pinned or self.fingerprint(), limits=limits
                )
            except DamagedStoreError as exc:
                # Reported, and the answer still given: from the inputs, as for a stale store.
                self.progress(
                    f"{exc.message}; building the graph in memory (run `ictkg build` to write "
                    "the store again)"
                )
            else:
                if store is not None:
                    return store
                self.progress(
                    f"{self.paths.store_dir} is missing or older than the inputs (run `ictkg "
                    "build`); building the graph in memory"
                )
            backend = "oxigraph"
        # A store of its own for the caller, who may load into it or clear it; it holds the
        # dataset's description too, as the embedded store does (without the build's files).
        fresh = open_store(backend, limits=limits)
        fresh.load([*self.quads(), *self.description()])
        return fresh

    @_one_snapshot
    def query(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        lang: str | None = None,
        backend: str = "embedded",
        endpoint: str | None = None,
    ) -> QueryAnswer:
        """Run a stored query, its parameters bound as RDF terms.

        The values' syntax is checked before any store is opened, so a malformed value fails at
        once. Then each value of an IRI parameter is looked up in the store
        (:func:`ictkg.stores.names.resolve_bindings`): a name (``France``, ``フランス``, an
        alternative label, an unambiguous prefix such as ``Fran``; any case) becomes the one
        resource of the declared class (``#+ ... class:``) that carries it, and an IRI, CURIE
        or term must be in the graph and of that class. :func:`ictkg.stores.run_query` does
        none of this lookup: it binds what it is given.

        Args:
            name: the query's id, number, slug or ``.rq`` path.
            params: parameter name -> text as a user types it (``topic:security``,
                ``France``) or a term (an rdflib or pyoxigraph term; IRIs are checked too).
            lang: bound to the query's ``lang`` parameter when it has one and none is given
                (``en``/``ja``, the languages the data has labels in).
            backend: see :meth:`open_store`.
            endpoint: see :meth:`open_store`.

        Returns:
            The query and its answer (``answer.lang`` says which language its labels are in,
            or None when the query has no ``lang`` parameter).

        Raises:
            UsageError: for an unknown query, parameter or backend, a bad value, a ``lang``
                the data has no labels in, or ``lang`` and ``params["lang"]`` that disagree.
            AmbiguousNameError: a name several resources of the class carry (all are listed).
            UnknownNameError: a name or IRI no resource of the class has (the closest are
                suggested); ``WrongClassError`` when the IRI is of another class.
            PolicyError: when the query would reach the network (SERVICE, LOAD, FROM).
        """
        from ictkg.namespaces import LABEL_LANGUAGES
        from ictkg.queries.parameters import prepare_values, variable_bindings
        from ictkg.queries.sparql import check_policy
        from ictkg.stores.names import resolve_bindings

        query = self.stored_query(name)
        check_policy(query.text, str(query.path))
        values = dict(params or {})
        if lang is not None and lang not in LABEL_LANGUAGES:
            raise UsageError(
                f"the data has no labels in {lang!r}",
                hint=f"choose one of {', '.join(LABEL_LANGUAGES)}",
            )
        given = values.get("lang")
        if lang is not None and isinstance(given, str) and given.strip() != lang:
            raise UsageError(
                f"--lang {lang} and the parameter lang={given} disagree",
                hint="give the language once: --lang sets the lang parameter too",
            )
        if lang is not None and "lang" in query.parameters and "lang" not in values:
            values["lang"] = lang
        checked = prepare_values(query, values)  # refuse bad values before any slow work
        label_lang = None
        if "lang" in query.parameters:
            bound = checked.get("lang")
            label_lang = str(getattr(bound, "value", "en")) if bound is not None else "en"
        store = self.open_store(backend, endpoint=endpoint)
        # Names become the resources they name; IRIs must be in the graph, of the class the
        # header declares (a few small queries each, on any backend).
        terms = resolve_bindings(store, query, checked, lang=label_lang or "en")
        # Terms and policy are checked above; each term is bound to its grlc-named variable.
        result = store.query(query.text, variable_bindings(query, terms))
        return QueryAnswer(
            query=query,
            result=result,
            source=endpoint or backend,
            headings=self.column_labels(),
            lang=label_lang,
        )

    @_one_snapshot
    def search(
        self,
        text: str,
        *,
        lang: str | None = None,
        limit: int | None = 20,
        backend: str = "embedded",
        endpoint: str | None = None,
    ) -> SearchResult:
        """Find resources by their labels, descriptions and the source passages they come from.

        Matching is case-insensitive on NFKC-normalised text (full-width and half-width forms
        match), by substring, so Japanese needs no spaces; each word of ``text`` is a term (a
        "quoted phrase" is one) and resources matching more terms rank first (see
        :func:`ictkg.queries.search.search_texts`). The texts are read from the store with
        four portable SPARQL queries, so an endpoint works as the embedded store does.

        Args:
            text: what to look for, in English or Japanese (``意見交換``, ``cybersecurity``).
            lang: the language of the labels shown (``en`` when None); matching always covers
                both languages.
            limit: the most hits to return (None or 0: all).
            backend: see :meth:`open_store`.
            endpoint: see :meth:`open_store`.

        Returns:
            The ranked hits, each with its matches and the passages it is derived from.

        Raises:
            UsageError: for an empty search text, a language the data has no labels in, a
                negative limit or an unknown backend.

        Example::

            hits = Project().search("意見交換").hits
            print(hits[0].resource, hits[0].matched_passages[0].text)
        """
        from ictkg.namespaces import LABEL_LANGUAGES
        from ictkg.queries.search import SEARCH_QUERIES, query_terms, search_texts

        language = lang or "en"
        if language not in LABEL_LANGUAGES:
            raise UsageError(
                f"the data has no labels in {language!r}",
                hint=f"choose one of {', '.join(LABEL_LANGUAGES)}",
            )
        if not query_terms(text):
            raise UsageError(
                "nothing to search for", hint="give a word or phrase, e.g. ictkg search 意見交換"
            )
        if limit is not None and limit < 0:
            raise UsageError(f"limit {limit} is negative", hint="give 0 for every hit")
        store = self.open_store(backend, endpoint=endpoint)
        answers = {name: store.query(sparql) for name, sparql in SEARCH_QUERIES.items()}
        return search_texts(
            text,
            answers,
            lang=language,
            limit=limit,
            source=endpoint or backend,
        )

    @_one_snapshot
    def sparql(
        self,
        query: str | AdhocQuery,
        *,
        backend: str = "embedded",
        endpoint: str | None = None,
    ) -> SparqlAnswer:
        """Run an ad-hoc SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE.

        The project prefixes (``ictkg.namespaces.PREFIXES``) the text does not declare are
        declared for it, and the network policy holds (SERVICE, LOAD and FROM are refused).
        The syntax is checked by Oxigraph before any store is opened, so an error names the
        line and column in the text as written, whichever store would have answered. What
        DESCRIBE returns is the engine's own choice (Oxigraph and rdflib: each resource's
        triples as subject, following blank nodes); :meth:`describe` gives ictkg's.

        Args:
            query: the query text, or one read by :func:`ictkg.queries.adhoc.read_query`.
            backend: see :meth:`open_store`.
            endpoint: see :meth:`open_store`.

        Returns:
            The query and its rows, boolean or triples.

        Raises:
            InputError: for a syntax error (the text's own line and column).
            PolicyError: when the query would reach the network.
            UsageError: for an empty text, an update, or an unknown backend.
            StoreError: when the store cannot answer.

        >>> answer = Project().sparql("ASK { meeting:jp-us-ied-4 a ictkg:Meeting }")
        >>> answer.result.boolean
        True
        """
        from ictkg.queries.adhoc import prepare_query, shift_error

        adhoc = prepare_query(query) if isinstance(query, str) else query
        self._check_adhoc_syntax(adhoc)
        store = self.open_store(backend, endpoint=endpoint)
        try:
            if adhoc.is_graph:
                triples = tuple(store.query_graph(adhoc.text))
                result = None
            else:
                result, triples = store.query(adhoc.text), None
        except InputError as exc:
            raise shift_error(exc, adhoc) from exc
        return SparqlAnswer(
            query=adhoc,
            result=result,
            triples=triples,
            source=endpoint or backend,
            headings=self.column_labels(),
        )

    @staticmethod
    def _check_adhoc_syntax(adhoc: AdhocQuery) -> None:
        import pyoxigraph as ox

        from ictkg.queries.adhoc import shift_error
        from ictkg.queries.sparql import oxigraph_syntax_error

        try:
            # Parsing happens here; an empty store makes evaluation immediate and harmless.
            ox.Store().query(adhoc.text)
        except SyntaxError as exc:
            error = oxigraph_syntax_error(exc, adhoc.where, "the query must be valid SPARQL 1.1")
            raise shift_error(error, adhoc) from exc

    @_one_snapshot
    def describe(
        self,
        name: str,
        *,
        lang: str = "en",
        backend: str = "embedded",
        endpoint: str | None = None,
        expected_class: str | None = None,
        include_inferred: bool = True,
    ) -> Description:
        """Everything the graph says about one resource, and the sources behind it.

        Args:
            name: an IRI (``<…>`` or absolute), a CURIE with a project prefix
                (``meeting:jp-us-ied-4``), or a label or alternative label in English or
                Japanese, ignoring case (``France``, ``フランス``).
            lang: the language of the labels shown for the other terms (``en`` or ``ja``).
            backend: see :meth:`open_store`.
            endpoint: see :meth:`open_store`.
            expected_class: only resources of this class (its IRI) count as matches.
            include_inferred: also give what only the derived graph (``graph:inferred``)
                states: the superclasses of its types, derived dates and partners.

        Returns:
            The statements about it and pointing to it, with the graphs stating them and the
            labels of the terms they name, and the source passages and press releases behind
            it (see :class:`ictkg.project.describe.Description`).

        Raises:
            AmbiguousNameError: a label several resources carry (the candidates are listed).
            UnknownNameError: nothing has that name (the closest names are suggested).
            UsageError: for an unknown language or backend.
            StoreError: when the store cannot answer.

        >>> d = Project().describe("meeting:jp-us-ied-4")
        >>> d.label("https://w3id.org/ictkg/id/series/jp-us-ied")
        'Japan-U.S. Policy Cooperation Dialogue on the Internet Economy'
        """
        from ictkg.namespaces import LABEL_LANGUAGES
        from ictkg.project.describe import describe_resource
        from ictkg.stores.names import resolve_name

        if lang not in LABEL_LANGUAGES:
            raise UsageError(
                f"no labels in {lang!r}", hint=f"choose one of {', '.join(LABEL_LANGUAGES)}"
            )
        store = self.open_store(backend, endpoint=endpoint)
        resource = resolve_name(store, name, expected_class, lang=lang)
        return describe_resource(
            store,
            resource,
            lang=lang,
            include_inferred=include_inferred,
            source=endpoint or backend,
        )

    # -- The demo ----------------------------------------------------------------------------------

    @_one_snapshot
    def demo(self, lang: str = "en") -> DemoReport:
        """Build, validate and load the embedded store, then answer the showcase questions.

        Args:
            lang: the language of the labels in the answers, of the class labels and of the
                questions (``en`` or ``ja``).

        Returns:
            The build (with its report; nothing else when the data does not conform), the
            resources per class, the coverage and the showcase answers from the embedded store.
        """
        built = self.build()
        if not built.conforms or built.store_dir is None:
            from ictkg.quality.coverage import CoverageReport

            return DemoReport(built, (), CoverageReport(passages=()), (), {}, lang)
        from ictkg.stores.embedded import open_embedded_store

        store = open_embedded_store(built.store_dir)
        assert store is not None  # publish() has just written it
        queries = {q.id: q for q in self.stored_queries()}
        answers = []
        for item in SHOWCASE:
            query = queries.get(item.query_id)
            if query is None:
                continue
            bindings = dict(item.parameters)
            if "lang" in query.parameters:
                bindings["lang"] = lang
            answers.append(
                ShowcaseAnswer(
                    question=item.question_in(lang),
                    query_id=item.query_id,
                    columns=item.columns,
                    result=run_query(query, store, bindings),
                )
            )
        return DemoReport(
            built,
            self.class_counts(lang),
            self.coverage(),
            tuple(answers),
            self.column_labels(),
            lang,
        )

    # -- Loading a remote endpoint -----------------------------------------------------------------

    @_one_snapshot
    def load(
        self,
        endpoint: str,
        *,
        store_url: str | None = None,
        update_url: str | None = None,
        force: bool = False,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_delay: float = 30.0,
    ) -> LoadReport:
        """Validate the dataset, then replace the endpoint's ictkg graphs with it, all at once.

        The VoID/DCAT description (graph:void, with ``void:sparqlEndpoint``) is loaded with
        the data. Each named graph goes into a staging graph first; their triple counts are
        checked and one SPARQL Update moves them all into place, so readers see the old dataset
        or the new one (see :mod:`ictkg.stores.loader`). Nothing reaches the network before
        validation passes.

        Args:
            endpoint: the SPARQL query URL (``http://localhost:7878/query``); credentials in
                it are accepted and stripped, or come from ``$ICTKG_ENDPOINT_USER`` /
                ``$ICTKG_ENDPOINT_PASSWORD`` or a netrc file.
            store_url: the Graph Store Protocol URL (derived for Oxigraph and Virtuoso).
            update_url: the SPARQL Update URL (derived for Oxigraph and Virtuoso).
            force: load even when the data does not conform (validation is then skipped).
            timeout: seconds each HTTP request may take.
            retries: tries again of each idempotent step after a transient failure.
            backoff: the first retry's delay in seconds (doubled each time).
            max_delay: the longest wait between tries, ``Retry-After`` included.

        Returns:
            The validation and what was loaded (``load`` is None when the data does not
            conform: nothing was sent).

        Raises:
            UsageError: for a bad URL or option (exit 2).
            StoreAuthError: HTTP 401 or 403 (exit 77).
            StoreTimeoutError: a step timed out on every try (exit 75).
            StoreError: any other endpoint failure (exit 69); the live graphs are unchanged.
        """
        from ictkg.stores import endpoint_target, load_endpoint

        target = endpoint_target(endpoint, update_url, store_url)  # bad URLs fail before work
        validation = None
        if not force:
            validation = self.validate()
            if not validation.conforms:
                return LoadReport(validation=validation, load=None)
        # The dataset's description goes too, naming the endpoint it is now served by.
        description = self.description(endpoint=target.query_url)
        done = load_endpoint(
            [*self.quads(), *description],
            target,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_delay=max_delay,
            progress=self.progress,
        )
        return LoadReport(validation=validation, load=done)
