"""Summary rows (`piagraph.store.summaries`): the saved queries read them and answer as before.

The queries of before (issue 17, reading every report graph) are kept in
``tests/fixtures/queries-before``; every saved query now reads the summary rows written with each
report, and must give the same rows — as multisets, a joined list compared as the set of its parts —
on the test corpus (old versions, a superseded copy, a version chain), on a generated national
corpus, and for one body. The summaries follow the report: replaced with a changed copy, gone with a
superseded content, and a store loaded without them is refused until ``piagraph summarize``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ontology import CATALOG_GRAPH
from piagraph.cli import main as cli
from piagraph.ingest import load_paths
from piagraph.sparql.saved import list_queries, load_query, read_query
from piagraph.store import EmbeddedStore, StoreError
from piagraph.store.summaries import missing_summaries, require_summaries, summary_graph
from tests.answers import comparable_rows
from tests.conftest import REPO, SAMPLES, seed_path
from tests.store_corpus import ALTERED_CONTRACTOR, derive, loaded_corpus

BEFORE = REPO / "tests" / "fixtures" / "queries-before"
CORPUS_REPORTS = 1000
"""Reports of the generated corpus compared in the suite, as the issue asks (generated, loaded with --bulk
in two processes, every saved query answered now and as before; 2,000 and more: bench/bench_national.py)."""


def before(name: str):
    return read_query(BEFORE / f"{name}.rq")


def assert_same_answers(store, values: dict[str, str] | None = None) -> dict[str, int]:
    answered = {}
    for saved in list_queries():
        now = store.query(saved.bind(values)) if values else store.query(saved.text)
        then = store.query(before(saved.name).bind(values)) if values else store.query(before(saved.name).text)
        assert now.variables == then.variables, saved.name
        assert comparable_rows(now) == comparable_rows(then), saved.name
        answered[saved.name] = len(now.rows)
    return answered


def test_every_saved_query_has_its_query_of_before():
    assert sorted(p.stem for p in BEFORE.glob("*.rq")) == sorted(q.name for q in list_queries())


def test_saved_queries_answer_as_before_on_the_test_corpus():
    store = loaded_corpus().store
    answered = assert_same_answers(store)
    # the corpus has what each query is about: not a comparison of two empty answers
    assert answered["changes-since-previous-version"] >= 1  # the kiso v2's 変更箇所 after its previous version
    assert answered["report-history"] > answered["report-versions"]  # the superseded altered copy
    assert min(answered[name] for name in ("affair-data-flows", "contractors-ranked", "change-history",
                                           "departments-receiving-transfers", "uncertain-values")) > 0


def test_saved_queries_answer_as_before_for_one_body():
    store = loaded_corpus().store
    assert_same_answers(store, {"body": "高岡市長"})
    flows = store.query(load_query("affair-data-flows").bind({"body": "高岡市長", "affair": "国民健康保険に関する事務"}))
    assert {str(row[1]) for row in flows.rows} == {"国民健康保険に関する事務"}


def test_saved_queries_answer_as_before_on_a_generated_national_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), "--reports", str(CORPUS_REPORTS),
                    "--seed", "1", "--out", str(corpus)], check=True, capture_output=True)
    with EmbeddedStore(tmp_path / "store") as store:
        summary = load_paths(store, [corpus], bulk=True, jobs=2, progress=False, validate=False)
        assert not summary.failures
        answered = assert_same_answers(store)
    assert answered["report-versions"] == CORPUS_REPORTS
    assert answered["changes-since-previous-version"] > 0 and answered["contractors-ranked"] > 5


def test_superseded_content_leaves_the_summaries_and_the_new_content_enters(tmp_path):
    source = seed_path("000").read_text(encoding="utf-8")
    altered = tmp_path / "altered.txt"
    altered.write_text(derive(source, [("株式会社インテック", ALTERED_CONTRACTOR)]), encoding="utf-8")
    contractors = load_query("contractors-ranked")
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [altered], progress=False, validate=False)
        names = {str(row[0]) for row in store.query(contractors.text).rows}
        assert ALTERED_CONTRACTOR in names and "株式会社インテック" not in names
        load_paths(store, [seed_path("000")], progress=False, validate=False)  # the same report, other content
        names = {str(row[0]) for row in store.query(contractors.text).rows}
        assert "株式会社インテック" in names and ALTERED_CONTRACTOR not in names
        kept = [e for e in store.catalog(superseded=True) if e.is_superseded]
        assert len(kept) == 1 and not kept[0].summarized
        assert summary_graph(kept[0].graph) not in store.named_graphs()
        assert_same_answers(store)


def test_a_newer_version_takes_the_current_rows_and_the_history_keeps_both(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text(derive(seed_path("000").read_text(encoding="utf-8"),
                          [("公表日\n令和7年8月13日", "公表日\n令和3年6月1日")]), encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [old], progress=False, validate=False)
        assert store.query(load_query("reports-older-than-5-years").text).rows  # 2021: older than five years
        load_paths(store, [seed_path("000")], progress=False, validate=False)
        assert not store.query(load_query("reports-older-than-5-years").text).rows  # the current one is of 2025
        versions = store.query(load_query("report-versions").text)
        assert sorted(str(row[versions.variables.index("current")]) for row in versions.rows) == ["false", "true"]
        assert_same_answers(store)


def test_a_store_without_summaries_is_refused_until_summarized(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [SAMPLES / "midori_kouki.txt", SAMPLES / "midori_kaigo.txt"], progress=False, validate=False)
        expected = comparable_rows(store.query(load_query("affair-data-flows").text))
        # as an earlier piagraph left it: no summary graphs, no summary in the catalog
        for entry in store.catalog():
            store.drop_graph(summary_graph(entry.graph))
        store._update(f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g <https://w3id.org/piagraph/ns#summaryVersion> ?v }} }}",
                      "the catalog")
        assert missing_summaries(store) == 2
        with pytest.raises(StoreError, match="piagraph summarize") as refused:
            require_summaries(store, load_query("affair-data-flows").text)
        assert "\n" not in str(refused.value)
    directory = str(tmp_path / "store")
    answer = CliRunner().invoke(cli, ["query", "--store", directory, "--name", "affair-data-flows"])
    assert answer.exit_code == 2 and "2 件の評価書に要約がありません" in answer.output
    summarized = CliRunner().invoke(cli, ["summarize", "-q", "--store", directory])
    assert summarized.exit_code == 0, summarized.output
    with EmbeddedStore(directory, read_only=True) as store:
        assert missing_summaries(store) == 0
        assert comparable_rows(store.query(load_query("affair-data-flows").text)) == expected
    listed = CliRunner().invoke(cli, ["list", "--store", directory])
    assert listed.exit_code == 0 and "介護保険に関する事務" in listed.output


def test_summarize_in_two_processes_writes_what_the_load_wrote(tmp_path):
    # the upgrade path of a national store (`piagraph summarize --jobs 2`): the summaries it computes from
    # the stored report graphs are those the load computed from the files
    directory = tmp_path / "store"
    with EmbeddedStore(directory) as store:
        load_paths(store, [SAMPLES / name for name in ("midori_kouki.txt", "midori_juki_zenkoumoku.txt")]
                   + [seed_path("000")], progress=False, validate=False)
        written = {e.graph: store.graph_triples(summary_graph(e.graph)) for e in store.catalog()}
        for graph in written:
            store.drop_graph(summary_graph(graph))
    assert all(written.values())
    summarized = CliRunner().invoke(cli, ["summarize", "-q", "--all", "--jobs", "2", "--store", str(directory)])
    assert summarized.exit_code == 0 and "summarized 3 reports" in summarized.output, summarized.output
    with EmbeddedStore(directory, read_only=True) as store:
        assert {g: store.graph_triples(summary_graph(g)) for g in written} == written
        assert missing_summaries(store) == 0


def test_summary_rows_name_the_report_as_written(tmp_path):
    """One report's rows, read from the report: seed 000 (高岡市長) transfers to three 移転先, the third
    富山県後期高齢者医療広域連合."""
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [seed_path("000")], progress=False, validate=False)
        flows = store.query(load_query("affair-data-flows").text)
        column = {name: i for i, name in enumerate(flows.variables)}
        transfers = sorted((str(row[column["number"]]), str(row[column["counterpart"]]))
                           for row in flows.rows if str(row[column["kind"]]) == "移転")
    assert len(transfers) == 3 and transfers[2][1] == "富山県後期高齢者医療広域連合"


@pytest.fixture(autouse=True)
def _no_leftover(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_pages_of_a_listing_follow_one_another_and_say_the_total():
    """`piagraph query --limit --offset`: the pages of a national listing are its rows in one stable
    order (the summaries' integer key), and the total is said on stderr."""
    directory = str(loaded_corpus().store.path)
    loaded_corpus().store.flush()
    runner = CliRunner()

    def page(*options: str) -> tuple[list[str], str]:
        answer = runner.invoke(cli, ["query", "--store", directory, "--name", "change-history", "-f", "csv", *options])
        assert answer.exit_code == 0, answer.output
        lines = answer.stdout.splitlines()
        return lines[1:], answer.stderr

    whole, _ = page()
    first, told = page("--limit", "7")
    second, _ = page("--limit", "7", "--offset", "7")
    assert first + second == whole[:14]
    assert f"rows 1–7 of {len(whole):,}" in told and f"全 {len(whole):,} 行のうち 1–7 行目" in told
