"""Seed 001 (厚木市 国民健康保険): plain PDF text whose table layout was lost.

The expectations come from reading the report, not from the code's output. Where the text itself
cannot tell which 委託事項 a contractor belongs to (two ``③委託先名`` on one page with their blocks'
rows in any order), the tests require the file to be right and the pairing to be marked undecided
(confidence ≤ 0.5); every pairing the loader claims with more confidence must be one verified by
reading (`VERIFIED_PAIRINGS`).

What was read, by line of the seed:
- cover (l.1–13): 評価実施機関名 厚木市長, 公表日 令和7年8月26日, 評価書番号 3.
- I-2 (l.168–597): システム1 国民健康保険システム … システム8 医療保険者等向け中間サーバー等; each
  ``システムN`` header stands right before its ``①システムの名称``.
- I-3 (l.735–740): the six files, (1) 被保険者台帳情報ファイル … (6) 宛名管理ファイル.
- 被保険者台帳情報ファイル II-4 (l.1082–1650): 委託する (6件). 委託事項3 and 4 go to 神奈川県国民健康保険団体連合会
  (one ③委託先名 on each page; their ⑤ name the 神奈川県国保連合会); 委託事項5's ⑤ reads 「委託先の支払基金から」
  and 委託事項6's 「委託先の神奈川県国民健康保険団体連合会から」; 委託事項1 and 2 share a page with
  日本電気株式会社 and 株式会社バックスグループ, nothing in the text pairs them.
- 賦課情報ファイル (l.3003–3067): one 委託事項, 日本電気㈱. 給付情報ファイル (l.4101–4301): 2件, 日本電気株式会社
  and 神奈川県国民健康保険団体連合会 on one page. 収納情報ファイル (l.5547–5577): 1件, 委託事項1 収納管理システム
  の運用保守委託, 日本電気株式会社. 滞納整理ファイル (l.6297–6352): 2件, 委託事項1 滞納整理システムの運用保守委託,
  委託事項2 保険料コールセンター業務, 日本電気株式会社 and 株式会社ケー・デー・シー on one page. 宛名管理ファイル
  (l.7641–7690): one 委託事項, 日本電気株式会社.
- 滞納整理ファイル II-5 (l.6487–6702): 提供を行っている (10件); 提供先1 都道府県知事等 (第2条の表の42項),
  提供先2 日本私立学校振興・共済事業団 (56項), 提供先3 都道府県知事等 (125項), 提供先4 市町村長 (131項),
  提供先5 empty. No other file names a 提供先 or 移転先 (被保険者台帳情報ファイル and 給付情報ファイル refer
  to 別紙2, which the text does not contain).
"""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.names import split_contractor
from loaders.records import CERTAIN
from ontology import sparql_prefixes
from tests.conftest import load_seed

FILES = ["被保険者台帳情報ファイル", "賦課情報ファイル", "給付情報ファイル", "収納情報ファイル", "滞納整理ファイル",
         "宛名管理ファイル"]
SYSTEMS = {1: "国民健康保険システム", 2: "収納管理システム", 3: "滞納整理システム", 4: "宛名管理システム",
           5: "中間サーバー", 6: "中間サーバーコネクタ(団体内統合宛名システム)",
           7: "国保総合システム及び国保情報集約システム", 8: "医療保険者等向け中間サーバー等"}
