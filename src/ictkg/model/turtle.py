"""Parse one Turtle file, once, with pyoxigraph; errors name the file, line and column and a fix.

The triples come back as an rdflib graph (for pySHACL and the rest of the model) with the file's
own prefixes bound. Nothing is fetched from the network and relative IRIs are refused: no base
IRI is given to the parser, because a relative IRI in the data is a mistake, not a file path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from ictkg.errors import InputError
from ictkg.model.terms import to_rdflib
from ictkg.namespaces import PREFIXES
from ictkg.paths import MAX_NESTING, read_input

__all__ = ["lexical_problem", "parse_turtle"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_LEXICAL: dict[str, re.Pattern[str]] = {
    _XSD + "date": re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}}){_TZ}$", re.ASCII),
    _XSD + "gYearMonth": re.compile(rf"^(\d{{4}})-(0[1-9]|1[0-2]){_TZ}$", re.ASCII),
    _XSD + "gYear": re.compile(rf"^(\d{{4}}){_TZ}$", re.ASCII),
    _XSD + "integer": re.compile(r"^[+-]?\d+$", re.ASCII),
    _XSD + "nonNegativeInteger": re.compile(r"^\+?\d+$", re.ASCII),
    _XSD + "positiveInteger": re.compile(r"^\+?0*[1-9]\d*$", re.ASCII),
    _XSD + "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII),
    _XSD + "boolean": re.compile(r"^(true|false|1|0)$"),
    _XSD + "anyURI": re.compile(r'^[^\s<>"{}|\\^`]*$'),
}
"""Lexical forms of the XSD types the data uses (ASCII digits only), checked on every literal."""


def lexical_problem(value: str, datatype: str) -> str | None:
    """Why ``value`` is not a lexical form of ``datatype`` (None when it is, or when the type is
    not one ictkg checks). Dates must also be real calendar days.

    >>> lexical_problem("2012-13", _XSD + "gYearMonth")
    'not an xsd:gYearMonth (YYYY-MM)'
    >>> lexical_problem("2013-02-30", _XSD + "date")
    'not a real day'
    >>> lexical_problem("２０１３", _XSD + "gYear") is not None
    True
    """
    import datetime as dt

    pattern = _LEXICAL.get(datatype)
    if pattern is None:
        return None
    match = pattern.match(value)
    name = "xsd:" + datatype[len(_XSD) :]
    if match is None:
        shapes = {"date": "YYYY-MM-DD", "gYearMonth": "YYYY-MM", "gYear": "YYYY"}
        shape = shapes.get(datatype[len(_XSD) :])
        return f"not an {name}" + (f" ({shape})" if shape else "")
    if datatype == _XSD + "date":
        try:
            dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return "not a real day"
    return None


_STRUCTURE = re.compile(
    r"""
    (?P<skip>\#[^\n]*
      | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*"
      | <[^<>"{}|^`\x00-\x20]*>
      | [^#'"<>\[\]()~{]+)
  | (?P<open>[\[(])
  | (?P<close>[\])])
  | (?P<star><<|\{\||~)
  | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)
"""Turtle's brackets, and RDF 1.2's ``<<``, ``{|`` and ``~``, outside comments, strings and IRIs."""


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _structure(path: Path, text: str) -> int | None:
    """Refuse nesting deeper than :data:`MAX_NESTING` (before the parser sees it); return the
    offset of the first RDF 1.2 triple-term syntax, if any."""
    depth = 0
    star: int | None = None
    for match in _STRUCTURE.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                line, column = _position(text, match.start())
                raise InputError(
                    path,
                    f"brackets nested more than {MAX_NESTING} deep",
                    line=line,
                    column=column,
                    hint="give the nested resources IRIs of their own instead of nesting "
                    "blank nodes or lists",
                )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "star" and star is None:
            star = match.start()
    return star


_OXI_POSITION = re.compile(r"^Parser error (?:at|between) [^:]*: ", re.DOTALL)
"""The position prefix of pyoxigraph's messages; we report the position ourselves."""

_UNDECLARED_PREFIX = re.compile(r"The prefix (?P<prefix>[^\s:]*): has not been declared")


def _hint_for(message: str) -> str:
    """Suggest a fix for one of the Turtle parser's messages."""
    match = _UNDECLARED_PREFIX.search(message)
    if match:
        prefix = match["prefix"]
        if prefix in PREFIXES:
            return f"add '@prefix {prefix}: <{PREFIXES[prefix]}> .' at the top of the file"
        return (
            f"declare '@prefix {prefix}: <...> .' or fix the spelling; the project's prefixes "
            f"are: {', '.join(sorted(PREFIXES))}"
        )
    if "dot is expected" in message:
        return (
            "the statement before this point is not finished: end it with ' .' "
            "(or ' ;' to add another property of the same subject)"
        )
    if "end of file" in message.lower():
        return "a string, IRI or bracket opened near here is never closed"
    if message.strip().lower() == "unexpected end":
        return (
            "the file ends in the middle of a statement: end the last block with ' .' "
            "(and check that every string and bracket is closed)"
        )
    if "absolute IRI" in message or "No scheme" in message:
        return (
            "write a full IRI such as <https://...> or a prefixed name; relative IRIs are refused"
        )
    return "fix the Turtle syntax here (https://www.w3.org/TR/turtle/)"


def parse_turtle(path: Path | str) -> Graph:
    """Parse one Turtle file into a new rdflib graph, without touching the network.

    The file is read and parsed once, by pyoxigraph, whose syntax errors give the exact line and
    column; the triples are then handed to rdflib as ordinary rdflib terms.

    Args:
        path: the Turtle file.

    Returns:
        A graph holding the file's triples, with the prefixes the file declares bound.

    Raises:
        MissingInputError: when the file cannot be read.
        InputError: when the file is not UTF-8 or not valid Turtle; the error names the file,
            line and column and suggests a fix.
    """
    path = Path(path)
    text = read_input(path, "file")
    star = _structure(path, text)
    graph = Graph()
    parser = pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.TURTLE)
    try:
        quads = list(parser)
    except SyntaxError as exc:
        message = _OXI_POSITION.sub("", exc.msg or str(exc))
        raise InputError(
            path, message, line=exc.lineno, column=exc.offset, hint=_hint_for(message)
        ) from exc
    # On pyoxigraph's terms, before rdflib sees them: rdflib rewrites some ill-formed values
    # ("2012-10-04T10:00:00"^^xsd:date becomes "2012-10-04") instead of refusing them.
    for quad in quads:
        obj = quad.object
        if isinstance(obj, pyoxigraph.Triple) or isinstance(quad.subject, pyoxigraph.Triple):
            line, column = _position(text, star) if star is not None else (None, None)
            raise InputError(
                path,
                "RDF 1.2 triple terms (<< >>, {| |}, ~) are not supported",
                line=line,
                column=column,
                hint="state the triple itself, and what is said about it with a resource of "
                "its own",
            )
        if not isinstance(obj, pyoxigraph.Literal):
            continue
        problem = lexical_problem(obj.value, obj.datatype.value)
        if problem is not None:
            at = text.find(f'"{obj.value}"')
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            column = at - text.rfind("\n", 0, at) if at >= 0 else None
            raise InputError(
                path,
                f'"{obj.value}" is {problem}',
                line=line,
                column=column,
                hint="write the value in its XSD form with ASCII digits, e.g. "
                '"2013-02"^^xsd:gYearMonth, "2013-02-14"^^xsd:date, "2013"^^xsd:gYear',
            )
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    triples = [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads]
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph
