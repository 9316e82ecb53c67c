"""A private OpenLink Virtuoso 7 for tests, on 127.0.0.1 only, configured as piagraph needs it.

``running_virtuoso()`` is a context manager: it writes a ``virtuoso.ini`` into a fresh temporary
directory (database, transaction log and error log all there), starts
``virtuoso-t +foreground +configfile <dir>/virtuoso.ini`` in a process group of its own with its SQL
and HTTP ports on free ports of 127.0.0.1, waits until both answer, and configures it through
``isql-vt``:

* the ``dba`` password is changed from the packaged ``dba`` to a random one;
* a user (``piagraph``, random password) with the ``SPARQL_UPDATE`` role: it may query and write
  through the Digest-protected endpoints;
* ``/sparql-auth`` (SPARQL 1.1 Protocol) and ``/sparql-graph-crud-auth`` (Graph Store Protocol) are
  (re)defined with Digest authentication, realm ``SPARQL``, checked by ``DB.DBA.HP_AUTH_SPARQL_USER``;
* the anonymous ``/sparql`` and ``/sparql-graph-crud`` stay read-only: the built-in ``SPARQL`` user
  (every anonymous request runs as it) has ``SPARQL_SELECT`` only — ``SPARQL_UPDATE`` is revoked
  from it in case a default ever grants it.

It yields a `Virtuoso` (endpoint, GSP URL, user, password, the ``PIAGRAPH_REMOTE_*`` environment
variables) and, on exit, stops the whole process group (SIGTERM, then SIGKILL after a grace period)
and removes the directory. Raised limits for tests: ``ResultSetMaxRows`` (packaged: 10000; a longer
answer is cut short with HTTP 200, only an ``X-SPARQL-MaxRows`` header tells), ``MaxQueryExecutionTime``
(packaged: 60 s, then HTTP 500 ``SR171: Transaction timed out``) and ``MaxQueryCostEstimationTime``
(packaged: 400 s of estimated time, over it HTTP 500 before the query runs).

Debian: ``apt-get install virtuoso-opensource-7-bin`` brings ``virtuoso-t`` and ``isql-vt`` without
the packaged service (no init script, no debconf question, no database under /var/lib); the
``virtuoso-opensource`` package depends on it. As a pytest fixture::

    @pytest.fixture(scope="module")
    def virtuoso(tmp_path_factory):
        with running_virtuoso_or_skip(tmp_path_factory.mktemp("virtuoso")) as server:
            yield server
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import free_port, stop_process_group

DEBIAN_PACKAGE = "virtuoso-opensource-7-bin"
SERVER_NAMES = ("virtuoso-t",)
ISQL_NAMES = ("isql-vt", "isql-v", "isql")  # Debian, some builds, upstream (unixODBC's `isql` is another tool)
USER = "piagraph"
STARTUP_SECONDS = 90.0
STOP_SECONDS = 30.0

# Limits for tests (packaged: ResultSetMaxRows 10000, MaxQueryExecutionTime 60, MaxQueryCostEstimationTime 400).
RESULT_SET_MAX_ROWS = 1_000_000
MAX_QUERY_EXECUTION_SECONDS = 600
MAX_QUERY_COST_ESTIMATION_SECONDS = 3600

_INI = """\
; A private Virtuoso for piagraph's tests (tests/servers/virtuoso.py): every file in {dir}.
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
AllowOSCalls         = 0
DirsAllowed          = {dir}
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
MaxQueryMem          = 1G
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledDavVSP        = 0
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = {max_seconds}
MaxQueryCostEstimationTime = {max_cost_seconds}
"""

# Run as dba once the server is up. `{user}` and `{password}` are filled in (quotes doubled).
_SETUP_SQL = """\
DB.DBA.USER_CREATE ('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
DB.DBA.VHOST_REMOVE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-auth');
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-auth', ppath=>'/!sparql/', is_dav=>1,
  vsp_user=>'dba', opts=>vector ('noinherit', 1),
  auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'digest');
DB.DBA.VHOST_REMOVE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-graph-crud-auth');
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-graph-crud-auth', ppath=>'/!sparql-graph-crud/',
  is_dav=>1, vsp_user=>'dba', opts=>vector ('noinherit', 1, 'exec_as_get', 1),
  auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'digest');
