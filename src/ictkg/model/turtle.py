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
from ictkg.paths import read_input

__all__ = ["parse_turtle"]

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
    graph = Graph()
    parser = pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.TURTLE)
    try:
        triples = [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in parser
        ]
    except SyntaxError as exc:
        message = _OXI_POSITION.sub("", exc.msg or str(exc))
        raise InputError(
            path, message, line=exc.lineno, column=exc.offset, hint=_hint_for(message)
        ) from exc
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph
