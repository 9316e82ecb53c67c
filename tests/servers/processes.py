"""Which processes a test session started are still listening on a TCP port (Linux /proc).

The session marks its environment (`mark_session`); every process it starts inherits the mark, even
one that lost its parent (a server whose wrapper was killed but not its child). At the end of the
session `listening` lists the marked processes that still listen: the suite must leave none
(tests/conftest.py fails the run and stops them).
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from dataclasses import dataclass
from pathlib import Path

MARK_ENV = "PIAGRAPH_TEST_SESSION"
_LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


def mark_session() -> str:
    """Mark this process's environment (inherited by everything it starts); returns the mark."""
    mark = os.environ.get(MARK_ENV) or f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    os.environ[MARK_ENV] = mark
    return mark


@dataclass(frozen=True)
class Listener:
    pid: int
    command: str
    address: str


def _listening_inodes() -> dict[str, str]:
    """Socket inode → ``address:port`` of every listening TCP socket (IPv4 and IPv6)."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                if len(fields) > 9 and fields[3] == _LISTEN:
                    address, port = fields[1].rsplit(":", 1)
                    found[fields[9]] = f"{_address(address)}:{int(port, 16)}"
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return ".".join(str(int(hex_address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return "[ipv6]" if hex_address.strip("0") else "[::]"


def marked_processes(mark: str) -> list[int]:
    """The processes (other than this one) whose environment carries the mark."""
    wanted = f"{MARK_ENV}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def listening(mark: str) -> list[Listener]:
    """The marked processes that listen on a TCP port."""
    return listeners_of(marked_processes(mark))


def listeners_of(pids: list[int]) -> list[Listener]:
    """The TCP ports these processes listen on."""
    sockets = _listening_inodes()
    listeners = []
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    inode = target[len("socket:["):-1] if target.startswith("socket:[") else None
                    if inode in sockets:
                        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                        listeners.append(Listener(pid, command.strip()[:200], sockets[inode]))
    return listeners


def stop(listeners: list[Listener]) -> None:
    """Kill the process groups of leftover listeners (the suite must leave nothing running)."""
    for listener in listeners:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            group = os.getpgid(listener.pid)
            if group != os.getpgid(0):  # never this session's own group
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(listener.pid, signal.SIGKILL)
