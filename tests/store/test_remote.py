"""Remote mode against a real SPARQL server: ``oxigraph serve`` (PyPI package ``oxigraph``) on 127.0.0.1.

The corpus is loaded through the Graph Store Protocol, then every saved query must return the same
rows from the server as from the embedded store.
"""

from __future__ import annotations

import pytest
import rdflib
from click.testing import CliRunner

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, sparql_prefixes
from piagraph.cli import main as cli
from piagraph.ingest import load_paths
from piagraph.sparql import nt_term
from piagraph.sparql.saved import list_queries, load_query
from piagraph.store import StoreError
from piagraph.store.remote import RemoteStore, derive_gsp_url
from tests.answers import JOINED
from tests.conftest import seed_path
from tests.servers import free_port
from tests.servers.oxigraph import running_oxigraph
from tests.store_corpus import loaded_corpus, unexpected_failures


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh `oxigraph serve` on a free port; yields its query endpoint."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def remote(server):
    """The corpus, loaded into the server through the Graph Store Protocol."""
    store = RemoteStore(server)
    summary = load_paths(store, loaded_corpus().files, progress=False, report_failure=lambda line: None)
    assert not unexpected_failures(summary), summary.failures
    return store


LOAD_TIMES = ("loadedAt", "supersededAt", "loadedBy")
"""When (and by whom) each store was loaded: the two loads differ."""


def normalised(result) -> list[tuple[str, ...]]:
    """Rows as comparable text, without the load times (and the superseded graphs' IRIs, which
    name the load they replaced), a joined list's parts in order."""
    def cell(variable, value) -> str:
        if value is None or variable in LOAD_TIMES:
            return ""
        if variable in JOINED:  # a joined list's parts come in no defined order
            return JOINED[variable].join(sorted(str(value).split(JOINED[variable])))
        return "<superseded>" if "/superseded/" in str(value) else nt_term(value)

    return sorted(tuple(cell(v, value) for v, value in zip(result.variables, row)) for row in result.rows)


@pytest.mark.parametrize("saved", list_queries(), ids=lambda saved: saved.name)
def test_saved_query_gives_the_same_rows_remote_and_embedded(saved, remote):
    embedded = loaded_corpus().store.query(saved.text)
    served = remote.query(saved.text)
    assert served.variables == embedded.variables
    assert normalised(served) == normalised(embedded)
    assert served.rows, f"{saved.name} answers nothing on the corpus"


@pytest.mark.parametrize("name,params", [
    ("affair-data-flows", {"body": "高岡市長", "affair": "後期高齢者医療に関する事務"}),
    ("change-history", {"body": "高岡市長", "assessmentNumber": "15"}),
    ("uncertain-values", {"body": "高岡市長"}),
])
def test_parameterised_query_gives_the_same_rows_remote_and_embedded(name, params, remote):
    text = load_query(name).bind(params)
    embedded, served = loaded_corpus().store.query(text), remote.query(text)
    assert served.rows and normalised(served) == normalised(embedded)


def test_catalog_is_the_same_remote_and_embedded(remote):
    def versions(store):
        return sorted((str(e.graph), e.series_key, e.published_on, e.is_current, e.previous, e.triple_count,
                       e.source_digest, e.graph_digest) for e in store.catalog())

    def superseded(store):
        return sorted((e.series_key, e.source_file, str(e.superseded_by), e.graph_digest)
                      for e in store.catalog(superseded=True) if e.is_superseded)

    assert versions(remote) == versions(loaded_corpus().store)
    assert superseded(remote) == superseded(loaded_corpus().store) and superseded(remote)


def test_the_superseded_content_text_and_findings_are_kept_on_the_server(remote):
    from piagraph import views
    from tests.store_corpus import ALTERED_CONTRACTOR, ALTERED_FILE

    kept = next(e for e in remote.catalog(superseded=True) if e.source_file == ALTERED_FILE)
    labels = remote.query("SELECT ?l WHERE { GRAPH <%s> { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
                          % kept.graph).column("l")
    assert ALTERED_CONTRACTOR in map(str, labels)
    current = kept.superseded_by
    audit = next(row for row in views.findings(remote) if row["g"] == str(current) and row["rule"] == "PIA-R33")
    evidence = views.finding_evidence(remote, audit)
    assert evidence.line == 303 and evidence.lines[0].number < 303 and "8. 監査" in [q.text for q in evidence.lines]


def test_reloading_identical_content_through_gsp_changes_nothing(remote):
    before = remote.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    summary = load_paths(remote, [seed_path("000")], progress=False)
    assert len(summary.loaded) == 1 and len(summary.unchanged) == 1
    assert remote.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows == before


