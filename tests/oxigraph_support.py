"""Starting a real Oxigraph server for the tests and benchmarks: the ``oxigraph`` binary from
PyPI (the ``test`` extra), on a free loopback port, with its data in a folder of its own."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SparqlServer", "free_port", "oxigraph_binary", "start_oxigraph", "wait_ready"]


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


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(
    base: str, process: subprocess.Popen[bytes], log: Path, within: float = 30.0
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(
        f"oxigraph did not answer within {within:g} s:\n{log.read_text(errors='replace')}"
    )


def start_oxigraph(
    folder: Path, *args: str, read_only: bool = False, within: float = 30.0
) -> tuple[SparqlServer, subprocess.Popen[bytes]]:
    """Start ``oxigraph serve`` (or ``serve-read-only``) over ``folder/db``; wait until it answers.

    Raises:
        RuntimeError: when the binary is missing or the server does not come up (with its log).
    """
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server binary is not installed (pip install -e '.[test]')")
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = "serve-read-only" if read_only else "serve"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [
                binary,
                command,
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                *args,
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(base, process, log, within)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return SparqlServer(base=base, log=log), process


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`start_oxigraph`."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
