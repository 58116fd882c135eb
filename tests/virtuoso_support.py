"""A real Virtuoso Open Source 7 server for the tests, in a folder of its own, stopped after.

The server is Debian's ``virtuoso-opensource`` package (``virtuoso-t`` and ``isql-vt``), which
``make test`` installs with apt when it is missing. It is never the system service: each server
gets a fresh database folder, its own ``virtuoso.ini``, and free loopback ports for SQL and HTTP.
Data is loaded the way an operator would, with Virtuoso's bulk loader (``ld_dir`` and
``rdf_loader_run``), or through the SPARQL protocols by ``ictkg load``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from oxigraph_support import free_port

__all__ = ["VirtuosoServer", "start_virtuoso", "virtuoso_binaries"]

VAD_DIR = Path("/usr/share/virtuoso-opensource-7/vad")

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CaseMode           = 2
DirsAllowed        = ., {db}, {load}, {vad}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CheckpointInterval = 60
VADInstallDir      = {vad}

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {vsp}
ServerThreads      = 10
MaxClientConnections = 10
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


def virtuoso_binaries() -> tuple[str, str] | None:
    """Return the paths of ``virtuoso-t`` and ``isql-vt``, or None when not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


@dataclass
class VirtuosoServer:
    """A running Virtuoso: its endpoints, folders and how to talk SQL to it."""

    folder: Path
    """The server's own folder: database, log and ``virtuoso.ini``."""
    http_port: int
    sql_port: int
    isql: str
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint (query and, once granted, update)."""
        return f"{self.base}/sparql"

    @property
    def load_dir(self) -> Path:
        """A folder the bulk loader may read (named in ``DirsAllowed``)."""
        return self.folder / "load"

    @property
    def log(self) -> Path:
        return self.folder / "db" / "virtuoso.log"

    def log_text(self) -> str:
        parts = []
        for path in (self.log, self.folder / "stdout.log"):
            if path.exists():
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')}")
        return "\n".join(parts)

    def sql(self, statements: str, *, timeout: float = 120) -> str:
        """Run SQL statements with ``isql-vt`` as ``dba``; raise with the output on an error."""
        completed = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF"],
            input=statements.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        out = completed.stdout.decode(errors="replace") + completed.stderr.decode(errors="replace")
        if completed.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql-vt failed:\n{statements}\n{out}")
        return out

    def bulk_load(self, nquads: Path) -> None:
        """Load an N-Quads file with Virtuoso's own bulk loader, each quad into its graph.

        This is what docs/engines.md tells an operator to do: copy the file into a folder named
        in ``DirsAllowed``, register it with ``ld_dir`` and run ``rdf_loader_run``.
        """
        self.load_dir.mkdir(exist_ok=True)
        target = self.load_dir / nquads.name
        shutil.copyfile(nquads, target)
        self.sql(
            f"ld_dir('{self.load_dir}', '{nquads.name}', 'urn:ictkg:bulk-default');\n"
            "rdf_loader_run();\ncheckpoint;\n"
        )
        errors = self.sql(
            "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n"
        )
        if "ll_error" in errors and target.name in errors.split("ll_error", 1)[1]:
            raise RuntimeError(f"the bulk loader reported errors:\n{errors}")
        self.sql(f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file = '{target}';\n")

    def drop_graphs(self, graphs: list[str]) -> None:
        """Drop the named graphs (``SPARQL DROP SILENT GRAPH`` through SQL, as ``dba``)."""
        if graphs:
            self.sql("".join(f"SPARQL DROP SILENT GRAPH <{g}>;\n" for g in graphs))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_ready(server: VirtuosoServer, deadline_s: float = 90) -> None:
    deadline = time.monotonic() + deadline_s
    url = f"{server.query_url}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited early:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Virtuoso did not answer within {deadline_s:g} s:\n{server.log_text()}")


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Start Virtuoso in ``folder`` (created) on free loopback ports, ready for SPARQL.

    The ``SPARQL`` account (anonymous requests to ``/sparql``) is granted ``SPARQL_UPDATE`` so
    that ``ictkg load`` can use SPARQL 1.1 Update, as an operator would grant it for a loader.

    Raises:
        RuntimeError: when the binaries are missing or the server does not come up (with its log).
    """
    binaries = virtuoso_binaries()
    if binaries is None:
        raise RuntimeError(
            "virtuoso-t / isql-vt not found: install Debian's virtuoso-opensource "
            "(`make test` does: apt-get install virtuoso-opensource)"
        )
    server_bin, isql = binaries
    db = folder / "db"
    db.mkdir(parents=True, exist_ok=True)
    (folder / "load").mkdir(exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)  # the HTTP server's root; no pages are served
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            db=db,
            load=folder / "load",
            vad=VAD_DIR,
            vsp=folder / "www",
            sql_port=sql_port,
            http_port=http_port,
        )
    )
    with (folder / "stdout.log").open("wb") as sink:
        process = subprocess.Popen(
            [server_bin, "+foreground", "+configfile", str(ini)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=db,
        )
    server = VirtuosoServer(
        folder=folder, http_port=http_port, sql_port=sql_port, isql=isql, process=process
    )
    try:
        _wait_ready(server)
        server.sql('GRANT SPARQL_UPDATE TO "SPARQL";\n')
    except BaseException:
        server.stop()
        raise
    return server