def test_export_and_cli_through_the_server(remote, server, tmp_path):
    output = tmp_path / "export.trig"
    result = CliRunner().invoke(cli, ["export", "--endpoint", server, "--format", "trig", "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    names = {str(g.identifier) for g in rdflib.Dataset().parse(output, format="trig").graphs()}
    assert {str(ONTOLOGY_GRAPH), str(CATALOG_GRAPH)} <= names
    result = CliRunner().invoke(cli, ["query", "--endpoint", server, "--name", "contractors-ranked", "--format", "tsv"])
    assert result.exit_code == 0 and "株式会社インテック\t2\t1\t0\t高岡市長" in result.stdout
    refused = CliRunner().invoke(cli, ["query", "--endpoint", server, "-e", "DROP ALL"])
    assert refused.exit_code == 2 and "read-only" in refused.stderr


def test_unreachable_endpoint_is_a_one_line_error():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="cannot reach server") as error:
        store.query("ASK {}")
    assert str(error.value).startswith("http://127.0.0.1:") and "\n" not in str(error.value)


def test_graph_store_url_follows_each_server_convention():
    assert derive_gsp_url("http://localhost:7878/query") == "http://localhost:7878/store"  # Oxigraph
    assert derive_gsp_url("http://localhost:3030/pia/query") == "http://localhost:3030/pia/data"  # Fuseki
    assert derive_gsp_url("http://localhost:3030/pia/sparql") == "http://localhost:3030/pia/data"
    assert derive_gsp_url("http://localhost:7200/repositories/pia") == "http://localhost:7200/repositories/pia/rdf-graphs/service"
    assert derive_gsp_url("http://localhost:8890/sparql") == "http://localhost:8890/sparql-graph-crud"  # Virtuoso
    assert derive_gsp_url("http://localhost/unknown/endpoint") is None
    with pytest.raises(StoreError, match="pass --gsp URL"):
        RemoteStore("http://localhost/unknown/endpoint").put_graph(CATALOG_GRAPH, [])


@pytest.mark.parametrize("fmt", ["ntriples", "turtle", "rdfxml", "jsonld"])
def test_a_report_graph_reads_the_same_in_each_format_the_server_offers(fmt, remote, server):
    """Asked for one format only, `oxigraph serve` answers in it (CONSTRUCT and Graph Store GET),
    and the report graph read from it is the embedded store's, triple for triple."""
    graph = next(e.graph for e in loaded_corpus().store.catalog() if e.source_file == "midori_kouki.txt")
    expected = set(loaded_corpus().store.named_graph(graph))
    one_format = RemoteStore(server, graph_formats=(fmt,))
    assert set(one_format.named_graph(graph)) == expected
    assert set(one_format.get_graph(graph)) == expected


def test_a_japanese_literal_in_a_filter_finds_the_report(remote):
    text = sparql_prefixes(("pia", "rdfs")) + (
        "SELECT DISTINCT ?number WHERE { GRAPH ?g { ?assessment pia:assessor ?body ; pia:assessmentNumber ?number . "
        '?body rdfs:label ?name FILTER(STR(?name) = "高岡市長") } }')
    assert sorted(str(n) for n in remote.query(text).column("number")) == ["15", "16"]


def test_a_large_graph_is_sent_in_parts_and_stored_whole(server):
    from piagraph.sparql.text import nt_lines
    from piagraph.store.remote import BODY_BYTES, body_parts

    store = RemoteStore(server)
    graph = rdflib.URIRef("urn:piagraph:test:large")
    triples = [(rdflib.URIRef(f"urn:line:{n}"), rdflib.URIRef("urn:text"), rdflib.Literal(f"{n} 行目の本文" * 20))
               for n in range(3000)]
    assert len(body_parts(nt_lines(triples), BODY_BYTES)) > 3  # a PUT and POSTs
    store.put_graph(graph, triples)
    assert store.graph_sizes([graph])[graph] == len(triples)
    store.put_graph(graph, triples[:10])  # replaced, not added to: the first part is a PUT
    assert store.graph_sizes([graph])[graph] == 10
    blank = rdflib.BNode()
    with_blank = triples + [(blank, rdflib.URIRef("urn:p"), rdflib.Literal("x")), (graph, rdflib.URIRef("urn:q"), blank)]
    assert len(body_parts(nt_lines(with_blank), BODY_BYTES)) == 1  # a blank node's label holds within one body
    store.drop_graph(graph)
    assert store.graph_sizes([graph])[graph] == 0
