"""Reading 全項目評価書 (様式4) and 基礎項目評価書 (様式2) in tidy text: the facts their text says.

Every expected value is read from the sample text (samples/midori_*_zenkoumoku.txt and
samples/midori_*_kiso.txt; samples/README.md tabulates them): the fields 様式4 shares with 様式3 land
in the same core terms, the rows only 様式4 or 様式2 has in their own terms.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ontology import sparql_prefixes
from tests.conftest import load_sample

PIA = sparql_prefixes()
JUKI = "midori_juki_zenkoumoku.txt"  # HTML shape
ZEIMU = "midori_zeimu_zenkoumoku.txt"  # markdown shape
KOUKI_KISO = "midori_kouki_kiso.txt"  # HTML shape
JUKI_KISO = "midori_juki_kiso.txt"  # markdown shape
METHOD = "https://w3id.org/piagraph/vocab/method/"


def select(name: str, query: str) -> list[tuple]:
    return sorted(tuple(v.toPython() if v is not None else None for v in row)
                  for row in load_sample(name).graph.query(PIA + query))


def values(name: str, query: str) -> list:
    return [row[0] for row in select(name, query)]


# -- 様式4: the fields it shares with 様式3 ------------------------------------------------------------


@pytest.mark.parametrize("name,affair,department,population,files", [
    (JUKI, "住民基本台帳に関する事務", "市民生活部 市民課", "30万人以上", ["住民基本台帳ファイル", "本人確認情報ファイル"]),
    (ZEIMU, "個人住民税の賦課に関する事務", "市民生活部 税務課", "30万人以上", ["個人住民税課税台帳ファイル", "課税資料ファイル"]),
])
def test_full_assessment_basic_information(name, affair, department, population, files):
    assert select(name, """SELECT ?affair ?dept ?band ?linkage WHERE { ?a pia:covers ?x . ?x rdfs:label ?affair ;
        pia:responsibleDepartment/rdfs:label ?dept ; pia:populationBand/rdfs:label ?band ; pia:networkLinkage ?linkage .
        FILTER(LANG(?band) = "ja") }""") == [(affair, department, population, "実施する")]
    assert values(name, "SELECT ?f WHERE { ?x pia:hasFile/rdfs:label ?f }") == sorted(files)


def test_full_assessment_systems_and_the_intermediate_server():
    assert values(ZEIMU, "SELECT ?s WHERE { ?x pia:usesSystem/rdfs:label ?s }") == sorted([
        "税務システム(個人住民税)", "地方税ポータルシステム(eLTAX)", "庁内連携システム", "団体内統合宛名システム", "中間サーバー"])
    assert select(JUKI, """SELECT ?s WHERE { ?x pia:usesSystem ?s . ?s pia:canonicalSystem
        <https://w3id.org/piagraph/vocab/system/intermediate-server> ; pia:connectsTo
        <https://w3id.org/piagraph/vocab/system/info-network> }""") != []


def test_full_assessment_legal_bases():
    assert values(ZEIMU, "SELECT ?b WHERE { ?x pia:numberUseBasis/rdfs:label ?b }") == ["番号法第9条第1項及び別表の第24項"]
    assert 7 in values(JUKI, "SELECT ?n WHERE { ?x pia:numberUseBasis/pia:citation/pia:article ?n }")  # 番号法第7条


@pytest.mark.parametrize("name,contractors", [
    (JUKI, [("株式会社みどり情報サービス", True), ("架空ビジネスサポート株式会社", False)]),
    (ZEIMU, [("架空システム株式会社", True), ("株式会社架空データセンター", False), ("株式会社みどり情報サービス", True)]),
])
def test_full_assessment_contractors_by_their_sixth_row(name, contractors):
    # ⑥委託先名 and ⑦再委託の有無 in 様式4 (③ and ④ in 様式3): read by label, not by number
    found = select(name, """SELECT ?c ?sub WHERE { ?e a pia:Entrustment ; pia:contractor/rdfs:label ?c ;
        pia:subcontracting ?sub }""")
    assert found == sorted(contractors)


def test_a_file_that_entrusts_nothing_has_no_entrustment_even_with_an_empty_block():
    assert select(JUKI, """SELECT ?f ?choice WHERE { ?file rdfs:label ?f ; pia:entrustmentChoice ?choice }""") == [
        ("住民基本台帳ファイル", "委託する"), ("本人確認情報ファイル", "委託しない")]
    assert values(JUKI, """SELECT ?e WHERE { ?e a pia:Entrustment ; pia:ofFile/rdfs:label "本人確認情報ファイル"@ja }""") == []


def test_full_assessment_provisions_and_their_methods():
    assert select(JUKI, """SELECT ?n ?to ?m WHERE { ?p a pia:Provision ; pia:flowNumber ?n ; pia:recipient/rdfs:label ?to ;
        pia:method/rdfs:label ?m ; pia:ofFile/rdfs:label "住民基本台帳ファイル"@ja FILTER(LANG(?m) = "ja") }""") == [
        (1, "主務省令第2条の表の第1欄に掲げる情報照会者", "情報提供ネットワークシステム"),
        (2, "地方公共団体情報システム機構", "専用線"), (3, "他市区町村長", "その他")]
    assert select(JUKI, """SELECT ?to WHERE { ?p a pia:Provision ; pia:recipient/rdfs:label ?to ;
        pia:ofFile/rdfs:label "本人確認情報ファイル"@ja }""") == [("架空県知事",)]


def test_empty_blocks_of_a_file_that_provides_nothing_are_not_entries():
    # zeimu (2) ticks 行っていない and still prints an empty 提供先1 and 移転先1
    assert values(ZEIMU, """SELECT ?o WHERE { ?f rdfs:label "課税資料ファイル"@ja ; pia:disclosureOption ?o }""") == ["行っていない"]
    assert values(ZEIMU, """SELECT ?x WHERE { ?x pia:ofFile/rdfs:label "課税資料ファイル"@ja ; a ?c
        FILTER(?c IN (pia:Provision, pia:Transfer)) }""") == []


def test_full_assessment_transfers_reach_the_departments():
    assert values(ZEIMU, "SELECT ?d WHERE { ?t a pia:Transfer ; pia:recipient/rdfs:label ?d }") == sorted([
        "健康福祉部 保険年金課", "健康福祉部 介護保険課", "市民生活部 国保年金課", "こども未来部 子育て支援課"])
    assert len(values(JUKI, "SELECT ?t WHERE { ?t a pia:Transfer }")) == 5


def test_the_entrustment_method_is_the_flow_method():
    # ④委託先への特定個人情報ファイルの提供方法: the method of the 委託 flow, like 提供方法 and 移転方法
    assert select(ZEIMU, """SELECT ?c ?m WHERE { ?e a pia:Entrustment ; pia:contractor/rdfs:label ?c ; pia:method ?m }""") == sorted([
        ("架空システム株式会社", METHOD + "other"), ("株式会社架空データセンター", METHOD + "electronic-media"),
        ("株式会社みどり情報サービス", METHOD + "electronic-media"), ("株式会社みどり情報サービス", METHOD + "paper")])


def test_full_assessment_risk_ratings_and_the_remaining_issue():
    assert select(ZEIMU, """SELECT ?area ?risk WHERE { ?f rdfs:label "課税資料ファイル"@ja ; pia:riskMeasure ?m .
        ?m pia:adequacy "課題が残されている" ; pia:riskArea ?area ; rdfs:label ?risk }""") == [
        ("入手", "リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク")]
    for name in (JUKI, ZEIMU):
        assert len(select(name, """SELECT ?m WHERE { ?m pia:adequacy "特に力を入れている" ; pia:riskArea "使用" ;
            rdfs:label ?l FILTER(STRSTARTS(?l, "リスク2")) }""")) == 2


def test_full_assessment_serious_incident_and_changes():
    assert values(JUKI, "SELECT ?i WHERE { ?f pia:seriousIncident ?i }") == ["発生なし", "発生なし"]
    assert [row[1] for row in select(JUKI, """SELECT ?d ?t WHERE { ?a pia:hasChange ?c . ?c pia:changeDate ?d ;
        pia:submissionTiming ?t ; pia:sourceSection "別添3" }""")] == ["事後", "事後", "事前", "事後"]


# -- 様式4: the rows only it has ----------------------------------------------------------------------


def test_full_assessment_acquisition_rows():
    timing = select(JUKI, """SELECT ?t WHERE { ?f rdfs:label "住民基本台帳ファイル"@ja ; pia:acquisitionTiming ?t }""")
    assert timing[0][0].startswith("・本人又は代理人からの届出:届出を受け付けた都度")
    assert values(ZEIMU, """SELECT ?v WHERE { ?f rdfs:label "課税資料ファイル"@ja ; pia:noticeToIndividual ?v }""")[0].startswith(
        "課税資料の提出義務は地方税法に定められており")
    assert values(ZEIMU, """SELECT ?v WHERE { ?f rdfs:label "課税資料ファイル"@ja ; pia:statisticalAnalysis ?v }""") == ["統計分析は行わない。"]


def test_full_assessment_entrustment_rows():
    assert select(JUKI, """SELECT ?scope ?check WHERE { ?e pia:contractor/rdfs:label "架空ビジネスサポート株式会社"@ja ;
        pia:entrustedFileScope ?scope ; pia:contractorNameCheck ?check }""") == [
        ("特定個人情報ファイルの一部", "みどり市ホームページで公表している契約締結状況により確認できる。")]


def test_full_assessment_retention_and_procedures():
    assert values(JUKI, """SELECT ?p WHERE { ?f rdfs:label "住民基本台帳ファイル"@ja ; pia:retentionPeriod/rdfs:label ?p
        FILTER(LANG(?p) = "ja") }""") == ["20年以上"]
    assert select(ZEIMU, """SELECT ?basic ?period ?review WHERE { ?a pia:basicAssessmentDate ?basic ;
        pia:consultationPeriod ?period ; pia:thirdPartyReviewDate ?review }""") == [
        (dt.date(2025, 4, 10), "令和7年5月12日から令和7年6月10日まで(30日間)", dt.date(2025, 7, 16))]
    assert values(ZEIMU, "SELECT ?r WHERE { ?a pia:thresholdResult ?r }") == [
        "https://w3id.org/piagraph/vocab/threshold-result/full"]


def test_full_assessment_measures_under_a_numbered_risk():
    measures = select(ZEIMU, """SELECT ?label ?text WHERE { ?f rdfs:label "個人住民税課税台帳ファイル"@ja ; pia:riskMeasure ?m .
        ?m rdfs:label "リスク1: 目的外の入手が行われるリスク"@ja ; pia:measureDescription ?d . ?d rdfs:label ?label ;
        pia:measureText ?text }""")
    assert ("対象者以外の情報の入手を防止するための措置の内容",
            "課税台帳ファイルへの取込みは、賦課期日の住所等により課税対象と判定された者の課税資料に限る。") in measures
    detail = values(JUKI, """SELECT ?t WHERE { ?m rdfs:label "ユーザ認証の管理"@ja ; pia:measureDescription/pia:measureText ?t }""")
    assert "職員ごとにユーザIDを付与し、ICカードと静脈認証による二要素認証を行う。" in detail


def test_full_assessment_other_risk_measures_for_the_whole_affair():
    assert select(ZEIMU, """SELECT ?l ?r WHERE { ?x pia:overallRiskMeasure ?m . ?m rdfs:label ?l ; pia:adequacy ?r }""") == [
        ("従業者に対する教育・啓発", "特に力を入れて行っている"), ("監査", "十分に行っている"), ("自己点検", "十分に行っている")]


def test_not_applicable_boxes_of_a_full_assessment():
    assert select(JUKI, "SELECT ?f ?n WHERE { ?x rdfs:label ?f ; pia:notApplicable ?n }") == [
        ("住民基本台帳ファイル", "接続しない(入手)"), ("本人確認情報ファイル", "委託しない"),
        ("本人確認情報ファイル", "接続しない(入手)"), ("本人確認情報ファイル", "接続しない(提供)")]
    # their empty ratings are not measures: file (1) rates only リスク5–7 of III-6
    assert len(values(JUKI, """SELECT ?m WHERE { ?f rdfs:label "住民基本台帳ファイル"@ja ; pia:riskMeasure ?m .
        ?m pia:riskArea "情報提供ネットワークシステムとの接続" }""")) == 3


# -- 様式2 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,band,handlers,incident,result,submitted", [
    (KOUKI_KISO, "10万人以上30万人未満", "500人未満", "発生なし", "focused", "基礎項目評価書及び重点項目評価書"),
    (JUKI_KISO, "30万人以上", "500人未満", "発生なし", "full", "基礎項目評価書及び全項目評価書"),
])
def test_basic_assessment_threshold(name, band, handlers, incident, result, submitted):
    assert select(name, """SELECT ?band ?h ?i ?r ?s WHERE { ?a pia:covers/pia:populationBand/rdfs:label ?band ;
        pia:handlersThreshold ?h ; pia:thresholdIncident ?i ; pia:thresholdResult ?r ; pia:submittedReports ?s
        FILTER(LANG(?band) = "ja") }""") == [
        (band, handlers, incident, f"https://w3id.org/piagraph/vocab/threshold-result/{result}", submitted)]


