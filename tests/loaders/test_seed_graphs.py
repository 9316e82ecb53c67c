"""What a reader of each tidy seed report sees, asserted on the graph piagraph builds.

The expected values were written by reading the reports in ../shared/seeds, not from the code's
output: e.g. seed 000 (高岡市) has three 移転先 and the third is 富山県後期高齢者医療広域連合.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ontology import sparql_prefixes
from tests.conftest import load_seed

PREFIXES = sparql_prefixes()


def rows(number: str, query: str) -> list[tuple]:
    graph = load_seed(number).graph
    return [tuple(None if v is None else v.toPython() for v in row) for row in graph.query(PREFIXES + query)]


def values(number: str, query: str) -> list:
    return [row[0] for row in rows(number, query)]


def cover(number: str) -> tuple:
    return rows(number, """
        SELECT ?body ?date ?no ?affair WHERE {
          ?a a pia:Assessment ; pia:assessor/rdfs:label ?body ; pia:publishedOn ?date ;
             pia:assessmentNumber ?no ; pia:covers/rdfs:label ?affair }""")[0]


def systems(number: str) -> dict[int, str]:
    return dict(rows(number, "SELECT ?n ?name WHERE { ?s a pia:System ; pia:systemNumber ?n ; rdfs:label ?name }"))


def connections(number: str, system: int) -> set[str]:
    return set(values(number, f"""
        SELECT ?label WHERE {{ ?s pia:systemNumber {system} ; pia:connectsTo ?c .
          ?c rdfs:label ?label FILTER(lang(?label) = "ja") }}""")
        + values(number, f"SELECT ?d WHERE {{ ?s pia:systemNumber {system} ; pia:connectionDetail ?d }}"))


def flows(number: str, cls: str) -> list[tuple]:
    """(N, recipient or contractor as written, legal basis, methods, frequency) of each flow, by N."""
    found = rows(number, f"""
        SELECT ?f ?n ?who ?basis ?freq WHERE {{
          ?f a pia:{cls} ; pia:flowNumber ?n .
          OPTIONAL {{ ?f pia:recipient/rdfs:label ?r }}
          OPTIONAL {{ ?f pia:contractorNameAsWritten ?c }}
          BIND(COALESCE(?r, ?c) AS ?who)
          OPTIONAL {{ ?f pia:legalBasis/rdfs:label ?basis }}
          OPTIONAL {{ ?f pia:frequency ?freq }}
        }} ORDER BY ?n""")
    result = []
    for flow, n, who, basis, frequency in found:
        methods = values(number, f"SELECT ?m WHERE {{ <{flow}> pia:method/rdfs:label ?m }} ORDER BY ?m")
        result.append((n, who, basis, "|".join(methods), frequency))
    return result


def stated_counts(number: str) -> tuple:
    return rows(number, """
        SELECT ?e ?p ?t WHERE { ?f a pia:PersonalInfoFile .
          OPTIONAL { ?f pia:statedEntrustmentCount ?e } OPTIONAL { ?f pia:statedProvisionCount ?p }
          OPTIONAL { ?f pia:statedTransferCount ?t } }""")[0]


def ratings(number: str) -> list[str]:
    return values(number, """SELECT ?r WHERE { ?m a pia:RiskMeasure ; rdfs:label ?l ; pia:adequacy ?r
                              FILTER(STRSTARTS(?l, "リスク")) }""")


def change_count(number: str) -> int:
    return len(values(number, "SELECT ?c WHERE { ?a pia:hasChange ?c }"))


def gaps(number: str) -> set[str]:
    return set(values(number, "SELECT ?item WHERE { ?a pia:hasGap/pia:gapItem ?item }"))


# -- 000 高岡市 後期高齢者医療 (tab rows + HTML) ------------------------------------------------------

def test_000_cover():
    assert cover("000") == ("高岡市長", dt.date(2025, 8, 13), "15", "後期高齢者医療に関する事務")


def test_000_systems_and_ticked_connections():
    assert systems("000") == {
        1: "後期高齢者医療システム",
        2: "宛名管理システム",
        3: "後期高齢者医療広域連合電算処理システム(以下、標準システム)",
        4: "中間サーバー",
        5: "統合宛名(連携)システム",
    }
    assert connections("000", 1) == {"宛名システム等"}
    assert connections("000", 4) == {"情報提供ネットワークシステム", "後期高齢者医療システム"}
    assert connections("000", 5) == {"既存住民基本台帳システム", "宛名システム等", "税務システム",
                                     "後期高齢者医療システム"}


def test_000_file_and_entrustment():
    assert values("000", "SELECT ?n WHERE { ?f a pia:PersonalInfoFile ; rdfs:label ?n }") == ["後期高齢者医療情報ファイル"]
    entrustments = rows("000", """SELECT ?title ?company ?sub WHERE { ?e a pia:Entrustment ;
        pia:entrustmentTitle ?title ; pia:contractor/rdfs:label ?company ; pia:subcontracting ?sub }""")
    assert entrustments == [("後期高齢者医療システムにかかる運用、保守", "株式会社インテック", False)]


def test_000_provision_to_the_minister_by_dedicated_line_monthly():
    assert flows("000", "Provision") == [
        (1, "厚生労働大臣又は共済組合等", "高齢者の医療の確保に関する法律第110条", "専用線", "月次")]


def test_000_three_transfers_the_third_to_the_kouiki_rengo():
    transfers = flows("000", "Transfer")
    assert [t[1] for t in transfers] == ["福祉保健部 高齢介護課", "福祉保健部 保険年金課", "富山県後期高齢者医療広域連合"]
    assert transfers[0][2] == "番号法第9条第1項及び別表の第100項"
    assert transfers[0][3] == "電子記録媒体(フラッシュメモリを除く。)"
    assert transfers[1][2] == "番号法第9条第1項及び別表の第44項"
    assert set(transfers[2][3].split("|")) == {"専用線", "電子記録媒体(フラッシュメモリを除く。)"}
    assert [t[4] for t in transfers] == ["日次", "日次", "日次"]


def test_000_bare_radio_marks_are_read_as_ticked_but_marked_uncertain():
    confidence = values("000", "SELECT ?c WHERE { ?f a pia:Provision ; pia:confidence ?c }")
    assert len(confidence) == 1 and confidence[0] < 1


def test_000_counts_ratings_changes():
    assert stated_counts("000") == (1, 1, 3)
    assert ratings("000") == ["十分である"] * 7
    assert change_count("000") == 71


def test_000_network_linkage_cites_article_19_item_8():
    assert values("000", "SELECT ?v WHERE { ?a pia:networkLinkage ?v }") == ["実施する"]
    items = rows("000", """SELECT ?law ?article ?item WHERE { ?a pia:linkageBasis/pia:citation ?c .
        ?c pia:law ?law ; pia:article ?article ; pia:item ?item }""")
    assert ("番号法", 19, 8) in items


# -- 002 熊本市 後期高齢者医療 (tab rows + HTML, split rows) -------------------------------------------

def test_002_cover():
    assert cover("002") == ("熊本市長", dt.date(2025, 4, 25), "21", "後期高齢者医療に関する事務")


def test_002_systems_with_system_2_missing_from_the_text():
    assert systems("002") == {1: "後期高齢者医療保険料徴収システム(以下、「徴収システム」という。)",
                              3: "庁内連携システム", 4: "中間サーバー"}
    assert "I-2 システム2" in gaps("002")
    assert connections("002", 4) == {"情報提供ネットワークシステム", "住民基本台帳ネットワークシステム", "宛名システム等"}


def test_002_two_entrustments_both_subcontracting_although_one_is_stated():
    entrustments = rows("002", """SELECT ?n ?company ?branch ?sub WHERE { ?e a pia:Entrustment ;
        pia:flowNumber ?n ; pia:contractor/rdfs:label ?company ; pia:contractorBranch ?branch ;
        pia:subcontracting ?sub } ORDER BY ?n""")
    assert entrustments == [(1, "富士通Japan株式会社", "九州南部公共ビジネス部", True),
                            (2, "日本電気株式会社", "九州支社", True)]
    assert stated_counts("002")[0] == 1


def test_002_transfers_and_no_provision():
    assert flows("002", "Provision") == []
    transfers = flows("002", "Transfer")
    assert [(t[0], t[1], t[3]) for t in transfers] == [
        (1, "熊本県後期高齢者医療広域連合", "専用線"), (2, "財政局 税務部 市民税課", "庁内連携システム")]
    assert transfers[1][2] == "熊本市個人番号の利用及び特定個人情報の提供に関する条例"
    assert transfers[1][4] == "年に1回"
    assert stated_counts("002")[2] == 2


def test_002_ratings_and_changes():
    assert ratings("002") == ["十分である"] * 5
    assert change_count("002") == 71


def test_002_a_change_row_without_its_own_date_is_a_row():
    """別添2 L463: the row changing I-5 ②法令上の根拠 (番号法第19条第8号 別表第二 … → 番号法第19条第8号,
    事後) has an empty 変更日 cell; it is its own change, its date unknown, not part of the row before."""
    found = rows("002", """SELECT ?item ?after ?timing ?date ?line WHERE { ?c a pia:Change ; pia:changedItem ?item ;
        pia:valueAfter ?after ; pia:submissionTiming ?timing ; pia:sourceLine ?line .
        OPTIONAL { ?c pia:changeDate ?date } FILTER(?line = 463) }""")
    assert found == [("I 5 2法令上の根拠", "番号法第19条第8号", "事後", None, 463)]
    before = rows("002", """SELECT ?explanation WHERE { ?c a pia:Change ; pia:sourceLine 461 ;
        pia:explanation ?explanation }""")
    assert "法令上の根拠" not in before[0][0]


# -- 003 奈良市 ひとり親家庭等医療費助成 (システム1–2 lost) ----------------------------------------------

def test_003_cover():
    assert cover("003") == ("奈良市長", dt.date(2024, 3, 1), "28", "ひとり親家庭等医療費の助成に関する事務")


def test_003_missing_systems_1_and_2_stay_missing():
    assert systems("003") == {3: "中間サーバ", 4: "共通基盤システム", 5: "サービス検索・電子申請機能",
                              6: "奈良電子自治体共同運営システム"}
    assert {"I-2 システム1", "I-2 システム2"} <= gaps("003")


def test_003_entrustment_and_transfer():
    entrustments = rows("003", """SELECT ?title ?company ?sub WHERE { ?e a pia:Entrustment ;
        pia:entrustmentTitle ?title ; pia:contractor/rdfs:label ?company ; pia:subcontracting ?sub }""")
    assert entrustments == [("福祉情報システムの運用・保守業務", "株式会社アイネス", False)]
    transfers = flows("003", "Transfer")
    assert [(t[0], t[1], t[3], t[4]) for t in transfers] == [(1, "障がい福祉課", "庁内連携システム", "業務の中で必要な都度")]


def test_003_ratings_and_no_change_history():
    assert ratings("003") == ["十分である"] * 8
    assert change_count("003") == 0


# -- 004 金沢市 健康増進事業 (markdown headings; 委託 details lost) ---------------------------------------

def test_004_cover():
    assert cover("004") == ("金沢市長", dt.date(2025, 1, 14), "19", "健康増進事業(住民検診)の実施に関する事務")


def test_004_systems_and_connections():
    assert systems("004") == {1: "健康情報システム", 2: "既存住民基本台帳システム", 3: "税務システム", 4: "番号連携システム"}
    assert connections("004", 1) == {"既存住民基本台帳システム", "宛名システム等", "申請管理システム"}
    assert connections("004", 3) == {"既存住民基本台帳システム", "宛名システム等", "市税滞納管理システム"}


def test_004_entrustment_stated_but_its_details_are_recorded_as_missing():
    assert stated_counts("004")[0] == 1
    assert values("004", "SELECT ?e WHERE { ?e a pia:Entrustment }") == []
    assert "II-4 住民検診ファイル 委託事項" in gaps("004")


def test_004_ratings_and_changes():
    assert ratings("004") == ["十分である"] * 8
    assert change_count("004") == 45


# -- across the seeds --------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["000", "002", "003", "004"])
def test_every_extracted_node_carries_its_evidence(number):
    missing = values(number, """SELECT ?s WHERE { ?s a ?type .
        FILTER NOT EXISTS { ?s pia:sourceSection ?sec ; pia:sourceLine ?line } }""")
    assert missing == []


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_value_carries_its_own_evidence(number):
    """Every literal a reader took from the text (and every named thing it links to) has a
    pia:ValueEvidence naming its own line; the only literals without are the file's provenance."""
    unexplained = values(number, """SELECT DISTINCT ?p WHERE { ?s ?p ?o . FILTER(isLiteral(?o))
        FILTER NOT EXISTS { ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pia:valueLine ?line }
        FILTER NOT EXISTS { ?s pia:valueLine ?own } FILTER NOT EXISTS { ?s a pia:CheckboxReading }
        FILTER NOT EXISTS { ?s a pia:Citation } }""")
    provenance = {"sourceSection", "sourceLine", "sourceFile", "sourceEncoding", "sourceShape", "confidence",
                  "systemNumber", "flowNumber", "hasOverviewBlock", "hasRiskBlock", "gapItem", "gapReason",
                  "readingNote", "riskArea", "label"}
    assert {str(p).rsplit("#", 1)[-1] for p in unexplained} <= provenance
    labels = values(number, """SELECT ?s WHERE { ?s rdfs:label ?l ; pia:sourceLine ?line .
        FILTER NOT EXISTS { ?e rdf:subject ?s ; rdf:predicate rdfs:label ; pia:valueLine ?v } }""")
    assert labels == []


