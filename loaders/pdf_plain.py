"""A page without ruling lines that is still a table: label | value rows, as a web page prints them.

A report printed from a plain two-column HTML table has no grid, yet its layout is regular: labels
start at the left margin, values at one column a third of the way across, and rows are set apart by
their cells' padding — the distance from one row to the next is larger than from one line to the
next inside a cell. So the page is read as rows of (label lines, value lines):

- the **value column** is where most lines that do not start at the margin start (over the whole
  document); a line is split there into its label part and its value part, unless its text runs on
  across that point (a heading over both columns);
- a **new row** starts where the gap to the previous line is larger than the document's usual line
  pitch, and at a label;
- the **cells** of a value are the parts its printer set apart with an ideographic space (U+3000),
  as the plain tables do for the cells of one form row (``事後　番号法の改正による``);
- a row cut by the page break goes on at the top of the next page without the padding a new row
  starts with, in the column whose text wrapped at the end of the page before: those lines join
  the row (a reading by position, so the caller marks it as uncertain). Where the text did not
  wrap, the next page's lines stay a row of their own: a new paragraph reads the same either way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from loaders.pdf_lines import TextLine, broken_on_purpose, join_lines

# A line starts in the value column when it starts this far (ems) right of the left margin.
MIN_INDENT = 2.0
# Glyphs closer than this (ems) across the value column's start are one text (a heading).
RUN_ON = 0.5
# A gap this much larger than the usual line pitch starts a new row.
ROW_GAP = 1.15
# A page's first line within this many points of the highest first line carries no row padding.
NO_PADDING = 0.75
CELL_SEPARATOR = "\u3000"
# The column's right edge is where its longest line ends: a glyph ending there fits (up to rounding).
ROUNDING = 0.1
# A pitch is common when this share of all line pitches has it.
COMMON_PITCH = 0.05


@dataclass
class PlainRow:
    """One row of a plain table: label lines and value lines (a heading has label lines only)."""

    top: float
    label: list[TextLine] = field(default_factory=list)
    value: list[TextLine] = field(default_factory=list)
    unpadded: bool = False  # the page's first row, starting where rows start without their padding
    joined: bool = False  # lines from the next page were joined to it


@dataclass
class PlainLayout:
    """Where a document's plain-table pages put their columns."""

    value_x: float
    label_right: float
    value_right: float
    line_pitch: float
    first_top: float


def _split(line: TextLine, value_x: float) -> tuple[TextLine | None, TextLine | None]:
    """A line's label part and value part (a heading running on over the value column stays whole)."""
    glyphs = line.glyphs
    cut = next((i for i, g in enumerate(glyphs) if g.x0 >= value_x - 1.0), None)
    if cut is None:
        return line, None
    if cut == 0:
        return None, line
    if all(g.is_space for g in glyphs[:cut]):
        return None, line
    if glyphs[cut].x0 - glyphs[cut - 1].x1 < RUN_ON * glyphs[cut].size:  # spaces count: they carry the text on
        return line, None
    return TextLine(list(glyphs[:cut])), TextLine(list(glyphs[cut:]))


def learn_layout(pages: list[list[TextLine]]) -> PlainLayout | None:
    """The value column, column edges and line pitch of a document's plain-table pages."""
    lines = [line for page in pages for line in page]
    if not lines:
        return None
    margin = min(line.x0 for line in lines)
    size = Counter(round(line.size, 1) for line in lines).most_common(1)[0][0]
    starts = Counter(round(segment_start, 0) for line in lines for segment_start in _segment_starts(line)
                     if segment_start > margin + MIN_INDENT * size)
    if not starts:
        return None
    value_x = starts.most_common(1)[0][0]
    parts = [_split(line, value_x) for line in lines]
    labels = [label.x1 for label, value in parts if label is not None and value is not None]
    values = [value.x1 for _, value in parts if value is not None]
    firsts = [page[0].top for page in pages if page]
    return PlainLayout(value_x, max(labels, default=value_x), max(values, default=value_x), line_pitch(pages, size),
                       min(firsts))


def line_pitch(pages: list[list[TextLine]], size: float) -> float:
    """The distance from one line to the next inside a cell: the smallest pitch that is common."""
    pitches = Counter(round(b.top - a.top, 1) for page in pages for a, b in zip(page, page[1:]) if b.top > a.top)
    total = sum(pitches.values())
    common = [pitch for pitch, count in pitches.items() if count >= COMMON_PITCH * total and pitch >= 0.8 * size]
    return min(common) if common else size * 1.2


def _segment_starts(line: TextLine) -> list[float]:
    """Where the line's text starts, and where it starts again after a gap of an em or more."""
    starts, last = [], None
    for glyph in line.glyphs:
        if glyph.is_space:
            continue
        if last is None or glyph.x0 - last.x1 >= glyph.size:
            starts.append(glyph.x0)
        last = glyph
    return starts


def page_rows(lines: list[TextLine], layout: PlainLayout) -> list[PlainRow]:
    """A page's lines as rows; the first row is `continued` when it goes on from the previous page."""
    rows: list[PlainRow] = []
    previous: TextLine | None = None
    for line in lines:
        label, value = _split(line, layout.value_x)
        if previous is None:
            rows.append(PlainRow(line.top, unpadded=line.top <= layout.first_top + NO_PADDING))
        elif line.top - previous.top > ROW_GAP * layout.line_pitch:
            rows.append(PlainRow(line.top))
        if label is not None:
            rows[-1].label.append(label)
        if value is not None:
            rows[-1].value.append(value)
        previous = line
    return rows


def join_across_pages(last: PlainRow, head: PlainRow, layout: PlainLayout) -> bool:
    """Join the first row of a page to the last row of the page before where it goes on there: it
    starts without a row's padding, and the column it goes on in wrapped at the end of the page
    before. A label printed at the top of the page whose value began on the page before (a browser
    moves a floating label cell whole) joins that value's row. Returns whether anything was joined."""
    if not head.unpadded:
        return False
    joined = False
    if head.label and last.value and not last.label:
        last.label, head.label = head.label, []
        joined = True
    for before, after in ((last.label, head.label), (last.value, head.value)):
        if not after:
            continue
        other = head.value if after is head.label else head.label
        if not before or other:
            break  # a row of its own: a label with its value, or nothing to go on from
        right = layout.value_right if before[-1].x1 > layout.value_x else layout.label_right
        if broken_on_purpose(before[-1], after[0], right + ROUNDING):
            break  # the text did not wrap there: the next page starts a row (or paragraph) of its own
        before += after
        after.clear()
        joined = True
    last.joined = last.joined or joined
    return joined


def row_cells(row: PlainRow, layout: PlainLayout) -> list[str]:
    """The row as cells: its label, then its value split where the printer set cells apart."""
    label = join_lines(row.label, layout.label_right + ROUNDING)
    value = join_lines(row.value, layout.value_right + ROUNDING)
    cells = [label] + [cell.strip() for cell in value.split(CELL_SEPARATOR) if cell.strip()]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    return cells
