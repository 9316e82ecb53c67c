"""The loader pipeline: read → normalise → segment → extract → to_rdf → resolve.

`load_report` is the one entry point the CLI, the store and the app use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from loaders.errors import ReportError
from loaders.extract import extract
from loaders.normalise import normalise_text
from loaders.read import SourceText, read_report
from loaders.records import Report
from loaders.resolve import resolve
from loaders.segment import SegmentedReport, segment
from loaders.to_rdf import identity_of, to_rdf
from loaders.vocabulary import ontology_graph

REQUIRED_SECTIONS = {"I": "I 基本情報", "II": "II 特定個人情報ファイルの概要", "III": "III リスク対策"}


@dataclass
class LoadedReport:
    """One report, extracted and turned into its graph."""

    report: Report
    graph: Graph
    graph_iri: URIRef
    assessment: URIRef
    series_key: str
    published_on: dt.date | None


def check_complete(segmented: SegmentedReport, path: str) -> None:
    """A report without the form's main sections is truncated or is some other document."""
    missing = [title for key, title in REQUIRED_SECTIONS.items() if not segmented.has(key)]
    if len(missing) == len(REQUIRED_SECTIONS):
        raise ReportError(path, "not a 様式3 report: none of the sections I, II, III found")
    if missing:
        raise ReportError(path, f"truncated or incomplete report: section {', '.join(missing)} not found")


def extract_report(source: SourceText) -> Report:
    """Decoded text → typed record."""
    segmented = segment(normalise_text(source.text))
    check_complete(segmented, source.path)
    try:
        report = extract(segmented, Path(source.path).name, source.encoding)
    except Exception as error:  # a text the extractor cannot follow is bad input, named as such
        raise ReportError(source.path, f"cannot be read as a 様式3 report ({type(error).__name__}: {error})") from error
    if report.cover.assessor is None and report.cover.assessment_number is None:
        raise ReportError(source.path, "no cover: neither 評価書番号 nor 評価実施機関名 found")
    return report


def build_graph(report: Report) -> LoadedReport:
    """Typed record → resolved graph with its identity."""
    identity = identity_of(report)
    graph = resolve(to_rdf(report))
    return LoadedReport(report, graph, identity.graph, identity.assessment, identity.series_key,
                        report.cover.published_on)


def load_report(path: str | Path) -> LoadedReport:
    """Read one report file and return its graph; raises `ReportError` on bad input."""
    return build_graph(extract_report(read_report(path)))


__all__ = ["LoadedReport", "load_report", "extract_report", "build_graph", "ontology_graph", "ReportError"]
