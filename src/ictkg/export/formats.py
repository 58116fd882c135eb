"""Write the built dataset in every linked-data format (Turtle, N-Triples, N-Quads, TriG,
JSON-LD with a published context, RDF/XML) and as CSV tables of the main classes; building the
dataset and describing the files (VoID, DCAT) are left to others.

Everything is a pure function of pyoxigraph quads: the same quads give the same bytes. Quads
are sorted as :func:`ictkg.export.dumps.sorted_quads` sorts them (with RDFC-1.0 blank-node
labels), JSON keys are sorted and JSON arrays of unordered values are put in a fixed order,
and CSV rows and multi-values are sorted. The export is written into a temporary sibling of the
target folder and swapped in only when complete, so a failure part-way leaves the previous
export as it was.

Example::

    from ictkg import Project
    from ictkg.export.formats import export_dataset

    result = export_dataset(Project().quads(), Path("build/export"), ["turtle", "jsonld"])
    for file in result.files:
        print(file.path, file.media_type, file.bytes, file.triples)
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import xml.parsers.expat
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ictkg.errors import OutputError, UsageError, one_line
from ictkg.export.dumps import graph_file_name, sorted_quads, used_prefixes
from ictkg.namespaces import ICTKG_NS, INFERRED_GRAPH_IRI, PREFIXES, RDF_NS, RDFS_NS, curie

__all__ = [
    "CONTEXT_FILE",
    "CSV_FORMAT",
    "CSV_TABLES",
    "FORMATS",
    "FORMAT_NAMES",
    "CsvColumn",
    "CsvTable",
    "ExportFormat",
    "ExportResult",
    "ExportedFile",
    "LocalContextOnlyError",
    "MARKER_FILE",
    "WriteContext",
    "csv_rows",
    "export_dataset",
    "jsonld_context",
    "read_jsonld",
]

Progress = Callable[[str], None]
"""Called with a short message as each file is written."""

Writer = Callable[[Sequence[ox.Quad], Path, "WriteContext"], None]
"""Writes sorted quads (a triple format gets them all in the default graph) to a path."""

CONTEXT_FILE = "ictkg.context.jsonld"
"""The JSON-LD context every JSON-LD file of an export refers to, written beside them."""

MARKER_FILE = ".ictkg-export"
"""Written into every export folder: only a folder holding it (or an empty one) is replaced, so
``--out build`` or ``--out .`` can never wipe a folder that is not an export."""

STEM = "ictkg"
"""The file stem of the whole-dataset files (``ictkg.ttl``, ``ictkg.nq`` …)."""

_RDF_TYPE = RDF_NS + "type"
_RDFS_LABEL = RDFS_NS + "label"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = RDF_NS + "langString"
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dct"]
_ORG = PREFIXES["org"]
_PROV = PREFIXES["prov"]
_SCHEMA = PREFIXES["schema"]
_RDFS_SUBCLASS = RDFS_NS + "subClassOf"


@dataclass(frozen=True)
class WriteContext:
    """What a writer may need besides the quads."""

    context: Mapping[str, Any]
    """The JSON-LD context (the content of :data:`CONTEXT_FILE`)."""
    context_ref: str
    """How a JSON-LD file refers to the context: a path relative to the file."""


@dataclass(frozen=True)
class ExportFormat:
    """One RDF format an export can be written in."""

    name: str
    """The name ``--format`` takes (``turtle``)."""
    extension: str
    """The file extension, without the dot (``ttl``)."""
    media_type: str
    """The IANA media type (``text/turtle``)."""
    quads: bool
    """True for a dataset format (named graphs kept), False for a triple format (the union)."""
    write: Writer = field(repr=False, compare=False)
    """Writes the sorted quads to a file."""
    description: str = ""
    """One line for ``--help``."""


@dataclass(frozen=True)
class ExportedFile:
    """One file an export wrote (what a VoID/DCAT distribution describes)."""

    path: Path
    """Where it is, below the export folder as it stands after the export."""
    format: str
    """The format's name (``turtle``, ``csv`` …; ``jsonld-context`` for the context)."""
    media_type: str
    """The IANA media type."""
    graph: str | None
    """The named graph's IRI, or None for a file of the whole dataset."""
    bytes: int
    """Its size in bytes."""
    triples: int | None
    """Quads (dataset formats) or distinct triples (triple formats) it holds; None for a table
    or the context."""
    rows: int | None = None
    """Data rows of a CSV table (the header not counted); None for RDF files."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_dataset` wrote."""

    out_dir: Path
    """The export folder."""
    files: tuple[ExportedFile, ...]
    """Every file written, sorted by path."""


