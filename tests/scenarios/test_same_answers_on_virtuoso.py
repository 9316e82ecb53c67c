"""Everything piagraph composes gives the same answers on a real Virtuoso as on the embedded store.

The corpus (`tests/store_corpus.py`) is in both: the embedded store of `loaded_corpus()` and a private
Virtuoso 7.2 loaded by ``piagraph load --endpoint`` (the session fixture ``virtuoso_store``). Compared
here, beyond the saved queries (`tests/store/test_virtuoso.py`): the flow model of one municipality,
of one report and of the whole store; every view the app's pages are made of; ``export --current``;
``validate --endpoint`` and the findings it stores on the server; and the app's 評価書 and 検証 pages
run headless with ``PIAGRAPH_ENDPOINT`` pointing at the Virtuoso.

Skipped, with the reason, only when Virtuoso is not installed (`tests/servers/virtuoso.py`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, PIA
from piagraph import views
from piagraph.cli import main as cli
from piagraph.flows.model import build_flow_graph
from piagraph.flows.scope import municipality_scope, report_scope
from piagraph.validation import validate_store
from tests.conftest import REPO, SEED_FILES
from tests.store_corpus import OLD_VERSION_FILE, loaded_corpus

TODAY = dt.date(2025, 9, 1)
"""The validation date of both stores (the date rules move with it)."""


@pytest.fixture(scope="module")
def stores(virtuoso_store):
    """(embedded, Virtuoso): the same corpus in each."""
    return loaded_corpus().store, virtuoso_store


def same_rows(rows: list) -> list:
    """Rows (dicts or dataclasses) in an order of their own: compared in any order."""
    return sorted((json.dumps(row if isinstance(row, dict) else vars(row), sort_keys=True, default=str, ensure_ascii=False)
                   for row in rows))


# --- the flow model ---------------------------------------------------------------------------------

def flow_model(store, scope) -> tuple[list, list]:
    """Every node and edge of the flow model with all their attributes."""
    graph = build_flow_graph(store, scope)
    nodes = sorted((node, json.dumps(data, sort_keys=True, default=str, ensure_ascii=False))
                   for node, data in graph.nodes(data=True))
    edges = sorted((source, target, key, json.dumps(data, sort_keys=True, default=str, ensure_ascii=False))
                   for source, target, key, data in graph.edges(keys=True, data=True))
    return nodes, edges


@pytest.mark.parametrize("scope", ["whole store", "高岡市", "みどり市", "report 000"])
def test_the_flow_model_is_the_same(scope, stores):
    models = []
    for store in stores:
        if scope == "whole store":
            chosen = None
        elif scope == "report 000":
            chosen = report_scope(store, SEED_FILES["000"])
        else:
            chosen = municipality_scope(store, scope)
        models.append(flow_model(store, chosen))
    (embedded_nodes, embedded_edges), (virtuoso_nodes, virtuoso_edges) = models
    assert virtuoso_nodes == embedded_nodes
    assert virtuoso_edges == embedded_edges


def test_connections_to_shared_systems_keep_their_section_and_line_on_virtuoso(stores):
    """Seed 000 システム1 (I-2, line 46) connects to 宛名システム等: the edge says where the report says so."""
    graph = build_flow_graph(stores[1], report_scope(stores[1], SEED_FILES["000"]))
    connections = [data for source, target, data in graph.edges(data=True)
                   if data["kind"] == "connection" and graph.nodes[target]["kind"] == "canonical-system"]
    assert connections and all(data["section"] and data["line"] for data in connections)
    assert any(data["section"] == "I-2 システム1" and data["line"] == 46 for data in connections)


# --- the views behind the app's pages ------------------------------------------------------------

@pytest.mark.parametrize("view", ["overview", "report_list", "report_choices", "report_table", "assessment_graphs",
                                  "report_series"])
def test_a_view_of_the_whole_store_is_the_same(view, stores):
    embedded, virtuoso = (getattr(views, view)(store) for store in stores)
    if isinstance(embedded, list):
        assert same_rows(virtuoso) == same_rows(embedded)
    else:
        assert virtuoso == embedded


def report_graphs() -> list[str]:
    return sorted(str(entry.graph) for entry in loaded_corpus().store.catalog())


def test_every_report_reads_the_same_as_the_form_s_sections(stores):
    """The 評価書 page's data, for every report version of the corpus: the graph read over CONSTRUCT
    and the view's queries run on it give the same facts, in the same order."""
    for graph in report_graphs():
        embedded, virtuoso = (views.report_sections(views.report_graph(store, graph)) for store in stores)
        assert virtuoso == embedded, graph


