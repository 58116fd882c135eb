"""The dataset's own description in VoID and DCAT: what it is, where it comes from, how big it is
and where to get it; writing the files it describes is left to :mod:`ictkg.export.dumps`.

Every count is a SPARQL aggregate (``ictkg/export/views/void-*.rq``) run by Oxigraph over the
dataset's quads, leaving out the description graph itself (the schema.org view is counted when
the caller includes it in ``quads``). What the counts mean:

- ``void:triples`` of the dataset: distinct triples of the union of the named graphs (a triple
  stated in two graphs counts once); of a subset: the triples of that one graph.
- ``void:entities``: distinct subjects named by an IRI (VoID's entity); per class, the distinct
  IRI subjects typed with it.
- ``void:classes`` / ``void:properties``: distinct objects of ``rdf:type`` / distinct predicates.

Every integer is ``xsd:integer`` (docs/decisions.md "Integers"), ``dcat:byteSize`` included:
Oxigraph turns ``xsd:nonNegativeInteger`` into ``xsd:integer`` on load, so DCAT 3's suggested
datatype would not survive a round trip through a store.

Example::

    from datetime import date
    from ictkg import Project
    from ictkg.export.description import describe

    quads = describe(Project().quads(), version="0.1.0", modified=date(2026, 12, 2))
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath, PurePosixPath
from typing import Protocol

import pyoxigraph as ox

from ictkg.errors import UsageError
from ictkg.export.dumps import BuildOutput, graph_file_name, sorted_quads
from ictkg.export.schemaorg import source_store, view_query
from ictkg.namespaces import (
    BASE,
    DATASET_IRI,
    ID_NS,
    PREFIXES,
    RDF_NS,
    SD_NS,
    VOID_GRAPH_IRI,
    XSD_NS,
    curie,
    graph_stem,
)

__all__ = [
    "DESCRIPTION",
    "MEDIA_TYPES",
    "TITLE",
    "Distribution",
    "DistributionFile",
    "build_distributions",
    "describe",
    "package_license",
]

TITLE: dict[str, str] = {
    "en": "ictkg: ICT diplomacy knowledge graph",
    "ja": "ictkg:ICT外交ナレッジグラフ",
}
"""The dataset's title per language (after the ontology's own title)."""

DESCRIPTION: dict[str, str] = {
    "en": "A knowledge graph of Japan's bilateral ICT policy dialogues, meetings, topics, "
    "documents and outcomes, built from the MIC Information and Communications White Papers, "
    "with every fact traced to the passage of the white paper that states it.",
    "ja": "総務省の情報通信白書から作成した、日本の二国間ICT政策対話・会合・議題・文書・成果の"
    "ナレッジグラフ。各事実は、それを記述する白書の箇所に出典をたどれる。",
}
"""The dataset's description per language (after pyproject's and the ontology's)."""

MEDIA_TYPES: dict[str, str] = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv",
}
"""IANA media type per file suffix, for :func:`build_distributions`."""

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
"""Where IANA registers media types: ``dcat:mediaType`` is this plus ``type/subtype``."""

_DCAT = PREFIXES["dcat"]
_DCT = PREFIXES["dct"]
_VOID = PREFIXES["void"]
_PROV = PREFIXES["prov"]


class DistributionFile(Protocol):
    """What :func:`describe` needs to know of one exported file."""

    @property
    def path(self) -> str | PurePath:
        """The file's path relative to the build folder (``graphs/wp2013.ttl``)."""

    @property
    def media_type(self) -> str:
        """Its IANA media type (``text/turtle``)."""

    @property
    def bytes(self) -> int:
        """Its size in bytes."""

    @property
    def triples(self) -> int:
        """How many triples (or quads) it holds."""


@dataclass(frozen=True)
class Distribution:
    """One exported file, as :func:`describe` lists it (a :class:`DistributionFile`)."""

    path: str
    """The file's path relative to the build folder, with ``/`` separators."""
    media_type: str
    """Its IANA media type."""
    bytes: int
    """Its size in bytes."""
    triples: int
    """How many triples (or quads) it holds."""


def build_distributions(output: BuildOutput) -> tuple[Distribution, ...]:
    """Describe the files :func:`ictkg.export.dumps.write_build` wrote, for :func:`describe`.

    ``ictkg.trig`` and ``ictkg.nq`` hold every quad; ``graphs/<name>.ttl`` the triples of
    one graph. Files of an unknown kind are left out.

    Args:
        output: what ``write_build`` returned.

    Returns:
        One distribution per dump file, sorted by path.
    """
    per_graph = {graph_file_name(g): n for g, n in output.triple_counts}
    total = sum(per_graph.values())
    found = []
    for path in output.files:
        relative = PurePosixPath(Path(path).relative_to(output.out_dir).as_posix())
        media_type = MEDIA_TYPES.get(relative.suffix)
        if media_type is None:
            continue
        in_graph = relative.parent.name == "graphs" and relative.stem in per_graph
        found.append(
            Distribution(
                path=str(relative),
                media_type=media_type,
                bytes=Path(path).stat().st_size,
                triples=per_graph[relative.stem] if in_graph else total,
            )
        )
    return tuple(sorted(found, key=lambda d: d.path))


def package_license() -> str:
    """Return the licence IRI (SPDX) of what pyproject.toml declares for the package.

    The README states no licence for the data, so the dataset carries the package's.

    >>> package_license()
    'https://spdx.org/licenses/MIT'
    """
    meta = metadata.metadata("ictkg")
    declared = [*(meta.get_all("License-Expression") or ()), *(meta.get_all("License") or ())]
    spdx = declared[0] if declared else ""
    if not spdx or any(c.isspace() for c in spdx.strip()):
        raise UsageError(
            f"the package's licence {spdx!r} is not one SPDX identifier",
            hint="give the licence IRI to describe(license_iri=...)",
        )
    return f"https://spdx.org/licenses/{spdx.strip()}"


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD_NS + "integer"))


def _date(value: dt.date) -> ox.Literal:
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD_NS + "dateTime"))
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD_NS + "date"))


_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")
"""A relative file path that needs no escaping in an IRI."""


def _hashed(iri: str) -> str:
    return "iri-" + hashlib.sha256(iri.encode()).hexdigest()[:16]


def _slug(iri: str) -> str:
    """A readable, unique path segment for a class or property (``ictkg-Meeting``)."""
    short = curie(iri)
    # No prefix holds "-", so "prefix-local" is unique; other IRIs get a hash.
    return short.replace(":", "-", 1) if short else _hashed(iri)


def _subset_slug(graph: str) -> str:
    local = graph_stem(graph) or ""
    return local if _SAFE_PATH.match(local) and "/" not in local else _hashed(graph)


def _select(store: ox.Store, name: str) -> list[ox.QuerySolution]:
    return list(store.query(view_query(name), use_default_graph_as_union=True))  # type: ignore[arg-type]


def _count(solution: ox.QuerySolution, variable: str) -> int:
    term = solution[variable]
    return int(term.value) if term is not None else 0


def _iri(text: str, what: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise UsageError(f"{what} {text!r} is not an IRI: {exc}") from exc


def _download_path(item: DistributionFile) -> str:
    path = PurePosixPath(PurePath(item.path).as_posix())
    if path.is_absolute() or ".." in path.parts or not _SAFE_PATH.match(str(path)):
        raise UsageError(
            f"distribution path {str(item.path)!r} must be relative to the build folder "
            "and made of letters, digits, '.', '_', '-' and '/'",
            hint="give paths such as 'ictkg.trig' or 'graphs/wp2013.ttl'",
        )
    return str(path)


def describe(
    quads: Iterable[ox.Quad],
    *,
    distributions: Sequence[DistributionFile] = (),
    endpoint: str | None = None,
    version: str,
    modified: dt.date,
    license_iri: str | None = None,
    base: str = BASE,
) -> list[ox.Quad]:
    """Return the VoID and DCAT description of a dataset: quads in the void graph, sorted.

    Args:
        quads: the dataset; quads already in the description graph are ignored.
        distributions: the exported files to list as ``dcat:distribution``.
        endpoint: the SPARQL endpoint serving the dataset, if any (``void:sparqlEndpoint``).
        version: the dataset's version (the package version).
        modified: when the data last changed (a date, or a datetime for ``xsd:dateTime``).
        license_iri: the licence; by default the one licence the data states for itself
            (``dct:license`` on the ontology and the topic scheme: CC BY 4.0), else the
            package's (:func:`package_license`).
        base: what each distribution's path is relative to in ``dcat:downloadURL``.

    Returns:
        The description's quads, each once, in the order the dumps use.

    Raises:
        UsageError: for an endpoint or licence that is not an IRI, or a distribution path that
            is not relative.
    """
    store = source_store(quads, skip=(VOID_GRAPH_IRI,))  # the view counts, if it is there
    graph = ox.NamedNode(VOID_GRAPH_IRI)
    out: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Quad(subject, ox.NamedNode(predicate), obj, graph))

    dataset = ox.NamedNode(DATASET_IRI)
    add(dataset, RDF_NS + "type", ox.NamedNode(_DCAT + "Dataset"))
    add(dataset, RDF_NS + "type", ox.NamedNode(_VOID + "Dataset"))
    for lang, text in TITLE.items():
        add(dataset, _DCT + "title", ox.Literal(text, language=lang))
    for lang, text in DESCRIPTION.items():
        add(dataset, _DCT + "description", ox.Literal(text, language=lang))
    stated = sorted({row["license"].value for row in _select(store, "void-licenses.rq")})
    default = stated[0] if len(stated) == 1 else package_license()
    add(dataset, _DCT + "license", _iri(license_iri or default, "licence"))
    add(dataset, _DCAT + "version", ox.Literal(version))
    add(dataset, _DCT + "modified", _date(modified))
    add(dataset, _VOID + "uriSpace", ox.Literal(ID_NS))
    for row in _select(store, "void-sources.rq"):
        source = row["source"]
        assert isinstance(source, ox.NamedNode)
        # Not prov:wasDerivedFrom: the shapes keep that for links to generated passages; not
        # dct:source, which the data keeps for a fact's cited press release (query 22 lists it).
        add(dataset, _PROV + "hadPrimarySource", source)

    (totals,) = _select(store, "void-totals.rq")
    for name in ("triples", "entities", "classes", "properties"):
        add(dataset, _VOID + name, _int(_count(totals, name)))

    for row in _select(store, "void-graphs.rq"):
        name = row["graph"]
        assert isinstance(name, ox.NamedNode)
        subset = ox.NamedNode(f"{DATASET_IRI}/graph/{_subset_slug(name.value)}")
        add(dataset, _VOID + "subset", subset)
        add(subset, RDF_NS + "type", ox.NamedNode(_VOID + "Dataset"))
        add(subset, SD_NS + "name", name)
        add(subset, _VOID + "triples", _int(_count(row, "triples")))
        add(subset, _VOID + "entities", _int(_count(row, "entities")))

    for row in _select(store, "void-classes.rq"):
        cls = row["class"]
        assert isinstance(cls, ox.NamedNode)
        partition = ox.NamedNode(f"{DATASET_IRI}/class/{_slug(cls.value)}")
        add(dataset, _VOID + "classPartition", partition)
        add(partition, _VOID + "class", cls)
        add(partition, _VOID + "entities", _int(_count(row, "entities")))

    for row in _select(store, "void-properties.rq"):
        prop = row["property"]
        assert isinstance(prop, ox.NamedNode)
        partition = ox.NamedNode(f"{DATASET_IRI}/property/{_slug(prop.value)}")
        add(dataset, _VOID + "propertyPartition", partition)
        add(partition, _VOID + "property", prop)
        add(partition, _VOID + "triples", _int(_count(row, "triples")))

    for row in _select(store, "void-examples.rq"):
        meeting = row["meeting"]
        assert isinstance(meeting, ox.NamedNode)
        add(dataset, _VOID + "exampleResource", meeting)

    if endpoint is not None:
        add(dataset, _VOID + "sparqlEndpoint", _iri(endpoint, "endpoint"))

    for item in distributions:
        path = _download_path(item)
        file = ox.NamedNode(f"{DATASET_IRI}/distribution/{path}")
        url = _iri(base + path, "download URL")
        add(dataset, _DCAT + "distribution", file)
        add(file, RDF_NS + "type", ox.NamedNode(_DCAT + "Distribution"))
        add(file, _DCT + "title", ox.Literal(path))
        add(file, _DCAT + "downloadURL", url)
        add(file, _DCAT + "accessURL", url)
        add(file, _DCAT + "mediaType", _iri(IANA_MEDIA_TYPES + item.media_type, "media type"))
        add(file, _DCAT + "byteSize", _int(item.bytes))
        add(file, _VOID + "triples", _int(item.triples))
    return sorted_quads(out)