class LocalContextOnlyError(UsageError):
    """A JSON-LD document refers to a context that is not the local export's context."""


# -- RDF writers -------------------------------------------------------------------------------


def _oxigraph_writer(fmt: ox.RdfFormat, *, prefixes: bool) -> Writer:
    def write(quads: Sequence[ox.Quad], path: Path, _ctx: WriteContext) -> None:
        if fmt.supports_datasets:
            items: list[Any] = list(quads)
        else:
            items = [q.triple for q in quads]
        ox.serialize(items, path, fmt, prefixes=used_prefixes(quads) if prefixes else None)

    return write


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, not even as a character reference."""


def _write_rdfxml(quads: Sequence[ox.Quad], path: Path, _ctx: WriteContext) -> None:
    """RDF/XML by pyoxigraph, which writes every character of a literal as it is: a carriage
    return then comes back from any XML parser as a line feed (XML normalises line ends), and a
    control character such as U+0001 makes the file not XML at both. Found by the round-trip
    property (tests/property/test_export_round_trips.py), read back with rdflib's XML parser.

    Raises:
        OutputError: for a character XML cannot hold (the other formats can).
    """
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            bad = _NOT_XML.search(str(getattr(term, "value", "")))
            if bad:
                raise OutputError(
                    path,
                    f"RDF/XML cannot hold the character U+{ord(bad[0]):04X} of {term}",
                    hint="export in another format (turtle, ntriples, nquads, trig, jsonld), "
                    "or remove the character from the data",
                )
    _oxigraph_writer(ox.RdfFormat.RDF_XML, prefixes=True)(quads, path, _ctx)
    data = path.read_bytes()
    if b"\r" in data:  # (pyoxigraph ends its own lines with \n: a \r is from the data)
        data = data.replace(b"\r", b"&#13;")
        path.write_bytes(data)
    # A property (or rdf:type class) IRI RDF/XML cannot split into namespace and XML name
    # (ending in '/', '#', a digit, '~', '(' …) comes out as an empty name, '<oxprefix:', that
    # no XML parser reads; so does a name with a character expat's XML names do not allow.
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")  # (names checked)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        line = data.splitlines()[exc.lineno - 1].decode("utf-8", "replace").strip()
        raise OutputError(
            path,
            f"RDF/XML cannot write a property or class IRI that does not end in an XML name: "
            f"{one_line(line[:120])}",
            hint="export in another format (turtle, ntriples, nquads, trig, jsonld)",
        ) from exc


def _sort_json(value: Any, *, in_list: bool = False) -> Any:
    """Sort dict keys (by json.dumps) and every array of unordered values (not ``@list``)."""
    if isinstance(value, dict):
        return {k: _sort_json(v, in_list=k == "@list") for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        if in_list:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld_document(graph: Any, context: Mapping[str, Any]) -> Any:
    """What rdflib's JSON-LD serializer writes for ``graph`` with ``context``, except that blank
    nodes reached only through a cycle of blank nodes are written too, and a first value that
    is ``""``, ``0`` or ``false`` is kept beside the next one.

    rdflib 7 starts its node list from IRIs and from blank nodes that are no triple's object,
    so ``_:a :p _:b . _:b :p _:a`` (or ``_:a :p _:a``) came out as nothing at all (found by the
    round-trip property, tests/property/test_export_round_trips.py).
    """
    from rdflib import BNode, URIRef
    from rdflib.plugins.serializers.jsonld import Converter
    from rdflib.plugins.shared.jsonld.context import Context

    class _Context(Context):
        # A CURIE whose local part starts with "//" (ictkg:// for ictkg:'s namespace + "//")
        # reads back as an IRI of scheme "ictkg": the IRI is written in full instead.
        def shrink_iri(self, iri: str) -> str:
            return _full_if_ambiguous(str(iri), super().shrink_iri(iri)) or ""

        def to_symbol(self, iri: str) -> str | None:
            return _full_if_ambiguous(str(iri), super().to_symbol(iri))

    class _EveryNodeConverter(Converter):
        def from_graph(self, graph: Any) -> list[Any]:
            nodemap: dict[Any, Any] = {}
            subjects = set(graph.subjects())
            roots = {
                s for s in subjects if isinstance(s, URIRef) or not any(graph.subjects(None, s))
            }
            for s in roots:
                self.process_subject(graph, s, nodemap)
            for s in subjects - roots:  # (those reached from a root are in nodemap already)
                if isinstance(s, BNode):
                    self.process_subject(graph, s, nodemap)
            return list(nodemap.values())

        def add_to_node(
            self, graph: Any, s: Any, p: Any, o: Any, s_node: dict[str, Any], nodemap: Any
        ) -> None:
            # rdflib tests the value already there for truth, so a first value "", 0 or false
            # was replaced by the next one; its result for this one value is merged here.
            fresh: dict[str, Any] = {}
            super().add_to_node(graph, s, p, o, fresh, nodemap)
            for key, value in fresh.items():
                if key not in s_node:
                    s_node[key] = value
                    continue
                old = s_node[key]
                if _is_language_map(old) and _is_language_map(value):
                    for lang, text in value.items():
                        if lang in old:
                            known = old[lang] if isinstance(old[lang], list) else [old[lang]]
                            old[lang] = [*known, *(text if isinstance(text, list) else [text])]
                        else:
                            old[lang] = text
                    continue
                s_node[key] = [
                    *(old if isinstance(old, list) else [old]),
                    *(value if isinstance(value, list) else [value]),
                ]

    # As rdflib's from_rdf(graph, context, auto_compact=True) does; native JSON numbers and
    # booleans as rdflib writes them (its serializer always turns them on).
    converter = _EveryNodeConverter(_Context(dict(context)), True, False)
    result = converter.convert(graph)
    if isinstance(result, list):
        result = {"@graph": result}
    return json.loads(json.dumps(result, ensure_ascii=False))


def _full_if_ambiguous(iri: str, short: str | None) -> str | None:
    """``iri`` when ``short`` is a CURIE whose local part starts with ``//``, else ``short``."""
    if short is not None and short != iri and short.partition(":")[2].startswith("//"):
        return iri
    return short


