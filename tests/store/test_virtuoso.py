"""Remote mode against a real OpenLink Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``) on 127.0.0.1.

The corpus (seeds, samples and the two reports derived from seed 000, `tests/store_corpus.py`) is
loaded into a private Virtuoso with ``piagraph load --endpoint …/sparql-auth --gsp
…/sparql-graph-crud-auth`` (Digest credentials from ``PIAGRAPH_REMOTE_*``), then every saved query
must give the same rows on Virtuoso as on the embedded store, with and without the ``body``
parameter. Rows are compared in any order, and a ``GROUP_CONCAT`` joined list as the set of its
parts (SPARQL leaves the order of the parts open). Then the remote client against the real server:
graphs (CONSTRUCT, Graph Store GET) in each format Virtuoso offers, a Japanese literal in a FILTER,
Virtuoso's own reason for a refusal (and no second try of a 500 that is one), and answers cut at a
second server's low limits refused. The server setup itself is checked too: the anonymous endpoints
are read-only, the authenticated ones take Digest and writes.

Skipped, with the reason, only when Virtuoso is not installed (`tests/servers/virtuoso.py`).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDFS, XSD

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, PIA, sparql_prefixes
from ontology.errors import TruncatedAnswerError
from piagraph.cli import main as cli
from piagraph.sparql.saved import list_queries
from piagraph.store import StoreError
from piagraph.store.bodies import bodies_dir
from piagraph.store.remote import RemoteStore
from piagraph.store.summaries import summaries_dir
from tests.conftest import SAMPLES, SEED_FILES
from tests.servers import virtuoso as virtuoso_server
from tests.servers.virtuoso import Limits, running_virtuoso_or_skip
from tests.store_corpus import loaded_corpus

TAKAOKA = "高岡市長"
LIST_SEPARATORS = re.compile("、| / ")
"""How the saved queries join a GROUP_CONCAT list (、 for names, " / " for legal bases and times)."""


@pytest.fixture(scope="module")
def served(virtuoso_store):
    return virtuoso_store


def list_variables(text: str) -> set[str]:
    """Variables holding a GROUP_CONCAT joined list: assigned by ``(… GROUP_CONCAT … AS ?v)`` or
    ``BIND(… AS ?v)`` from such an expression or from another list variable."""
    assignments: list[tuple[str, str]] = []
    for match in re.finditer(r"\bAS\s+\?(\w+)\s*\)", text):
        depth, start = 0, match.start()
        while start > 0:  # back to the parenthesis opening this (expression AS ?v)
            start -= 1
            if text[start] == ")":
                depth += 1
            elif text[start] == "(":
                if depth == 0:
                    break
                depth -= 1
        assignments.append((match.group(1), text[start:match.start()]))
    lists: set[str] = set()
    while True:
        found = {name for name, expression in assignments if "GROUP_CONCAT" in expression.upper()
                 or any(re.search(rf"\?{known}\b", expression) for known in lists)}
        if found <= lists:
            return lists
        lists |= found


LOAD_RECORD = ("loadedAt", "supersededAt", "loadedBy")
"""When and by whom each store was loaded: the two loads differ."""


def comparable(result, lists: set[str]) -> list[tuple]:
    """Rows as sortable tuples: each term as (kind, value, language, datatype); a joined list as the
    sorted set of its parts; the load record left out, and a superseded graph's IRI (which names
    the load it replaced) as one placeholder."""
    def cell(variable, term):
        if variable in LOAD_RECORD:
            return ("load record",)
        if term is None:
            return ("unbound",)
        if "/superseded/" in str(term):
            return ("superseded",)
        value = str(term)
        if variable in lists:
            value = "\x00".join(sorted(set(LIST_SEPARATORS.split(value))))
        return (type(term).__name__, value, getattr(term, "language", None) or "", str(getattr(term, "datatype", None) or ""))

    return sorted(tuple(cell(variable, term) for variable, term in zip(result.variables, row)) for row in result.rows)


def joined_lists(saved) -> set[str]:
    """The joined-list columns of a saved query: joined by the query, or by the summary query or the
    per-body query whose rows it reads (queries/summaries/NAME.rq, queries/bodies/NAME.rq)."""
    lists = list_variables(saved.text)
    for source in (summaries_dir() / f"{saved.name}.rq", bodies_dir() / f"{saved.name}.rq"):
        lists |= list_variables(source.read_text(encoding="utf-8")) if source.exists() else set()
    return lists


QUERIES = list_queries()
CASES = [pytest.param(saved, params, id=f"{saved.name}{'-body' if params else ''}")
         for saved in QUERIES for params in ({}, {"body": TAKAOKA})]


@pytest.mark.parametrize("saved,params", CASES)
def test_saved_query_gives_the_same_rows_on_virtuoso_and_embedded(saved, params, served):
    text = saved.bind(params)
    embedded = loaded_corpus().store.query(text)
    answer = served.query(text)
    assert answer.variables == embedded.variables
    lists = joined_lists(saved)
    assert comparable(answer, lists) == comparable(embedded, lists)


def test_the_comparison_finds_every_joined_list():
    lists = {saved.name: joined_lists(saved) for saved in QUERIES}
    assert {"counterpart", "methods", "legalBasis", "frequency"} <= lists["affair-data-flows"]
    assert "fromAffairs" in lists["departments-receiving-transfers"] and "citations" in lists["number-use-bases"]
    assert "bodyNames" in lists["contractors-ranked"] and "providers" in lists["provision-recipients"]
    assert not lists["change-history"] and not lists["subcontracting"]


def test_catalog_is_the_same_on_virtuoso_and_embedded(served):
    def versions(store):
        return sorted((str(e.graph), e.series_key, e.published_on, e.is_current, e.previous, e.triple_count)
                      for e in store.catalog())

    assert versions(served) == versions(loaded_corpus().store)


def test_findings_text_and_superseded_content_are_kept_on_virtuoso(served):
    from piagraph import views
    from tests.store_corpus import ALTERED_CONTRACTOR, ALTERED_FILE

    kept = next(e for e in served.catalog(superseded=True) if e.source_file == ALTERED_FILE)
    assert ALTERED_CONTRACTOR in {str(o) for o in served.named_graph(kept.graph).objects()}
    audit = next(row for row in views.findings(served) if row["g"] == str(kept.superseded_by) and row["rule"] == "PIA-R33")
    evidence = views.finding_evidence(served, audit)
    # seed 000, III-8 監査 at L303, quoted from the text graph the server keeps
    assert evidence.line == 303 and "8. 監査" in [line.text for line in evidence.lines if line.cited]


def test_cli_query_export_and_refused_update(served, virtuoso, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "--endpoint", virtuoso.endpoint, "--name", "contractors-ranked",
                                 "--format", "tsv", "-p", f"body={TAKAOKA}"], env=virtuoso.env)
    assert result.exit_code == 0, result.output
    assert "株式会社インテック\t2\t1\t0\t高岡市長" in result.stdout
    # /sparql-auth has no Graph Store URL of its own convention: export needs --gsp
    output = tmp_path / "export.trig"
    result = runner.invoke(cli, ["export", "--endpoint", virtuoso.endpoint, "--format", "trig", "-o", str(output)],
                           env=virtuoso.env)
    assert result.exit_code == 2 and "pass --gsp URL" in result.stderr
    result = runner.invoke(cli, ["export", "--endpoint", virtuoso.endpoint, "--gsp", virtuoso.gsp,
                                 "--format", "trig", "-o", str(output)], env=virtuoso.env)
    assert result.exit_code == 0, result.output
    names = {str(g.identifier) for g in rdflib.Dataset().parse(output, format="trig").graphs()}
    assert {str(ONTOLOGY_GRAPH), str(CATALOG_GRAPH)} <= names
    refused = runner.invoke(cli, ["query", "--endpoint", virtuoso.endpoint, "-e", "DROP ALL"], env=virtuoso.env)
    assert refused.exit_code == 2 and "read-only" in refused.stderr


# --- graphs: CONSTRUCT and Graph Store GET, in every format the server offers ----------------------

CATALOG_CONSTRUCT = sparql_prefixes(("pia",)) + (
    f"CONSTRUCT {{ ?graph pia:isCurrent true }} WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?graph pia:isCurrent true }} }}")


def test_construct_through_virtuoso(served):
    answer = served.query(CATALOG_CONSTRUCT)
    current = {entry.graph for entry in loaded_corpus().store.catalog() if entry.is_current}
    assert {subject for subject, _, _ in answer.triples} == current and len(current) >= 10
    assert sorted(answer.triples) == sorted(loaded_corpus().store.query(CATALOG_CONSTRUCT).triples)


def seed_000_graph() -> rdflib.URIRef:
    """The graph of seed 000 (高岡市長, 評価書番号 15, 公表日 令和7年8月13日): 0.8-confidence readings
    (xsd:decimal), Japanese text, dates."""
    return next(e.graph for e in loaded_corpus().store.catalog() if e.source_file == SEED_FILES["000"])


def as_set(graph) -> set:
    return set(graph) if isinstance(graph, rdflib.Graph) else {tuple(t) for t in graph}


@pytest.mark.parametrize("fmt", ["ntriples", "turtle", "rdfxml"])
def test_a_report_graph_reads_the_same_in_each_format_virtuoso_offers(fmt, virtuoso, served):
    """Asked for one format only, Virtuoso answers in it, and the report graph read from it (CONSTRUCT,
    and Graph Store GET) is the embedded store's, triple for triple."""
    graph = seed_000_graph()
    expected = as_set(loaded_corpus().store.named_graph(graph))
    one_format = virtuoso.store(graph_formats=(fmt,))
    assert as_set(one_format.named_graph(graph)) == expected
    assert as_set(one_format.get_graph(graph)) == expected


