"""Read the ``#+`` YAML header of a query file (the grlc convention), naming file and line on error.

Shared by stored queries (:mod:`ictkg.queries.files`) and quality checks, so both report header
errors alike. What the keys mean is left to those modules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from ictkg.errors import InputError

__all__ = ["HEADER_MARK", "header_lines", "header_mapping", "line_of", "strip_header", "suggest"]

HEADER_MARK = "#+"
"""Lines starting with this hold the YAML header."""

try:  # libyaml's loader, when PyYAML was built with it: several times faster.
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def header_lines(text: str) -> list[str]:
    """Return the leading ``#+`` lines of a query file, without the marker and one space.

    >>> header_lines("#+ summary: Hi\\n#+   more\\nSELECT * {}")
    ['summary: Hi', '  more']
    """
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith(HEADER_MARK):
            break
        body = line[len(HEADER_MARK) :]
        lines.append(body[1:] if body.startswith(" ") else body)
    return lines


def strip_header(text: str) -> str:
    """Return the query without its ``#+`` header lines (and the blank lines after them)."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER_MARK):
        start += 1
    return "".join(lines[start:]).lstrip("\n")


def line_of(lines: Sequence[str], pattern: str, default: int = 1) -> int:
    """Return the 1-based number of the first header line matching ``pattern``."""
    regex = re.compile(pattern)
    for number, line in enumerate(lines, start=1):
        if regex.search(line):
            return number
    return default


def suggest(name: str, choices: Iterable[str]) -> str:
    """Return ``did you mean …?`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(name, sorted(choices), n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else ""


def _refuse_duplicate_keys(root: yaml.Node | None) -> None:
    """A key given twice in one mapping (YAML keeps the last one, silently) is an error."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"{key.value!r} is given twice", key.start_mark
                        )
                    seen.add(key.value)
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


def header_mapping(path: Path, lines: Sequence[str]) -> dict[str, Any]:
    """Parse ``#+`` header lines (marker already removed) as one YAML mapping.

    Args:
        path: the file, named in errors.
        lines: the header lines without their ``#+`` marker.

    Returns:
        The mapping (empty when there are no lines).

    Raises:
        InputError: naming the file, line and column, when the lines are not a YAML mapping, or
            give a key twice.

    >>> header_mapping(Path("q.rq"), ["summary: Hi", "tags: [a]"])
    {'summary': 'Hi', 'tags': ['a']}
    """
    if not lines:
        return {}
    text = "\n".join(lines)
    try:
        # No anchors or aliases: a header needs none, and nested aliases ("billion laughs")
        # make a few lines stand for billions of values.
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                raise InputError(
                    path,
                    "YAML anchors and aliases (&name, *name) are not allowed in a #+ header",
                    line=token.start_mark.line + 1,
                    column=token.start_mark.column + 1 + len(HEADER_MARK) + 1,
                    hint="write each value out in full",
                )
        loader = _Loader(text)  # a safe loader: yaml.load's own steps, with a check between
        try:
            node = loader.get_single_node()
            _refuse_duplicate_keys(node)
            header = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"invalid #+ header: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 + len(HEADER_MARK) + 1 if mark is not None else None,
            hint="each header line is '#+ key: value' and together they must be valid YAML",
        ) from exc
    if not isinstance(header, dict):
        raise InputError(
            path, "the #+ header is not a YAML mapping", line=1, hint="write '#+ key: value' lines"
        )
    return header
