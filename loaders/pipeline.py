"""The loader pipeline: read → normalise → segment → extract → to_rdf → resolve.

`load_report` is the one entry point the CLI, the store and the app use. The report's shape is
detected on the way (`loaders.shape`): a PDF is read with its cell geometry (`loaders.pdf`), and
text whose table layout was lost is rebuilt into tidy rows (`loaders.layout`) before `segment`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from loaders import layout
from loaders.extract import extract
from loaders.fields import label_key
from loaders.normalise import Line, normalise_text
from loaders.read import SourceText, read_report
from loaders.records import Report
from loaders.resolve import resolve
from loaders.segment import SegmentedReport, segment
from loaders.shape import LAYOUT_LOST, PDF, text_shape
from loaders.to_rdf import identity_of, to_rdf
from ontology import ontology_graph
from ontology.errors import PdfInput, ReportError

REQUIRED_SECTIONS = {"I": "I 基本情報", "II": "II 特定個人情報ファイルの概要", "III": "III リスク対策",
                     "IV": "IV 開示請求、問合せ", "V": "V 評価実施手続"}
# The three forms of 評価書 and their 様式 numbers; piagraph reads the 重点項目評価書.
FORMS = {"基礎項目評価書": "様式2", "重点項目評価書": "様式3", "全項目評価書": "様式4"}
READ_FORM = "重点項目評価書"
_DECLARED_FORM = re.compile(r"\((基礎項目評価書|重点項目評価書|全項目評価書)\)")


@dataclass
class LoadedReport:
    """One report, extracted and turned into its graph."""

    report: Report
    graph: Graph
    graph_iri: URIRef
    assessment: URIRef
    series_key: str
    published_on: dt.date | None
    source_lines: list[str] = field(default_factory=list)
    """The text every ``pia:sourceLine`` refers to, one string per line (line N is
    ``source_lines[N - 1]``): the text as read (a layout-lost text's rebuilt rows keep these
    numbers), or for a PDF the text rebuilt from its cells. Kept with the report as its evidence."""


def declared_form(segmented: SegmentedReport) -> str | None:
    """The form the cover's title names (``特定個人情報保護評価書(全項目評価書)``), if any."""
    for line in segmented.lines("cover"):
        match = _DECLARED_FORM.search(line.text)
        if match:
            return match.group(1)
    return None


def cover_rows(lines: list[Line]) -> int:
    """How many of the lines open a cover: the ``評価書番号`` row."""
    return sum(1 for line in lines if line.cells and label_key(line.cells[0]).startswith("評価書番号"))


def check_complete(segmented: SegmentedReport, path: str) -> None:
    """A report without the form's sections I–V is truncated, of another form, or another document."""
    missing = [title for key, title in REQUIRED_SECTIONS.items() if not segmented.has(key)]
    if not missing:
        return
    form = declared_form(segmented)
    none = len(missing) == len(REQUIRED_SECTIONS)
    what = "none of the sections I–V found" if none else f"section {', '.join(missing)} not found"
    if form and form != READ_FORM:  # another form's sections differ from 様式3's: read as 様式3 they would mislead
        raise ReportError(path, f"its cover names a {form} ({FORMS[form]}); piagraph reads the {READ_FORM} "
                                f"({FORMS[READ_FORM]}), and {what}")
    if none and not cover_rows(segmented.lines("cover")):
        raise ReportError(path, f"not a 様式3 report: {what}")
    raise ReportError(path, f"truncated or incomplete report: {what}")


def check_single(lines: list[Line], path: str) -> None:
    """One report per file: a second cover (評価書番号) means several reports, or one repeated."""
    covers = cover_rows(lines)
    if covers > 1:
        raise ReportError(path, f"holds {covers} covers (評価書番号): several reports or repeated content in one "
                                "file; give each report its own file")


def extract_report(source: SourceText, shape: str | None = None) -> Report:
    """Decoded text → typed record. `shape` names where the text came from (``pdf``); the reader
    follows the text's own shape, tidy rows or layout-lost text."""
    reader = text_shape(source.text)
    lines = normalise_text(source.text)
    check_single(lines, source.path)
    rebuilt = layout.rebuild(lines) if reader == LAYOUT_LOST else None
    segmented = segment(rebuilt.lines if rebuilt else lines)
    check_complete(segmented, source.path)
    try:
        report = extract(segmented, Path(source.path).name, source.encoding)
    except Exception as error:  # a text the extractor cannot follow is bad input, named as such
        raise ReportError(source.path, f"cannot be read as a 様式3 report ({type(error).__name__}: {error})") from error
    if report.cover.assessor is None and report.cover.assessment_number is None:
        raise ReportError(source.path, "no cover: neither 評価書番号 nor 評価実施機関名 found")
    if rebuilt:
        layout.apply(report, rebuilt)
    report.shape = shape or reader
    return report


def read_source(path: str | Path) -> tuple[SourceText, str | None]:
    """The report's text, and ``pdf`` when it was read from a PDF file."""
    try:
        return read_report(path), None
    except PdfInput:
        from loaders.pdf import read_pdf  # pdfplumber is loaded only for PDFs

        return read_pdf(path), PDF


def build_graph(report: Report) -> LoadedReport:
    """Typed record → resolved graph with its identity."""
    identity = identity_of(report)
    graph = resolve(to_rdf(report))
    return LoadedReport(report, graph, identity.graph, identity.assessment, identity.series_key,
                        report.cover.published_on)


def load_report(path: str | Path) -> LoadedReport:
    """Read one report file and return its graph; raises `ReportError` on bad input."""
    source, shape = read_source(path)
    loaded = build_graph(extract_report(source, shape))
    loaded.source_lines = source.text.split("\n")
    return loaded


__all__ = ["LoadedReport", "load_report", "extract_report", "read_source", "build_graph", "ontology_graph",
           "ReportError"]
