"""Rules across reports (shapes/across_reports.ttl), on a store: a 重点/全項目 report has its 基礎, and
the 基礎's しきい値判断結果 agrees with the report published for the 事務.

Each rule has a store where it fires and one where it stays quiet. The stores hold samples as they are
(samples/README.md: kouki and kouki_kiso are one 事務, 評価書番号 1; juki_kiso and juki_zenkoumoku are
事務 5; zeimu_zenkoumoku, 事務 6, has no 基礎) or with one line of a sample edited.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.pipeline import load_report, ontology_graph
from ontology import sparql_prefixes
from piagraph.store import EmbeddedStore
from piagraph.validation import check_store, store_rules
from tests.conftest import SAMPLES

KOUKI, KOUKI_KISO = "midori_kouki.txt", "midori_kouki_kiso.txt"
JUKI_KISO, JUKI_ZEN = "midori_juki_kiso.txt", "midori_juki_zenkoumoku.txt"
KAIGO, ZEIMU = "midori_kaigo.txt", "midori_zeimu_zenkoumoku.txt"


def edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def findings(tmp_path: Path, *reports: str | Path) -> list:
    with EmbeddedStore(tmp_path / "store") as store:
        store.put_ontology(ontology_graph())
        for report in reports:
            store.put_report(load_report(report if isinstance(report, Path) else SAMPLES / report))
        return check_store(store)


def of(found: list, rule: str) -> list[tuple[str, str]]:
    return sorted((f.report, f.message) for f in found if f.rule == rule)


def test_every_rule_across_reports_is_declared_with_a_severity_and_a_japanese_message():
    declared = {rule.rule: rule for rule in store_rules()}
    assert set(declared) == {"PIA-R48", "PIA-R49", "PIA-R50", "PIA-R51"}
    assert {rule.severity for rule in declared.values()} <= {"Violation", "Warning"}
    for rule in declared.values():
        assert rule.title and any("\u3040" <= ch <= "\u9fff" for ch in rule.message), rule
        assert "?this" in rule.query and "isCurrent" in rule.query, rule


# -- PIA-R48: a 重点/全項目 report has its 基礎 ------------------------------------------------------------


def test_a_focused_or_full_report_without_its_basic_report_is_a_finding(tmp_path):
    found = findings(tmp_path, KAIGO, ZEIMU, KOUKI, KOUKI_KISO)
    assert of(found, "PIA-R48") == [
        (KAIGO, "重点項目評価書の事務(評価書番号 2)の基礎項目評価書がストアにない"),
        (ZEIMU, "全項目評価書の事務(評価書番号 6)の基礎項目評価書がストアにない")]
    finding = next(f for f in found if f.rule == "PIA-R48" and f.report == ZEIMU)
    assert (finding.severity, finding.section, finding.line) == ("Warning", "表紙", 6)


def test_a_report_with_its_basic_report_is_quiet(tmp_path):
    assert of(findings(tmp_path, KOUKI, KOUKI_KISO, JUKI_KISO, JUKI_ZEN), "PIA-R48") == []


# -- PIA-R49: the 基礎's result agrees with the report published ------------------------------------------


def test_a_basic_report_requiring_a_full_assessment_where_a_focused_one_was_published(tmp_path):
    kiso = edited(tmp_path, KOUKI_KISO, "[基礎項目評価及び重点項目評価の実施が義務付けられる]",
                  "[基礎項目評価及び全項目評価の実施が義務付けられる]")
    assert of(findings(tmp_path, KOUKI, kiso), "PIA-R49") == [
        (KOUKI_KISO, "基礎項目評価書のしきい値判断結果(基礎項目評価及び全項目評価の実施が義務付けられる)と、同じ事務の重点項目評価書が一致しない")]


def test_a_basic_report_whose_result_differs_from_the_full_reports_own(tmp_path):
    # juki_zenkoumoku's VI-1 ② says 全項目 is required; a 基礎 saying 重点 contradicts it
    kiso = edited(tmp_path, JUKI_KISO, "[ 基礎項目評価及び全項目評価の実施が義務付けられる ]",
                  "[ 基礎項目評価及び重点項目評価の実施が義務付けられる ]")
    assert [report for report, _ in of(findings(tmp_path, JUKI_ZEN, kiso), "PIA-R49")] == [JUKI_KISO]


def test_basic_reports_that_agree_with_what_was_published_are_quiet(tmp_path):
    assert of(findings(tmp_path, KOUKI, KOUKI_KISO, JUKI_KISO, JUKI_ZEN), "PIA-R49") == []


# -- PIA-R50: the report the result requires is in the store -----------------------------------------------


def test_a_basic_report_whose_required_report_is_missing(tmp_path):
    assert of(findings(tmp_path, JUKI_KISO, KOUKI), "PIA-R50") == [
        (JUKI_KISO, "基礎項目評価書のしきい値判断結果は基礎項目評価及び全項目評価の実施が義務付けられるだが、同じ事務の全項目評価書がストアにない")]


def test_a_basic_report_with_its_required_report_is_quiet(tmp_path):
    assert of(findings(tmp_path, JUKI_KISO, JUKI_ZEN, KOUKI_KISO, KOUKI), "PIA-R50") == []


# -- PIA-R51: the same 事務 in the same population band --------------------------------------------------


def test_a_basic_report_counting_another_population_band(tmp_path):
    kiso = edited(tmp_path, KOUKI_KISO, "<p>[10万人以上30万人未満]</p>", "<p>[30万人以上]</p>")
    assert of(findings(tmp_path, KOUKI, kiso), "PIA-R51") == [
        (KOUKI_KISO, "基礎項目評価書の対象人数(30万人以上)が、同じ事務の重点項目評価書の対象人数(10万人以上30万人未満)と異なる")]


def test_the_same_band_in_both_reports_is_quiet(tmp_path):
    assert of(findings(tmp_path, KOUKI, KOUKI_KISO, JUKI_KISO, JUKI_ZEN), "PIA-R51") == []


# -- one 事務's reports are linked in the store -----------------------------------------------------------


def test_a_store_links_the_basic_and_the_focused_report_of_one_affair(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        for name in (KOUKI, KOUKI_KISO, KAIGO):
            store.put_report(load_report(SAMPLES / name))
        rows = store.query(sparql_prefixes() + """
            SELECT ?form ?number WHERE {
              GRAPH ?g { ?a pia:formType ?form ; pia:assessmentNumber ?number ; pia:covers/pia:registeredAffair ?affair }
              GRAPH ?h { ?b pia:formType "基礎項目評価書" ; pia:covers/pia:registeredAffair ?affair }
            } ORDER BY ?form""").records()
    assert [(row["form"], row["number"]) for row in rows] == [("基礎項目評価書", "1"), ("重点項目評価書", "1")]


@pytest.mark.parametrize("name", [KOUKI_KISO, JUKI_KISO])
def test_a_basic_report_of_the_samples_is_consistent_on_its_own(name):
    from piagraph.validation import validate_graph

    rules = {f.rule for f in validate_graph(load_report(SAMPLES / name).graph)}
    assert not rules & {"PIA-R44", "PIA-R45", "PIA-R46", "PIA-R47"}