REPORT_VIEWS = ("report-cover", "report-assessor", "report-affair", "report-systems", "report-affair-links",
                "report-files", "report-gaps", "report-inferred-marks")
FILE_VIEWS = ("report-file-flows", "report-file-risks")


def on_graph(text: str, graph: str) -> str:
    """A view query written for one report graph as the default graph, run on a store's graph
    instead (``FROM <graph>``)."""
    select, where, rest = text.partition(" WHERE {")
    assert where, "a view query reads WHERE {"
    return f"{select} FROM <{graph}> WHERE {{{rest}"


@pytest.mark.parametrize("source", [SEED_FILES["000"], SEED_FILES["003"], "midori_kouki.txt"])
def test_the_report_views_answer_alike_on_rdflib_oxigraph_and_virtuoso(source, stores):
    """The 評価書 page runs its queries with rdflib on the report's graph; run on each server's copy
    of that graph they give the same rows."""
    from piagraph.sparql.saved import load_view_query

    graph = next(str(e.graph) for e in loaded_corpus().store.catalog() if e.source_file == source)
    local = views.report_graph(stores[0], graph)
    files = [str(file) for file, _ in local.query(load_view_query("report-files").text)]
    texts = [load_view_query(name).text for name in REPORT_VIEWS]
    texts += [load_view_query(name).bind({"file": file}) for name in FILE_VIEWS for file in files]
    for text in texts:
        rdflib_answer = local.query(text)
        answers = [same_rows([dict(zip(map(str, rdflib_answer.vars), map(str, row))) for row in rdflib_answer])]
        for store in stores:
            answer = store.query(on_graph(text, graph))
            answers.append(same_rows([dict(zip(answer.variables, map(str, row))) for row in answer.rows]))
        assert answers[1] == answers[0], f"Oxigraph: {text[:80]}"
        assert answers[2] == answers[0], f"Virtuoso: {text[:80]}"


def test_comparison_and_version_diff_are_the_same(stores):
    embedded_choices = views.report_choices(loaded_corpus().store)
    current = [choice for choice in embedded_choices if choice.current]
    assert views.comparison_table(stores[1], current) == views.comparison_table(stores[0], current)
    (series,) = [versions for name, versions in views.report_series(stores[0]).items() if name.startswith("高岡市長")]
    new, old = series
    assert old.source == OLD_VERSION_FILE
    assert views.report_diff(stores[1], old, new) == views.report_diff(stores[0], old, new)
    for graph in report_graphs():
        assert views.annex2_rows(stores[1], graph) == views.annex2_rows(stores[0], graph), graph


# --- validate --endpoint, and the findings it stores ---------------------------------------------

@pytest.fixture(scope="module")
def validated(stores, virtuoso):
    """Both stores validated on `TODAY`: the embedded one by `validate_store`, the Virtuoso by
    ``piagraph validate --endpoint …/sparql-auth --gsp …/sparql-graph-crud-auth``; (embedded run, CLI result)."""
    run = validate_store(stores[0], TODAY, 1)
    result = CliRunner().invoke(cli, ["validate", "--endpoint", virtuoso.endpoint, "--gsp", virtuoso.gsp,
                                      "--today", TODAY.isoformat(), "--format", "json"], env=virtuoso.env)
    return run, result


def test_validate_endpoint_finds_what_validate_store_finds(validated):
    run, result = validated
    assert result.exit_code == (1 if run.has_violations else 0), result.output
    assert f"{len(run.validated)} reports validated" in result.stderr
    found = json.loads(result.stdout)
    assert same_rows(found) == same_rows([finding.as_dict() for finding in run.findings])
    # seed 000 (高岡市長) cites 番号法 without 第19条 for its 提供先: PIA-R25, as on the embedded store
    assert any(f["rule"] == "PIA-R25" and f["report"] == SEED_FILES["000"] for f in found)


def test_the_findings_stored_on_the_server_are_the_embedded_ones(validated, stores):
    embedded, virtuoso = stores
    stored = views.stored_findings(virtuoso)
    assert stored and same_rows(stored) == same_rows(views.stored_findings(embedded))
    assert views.findings_by_severity(virtuoso) == views.findings_by_severity(embedded)
    findings_graphs = [store.named_graph(str(rdflib.URIRef("https://w3id.org/piagraph/id/graph/findings")))
                       for store in stores]
    assert isomorphic(*findings_graphs)


def test_the_lines_findings_point_at_quote_the_same_values(validated, stores):
    graphs = views.assessment_graphs(stores[0])
    cited = sorted({(graphs[str(row["assessment"])], row["line"], row["value"])
                    for row in views.stored_findings(stores[0]) if row["line"] is not None}, key=str)
    assert cited
    for graph, line, value in cited:
        assert views.finding_quote(stores[1], graph, line, value) == views.finding_quote(stores[0], graph, line, value)


