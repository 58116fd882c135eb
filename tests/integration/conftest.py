"""A real Oxigraph SPARQL server for the integration tests, started and stopped by the tests.

The server is the ``oxigraph`` binary from PyPI (installed by the ``test`` extra), bound to a free
loopback port with its data in a temporary folder. When the server cannot start the tests fail:
they never skip, and the server is never mocked.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from virtuoso_support import VirtuosoServer, start_virtuoso


@dataclass(frozen=True)
class SparqlServer:
    """A running server's endpoints."""

    base: str
    """``http://127.0.0.1:<port>``."""
    log: Path
    """The server's combined stdout and stderr."""

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint."""
        return f"{self.base}/store"


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"oxigraph did not answer within 30 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Start ``oxigraph serve`` on a free loopback port; yield its URLs; stop it afterwards."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.fail("the oxigraph server binary is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("oxigraph")
    log = folder / "server.log"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(base, process, log)
        yield SparqlServer(base=base, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    binary = _oxigraph_binary()
    if binary is None:
        pytest.fail("the oxigraph server binary is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("oxigraph-bulk")
    log = folder / "server.log"
    subprocess.run(
        [binary, "load", "--location", str(folder / "db"), "--file", str(nquads_dump)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                binary,
                "serve-read-only",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(base, process, log)
        yield SparqlServer(base=base, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
