"""The embedded store: named graphs, replacement, versions, the catalog, atomic writes, the CLI.

Unit tests use small graphs built here in the core vocabulary; integration tests load real reports.
One test kills a `piagraph load` process with SIGKILL and checks every report is wholly old or new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ontology import CATALOG_GRAPH, ID, ONTOLOGY_GRAPH, PIA, sparql_prefixes
from piagraph.cli import main as cli
from piagraph.ingest import load_paths
from piagraph.store import EmbeddedStore, ReportGraph, StoreError, default_store_path
from piagraph.store.bodies import BODIES_GRAPH, body_graph
from piagraph.store.graphs import superseded_names
from piagraph.store.summaries import summary_graph
from tests.conftest import seed_path

CURRENT = sparql_prefixes() + "SELECT ?g WHERE { GRAPH <%s> { ?g pia:isCurrent true } }" % CATALOG_GRAPH


def small_report(body: str = "試験市長", number: str = "7", published: dt.date | None = dt.date(2024, 4, 1),
                 contractor: str = "株式会社試験", title: str = "試験事務 重点項目評価書") -> ReportGraph:
    """A tiny report graph in the core vocabulary, with deterministic IRIs like the loader's."""
    key = f"{body}|{number}"
    digest = hashlib.sha1(f"{key}|{published}".encode()).hexdigest()[:16]
    assessment, affair, file = ID[f"assessment/{digest}"], ID[f"assessment/{digest}/affair"], ID[f"assessment/{digest}/file/1"]
    org = ID[f"org/{hashlib.sha1(body.encode()).hexdigest()[:16]}"]
    entrustment, company = ID[f"assessment/{digest}/file/1/entrustment/1"], ID[f"contractor/{hashlib.sha1(contractor.encode()).hexdigest()[:16]}"]
    graph = rdflib.Graph()
    for triple in [
        (assessment, RDF.type, PIA.Assessment), (assessment, PIA.assessmentNumber, Literal(number)),
        (assessment, PIA.title, Literal(title)), (assessment, PIA.assessor, org), (assessment, PIA.covers, affair),
        (org, RDF.type, PIA.Organization), (org, RDFS.label, Literal(body, lang="ja")),
        (affair, RDF.type, PIA.Affair), (affair, RDFS.label, Literal("試験事務", lang="ja")), (affair, PIA.hasFile, file),
        (file, RDF.type, PIA.PersonalInfoFile), (file, RDFS.label, Literal("試験ファイル", lang="ja")),
        (entrustment, RDF.type, PIA.Entrustment), (entrustment, PIA.ofFile, file), (entrustment, PIA.contractor, company),
        (entrustment, PIA.subcontracting, Literal(False)), (entrustment, PIA.purpose, Literal('改行\nと "引用符" と \\')),
        (company, RDF.type, PIA.Contractor), (company, RDFS.label, Literal(contractor, lang="ja")),
    ]:
        graph.add(triple)
    if published is not None:
        graph.add((assessment, PIA.publishedOn, Literal(published)))
    return ReportGraph(graph_iri=ID[f"graph/{digest}"], graph=graph, assessment=assessment, series_key=key,
                       published_on=published, source_file=f"{digest}.txt")


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "store") as opened:
        yield opened


def all_quads(store: EmbeddedStore) -> set[tuple]:
    return {(g, *t) for g in store.named_graphs() for t in store.graph_triples(g)}


# --- named graphs, replacement, versions --------------------------------------------------------------


def test_report_is_stored_in_its_own_named_graph(store):
    report = small_report()
    stored = store.put_report(report)
    entry = stored.entry
    assert stored.outcome == "added"
    assert store.graph_triples(report.graph_iri) == set(report.graph)  # literals with newlines and quotes intact
    assert (entry.graph, entry.series_key, entry.is_current, entry.triple_count) == (report.graph_iri, "試験市長|7", True, len(report.graph))
    # beside it, its summary rows (what the saved queries read) and its body's rows (what the national
    # aggregates add up), written in the same update; the first report of the store: every body's rows complete
    assert store.named_graphs() == sorted([report.graph_iri, summary_graph(report.graph_iri), CATALOG_GRAPH,
                                           body_graph("試験市長"), BODIES_GRAPH])
    assert entry.summarized


CURRENT_CONTRACTORS = sparql_prefixes() + """SELECT ?l WHERE { GRAPH <%s> { ?g pia:isCurrent true }
    GRAPH ?g { ?c a pia:Contractor ; rdfs:label ?l } }""" % CATALOG_GRAPH


