"""Property: a damaged input file gives a clean error or success, in bounded time (issue 10).

Real files of the project (data/**/*.ttl, queries/*.rq) are damaged by generated mutations
(bytes deleted, inserted, replaced; a line duplicated; the file cut short; hostile tokens such
as 300 brackets, ``\"\"\"``, NUL, ``SERVICE <http://x>``, a YAML alias in a ``#+`` header, invalid
UTF-8) and read the way ``ictkg build`` and ``ictkg validate`` read them: Turtle with
:func:`ictkg.model.turtle.parse_turtle`, stored queries with
:func:`ictkg.queries.files.load_query` (``syntax=True``, as the project loads them). Each example
must end in success or in one of ictkg's errors naming the file (an ``InputError`` with a line
and column inside the file), never another exception, and within the deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example
from hypothesis import strategies as st

from ictkg.errors import InputError
from ictkg.model.turtle import parse_turtle
from ictkg.queries.files import load_query
from property_support import clean_error, scratch_dir, tiers, time_bound

ROOT = Path(__file__).resolve().parents[2]
TURTLE = {
    p.relative_to(ROOT).as_posix(): p.read_bytes() for p in sorted(ROOT.glob("data/**/*.ttl"))
}
QUERIES = {p.name: p.read_bytes() for p in sorted((ROOT / "queries").glob("*.rq"))}

HOSTILE: tuple[bytes, ...] = (
    b"[" * 300,
    b"(" * 300,
    b"{" * 300,
    b'"""',
    b'"',
    b"'''",
    b"<",
    b"\x00",
    b"\\u0000",
    b"\\U0010FFFF",
    b"\\uD800",
    b"SERVICE <http://x> { ?s ?p ?o }",
    b"LOAD <http://x>",
    b"FROM <http://x>",
    b"#+ a: &x [*x]",
    b"#+ a: &a [x, x, x, x]\n#+ b: &b [*a, *a, *a, *a]\n#+ c: [*b, *b, *b, *b]",
    b"#+ parameters: {x: {type: iri}}",
    b"#+ !!python/object:os.system ls",
    b"@prefix : <",
    b"@base <http://x/> .",
    b"^^xsd:date",
    b'"2013-02-30"^^xsd:date',
    b'"2012-13"^^xsd:gYearMonth',
    b'"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x93"^^xsd:gYear',  # full-width digits
    b"9" * 5000,
    b"\xff",
    b"\xc3",  # a UTF-8 sequence cut short
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xef\xbb\xbf",  # a byte-order mark in the middle
    b"\r",
    "\u2028".encode(),
    "😀".encode(),
    b".",
    b";",
    b" a ",
    b"_:b",
    b"?",
    b"}",
    b"#",
)


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with one to three generated mutations."""
    data = original
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "hostile", "replace", "line", "truncate"]))
        if kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "hostile":
            token = draw(st.sampled_from(HOSTILE))
            if draw(st.booleans()):  # at the start of a line, where headers and prefixes go
                at = data.rfind(b"\n", 0, at) + 1
                token += b"\n"
            data = data[:at] + token + data[at:]
        elif kind == "replace" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "line":
            lines = data.splitlines(keepends=True) or [b""]
            k = draw(st.integers(0, len(lines) - 1))
            data = b"".join([*lines[: k + 1], lines[k], *lines[k + 1 :]])
        elif kind == "truncate":
            data = data[:at]
    return data


@st.composite
def damaged(draw: st.DrawFn, files: dict[str, bytes]) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(files)))
    return name, draw(mutations(files[name]))


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with scratch_dir("ictkg-mutated-") as folder:
        yield folder


def _check(error: BaseException, path: Path, data: bytes) -> None:
    """The error is ictkg's, names the file, and (an InputError) points inside it."""
    clean_error(error)
    assert str(error).startswith(str(path)), f"the error does not name the file: {error}"
    if isinstance(error, InputError):
        assert error.path == path
        assert error.line is not None, f"no line: {error!r}"
        assert 1 <= error.line <= data.count(b"\n") + 1, f"line outside the file: {error!r}"
        assert error.column is None or error.column >= 1, f"bad column: {error!r}"


def _turtle_gives_a_clean_error(scratch: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    path = scratch / Path(name).name
    path.write_bytes(data)
    try:
        with time_bound():
            parse_turtle(path)
    except Exception as error:  # noqa: BLE001 - the property is about which exceptions
        _check(error, path, data)


def _query_gives_a_clean_error(scratch: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    path = scratch / name
    path.write_bytes(data)
    try:
        with time_bound():
            load_query(path, syntax=True)
    except Exception as error:  # noqa: BLE001
        _check(error, path, data)


_US = TURTLE["data/wp2013/us.ttl"]
_Q24 = QUERIES["24-glossary-search.rq"]

test_turtle_gives_a_clean_error, test_turtle_gives_a_clean_error_slow = tiers(
    900, case=damaged(TURTLE)
)(
    example(case=("data/wp2013/us.ttl", b"[" * 300 + _US))(
        example(case=("data/wp2013/us.ttl", _US[:100] + b"\xc3"))(_turtle_gives_a_clean_error)
    )
)

test_query_gives_a_clean_error, test_query_gives_a_clean_error_slow = tiers(
    1100, case=damaged(QUERIES)
)(
    example(case=("24-glossary-search.rq", b"#+ a: &x [*x]\n" + _Q24))(
        example(case=("24-glossary-search.rq", _Q24.replace(b"WHERE {", b"WHERE {" + b"{" * 300)))(
            _query_gives_a_clean_error
        )
    )
)
