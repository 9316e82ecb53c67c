"""Composed SPARQL (`piagraph.sparql.builder`), run on a real embedded store of named samples.

The store holds midori_kouki.txt (published 令和7年2月14日) and an older version of it (令和5年2月14日),
midori_kaigo.txt and midori_kokuho.txt. Expected answers from samples/README.md and the sample texts.
"""

from __future__ import annotations

import datetime as dt

import pytest

from piagraph.sparql.builder import (
    CURRENT_REPORTS,
    catalog_entries_query,
    evidence,
    graphs_pattern,
    label,
    named_graph_query,
    optional,
    optional_via,
    scoped_select,
    select,
)
from piagraph.store import EmbeddedStore
from tests.conftest import SAMPLES, load_sample
from tests.sample_stores import older_kouki, store_of

KOUKI_SERIES = "みどり市長|1"  # body + 評価書番号


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("builder")
    reports = [SAMPLES / "midori_kouki.txt", older_kouki(directory / "midori_kouki_r5.txt"),
               SAMPLES / "midori_kaigo.txt", SAMPLES / "midori_kokuho.txt"]
    with EmbeddedStore(store_of(directory / "store", reports)) as opened:
        yield opened


def test_the_systems_of_one_report_with_their_evidence(store):
    kouki = load_sample("midori_kouki.txt").graph_iri
    section, line = evidence("?system")
    query = scoped_select(graphs_pattern([kouki]), "?name ?section ?line",
                          f"?system a pia:System ; rdfs:label ?name . {section} . {line}")
    found = {row["name"]: (row["section"], row["line"]) for row in select(store, query, python=True)}
    assert set(found) == {"後期高齢者医療システム", "後期高齢者医療広域連合電算処理システム(以下「標準システム」という。)",
                          "団体内統合宛名システム", "中間サーバー"}
    assert found["中間サーバー"] == ("I-2 システム4", 64)  # "システム4" is line 64 of the file


def test_current_reports_see_the_newest_version_only(store):
    query = scoped_select(CURRENT_REPORTS, "?affair ?date",
                          "?a pia:covers/rdfs:label ?affair ; pia:publishedOn ?date")
    answered = sorted((row["affair"], row["date"]) for row in select(store, query, python=True))
    assert answered == [("介護保険に関する事務", dt.date(2024, 11, 29)),
                        ("国民健康保険に関する事務", dt.date(2025, 6, 20)),
                        ("後期高齢者医療に関する事務", dt.date(2025, 2, 14))]


def test_each_affair_reaches_its_responsible_department(store):
    department = optional_via("?affair pia:responsibleDepartment ?dept", label("?dept", "?deptLabel"))
    query = scoped_select(CURRENT_REPORTS, "?affairLabel ?deptLabel",
                          "?affair a pia:Affair ; rdfs:label ?affairLabel", department)
    assert {row["affairLabel"]: row["deptLabel"] for row in select(store, query, python=True)} == {
        "後期高齢者医療に関する事務": "健康福祉部 保険年金課",
        "介護保険に関する事務": "健康福祉部 介護保険課",
        "国民健康保険に関する事務": "市民生活部 国保年金課",
    }


def test_an_optional_fact_the_report_does_not_state_is_none(store):
    # kaigo's 委託先: 架空システム株式会社 みどり支社 and 架空県国民健康保険団体連合会 (no branch)
    kaigo = load_sample("midori_kaigo.txt").graph_iri
    query = scoped_select(graphs_pattern([kaigo]), "?company ?branch",
                          "?e a pia:Entrustment ; pia:contractor ?c . ?c rdfs:label ?company",
                          optional("?e pia:contractorBranch ?branch"))
    assert {row["company"]: row["branch"] for row in select(store, query, python=True)} == {
        "架空システム株式会社": "みどり支社", "架空県国民健康保険団体連合会": None}
    stated = {str(row["company"]): "branch" in row for row in select(store, query)}  # terms: unbound left out
    assert stated == {"架空システム株式会社": True, "架空県国民健康保険団体連合会": False}


def test_the_catalog_entries_of_one_series_are_its_two_versions(store):
    versions = select(store, catalog_entries_query(KOUKI_SERIES), python=True)
    assert [(row["date"], row["current"]) for row in versions] == [(dt.date(2023, 2, 14), False),
                                                                   (dt.date(2025, 2, 14), True)]
    assert {row["source"] for row in versions} == {"midori_kouki.txt", "midori_kouki_r5.txt"}
    assert len(select(store, catalog_entries_query())) == 4


def test_python_values_have_the_types_an_auditor_exports(store):
    [newest] = [row for row in select(store, catalog_entries_query(KOUKI_SERIES), python=True) if row["current"]]
    assert type(newest["date"]) is dt.date and type(newest["current"]) is bool
    assert type(newest["count"]) is int and newest["count"] == len(load_sample("midori_kouki.txt").graph)
    assert type(newest["graph"]) is str and newest["graph"] == str(load_sample("midori_kouki.txt").graph_iri)
    assert isinstance(newest["loaded"], dt.datetime)


def test_a_named_graph_is_constructed_whole(store):
    kokuho = load_sample("midori_kokuho.txt")
    assert set(store.query(named_graph_query(kokuho.graph_iri)).triples) == set(kokuho.graph)