def _is_language_map(value: Any) -> bool:
    """A ``{"ja": …, "en": …}`` map, not a node or value object (whose keys start with @)."""
    return isinstance(value, dict) and not any(str(k).startswith("@") for k in value)


def _write_jsonld(quads: Sequence[ox.Quad], path: Path, ctx: WriteContext) -> None:
    """Compact JSON-LD through rdflib's serializer, with the context given as a dict."""
    from rdflib import Dataset, Graph

    from ictkg.model.terms import to_rdflib

    named = any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    graph: Graph
    if named:
        dataset = Dataset()
        for q in quads:
            target = (
                dataset.default_graph
                if isinstance(q.graph_name, ox.DefaultGraph)
                else dataset.graph(to_rdflib(q.graph_name))  # type: ignore[arg-type]
            )
            target.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        graph = dataset
    else:
        graph = Graph()
        for q in quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    document = _jsonld_document(graph, ctx.context)
    if isinstance(document, list):  # (rdflib gives a bare array when nothing compacts)
        document = {"@graph": document}
    document["@context"] = ctx.context_ref
    if "@graph" in document:
        # Named graphs (and the nodes of each) in IRI order; values in a fixed order.
        document["@graph"] = sorted(
            (_sort_json(node) for node in document["@graph"]),
            key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True)),
        )
        for node in document["@graph"]:
            if isinstance(node.get("@graph"), list):
                node["@graph"] = sorted(node["@graph"], key=lambda n: str(n.get("@id", "")))
        document = {k: document[k] for k in sorted(document)}
    else:
        document = _sort_json(document)
    _write_json(document, path)


