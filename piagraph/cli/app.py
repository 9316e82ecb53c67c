"""``piagraph app``: start the Streamlit app (``app/main.py``) on a store (embedded or remote)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import click

from piagraph.cli.options import store_options


def app_script() -> Path:
    return Path(str(resources.files("app"))) / "main.py"


@click.command("app")
@store_options()
@click.option("--port", type=int, default=8501, show_default=True, help="Port to serve the app on.")
@click.option("--headless", is_flag=True, help="Do not open a browser (for servers and tests).")
def app_command(store_dir: Path | None, endpoint: str | None, port: int, headless: bool) -> None:
    """Open the auditor's app (概要, 評価書, データフロー, SPARQL, 検証, 取込, 比較) in a browser."""
    environment = dict(os.environ)
    environment.pop("PIAGRAPH_ENDPOINT", None)  # the store chosen by the options, not an inherited one
    if store_dir:
        environment["PIAGRAPH_STORE"] = str(store_dir.resolve())
    if endpoint:
        environment["PIAGRAPH_ENDPOINT"] = endpoint
    command = [sys.executable, "-m", "streamlit", "run", str(app_script()),
               "--server.port", str(port), "--server.headless", "true" if headless else "false",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    try:
        sys.exit(subprocess.call(command, env=environment))
    except KeyboardInterrupt:
        sys.exit(0)


COMMANDS = (app_command,)
