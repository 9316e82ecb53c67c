"""Where a finding's evidence is read: the place of the form its rule speaks about, in this report's text.

A finding first points at its focus node's own line (`piagraph.validation.rules.evidence_of`). A rule
about a file is read at the file's node, whose line is the file's II-1 name — but "III-8 監査 … のいずれも
選ばれていない" is about part 8 of section III for that file, wherever the node was read. So when a
rule's message names a place of the form (``III-8``, ``II-5``, ``III 情報提供ネットワークシステムとの接続
の評価項目``; the last one named when there are several: "II-4 で…としているが、III-4 … がない" is about
III-4) and the finding's line lies elsewhere, the finding cites that place: the heading of that part
in this report and its last line — in a section the form repeats per file, in the repetition that
belongs to the focus node's own file. A part the text lacks is cited at the heading that follows it
(where it would have been).

The places come from the report's text cut along its form's headings by the loader's own
segmentation (`loaders.segment`, with the form the report was read as, `loaders.forms`; a
layout-lost text is rebuilt first, as the loader does), so the lines are those every other piece of
evidence refers to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rdflib import RDF, Graph, URIRef

from loaders import layout
from loaders.forms import Form, form_of_type
from loaders.normalise import normalise_text
from loaders.segment import Subsection, segment, split_per_file, subsections
from loaders.shape import LAYOUT_LOST, text_shape
from ontology import PIA

_ROMAN = r"VII|VI|IV|V|III|II|I"
_PLACE = re.compile(rf"(?<![A-Za-z])({_ROMAN})-(\d{{1,2}})(?!\d)")
_AREA = re.compile(rf"^({_ROMAN}) (.+?) の評価項目")


@dataclass(frozen=True)
class Place:
    """A numbered part of a section of the form: ``III-8`` is Place("III", 8)."""

    section: str
    number: int

    def label(self, form: Form) -> str:
        """How evidence names the place: ``III-8 監査``."""
        section = form.section(self.section)
        part = section.part(self.number) if section is not None else None
        return f"{self.section}-{self.number}" + (f" {part.keyword}" if part is not None else "")

    def cited_by(self, section: str | None) -> bool:
        """Whether an evidence section (``III-7 保管・消去``, ``II-5 提供先1``) lies in this place."""
        return bool(section) and re.match(rf"{self.section}-{self.number}(?!\d)", section) is not None


def place_of(message: str, form: Form) -> Place | None:
    """The place of the form a rule's message names (the last one), or None."""
    found = _PLACE.findall(message)
    if found:
        section, number = found[-1]
        return Place(section, int(number))
    area = _AREA.match(message)
    section = form.section(area.group(1)) if area else None
    if section is not None:
        for part in section.parts:
            if area.group(2) in (part.area, part.keyword):
                return Place(section.key, part.number)
    return None


@dataclass(frozen=True)
class Span:
    """Lines of the report: a part's heading (`first`) to its last non-blank line."""

    first: int
    last: int

    def holds(self, line: int) -> bool:
        return self.first <= line <= self.last


class FormMap:
    """The report's text cut along its form's headings: for each section, one run of numbered parts
    (or one per file, for the sections the form repeats per file), each part with its lines."""

    def __init__(self, lines: Sequence[str], form: Form):
        self.form = form
        text = "\n".join(lines)
        normalised = normalise_text(text)
        if text_shape(text) == LAYOUT_LOST:
            normalised = layout.rebuild(normalised, form).lines
        segmented = segment(normalised, form)
        self.parts: dict[str, list[dict[int, Span]]] = {}
        for section in form.sections:
            if not section.parts:
                continue
            section_lines = segmented.lines(section.key)
            runs = split_per_file(section_lines, section) if section.per_file else [subsections(section_lines, section)]
            self.parts[section.key] = [{sub.number: _span(sub) for sub in run} for run in runs if run]

    def per_file(self, key: str) -> bool:
        section = self.form.section(key)
        return bool(section is not None and section.per_file)

    def locate(self, place: Place, run: int) -> Span | None:
        """The span of a place in one run; a missing part is located at the heading after it."""
        runs = self.parts.get(place.section, [])
        if not 0 <= run < len(runs):
            return None
        found = runs[run].get(place.number)
        if found is not None:
            return found
        later = [span for number, span in sorted(runs[run].items()) if number > place.number]
        return Span(later[0].first, later[0].first) if later else None

    def run_holding(self, section: str, lines: Sequence[int]) -> int | None:
        """The index of the run of `section` whose lines hold one of `lines`."""
        for index, run in enumerate(self.parts.get(section, [])):
            whole = Span(min(s.first for s in run.values()), max(s.last for s in run.values()))
            if any(whole.holds(line) for line in lines):
                return index
        return None


def _span(sub: Subsection) -> Span:
    numbers = [line.number for line in [sub.heading, *sub.lines] if not line.is_blank]
    return Span(sub.heading.number, max(numbers))


def _lines_of(graph: Graph, nodes) -> list[int]:
    return [int(line) for node in nodes for line in graph.objects(node, PIA.sourceLine)]


def file_run(form: FormMap, section: str, graph: Graph, focus: URIRef) -> int | None:
    """Which run of a per-file section belongs to the focus node's file: the run holding the lines of
    the file's own nodes (its risk measures, its flows, its name); else the run of another per-file
    section that holds the file's name, in the same position."""
    if not form.per_file(section):
        return 0
    file = focus if (focus, RDF.type, PIA.PersonalInfoFile) in graph else graph.value(focus, PIA.ofFile)
    if file is None:
        return form.run_holding(section, _lines_of(graph, [focus]))
    own = [file, *graph.objects(file, PIA.riskMeasure), *graph.subjects(PIA.ofFile, file)]
    found = form.run_holding(section, _lines_of(graph, own))
    if found is None:
        others = [key for key in form.parts if key != section and form.per_file(key)]
        found = next((run for key in others if (run := form.run_holding(key, _lines_of(graph, [file]))) is not None),
                     None)
    return found


def form_of(graph: Graph) -> Form:
    """The form a report graph was read as (its pia:formType; 様式3 when it names none)."""
    assessment = next(graph.subjects(RDF.type, PIA.Assessment), None)
    form_type = graph.value(assessment, PIA.formType) if assessment is not None else None
    return form_of_type(str(form_type) if form_type is not None else None)


def relocate(findings: list, graph: Graph, source_lines: Sequence[str]) -> list:
    """The findings, each citing the place of the form its rule names (see the module doc)."""
    if not source_lines or not findings:
        return list(findings)
    form = form_of(graph)
    cut: FormMap | None = None
    placed = []
    for finding in findings:
        place = place_of(finding.message, form)
        if place is None or place.cited_by(finding.section) or form.section(place.section) is None:
            placed.append(finding)
            continue
        cut = cut or FormMap(source_lines, form)
        run = file_run(cut, place.section, graph, URIRef(finding.focus))
        span = cut.locate(place, run) if run is not None else None
        if span is None:
            placed.append(finding)
        else:
            placed.append(replace(finding, section=place.label(form), line=span.first,
                                  line_end=span.last if span.last != span.first else None))
    return placed


__all__ = ["FormMap", "Place", "Span", "file_run", "form_of", "place_of", "relocate"]