NEC, KANAGAWA = "日本電気株式会社", "神奈川県国民健康保険団体連合会"
CONTRACTORS = {
    "被保険者台帳情報ファイル": {"株式会社バックスグループ", NEC, KANAGAWA, "支払基金"},
    "賦課情報ファイル": {NEC},
    "給付情報ファイル": {NEC, KANAGAWA},
    "収納情報ファイル": {NEC},
    "滞納整理ファイル": {NEC, "株式会社ケー・デー・シー"},
    "宛名管理ファイル": {NEC},
}
VERIFIED_PAIRINGS = {
    ("被保険者台帳情報ファイル", 3): KANAGAWA,
    ("被保険者台帳情報ファイル", 4): KANAGAWA,
    ("被保険者台帳情報ファイル", 5): "支払基金",
    ("被保険者台帳情報ファイル", 6): KANAGAWA,
    ("賦課情報ファイル", 1): NEC,
    ("収納情報ファイル", 1): NEC,
    ("宛名管理ファイル", 1): NEC,
}
UNDECIDED_IN_TEXT = {"被保険者台帳情報ファイル": {1, 2}, "給付情報ファイル": {1, 2}, "滞納整理ファイル": {1, 2}}
PROVISIONS_OF_TAINOU = {1: ("都道府県知事等", "42項"), 2: ("日本私立学校振興・共済事業団", "56項"),
                        3: ("都道府県知事等", "125項"), 4: ("市町村長", "131項")}


@pytest.fixture(scope="module")
def loaded():
    return load_seed("001")


@pytest.fixture(scope="module")
def report(loaded):
    return loaded.report


def file_record(report, name):
    return next(record for record in report.files if record.name.value == name)


def company(item) -> str:
    return split_contractor(item.contractor.value).company


def test_the_shape_is_detected_and_recorded(loaded):
    from rdflib import Literal

    from ontology import PIA

    assert loaded.report.shape == "layout-lost-text"
    assert (loaded.assessment, PIA.sourceShape, Literal("layout-lost-text")) in loaded.graph


def test_cover(report):
    assert report.cover.assessor.value == "厚木市長"
    assert report.cover.published_on == dt.date(2025, 8, 26)
    assert report.cover.assessment_number.value == "3"
    assert report.form_type == "重点項目評価書"


def test_cover_values_placed_apart_from_their_labels_say_so(report):
    assert report.cover.assessor.confidence < CERTAIN  # 厚木市長 stands in its own paragraph


def test_the_six_files_by_name(report):
    assert [name.value for name in report.affair.file_names] == FILES
    assert [record.name.value for record in report.files] == FILES
    assert all(record.has_overview and record.has_risk_block for record in report.files)


def test_the_eight_systems_by_name(report):
    names = {system.number: system.name.value for system in report.affair.systems}
    assert set(names) == set(SYSTEMS)
    for number, name in SYSTEMS.items():
        assert names[number].startswith(name), number


def test_each_file_has_exactly_its_contractors(report):
    """Precision first: no contractor of one file is attached to another."""
    for name, expected in CONTRACTORS.items():
        found = {company(item) for item in file_record(report, name).entrustments if item.contractor}
        assert found == expected, name


def test_pairings_verified_by_reading(report):
    for (name, number), expected in VERIFIED_PAIRINGS.items():
        item = next(i for i in file_record(report, name).entrustments if i.number == number)
        assert company(item) == expected, (name, number)


def test_no_pairing_is_claimed_that_reading_could_not_verify(report):
    for record in report.files:
        for item in record.entrustments:
            if item.contractor and item.contractor.confidence > 0.5:
                assert VERIFIED_PAIRINGS.get((record.name.value, item.number)) == company(item), (
                    record.name.value, item.number, item.contractor)


def test_pairings_the_text_cannot_decide_are_marked_undecided(report):
    for name, numbers in UNDECIDED_IN_TEXT.items():
        for item in file_record(report, name).entrustments:
            if item.number in numbers and item.contractor:
                assert item.contractor.confidence <= 0.5, (name, item.number)


def test_entrustment_titles_and_contents_read_beside_their_labels(report):
    shuunou = file_record(report, "収納情報ファイル").entrustments[0]
    assert shuunou.title.value == "収納管理システムの運用保守委託"
    assert shuunou.title.confidence == CERTAIN
    tainou = {item.number: item.title.value for item in file_record(report, "滞納整理ファイル").entrustments}
    assert tainou == {1: "滞納整理システムの運用保守委託", 2: "保険料コールセンター業務"}


