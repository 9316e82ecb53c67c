"""Per-body rows (`piagraph.store.bodies`): each 評価実施機関's part of the national aggregates, kept with
the body and recomputed whenever one of its reports is written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from piagraph.cli import main as cli
from piagraph.ingest import load_paths
from piagraph.sparql.saved import load_query
from piagraph.store.bodies import BODIES_GRAPH, body_graph, body_rows_ready, stored_bodies
from piagraph.store.embedded import EmbeddedStore
from tests.conftest import SAMPLES, seed_path
from tests.store_corpus import ALTERED_CONTRACTOR, derive

PIA = "https://w3id.org/piagraph/ns#"


def body_rows(store) -> set[tuple]:
    """Every body row as (body, kind of row, key, its other columns), blank nodes left out."""
    result = store.query(f"""SELECT ?body ?kind ?key ?column ?value WHERE {{
      GRAPH ?g {{ ?g <{PIA}bodyRowsOf> ?body . ?row ?kind ?key . ?row ?column ?value }}
      FILTER(STRSTARTS(STR(?kind), "{PIA}bodyRow-") && ?column != ?kind) }}""")
    rows: dict[tuple, set] = {}
    for body, kind, key, column, value in result.rows:
        rows.setdefault((str(body), str(kind)[len(f"{PIA}bodyRow-"):], str(key)), set()).add((str(column), str(value)))
    return {(*key, frozenset(columns)) for key, columns in rows.items()}


def test_a_body_counts_the_current_version_of_its_reports(tmp_path):
    # 高岡市長 (seed 000) published in 2021 with another contractor and again in 2025: its rows are those of
    # the 2025 version alone
    old = tmp_path / "old.txt"
    old.write_text(derive(seed_path("000").read_text(encoding="utf-8"),
                          [("公表日\n令和7年8月13日", "公表日\n令和3年6月1日"),
                           ("株式会社インテック", ALTERED_CONTRACTOR)]), encoding="utf-8")
    with EmbeddedStore(tmp_path / "both") as both, EmbeddedStore(tmp_path / "current") as current:
        load_paths(both, [old], progress=False, validate=False)
        earlier = body_rows(both)
        load_paths(both, [seed_path("000")], progress=False, validate=False)
        load_paths(current, [seed_path("000")], progress=False, validate=False)
        assert body_rows(both) == body_rows(current) != earlier
        contractors = {key for _, kind, key, _ in body_rows(both) if kind == "contractors-ranked"}
        assert "株式会社インテック" in contractors and ALTERED_CONTRACTOR not in contractors
        assert [str(b.value) for b in stored_bodies(both)] == ["高岡市長"]
        kinds = {kind for _, kind, _, _ in body_rows(both)}
        assert {"affairs-by-shared-system", "contractors-ranked", "departments-receiving-transfers"} <= kinds


def test_the_national_count_adds_up_the_bodies(tmp_path):
    # みどり市長 (two samples) and 高岡市長 (seed 000) both use 中間サーバー: two bodies, and the affairs of both
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [SAMPLES / "midori_kouki.txt", SAMPLES / "midori_kaigo.txt", seed_path("000")],
                   progress=False, validate=False)
        answer = store.query(load_query("affairs-by-shared-system").text).records()
        one = {row["sharedSystem"]: row for row in store.query(
            load_query("affairs-by-shared-system").bind({"body": "みどり市長"})).records()}
        other = {row["sharedSystem"]: row for row in store.query(
            load_query("affairs-by-shared-system").bind({"body": "高岡市長"})).records()}
    server = next(row for row in answer if row["sharedSystem"] == "中間サーバー")
    assert server["bodies"] == "2" and set(server["bodyNames"].split("、")) == {"みどり市長", "高岡市長"}
    assert int(server["affairs"]) == int(one["中間サーバー"]["affairs"]) + int(other["中間サーバー"]["affairs"])


def test_a_store_without_body_rows_is_refused_until_summarized(tmp_path):
    directory = tmp_path / "store"
    with EmbeddedStore(directory) as store:
        load_paths(store, [SAMPLES / "midori_kouki.txt", seed_path("000")], progress=False, validate=False)
        expected = body_rows(store)
        # as an earlier piagraph left it: summaries, but no per-body rows
        for body in stored_bodies(store):
            store.drop_graph(body_graph(body.value))
        store.drop_graph(BODIES_GRAPH)
        assert not body_rows_ready(store)
    answer = CliRunner().invoke(cli, ["query", "--store", str(directory), "--name", "contractors-ranked"])
    assert answer.exit_code == 2 and "機関ごとの集計がありません" in answer.output
    assert answer.output.count("\n") == 1
    summarized = CliRunner().invoke(cli, ["summarize", "-q", "--store", str(directory)])
    assert summarized.exit_code == 0, summarized.output
    with EmbeddedStore(directory, read_only=True) as store:
        assert body_rows_ready(store) and body_rows(store) == expected


def test_a_bulk_load_writes_the_rows_a_report_by_report_load_writes(tmp_path):
    files = [SAMPLES / "midori_kouki.txt", SAMPLES / "midori_kaigo.txt", SAMPLES / "midori_juki_zenkoumoku.txt",
             seed_path("000")]
    with EmbeddedStore(tmp_path / "bulk") as bulk, EmbeddedStore(tmp_path / "one-by-one") as single:
        load_paths(bulk, files, bulk=True, progress=False, validate=False)
        load_paths(single, files, progress=False, validate=False)
        assert body_rows(bulk) == body_rows(single)
        assert body_rows_ready(bulk)


def test_an_empty_store_needs_no_summarize(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        assert body_rows_ready(store)
        assert store.query(load_query("provision-recipients").text).rows == []


@pytest.mark.parametrize("name", ["affairs-by-shared-system", "contractors-ranked", "provision-recipients",
                                  "departments-receiving-transfers"])
def test_an_aggregate_reads_the_per_body_rows(name):
    assert "pia:bodyRow-" in load_query(name).text and "summaryGraph" not in load_query(name).text
