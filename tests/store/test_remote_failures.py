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


# --- the server's own reason, and refusals that are not asked again --------------------------------

VIRTUOSO_GSP_REFUSAL = b"""<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html>
  <head>
    <title>SPARQL Graph Protocol request failed</title>
  </head>
  <body>
    <h1>HTTP/1.1 403 Forbidden</h1>
    <h3>Error 42000</h3>
<xmp>SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)</xmp></body></html>"""
"""Virtuoso 7.2's answer to a Graph Store PUT by a user without SPARQL_UPDATE (docs/store.md)."""

VIRTUOSO_SECURITY_500 = (b"Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure "
                         b"DB.DBA.SPARQL_INSERT_DICT_CONTENT with user ID 107, group ID 107\n\n"
                         b"SPARQL query:\ndefine sql:big-data-const 0 INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }\n")


@contextmanager
def answering_server(status: int, body: bytes, content_type: str, authorizations: list | None = None):
    """A server answering every request with this status, body and Content-Type; yields (query
    endpoint, list of requests seen); each request's Authorization header goes to `authorizations`."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle_request(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.command)
            if authorizations is not None:
                authorizations.append(self.headers.get("Authorization"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = handle_request

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_refusal_shows_the_reason_inside_the_html_page():
    with answering_server(403, VIRTUOSO_GSP_REFUSAL, "text/html; charset=UTF-8") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).put_graph(CATALOG_GRAPH, []))
    assert message.endswith("PUT failed: HTTP 403 Forbidden: SQ110:SECURITY: Permission denied for delete from "
                            "DB.DBA.RDF_QUAD (user ID = 107)")
    assert seen == ["PUT"]


def test_a_500_that_is_a_refusal_is_not_asked_again():
    with answering_server(500, VIRTUOSO_SECURITY_500, "text/plain") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert message == (f"{endpoint}: query failed: HTTP 500 Internal Server Error: Virtuoso 42000 Error SR186:SECURITY: "
                       "No permission to execute procedure DB.DBA.SPARQL_INSERT_DICT_CONTENT with user ID 107, group ID 107")
    assert seen == ["POST"]


@pytest.mark.parametrize("reason", [
    b"Virtuoso S1T00 Error SR171: Transaction timed out\n\nSPARQL query:\nSELECT ...",
    b"Virtuoso 42000 Error The estimated execution time 1491 (sec) exceeds the limit of 400 (sec).\n",
])
def test_a_500_at_a_server_limit_is_not_asked_again(reason):
    with answering_server(500, reason, "text/plain") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert reason.decode().splitlines()[0] in message and seen == ["POST"]


@pytest.mark.parametrize("body,content_type,reason", [
    (VIRTUOSO_GSP_REFUSAL, "text/html", "SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)"),
    (b"<html><head><title>Error 400 Bad Request</title></head><body><h2>HTTP ERROR 400</h2>"
     b"<pre>Parse error: Encountered \" \"}\" at line 1, column 22.</pre></body></html>", "text/html",
     'Parse error: Encountered " "}" at line 1, column 22.'),
    (b"<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><hr>nginx</body></html>",
     "text/html", "403 Forbidden"),
    (b"<html><body><p>The repository <b>pia</b> does not exist.</p></body></html>", "text/html",
     "The repository pia does not exist."),
    (b"<xmp>a < b &amp; raw</xmp>", "text/html", "a < b &amp; raw"),
    (b"error at 1:26: expected one of LATERAL, SERVICE, [_]", "text/plain; charset=utf-8",
     "error at 1:26: expected one of LATERAL, SERVICE, [_]"),
    (b"Error 400: Parse error:\nLexical error at line 1, column 9.\n\nFuseki - version 4.9.0\n", "text/plain",
     "Error 400: Parse error: Lexical error at line 1, column 9."),
    (b"\n\n  ", "text/plain", ""),
    ("エラー: 権限がありません\n詳細".encode(), "text/plain; charset=utf-8", "エラー: 権限がありません"),
])
def test_the_reason_of_an_error_page_is_one_line(body, content_type, reason):
    assert remote.server_reason(body, content_type) == reason


def test_a_long_reason_is_cut():
    reason = remote.server_reason(b"x" * 1000, "text/plain")
    assert len(reason) == remote.REASON_LENGTH and reason.endswith("…")


def test_an_answer_in_a_format_not_asked_for_is_one_line():
    with answering_server(200, b"<html><body>login</body></html>", "text/html") as (endpoint, _):
        message = one_line_error(lambda: store(endpoint).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert message == (f"{endpoint}: unreadable answer: the server sent text/html, not a graph format asked for "
                       "(ntriples, turtle, rdfxml, jsonld)")
    with answering_server(200, b"<html><body>login</body></html>", "text/html") as (endpoint, _):
        message = one_line_error(lambda: store(endpoint).query("SELECT * WHERE { ?s ?p ?o }"))
    assert message.startswith(f"{endpoint}: unreadable answer (text/html): ")


def test_a_wrong_password_names_the_variables_to_check(monkeypatch):
    monkeypatch.setenv("PIAGRAPH_REMOTE_USER", "auditor")
    monkeypatch.setenv("PIAGRAPH_REMOTE_PASSWORD", "wrong")
    with answering_server(401, b"", "text/html") as (endpoint, seen):
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    assert "HTTP 401" in message and "PIAGRAPH_REMOTE_USER and PIAGRAPH_REMOTE_PASSWORD" in message


def test_basic_credentials_go_with_the_first_request_and_never_in_digest_mode(monkeypatch):
    monkeypatch.setenv("PIAGRAPH_REMOTE_USER", "auditor")
    monkeypatch.setenv("PIAGRAPH_REMOTE_PASSWORD", "secret")
    sent: list = []
    with answering_server(200, ASK_TRUE, "application/sparql-results+json", sent) as (endpoint, _):
        assert store(endpoint).query("ASK {}").boolean is True
        monkeypatch.setenv("PIAGRAPH_REMOTE_AUTH", "digest")
        assert store(endpoint).query("ASK {}").boolean is True
    assert sent[0] == "Basic YXVkaXRvcjpzZWNyZXQ=" and sent[1] is None  # base64 of auditor:secret


def test_a_challenge_piagraph_cannot_answer_is_one_line(monkeypatch):
    monkeypatch.setenv("PIAGRAPH_REMOTE_USER", "auditor")
    monkeypatch.setenv("PIAGRAPH_REMOTE_AUTH", "digest")

    class Negotiate(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Negotiate")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Negotiate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/query"
        message = one_line_error(lambda: store(endpoint).query("ASK {}"))
    finally:
        server.shutdown()
        server.server_close()
    assert message.startswith(f"{endpoint}: query failed") and "Negotiate" in message