# --- export --current -------------------------------------------------------------------------------

def test_export_current_gives_the_same_graphs(stores, virtuoso, tmp_path):
    output = tmp_path / "current.trig"
    result = CliRunner().invoke(cli, ["export", "--endpoint", virtuoso.endpoint, "--gsp", virtuoso.gsp, "--current",
                                      "--format", "trig", "-o", str(output)], env=virtuoso.env)
    assert result.exit_code == 0, result.output
    embedded = stores[0]
    selected = [entry.graph for entry in embedded.catalog() if entry.is_current] + [ONTOLOGY_GRAPH, CATALOG_GRAPH]
    buffer = io.BytesIO()
    embedded.export(buffer, "trig", selected)
    exported = [rdflib.Dataset().parse(data=data, format="trig") for data in (buffer.getvalue(), output.read_bytes())]
    names = [{g.identifier for g in dataset.graphs() if len(g)} for dataset in exported]
    assert names[1] == names[0] == set(selected)
    for name in selected:
        graphs = [dataset.graph(name) for dataset in exported]
        if name == CATALOG_GRAPH:  # the time of each load differs between the two stores
            graphs = [without_load_times(g) for g in graphs]
        assert isomorphic(*graphs), name


def without_load_times(graph: rdflib.Graph) -> rdflib.Graph:
    kept = rdflib.Graph()
    for triple in graph.triples((None, None, None)):
        if triple[1] != PIA.loadedAt:
            kept.add(triple)
    return kept


# --- the app's 評価書 and 検証 pages on the server -------------------------------------------------

@pytest.fixture
def page_on_virtuoso(virtuoso, virtuoso_store, monkeypatch):
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from app.common import _open_store

    monkeypatch.delenv("PIAGRAPH_STORE", raising=False)
    monkeypatch.setenv("PIAGRAPH_ENDPOINT", virtuoso.endpoint)
    for key, value in virtuoso.env.items():
        monkeypatch.setenv(key, value)

    def run(name: str, **query) -> AppTest:
        _open_store.clear()
        app = AppTest.from_file(str(REPO / "app" / "screens" / f"{name}.py"), default_timeout=120)
        app.query_params.update(query)
        app.run()
        assert not app.exception, app.exception
        assert not app.error, [e.value for e in app.error]
        return app

    yield run
    _open_store.clear()


def cell(value) -> str | None:
    """A table cell compared as text (Streamlit shows a column of numbers and blanks as text), a
    missing value (None, NaN, "") as None."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value.item() if hasattr(value, "item") else value)


def table(frame) -> list[dict]:
    return [{key: cell(value) for key, value in row.items()} for row in frame.to_dict("records")]


@pytest.mark.parametrize("source", [SEED_FILES["000"], OLD_VERSION_FILE, "midori_kouki.txt"])
def test_the_report_page_on_virtuoso_shows_the_embedded_store_s_facts(source, page_on_virtuoso):
    choice = next(c for c in views.report_choices(loaded_corpus().store) if c.source == source)
    app = page_on_virtuoso("report", report=choice.key)
    expected = [[{key: cell(value) for key, value in {"項目": f.item, "記載": f.value, "節": f.section, "行": f.line,
                                                     "確度": f.confidence}.items()} for f in section.facts]
                for section in views.report_sections(views.report_graph(loaded_corpus().store, choice.graph))]
    shown = [table(frame.value) for frame in app.dataframe]
    assert len(shown) == len(expected)
    for rows, wanted in zip(shown, expected):
        assert rows == wanted
    assert any(row["項目"] == "評価書番号" for rows in shown for row in rows)


def test_the_findings_page_on_virtuoso_shows_the_stored_findings_and_their_evidence(validated, page_on_virtuoso):
    from app.common import md_text

    app = page_on_virtuoso("findings")
    embedded = loaded_corpus().store
    wanted = [row for row in views.findings(embedded) if row["severity"] in ("Violation", "Warning")]
    shown = table(app.dataframe[0].value)
    expected = [{key: cell(value) for key, value in row.items()} for row in views.finding_rows(wanted)]
    assert shown and same_rows(shown) == same_rows(expected)
    first = shown[0]  # the page opens the evidence of its first finding
    graph = next(c.graph for c in views.report_choices(embedded) if c.source == first["評価書"])
    quoted, _ = views.finding_quote(embedded, graph, int(first["行"]), first["記載"])
    evidence = "\n".join(str(block.value) for block in app.markdown)
    assert quoted and all(md_text(quote["記載"]) in evidence for quote in quoted)
