"""``piagraph app``: serve the Streamlit app (``app/main.py``) on a store (embedded or remote).

Safe by default:

* it listens on 127.0.0.1 only; ``--host ADDRESS`` serves other machines, with one line warning that
  everyone who can reach the port can read the store;
* Streamlit never asks anything at start (no "Email:" prompt, no usage statistics), whatever HOME or
  stdin: the settings are passed on the command line and shipped in ``app/.streamlit/config.toml``;
* the browser opens once the app answers, when there is a display to open it on (``--headless``: never);
* ``--read-only`` leaves out the 取込 page: the app never writes to the store;
* sign-in: when the Streamlit secrets (``.streamlit/secrets.toml`` in the working directory or in
  ``~/.streamlit``, or ``--secrets FILE``) hold an ``[auth]`` section, every page asks for sign-in
  through Streamlit's OIDC (`st.login`) first (README, "Sharing the app").

Streamlit runs in this process (not as a child), so stopping this process — or its process group —
stops the server and everything it started.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
import time
import urllib.request
import webbrowser
from importlib import resources
from pathlib import Path

import click

from piagraph.cli.options import one_line_errors, store_options
from piagraph.store import default_store_path, open_store

LOOPBACK = "127.0.0.1"
READ_ONLY_ENV = "PIAGRAPH_READ_ONLY"
"""Set to 1 by ``--read-only``: the app shows no 取込 page and writes nothing."""


def app_script() -> Path:
    return Path(str(resources.files("app"))) / "main.py"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def streamlit_flags(host: str, port: int, secrets: Path | None) -> list[str]:
    """The Streamlit settings of a safe start (the same as ``app/.streamlit/config.toml``)."""
    flags = ["--server.address", host, "--server.port", str(port), "--server.headless", "true",
             "--server.showEmailPrompt", "false", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.maxUploadSize", "16", "--client.toolbarMode", "viewer"]
    if secrets is not None:
        flags += ["--secrets.files", str(secrets.resolve())]
    return flags


def display_available() -> bool:
    """Whether a browser can be shown (a desktop session); never a console browser."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_browser_when_up(url: str, health: str, timeout: float = 60) -> None:
    """Open `url` in the desktop browser once `health` answers (in a background thread)."""
    def wait_and_open() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(health, timeout=2):
                    webbrowser.open(url)
                    return
            except OSError:
                time.sleep(0.5)

    threading.Thread(target=wait_and_open, name="open-browser", daemon=True).start()


@click.command("app")
@store_options()
@click.option("--port", type=int, default=8501, show_default=True, help="Port to serve the app on.")
@click.option("--host", default=LOOPBACK, show_default=True,
              help="Address to listen on. Anything but loopback lets everyone who can reach the port read the "
                   "store: use --read-only and sign-in for a shared deployment.")
@click.option("--headless", is_flag=True, help="Do not open a browser (for servers and tests).")
@click.option("--read-only", "read_only", is_flag=True, help="No 取込 page: the app never writes to the store.")
@click.option("--secrets", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Streamlit secrets file; an [auth] section turns on sign-in (OIDC).")
@one_line_errors
def app_command(store_dir: Path | None, endpoint: str | None, port: int, host: str, headless: bool,
                read_only: bool, secrets: Path | None) -> None:
    """Open the auditor's app (概要, 評価書, データフロー, SPARQL, 検証, 取込, 比較) in a browser."""
    if endpoint:
        os.environ["PIAGRAPH_ENDPOINT"] = endpoint
    else:
        os.environ.pop("PIAGRAPH_ENDPOINT", None)
        path = store_dir.expanduser() if store_dir else default_store_path()
        if not path.exists() and not read_only:
            open_store(path).close()  # an empty store, for the app to read and 取込 to fill
        open_store(path, read_only=True).close()  # fails in one line when there is no store to read
        os.environ["PIAGRAPH_STORE"] = str(path.resolve())
    os.environ[READ_ONLY_ENV] = "1" if read_only else ""
    if not is_loopback(host):
        click.echo(f"piagraph: warning: serving on {host}:{port} — everyone who can reach this port can read the "
                   f"store{'' if read_only else ' and add reports'}; for a shared deployment use --read-only and "
                   "sign-in ([auth] in .streamlit/secrets.toml)", err=True)
    local = LOOPBACK if host in ("0.0.0.0", "::") or is_loopback(host) else host
    url = f"http://{local}:{port}"
    if not headless and display_available():
        open_browser_when_up(url, f"{url}/_stcore/health")
    from streamlit.web import cli as streamlit_cli  # loaded only to serve

    streamlit_cli.main(args=["run", str(app_script()), *streamlit_flags(host, port, secrets)], prog_name="streamlit")


COMMANDS = (app_command,)