def test_virtuoso_json_ld_loses_datatypes_and_languages_hence_it_is_asked_for_last(virtuoso, served):
    """Virtuoso 7.2's JSON-LD writes pia:confidence 0.8 (xsd:decimal) as a bare JSON number, read back
    as an xsd:double, and leaves out the ``@ja`` of some labels: the same values otherwise, and the
    reason JSON-LD is the last format piagraph asks for."""
    graph = seed_000_graph()
    expected = as_set(loaded_corpus().store.named_graph(graph))
    from_json_ld = as_set(virtuoso.store(graph_formats=("jsonld",)).named_graph(graph))
    lost, read = expected - from_json_ld, from_json_ld - expected
    assert len(lost) == len(read) > 0
    assert {(s, p, str(o)) for s, p, o in lost} == {(s, p, str(o)) for s, p, o in read}  # the same lexical values
    assert {o.datatype for _, p, o in read if p == PIA.confidence} == {XSD.double}
    assert {o.language for _, p, o in lost if p == RDFS.label} == {"ja"}
    assert not any(o.language for _, p, o in read if p == RDFS.label)
    assert as_set(served.named_graph(graph)) == expected  # the default Accept list gets N-Triples


def test_cli_query_writes_a_construct_answer_in_each_graph_format(served, virtuoso):
    expected = set(loaded_corpus().store.query(CATALOG_CONSTRUCT).triples)
    for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), (None, "turtle")):
        result = CliRunner().invoke(cli, ["query", "--endpoint", virtuoso.endpoint, "-e", CATALOG_CONSTRUCT,
                                          *(["--format", fmt] if fmt else [])], env=virtuoso.env)
        assert result.exit_code == 0, result.output
        assert set(rdflib.Graph().parse(data=result.stdout, format=rdflib_format)) == expected, fmt
    mismatched = CliRunner().invoke(cli, ["query", "--endpoint", virtuoso.endpoint, "-e", CATALOG_CONSTRUCT,
                                          "--format", "csv"], env=virtuoso.env)
    assert mismatched.exit_code == 2 and len(mismatched.stderr.splitlines()) == 1
    assert "--format csv does not fit a CONSTRUCT query" in mismatched.stderr and "turtle" in mismatched.stderr


