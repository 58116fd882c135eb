"""The one exit-code table (ictkg.errors): every failure class ends ``ictkg`` with its own code
and one message line, never a traceback unless ``--debug`` is given."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictkg.cli import main
from ictkg.errors import ExitCode, StoreTimeoutError, exit_code_for
from ictkg.paths import ProjectPaths
from ictkg.project import Project
from ictkg.stores.endpoint import SparqlEndpointStore

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_every_exit_code_is_in_the_readme(code: ExitCode) -> None:
    assert f"| **{int(code)}** |" in README


def test_an_unreachable_endpoint_is_store_unavailable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "01", "--endpoint", "http://u:secret@127.0.0.1:9/query")
    assert code == ExitCode.STORE_UNAVAILABLE == 69
    assert out == ""
    # Credentials in the URL are stripped from it (docs/loading.md), so no trace of them is shown.
    assert err.startswith("error: the endpoint http://127.0.0.1:9/query: the connection failed")
    assert "secret" not in err and "Traceback" not in err


def test_a_query_reaching_the_network_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    query = tmp_path / "99-remote.rq"
    query.write_text(
        "#+ summary: remote\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }\n",
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "query", str(query), "--backend", "oxigraph")
    assert code == ExitCode.REFUSED == 77
    assert err == (
        f"error: {query}: SERVICE is not allowed: ictkg queries never fetch data from "
        "elsewhere\n"
        "  hint: query the graph ictkg loaded; to ask another endpoint, pass it with --endpoint\n"
    )


def test_an_unwritable_output_is_cannot_write(
    capsys: pytest.CaptureFixture[str], mini_project: ProjectPaths
) -> None:
    blocker = mini_project.root / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _out, err = run(
        capsys, "--root", str(mini_project.root), "build", "--out", str(blocker / "build")
    )
    assert code == ExitCode.CANNOT_WRITE == 73
    assert err.splitlines()[-1].startswith(f"error: {blocker / 'build'}: cannot create")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/query"


def test_an_endpoint_that_never_answers_times_out(silent_server: str) -> None:
    store = SparqlEndpointStore(silent_server, timeout=1, retries=0)
    with pytest.raises(StoreTimeoutError) as info:
        store.query("ASK {}")
    assert exit_code_for(info.value) == ExitCode.TIMEOUT == 75
    assert "gave no complete answer within 1 s" in str(info.value)


def test_ctrl_c_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Project, "query", interrupted)
    code, _out, err = run(capsys, "query", "01")
    assert code == ExitCode.INTERRUPTED == 130
    assert err.strip() == "interrupted"  # click first ends the line the ^C was typed on


def test_a_bug_exits_70_with_a_traceback_only_under_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Project, "query", broken)
    code, _out, err = run(capsys, "query", "01")
    assert code == ExitCode.INTERNAL == 70
    assert err == (
        "internal error: ZeroDivisionError: division by zero\n"
        "  hint: this is a bug in ictkg; rerun with --debug and report the traceback\n"
    )
    code, _out, err = run(capsys, "--debug", "query", "01")
    assert code == 70
    assert err.startswith("Traceback (most recent call last):")
