"""Serving the app for a real browser: start `piagraph app` on a free port and wait until it answers.

Used by the browser test and by `scripts/screenshots.py`; Chromium is Debian's (/usr/bin/chromium),
driven by Playwright without downloading a browser of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served_app(store_dir: Path, *, startup_seconds: float = 60):
    """The app on 127.0.0.1:<free port>; yields its base URL and stops it afterwards."""
    port = free_port()
    environment = {**os.environ, "PIAGRAPH_STORE": str(store_dir)}
    command = [sys.executable, "-m", "piagraph", "app", "--store", str(store_dir), "--port", str(port),
               "--headless"]
    # its own session: `piagraph app` starts Streamlit as a child, and both must stop afterwards
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            if process.poll() is not None:
                raise RuntimeError(f"the app exited: {process.stderr.read().decode(errors='replace')[-500:]}")
            time.sleep(0.3)
        else:
            raise TimeoutError(f"the app did not answer on {url} within {startup_seconds:g} s")
        yield url
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process started in its own session and everything it started (SIGTERM, then SIGKILL)."""
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
