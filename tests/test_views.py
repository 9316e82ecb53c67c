"""views: the data behind the app's pages, asked of a store of the samples (of the three forms)."""

from __future__ import annotations

import datetime as dt

import pytest

from piagraph import views
from piagraph.ingest import load_paths
from piagraph.store import open_store
from tests.conftest import ALL_SAMPLES, SAMPLES, load_sample, seed_path

TODAY = dt.date(2025, 9, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("views")) as opened:
        load_paths(opened, [SAMPLES / name for name in ALL_SAMPLES], progress=False, today=TODAY)
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


def test_a_report_stored_unchecked_is_never_said_to_have_no_findings(tmp_path):
    from piagraph.validation import validate_store

    with open_store(tmp_path) as fresh:
        for name in ("midori_kaigo.txt", "midori_jidou.txt"):
            fresh.put_report(load_sample(name))  # no findings with it: not checked
        assert views.findings(fresh) == [] and views.findings_by_severity(fresh) == {}
        assert not views.across_reports_status(fresh)["checked"]
        assert sorted(views.unchecked_reports(fresh)) == ["midori_jidou.txt", "midori_kaigo.txt"]
        assert views.unchecked_count(fresh) == 2  # 概要 counts what 検証 lists
        assert views.unchecked_reports(fresh, limit=1)[0] in ("midori_jidou.txt", "midori_kaigo.txt")
        assert not any(row["checked"] for row in views.validation_status(fresh))
        run = validate_store(fresh, TODAY, 1)
        assert sum(run.recomputed.values()) == 2
        stored = views.findings(fresh)
        assert {row["rule"] for row in stored} >= {"PIA-R30", "PIA-R37", "PIA-R40"}
        # … and the rules across reports, as the store is now: neither report's 基礎 is in it (R48)
        assert {row["report"] for row in views.findings_across_reports(fresh)} == {"midori_kaigo.txt", "midori_jidou.txt"}
        assert views.across_reports_status(fresh) == {"checked": True, "current": True, "validatedOn": TODAY}
        load_paths(fresh, [SAMPLES / "midori_kouki.txt"], progress=False, today=TODAY)
        assert not views.across_reports_status(fresh)["current"]  # a report loaded since: said to be out of date
        assert {row["report"] for row in stored} == {"midori_kaigo.txt", "midori_jidou.txt"}
        assert views.unchecked_reports(fresh) == [] and views.unchecked_count(fresh) == 0
        warnings = sum(1 for row in stored if row["severity"] == "Warning")
        assert views.findings_by_severity(fresh)["警告"] == warnings
        # 概要 counts (in the store) exactly the findings 検証 lists, those across reports included
        listed = {"違反": 0, "警告": 0, "情報": 0}
        for row in views.findings(fresh):
            listed[{"Violation": "違反", "Warning": "警告", "Info": "情報"}[row["severity"]]] += 1
        assert views.findings_by_severity(fresh) == {k: n for k, n in listed.items() if n}


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
    assert {row["元ファイル"] for row in rows} == set(ALL_SAMPLES)
    assert all(row["読込日時"] for row in rows)


def test_the_report_list_reads_a_page_at_a_time_in_the_order_of_the_whole(store):
    # 概要 lists a national store's reports a page at a time: the pages put together are the whole list
    whole = views.report_table(store)
    assert len(whole) == views.overview(store).versions == 8
    pages = [views.report_table(store, limit=3, offset=start) for start in (0, 3, 6)]
    assert [len(page) for page in pages] == [3, 3, 2] and [row for page in pages for row in page] == whole


def test_report_choices_are_japanese_and_sorted(store):
    labels = [choice.label for choice in views.report_choices(store)]
    assert labels == sorted(labels) and not any("http" in label or "<" in label for label in labels)
    assert "みどり市長 後期高齢者医療に関する事務(評価書番号 1、公表日 2025-02-14)" in labels
    # its 基礎 shares body, 事務, number and date: the label names the form
    assert "みどり市長 基礎項目評価書 後期高齢者医療に関する事務(評価書番号 1、公表日 2025-02-14)" in labels
    assert len(labels) == len(set(labels))


def test_pickers_choose_a_body_then_its_reports(versions):
    # 高岡市長 (seed 000) in two versions: one body; both versions are its reports, the current one alone
    # when only current reports are asked for; a link's report key names that body.
    assert views.body_names(versions) == ["高岡市長"]
    of_body = views.report_choices(versions, body="高岡市長")
    assert [c.published for c in of_body] == [dt.date(2025, 8, 13), dt.date(2021, 6, 1)]
    assert [c.published for c in views.report_choices(versions, body="高岡市長", current_only=True)] == [dt.date(2025, 8, 13)]
    assert views.report_choices(versions, body="熊本市長") == []
    assert {views.report_body(versions, c.key) for c in of_body} == {"高岡市長"}
    assert views.report_body(versions, "0000000000000000") is None
    assert list(views.report_series(versions, body="高岡市長")) == list(views.report_series(versions))
    assert views.report_series(versions, body="熊本市長") == {}


