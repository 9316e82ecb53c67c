"""Real SPARQL servers the tests start on 127.0.0.1, each stopped with its whole process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process_group(process: subprocess.Popen, grace: float = STOP_SECONDS) -> None:
    """SIGTERM to the server's whole process group, SIGKILL after `grace` seconds (and at once if
    the wait is interrupted, e.g. by a second Ctrl-C)."""
    try:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
    finally:
        try:  # anything the server left in its group (it runs as the group leader)
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
