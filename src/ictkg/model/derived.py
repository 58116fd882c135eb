"""The derived view: one best date, one period and one partner relation per resource, built from
every source graph so that stored queries give one row per meeting however many sources tell it.

A meeting told by two sources has two ``dct:date`` values (one per graph, each as precise as its
source); a partner is spread over ``ictkg:party``, ``ictkg:agreedBy`` and ``ictkg:counterpart``.
The build states what a query would otherwise have to reconcile, in ``graph:inferred``:

- ``ictkg:bestDate``: the most precise date any source gives (``xsd:date`` before
  ``xsd:gYearMonth`` before ``xsd:gYear``; for a multi-day meeting its ``schema:startDate``),
  the earliest value on a tie;
- ``ictkg:startDay`` / ``ictkg:endDay`` (``xsd:date``): the first and last day the dates allow,
  the intersection of every source's period (a month is the whole month; ``schema:startDate`` and
  ``schema:endDate`` give their days); when sources contradict each other (the ``date-conflict``
  check reports it) the period of the best date;
- ``ictkg:sortDate`` (``xsd:date``): the middle day of that period, so that a year sorts
  mid-year; a curator's ``ictkg:periodPart`` (early, middle or late third of the period the same
  source dates) moves it into that third without narrowing the bounds;
- ``ictkg:partner``: every country or supranational body other than Japan that is an
  ``ictkg:party``, ``ictkg:agreedBy`` or ``ictkg:counterpart`` of the resource, a counterpart body
  counting for its ``ictkg:jurisdiction``, and the body of an ``ictkg:memberStatesParty`` (the
  ASEAN countries taken together are a partner, named by the body that groups them).
  ``dct:creator`` and ``ictkg:submittedBy`` never make a partner: a document of the U.S. and the
  EU is no dialogue of Japan's with the EU.

Which graphs are sources, and how the result joins the inferred graph, is left to
:mod:`ictkg.model.inferred`; what the terms mean is in ``ontology/ictkg.ttl``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ictkg import namespaces as ns
from ictkg.periods import PRECISION, Period, lexical_period
from ictkg.vocab import DCT, ICTKG, KIND, SCHEMA

__all__ = [
    "DERIVED_PROPERTIES",
    "JAPAN",
    "PERIOD_PARTS",
    "Period",
    "best_date",
    "derived_triples",
    "is_source_graph",
    "period_of",
    "sort_day",
]

JAPAN = KIND["country"]["jp"]
"""The home side of every dialogue: never a partner."""

DERIVED_PROPERTIES: tuple[URIRef, ...] = (
    ICTKG.bestDate,
    ICTKG.startDay,
    ICTKG.endDay,
    ICTKG.sortDate,
    ICTKG.partner,
)
"""The properties this module states; the ontology types them ``ictkg:DerivedProperty``."""

PERIOD_PARTS: dict[URIRef, int] = {ICTKG.EarlyPart: 0, ICTKG.MiddlePart: 1, ICTKG.LatePart: 2}
"""``ictkg:periodPart`` values and the third of the period each names."""

_NOT_SOURCES = frozenset(
    {
        ns.ONTOLOGY_GRAPH_IRI,
        ns.REFERENCE_GRAPH_IRI,
        ns.QUERY_CATALOGUE_GRAPH_IRI,
        ns.INFERRED_GRAPH_IRI,
        ns.VOID_GRAPH_IRI,
        ns.SCHEMAORG_GRAPH_IRI,
    }
)

_PRECISION = {URIRef(datatype): rank for datatype, rank in PRECISION.items()}
"""Datatype -> how precise (more is finer), as :data:`ictkg.periods.PRECISION` gives it."""
_PARTNER_RELATIONS = (ICTKG.party, ICTKG.agreedBy, ICTKG.counterpart, ICTKG.memberStatesParty)
_PARTNER_CLASSES = (ICTKG.Country, ICTKG.SupranationalBody)


def is_source_graph(iri: object) -> bool:
    """True for a graph that holds what one source states (every ictkg graph but the ontology,
    reference, query-catalogue and generated ones).

    >>> is_source_graph(URIRef("https://w3id.org/ictkg/graph/wp2013"))
    True
    >>> is_source_graph(URIRef("https://w3id.org/ictkg/graph/reference"))
    False
    """
    text = str(iri)
    return text.startswith(ns.GRAPH_NS) and text not in _NOT_SOURCES


def period_of(date: Literal) -> Period | None:
    """Return the days an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` literal allows.

    Args:
        date: the literal (its datatype says its precision; a time zone is ignored).

    Returns:
        The period, or None for another datatype or a malformed value.

    >>> period_of(Literal("2012-02", datatype=XSD.gYearMonth))
    Period(start=datetime.date(2012, 2, 1), end=datetime.date(2012, 2, 29))
    >>> period_of(Literal("2012", datatype=XSD.gYear)).end
    datetime.date(2012, 12, 31)
    """
    precision = _PRECISION.get(date.datatype) if isinstance(date.datatype, URIRef) else None
    return None if precision is None else lexical_period(str(date), precision)


def best_date(dates: Iterable[Literal]) -> Literal | None:
    """The most precise of ``dates`` (day, then month, then year), the earliest on a tie.

    >>> best_date([Literal("2012-10", datatype=XSD.gYearMonth),
    ...            Literal("2012-10-18", datatype=XSD.date)])
    rdflib.term.Literal('2012-10-18', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    """
    ranked = [
        (-_PRECISION[d.datatype], str(d), d)
        for d in dates
        if d.datatype in _PRECISION and period_of(d) is not None
    ]
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


def sort_day(period: Period, part: int | None = None, within: Period | None = None) -> dt.date:
    """The middle day of ``period``, or of its ``part``-th third (0 early, 1 middle, 2 late).

    Args:
        period: the period a source's date allows.
        part: which third a curator says the event fell in, or None.
        within: the bounds the result must respect (the intersection of every source); a third
            outside them is ignored.

    Returns:
        The day to sort by.

    >>> sort_day(Period(dt.date(2012, 1, 1), dt.date(2012, 12, 31)))
    datetime.date(2012, 7, 1)
    >>> sort_day(Period(dt.date(2012, 1, 1), dt.date(2012, 12, 31)), part=0)
    datetime.date(2012, 3, 1)
    """
    bounds = within or period
    chosen = bounds
    if part is not None:
        days = (period.end - period.start).days + 1
        third = Period(
            period.start + dt.timedelta(days=part * days // 3),
            period.start + dt.timedelta(days=(part + 1) * days // 3 - 1),
        )
        chosen = third.within(bounds) or bounds
    return chosen.start + dt.timedelta(days=(chosen.end - chosen.start).days // 2)


def _source_periods(graph: Graph, resource: URIRef) -> list[tuple[Period, Literal]]:
    """What one source graph says of a resource's time: each date's period and its value."""
    found: list[tuple[Period, Literal]] = []
    for value in graph.objects(resource, DCT.date):
        if isinstance(value, Literal) and (period := period_of(value)) is not None:
            found.append((period, value))
    starts = [
        (p, v)
        for v in graph.objects(resource, SCHEMA.startDate)
        if isinstance(v, Literal) and (p := period_of(v)) is not None
    ]
    ends = [
        p
        for v in graph.objects(resource, SCHEMA.endDate)
        if isinstance(v, Literal) and (p := period_of(v)) is not None
    ]
    if starts:
        first, value = min(starts, key=lambda pv: (pv[0], str(pv[1])))
        last = max(ends).end if ends else first.end
        if last >= first.start:
            found.append((Period(first.start, last), value))
    elif ends:
        found.append((max(ends), Literal(max(ends).end.isoformat(), datatype=XSD.date)))
    return found


def _date_triples(sources: list[Graph], out: Graph) -> None:
    subjects = sorted(
        {
            s
            for g in sources
            for p in (DCT.date, SCHEMA.startDate, SCHEMA.endDate)
            for s in g.subjects(p, None)
            if isinstance(s, URIRef)
        }
    )
    for resource in subjects:
        per_source = [(g, _source_periods(g, resource)) for g in sources]
        facts = [fact for _g, found in per_source for fact in found]
        if not facts:
            continue
        best = best_date(v for _p, v in facts if v.datatype in _PRECISION)
        best_period = next(p for p, v in facts if v == best) if best else facts[0][0]
        bounds: Period | None = facts[0][0]
        for period, _value in facts[1:]:
            bounds = bounds.within(period) if bounds else None
        if bounds is None:  # the sources disagree; date-conflict reports it
            bounds = best_period
        middle = sort_day(bounds)
        for graph, found in sorted(per_source, key=lambda gf: str(gf[0].identifier)):
            parts = sorted(
                PERIOD_PARTS[v]
                for v in graph.objects(resource, ICTKG.periodPart)
                if isinstance(v, URIRef) and v in PERIOD_PARTS
            )
            if parts:
                own = found[0][0] if found else bounds
                for period, _value in found[1:]:
                    own = own.within(period) or own
                middle = sort_day(own, parts[0], within=bounds)
                break
        if best is not None:
            out.add((resource, ICTKG.bestDate, best))
        out.add((resource, ICTKG.startDay, Literal(bounds.start.isoformat(), datatype=XSD.date)))
        out.add((resource, ICTKG.endDay, Literal(bounds.end.isoformat(), datatype=XSD.date)))
        out.add((resource, ICTKG.sortDate, Literal(middle.isoformat(), datatype=XSD.date)))


def _subclasses(ontology: Graph, classes: Iterable[URIRef]) -> set[URIRef]:
    found = set(classes)
    todo = list(found)
    while todo:
        for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _partner_triples(ontology: Graph, stated: Graph, sources: list[Graph], out: Graph) -> None:
    classes = _subclasses(ontology, _PARTNER_CLASSES)
    partners = {s for c in classes for s in stated.subjects(RDF.type, c) if isinstance(s, URIRef)}
    partners.discard(JAPAN)
    for graph in sources:
        for relation in _PARTNER_RELATIONS:
            for resource, value in graph.subject_objects(relation):
                if not isinstance(resource, URIRef):
                    continue
                if value in partners:
                    out.add((resource, ICTKG.partner, value))
                if relation == ICTKG.counterpart:
                    for jurisdiction in stated.objects(value, ICTKG.jurisdiction):
                        if jurisdiction in partners:
                            out.add((resource, ICTKG.partner, jurisdiction))


def derived_triples(dataset: Dataset, ontology: Graph | None = None) -> Graph:
    """Return the derived view of ``dataset``: best dates, periods, sort dates and partners.

    Args:
        dataset: the stated graphs (``default_union=True``, the inferred graph left out), read as
            named graphs: dates and partner links from the source graphs only, what a partner or
            a counterpart body is from every graph.
        ontology: the class hierarchy (subclasses of ``ictkg:Country`` and
            ``ictkg:SupranationalBody``); the dataset's ontology graph when None.

    Returns:
        A graph of the derived triples.

    >>> from ictkg.namespaces import sparql_prologue
    >>> ds = Dataset(default_union=True)
    >>> trig = '''GRAPH graph:s1 { meeting:m dct:date "2012-10"^^xsd:gYearMonth }
    ...   GRAPH graph:s2 { meeting:m dct:date "2012-10-18"^^xsd:date }'''
    >>> _ = ds.parse(data=sparql_prologue() + trig, format="trig")
    >>> sorted(str(o) for o in derived_triples(ds).objects())
    ['2012-10-18', '2012-10-18', '2012-10-18', '2012-10-18']
    """
    stated = dataset
    if ontology is None:
        ontology = dataset.graph(URIRef(ns.ONTOLOGY_GRAPH_IRI))
    sources = sorted(
        (g for g in dataset.graphs() if is_source_graph(g.identifier)),
        key=lambda g: str(g.identifier),
    )
    out = Graph()
    _date_triples(sources, out)
    _partner_triples(ontology, stated, sources, out)
    return out