def _write_json(document: Any, path: Path) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    path.write_bytes(text.encode("utf-8"))


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "turtle",
            "ttl",
            "text/turtle",
            False,
            _oxigraph_writer(ox.RdfFormat.TURTLE, prefixes=True),
            "Turtle (the union of the graphs; one file per graph)",
        ),
        ExportFormat(
            "ntriples",
            "nt",
            "application/n-triples",
            False,
            _oxigraph_writer(ox.RdfFormat.N_TRIPLES, prefixes=False),
            "N-Triples, one triple a line (the union of the graphs)",
        ),
        ExportFormat(
            "nquads",
            "nq",
            "application/n-quads",
            True,
            _oxigraph_writer(ox.RdfFormat.N_QUADS, prefixes=False),
            "N-Quads, one quad a line (all named graphs)",
        ),
        ExportFormat(
            "trig",
            "trig",
            "application/trig",
            True,
            _oxigraph_writer(ox.RdfFormat.TRIG, prefixes=True),
            "TriG (all named graphs)",
        ),
        ExportFormat(
            "jsonld",
            "jsonld",
            "application/ld+json",
            True,
            _write_jsonld,
            f"compact JSON-LD with readable keys from {CONTEXT_FILE} (all named graphs)",
        ),
        ExportFormat(
            "rdfxml",
            "rdf",
            "application/rdf+xml",
            False,
            _write_rdfxml,
            "RDF/XML (the union of the graphs)",
        ),
    )
}
"""Every RDF format by name, in the order ``--help`` lists them."""

CSV_FORMAT = "csv"
"""The name of the CSV tables' format."""

FORMAT_NAMES: tuple[str, ...] = (*FORMATS, CSV_FORMAT)
"""Every format ``ictkg export --format`` accepts."""


# -- The JSON-LD context -----------------------------------------------------------------------


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def jsonld_context(quads: Iterable[ox.Quad]) -> dict[str, Any]:
    """Return the JSON-LD context of readable keys for the predicates the quads use.

    Each predicate gets its local name as key (``label`` for ``rdfs:label``, ``inSeries`` for
    ``ictkg:inSeries``) unless two predicates share it (then neither gets a key, and the value
    is written as a CURIE). A predicate whose values are all IRIs is typed ``@id``; one whose
    values are all language-tagged strings gets a language map (``"label": {"ja": …, "en": …}``).
    Every project prefix is declared, so other IRIs are written as CURIEs.

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/ictkg/id/topic/x"),
    ...             ox.NamedNode(RDFS_NS + "label"), ox.Literal("x", language="en"))
    >>> jsonld_context([q])["label"]
    {'@id': 'rdfs:label', '@container': '@language'}
    """
    kinds: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        predicate = quad.predicate.value
        if predicate == _RDF_TYPE:
            continue
        obj = quad.object
        if isinstance(obj, ox.NamedNode | ox.BlankNode):
            kinds[predicate].add("@id")
        elif isinstance(obj, ox.Literal):
            kinds[predicate].add("@lang" if obj.language else obj.datatype.value)
    by_name: dict[str, list[str]] = defaultdict(list)
    for predicate in kinds:
        by_name[_local_name(predicate)].append(predicate)
    context: dict[str, Any] = dict(sorted(PREFIXES.items()))
    for name, predicates in sorted(by_name.items()):
        if len(predicates) != 1 or not name or name in context or name.startswith("@"):
            continue
        predicate = predicates[0]
        term: dict[str, str] = {"@id": curie(predicate) or predicate}
        (only,) = kinds[predicate] if len(kinds[predicate]) == 1 else (None,)
        if only == "@id":
            term["@type"] = "@id"
        elif only == "@lang":
            term["@container"] = "@language"
        context[name] = term
    return context


