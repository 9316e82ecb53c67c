"""Findings as RDF: SHACL validation results with their evidence, one sh:ValidationReport per report.

Each report's findings are stored beside it, in its findings graph (`piagraph.store.graphs`), when
it is loaded, and replaced with it; the findings of the rules across reports in one graph of the
store (`across_reports_graph`), by ``piagraph validate --store``. ``piagraph validate --format
turtle`` writes the same RDF. The sh:ValidationReport records when and with which rule set the
report was checked::

    <validation/…> a sh:ValidationReport ; pia:findingAbout <assessment> ; pia:validatedGraph <report graph> ;
        pia:validatedOn "2025-08-01"^^xsd:date ; pia:rulesVersion "piagraph 0.1.0; shapes 1a2b…" ;
        sh:conforms false ; sh:result <finding/…> .
    <finding/…> a sh:ValidationResult ; pia:ruleId "PIA-R33" ; sh:resultSeverity sh:Warning ;
        sh:resultMessage "…"@ja ; sh:focusNode <…> ; pia:sourceSection "III-8 監査" ;
        pia:sourceLine 303 ; pia:sourceLineEnd 311 .
"""

from __future__ import annotations

import datetime as dt
import hashlib

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from ontology import ID, PIA
from piagraph.validation.rules import Finding, rules_version


def finding_iri(finding: Finding) -> URIRef:
    """A deterministic IRI: the same finding on the same report gets the same node."""
    key = "|".join([finding.assessment, finding.rule, finding.focus, finding.message, finding.value or ""])
    return ID[f"finding/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"]


def findings_graph(findings: list[Finding], *, validated: dict[str, URIRef] | None = None,
                   today: dt.date | None = None) -> Graph:
    """Findings as SHACL validation results, one sh:ValidationReport per validated report.

    `validated` maps each validated 評価書 IRI to its report graph IRI (reports without findings
    still get their sh:ValidationReport, with sh:conforms true).
    """
    version = Literal(rules_version())
    today = today or dt.date.today()
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("pia", PIA)
    assessments = dict(validated or {})
    for finding in findings:
        assessments.setdefault(finding.assessment, None)
    reports: dict[str, URIRef] = {}
    for assessment, graph_iri in assessments.items():
        report = ID[f"validation/{hashlib.sha1(assessment.encode('utf-8')).hexdigest()[:16]}"]
        reports[assessment] = report
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, PIA.findingAbout, URIRef(assessment)))
        graph.add((report, PIA.validatedOn, Literal(today.isoformat(), datatype=XSD.date)))
        graph.add((report, PIA.rulesVersion, version))
        if graph_iri is not None:
            graph.add((report, PIA.validatedGraph, URIRef(graph_iri)))
        violated = any(f.severity == "Violation" for f in findings if f.assessment == assessment)
        graph.add((report, SH.conforms, Literal(not violated)))
    for finding in findings:
        node = finding_iri(finding)
        graph.add((reports[finding.assessment], SH.result, node))
        add_finding(graph, node, finding)
    return graph


def add_finding(graph: Graph, node: URIRef, finding: Finding) -> None:
    """One finding as a sh:ValidationResult with its evidence."""
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, PIA.ruleId, Literal(finding.rule)))
    graph.add((node, SH.resultSeverity, SH[finding.severity]))
    graph.add((node, SH.resultMessage, Literal(finding.message, lang="ja")))
    graph.add((node, SH.focusNode, URIRef(finding.focus)))
    graph.add((node, PIA.findingAbout, URIRef(finding.assessment)))
    if finding.value is not None:
        graph.add((node, SH.value, Literal(finding.value)))
    if finding.section is not None:
        graph.add((node, PIA.sourceSection, Literal(finding.section)))
    if finding.line is not None:
        graph.add((node, PIA.sourceLine, Literal(finding.line, datatype=XSD.integer)))
    if finding.line_end is not None:
        graph.add((node, PIA.sourceLineEnd, Literal(finding.line_end, datatype=XSD.integer)))


ACROSS_REPORTS = ID["validation/across-reports"]
"""The sh:ValidationReport of the rules across reports (`piagraph.validation.store_rules`)."""


def across_reports_graph(findings: list[Finding], *, catalog_state: str, today: dt.date | None = None) -> Graph:
    """The findings of the rules across reports as one sh:ValidationReport, with the date, the rule
    set and the state of the catalog they were computed on (`pia:catalogState`): a later load makes
    them out of date, which the app says."""
    today = today or dt.date.today()
    graph = Graph()
    graph.add((ACROSS_REPORTS, RDF.type, SH.ValidationReport))
    graph.add((ACROSS_REPORTS, PIA.validatedOn, Literal(today.isoformat(), datatype=XSD.date)))
    graph.add((ACROSS_REPORTS, PIA.rulesVersion, Literal(rules_version())))
    graph.add((ACROSS_REPORTS, PIA.catalogState, Literal(catalog_state)))
    graph.add((ACROSS_REPORTS, SH.conforms, Literal(not any(f.severity == "Violation" for f in findings))))
    for finding in findings:
        node = finding_iri(finding)
        graph.add((ACROSS_REPORTS, SH.result, node))
        add_finding(graph, node, finding)
    return graph