def test_reloading_a_report_with_other_content_keeps_the_earlier_content_as_superseded(store):
    old = small_report(contractor="株式会社旧")
    store.put_report(old)
    new = small_report(contractor="株式会社新")
    stored = store.put_report(new)
    assert stored.outcome == "superseded"
    assert store.graph_triples(new.graph_iri) == set(new.graph)  # the report graph holds the new content
    kept = stored.superseded
    # the earlier content, whole, in its own graph, its own nodes renamed (each node in one graph only)
    rename = superseded_names(old.graph_iri, old.assessment, kept.graph)
    assert store.graph_triples(kept.graph) == {tuple(map(rename, t)) for t in old.graph}
    assert kept.assessment != old.assessment and str(kept.assessment).startswith(str(ID["superseded/"]))
    assert kept.superseded_by == new.graph_iri and kept.superseded_at == stored.entry.loaded_at
    assert [str(label) for label in store.query(CURRENT_CONTRACTORS).column("l")] == ["株式会社新"]
    assert [e.graph for e in store.catalog()] == [new.graph_iri]  # versions: superseded content is not one
    history = store.catalog(superseded=True)
    assert [(e.graph, e.is_superseded, e.source_file) for e in history] == [
        (new.graph_iri, False, new.source_file), (kept.graph, True, old.source_file)]


def test_reloading_identical_content_changes_nothing(store):
    report = small_report()
    first = store.put_report(report)
    before = all_quads(store)
    again = store.put_report(small_report())
    assert again.outcome == "unchanged" and again.entry.loaded_at == first.entry.loaded_at
    assert all_quads(store) == before


def test_newer_version_is_a_new_graph_and_becomes_current(store):
    newer, older = small_report(published=dt.date(2025, 6, 1)), small_report(published=dt.date(2020, 6, 1))
    store.put_report(newer)
    store.put_report(older)  # loading order does not matter: the newest 公表日 is current
    catalog = {e.graph: e for e in store.catalog()}
    assert catalog[newer.graph_iri].is_current and not catalog[older.graph_iri].is_current
    assert catalog[newer.graph_iri].previous == older.graph_iri and catalog[older.graph_iri].previous is None
    assert store.query(CURRENT).column("g") == [newer.graph_iri]
    other = small_report(body="別市長")
    store.put_report(other)  # another series is current on its own
    assert sorted(store.query(CURRENT).column("g")) == sorted([newer.graph_iri, other.graph_iri])


def test_report_without_publication_date_counts_as_oldest(store):
    undated, dated = small_report(published=None), small_report(published=dt.date(2019, 1, 1))
    store.put_report(dated)
    store.put_report(undated)
    assert store.query(CURRENT).column("g") == [dated.graph_iri]


def test_ontology_graph_is_replaced_whole(store):
    first, second = rdflib.Graph(), rdflib.Graph()
    first.add((PIA.Old, RDFS.label, Literal("旧", lang="ja")))
    second.add((PIA.New, RDFS.label, Literal("新", lang="ja")))
    store.put_ontology(first)
    assert store.put_ontology(second) == 1
    stored = store.graph_triples(ONTOLOGY_GRAPH)
    assert {t for t in stored if t[1] != PIA.contentDigest} == set(second)
    assert store.put_ontology(second) == 0  # same content: left as it is
    assert store.graph_triples(ONTOLOGY_GRAPH) == stored


def test_failed_write_leaves_the_old_report_and_catalog(store):
    good = small_report()
    store.put_report(good)
    before = all_quads(store)
    broken = small_report()
    broken.graph.add((URIRef("https://w3id.org/piagraph/id/bad iri"), RDFS.label, Literal("x")))
    with pytest.raises(StoreError) as error:
        store.put_report(broken)
    assert str(error.value).startswith(str(store.path)) and "\n" not in str(error.value)
    assert all_quads(store) == before


def test_query_refuses_updates_and_reports_syntax_errors_in_one_line(store):
    for update in ["DROP ALL", "PREFIX p: <urn:x#> INSERT DATA { p:a p:b p:c }", "# comment\nCLEAR DEFAULT"]:
        with pytest.raises(StoreError, match="read-only"):
            store.query(update)
    with pytest.raises(StoreError, match="syntax error") as error:
        store.query("SELECT ?x WHERE { ?x }")
    assert "\n" not in str(error.value)


def test_a_second_writer_waits_and_then_gives_up_in_one_line(store):
    told = []
    with pytest.raises(StoreError, match="in use by another process") as error:
        EmbeddedStore(store.path, wait=0.6, on_wait=told.append)
    assert "\n" not in str(error.value) and "ストア" in str(error.value)
    assert len(told) == 1 and "waiting for another writer" in told[0] and "待っています" in told[0]


def test_a_second_writer_proceeds_once_the_first_is_done(tmp_path):
    import threading

    first = EmbeddedStore(tmp_path / "store")
    first.put_report(small_report())
    threading.Timer(0.5, first.close).start()
    with EmbeddedStore(tmp_path / "store", wait=30) as second:  # waits for the first to close
        assert second.put_report(small_report(body="別市長")).outcome == "added"
        assert len(second.catalog()) == 2


def test_readers_open_while_a_writer_holds_the_store_and_refresh_to_see_its_writes(store):
    store.put_report(small_report())
    store.flush()
    reader = EmbeddedStore(store.path, read_only=True)
    assert [e.series_key for e in reader.catalog()] == ["試験市長|7"]
    with pytest.raises(StoreError, match="read-only"):
        reader.put_report(small_report(body="別市長"))
    token = reader.state_token()
    store.put_report(small_report(body="別市長"))
    assert reader.state_token() != token
    assert reader.refresh() and len(reader.catalog()) == 2
    reader.close()