def test_basic_assessment_systems_are_named_in_one_row():
    assert values(KOUKI_KISO, "SELECT ?s WHERE { ?x pia:usesSystem/rdfs:label ?s }") == sorted([
        "後期高齢者医療システム", "後期高齢者医療広域連合電算処理システム(以下「標準システム」という。)",
        "団体内統合宛名システム", "中間サーバー"])
    assert values(JUKI_KISO, "SELECT ?f WHERE { ?x pia:hasFile/rdfs:label ?f }") == ["住民基本台帳ファイル", "本人確認情報ファイル"]


def test_basic_assessment_shared_fields():
    assert select(KOUKI_KISO, """SELECT ?affair ?dept ?basis WHERE { ?a pia:covers ?x . ?x rdfs:label ?affair ;
        pia:responsibleDepartment/rdfs:label ?dept ; pia:numberUseBasis/rdfs:label ?basis }""") == [
        ("後期高齢者医療に関する事務", "健康福祉部 保険年金課", "番号法第9条第1項及び別表の第85項")]
    assert len(values(KOUKI_KISO, "SELECT ?c WHERE { ?a pia:hasChange ?c }")) == 3


def test_basic_assessment_ratings_for_the_whole_affair():
    ratings = select(JUKI_KISO, """SELECT ?area ?l ?r WHERE { ?x pia:overallRiskMeasure ?m .
        ?m pia:riskArea ?area ; rdfs:label ?l ; pia:adequacy ?r }""")
    assert ("使用", "権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスクへの対策は十分か",
            "特に力を入れている") in ratings
    assert ("人手を介在させる作業", "人為的ミスが発生するリスクへの対策は十分か", "十分である") in ratings
    assert ("最も優先度が高いと考えられる対策", "当該対策は十分か【再掲】", "特に力を入れている") in ratings
    # 接続しない(入手) is ticked: the 入手 rating of IV-6 is empty and no measure
    network = [row for row in ratings if row[0] == "情報提供ネットワークシステムとの接続"]
    assert network == [("情報提供ネットワークシステムとの接続", "不正な提供が行われるリスクへの対策は十分か", "十分である")]
    assert values(JUKI_KISO, "SELECT ?n WHERE { ?x pia:notApplicable ?n }") == ["接続しない(入手)"]


