"""The loader pipeline: read → normalise → recognise the form → segment → extract → to_rdf → resolve.

`load_report` is the one entry point the CLI, the store and the app use. The report's form (様式2,
様式3 or 様式4) is recognised from its title line or version label (`loaders.forms`), and every later
stage follows that form's description. The report's shape is detected on the way
(`loaders.shape`): a PDF is read with its cell geometry (`loaders.pdf`), and text whose table layout
was lost is rebuilt into tidy rows (`loaders.layout`) before `segment`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from loaders import layout
from loaders.extract import extract
from loaders.fields import label_key
from loaders.forms import DEFAULT_FORM, FORM_NAMES, Recognition, all_forms, recognise
from loaders.normalise import Line, normalise_text
from loaders.read import Doubt, SourceText, read_report
from loaders.records import Report, Value, lowered, replace_values
from loaders.resolve import resolve
from loaders.segment import SegmentedReport, segment
from loaders.shape import LAYOUT_LOST, PDF, text_shape
from loaders.to_rdf import identity_of, to_rdf
from ontology import ontology_graph
from ontology.errors import PdfInput, ReportError


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


def cover_rows(lines: list[Line]) -> int:
    """How many of the lines open a cover: the ``評価書番号`` row."""
    return sum(1 for line in lines if line.cells and label_key(line.cells[0]).startswith("評価書番号"))


def form_to_read(lines: list[Line], path: str) -> Recognition:
    """The form a report is read as; a report naming a form piagraph does not describe is refused,
    naming what its cover says."""
    recognition = recognise([line.text for line in lines])
    if recognition.form is None:
        raise ReportError(path, f"its cover names a form piagraph does not read ({recognition.describe()}); "
                                f"piagraph reads the {', '.join(f'{n} ({f})' for n, f in FORM_NAMES.items())}")
    return recognition


def reading_notes(recognition: Recognition) -> list[str]:
    """What an auditor should know of how the form was recognised: an edition the form's description
    does not list, a version label naming another form than the title, a form told by headings only."""
    form, notes = recognition.form, []
    if not recognition.known_version:
        notes.append(f"the version label [{recognition.version}] names an edition of {form.form} piagraph does not "
                     f"describe (known: {', '.join(form.versions)}); read with the rows of {form.form}, which accept "
                     "the wordings of its known editions")
    if recognition.title and recognition.label_form and f"様式{recognition.label_form}" != form.form:
        notes.append(f"the title names a {form.name} ({form.form}) but the version label [{recognition.version}] "
                     f"names 様式{recognition.label_form}; read as {form.form}, as the title says")
    if recognition.by_headings and form.form != DEFAULT_FORM:
        notes.append(f"no title line and no version label: read as a {form.name} ({form.form}) from the headings only "
                     "that form prints")
    return notes


def check_complete(segmented: SegmentedReport, path: str, recognition: Recognition,
                   lines: list[Line] | None = None) -> None:
    """A report without its form's sections is truncated, of another form, or another document. When
    the title names one form and the sections are another's, the line says so."""
    form = segmented.form
    titles = {s.key: s.title for s in form.sections}
    missing = [titles[key] for key in form.required_sections if not segmented.has(key)]
    if not missing:
        return
    none = len(missing) == len(form.required_sections)
    what = f"none of the sections {form.required_sections[0]}–{form.required_sections[-1]} found" if none else \
        f"section {', '.join(missing)} not found"
    if none and not cover_rows(segmented.lines("cover")):
        raise ReportError(path, f"not a {form.form} report: {what}")
    if recognition.by_headings:
        raise ReportError(path, f"truncated or incomplete report: {what}")
    for other in all_forms():
        if other is not form and lines and all(segment(lines, other).has(key) for key in other.required_sections):
            raise ReportError(path, f"its cover names a {form.name} ({form.form}; {recognition.describe()}) but its "
                                    f"sections are those of the {other.name} ({other.form}): {what}")
    raise ReportError(path, f"truncated or incomplete report of a {form.name} ({form.form}, "
                            f"{recognition.describe()}): {what}")


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
    recognition = form_to_read(lines, source.path)
    form = recognition.form
    rebuilt = layout.rebuild(lines, form) if reader == LAYOUT_LOST else None
    segmented = segment(rebuilt.lines if rebuilt else lines, form)
    check_complete(segmented, source.path, recognition, None if rebuilt else lines)
    try:
        report = extract(segmented, Path(source.path).name, source.encoding)
    except Exception as error:  # a text the extractor cannot follow is bad input, named as such
        raise ReportError(source.path, f"cannot be read as a {form.form} report ({type(error).__name__}: "
                                       f"{error})") from error
    report.notes += reading_notes(recognition)
    if report.form_type is None and (recognition.label_form or form.name != "重点項目評価書"):
        report.form_type = form.name  # named by the version label, or by headings only 様式2/4 print
    if report.cover.assessor is None and report.cover.assessment_number is None:
        raise ReportError(source.path, "no cover: neither 評価書番号 nor 評価実施機関名 found")
    if rebuilt:
        layout.apply(report, rebuilt)
    if source.doubts:
        doubts = {doubt.line: doubt for doubt in source.doubts}
        replace_values(report, lambda value: as_sure_as_its_line(value, doubts))
    report.shape = shape or reader
    return report


def as_sure_as_its_line(value: Value, doubts: dict[int, Doubt]) -> Value:
    """`value` no surer than the reading of the line it was read from (a PDF page's joined cell)."""
    doubt = doubts.get(value.evidence.line)
    return value if doubt is None else lowered(value, doubt.confidence, doubt.reason)


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
