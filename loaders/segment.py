"""Lines → the form's structure: cover, the sections, annexes, numbered parts and blocks.

The form fixes the headings, and its description (`loaders.forms`) lists them, so segmentation
anchors on them: top-level headings (``I 基本情報`` …), numbered parts (``3. 特定個人情報の入手・使用``),
per-file repetitions of the overview and risk sections (each starts at ``1. 特定個人情報ファイル名``)
and numbered blocks (システムN, 委託事項N, 提供先N, 移転先N). Placeholder rows of the form
(``システム2~5``, ``提供先6~10``) are recognised and kept apart: they are not entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.forms import DEFAULT_FORM, Form, Part, load_form
from loaders.forms import Section as FormSection
from loaders.normalise import Line

_SUBSECTION = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")


def _default() -> Form:
    return load_form(DEFAULT_FORM)


@lru_cache(maxsize=None)
def _block_pattern(words: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    alternatives = "|".join(re.escape(word) for _, word in words)
    pattern = re.compile(rf"^({alternatives})\s*(\d{{1,2}})(?:\s*[~〜\-ー]\s*(\d{{1,2}}))?(?:\s+|$)(.*)$")
    return pattern, {word: kind for kind, word in words}


@dataclass
class Section:
    """A top-level part of the report; the overview and risk sections may occur once per file."""

    key: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Subsection:
    """A numbered part of a section (``4. 特定個人情報ファイルの取扱いの委託``): the number as printed
    and the part of the form it opens."""

    number: int
    heading: Line
    lines: list[Line] = field(default_factory=list)
    part: Part | None = None


@dataclass
class Block:
    """A numbered entry: システムN, 委託事項N, 提供先N or 移転先N, with the text after its number."""

    kind: str
    number: int
    header: Line
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class Placeholder:
    """An empty placeholder row of the form (``提供先2~5``): not an entry."""

    kind: str
    first: int
    last: int
    line: Line


@dataclass
class SegmentedReport:
    """The report cut along the form's headings."""

    sections: dict[str, list[Section]]
    form: Form = field(default_factory=_default)

    def lines(self, key: str) -> list[Line]:
        """All lines of every occurrence of a section, in source order."""
        return [line for section in self.sections.get(key, []) for line in section.lines]

    def has(self, key: str) -> bool:
        return bool(self.sections.get(key))


def top_level_key(line: Line, form: Form | None = None) -> str | None:
    """The section a line heads: a heading of the form standing alone (a note may follow it)."""
    if not line.cells or len(line.cells) > 2:
        return None
    for section in (form or _default()).heading_sections:
        if section.heading.match(line.cells[0]):
            return section.key
    return None


def segment(lines: list[Line], form: Form | None = None) -> SegmentedReport:
    """Cut the lines into top-level sections, skipping the table of contents (項目一覧). Within the
    change table (変更箇所) a heading is an item of a row, not a section."""
    form = form or _default()
    roles = {s.key: s.role for s in form.sections}
    sections: dict[str, list[Section]] = {key: [] for key in form.keys}
    current = Section("cover", None)
    sections["cover"].append(current)
    in_contents = False
    for line in lines:
        key = top_level_key(line, form) if roles.get(current.key) != "changes" else None
        if in_contents:
            if key is not None or line.is_blank:
                in_contents = roles.get(key) != "changes"
                continue
            in_contents = False
        if line.cells and line.cells[0] == "項目一覧":
            in_contents = True
            continue
        if key is not None:
            current = Section(key, line)
            sections[key].append(current)
        else:
            current.lines.append(line)
    return SegmentedReport(sections, form)


def subsection_part(line: Line, section: FormSection | None) -> tuple[int, Part] | None:
    """(number as printed, part) of a ``N. <title>`` heading of this section, or None."""
    if section is None or not line.cells or len(line.cells) > 2:
        return None
    match = _SUBSECTION.match(line.cells[0])
    if not match:
        return None
    number = int(match.group(1))
    part = section.part_for(number, match.group(2))
    return (number, part) if part is not None else None


def subsection_number(line: Line, section) -> int | None:
    """The number N of a ``N. <title>`` heading of this section (a form `Section`, or its key in
    様式3), or None."""
    if isinstance(section, str):
        section = _default().section(section)
    found = subsection_part(line, section)
    return found[0] if found else None


def subsections(lines: list[Line], section) -> list[Subsection]:
    """Split a section's lines at its numbered headings; lines before the first are dropped."""
    if isinstance(section, str):
        section = _default().section(section)
    parts: list[Subsection] = []
    for line in lines:
        found = subsection_part(line, section)
        if found is not None:
            parts.append(Subsection(found[0], line, part=found[1]))
        elif parts:
            parts[-1].lines.append(line)
    return parts


def split_per_file(lines: list[Line], section) -> list[list[Subsection]]:
    """The overview and risk sections repeat once per 特定個人情報ファイル: each repetition starts at
    its part 1 (特定個人情報ファイル名)."""
    files: list[list[Subsection]] = []
    for part in subsections(lines, section):
        if part.part.number == 1 or not files:
            files.append([])
        files[-1].append(part)
    return files


def block_header(line: Line, form: Form | None = None) -> tuple[str, int, int | None, str] | None:
    """(kind, first number, last number of a placeholder range or None, title) of a block header."""
    if not line.cells:
        return None
    pattern, kinds = _block_pattern(tuple(sorted((form or _default()).blocks.items())))
    match = pattern.match(line.text)
    if not match:
        return None
    last = int(match.group(3)) if match.group(3) else None
    return kinds[match.group(1)], int(match.group(2)), last, match.group(4).strip()


def blocks(lines: list[Line], kinds: set[str], form: Form | None = None
           ) -> tuple[list[Line], list[Block], list[Placeholder]]:
    """Split lines into the preamble, the numbered blocks of the given kinds and placeholder rows."""
    preamble: list[Line] = []
    found: list[Block] = []
    placeholders: list[Placeholder] = []
    current: Block | None = None
    for line in lines:
        header = block_header(line, form)
        if header and header[0] in kinds:
            kind, first, last, title = header
            if last is not None:
                placeholders.append(Placeholder(kind, first, last, line))
                current = None
                continue
            current = Block(kind, first, line, title)
            found.append(current)
            continue
        (current.lines if current else preamble).append(line)
    return preamble, found, placeholders
