"""Findings as RDF: SHACL validation results with their evidence, one sh:ValidationReport per report.

Stored in the findings graph (`ontology.FINDINGS_GRAPH`) of a validated store, and written by
``piagraph validate --format turtle``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from ontology import ID, PIA
from piagraph.validation.rules import Finding


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
        if graph_iri is not None:
            graph.add((report, PIA.validatedGraph, URIRef(graph_iri)))
        violated = any(f.severity == "Violation" for f in findings if f.assessment == assessment)
        graph.add((report, SH.conforms, Literal(not violated)))
    for finding in findings:
        node = finding_iri(finding)
        graph.add((reports[finding.assessment], SH.result, node))
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
    return graph
