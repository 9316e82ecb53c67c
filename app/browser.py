"""Serving the app for a real browser: start `piagraph app` on a free port and wait until it answers.

Used by the browser tests and by `scripts/screenshots.py`; Chromium is Debian's (/usr/bin/chromium),
driven by Playwright without downloading a browser of its own. The app runs in a session (process
group) of its own, and stopping it stops the whole group: the server and every worker it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a process started in a session of its own and everything it started: SIGTERM to the
    group, then SIGKILL to whatever is left, each time waiting until the group is empty."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)  # is anyone of the group still running?
            except ProcessLookupError:
                process.wait()
                return
            process.poll()  # reap the leader, so the group can empty
            time.sleep(0.1)


stop_group = stop_process_group
"""The name the tests' servers use (`tests/servers/oxigraph.py` has its own)."""


def wait_until_healthy(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    """Wait until the app's health check answers; fail if it exits (quoting the end of its `log`)
    or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        if process.poll() is not None:
            errors = log.read_text(errors="replace")[-500:] if log and log.exists() else ""
            raise RuntimeError(f"the app exited with code {process.returncode}: {errors}")
        time.sleep(0.3)
    raise TimeoutError(f"the app did not answer on {url} within {seconds:g} s")


@contextlib.contextmanager
def served_app(store_dir: Path, *, startup_seconds: float = 60, args: tuple[str, ...] = (),
               env: dict[str, str] | None = None) -> Iterator[str]:
    """The app on 127.0.0.1:<free port> over `store_dir`; yields its base URL and stops it (its
    whole process group) afterwards. `args` are more ``piagraph app`` options, `env` the
    environment (default: this one)."""
    port = free_port()
    environment = {**(os.environ if env is None else env), "PIAGRAPH_STORE": str(store_dir)}
    command = [sys.executable, "-m", "piagraph", "app", "--store", str(store_dir), "--port", str(port),
               "--headless", *args]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="piagraph-app-") as directory:
        log = Path(directory) / "app.log"
        with open(log, "wb") as output:  # a file, not a pipe nobody reads: the app never blocks on it
            process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_healthy(url, process, startup_seconds, log)
            yield url
        finally:
            stop_process_group(process)