def read_jsonld(path: Path) -> list[ox.Quad]:
    """Parse a JSON-LD file of an export, resolving its context from the export folder only.

    Args:
        path: a JSON-LD file written by :func:`export_dataset`.

    Returns:
        Its quads (pyoxigraph terms).

    Raises:
        LocalContextOnlyError: when the file's ``@context`` is not a relative reference to
            :data:`CONTEXT_FILE` (nothing is ever fetched).
    """
    from rdflib import Dataset

    from ictkg.model.terms import dataset_quads

    document = json.loads(path.read_text(encoding="utf-8"))
    ref = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(ref, str) or "://" in ref or Path(ref).name != CONTEXT_FILE:
        raise LocalContextOnlyError(
            f"{path}: the @context {ref!r} is not the export's local {CONTEXT_FILE}",
            hint="only the context written beside the export is read; nothing is fetched",
        )
    context_path = (path.parent / ref).resolve()
    document["@context"] = json.loads(context_path.read_text(encoding="utf-8"))["@context"]
    dataset = Dataset()
    dataset.parse(data=json.dumps(document), format="json-ld")
    return list(dataset_quads(dataset))


# -- CSV tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvColumn:
    """One column of a CSV table: the values of one property of each row's resource."""

    name: str
    """The column heading."""
    predicate: str
    """The property's IRI."""
    inverse: bool = False
    """Read the property backwards (the resources that point at the row's resource)."""
    language: str | None = None
    """Keep only literals in this language."""


@dataclass(frozen=True)
class CsvTable:
    """One CSV table: every instance of some classes (or their subclasses) in the data."""

    name: str
    """The file stem (``meetings`` → ``csv/meetings.csv``)."""
    classes: tuple[str, ...]
    """The classes whose instances (subclasses included, by the ontology) are the rows."""
    columns: tuple[CsvColumn, ...]
    """The columns after IRI, CURIE, label@ja, label@en and types."""
    subclasses: bool = True
    """Count instances of subclasses too (False for ``skos:Concept``, whose ontology subclasses
    ``ictkg:MeetingLevel`` and ``ictkg:EnglishLabelStatus`` hold controlled values, not topics)."""


def _c(name: str, predicate: str, *, inverse: bool = False, lang: str | None = None) -> CsvColumn:
    return CsvColumn(name, predicate, inverse=inverse, language=lang)


_DERIVED = _c("derived_from", _PROV + "wasDerivedFrom")
_SUBJECT = _c("topics", _DCT + "subject")
_DATE = _c("date", _DCT + "date")
_INFERRED = ox.NamedNode(INFERRED_GRAPH_IRI)
_I = ICTKG_NS

