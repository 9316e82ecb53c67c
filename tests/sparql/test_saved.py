"""Every saved query, run on the loaded corpus (seeds + the samples of the three forms + reports derived from
seed 000 and from the 基礎 sample of kouki).

Expected values come from reading the reports: the seed texts in ../shared/seeds and samples/README.md
(which tabulates what the みどり市 samples say). Seed 000 is 高岡市長's 後期高齢者医療 report; the corpus
also holds an older version of it (公表日 令和3年6月1日) that current-version queries must not see, a
derived second 高岡市長 事務 (国民健康保険, 評価書番号 16), and a newer version of the 基礎項目評価書 of
kouki (IV-7 課題が残されている) — see tests/store_corpus.py. Every saved query answers for all three forms:
the 全項目評価書 (様式4) and 基礎項目評価書 (様式2) samples appear where their facts belong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from piagraph.sparql.saved import QueryParameterError, list_queries, load_query, parse_header
from piagraph.store.bodies import bodies_dir
from tests.store_corpus import ALTERED_CONTRACTOR, ALTERED_FILE, OLD_VERSION_FILE, loaded_corpus

TAKAOKA = "高岡市長"
MIDORI = "みどり市長"
KOUKI = "後期高齢者医療に関する事務"
KOKUHO = "国民健康保険に関する事務"
KAIGO = "介護保険に関する事務"
JIDOU = "児童手当に関する事務"
JUKI = "住民基本台帳に関する事務"  # 基礎 (様式2) and 全項目 (様式4), 評価書番号 5
ZEIMU = "個人住民税の賦課に関する事務"  # 全項目 (様式4), 評価書番号 6


@pytest.fixture(scope="module")
def corpus():
    return loaded_corpus()


def rows(corpus, name: str, **params: str) -> list[dict[str, str]]:
    return corpus.store.query(load_query(name).bind(params)).records()


def where(records: list[dict[str, str]], **equal: str) -> list[dict[str, str]]:
    return [r for r in records if all(r.get(k) == v for k, v in equal.items())]


# --- the library itself -------------------------------------------------------------------------


def test_library_has_at_least_15_queries_with_japanese_headers():
    queries = list_queries()
    assert len(queries) >= 15
    for saved in queries:
        assert saved.title and saved.description, saved.name
        assert any("\u3040" <= ch <= "\u9fff" for ch in saved.title), f"{saved.name}: title not Japanese"
        assert saved.text.lstrip().startswith("# title:"), saved.name


def test_header_continuation_lines_are_joined():
    header = parse_header("# title: 題\n# description: 一行目\n#   二行目\n# title_en: T\nSELECT * {}")
    assert header == {"title": "題", "description": "一行目二行目", "title_en": "T"}


def test_every_query_narrows_to_one_body(corpus):
    # an internal auditor asks about one 評価実施機関: every saved query takes body, and bound to
    # 高岡市長 it answers about 高岡市長 only
    for saved in list_queries():
        assert "body" in {p.name for p in saved.params}, saved.name
        found = rows(corpus, saved.name, body=TAKAOKA)
        assert {r["body"] for r in found if "body" in r} <= {TAKAOKA}, saved.name
        assert {r["bodyNames"] for r in found if "bodyNames" in r} <= {TAKAOKA}, saved.name  # rankings
    assert rows(corpus, "files-with-personal-number", body=TAKAOKA)


def test_every_query_but_history_reads_current_versions_only():
    # a query reading per-body rows reads what its body query computed from the current reports
    history = {"change-history", "report-versions", "report-history"}
    for saved in list_queries():
        if saved.name not in history:
            source = bodies_dir() / f"{saved.name}.rq" if "pia:bodyRow-" in saved.text else None
            assert "pia:isCurrent true" in (source.read_text(encoding="utf-8") if source else saved.text), saved.name


def test_no_query_on_current_versions_sees_superseded_content(corpus):
    # the altered copy of seed 000 (contractor renamed) was superseded by seed 000 itself
    assert corpus.summary.superseded and ALTERED_CONTRACTOR not in str(corpus.summary.loaded)
    for saved in list_queries():
        if saved.name != "report-history":
            assert ALTERED_CONTRACTOR not in str(rows(corpus, saved.name)), saved.name
    assert "株式会社インテック" in str(rows(corpus, "contractors-ranked", body=TAKAOKA))


# --- one test per saved query ---------------------------------------------------------------------


def test_affair_data_flows(corpus):
    flows = rows(corpus, "affair-data-flows", body=TAKAOKA, affair=KOUKI) + rows(corpus, "affair-data-flows", body=MIDORI)
    assert {r["body"] for r in flows} == {TAKAOKA, MIDORI} and {r["affair"] for r in where(flows, body=TAKAOKA)} == {KOUKI}
    # seed 000, II-5 提供先1: 厚生労働大臣又は共済組合等, 高齢者の医療の確保に関する法律第110条, 専用線, 月次
    provision = where(flows, body=TAKAOKA, affair=KOUKI, kind="提供")
    assert len(provision) == 1  # the older version of the same report is not counted
    assert provision[0]["counterpart"] == "厚生労働大臣又は共済組合等"
    assert provision[0]["legalBasis"] == "高齢者の医療の確保に関する法律第110条"
    assert "専用線" in provision[0]["methods"] and provision[0]["frequency"] == "月次"
    # seed 000, 移転先3: 富山県後期高齢者医療広域連合 by [○] 専用線 and [○] 電子記録媒体, 日次
    transfer = where(flows, body=TAKAOKA, affair=KOUKI, kind="移転", number="3")[0]
    assert transfer["counterpart"] == "富山県後期高齢者医療広域連合"
    assert "専用線" in transfer["methods"] and "電子記録媒体" in transfer["methods"]
    assert transfer["legalBasis"].startswith("「一部事務組合又は広域連合と構成地方公共団体との間の特定個人情報の授受について")
    # seed 000, 委託事項1: 株式会社インテック
    assert where(flows, body=TAKAOKA, affair=KOUKI, kind="委託")[0]["counterpart"] == "株式会社インテック"
    # samples README: kaigo 移転先1 健康福祉部 保険年金課 by 電子メール, 番号法第9条第1項及び別表の第85項
    kaigo = where(flows, body=MIDORI, affair=KAIGO, kind="移転")[0]
    assert (kaigo["counterpart"], kaigo["methods"], kaigo["legalBasis"]) == (
        "健康福祉部 保険年金課", "電子メール", "番号法第9条第1項及び別表の第85項")
    # every kind of flow appears; acquisitions are one row per file, naming the sources
    assert {r["kind"] for r in flows} == {"入手", "委託", "提供", "移転"}
    acquisition = where(flows, body=TAKAOKA, affair=KOUKI, kind="入手")
    assert len(acquisition) == 1 and "富山県後期高齢者医療広域連合" in acquisition[0]["counterpart"]
    assert {"紙", "専用線"} <= set(acquisition[0]["methods"].split("、"))  # seed 000 ②入手方法 [○] 紙, 専用線
    # without parameters: every current report
    assert {r["body"] for r in rows(corpus, "affair-data-flows")} >= {TAKAOKA, MIDORI, "熊本市長", "奈良市長", "金沢市長"}


def test_risky_channel_flows(corpus):
    risky = {(r["body"], r["affair"], r["kind"], r.get("counterpart", ""), r["method"]) for r in rows(corpus, "risky-channel-flows")}
    # 全項目 zeimu: ④委託先への提供方法 of ㈱架空データセンター (電子記録媒体) and of 株式会社みどり情報サービス (紙)
    assert (MIDORI, ZEIMU, "委託", "(株)架空データセンター", "電子記録媒体(フラッシュメモリを除く。)") in risky  # NFKC: ㈱ → (株)
    assert (MIDORI, ZEIMU, "委託", "株式会社みどり情報サービス", "紙") in risky
    # samples README: the e-mail transfer, the flash-memory and paper provisions, jidou's media transfer
    assert (MIDORI, KAIGO, "移転", "健康福祉部 保険年金課", "電子メール") in risky
    assert (MIDORI, KOKUHO, "提供", "架空県後期高齢者医療広域連合", "フラッシュメモリ") in risky
    assert (MIDORI, JIDOU, "提供", "みどり市教育委員会", "紙") in risky
    assert (MIDORI, JIDOU, "移転", "市民生活部 税務課", "電子記録媒体(フラッシュメモリを除く。)") in risky
    # seed 000, 移転先3: [○] 電子記録媒体(フラッシュメモリを除く。)
    assert (TAKAOKA, KOUKI, "移転", "富山県後期高齢者医療広域連合", "電子記録媒体(フラッシュメモリを除く。)") in risky
    # kouki's transfers go by 庁内連携システム, kaigo's provisions by the network: not risky
    assert not [r for r in risky if r[:3] == (MIDORI, KOUKI, "移転")]
    assert not [r for r in risky if r[:3] == (MIDORI, KAIGO, "提供")]
    assert {r[4] for r in risky} <= {"フラッシュメモリ", "電子記録媒体(フラッシュメモリを除く。)", "電子メール", "紙"}
    # samples README: kouki ticks 電子メール under ②入手方法 because of kaigo's e-mail transfer
    assert [r for r in risky if r[:3] == (MIDORI, KOUKI, "入手") and r[4] == "電子メール"]


def test_contractors_ranked(corpus):
    ranked = rows(corpus, "contractors-ranked")
    by_name = {r["contractor"]: r for r in ranked}
    # seed 000 (and its derived 国保 report): 株式会社インテック, 再委託しない; the old version is not counted
    intec = by_name["株式会社インテック"]
    assert (intec["files"], intec["bodies"], intec["subcontractedEntrustments"], intec["bodyNames"]) == ("2", "1", "0", TAKAOKA)
    # samples README: 株式会社みどり情報サービス in 4 reports (kouki, kokuho and the 全項目 juki and zeimu),
    # subcontracting in all 4 contracts; 架空システム株式会社 みどり支社 in kaigo, jidou and zeimu, subcontracting in
    # zeimu only; 架空ビジネスサポート株式会社 only in the 全項目 juki
    midori_service = by_name["株式会社みどり情報サービス"]
    assert (midori_service["files"], midori_service["subcontractedEntrustments"], midori_service["bodyNames"]) == ("4", "4", MIDORI)
    kaku = [r for name, r in by_name.items() if name.startswith("架空システム株式会社")]
    assert [(r["files"], r["subcontractedEntrustments"]) for r in kaku] == [("3", "1")]
    assert (by_name["架空ビジネスサポート株式会社"]["files"], by_name["株式会社架空データセンター"]["files"]) == ("1", "2")
    # seed 002: both 熊本市 contractors 再委託する
    assert int(by_name["日本電気株式会社"]["subcontractedEntrustments"]) >= 1 and "熊本市長" in by_name["日本電気株式会社"]["bodyNames"]
    assert [r["subcontractedEntrustments"] for n, r in by_name.items() if n.startswith("富士通Japan株式会社")] == ["1"]
    files = [int(r["files"]) for r in ranked]
    assert files == sorted(files, reverse=True)


def test_intermediate_server_affairs(corpus):
    found = rows(corpus, "intermediate-server-affairs")
    affairs = {(r["body"], r["affair"]) for r in found}
    # 中間サーバー (seeds 000, 002), 中間サーバ (seed 003, sample kokuho): one canonical system
    assert {(TAKAOKA, KOUKI), (TAKAOKA, KOKUHO), ("熊本市長", KOUKI), ("奈良市長", "ひとり親家庭等医療費の助成に関する事務"),
            (MIDORI, KOUKI), (MIDORI, KAIGO), (MIDORI, KOKUHO), (MIDORI, JIDOU)} <= affairs
    assert where(found, body=MIDORI, affair=KOKUHO)[0]["system"] == "中間サーバ"
    takaoka = where(found, body=TAKAOKA, affair=KOUKI)
    assert len(takaoka) == 1  # not twice: the older version is not current
    assert takaoka[0]["networkLinkage"] == "実施する"
    assert takaoka[0]["linkageBasis"].startswith("番号法第19条第8号")
    # samples README: jidou (平成31年) still cites 番号法第19条第7号 別表第二
    assert where(found, body=MIDORI, affair=JIDOU)[0]["linkageBasis"].startswith("番号法第19条第7号")


def test_provisions_without_article19(corpus):
    found = {(r["body"], r["affair"], r.get("recipient"), r.get("legalBasis")) for r in rows(corpus, "provisions-without-article19")}
    assert (TAKAOKA, KOUKI, "厚生労働大臣又は共済組合等", "高齢者の医療の確保に関する法律第110条") in found
    assert (MIDORI, KOUKI, "架空県後期高齢者医療広域連合", "高齢者の医療の確保に関する法律第48条及び第138条") in found
    assert (MIDORI, KOKUHO, "架空県後期高齢者医療広域連合", "高齢者の医療の確保に関する法律第138条") in found
    # 第19条第8号 (kaigo, kokuho 提供先1), 第7号 and 第9号 (jidou) are items of Article 19
    recipients = {(body, affair, recipient) for body, affair, recipient, _ in found}
    for provision in [(MIDORI, KAIGO, "厚生労働大臣"), (MIDORI, KAIGO, "市町村長"), (MIDORI, KOKUHO, "都道府県知事等"),
                      (MIDORI, JIDOU, "市町村長"), (MIDORI, JIDOU, "みどり市教育委員会"), (MIDORI, ZEIMU, "他市区町村長")]:
        assert provision not in recipients
    # the 全項目 juki provides under 番号法第8条 and the 住基法 (samples README: 機構, 他市区町村長, 架空県知事)
    assert (MIDORI, JUKI, "架空県知事", "住基法第30条の6第1項") in found


def test_reports_older_than_5_years(corpus):
    found = rows(corpus, "reports-older-than-5-years")
    today = dt.date.today()
    cutoff = today.replace(year=today.year - 5) if not (today.month == 2 and today.day == 29) else today.replace(year=today.year - 5, day=28)
    # samples README: jidou, 平成31年3月1日, is the only sample older than five years
    assert where(found, body=MIDORI, affair=JIDOU, publishedOn="2019-03-01")
    assert all(dt.date.fromisoformat(r["publishedOn"]) <= cutoff for r in found)
    # the 令和3年 version of 高岡市長's report is old, but not current
    assert not where(found, body=TAKAOKA)


def test_risks_with_remaining_issues(corpus):
    # national listings come report after report (their summaries' order), not sorted by 事務 (docs/queries.md)
    found = sorted(rows(corpus, "risks-with-remaining-issues"), key=lambda r: (r["body"], r["affair"], r.get("file") or "~"))
    # samples README: kaigo III-5 (提供・移転) and zeimu (2) III-2 リスク4 (全項目, per file); the derived newer
    # 基礎 of kouki rates IV-7 保管・消去 for the whole 事務 (no file)
    assert [(r["body"], r["affair"], r.get("file"), r["riskArea"]) for r in found] == [
        (MIDORI, KAIGO, "介護保険情報ファイル", "提供・移転"), (MIDORI, ZEIMU, "課税資料ファイル", "入手"),
        (MIDORI, KOUKI, None, "保管・消去")]
    assert "不正な提供・移転" in found[0]["risk"] and found[1]["risk"].startswith("リスク4:")


def test_change_history(corpus):
    history = rows(corpus, "change-history", body=MIDORI, assessmentNumber="2") + rows(
        corpus, "change-history", body=TAKAOKA, assessmentNumber="15")
    # samples README: kaigo has four 別添2 rows, 事後, 事後, 事前, 事前
    kaigo = where(history, body=MIDORI, affair=KAIGO)
    assert Counter(r["timing"] for r in kaigo) == Counter({"事後": 2, "事前": 2})
    # seed 000: 令和6年5月27日 提供先1 ①法令上の根拠, 番号法第19条第8号及び別表第二 83の項 → 高齢者の医療の確保に関する法律第110条
    row = where(history, body=TAKAOKA, assessmentNumber="15", changeDate="2024-05-27",
                before="番号法第19条第8号及び別表第二 83の項", after="高齢者の医療の確保に関する法律第110条")
    assert len(row) == 1 and row[0]["timing"] == "事後"  # two versions stored, the row listed once
    assert where(history, body=TAKAOKA, assessmentNumber="15", changeDate="2015-07-01")  # the first row of 別添2
    assert {(r["body"], r["assessmentNumber"]) for r in history} == {(MIDORI, "2"), (TAKAOKA, "15")}
    # 事務 5: the 基礎's 変更箇所 (3 rows, all 事後) and the 全項目's 別添3 (事後, 事後, 事前, 事後)
    juki = rows(corpus, "change-history", body=MIDORI, assessmentNumber="5")
    assert Counter(r["timing"] for r in juki) == Counter({"事後": 6, "事前": 1})


def test_changes_since_previous_version(corpus):
    found = rows(corpus, "changes-since-previous-version")
    # 高岡市長 15 has two versions: 令和3年6月1日 and 令和7年8月13日; rows after 2021-06-01 are listed; and so
    # has the 基礎 of みどり市 1 (令和7年2月14日 and the derived 令和7年6月30日), whose new row is 令和7年6月1日
    assert {(r["body"], r["assessmentNumber"], r["previousDate"], r["currentDate"]) for r in found} == {
        (TAKAOKA, "15", "2021-06-01", "2025-08-13"), (MIDORI, "1", "2025-02-14", "2025-06-30")}
    midori = where(found, body=MIDORI)
    assert [(r["changeDate"], r["before"], r["after"]) for r in midori] == [("2025-06-01", "十分である", "課題が残されている")]
    found = where(found, body=TAKAOKA)
    dates = {r["changeDate"] for r in found}
    assert {"2022-03-01", "2024-05-27", "2025-08-01"} <= dates  # seed 000, 別添2 (令和4年3月1日 …)
    assert min(dates) > "2021-06-01"  # 令和1年5月21日 and older rows predate the previous version


def test_files_with_personal_number(corpus):
    files = {(r["body"], r["affair"], r["file"]) for r in rows(corpus, "files-with-personal-number")}
    # explicit ticks: seed 000 [<input checked …>] 個人番号, the samples' [○] / checked boxes
    assert (TAKAOKA, KOUKI, "後期高齢者医療情報ファイル") in files
    assert (MIDORI, KOUKI, "後期高齢者医療関連情報ファイル") in files
    assert (MIDORI, KOKUHO, "国民健康保険情報ファイル") in files
    # the 全項目 samples tick 個人番号 in every file; a 基礎 has no 主な記録項目 (no file overview)
    assert (MIDORI, ZEIMU, "課税資料ファイル") in files and (MIDORI, JUKI, "本人確認情報ファイル") in files
    assert {affair for body, affair, _ in files if body == MIDORI} == {KOUKI, KAIGO, KOKUHO, JIDOU, JUKI, ZEIMU}


def test_departments_receiving_transfers(corpus):
    found = rows(corpus, "departments-receiving-transfers")
    # seed 000 and its derived 国保 report both transfer to 高齢介護課 and 保険年金課
    takaoka = {(r["department"], r["affairs"]) for r in where(found, body=TAKAOKA)}
    assert takaoka == {("福祉保健部 高齢介護課", "2"), ("福祉保健部 保険年金課", "2")}
    assert set(where(found, body=TAKAOKA)[0]["fromAffairs"].split("、")) == {KOUKI, KOKUHO}
    # 富山県後期高齢者医療広域連合 (移転先3) is another body, not a department
    assert not [r for r in found if r["department"] == "富山県後期高齢者医療広域連合"]
    # samples README: the 全項目 juki and zeimu transfer to the departments of the 様式3 事務; 税務課 receives from
    # jidou (様式3) and juki (様式4)
    midori = {r["department"]: set(r["fromAffairs"].split("、")) for r in where(found, body=MIDORI)}
    assert midori["市民生活部 税務課"] == {JIDOU, JUKI}
    assert midori["こども未来部 子育て支援課"] == {KOKUHO, JUKI, ZEIMU}


def test_stated_count_mismatches(corpus):
    found = rows(corpus, "stated-count-mismatches")
    # seed 002: 委託の有無 … (1) 件, but 委託事項1 and 委託事項2 are written out
    assert where(found, body="熊本市長", kind="委託", stated="1", listed="2")
    # seed 004: 委託する ( 1 ) 件, but no 委託事項 in the text; seed 003: 移転を行っている () 件 with 移転先1 障がい福祉課
    assert where(found, body="金沢市長", kind="委託", stated="1", listed="0")
    nara = where(found, body="奈良市長", kind="移転")
    assert len(nara) == 1 and "stated" not in nara[0] and nara[0]["listed"] == "1"
    # samples README: every stated count equals the entries; seed 000: 提供 (1), 移転 (3), 委託 (1) all match
    assert not where(found, body=MIDORI) and not where(found, body=TAKAOKA)


def test_report_gaps(corpus):
    found = rows(corpus, "report-gaps")
    # DOMAIN: seed 003 lacks システム1–2 in I-2
    nara = {r["item"] for r in where(found, body="奈良市長")}
    assert {"I-2 システム1", "I-2 システム2"} <= nara
    assert not where(found, body=MIDORI)  # the samples are complete


def test_report_versions(corpus):
    found = rows(corpus, "report-versions")
    takaoka = sorted((r["publishedOn"], r["current"]) for r in where(found, body=TAKAOKA, assessmentNumber="15"))
    assert takaoka == [("2021-06-01", "false"), ("2025-08-13", "true")]
    assert len(found) == len({entry.graph for entry in corpus.summary.loaded})  # one row per version
    jidou = where(found, body=MIDORI, affair=JIDOU)[0]
    assert jidou["loadedAt"] and jidou["source"] == "midori_jidou.txt"
    assert (jidou["assessmentNumber"], jidou["publishedOn"], jidou["current"], jidou["files"]) == ("4", "2019-03-01", "true", "1")
    # a 基礎 and its 重点 share body, number and 公表日, but not their series: the derived newer 基礎 of kouki
    # makes the sample 基礎 an old version and leaves the 重点 current
    kouki = sorted((r["form"], r["publishedOn"], r["current"]) for r in where(found, body=MIDORI, assessmentNumber="1"))
    assert kouki == [("基礎項目評価書", "2025-02-14", "false"), ("基礎項目評価書", "2025-06-30", "true"),
                     ("重点項目評価書", "2025-02-14", "true")]


def test_report_history(corpus):
    found = where(rows(corpus, "report-history", body=TAKAOKA), assessmentNumber="15")
    statuses = sorted((r["publishedOn"], r["status"], r["source"]) for r in found)
    assert statuses == [("2021-06-01", "旧版", OLD_VERSION_FILE),
                        ("2025-08-13", "現行版", "000_9faffa5d1775a5db.txt"),
                        ("2025-08-13", "置き換え前", ALTERED_FILE)]
    superseded = where(found, status="置き換え前")[0]
    assert superseded["supersededAt"] >= superseded["loadedAt"]
    assert ALTERED_CONTRACTOR in str(corpus.store.query(
        "SELECT ?l WHERE { GRAPH <%s> { ?c a <https://w3id.org/piagraph/ns#Contractor> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }" % superseded["graph"]).rows)


def test_affairs_by_shared_system(corpus):
    shared = {r["sharedSystem"]: r for r in rows(corpus, "affairs-by-shared-system")}
    bodies = set(shared["中間サーバー"]["bodyNames"].split("、"))
    assert {TAKAOKA, "熊本市長", "奈良市長", MIDORI} <= bodies
    # the 基礎 (systems named in one row) and the 全項目 of 住民基本台帳 both use the 中間サーバー
    middle = rows(corpus, "affairs-by-shared-system", body=MIDORI)
    assert int(next(r for r in middle if r["sharedSystem"] == "中間サーバー")["affairs"]) == 8  # one per current report
    # samples README: kokuho uses 国保総合システム; seed 000 and kouki the 標準システム of the 広域連合
    assert MIDORI in shared["国保総合システム"]["bodyNames"]
    assert {TAKAOKA, MIDORI} <= set(shared["後期高齢者医療広域連合電算処理システム"]["bodyNames"].split("、"))


def test_number_use_bases(corpus):
    bases = {(r["body"], r["affair"]): r for r in rows(corpus, "number-use-bases")}
    assert bases[(TAKAOKA, KOUKI)]["numberUseBasis"] == "番号法第9条第1項及び別表の第85項"  # seed 000, I-4
    assert "別表の第85項" in bases[(TAKAOKA, KOUKI)]["citations"]
    assert bases[(MIDORI, JIDOU)]["numberUseBasis"] == "番号法第9条第1項 別表第一 56の項"  # old numbering
    assert bases[(MIDORI, KAIGO)]["numberUseBasis"] == "番号法第9条第1項及び別表の第100項"
    assert bases[("金沢市長", "健康増進事業(住民検診)の実施に関する事務")]["numberUseBasis"] == "番号法第9条第1項 別表第111項"
    assert bases[(MIDORI, ZEIMU)]["numberUseBasis"] == "番号法第9条第1項及び別表の第24項"  # 全項目 I-5


def test_subcontracting(corpus):
    found = {(r["body"], r["affair"], r.get("contractor", "")) for r in rows(corpus, "subcontracting")}
    assert (MIDORI, KOUKI, "株式会社みどり情報サービス") in found
    assert (MIDORI, KOKUHO, "株式会社みどり情報サービス") in found
    # seed 002: both 熊本市 contractors 再委託する, named as the report writes them (branch included;
    # contractors-ranked groups them by company)
    assert ("熊本市長", KOUKI, "日本電気株式会社 九州支社") in found
    assert ("熊本市長", KOUKI, "富士通Japan株式会社 九州南部公共ビジネス部") in found
    assert not [f for f in found if f[0] == TAKAOKA]  # seed 000: 再委託しない
    # the 全項目 samples: ⑦再委託の有無 (④ in 様式3), read by label
    assert (MIDORI, JUKI, "株式会社みどり情報サービス") in found
    assert (MIDORI, ZEIMU, "架空システム株式会社 みどり支社") in found and (MIDORI, ZEIMU, "株式会社みどり情報サービス") in found


def test_provision_recipients(corpus):
    recipients = {r["recipient"]: r for r in rows(corpus, "provision-recipients")}
    union = recipients["架空県後期高齢者医療広域連合"]
    assert (union["bodies"], union["provisions"]) == ("1", "2")  # kouki and kokuho
    assert set(union["providers"].split("、")) == {f"{MIDORI} {KOUKI}", f"{MIDORI} {KOKUHO}"}
    assert {f"{MIDORI} {KAIGO}", f"{MIDORI} {JIDOU}"} <= set(recipients["市町村長"]["providers"].split("、"))
    assert recipients["厚生労働大臣又は共済組合等"]["provisions"] == "2"  # seed 000 and its derived 国保 report
    assert set(recipients["他市区町村長"]["providers"].split("、")) == {f"{MIDORI} {JUKI}", f"{MIDORI} {ZEIMU}"}


def test_uncertain_values(corpus):
    found = rows(corpus, "uncertain-values")
    assert rows(corpus, "uncertain-values", body=TAKAOKA) == where(found, body=TAKAOKA)
    # seed 000, II-5: 提供方法 and 移転方法 of 提供先1 / 移転先1 are bare <input type="radio"/> marks
    sections = {r["section"] for r in where(found, body=TAKAOKA)}
    assert {"II-5 提供先1", "II-5 移転先1"} <= sections
    assert all(float(r["confidence"]) < 1 for r in found)
    assert not where(found, body=MIDORI)  # samples README: every mark is unambiguous


def test_parameters_are_declared_and_bound():
    flows = load_query("affair-data-flows")
    assert [(p.name, p.kind) for p in flows.params] == [("body", "ja"), ("affair", "ja")]
    bound = flows.bind({"body": '高岡市長 "x"'})
    assert 'VALUES ?body { "高岡市長 \\"x\\""@ja }' in bound and "VALUES ?affair { UNDEF }" in bound
    with pytest.raises(QueryParameterError, match="no parameter 'town'"):
        flows.bind({"town": "高岡市"})
    assert load_query("change-history").bind({"assessmentNumber": "15"}).count('VALUES ?assessmentNumber { "15" }') == 1


def test_every_saved_query_has_a_test():
    tested = {name[len("test_"):].replace("_", "-") for name in globals() if name.startswith("test_")}
    missing = [q.name for q in list_queries() if q.name not in tested]
    assert not missing, f"saved queries without a test: {missing}"


def test_affair_reports(corpus):
    found = rows(corpus, "affair-reports", body=MIDORI)
    by_number = {}
    for row in found:
        by_number.setdefault(row["assessmentNumber"], set()).add(row["form"])
    # samples README: kouki (1) and juki (5) have their 基礎 beside the 重点 / 全項目; zeimu (6) has no 基礎
    assert by_number["1"] == {"基礎項目評価書", "重点項目評価書"}
    assert by_number["5"] == {"基礎項目評価書", "全項目評価書"} and by_number["6"] == {"全項目評価書"}
    kiso = where(found, assessmentNumber="5", form="基礎項目評価書")[0]
    assert kiso["thresholdResult"] == "基礎項目評価及び全項目評価の実施が義務付けられる"
    assert where(found, assessmentNumber="1", form="基礎項目評価書")[0]["publishedOn"] == "2025-06-30"  # current only


def test_a_parsers_syntax_error_position_is_read():
    from piagraph.sparql.text import syntax_error_position

    assert syntax_error_position("error at 3:17: expected one of ABS, AVG, DAY") == (3, 17)
    assert syntax_error_position("Encountered \" \")\" \") \"\" at line 2, column 9.") == (2, 9)
    assert syntax_error_position("the store is gone") is None
