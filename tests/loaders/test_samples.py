"""The fictional みどり市 samples: they load with full confidence and their 事務 name each other's
departments, so a 移転 in one report reaches the department responsible for another — also across
forms (a 全項目評価書 closes the dead end of the 様式3 samples)."""

from __future__ import annotations

import datetime as dt

import pytest

from ontology import sparql_prefixes
from tests.conftest import ALL_SAMPLES, FORM3_SAMPLES, SAMPLES, load_sample

PIA = sparql_prefixes()


def select(name: str, query: str) -> list[tuple]:
    return [tuple(v.toPython() if v is not None else None for v in row)
            for row in load_sample(name).graph.query(PIA + query)]


def test_the_samples_directory_holds_the_samples_of_the_three_forms():
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == sorted(ALL_SAMPLES)


@pytest.mark.parametrize("name,affair,number,published,form,version", [
    ("midori_kouki.txt", "後期高齢者医療に関する事務", "1", dt.date(2025, 2, 14), "重点項目評価書", "令和6年10月 様式3"),
    ("midori_kaigo.txt", "介護保険に関する事務", "2", dt.date(2024, 11, 29), "重点項目評価書", "令和6年10月 様式3"),
    ("midori_kokuho.txt", "国民健康保険に関する事務", "3", dt.date(2025, 6, 20), "重点項目評価書", "令和7年5月 様式3"),
    ("midori_jidou.txt", "児童手当に関する事務", "4", dt.date(2019, 3, 1), "重点項目評価書", "平成30年5月 様式3"),
    ("midori_kouki_kiso.txt", "後期高齢者医療に関する事務", "1", dt.date(2025, 2, 14), "基礎項目評価書",
     "令和6年10月 様式2"),
    ("midori_juki_kiso.txt", "住民基本台帳に関する事務", "5", dt.date(2025, 3, 14), "基礎項目評価書", "令和6年10月 様式2"),
    ("midori_juki_zenkoumoku.txt", "住民基本台帳に関する事務", "5", dt.date(2025, 3, 14), "全項目評価書",
     "令和6年10月 様式4"),
    ("midori_zeimu_zenkoumoku.txt", "個人住民税の賦課に関する事務", "6", dt.date(2025, 8, 29), "全項目評価書",
     "令和7年5月 様式4"),
])
def test_cover_of_each_sample(name, affair, number, published, form, version):
    assert select(name, """SELECT ?body ?affair ?no ?date ?form ?version WHERE { ?a pia:assessor/rdfs:label ?body ;
        pia:covers/rdfs:label ?affair ; pia:assessmentNumber ?no ; pia:publishedOn ?date ; pia:formType ?form ;
        pia:formVersion ?version }""") == [("みどり市長", affair, number, published, form, version)]


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_samples_have_no_gaps_and_no_unplaced_text(name):
    report = load_sample(name).report
    assert report.gaps == [] and report.unresolved == []


def department_of(name: str) -> str:
    return select(name, "SELECT ?d WHERE { ?a pia:responsibleDepartment ?d }")[0][0]


def transfer_recipients(name: str) -> dict[str, str]:
    return {label: iri for iri, label in select(name, """SELECT ?r ?label WHERE {
        ?t a pia:Transfer ; pia:recipient ?r . ?r rdfs:label ?label }""")}


def test_a_transfer_reaches_the_department_responsible_for_another_affair():
    kouki = transfer_recipients("midori_kouki.txt")
    assert kouki["健康福祉部 介護保険課"] == department_of("midori_kaigo.txt")
    assert kouki["市民生活部 国保年金課"] == department_of("midori_kokuho.txt")
    assert transfer_recipients("midori_kaigo.txt")["健康福祉部 保険年金課"] == department_of("midori_kouki.txt")
    assert transfer_recipients("midori_kokuho.txt")["こども未来部 子育て支援課"] == department_of("midori_jidou.txt")


def test_the_dead_end_of_the_form3_samples_is_the_department_of_a_full_assessment():
    tax = transfer_recipients("midori_jidou.txt")["市民生活部 税務課"]
    assert tax not in {department_of(name) for name in FORM3_SAMPLES}
    assert tax == department_of("midori_zeimu_zenkoumoku.txt")


def test_the_full_assessments_transfer_to_the_departments_of_the_form3_samples():
    juki = transfer_recipients("midori_juki_zenkoumoku.txt")
    assert juki["健康福祉部 保険年金課"] == department_of("midori_kouki.txt")
    assert juki["こども未来部 子育て支援課"] == department_of("midori_jidou.txt")
    assert transfer_recipients("midori_zeimu_zenkoumoku.txt")["市民生活部 国保年金課"] == department_of("midori_kokuho.txt")


def test_risky_channels_and_ratings_an_auditor_looks_for():
    flash = select("midori_kokuho.txt", """SELECT ?who WHERE { ?p a pia:Provision ; pia:recipient/rdfs:label ?who ;
        pia:method <https://w3id.org/piagraph/vocab/method/flash-memory> }""")
    assert flash == [("架空県後期高齢者医療広域連合",)]
    issues = select("midori_kaigo.txt", """SELECT ?area WHERE { ?m pia:adequacy "課題が残されている" ; pia:riskArea ?area }""")
    assert issues == [("提供・移転",)]
    assert select("midori_jidou.txt", "SELECT ?i WHERE { ?f pia:seriousIncident ?i }") == [("発生あり",)]


def test_one_contractor_node_for_a_company_written_with_and_without_a_branch():
    kaigo = select("midori_kaigo.txt", "SELECT ?c ?b WHERE { ?e pia:contractor ?c ; pia:contractorBranch ?b }")
    jidou = select("midori_jidou.txt", "SELECT ?c ?b WHERE { ?e pia:contractor ?c ; pia:contractorBranch ?b }")
    assert kaigo == jidou and kaigo[0][1] == "みどり支社"
    abbreviated = select("midori_kokuho.txt", "SELECT ?l WHERE { ?e pia:flowNumber 2 ; pia:contractor/rdfs:label ?l }")
    assert abbreviated == [("株式会社架空データセンター",)]
