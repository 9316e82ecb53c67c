"""views: the data behind the app's pages, asked of a store of the samples (of the three forms)."""

from __future__ import annotations

import datetime as dt

import pytest

from piagraph import views
from piagraph.store import open_store
from tests.conftest import ALL_SAMPLES, load_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("views")) as opened:
        for name in ALL_SAMPLES:
            opened.put_report(load_sample(name))
        yield opened


def test_overview_of_the_samples(store):
    summary = views.overview(store)
    # samples README: 4 重点 + 2 基礎 + 2 全項目 reports of みどり市長; files 1 each, 2 in juki_kiso and each 全項目;
    # 移転 5 (様式3) + 5 (juki) + 4 (zeimu), 提供 7 + 4 + 2, 委託 6 + 2 + 3; a 基礎 has no flows
    assert (summary.reports, summary.bodies, summary.files) == (8, 1, 11)
    assert summary.flows["移転"] == 14 and summary.flows["提供"] == 13 and summary.flows["委託"] == 11
    assert summary.contractors == 5
    assert summary.oldest["date"] == dt.date(2019, 3, 1) and summary.newest["date"] == dt.date(2025, 8, 29)


def test_a_report_as_sections_with_evidence(store):
    kouki = next(r for r in views.report_list(store) if r["source"] == "midori_kouki.txt")
    sections = views.report_sections(views.report_graph(store, kouki["graph"]))
    cover = {fact.item: fact for fact in sections[0].facts}
    assert cover["評価書番号"].value == "1" and cover["評価実施機関"].value == "みどり市長"
    flows = [fact for section in sections for fact in section.facts if fact.item == "移転先"]
    assert [fact.value.split(" / ")[0] for fact in flows] == ["健康福祉部 介護保険課", "市民生活部 国保年金課"]
    assert all(fact.line for fact in flows)


def test_findings_are_computed_until_validation_stores_them(tmp_path):
    from piagraph.validation import validate_store

    with open_store(tmp_path) as fresh:
        for name in ("midori_kaigo.txt", "midori_jidou.txt"):
            fresh.put_report(load_sample(name))
        assert views.stored_findings(fresh) == []
        computed = {row["rule"] for row in views.findings(fresh)}
    assert {"PIA-R30", "PIA-R37"} <= computed  # kaigo: 課題が残されている; jidou: 重大事故 発生あり
    with open_store(tmp_path) as store:
        validate_store(store, dt.date(2025, 9, 1), 1)
    with open_store(tmp_path) as validated:
        stored = views.stored_findings(validated)
        assert {row["rule"] for row in stored} >= {"PIA-R30", "PIA-R37", "PIA-R40"}
        assert {row["report"] for row in stored} == {"midori_kaigo.txt", "midori_jidou.txt"}
        warnings = sum(1 for row in stored if row["severity"] == "Warning")
        assert views.findings_by_severity(validated)["警告"] == warnings


def test_comparison_of_kouki_reports(store):
    rows = views.comparison(store, "後期高齢者医療")
    # the 重点 and its 基礎 (no flows: a 基礎 has no file overview)
    assert [row["評価実施機関"] for row in rows] == ["みどり市長", "みどり市長"]
    assert sorted(row["移転"] for row in rows) == [0, 2] and all("中間サーバー" in row["システム"] for row in rows)