CSV_TABLES: tuple[CsvTable, ...] = (
    CsvTable(
        "meetings",
        (_I + "Meeting",),
        (
            _c("series", _I + "inSeries"),
            _c("ordinal", _I + "ordinal"),
            _DATE,
            _c("date_note_ja", _I + "dateNote", lang="ja"),
            _c("location", _SCHEMA + "location"),
            _c("level", _I + "level"),
            _c("parties", _I + "party"),
            _c("lead_bodies", _I + "leadBody"),
            _c("counterparts", _I + "counterpart"),
            _c("participants", _I + "participant"),
            _SUBJECT,
            _c("outcomes", _I + "outcome"),
            _c("held_alongside", _I + "heldAlongside"),
            _c("sources", _DCT + "source"),
            _DERIVED,
        ),
    ),
    CsvTable(
        "dialogue-series",
        (_I + "DialogueSeries",),
        (
            _c("parties", _I + "party"),
            _c("lead_bodies", _I + "leadBody"),
            _c("counterparts", _I + "counterpart"),
            _c("cooperating_bodies", _I + "cooperatingBody"),
            _c("level", _I + "level"),
            _c("established_by", _I + "establishedBy"),
            _c("meetings", _I + "inSeries", inverse=True),
            _SUBJECT,
            _DERIVED,
        ),
    ),
    CsvTable(
        "organisations",
        (_ORG + "Organization", _ORG + "FormalOrganization"),
        (
            _c("jurisdiction", _I + "jurisdiction"),
            _c("part_of", _ORG + "subOrganizationOf"),
            _c("policy_areas", _I + "policyArea"),
            _c("alt_labels", _SKOS + "altLabel"),
            _c("wikidata", _SKOS + "exactMatch"),
        ),
    ),
    CsvTable(
        "countries",
        (_I + "Country",),
        (
            _c("iso3166_alpha2", _I + "iso3166Alpha2"),
            _c("iso3166_alpha3", _I + "iso3166Alpha3"),
            _c("alt_labels", _SKOS + "altLabel"),
            _c("wikidata", _SKOS + "exactMatch"),
        ),
    ),
    CsvTable(
        "documents",
        (_I + "Document",),
        (
            _DATE,
            _c("creators", _DCT + "creator"),
            _c("publisher", _DCT + "publisher"),
            _c("submitted_by", _I + "submittedBy"),
            _c("submitted_to", _I + "submittedTo"),
            _c("presented_at", _I + "presentedAt"),
            _c("draws_on", _I + "drawsOn"),
            _SUBJECT,
            _c("url", _SCHEMA + "url"),
            _c("sources", _DCT + "source"),
            _DERIVED,
        ),
    ),
    CsvTable(
        "topics",
        (_SKOS + "Concept",),
        (
            _c("broader", _SKOS + "broader"),
            _c("narrower", _SKOS + "broader", inverse=True),
            _c("in_scheme", _SKOS + "inScheme"),
            _c("alt_labels", _SKOS + "altLabel"),
            _c("definition_ja", _SKOS + "definition", lang="ja"),
            _c("definition_en", _SKOS + "definition", lang="en"),
        ),
        subclasses=False,
    ),
    CsvTable(
        "outcomes",
        (_I + "Outcome",),
        (
            _c("meetings", _I + "outcome", inverse=True),
            _DATE,
            _c("agreed_by", _I + "agreedBy"),
            _c("parties", _I + "party"),
            _SUBJECT,
            _c("concerns", _I + "concerns"),
            _c("establishes", _I + "establishes"),
            _c("description_ja", _DCT + "description", lang="ja"),
            _c("description_en", _DCT + "description", lang="en"),
            _DERIVED,
        ),
    ),
)
"""The CSV tables, one per main class; the rows are the instances, sorted by IRI."""

CSV_MEDIA_TYPE = "text/csv"
MULTI_VALUE_SEPARATOR = " | "
"""What joins several values in one cell."""

_FIXED_COLUMNS = ("iri", "curie", "label_ja", "label_en", "types")


