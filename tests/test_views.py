"""views: the data behind the app's pages, asked of a store of the samples."""

from __future__ import annotations

import datetime as dt

import pytest

from piagraph import views
from piagraph.ingest import load_paths
from piagraph.store import open_store
from tests.conftest import SAMPLES, load_sample, seed_path

TODAY = dt.date(2025, 9, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("views")) as opened:
        load_paths(opened, sorted(SAMPLES.glob("*.txt")), progress=False, today=TODAY)
        yield opened


def test_overview_of_the_samples(store):
    summary = views.overview(store)
    assert (summary.reports, summary.bodies, summary.files) == (4, 1, 4)
    assert summary.flows["移転"] == 5 and summary.flows["提供"] == 7 and summary.flows["委託"] == 6
    assert summary.oldest["date"] == dt.date(2019, 3, 1) and summary.newest["date"] == dt.date(2025, 6, 20)


def test_a_report_as_sections_with_evidence(store):
    kouki = next(r for r in views.report_list(store) if r["affair"] == "後期高齢者医療に関する事務")
    sections = views.report_sections(views.report_graph(store, kouki["graph"]))
    cover = {fact.item: fact for fact in sections[0].facts}
    assert cover["評価書番号"].value == "1" and cover["評価実施機関"].value == "みどり市長"
    flows = [fact for section in sections for fact in section.facts if fact.item == "移転先"]
    assert [fact.value.split(" / ")[0] for fact in flows] == ["健康福祉部 介護保険課", "市民生活部 国保年金課"]
    assert all(fact.line for fact in flows)


def test_a_report_stored_unchecked_is_never_said_to_have_no_findings(tmp_path):
    from piagraph.validation import validate_store

    with open_store(tmp_path) as fresh:
        for name in ("midori_kaigo.txt", "midori_jidou.txt"):
            fresh.put_report(load_sample(name))  # no findings with it: not checked
        assert views.findings(fresh) == [] and views.findings_by_severity(fresh) == {}
        assert sorted(views.unchecked_reports(fresh)) == ["midori_jidou.txt", "midori_kaigo.txt"]
        assert not any(row["checked"] for row in views.validation_status(fresh))
        run = validate_store(fresh, TODAY, 1)
        assert sum(run.recomputed.values()) == 2
        stored = views.findings(fresh)
        assert {row["rule"] for row in stored} >= {"PIA-R30", "PIA-R37", "PIA-R40"}
        assert {row["report"] for row in stored} == {"midori_kaigo.txt", "midori_jidou.txt"}
        assert views.unchecked_reports(fresh) == []
        warnings = sum(1 for row in stored if row["severity"] == "Warning")
        assert views.findings_by_severity(fresh)["警告"] == warnings


def test_a_report_loaded_after_validate_store_has_its_findings(tmp_path):
    from piagraph.validation import validate_store

    with open_store(tmp_path) as store:
        load_paths(store, [SAMPLES / "midori_kaigo.txt"], progress=False, today=TODAY)
        validate_store(store, TODAY, 1)
        load_paths(store, [seed_path("002")], progress=False, today=TODAY)  # 熊本市, loaded afterwards
        status = {row["report"]: row for row in views.validation_status(store)}
        kumamoto = status["002_b716d8e1545cc6b4.txt"]
        assert kumamoto["checked"] and kumamoto["currentRules"] and kumamoto["validatedOn"] == TODAY
        # the five: I-2 システム2 missing, I-5 ② without 第19条, II-4 (1) 件 but two 委託事項,
        # no III-4 and no III-6
        assert kumamoto["Violation"] == 5
        rows = [row for row in views.findings(store) if row["report"] == "002_b716d8e1545cc6b4.txt"]
        assert sum(row["severity"] == "Violation" for row in rows) == 5
        assert views.findings_by_severity(store)["違反"] == 5 + status["midori_kaigo.txt"]["Violation"]


def test_a_finding_opens_to_its_quoted_source_lines(tmp_path):
    with open_store(tmp_path) as store:
        load_paths(store, [seed_path("000")], progress=False, today=TODAY)
        audit = next(row for row in views.findings(store) if row["rule"] == "PIA-R33")
        evidence = views.finding_evidence(store, audit)
    # seed 000, III-8 監査: the heading at L303 and three empty boxes, L303–311 (not the file's II-1 line)
    assert (evidence.section, evidence.line, evidence.line_end) == ("III-8 監査", 303, 311)
    cited = {line.number: line.text for line in evidence.lines if line.cited}
    assert cited[303] == "8. 監査" and "[] 内部監査" in cited.values()
    assert min(cited) == 303 and max(cited) <= 311
    assert any(not line.cited and line.number < 303 for line in evidence.lines)  # context before


def test_report_versions_list_the_superseded_content_with_its_file_and_load_time(tmp_path):
    source = seed_path("000").read_text(encoding="utf-8")
    altered = tmp_path / "altered.txt"
    altered.write_text(source.replace("株式会社インテック", "株式会社別名"), encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        load_paths(store, [seed_path("000")], progress=False, today=TODAY)
        summary = load_paths(store, [altered], progress=False, today=TODAY, report_notice=lambda line: None)
        assert len(summary.superseded) == 1
        graph = str(summary.loaded[0].graph)
        versions = views.report_versions(store, graph)
    assert [(v["status"], v["loadedFrom"]) for v in versions] == [
        ("現行版", "altered.txt"), ("置き換え前の内容", "000_9faffa5d1775a5db.txt")]
    assert versions[1]["supersededBy"] == graph and versions[1]["supersededAt"] >= versions[1]["loadedAt"]
    assert set(views.VERSION_COLUMNS) <= set(versions[0])


def test_report_facts_are_quoted_from_the_report_text(store):
    kouki = next(r for r in views.report_list(store) if r["affair"] == "後期高齢者医療に関する事務")
    cover = {fact.item: fact for fact in views.report_facts_with_quotes(store, kouki["graph"])[0].facts}
    number = cover["評価書番号"]
    assert number.line and "1" in number.quote and number.quote == views.source_lines(store, kouki["graph"])[number.line]
    body = cover["評価実施機関"]  # samples/midori_kouki.txt: the label at L12, みどり市長 below it at L13
    assert [(line.number, line.text) for line in body.quoted] == [(12, "評価実施機関名"), (13, "みどり市長")]


def test_report_list_records_when_and_from_which_file(store):
    rows = views.report_table(store)
    assert {row["元ファイル"] for row in rows} == {p.name for p in SAMPLES.glob("*.txt")}
    assert all(row["読込日時"] for row in rows)


def test_comparison_of_kouki_reports(store):
    rows = views.comparison(store, "後期高齢者医療")
    assert [row["評価実施機関"] for row in rows] == ["みどり市長"]
    assert "中間サーバー" in rows[0]["システム"] and rows[0]["移転"] == 2
