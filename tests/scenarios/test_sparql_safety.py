"""Stranger's SPARQL on `piagraph query` and the app's SPARQL page: updates and SERVICE are refused and
no request leaves the machine (a listener on 127.0.0.1 must receive nothing), a runaway query is
stopped at its time limit, and while it runs other queries still answer.

The workbench's own tests (tests/test_workbench.py) cover `check_query`, the row cap and
`run_limited` alone.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from piagraph.cli import main
from piagraph.store import open_store
from piagraph.workbench import QueryTimeout, run_limited
from tests.conftest import ALL_SAMPLES, REPO, load_sample

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } GRAPH ?c { ?s3 ?p3 ?o3 } }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/piagraph/ns#Assessment> } }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("sparql-safety") / "store"
    with open_store(directory) as store:
        for name in ALL_SAMPLES:
            store.put_report(load_sample(name))
    return directory


@contextmanager
def listener():
    """A TCP listener on 127.0.0.1; yields (port, connections received)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    received.append(connection.recv(200))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        time.sleep(0.5)  # anything on its way arrives
        stop.set()
        thread.join()
        server.close()


def query(store_dir: Path, text: str, *options: str):
    return CliRunner().invoke(main, ["query", "--store", str(store_dir), "-e", text, *options])


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX x: <urn:x#> SELECT * WHERE {{ ?s ?p ?o . SERVICE SILENT <http://127.0.0.1:{port}/q> {{ ?s x:p ?v }} }} LIMIT 1",
    "select * where {{ service <http://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "DROP ALL",
])
def test_query_refuses_service_and_updates_and_nothing_leaves_the_machine(template, store_dir):
    with open_store(store_dir, create=False) as store:
        before = store.query(COUNT).rows
    with listener() as (port, received):
        result = query(store_dir, template.format(port=port))
    assert received == []
    assert result.exit_code == 2 and result.stderr.startswith("piagraph: ") and result.stderr.count("\n") == 1
    assert "SERVICE" in result.stderr or "read-only" in result.stderr
    with open_store(store_dir, create=False) as store:
        assert store.query(COUNT).rows == before


def test_query_stops_a_cartesian_product_at_its_time_limit(store_dir):
    started = time.perf_counter()
    result = query(store_dir, CARTESIAN, "--timeout", "2")
    assert time.perf_counter() - started < 15
    assert result.exit_code == 2 and "stopped after 2 s (the time limit)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert query(store_dir, COUNT, "--format", "tsv").stdout == f"n\n{len(ALL_SAMPLES)}\n"  # the store still answers


def test_a_runaway_query_does_not_block_another(store_dir):
    with open_store(store_dir, create=False) as store:
        outcome: list[BaseException] = []

        def runaway():
            try:
                run_limited(store, CARTESIAN, timeout=6)
            except QueryTimeout as error:
                outcome.append(error)

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.5)
        started = time.perf_counter()
        answer = run_limited(store, COUNT, timeout=5)
        assert time.perf_counter() - started < 5 and thread.is_alive()
        assert str(answer.result.rows[0][0]) == str(len(ALL_SAMPLES))
        thread.join()
    assert len(outcome) == 1


def test_the_app_stops_a_runaway_query_and_answers_the_next(store_dir, monkeypatch):
    st = pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from app.common import _open_store

    monkeypatch.setenv("PIAGRAPH_STORE", str(store_dir))
    monkeypatch.delenv("PIAGRAPH_ENDPOINT", raising=False)
    _open_store.clear()
    st.cache_data.clear()
    app = AppTest.from_file(str(REPO / "app" / "screens" / "sparql.py"),
                            default_timeout=60)
    app.run()
    app.number_input[0].set_value(2).run()  # 時間制限(秒)
    app.text_area[0].input(CARTESIAN).run()
    started = time.perf_counter()
    app.button[0].click().run()
    assert time.perf_counter() - started < 15
    assert app.error and "時間制限で停止しました" in app.error[0].value
    app.text_area[0].input(COUNT).run()
    app.button[0].click().run()
    assert not app.error and str(app.dataframe[0].value.iloc[0, 0]) == str(len(ALL_SAMPLES))
    for update in ("DROP ALL", "LOAD <http://127.0.0.1:9/x.ttl>"):
        app.text_area[0].input(update).run()
        app.button[0].click().run()
        assert app.error and "実行できない" in app.error[0].value
    _open_store.clear()
    st.cache_data.clear()
