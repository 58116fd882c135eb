"""Property: any parameter value fails with exit 2 or is matched literally, and never changes
the data (issue 10, item 6).

Arbitrary text (all of Unicode, lone surrogates included, and injection-ish strings: quotes,
``}``, ``#``, newlines, ``DROP ALL``, ``> <``, ``"^^``) is given to every parameter of the stored
queries, on one in-memory Oxigraph store loaded once, through :func:`ictkg.stores.run_query`
(values bound as given), :meth:`ictkg.project.Project.query` (names looked up too) and
``ictkg query``. Each example ends in a :class:`~ictkg.errors.UsageError` (exit 2) or an answer;
typed values are accepted exactly when they are well formed; the search text of query 24 gives
exactly the labels that contain it (computed here in Python, not by SPARQL); and the store holds
the same quads after every example.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import example
from hypothesis import strategies as st

from ictkg.cli import main
from ictkg.errors import ExitCode, UsageError
from ictkg.namespaces import ICTKG_NS, LABEL_LANGUAGES, PREFIXES, RDF_NS, RDFS_NS, SH_NS
from ictkg.project import Project
from ictkg.queries.files import StoredQuery
from ictkg.queries.parameters import iri_from_text
from ictkg.stores import Store, run_query
from property_support import clean_error, tiers, time_bound

ROOT = Path(__file__).resolve().parents[2]

INJECTION = (
    "",
    " ",
    '"',
    "'",
    '"""',
    "}",
    "{",
    "#",
    "\n",
    "\r\n",
    "\\",
    "\x00",
    "DROP ALL",
    '" } ; DROP ALL ; #',
    "') } DELETE WHERE { ?s ?p ?o } #",
    "> <",
    "<http://x> } UNION { ?s ?p ?o",
    '"^^<http://www.w3.org/2001/XMLSchema#string>',
    '"@en',
    "?s",
    "$x",
    "*",
    "topic:security",
    " topic:security ",
    "topic:security>",
    "<https://w3id.org/ictkg/id/topic/security>",
    "country:fr",
    "France",
    "フランス",
    "セキュリティ",
    "ｾｷｭﾘﾃｨ",
    "Fran",
    "en",
    "ja",
    "EN",
    "ja-JP",
    "2012",
    "2012-10",
    "2012-10-15",
    "2013-02-30",
    "+2012",
    "٢٠١٣",
    "２０１３",
    "9" * 19,
    "9" * 5000,
    "\ud800",
)
values = st.one_of(
    st.sampled_from(INJECTION),
    st.text(max_size=12),
    st.text(st.characters(categories=["Cs", "Cc", "Zs", "Lo", "Mn", "So"]), max_size=6),
    st.builds(lambda a, b: a + b, st.sampled_from(INJECTION), st.text(max_size=4)),
)


@pytest.fixture(scope="module")
def store(real_project: Project) -> Iterator[Store]:
    """One store for every example of the module, loaded once, compared after each."""
    loaded = real_project.open_store("oxigraph")
    before = _sorted_hash(loaded)
    _FINGERPRINTS[id(loaded)] = _dump_digest(loaded)
    yield loaded
    assert _sorted_hash(loaded) == before, "the store changed during the property tests"


def _sorted_hash(store: Store) -> str:
    """SHA-256 of the store's quads, sorted (compared once per module: it takes 40 ms)."""
    return hashlib.sha256("\n".join(sorted(map(str, store.quads()))).encode()).hexdigest()  # type: ignore[attr-defined]


_FINGERPRINTS: dict[int, str] = {}


def _dump_digest(store: Store) -> str:
    """SHA-256 of the store's N-Quads dump, in the store's own (key) order, so the same content
    gives the same bytes (10 ms)."""
    raw = store.store  # type: ignore[attr-defined]
    return hashlib.sha256(raw.dump(format=ox.RdfFormat.N_QUADS)).hexdigest()


def unchanged(store: Store) -> None:
    """The store holds what it held when it was loaded."""
    assert _dump_digest(store) == _FINGERPRINTS[id(store)], "the store's content changed"


QUERIES: tuple[StoredQuery, ...] = tuple(q for q in Project(ROOT).stored_queries() if q.parameters)
_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$", re.ASCII)


@st.composite
def calls(draw: st.DrawFn) -> tuple[StoredQuery, dict[str, str]]:
    """A query with parameters and values for one or two of them."""
    query = draw(st.sampled_from(QUERIES))
    names = draw(st.permutations(sorted(query.parameters)))
    names = names[: draw(st.integers(1, min(2, len(names))))]
    return query, {name: draw(values) for name in names}


def _well_formed(query: StoredQuery, name: str, value: str) -> bool | None:
    """Whether a value of this type must be accepted (None: not decided here)."""
    kind = query.parameters[name].type
    if kind == "integer":
        return bool(_INTEGER.match(value.strip()))
    if name == "lang":
        return value in LABEL_LANGUAGES
    return None


def _usage_error(error: BaseException) -> UsageError:
    clean_error(error)
    assert isinstance(error, UsageError), f"not a usage error: {error!r}"
    assert error.exit_code == ExitCode.USAGE, f"exit {int(error.exit_code)}: {error}"
    return error


def _resources(store: Store) -> set[str]:
    return {
        term.value
        for quad in store.quads()  # type: ignore[attr-defined]
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode)
    }


_RESOURCES: dict[int, set[str]] = {}


