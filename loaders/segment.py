"""Lines → the form's structure: cover, sections I–V, 別添1, 別添2, numbered sub-sections and blocks.

The form (様式3) fixes the headings, so segmentation anchors on them: top-level headings
(``I 基本情報`` …), numbered sub-sections (``3. 特定個人情報の入手・使用``), per-file parts of II and III
(each starts at ``1. 特定個人情報ファイル名``) and numbered blocks (システムN, 委託事項N, 提供先N, 移転先N).
Placeholder rows of the form (``システム2~5``, ``提供先6~10``) are recognised and kept apart: they are
not entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.normalise import Line

SECTION_KEYS = ("cover", "I", "II", "III", "IV", "V", "annex1", "annex2")

_TOP_LEVEL = [
    ("I", re.compile(r"^I\s*基本情報\s*$")),
    ("II", re.compile(r"^II\s*特定個人情報ファイルの概要")),
    ("III", re.compile(r"^III\s*リスク対策")),
    ("IV", re.compile(r"^IV\s*開示請求")),
    ("V", re.compile(r"^V\s*評価実施手続")),
    ("annex1", re.compile(r"^\(別添1\)")),
    ("annex2", re.compile(r"^\(別添2\)")),
]

SUBSECTION_TITLES: dict[str, dict[int, str]] = {
    "I": {1: "事務", 2: "システム", 3: "ファイル名", 4: "個人番号の利用", 5: "情報連携",
          6: "担当部署", 7: "他の評価実施機関"},
    "II": {1: "ファイル名", 2: "基本情報", 3: "入手・使用", 4: "委託", 5: "提供・移転",
           6: "保管・消去", 7: "備考"},
    "III": {1: "ファイル名", 2: "入手", 3: "使用", 4: "委託", 5: "提供・移転",
            6: "情報提供ネットワークシステムとの接続", 7: "保管・消去", 8: "監査", 9: "教育・啓発",
            10: "その他のリスク対策"},
    "IV": {1: "開示", 2: "問合せ"},
    "V": {1: "基礎項目評価", 2: "意見の聴取", 3: "第三者点検"},
}

_SUBSECTION = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")
_BLOCK = re.compile(
    r"^(システム|委託事項|提供先|移転先)\s*(\d{1,2})(?:\s*[~〜\-ー]\s*(\d{1,2}))?(?:\s+|$)(.*)$"
)
BLOCK_KINDS = {"システム": "system", "委託事項": "entrustment", "提供先": "provision", "移転先": "transfer"}


@dataclass
class Section:
    """A top-level part of the report; II and III may occur once per file."""

    key: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Subsection:
    """A numbered part of a section (``4. 特定個人情報ファイルの取扱いの委託``)."""

    number: int
    heading: Line
    lines: list[Line] = field(default_factory=list)


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

    def lines(self, key: str) -> list[Line]:
        """All lines of every occurrence of a section, in source order."""
        return [line for section in self.sections.get(key, []) for line in section.lines]

    def has(self, key: str) -> bool:
        return bool(self.sections.get(key))


def top_level_key(line: Line) -> str | None:
    if not line.cells or len(line.cells) > 2:
        return None
    for key, pattern in _TOP_LEVEL:
        if pattern.match(line.cells[0]):
            return key
    return None


def segment(lines: list[Line]) -> SegmentedReport:
    """Cut the lines into top-level sections, skipping the table of contents (項目一覧)."""
    sections: dict[str, list[Section]] = {key: [] for key in SECTION_KEYS}
    current = Section("cover", None)
    sections["cover"].append(current)
    in_contents = False
    for line in lines:
        key = top_level_key(line) if current.key != "annex2" else None
        if in_contents:
            if key is not None or line.is_blank:
                in_contents = key != "annex2"
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
    return SegmentedReport(sections)


def subsection_number(line: Line, section_key: str) -> int | None:
    """The number N of a ``N. <title>`` heading of this section, or None."""
    if not line.cells or len(line.cells) > 2:
        return None
    match = _SUBSECTION.match(line.cells[0])
    if not match:
        return None
    number = int(match.group(1))
    keyword = SUBSECTION_TITLES.get(section_key, {}).get(number)
    return number if keyword and keyword in match.group(2) else None


def subsections(lines: list[Line], section_key: str) -> list[Subsection]:
    """Split a section's lines at its numbered headings; lines before the first are dropped."""
    parts: list[Subsection] = []
    for line in lines:
        number = subsection_number(line, section_key)
        if number is not None:
            parts.append(Subsection(number, line))
        elif parts:
            parts[-1].lines.append(line)
    return parts


def split_per_file(lines: list[Line], section_key: str) -> list[list[Subsection]]:
    """II and III repeat once per 特定個人情報ファイル: each repetition starts at sub-section 1."""
    files: list[list[Subsection]] = []
    for part in subsections(lines, section_key):
        if part.number == 1 or not files:
            files.append([])
        files[-1].append(part)
    return files


def block_header(line: Line) -> tuple[str, int, int | None, str] | None:
    """(kind, first number, last number of a placeholder range or None, title) of a block header."""
    if not line.cells:
        return None
    match = _BLOCK.match(line.text)
    if not match:
        return None
    kind = BLOCK_KINDS[match.group(1)]
    last = int(match.group(3)) if match.group(3) else None
    return kind, int(match.group(2)), last, match.group(4).strip()


def blocks(lines: list[Line], kinds: set[str]) -> tuple[list[Line], list[Block], list[Placeholder]]:
    """Split lines into the preamble, the numbered blocks of the given kinds and placeholder rows."""
    preamble: list[Line] = []
    found: list[Block] = []
    placeholders: list[Placeholder] = []
    current: Block | None = None
    for line in lines:
        header = block_header(line)
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
