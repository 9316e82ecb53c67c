"""Where a finding's evidence is read: the place of the form its rule speaks about, in this report's text.

A finding first points at its focus node's own line (`piagraph.validation.rules.evidence_of`). A rule
about a file is read at the file's node, whose line is the file's II-1 name — but "III-8 監査 … のいずれも
選ばれていない" is about section III-8 of that file, wherever the node was read. So when a rule's
message names a place of the form (``III-8``, ``II-5``, ``III 情報提供ネットワークシステムとの接続 の評価項目``;
the last one named when there are several: "II-4 で…としているが、III-4 … がない" is about III-4) and the
finding's line lies elsewhere, the finding cites that place: the heading of that sub-section in this
report and its last line — for II and III, in the part that belongs to the focus node's own file. A
sub-section the text lacks is cited at the heading that follows it (where it would have been).

The places come from the report's text cut along the form's headings by the loader's own
segmentation (`loaders.segment`; a layout-lost text is rebuilt first, as the loader does), so the
lines are those every other piece of evidence refers to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rdflib import RDF, Graph, URIRef

from loaders import layout
from loaders.normalise import normalise_text
from loaders.segment import SUBSECTION_TITLES, Subsection, segment, split_per_file, subsections
from loaders.shape import LAYOUT_LOST, text_shape
from ontology import PIA

SECTIONS = ("I", "II", "III", "IV", "V")
PER_FILE = ("II", "III")
"""Sections the form repeats once per 特定個人情報ファイル."""

_PLACE = re.compile(r"(?<![A-Za-z])(III|II|IV|V|I)-(\d{1,2})(?!\d)")
_AREA = re.compile(r"^III (.+?) の評価項目")


@dataclass(frozen=True)
class Place:
    """A sub-section of the form: ``III-8`` is Place("III", 8)."""

    section: str
    number: int

    @property
    def label(self) -> str:
        title = SUBSECTION_TITLES.get(self.section, {}).get(self.number)
        return f"{self.section}-{self.number}" + (f" {title}" if title else "")

    def cited_by(self, section: str | None) -> bool:
        """Whether an evidence section (``III-7 保管・消去``, ``II-5 提供先1``) lies in this place."""
        return bool(section) and re.match(rf"{self.section}-{self.number}(?!\d)", section) is not None


def place_of(message: str) -> Place | None:
    """The place of the form a rule's message names (the last one), or None."""
    found = _PLACE.findall(message)
    if found:
        section, number = found[-1]
        return Place(section, int(number))
    area = _AREA.match(message)
    if area:
        for number, title in SUBSECTION_TITLES["III"].items():
            if area.group(1) == title:
                return Place("III", number)
    return None


@dataclass(frozen=True)
class Span:
    """Lines of the report: a sub-section's heading (`first`) to its last non-blank line."""

    first: int
    last: int

    def holds(self, line: int) -> bool:
        return self.first <= line <= self.last


class FormMap:
    """The report's text cut along the form's headings: for each section, one part (or one per file
    for II and III), each a list of numbered sub-sections with their lines."""

    def __init__(self, lines: Sequence[str]):
        text = "\n".join(lines)
        normalised = normalise_text(text)
        if text_shape(text) == LAYOUT_LOST:
            normalised = layout.rebuild(normalised).lines
        segmented = segment(normalised)
        self.parts: dict[str, list[dict[int, Span]]] = {}
        for key in SECTIONS:
            section_lines = segmented.lines(key)
            per_file = split_per_file(section_lines, key) if key in PER_FILE else [subsections(section_lines, key)]
            self.parts[key] = [{sub.number: _span(sub) for sub in part} for part in per_file if part]

    def locate(self, place: Place, part: int) -> Span | None:
        """The span of a place in one part; a missing sub-section is located at the heading after it."""
        subs = self.parts.get(place.section, [])
        if not 0 <= part < len(subs):
            return None
        found = subs[part].get(place.number)
        if found is not None:
            return found
        later = [span for number, span in sorted(subs[part].items()) if number > place.number]
        return Span(later[0].first, later[0].first) if later else None

    def part_holding(self, section: str, lines: Sequence[int]) -> int | None:
        """The index of the part of `section` whose lines hold one of `lines`."""
        for index, part in enumerate(self.parts.get(section, [])):
            whole = Span(min(s.first for s in part.values()), max(s.last for s in part.values()))
            if any(whole.holds(line) for line in lines):
                return index
        return None


def _span(sub: Subsection) -> Span:
    numbers = [line.number for line in [sub.heading, *sub.lines] if not line.is_blank]
    return Span(sub.heading.number, max(numbers))


def _lines_of(graph: Graph, nodes) -> list[int]:
    return [int(line) for node in nodes for line in graph.objects(node, PIA.sourceLine)]


def file_part(form: FormMap, section: str, graph: Graph, focus: URIRef) -> int | None:
    """Which part of a per-file section belongs to the focus node's file: the part holding the
    lines of the file's own nodes (its risk measures for III, its flows for II); else the part of
    II that holds the file's name, in the same position."""
    if section not in PER_FILE:
        return 0
    file = focus if (focus, RDF.type, PIA.PersonalInfoFile) in graph else graph.value(focus, PIA.ofFile)
    if file is None:
        return form.part_holding(section, _lines_of(graph, [focus]))
    own = [file, *graph.objects(file, PIA.riskMeasure), *graph.subjects(PIA.ofFile, file)]
    found = form.part_holding(section, _lines_of(graph, own))
    if found is None and section == "III":
        found = form.part_holding("II", _lines_of(graph, [file]))
    return found


def relocate(findings: list, graph: Graph, source_lines: Sequence[str]) -> list:
    """The findings, each citing the place of the form its rule names (see the module doc)."""
    form: FormMap | None = None
    placed = []
    for finding in findings:
        place = place_of(finding.message)
        if place is None or place.cited_by(finding.section) or not source_lines:
            placed.append(finding)
            continue
        form = form or FormMap(source_lines)
        part = file_part(form, place.section, graph, URIRef(finding.focus))
        span = form.locate(place, part) if part is not None else None
        if span is None:
            placed.append(finding)
        else:
            placed.append(replace(finding, section=place.label, line=span.first,
                                  line_end=span.last if span.last != span.first else None))
    return placed


__all__ = ["FormMap", "Place", "Span", "file_part", "place_of", "relocate"]
