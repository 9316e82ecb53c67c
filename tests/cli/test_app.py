"""`piagraph app` as a new user starts it: a fresh HOME, no terminal, no flags but the port.

It must answer its health check without asking anything (Streamlit's first-run "Email:" prompt),
listen on loopback only, and stop — with everything it started — when its process group is stopped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.browser import free_port, stop_process_group, wait_until_healthy
from piagraph.cli.app import LOOPBACK, streamlit_flags
from piagraph.store import open_store
from tests.conftest import REPO
from tests.servers.processes import listeners_of

HEALTH_SECONDS = 40


def fresh_environment(home: Path, store: Path) -> dict[str, str]:
    """A new user's environment: an empty HOME, no display, the store given."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    home.mkdir(parents=True, exist_ok=True)
    return {**environment, "HOME": str(home), "PIAGRAPH_STORE": str(store)}


def start_app(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = tmp_path / "app.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "piagraph", "app", "--port", str(port), *args],
                                   cwd=tmp_path, env=fresh_environment(tmp_path / "home", tmp_path / "store"),
                                   stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process, port, log


def test_a_fresh_start_answers_without_a_prompt_and_listens_on_loopback_only(tmp_path):
    process, port, log = start_app(tmp_path)  # no --headless: no display here, so no browser either
    try:
        started = time.monotonic()
        wait_until_healthy(f"http://127.0.0.1:{port}", process, HEALTH_SECONDS, log)
        assert time.monotonic() - started < HEALTH_SECONDS
        addresses = {listener.address for listener in listeners_of([process.pid])}
        assert addresses == {f"127.0.0.1:{port}"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
        output = log.read_text(errors="replace")
        assert "Email" not in output and "gatherUsageStats" not in output
        assert not (tmp_path / "home" / ".streamlit" / "credentials.toml").exists()
        assert (tmp_path / "store").is_dir()  # an empty store was made for the app to read
    finally:
        stop_process_group(process)
    assert process.poll() is not None and listeners_of([process.pid]) == []


def test_another_host_is_served_with_a_one_line_warning(tmp_path):
    open_store(tmp_path / "store").close()
    process, port, log = start_app(tmp_path, "--headless", "--host", "0.0.0.0", "--read-only")
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, HEALTH_SECONDS, log)
        warnings = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("piagraph: warning")]
        assert len(warnings) == 1 and "everyone who can reach this port can read the store" in warnings[0]
        assert {listener.address for listener in listeners_of([process.pid])} == {f"0.0.0.0:{port}"}
    finally:
        stop_process_group(process)


def test_read_only_needs_an_existing_store(tmp_path):
    result = subprocess.run([sys.executable, "-m", "piagraph", "app", "--read-only", "--headless", "--store",
                             str(tmp_path / "none"), "--port", str(free_port())], cwd=REPO, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("piagraph: ") and "no store here" in result.stderr


def test_started_from_any_folder_the_app_takes_reports_up_to_16_mb_and_shows_no_deploy_button():
    """`app/.streamlit/config.toml` is read only when Streamlit starts in `app/`; the command line carries it."""
    flags = streamlit_flags(LOOPBACK, 8501, None)
    settings = dict(zip(flags[::2], flags[1::2]))
    assert settings["--server.maxUploadSize"] == "16"  # the README's limit, not Streamlit's 200 MB
    assert settings["--client.toolbarMode"] == "viewer"
    assert settings["--server.address"] == "127.0.0.1"