def test_recipients_of_the_tainou_file(report):
    record = file_record(report, "滞納整理ファイル")
    found = {entry.number: entry for entry in record.provisions}
    assert {n: e.recipient.value for n, e in found.items()} == {n: r for n, (r, _) in PROVISIONS_OF_TAINOU.items()}
    for number, (_, row) in PROVISIONS_OF_TAINOU.items():
        assert found[number].legal_basis.value.endswith(f"第2条の表の{row}"), number
    assert record.provision_count == 10  # as stated; the text names only four


def test_no_other_file_names_a_recipient(report):
    for record in report.files:
        if record.name.value != "滞納整理ファイル":
            assert [e.recipient for e in record.provisions + record.transfers if e.recipient] == []


def test_graph_links_each_contractor_to_its_files_only(loaded):
    query = sparql_prefixes() + """
        SELECT ?file WHERE { ?e a pia:Entrustment ; pia:contractor/rdfs:label ?c ; pia:ofFile/rdfs:label ?file
                             FILTER(STR(?c) = "株式会社バックスグループ") }"""
    assert {str(row[0]) for row in loaded.graph.query(query)} == {"被保険者台帳情報ファイル"}


def test_what_could_not_be_placed_is_kept_with_its_line(report):
    unresolved = {(text.evidence.line, text.value) for text in report.unresolved}
    # 委託事項1's title stands among three titles on its page: kept, not guessed
    assert any("国民健康保険関係の各種届出書" in value for _, value in unresolved)
    assert all(text.evidence.line > 0 for text in report.unresolved)


def test_a_share_of_values_is_read_with_full_confidence(report):
    from piagraph.inspect import certain_share

    certain, total = certain_share(report)
    assert total > 300
    assert 0.3 < certain / total < 1


# -- values printed apart from their labels (issue 15, class 2) ---------------------------------------

RATING, EFFORT = "特に力を入れている", "特に力を入れて行っている"


def test_a_value_printed_before_its_label_on_one_line(report):
    """L2882 ``平成27年10月5日 ⑤保有開始日`` (賦課情報ファイル), L3962 (給付), L7510 (宛名管理): the date
    printed before its label on the same line is that row's value; every file began on 平成27年10月5日
    and is used from 平成28年1月1日."""
    for record in report.files:
        assert record.retention_start.value == "平成27年10月5日", record.name.value
        assert record.use_start.value == "平成28年1月1日", record.name.value
    fuka = file_record(report, "賦課情報ファイル")
    assert fuka.retention_start.evidence.line == 2882


def test_entrustment_counts_torn_from_their_brackets(report):
    """II-4 委託の有無: ``[ 委託する ]``, ``(`` , ``) 件`` and the number each on a line of their own
    (L1093–1113 for 被保険者台帳: 6); 収納 and 滞納整理 print ``( 1 ) 件``, ``( 2 ) 件`` whole."""
    counts = {record.name.value: record.entrustment_count for record in report.files}
    assert counts == {"被保険者台帳情報ファイル": 6, "賦課情報ファイル": 1, "給付情報ファイル": 2,
                      "収納情報ファイル": 1, "滞納整理ファイル": 2, "宛名管理ファイル": 1}
    assert all(record.entrustment.value == "委託する" for record in report.files)
    daicho = file_record(report, "被保険者台帳情報ファイル")
    assert daicho.provision_count == 22  # L1747 ``( 22`` + L1711 ``提供を行っている ) 件``


def test_a_detail_printed_above_its_checkbox_line(report):
    """収納情報ファイル L5486 ``( 市民税課、市民課 )`` stands above L5496 ``[ ○ ] 評価実施機関内の他部署``:
    the detail is that option's, placed by its shape (confidence < 1)."""
    sources = {t.option: t for t in file_record(report, "収納情報ファイル").sources if t.ticked}
    assert sources["評価実施機関内の他部署"].detail == "市民税課、市民課"
    assert sources["評価実施機関内の他部署"].confidence < CERTAIN
    assert sources["行政機関・独立行政法人等"].detail == "デジタル庁"