# --- what the server reads and what it says ------------------------------------------------------

def test_a_japanese_literal_in_a_filter_finds_the_report(served):
    text = sparql_prefixes(("pia", "rdfs")) + """SELECT DISTINCT ?number WHERE {
      GRAPH ?g { ?assessment pia:assessor ?body ; pia:assessmentNumber ?number .
                 ?body rdfs:label ?name FILTER(STR(?name) = "高岡市長") } }"""
    embedded = sorted(str(n) for n in loaded_corpus().store.query(text).column("number"))
    assert embedded == ["15", "16"]
    assert sorted(str(n) for n in served.query(text).column("number")) == embedded


def test_a_refusal_answered_with_500_is_reported_with_its_reason_and_not_retried(virtuoso):
    """An anonymous query that makes Virtuoso fetch a web document is refused with HTTP 500 and
    ``SR186:SECURITY``; piagraph shows that reason and does not ask again."""
    anonymous = virtuoso.store(virtuoso.public_endpoint, attempts=3, backoff=0.01)
    sent = count_requests(anonymous)
    with pytest.raises(StoreError) as refused:  # Virtuoso's DEFINE pragma: piagraph itself would not send it
        anonymous._select('DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }', "SELECT")
    message = str(refused.value)
    assert message.startswith(f"{virtuoso.public_endpoint}: query failed: HTTP 500")
    assert "SR186:SECURITY: No permission to execute procedure DB.DBA.RDF_SPONGE_UP" in message
    assert "\n" not in message and "attempts" not in message and len(sent) == 1


