"""Entity resolution (`loaders.resolve`): what one report names, linked to what other reports name.

An auditor follows 中間サーバー across reports whatever the spelling, and counts a contractor once
whether its branch is written or not. Facts from samples/README.md (Systems, Entrustment).
"""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from loaders.resolve import canonical_system, resolve
from ontology import ID, PIA, VOCAB
from tests.conftest import load_sample

INTERMEDIATE_SERVER = VOCAB["system/intermediate-server"]
KOUKI_STANDARD = VOCAB["system/kouki-standard"]


@pytest.mark.parametrize("written", ["中間サーバー", "中間サーバ", "中間サーバ・プラットフォーム", "中間サーバー・プラットフォーム"])
def test_every_spelling_of_the_intermediate_server_is_one_canonical_system(written):
    assert canonical_system(written) == INTERMEDIATE_SERVER


def test_a_system_with_an_alias_clause_is_the_system_it_names():
    # kouki's システム2, as written in its ①システムの名称
    assert canonical_system("後期高齢者医療広域連合電算処理システム(以下「標準システム」という。)") == KOUKI_STANDARD
    assert canonical_system("標準システム") == KOUKI_STANDARD


def test_a_local_system_and_the_insurers_server_are_not_the_intermediate_server():
    assert canonical_system("後期高齢者医療システム") is None  # kouki's own システム1
    assert canonical_system("介護保険システム") is None
    assert canonical_system("医療保険者等向け中間サーバー等") not in (None, INTERMEDIATE_SERVER)


def systems(name: str) -> dict[str, URIRef]:
    graph = load_sample(name).graph
    return {str(graph.value(s, RDFS.label)): s for s in graph.subjects(RDF.type, PIA.System)}


def test_kokuhos_chuukan_saaba_and_koukis_chuukan_saabaa_share_the_canonical_system():
    kokuho, kouki = load_sample("midori_kokuho.txt").graph, load_sample("midori_kouki.txt").graph
    assert kokuho.value(systems("midori_kokuho.txt")["中間サーバ"], PIA.canonicalSystem) == INTERMEDIATE_SERVER
    assert kouki.value(systems("midori_kouki.txt")["中間サーバー"], PIA.canonicalSystem) == INTERMEDIATE_SERVER
    # the report graph names the canonical system in its preferred spelling, without the ontology beside it
    assert kokuho.value(INTERMEDIATE_SERVER, RDFS.label) == Literal("中間サーバー", lang="ja")


def test_a_connection_written_in_sonota_links_the_systems_of_the_same_report():
    # kouki システム3 団体内統合宛名システム: その他 (中間サーバー、後期高齢者医療システム)
    named = systems("midori_kouki.txt")
    graph = load_sample("midori_kouki.txt").graph
    reached = set(graph.objects(named["団体内統合宛名システム"], PIA.connectsTo))
    assert {named["中間サーバー"], named["後期高齢者医療システム"]} <= reached


def entrustment(graph: Graph, number: int, written: str) -> URIRef:
    flow = ID[f"assessment/test/file/1/entrustment/{number}"]
    graph.add((flow, RDF.type, PIA.Entrustment))
    graph.add((flow, PIA.contractorNameAsWritten, Literal(written)))
    graph.add((flow, PIA.sourceSection, Literal(f"II-4 委託事項{number}")))
    graph.add((flow, PIA.sourceLine, Literal(120 + number)))
    return flow


def test_a_contractor_with_a_branch_is_the_company_with_the_branch_kept_on_the_entrustment():
    graph = Graph()
    branch = entrustment(graph, 1, "日本電気株式会社 九州支社")
    whole = entrustment(graph, 2, "日本電気株式会社")
    resolve(graph)
    company = graph.value(branch, PIA.contractor)
    assert graph.value(whole, PIA.contractor) == company
    assert graph.value(company, RDFS.label) == Literal("日本電気株式会社", lang="ja")
    assert graph.value(branch, PIA.contractorBranch) == Literal("九州支社")
    assert graph.value(whole, PIA.contractorBranch) is None
    assert graph.value(company, PIA.sourceLine) in (Literal(121), Literal(122))  # evidence: an entrustment naming it


def test_the_same_company_in_two_reports_is_one_node():
    # 株式会社みどり情報サービス is 委託先 of both kouki and kokuho
    def companies(name: str) -> dict[str, URIRef]:
        graph = load_sample(name).graph
        return {str(graph.value(c, RDFS.label)): c for c in graph.subjects(RDF.type, PIA.Contractor)}

    assert companies("midori_kouki.txt")["株式会社みどり情報サービス"] == companies("midori_kokuho.txt")["株式会社みどり情報サービス"]
