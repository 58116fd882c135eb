"""What the fault-injection tests share: running the CLI in-process with a stopwatch, a port
nothing listens on, the answers a broken endpoint gives instead of SPARQL results, and the
checks every failure must pass (one error line, a hint, no traceback)."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ictkg.cli import main
from stub_endpoint import Fault

RESULTS_JSON = "application/sparql-results+json"

TRUNCATED_JSON = b'{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","val'
"""A results document cut off in the middle of a binding."""
EMPTY_OBJECT = b"{}"
"""JSON, but neither a SELECT nor an ASK result."""


def truncated_json(**match: object) -> Fault:
    """Answer 200 with SPARQL results JSON cut off half-way."""
    return Fault("status", status=200, body=TRUNCATED_JSON, content_type=RESULTS_JSON, **match)  # type: ignore[arg-type]


def empty_object(**match: object) -> Fault:
    """Answer 200 with ``{}`` as SPARQL results JSON."""
    return Fault("status", status=200, body=EMPTY_OBJECT, content_type=RESULTS_JSON, **match)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Run:
    """One CLI run: its exit code, what it printed, and how long it took."""

    code: int
    out: str
    err: str
    seconds: float


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Run:
    """``ictkg --root <root> <args>`` in-process, timed."""
    capsys.readouterr()
    started = time.monotonic()
    code = main(["--root", str(root), *args])
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    return Run(code, out, err, seconds)


def closed_port_url(path: str = "/query") -> str:
    """A loopback URL where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def assert_one_clean_error(result: Run, *fragments: str) -> None:
    """A failure says one ``error:`` line (with every fragment), and no traceback."""
    assert result.err.count("error: ") == 1, result.err
    assert "Traceback" not in result.err, result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)