@pytest.mark.parametrize("number", ["000", "002", "003", "004"])
def test_evidence_lines_point_at_the_value_in_the_source(number):
    """The line a flow's evidence names contains the recipient as written."""
    from tests.conftest import seed_path

    lines = seed_path(number).read_text(encoding="utf-8").split("\n")
    for line, name in rows(number, """SELECT ?line ?name WHERE {
            ?f a ?c ; pia:sourceLine ?line ; pia:recipient/rdfs:label ?name
            VALUES ?c { pia:Provision pia:Transfer } }"""):
        assert name.split()[0] in lines[line - 1]


def test_local_spellings_resolve_to_one_canonical_intermediate_server():
    canonical = {number: values(number, """SELECT ?c WHERE { ?s rdfs:label ?l ; pia:canonicalSystem ?c
                                           FILTER(STRSTARTS(?l, "中間サーバ")) }""") for number in ("000", "003")}
    assert canonical["000"] == canonical["003"] == ["https://w3id.org/piagraph/vocab/system/intermediate-server"]


def test_one_company_across_reports_whatever_the_branch():
    """日本電気株式会社 九州支社 (002) is the company 日本電気株式会社, the node 001 will link to as well."""
    from loaders.resolve import contractor_iri

    nec = values("002", "SELECT ?c WHERE { ?e pia:contractorBranch \"九州支社\" ; pia:contractor ?c }")
    assert nec == [str(contractor_iri("日本電気株式会社"))]