def _cell(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return curie(term.value) or term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _join(values: Iterable[str]) -> str:
    return MULTI_VALUE_SEPARATOR.join(sorted(set(values)))


def csv_rows(quads: Sequence[ox.Quad], table: CsvTable) -> list[list[str]]:
    """Return the table's header and rows (sorted by IRI) from the union of the graphs.

    Class membership follows ``rdfs:subClassOf`` in the data (the ontology graph), so a
    ``ictkg:Summit`` is a row of the meetings table (unless the table says ``subclasses=False``).
    The inferred graph is left out: the types column shows the classes the sources state.
    """
    parents: dict[str, set[str]] = defaultdict(set)
    forward: dict[tuple[str, str], set[Any]] = defaultdict(set)
    backward: dict[tuple[str, str], set[Any]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode) or q.graph_name == _INFERRED:
            continue
        if p == _RDFS_SUBCLASS and isinstance(o, ox.NamedNode):
            parents[s.value].add(o.value)
        if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
            types[s.value].add(o.value)
        forward[(s.value, p)].add(o)
        if isinstance(o, ox.NamedNode):
            backward[(o.value, p)].add(s)

    def ancestors(cls: str, seen: set[str]) -> set[str]:
        for parent in parents.get(cls, ()):
            if parent not in seen:
                seen.add(parent)
                ancestors(parent, seen)
        return seen

    wanted = set(table.classes)
    rows: list[list[str]] = []
    for iri in sorted(types):
        if not any(
            t in wanted or (table.subclasses and ancestors(t, set()) & wanted) for t in types[iri]
        ):
            continue
        labels = forward.get((iri, _RDFS_LABEL), set())
        row = [
            iri,
            curie(iri) or "",
            _join(lit.value for lit in labels if getattr(lit, "language", None) == "ja"),
            _join(lit.value for lit in labels if getattr(lit, "language", None) == "en"),
            _join(_cell(ox.NamedNode(t)) for t in types[iri]),
        ]
        for column in table.columns:
            source = backward if column.inverse else forward
            values = source.get((iri, column.predicate), set())
            if column.language is not None:
                values = {v for v in values if getattr(v, "language", None) == column.language}
            row.append(_join(_cell(v) for v in values))
        rows.append(row)
    return [[*_FIXED_COLUMNS, *(c.name for c in table.columns)], *rows]


def _write_csv(rows: list[list[str]], path: Path) -> None:
    """UTF-8 with a BOM and CRLF line ends (the csv module's ``excel`` dialect), so that Excel
    opens the Japanese text correctly."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


# -- Export ------------------------------------------------------------------------------------


def _resolve_formats(formats: Sequence[str | ExportFormat] | None) -> list[str | ExportFormat]:
    resolved: list[str | ExportFormat] = []
    for fmt in FORMAT_NAMES if formats is None else formats:
        if isinstance(fmt, str):
            if fmt not in FORMAT_NAMES:
                raise UsageError(
                    f"unknown export format {fmt!r}",
                    hint=f"choose from {', '.join(FORMAT_NAMES)}",
                )
            fmt = FORMATS.get(fmt, fmt)
        if fmt not in resolved:
            resolved.append(fmt)
    return resolved


def _union(quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The distinct triples of all graphs, in the default graph, in dump order."""
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(q.triple, None)
    return sorted_quads(ox.Quad(t.subject, t.predicate, t.object) for t in seen)


def _check_replaceable(out_dir: Path) -> None:
    """Refuse a target that is a file, or a non-empty folder that no export wrote."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(out_dir, "is a file, not a folder", hint="choose a folder with --out")
    if out_dir.is_dir() and not (out_dir / MARKER_FILE).is_file() and any(out_dir.iterdir()):
        raise OutputError(
            out_dir,
            "the folder is not empty and holds no earlier export, so it is not replaced",
            hint="choose a new or empty folder with --out (an export replaces its folder whole)",
        )


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is, putting the old one back if that fails."""
    if not target.exists():
        os.replace(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    try:
        os.replace(target, old / target.name)
        try:
            os.replace(new, target)
        except OSError:
            os.replace(old / target.name, target)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def export_dataset(
    quads: Iterable[ox.Quad],
    out_dir: Path,
    formats: Sequence[str | ExportFormat] | None = None,
    *,
    extra_quads: Iterable[ox.Quad] = (),
    progress: Progress | None = None,
) -> ExportResult:
    """Write the dataset in the given formats: each whole, and one file per named graph.

    Writes ``ictkg.<ext>`` per RDF format (dataset formats keep the named graphs; triple formats
    hold their union), ``graphs/<name>.<ext>`` per named graph, ``ictkg.context.jsonld`` with
    JSON-LD, ``csv/<table>.csv`` per :data:`CSV_TABLES` entry with ``csv``, and the
    :data:`MARKER_FILE`. The folder is replaced as a whole: files of an earlier export that this
    one does not write are gone.

    Args:
        quads: the dataset's quads.
        out_dir: the export folder (its parent is created if needed).
        formats: format names (see :data:`FORMAT_NAMES`) or :class:`ExportFormat` objects;
            all formats by default.
        extra_quads: more generated graphs to export with the dataset (a VoID description, a
            schema.org view); they are treated exactly like the dataset's own graphs.
        progress: called with a message per file written.

    Returns:
        Every file written, with media type, size and triple count.

    Raises:
        UsageError: for an unknown format name (before anything is written).
        OutputError: when the folder cannot be written, or is a non-empty folder that holds no
            earlier export (it is never replaced); the previous export is then intact.
    """
    chosen = _resolve_formats(formats)
    say = progress or (lambda _message: None)
    ordered = sorted_quads([*quads, *extra_quads])
    groups: dict[str, list[ox.Quad]] = {}
    for quad in ordered:
        name = quad.graph_name
        key = "" if isinstance(name, ox.DefaultGraph) else name.value
        groups.setdefault(key, []).append(quad)
    context = {"@context": jsonld_context(ordered)}
    out_dir = Path(out_dir)
    _check_replaceable(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        # A sibling of out_dir: same file system, so the final renames are atomic.
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        tmp.chmod(0o755)  # (mkdtemp makes it private; the export is meant to be published)
    except OSError as exc:
        raise OutputError(
            out_dir,
            f"cannot create the export folder: {exc.strerror or exc}",
            hint="choose a folder you can write with --out",
        ) from exc
    files: list[ExportedFile] = []

    def record(
        rel: str, fmt: str, media: str, graph: str | None, triples: int | None, rows: int | None
    ) -> None:
        size = (tmp / rel).stat().st_size
        files.append(ExportedFile(out_dir / rel, fmt, media, graph, size, triples, rows))
        say(f"wrote {out_dir / rel} ({size:,} bytes)")

    try:
        for fmt in chosen:
            if isinstance(fmt, str):  # the CSV tables
                (tmp / "csv").mkdir(exist_ok=True)
                for table in CSV_TABLES:
                    rows = csv_rows(ordered, table)
                    rel = f"csv/{table.name}.csv"
                    _write_csv(rows, tmp / rel)
                    record(rel, CSV_FORMAT, CSV_MEDIA_TYPE, None, None, len(rows) - 1)
                continue
            if fmt.name == "jsonld" and not (tmp / CONTEXT_FILE).exists():
                _write_json(context, tmp / CONTEXT_FILE)
                record(CONTEXT_FILE, "jsonld-context", "application/ld+json", None, None, None)
            whole = ordered if fmt.quads else _union(ordered)
            rel = f"{STEM}.{fmt.extension}"
            fmt.write(whole, tmp / rel, WriteContext(context["@context"], CONTEXT_FILE))
            record(rel, fmt.name, fmt.media_type, None, len(whole), None)
            (tmp / "graphs").mkdir(exist_ok=True)
            for graph, members in groups.items():
                rel = f"graphs/{graph_file_name(graph) if graph else 'default'}.{fmt.extension}"
                fmt.write(
                    members, tmp / rel, WriteContext(context["@context"], "../" + CONTEXT_FILE)
                )
                record(rel, fmt.name, fmt.media_type, graph or None, len(members), None)
        (tmp / MARKER_FILE).write_text(
            "Written by `ictkg export`; the next export replaces this folder as a whole.\n",
            encoding="utf-8",
        )
        # Everything is written: swap the new folder in, then drop the old one.
        _swap(tmp, out_dir)
    except OSError as exc:
        raise OutputError(out_dir, f"cannot write the export: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ExportResult(out_dir=out_dir, files=tuple(sorted(files, key=lambda f: f.path)))
