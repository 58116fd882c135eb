"""The days a date names: one place for what ``xsd:gYear``, ``xsd:gYearMonth`` and ``xsd:date``
mean as periods, shared by the derived view (:mod:`ictkg.model.derived`) and by the checks on
query parameters (:mod:`ictkg.queries.parameters`). No RDF library: ``ictkg query`` stays light.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ictkg.namespaces import XSD_NS

__all__ = ["PRECISION", "Period", "lexical_period"]

PRECISION: dict[str, int] = {
    XSD_NS + "date": 3,
    XSD_NS + "dateTime": 3,
    XSD_NS + "gYearMonth": 2,
    XSD_NS + "gYear": 1,
}
"""Datatype IRI -> how precise (more is finer): 1 a year, 2 a month, 3 a day."""

_LEXICAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class Period:
    """The days a date allows, both ends included."""

    start: dt.date
    """The first day."""
    end: dt.date
    """The last day."""

    def meets(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def within(self, other: Period) -> Period | None:
        """The days both periods share, or None."""
        if not self.meets(other):
            return None
        return Period(max(self.start, other.start), min(self.end, other.end))


def lexical_period(text: str, precision: int) -> Period | None:
    """Return the days the lexical form ``text`` allows at ``precision`` (see :data:`PRECISION`).

    A time zone or time after the date is ignored; a form too short for the precision or not a
    real date gives None.

    >>> lexical_period("2012-02", 2)
    Period(start=datetime.date(2012, 2, 1), end=datetime.date(2012, 2, 29))
    >>> lexical_period("2012", 1).end
    datetime.date(2012, 12, 31)
    >>> lexical_period("2012-02-30", 3) is None
    True
    """
    match = _LEXICAL.match(text)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if precision == 1:
            return Period(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
        if month is None:
            return None
        first = dt.date(int(year), int(month), 1)
        if precision == 2:
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return Period(first, following - dt.timedelta(days=1))
        if day is None:
            return None
        one = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return Period(one, one)