def test_each_recipient_of_the_tainou_file_has_its_frequency_and_method(report):
    """滞納整理ファイル 提供先1–4 (L6510–6661): ⑦時期・頻度 随時 (L6616 and L6661 on the page of 提供先3
    and 4) and ⑥提供方法 [ ○ ] 情報提供ネットワークシステム, printed right after its label."""
    for entry in file_record(report, "滞納整理ファイル").provisions:
        assert entry.frequency.value == "随時", entry.number
        assert [t.option for t in entry.methods if t.ticked] == ["情報提供ネットワークシステム"], entry.number


# -- section III: ratings under their risk (issue 15, class 3) -------------------------------------------

def ratings_of(report, name):
    return {(r.section, r.item): r.rating.value for r in file_record(report, name).risks}


def test_each_risk_is_named_as_the_form_prints_it_and_rated_under_its_part(report):
    """Every file's III names its risks by the form's wording (リスク1: 目的を超えた紐付け…), each in its
    part; all six rate them 特に力を入れている."""
    for record in report.files:
        ratings = ratings_of(report, record.name.value)
        assert ratings[("III-2 入手", "リスク: 目的外の入手が行われるリスク")] == RATING
        assert ratings[("III-3 使用", "リスク1: 目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク")] == RATING
        assert ratings[("III-4 委託", "リスク: 委託先における不正な使用等のリスク")] == RATING
        assert ratings[("III-7 保管・消去", "リスク: 特定個人情報の漏えい・滅失・毀損リスク")] == RATING


def test_a_rating_printed_before_its_parts_heading(report):
    """給付情報ファイル: the rating of III-6 リスク1 stands at L5087, before the heading ``6. 情報提供ネット
    ワークシステムとの接続`` (L5094); it is III-6's, not III-5's (whose ratings are empty, L5043)."""
    record = file_record(report, "給付情報ファイル")
    risk = next(r for r in record.risks if r.item == "リスク1: 目的外の入手が行われるリスク")
    assert risk.section == "III-6 情報提供ネットワークシステムとの接続"
    assert (risk.rating.value, risk.rating.evidence.line) == (RATING, 5088)
    assert not any(r.rating.value for r in record.risks if r.section == "III-5 提供・移転")


def test_rated_items_of_other_option_lists_keep_their_own_rows(report):
    """①事故発生時手順の策定・周知 [特に力を入れて行っている] and ②…重大事故が発生したか [発生なし] in every
    file; 定めている and 行っている are only ever values of their own rows, never a risk's rating."""
    for record in report.files:
        ratings = ratings_of(report, record.name.value)
        assert ratings[("III-7 保管・消去", "事故発生時手順の策定・周知")] == EFFORT, record.name.value
        assert ratings[("III-3 使用", "ユーザ認証の管理")] == "行っている", record.name.value
        assert record.incident.value == "発生なし", record.name.value
        for (section, item), value in ratings.items():
            if item.startswith("リスク") and value is not None:
                assert value in ("特に力を入れている", "十分である", "課題が残されている"), (section, item)


def test_a_rating_left_empty_keeps_its_risk_unrated(report):
    """収納情報ファイル III-5 and III-6 print their ratings ``[ ]`` (L5955, L5976, L5985: 提供・移転しない,
    接続しない ticked): the risks are there, unrated."""
    unrated = {(r.section, r.item) for r in file_record(report, "収納情報ファイル").risks if r.rating.value is None}
    assert ("III-5 提供・移転", "リスク: 不正な提供・移転が行われるリスク") in unrated
    assert ("III-6 情報提供ネットワークシステムとの接続", "リスク2: 不正な提供が行われるリスク") in unrated