def _run_query_binds_or_refuses(store: Store, call: tuple[StoredQuery, dict[str, str]]) -> None:
    query, params = call
    try:
        with time_bound():
            result = run_query(query, store, params)
    except Exception as error:  # noqa: BLE001 - the property is about which exceptions
        _usage_error(error)
        for name, value in params.items():
            if len(params) == 1:  # (two values may be refused together, as a reversed range)
                assert _well_formed(query, name, value) is not True, f"{name}={value!r}: {error}"
        unchanged(store)
        return
    for name, value in params.items():
        assert _well_formed(query, name, value) is not False, f"{name}={value!r} was accepted"
    # An IRI that no resource of the graph has selects nothing: it is bound as a term, never
    # spliced into the query text.
    if id(store) not in _RESOURCES:
        _RESOURCES[id(store)] = _resources(store)
    resources = _RESOURCES[id(store)]
    if any(
        query.parameters[name].type == "iri" and _bound_iri(value) not in resources
        for name, value in params.items()
    ):
        assert not result.rows, f"{query.id} {params}: rows for an IRI not in the graph"
    unchanged(store)


def _bound_iri(value: str) -> str:
    return iri_from_text(value).value


test_run_query_binds_or_refuses, test_run_query_binds_or_refuses_slow = tiers(500, call=calls())(
    _run_query_binds_or_refuses
)


# -- The search text of query 24, matched literally ---------------------------------------------

_Q24 = next(q for q in QUERIES if q.id == "24-glossary-search")
_LABELS = {RDFS_NS + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel"}


def _label_candidates(store: Store) -> set[tuple[Any, Any]]:
    """(term, label) for every label of an ictkg resource that is neither a passage nor a
    stored query, read from the quads in Python (query 24's question without SPARQL)."""
    quads = store.quads()  # type: ignore[attr-defined]
    excluded = {
        q.subject
        for q in quads
        if q.predicate.value == RDF_NS + "type"
        and q.object
        in (ox.NamedNode(ICTKG_NS + "Passage"), ox.NamedNode(SH_NS + "SPARQLExecutable"))
    }
    return {
        (q.subject, q.object)
        for q in quads
        if q.predicate.value in _LABELS
        and isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith("https://w3id.org/ictkg/")
        and q.subject not in excluded
    }


_CANDIDATES: dict[int, set[tuple[Any, Any]]] = {}


def expected_matches(store: Store, text: str) -> set[tuple[Any, Any]]:
    if id(store) not in _CANDIDATES:
        _CANDIDATES[id(store)] = _label_candidates(store)
    candidates = _CANDIDATES[id(store)]
    needle = text.lower()
    return {(t, label) for t, label in candidates if needle in str(label.value).lower()}


def _search_text_matches_literally(store: Store, text: str) -> None:
    try:
        with time_bound():
            result = run_query(_Q24, store, {"text": text})
    except Exception as error:  # noqa: BLE001
        _usage_error(error)
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text), f"text={text!r}: {error}"
        unchanged(store)
        return
    got = {(row[0], row[1]) for row in result.rows}
    assert got == expected_matches(store, text), f"text={text!r}"
    unchanged(store)


test_search_text_matches_literally, test_search_text_matches_literally_slow = tiers(
    150, text=values
)(
    example(text='"} } UNION { ?s ?p ?o } #')(
        example(text="セキュリティ")(example(text="")(_search_text_matches_literally))
    )
)


# -- Project.query: names looked up, then bound ------------------------------------------------


@pytest.fixture(scope="module")
def project(store: Store) -> Project:
    """A Project of the checkout whose every query runs on the module's store."""
    project = Project(ROOT)
    project.open_store = lambda backend="embedded", *, endpoint=None: store  # type: ignore[method-assign]
    return project


def _project_query_answers_or_refuses(
    project: Project, store: Store, call: tuple[StoredQuery, dict[str, str]]
) -> None:
    query, params = call
    try:
        with time_bound():
            answer = project.query(query.id, params)
    except Exception as error:  # noqa: BLE001
        _usage_error(error)
        unchanged(store)
        return
    if query.id == _Q24.id and set(params) == {"text"}:
        got = {(row[0], row[1]) for row in answer.result.rows}
        assert got == expected_matches(store, params["text"])
    unchanged(store)


_Q30 = next(q for q in QUERIES if q.id == "30-statements-by-source")
# A lone surrogate as a name reached the store's name lookup: ValueError, exit 70.
_SURROGATE_NAME = (_Q30, {"graph": "\ud800"})

test_project_query_answers_or_refuses, test_project_query_answers_or_refuses_slow = tiers(
    150, call=calls()
)(example(call=_SURROGATE_NAME)(_project_query_answers_or_refuses))


# -- ictkg query --------------------------------------------------------------------------------


def _cli_exits_0_or_2(call: tuple[StoredQuery, dict[str, str]]) -> None:
    query, params = call
    args = ["--root", str(ROOT), "query", query.id, "--backend", "oxigraph"]
    for name, value in params.items():
        args += ["--param", f"{name}={value}"]
    out, err = io.StringIO(), io.StringIO()
    with time_bound(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code in (ExitCode.OK, ExitCode.USAGE), f"exit {code}: {err.getvalue()}"
    if code == ExitCode.USAGE:
        assert err.getvalue().startswith("error: "), err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()


test_cli_exits_0_or_2, test_cli_exits_0_or_2_slow = tiers(30, call=calls())(
    example(call=_SURROGATE_NAME)(_cli_exits_0_or_2)
)