def test_query_on_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        EmbeddedStore(tmp_path / "nothing", create=False)


def test_default_store_location(monkeypatch, tmp_path):
    monkeypatch.setenv("PIAGRAPH_STORE", str(tmp_path / "mine"))
    assert default_store_path() == tmp_path / "mine"
    monkeypatch.delenv("PIAGRAPH_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "piagraph" / "store"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_store_path() == Path.home() / ".local" / "share" / "piagraph" / "store"


# --- real reports ----------------------------------------------------------------------------------


def test_loading_seed_reports_with_ontology(store):
    summary = load_paths(store, [seed_path("000"), seed_path("002")], progress=False)
    assert not summary.failures and len(summary.loaded) == 2
    assert ONTOLOGY_GRAPH in store.named_graphs()
    labels = store.query(
        'SELECT ?l WHERE { GRAPH <%s> { <https://w3id.org/piagraph/vocab/system/intermediate-server> <%s> ?l FILTER(LANG(?l) = "ja") } }'
        % (ONTOLOGY_GRAPH, RDFS.label)).column("l")
    assert [str(label) for label in labels] == ["中間サーバー"]
    catalog_terms = store.query("ASK { GRAPH <%s> { <%s> ?p ?o } }" % (ONTOLOGY_GRAPH, PIA.isCurrent))
    assert catalog_terms.boolean  # ontology/store.ttl defines the catalog terms


def test_failing_file_is_reported_skipped_and_leaves_the_store_unchanged(store, tmp_path):
    load_paths(store, [seed_path("000")], progress=False)
    before = all_quads(store)
    bad = tmp_path / "bad" / "not_a_report.txt"
    bad.parent.mkdir()
    bad.write_text("これは評価書ではありません。\n", encoding="utf-8")
    failures: list[str] = []
    summary = load_paths(store, [bad.parent, tmp_path / "missing.txt"], progress=False, report_failure=failures.append)
    assert len(failures) == 2 and all("\n" not in line for line in failures)
    assert failures[0].startswith(str(tmp_path / "missing.txt")) and str(bad) in failures[1]
    assert summary.loaded == [] and all_quads(store) == before


# --- CLI -----------------------------------------------------------------------------------------------


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_load_query_list_export(tmp_path):
    store_dir = tmp_path / "store"
    bad = tmp_path / "bad.txt"
    bad.write_text("評価書ではない\n", encoding="utf-8")
    result = run_cli("load", "--store", store_dir, seed_path("000"), bad)
    assert result.exit_code == 2  # one file failed
    assert f"{bad}:" in result.stderr and "Traceback" not in result.stderr
    assert "loaded 1 of 2 files:" in result.stderr and "1 failure" in result.stderr

    result = run_cli("query", "--store", store_dir, "--name", "contractors-ranked", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "contractor,files,bodies,subcontractedEntrustments,bodyNames"
    assert "株式会社インテック,1,1,0,高岡市長" in result.stdout

    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/piagraph/ns#Assessment> } }"
    document = json.loads(run_cli("query", "--store", store_dir, "-e", text, "--format", "json").stdout)
    assert document["results"]["bindings"][0]["n"]["value"] == "1"
    query_file = tmp_path / "q.rq"
    query_file.write_text(text, encoding="utf-8")
    assert run_cli("query", "--store", store_dir, query_file, "--format", "tsv").stdout == "n\n1\n"

    refused = run_cli("query", "--store", store_dir, "-e", "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert refused.exit_code == 2 and refused.stderr.startswith("piagraph: ") and "read-only" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    listing = run_cli("list", "--store", store_dir)
    assert listing.exit_code == 0 and "高岡市長" in listing.stdout and "2025-08-13" in listing.stdout

    for fmt, parse_as in [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld"), ("turtle", "turtle")]:
        output = tmp_path / f"export.{fmt}"
        assert run_cli("export", "--store", store_dir, "--format", fmt, "-o", output).exit_code == 0
        if fmt == "turtle":
            graph = rdflib.Graph().parse(output, format=parse_as)
            assert (None, RDF.type, PIA.Assessment) in graph
        else:
            dataset = rdflib.Dataset().parse(output, format=parse_as)
            names = {str(g.identifier) for g in dataset.graphs()}
            assert {str(ONTOLOGY_GRAPH), str(CATALOG_GRAPH)} <= names and any("/graph/" in n for n in names)


def test_cli_errors_are_one_line(tmp_path):
    missing = run_cli("query", "--store", tmp_path / "none", "-e", "ASK {}")
    assert missing.exit_code == 2 and missing.stderr.strip().endswith("no store here (load reports first with `piagraph load`)")
    unknown = run_cli("query", "--store", tmp_path / "none", "--name", "no-such-query")
    assert unknown.exit_code == 2 and "no saved query named 'no-such-query'" in unknown.stderr
    listing = run_cli("query", "--list")
    # every saved query can be narrowed to one 評価実施機関
    assert "contractors-ranked [-p body=…]\t" in listing.stdout
    assert "affair-data-flows [-p body=…] [-p affair=…]\t" in listing.stdout


# --- interrupted load -----------------------------------------------------------------------------------