def test_a_basic_assessment_is_no_version_of_its_companion(store):
    assert not views.report_series(store)  # one version each: 基礎 and 重点 of kouki are two series


def test_line_values_quote_what_the_report_says_on_that_line(store):
    kouki = next(c for c in views.report_choices(store) if c.source == "midori_kouki.txt")  # not its 基礎
    quoted = views.line_values(store, kouki.graph, 122)  # midori_kouki.txt L122: 委託事項1, its block's values
    assert {"項目": "委託先名(記載どおり)", "記載": "株式会社みどり情報サービス"} in quoted
    assert {"項目": "再委託の有無", "記載": "はい"} in quoted


TAKAOKA_CONTRACTOR = "株式会社インテック"
OLD_CONTRACTOR = "架空システム開発株式会社"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Seed 000 (高岡市長, 評価書番号 15, 公表日 令和7年8月13日) and an older version derived from it:
    公表日 令和3年6月1日, and its contractor (II-4 ③委託先名, L134) another company."""
    from loaders.pipeline import load_report
    from tests.conftest import seed_path
    from tests.store_corpus import derive

    directory = tmp_path_factory.mktemp("versions")
    old = directory / "takaoka_2021.txt"
    old.write_text(derive(seed_path("000").read_text(encoding="utf-8"), [
        ("公表日\n令和7年8月13日", "公表日\n令和3年6月1日"),
        (f"③委託先名\t{TAKAOKA_CONTRACTOR}", f"③委託先名\t{OLD_CONTRACTOR}"),
    ]), encoding="utf-8")
    with open_store(directory / "store") as opened:
        opened.put_report(load_report(seed_path("000")))
        opened.put_report(load_report(old))
        yield opened


def test_a_report_series_has_both_versions_newest_first(versions):
    (name, series), = views.report_series(versions).items()
    assert name.startswith("高岡市長 後期高齢者医療に関する事務(評価書番号 15")
    assert [c.published for c in series] == [dt.date(2025, 8, 13), dt.date(2021, 6, 1)]


def test_version_diff_names_the_contractor_removed_and_the_one_added(versions):
    new, old = views.report_series(versions)[next(iter(views.report_series(versions)))]
    diff = views.report_diff(versions, old, new)
    contractors = {(row["変更"], row["項目"]) for row in diff if row["観点"] == "委託先"}
    assert contractors == {("削除", OLD_CONTRACTOR), ("追加", TAKAOKA_CONTRACTOR)}
    added = next(row for row in diff if row["項目"] == TAKAOKA_CONTRACTOR)
    assert added["節"].startswith("II-4") and added["行"] == 131  # 委託事項1, the block naming it
    assert not any(row["観点"] == "移転先" for row in diff)  # the three 移転先 did not change


def test_comparison_marks_what_differs_between_versions(versions):
    new, old = views.report_series(versions)[next(iter(views.report_series(versions)))]
    table = views.comparison_table(versions, [new, old])
    first, second = views.unique_labels([new, old])
    row = next(r for r in table if r["項目"] == TAKAOKA_CONTRACTOR)
    assert (row[first], row[second], row["差異"]) == ("○", "―", "あり")
    transfers = [r for r in table if r["観点"] == "移転先"]
    assert [r["項目"] for r in transfers][-1:] and all(r["差異"] == "" for r in transfers)
    assert "富山県後期高齢者医療広域連合" in {r["項目"] for r in transfers}


def test_annex2_rows_are_the_reports_change_records(versions):
    new = views.report_series(versions)[next(iter(views.report_series(versions)))][0]
    rows = views.annex2_rows(versions, new.graph)
    assert rows and all(row["節"] == "別添2" for row in rows)
    assert any(row["変更日"] == dt.date(2022, 3, 1) and TAKAOKA_CONTRACTOR in (row["変更後"] or "") for row in rows)


def test_finding_rows_are_japanese_with_evidence_columns():
    rows = views.finding_rows([{"rule": "PIA-R05", "severity": "Violation", "message": "m", "report": "r.txt",
                                "section": "II-4", "line": 146, "value": None}])
    assert rows == [{"重要度": "違反", "規則": "PIA-R05", "メッセージ": "m", "評価書": "r.txt", "節": "II-4", "行": 146,
                     "記載": None}]


def test_report_facts_carry_each_values_own_line_and_confidence():
    """Seed 003 移転先1 障がい福祉課 (L116): its ④本人の数 is inferred (node pia:confidence 0.8), but the
    移転先 row shows recipient, method and legal basis, all read as printed: no confidence. The 公表日
    cites its own row."""
    from tests.conftest import load_seed

    sections = views.report_sections(load_seed("003").graph)
    transfer = next(f for s in sections for f in s.facts if f.item == "移転先")
    assert transfer.value.startswith("障がい福祉課") and transfer.line == 116 and transfer.confidence is None
    cover = {fact.item: fact for fact in sections[0].facts}
    assert cover["公表日"].line != cover["評価書番号"].line