def count_requests(store: RemoteStore) -> list[str]:
    """The URLs of the requests `store` sends from now on (its HTTP client, observed)."""
    sent: list[str] = []
    opener = store._opener
    send = opener.open

    def open_and_count(request, *args, **kwargs):
        sent.append(request.full_url)
        return send(request, *args, **kwargs)

    opener.open = open_and_count
    return sent


# --- the server setup --------------------------------------------------------------------------------


def http(url: str, *, data: bytes | None = None, method: str = "GET", headers: dict | None = None,
         user: str | None = None, password: str = "") -> tuple[int, bytes]:
    handlers = []
    if user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sparql_form(query: str) -> bytes:
    return urllib.parse.urlencode({"query": query}).encode()


def test_anonymous_endpoints_are_read_only(virtuoso):
    graph = urllib.parse.quote("urn:piagraph:test:anonymous", safe="")
    status, body = http(f"{virtuoso.public_gsp}?graph={graph}", method="PUT", data=b"<urn:a> <urn:b> <urn:c> .\n",
                        headers={"Content-Type": "text/turtle"})
    assert status == 403 and b"SQ110" in body and b"Permission denied" in body
    status, body = http(virtuoso.public_endpoint, method="POST",
                        data=sparql_form("INSERT DATA { GRAPH <urn:piagraph:test:anonymous> { <urn:a> <urn:b> 1 } }"),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status >= 400 and b"SECURITY" in body
    status, _ = http(f"{virtuoso.public_endpoint}?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200


def test_authenticated_endpoints_take_digest_only(virtuoso):
    ask = f"{virtuoso.endpoint}?" + urllib.parse.urlencode({"query": "ASK {}"})
    status, _ = http(ask)
    assert status == 401
    status, _ = http(ask, user=virtuoso.user, password="wrong")
    assert status == 401
    status, _ = http(ask, user=virtuoso.user, password=virtuoso.password)
    assert status == 200
    graph = urllib.parse.quote("urn:piagraph:test:digest", safe="")
    status, _ = http(f"{virtuoso.gsp}?graph={graph}", method="PUT", data=b"<urn:a> <urn:b> <urn:c> .\n",
                     headers={"Content-Type": "text/turtle"}, user=virtuoso.user, password=virtuoso.password)
    assert status in (200, 201, 204)
    status, _ = http(f"{virtuoso.gsp}?graph={graph}", method="DELETE", user=virtuoso.user, password=virtuoso.password)
    assert status in (200, 204)


def test_a_user_without_sparql_update_cannot_load_and_is_told_virtuosos_reason(virtuoso, served, tmp_path):
    virtuoso.isql("DB.DBA.USER_CREATE ('reader', 'reader-pw');\nGRANT SPARQL_SELECT TO \"reader\";\n")
    reader = virtuoso.store(user="reader", password="reader-pw")
    assert reader.query("ASK { GRAPH <https://w3id.org/piagraph/id/graph/catalog> { ?g ?p ?o } }").boolean
    with pytest.raises(StoreError, match=r"PUT failed: HTTP 403") as refused:
        reader.put_graph(rdflib.URIRef("urn:piagraph:test:reader"), [])
    message = str(refused.value)
    assert message.startswith(virtuoso.gsp)
    assert message.endswith("HTTP 403 Forbidden: SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD "
                            f"(user ID = {reader_id(virtuoso)})")
    # a report the store does not hold yet (the same content again would be left as it is, unwritten)
    report = tmp_path / "midori_kaigo_99.txt"
    text = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    assert "2\t介護保険に関する事務" in text
    report.write_text(text.replace("2\t介護保険に関する事務", "99\t介護保険に関する事務", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", "-q", "--endpoint", virtuoso.endpoint, "--gsp", virtuoso.gsp, str(report)],
                                env={**virtuoso.env, "PIAGRAPH_REMOTE_USER": "reader", "PIAGRAPH_REMOTE_PASSWORD": "reader-pw"})
    assert result.exit_code == 2
    assert "SQ110:SECURITY: Permission denied" in result.stderr and "DOCTYPE" not in result.stderr


def reader_id(virtuoso) -> str:
    output = virtuoso.isql("SELECT U_ID FROM DB.DBA.SYS_USERS WHERE U_NAME = 'reader';\n")
    return re.search(r"^\s*(\d+)\s*$", output, re.MULTILINE).group(1)


# --- answers cut at the server's limits ----------------------------------------------------------

@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A second Virtuoso with low limits: 5 rows (ResultSetMaxRows) and 1 s (MaxQueryExecutionTime),
    holding a graph of 20 triples and one of 300."""
    reason = virtuoso_server.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with virtuoso_server.running_virtuoso(tmp_path_factory.mktemp("limited"),
                                          limits=Limits(max_rows=5, max_query_seconds=1)) as server:
        server.isql("SPARQL INSERT DATA { GRAPH <urn:piagraph:test:twenty> { "
                    + " ".join(f"<urn:piagraph:test:s{i}> <urn:piagraph:test:p> {i} ." for i in range(20)) + " } };\n")
        server.isql("SPARQL INSERT DATA { GRAPH <urn:piagraph:test:many> { "
                    + " ".join(f"<urn:piagraph:test:s{i}> <urn:piagraph:test:p> {i} ." for i in range(300)) + " } };\n")
        yield server


TWENTY = rdflib.URIRef("urn:piagraph:test:twenty")


def test_a_select_cut_at_the_row_limit_is_an_error_naming_the_limit(limited):
    store = limited.store()
    with pytest.raises(TruncatedAnswerError, match=r"row limit of 5 rows \(X-SPARQL-MaxRows: 5\)") as cut:
        store.query(f"SELECT ?s WHERE {{ GRAPH <{TWENTY}> {{ ?s ?p ?o }} }}")
    assert "ResultSetMaxRows" in str(cut.value) and str(cut.value).startswith(limited.endpoint)
    assert len(store.query(f"SELECT ?s WHERE {{ GRAPH <{TWENTY}> {{ ?s ?p ?o }} }} LIMIT 4").rows) == 4


def test_a_graph_cut_without_a_word_is_caught_by_its_count(limited, tmp_path):
    """Virtuoso stops a CONSTRUCT and a Graph Store GET at 6 triples of 20 (the limit plus one) with
    HTTP 200 and no header: every graph piagraph reads is counted on the server."""
    store = limited.store()
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TWENTY}> {{ ?s ?p ?o }} }}"
    assert len(store.query(construct).triples) == 6  # what Virtuoso sends
    for read in (store.named_graph, store.get_graph):
        with pytest.raises(TruncatedAnswerError, match=r"sent 6 of the 20 triples of <urn:piagraph:test:twenty>"):
            read(TWENTY)
    result = CliRunner().invoke(cli, ["export", "--endpoint", limited.endpoint, "--gsp", limited.gsp, "--graph",
                                      str(TWENTY), "-o", str(tmp_path / "cut.trig")], env=limited.env)
    assert result.exit_code == 2 and "sent 6 of the 20 triples" in result.stderr
    told = limited.store(row_limit=5)  # PIAGRAPH_REMOTE_ROW_LIMIT: the server's limit, for any graph answer
    with pytest.raises(TruncatedAnswerError, match=r"has 6 triples, the server's row limit \(PIAGRAPH_REMOTE_ROW_LIMIT=5\)"):
        told.query(construct)


def test_a_query_stopped_at_the_time_limit_is_not_asked_again(limited):
    store = limited.store(attempts=3, backoff=0.01)
    sent = count_requests(store)
    with pytest.raises(StoreError) as stopped:
        store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:piagraph:test:many> { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w } }")
    assert "HTTP 500" in str(stopped.value) and "SR171: Transaction timed out" in str(stopped.value)
    assert len([url for url in sent if url == limited.endpoint]) <= 2  # one query (and its Digest challenge)


def test_missing_virtuoso_is_a_skip_naming_the_debian_package(monkeypatch):
    monkeypatch.setattr(virtuoso_server.shutil, "which", lambda name: None)
    reason = virtuoso_server.unavailable_reason()
    assert reason and "apt-get install virtuoso-opensource-7-bin" in reason
    with pytest.raises(pytest.skip.Exception, match="virtuoso-opensource-7-bin"):
        with running_virtuoso_or_skip():
            pass
