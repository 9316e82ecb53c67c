"""The leak check of the suite (tests/conftest.py): a marked process left listening is found, and
a server stopped with its process group is not."""

from __future__ import annotations

import subprocess
import sys
import time

from app.browser import free_port, stop_process_group
from tests.conftest import SESSION_MARK
from tests.servers import processes


def test_a_server_left_running_is_found_and_one_stopped_with_its_group_is_not():
    port = free_port()
    # a wrapper whose child serves: stopping only the wrapper would leave the child listening
    wrapper = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; subprocess.call([sys.executable, '-m', "
                                f"'http.server', '--bind', '127.0.0.1', '{port}'])"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def on_port():
        return [item for item in processes.listening(SESSION_MARK) if item.address.endswith(f":{port}")]

    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not on_port():
            time.sleep(0.2)
        found = on_port()
        assert [item.address for item in found] == [f"127.0.0.1:{port}"]
        assert "http.server" in found[0].command and found[0].pid != wrapper.pid
    finally:
        stop_process_group(wrapper)
    assert on_port() == []