def test_basic_assessment_audit_priority_and_basis_of_judgement():
    assert values(KOUKI_KISO, "SELECT ?k WHERE { ?x pia:overallAuditKind ?k }") == ["内部監査", "自己点検"]
    assert values(JUKI_KISO, "SELECT ?k WHERE { ?x pia:overallAuditKind ?k }") == ["内部監査", "外部監査", "自己点検"]
    assert values(KOUKI_KISO, "SELECT ?p WHERE { ?x pia:topPriorityMeasure ?p }") == ["特定個人情報の漏えい・滅失・毀損リスクへの対策"]
    assert values(JUKI_KISO, "SELECT ?p WHERE { ?x pia:topPriorityMeasure ?p }") == [
        "権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスクへの対策"]
    basis = values(KOUKI_KISO, """SELECT ?t WHERE { ?m rdfs:label "人為的ミスが発生するリスクへの対策は十分か"@ja ;
        pia:measureDescription/pia:measureText ?t }""")
    assert basis and basis[0].startswith("窓口で受け付けた届出書の内容を標準システムの窓口端末に入力する作業")


def test_a_basic_assessment_and_its_companion_have_their_own_graphs_and_share_the_affair():
    kiso, juki = load_sample(JUKI_KISO), load_sample(JUKI)
    assert kiso.graph_iri != juki.graph_iri and kiso.series_key != juki.series_key
    shared = "SELECT ?r WHERE { ?x pia:registeredAffair ?r }"
    assert values(JUKI_KISO, shared) == values(JUKI, shared)
    assert values("midori_kouki_kiso.txt", shared) == values("midori_kouki.txt", shared)
    assert load_sample("midori_kouki.txt").graph_iri != load_sample("midori_kouki_kiso.txt").graph_iri
