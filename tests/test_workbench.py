"""The SPARQL workbench: read-only, no SERVICE, a row cap and a time limit that hold."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from ontology import sparql_prefixes
from piagraph.store import open_store
from piagraph.workbench import QueryFailed, QueryRefused, QueryTimeout, check_query, run_limited
from tests.conftest import load_seed

PREFIX = sparql_prefixes()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("store")) as opened:
        for number in ("000", "002"):
            opened.put_report(load_seed(number))
        yield opened


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR GRAPH <urn:g>",
    "LOAD <http://127.0.0.1/x.ttl>",
    "PREFIX x: <urn:x> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(update):
    with pytest.raises(QueryRefused):
        check_query(update)


def test_service_is_refused_and_nothing_leaves_the_machine(store):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    received = []

    def accept():
        try:
            connection, _ = listener.accept()
            received.append(connection)
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    with pytest.raises(QueryRefused):
        run_limited(store, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    thread.join()
    listener.close()
    assert received == []


def test_the_word_service_inside_a_string_or_iri_is_not_a_service_call():
    assert check_query('SELECT * WHERE { ?s <urn:SERVICE> "SERVICE" } # SERVICE') == "SELECT"


def test_rows_are_capped_and_the_answer_says_so(store):
    limited = run_limited(store, PREFIX + "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", row_cap=10)
    assert len(limited.result.rows) == 10 and limited.truncated


def test_a_real_answer_comes_back(store):
    limited = run_limited(store, PREFIX + """SELECT ?name WHERE { GRAPH ?g {
        ?e a pia:Entrustment ; pia:contractor/rdfs:label ?name } } ORDER BY ?name""")
    assert [str(row[0]) for row in limited.result.rows] == ["富士通Japan株式会社", "日本電気株式会社", "株式会社インテック"]
    assert not limited.truncated


def test_a_cartesian_product_is_stopped_at_the_time_limit(store):
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        run_limited(store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 }
                                                           GRAPH ?c { ?s3 ?p3 ?o3 } }""", timeout=2)
    assert time.perf_counter() - started < 10


def test_a_syntax_error_is_reported_with_its_position(store):
    with pytest.raises(QueryFailed) as error:
        run_limited(store, "SELECT ?s WHERE { ?s ?p }")
    assert "1:26" in str(error.value)