checkpoint;
"""
# `REVOKE` fails when the role was never granted, so it runs alone and its error is ignored.
_READ_ONLY_ANONYMOUS_SQL = 'REVOKE SPARQL_UPDATE FROM "SPARQL";\n'
_CHANGE_DBA_PASSWORD_SQL = "USER_CHANGE_PASSWORD ('dba', 'dba', '{password}');\ncheckpoint;\n"


class VirtuosoError(RuntimeError):
    """The server did not start, or `isql` reported an error."""


def _is_virtuoso_isql(path: str) -> bool:
    try:
        banner = subprocess.run([path, "-?"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "Virtuoso" in banner.stdout + banner.stderr


def find_binaries() -> tuple[str, str] | None:
    """``(virtuoso-t, isql)`` paths, or None when Virtuoso is not installed."""
    server = next(filter(None, (shutil.which(name) for name in SERVER_NAMES)), None)
    isql = next((path for path in filter(None, (shutil.which(name) for name in ISQL_NAMES)) if _is_virtuoso_isql(path)), None)
    return (server, isql) if server and isql else None


def unavailable_reason() -> str | None:
    """Why the Virtuoso tests cannot run here (None: they can)."""
    if find_binaries() is None:
        return (f"OpenLink Virtuoso is not installed (no virtuoso-t and isql-vt on PATH): "
                f"apt-get install {DEBIAN_PACKAGE} (make setup-test installs it as root)")
    return None


def _sql_quote(text: str) -> str:
    return text.replace("'", "''")


@dataclass
class Virtuoso:
    """A running private Virtuoso."""

    directory: Path
    http_port: int
    sql_port: int
    user: str
    password: str
    dba_password: str
    isql_binary: str
    process: subprocess.Popen = field(repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        """SPARQL 1.1 Protocol, Digest authentication (`user`): queries, and updates for `user`."""
        return f"{self.base}/sparql-auth"

    @property
    def gsp(self) -> str:
        """Graph Store Protocol, Digest authentication (`user`)."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def public_endpoint(self) -> str:
        """The anonymous, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def public_gsp(self) -> str:
        """The anonymous Graph Store endpoint (reads only: the anonymous user may not write)."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def env(self) -> dict[str, str]:
        """What `piagraph --endpoint …` reads for credentials."""
        return {"PIAGRAPH_REMOTE_USER": self.user, "PIAGRAPH_REMOTE_PASSWORD": self.password,
                "PIAGRAPH_REMOTE_AUTH": "digest"}

    def store(self, endpoint: str | None = None, gsp: str | None = None, *, user: str | None = None,
              password: str | None = None, **options):
        """A `RemoteStore` on this server: the Digest endpoints as `user` (default: the loader), or
        the given ones (``store(virtuoso.public_endpoint)``: anonymous, no credentials)."""
        from piagraph.store.remote import AUTH_ENV, PASSWORD_ENV, USER_ENV, RemoteStore

        anonymous = endpoint is not None and user is None
        values = {} if anonymous else {**self.env, USER_ENV: user or self.user, PASSWORD_ENV: password or self.password}
        saved = {key: os.environ.pop(key, None) for key in (USER_ENV, PASSWORD_ENV, AUTH_ENV)}
        os.environ.update(values)
        try:
            return RemoteStore(endpoint or self.endpoint, gsp or (None if anonymous else self.gsp), **options)
        finally:
            for key, value in saved.items():
                os.environ.pop(key, None)
                if value is not None:
                    os.environ[key] = value

    def isql(self, sql: str, *, user: str = "dba", password: str | None = None, check: bool = True) -> str:
        """Run SQL statements (each ending with ``;``) through isql; `VirtuosoError` on any error."""
        return _isql(self.isql_binary, self.sql_port, user, self.dba_password if password is None else password,
                     sql, check=check)

    def log(self, lines: int = 40) -> str:
        """The end of the server's error log."""
        path = self.directory / "virtuoso.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _isql(binary: str, port: int, user: str, password: str, sql: str, *, check: bool = True) -> str:
    command = [binary, f"127.0.0.1:{port}", user, password,
               "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT"]
    done = subprocess.run(command, input=sql, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    if check and (done.returncode != 0 or "*** Error" in output):
        raise VirtuosoError(f"isql failed (exit {done.returncode}): {output.strip()[:2000]}")
    return output


def _ready(process: subprocess.Popen, isql: str, sql_port: int, http_port: int, directory: Path, timeout: float) -> None:
    """Wait until the SQL port takes a login and the HTTP server answers a SPARQL query."""
    deadline = time.monotonic() + timeout
    probe = f"http://127.0.0.1:{http_port}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = directory / "virtuoso.log"
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:]) if log.exists() else ""
            raise VirtuosoError(f"virtuoso-t exited with code {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as answer:
                answer.read()
            _isql(isql, sql_port, "dba", "dba", "SELECT 1;")
            return
        except (OSError, urllib.error.URLError, VirtuosoError, subprocess.TimeoutExpired):
            time.sleep(0.3)
    raise VirtuosoError(f"Virtuoso did not answer on 127.0.0.1:{http_port} and :{sql_port} within {timeout:g} s")


@dataclass(frozen=True)
class Limits:
    """The ``[SPARQL]`` limits of virtuoso.ini (defaults: raised for tests; a test of what happens at
    a limit starts a server with a low one)."""

    max_rows: int = RESULT_SET_MAX_ROWS
    max_query_seconds: int = MAX_QUERY_EXECUTION_SECONDS
    max_cost_seconds: int = MAX_QUERY_COST_ESTIMATION_SECONDS


def _start(server: str, isql: str, directory: Path, timeout: float, limits: Limits) -> tuple[subprocess.Popen, int, int]:
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    (directory / "vsp").mkdir(exist_ok=True)
    ini = directory / "virtuoso.ini"
    ini.write_text(_INI.format(dir=directory, sql_port=sql_port, http_port=http_port, max_rows=limits.max_rows,
                               max_seconds=limits.max_query_seconds, max_cost_seconds=limits.max_cost_seconds),
                   encoding="utf-8")
    with open(directory / "virtuoso.out", "ab") as output:
        process = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=directory,
                                   stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # its own process group, stopped whole
    try:
        _ready(process, isql, sql_port, http_port, directory, timeout)
    except BaseException:
        stop_process_group(process)
        raise
    return process, http_port, sql_port


@contextmanager
def running_virtuoso(directory: Path | None = None, *, user: str = USER, limits: Limits = Limits(),
                     startup_timeout: float = STARTUP_SECONDS) -> Iterator[Virtuoso]:
    """Start, configure and yield a private Virtuoso; stop it and remove its directory on exit.

    `directory` (created if missing, removed on exit) holds the database; default: a new temporary
    directory. Raises `VirtuosoError` when Virtuoso is missing or does not start.
    """
    binaries = find_binaries()
    if binaries is None:
        raise VirtuosoError(unavailable_reason())
    server, isql = binaries
    directory = Path(tempfile.mkdtemp(prefix="piagraph-virtuoso-")) if directory is None else Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    process = None
    try:
        for attempt in range(3):  # a free port may be taken between the probe and the server's bind
            for stale in directory.glob("virtuoso*.[dtlp]*"):
                stale.unlink()
            try:
                process, http_port, sql_port = _start(server, isql, directory, startup_timeout, limits)
                break
            except VirtuosoError:
                if attempt == 2:
                    raise
        password, dba_password = secrets.token_hex(12), secrets.token_hex(12)
        _isql(isql, sql_port, "dba", "dba", _SETUP_SQL.format(user=_sql_quote(user), password=_sql_quote(password)))
        _isql(isql, sql_port, "dba", "dba", _READ_ONLY_ANONYMOUS_SQL, check=False)
        _isql(isql, sql_port, "dba", "dba", _CHANGE_DBA_PASSWORD_SQL.format(password=dba_password))
        yield Virtuoso(directory=directory, http_port=http_port, sql_port=sql_port, user=user, password=password,
                       dba_password=dba_password, isql_binary=isql, process=process)
    finally:
        try:
            if process is not None:
                stop_process_group(process)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def running_virtuoso_or_skip(directory: Path | None = None, **options) -> Iterator[Virtuoso]:
    """`running_virtuoso` for pytest fixtures: skips (with the reason) only when Virtuoso is not installed."""
    reason = unavailable_reason()
    if reason:
        import pytest

        pytest.skip(reason)
    with running_virtuoso(directory, **options) as server:
        yield server


if __name__ == "__main__":  # python -m tests.servers.virtuoso: start one and print how to reach it
    # Ctrl-C or `kill PID` stops the server and removes its directory (a shell starts a background
    # job with SIGINT ignored, so SIGTERM is the way to stop one started with `&`).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with running_virtuoso() as running:
        print(f"endpoint {running.endpoint}\ngsp      {running.gsp}\npublic   {running.public_endpoint}")
        print("".join(f"export {key}={value}\n" for key, value in running.env.items()), end="")
        print(f"isql-vt 127.0.0.1:{running.sql_port} dba {running.dba_password}\n(Ctrl-C or kill {os.getpid()} stops it)",
              flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
