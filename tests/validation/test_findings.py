"""Findings as SHACL validation results (`piagraph.validation.findings`): what `validate --format turtle`
writes and the store's findings graph holds.

The findings are the real ones of the samples on 2025-09-01: kouki and kokuho each break a rule
(a Violation), kaigo only has a Warning (its 課題が残されている) and jidou a Warning (公表日 平成31年,
older than 5 years) — see tests/validation/test_rules.py for each finding read from the text.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SH, XSD

from ontology import PIA
from piagraph.validation.findings import finding_iri, findings_graph
from piagraph.validation.rules import validate_graph
from tests.conftest import load_sample

TODAY = dt.date(2025, 9, 1)
SAMPLES = ("midori_kouki.txt", "midori_kaigo.txt", "midori_kokuho.txt", "midori_jidou.txt")


@cache
def findings(name: str) -> tuple:
    return tuple(validate_graph(load_sample(name).graph, today=TODAY))


def reports_of(graph) -> dict[str, URIRef]:
    """評価書 IRI → its sh:ValidationReport."""
    return {str(graph.value(report, PIA.findingAbout)): report for report in graph.subjects(RDF.type, SH.ValidationReport)}


def test_one_report_per_validated_report_conforming_exactly_when_no_violation():
    graph = findings_graph([f for name in SAMPLES for f in findings(name)], today=TODAY)
    reports = reports_of(graph)
    assert len(reports) == 4
    conforms = {name: graph.value(reports[str(load_sample(name).assessment)], SH.conforms).toPython() for name in SAMPLES}
    assert conforms == {"midori_kouki.txt": False, "midori_kokuho.txt": False,
                        "midori_kaigo.txt": True, "midori_jidou.txt": True}


def test_a_validated_report_without_findings_conforms_and_names_its_graph():
    kaigo = load_sample("midori_kaigo.txt")
    graph = findings_graph([], validated={str(kaigo.assessment): kaigo.graph_iri}, today=TODAY)
    [report] = reports_of(graph).values()
    assert graph.value(report, SH.conforms) == Literal(True)
    assert graph.value(report, PIA.validatedGraph) == kaigo.graph_iri
    assert graph.value(report, PIA.validatedOn) == Literal("2025-09-01", datatype=XSD.date)
    assert not list(graph.objects(report, SH.result))


def test_a_result_carries_the_rule_severity_message_and_the_line_to_read():
    # kouki's 提供先1 (line 137) cites 高齢者の医療の確保に関する法律 only, no 番号法第19条
    [violation] = findings("midori_kouki.txt")
    graph = findings_graph([violation], today=TODAY)
    node = finding_iri(violation)
    assert (reports_of(graph)[violation.assessment], SH.result, node) in graph
    assert graph.value(node, PIA.ruleId) == Literal("PIA-R25")
    assert graph.value(node, SH.resultSeverity) == SH.Violation
    assert graph.value(node, PIA.sourceLine) == Literal(137, datatype=XSD.integer)
    assert graph.value(node, SH.resultMessage).language == "ja"
    assert graph.value(node, SH.focusNode) == URIRef(violation.focus)


def test_the_same_findings_give_the_same_graph_whatever_their_order():
    every = [f for name in SAMPLES for f in findings(name)]
    assert set(findings_graph(every, today=TODAY)) == set(findings_graph(every[::-1], today=TODAY))
    assert len({finding_iri(f) for f in every}) == len(every)  # distinct findings, distinct nodes
