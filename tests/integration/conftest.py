"""A real Oxigraph SPARQL server for the integration tests, started and stopped by the tests.

The server is the ``oxigraph`` binary from PyPI (installed by the ``test`` extra), bound to a free
loopback port with its data in a temporary folder. When the server cannot start the tests fail:
they never skip, and the server is never mocked.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from oxigraph_support import SparqlServer, oxigraph_binary, start_oxigraph, stop
from virtuoso_support import VirtuosoServer, start_virtuoso


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Start ``oxigraph serve`` on a free loopback port; yield its URLs; stop it afterwards."""
    try:
        server, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop(process)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failing integration test, attach the server log to the report."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    names = getattr(item, "fixturenames", ())
    for name in ("oxigraph_server", "oxigraph_bulk_server"):
        server = item.funcargs.get(name) if name in names else None  # type: ignore[attr-defined]
        if isinstance(server, SparqlServer) and server.log.exists():
            report.sections.append((f"{name} log", server.log.read_text(errors="replace")))
    virtuoso = item.funcargs.get("virtuoso_server") if "virtuoso_server" in names else None  # type: ignore[attr-defined]
    if isinstance(virtuoso, VirtuosoServer):
        report.sections.append(("Virtuoso log", virtuoso.log_text()[-20000:]))


# -- Servers loaded by their own bulk loaders -----------------------------------------------------


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Start Debian's Virtuoso 7 in a temporary folder of its own; stop it afterwards.

    ``make test`` installs ``virtuoso-opensource`` with apt when it is missing; without it the
    tests that need the server fail (they never skip).
    """
    folder = tmp_path_factory.mktemp("virtuoso")
    try:
        server = start_virtuoso(folder)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def nquads_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real dataset written as ``ictkg.nq``, exactly as ``ictkg build`` writes it."""
    from ictkg.export.dumps import write_build
    from ictkg.project import Project

    out = tmp_path_factory.mktemp("dump") / "build"
    write_build(Project(Path(__file__).resolve().parents[2]).quads(), out)
    return out / "ictkg.nq"


@pytest.fixture(scope="session")
def oxigraph_bulk_server(
    tmp_path_factory: pytest.TempPathFactory, nquads_dump: Path
) -> Iterator[SparqlServer]:
    """A read-only Oxigraph server over a folder filled by ``oxigraph load``, as docs/engines.md
    tells an operator: ``oxigraph load`` then ``oxigraph serve-read-only --union-default-graph``."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.fail("the oxigraph server binary is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("oxigraph-bulk")
    subprocess.run(
        [binary, "load", "--location", str(folder / "db"), "--file", str(nquads_dump)],
        check=True,
        capture_output=True,
    )
    try:
        server, process = start_oxigraph(folder, "--union-default-graph", read_only=True)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop(process)
