"""A remote SPARQL server that fails: down, hanging, closing the connection, answering 500 (always or
once), refusing a bad request. Each gives a one-line `StoreError`; requests safe to repeat (queries,
GET and PUT of a graph) are retried a bounded number of times on connection failures and 5xx, never
on a timeout or a 4xx. The servers are tiny `http.server`s on 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from ontology import CATALOG_GRAPH
from piagraph.cli import main as cli
from piagraph.store import StoreError, remote
from piagraph.store.remote import RemoteStore
from tests.servers import free_port

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


@contextmanager
def failing_server(behaviour: str):
    """A server on a free loopback port; yields (query endpoint URL, list of requests seen).

    behaviour: ``500`` (always), ``503-once`` (then answers), ``hang`` (never answers),
    ``close`` (drops the connection), ``400`` (a bad request).
    """
    seen: list[str] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle_request(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append(self.command)
            if behaviour == "hang":
                release.wait(10)
                return
            if behaviour == "close":
                self.close_connection = True
                return  # no status line: the client sees the connection closed
            if behaviour == "500" or (behaviour == "503-once" and len(seen) == 1):
                code = 500 if behaviour == "500" else 503
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"internal error\nsecond line of a stack trace\n")
                return
            if behaviour == "400":
                self.send_response(400)
                self.end_headers()
                return
            self.send_response(204 if self.command == "PUT" else 200)
            if self.command != "PUT":
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(ASK_TRUE)))
            self.end_headers()
            if self.command != "PUT":
                self.wfile.write(ASK_TRUE)

        do_GET = do_POST = do_PUT = handle_request

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", seen
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def store(endpoint: str, **options) -> RemoteStore:
    return RemoteStore(endpoint, **{"timeout": 2, "attempts": 3, "backoff": 0.01, **options})


def one_line_error(call) -> str:
    with pytest.raises(StoreError) as error:
        call()
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_http_500_is_retried_then_reported_in_one_line():
    with failing_server("500") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert message.startswith(endpoint) and "500" in message and "(3 attempts)" in message
    assert seen == ["POST"] * 3


def test_a_put_of_a_graph_is_retried_on_500():
    with failing_server("500") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).put_graph(CATALOG_GRAPH, []))
    assert "PUT failed: HTTP 500" in message and "internal error" in message and "second line" not in message
    assert seen == ["PUT"] * 3


def test_a_transient_503_is_retried_and_the_answer_comes_back():
    with failing_server("503-once") as (endpoint, seen):
        assert store(endpoint).query("ASK {}").boolean is True
    assert seen == ["POST", "POST"]
    with failing_server("503-once") as (endpoint, seen):
        store(endpoint).put_graph(CATALOG_GRAPH, [])
    assert seen == ["PUT", "PUT"]


def test_a_hanging_server_times_out_once_without_retries():
    with failing_server("hang") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint, timeout=0.5).query("ASK {}"))
        assert "no answer within 0.5 s" in message and seen == ["POST"]
        message = one_line_error(lambda: store(endpoint, timeout=0.5).put_graph(CATALOG_GRAPH, []))
        assert "PUT: no answer within 0.5 s" in message and seen == ["POST", "PUT"]


def test_a_dropped_connection_is_retried_then_reported():
    with failing_server("close") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert "cannot reach server" in message and "(3 attempts)" in message
    assert len(seen) == 3


def test_a_server_that_is_down_is_reported_after_bounded_retries():
    endpoint = f"http://127.0.0.1:{free_port()}/query"
    message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert message.startswith(endpoint) and "cannot reach server" in message and "(3 attempts)" in message
    message = one_line_error(lambda: store(endpoint).put_graph(CATALOG_GRAPH, []))
    assert "/store: cannot reach server" in message


def test_a_client_error_is_not_retried():
    with failing_server("400") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
        assert "query failed" in message and seen == ["POST"]
        one_line_error(lambda: store(endpoint).put_graph(CATALOG_GRAPH, []))
        assert seen == ["POST", "PUT"]


@pytest.mark.parametrize("behaviour", ["500", "close"])
def test_cli_query_and_load_against_a_failing_server_give_one_line(behaviour, monkeypatch, tmp_path):
    monkeypatch.setattr(remote, "BACKOFF_SECONDS", 0.01)
    report = tmp_path / "report.txt"
    report.write_text("not read: the server fails before any report\n", encoding="utf-8")
    with failing_server(behaviour) as (endpoint, _):
        for args in (["query", "--endpoint", endpoint, "-e", "ASK {}"], ["load", "-q", "--endpoint", endpoint, str(report)]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr.startswith(f"piagraph: {endpoint}") and len(result.stderr.strip().splitlines()) == 1
            assert result.stderr.count(endpoint) == 1
            assert "(3 attempts)" in result.stderr
