"""Pages of cells → the rows of a tidy conversion (``label<TAB>value``), continuations joined.

What a page holds is read by `loaders.pdf_grid` (ruled form) or `loaders.pdf_plain` (plain table);
here the pages become one text, the way a tidy conversion writes the form:

- **a cell cut by a page break is one cell.** The open cell at the bottom of a page and the open
  cell in the same column at the top of the next are joined. When both pages drew the cell's whole
  text (LibreOffice does), the two drawings agree and the text is taken once; when each page drew
  only its part, the parts overlap by a line or not at all and are joined there. A join without
  any repeated text rests on the grid alone and is recorded as a `Doubt`. A plain table's row going
  on at the top of the next page is joined by position, and is always a `Doubt`.
- **a row's cells** are written left to right, each merged cell once: the cell where it starts
  gives its text, the rows below it that it also spans get an empty cell (as the tidy conversions
  indent continuation lines), and a row made only of cells continued from the previous page
  disappears into the row it continues. An option list (``＜選択肢＞ 1) …``) printed below its
  chosen value, under the same label, goes with that value, as in the form's own cell.
- **vertical labels** (a narrow merged first column printed one glyph per line) are labels: a block
  header (``システム1``) becomes its own line before its rows, as in the form's text; a group label
  (``再委託``, ``④使用の主体``) is the first cell of its first row.
- text outside any table (the cover's title) is written as lines where it stands.

Pages are separated by a form feed line, so each line of the text still tells its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.pdf_grid import Cell, Grid, GridRow
from loaders.pdf_lines import TextLine, is_stacked, join_lines, text_columns
from loaders.pdf_plain import PlainLayout, PlainRow, join_across_pages, row_cells
from loaders.read import Doubt

PAGE_BREAK = "\f"
# A block of the form printed as a vertical label over its rows.
BLOCK_LABEL = re.compile(r"^(?:システム|委託事項|提供先|移転先)\s*\d{1,2}$")
# The form's list of the options of a single choice.
OPTION_LIST = re.compile(r"^[<＜]選択肢[>＞]")
# Repeated text shorter than this (characters) does not prove that two drawings are one cell.
MIN_OVERLAP_CHARS = 4
JOINED_BY_GRID = 0.9
JOINED_BY_POSITION = 0.8


@dataclass
class Page:
    """What one page holds: its ruled tables, its plain-table rows, its free text lines."""

    grids: list[Grid] = field(default_factory=list)
    free: list[TextLine] = field(default_factory=list)
    plain: list[PlainRow] = field(default_factory=list)


def merge_drawings(first: list[TextLine], second: list[TextLine]) -> tuple[list[TextLine], bool]:
    """The lines of a cell drawn on two pages, taken once; and whether repeated text proves the join."""
    a, b = [line.text for line in first], [line.text for line in second]
    if not a or not b:
        return first + second, True
    if a == b:  # both pages drew the whole cell (a short vertical label too)
        return first, True
    for outer, inner, lines in ((a, b, first), (b, a, second)):
        for start in range(len(outer) - len(inner) + 1):
            if outer[start:start + len(inner)] == inner and sum(map(len, inner)) >= MIN_OVERLAP_CHARS:
                return lines, True
    for size in range(min(len(a), len(b)), 0, -1):
        if a[-size:] == b[:size] and sum(map(len, b[:size])) >= MIN_OVERLAP_CHARS:
            return first + second[size:], True
    return first + second, False


def _overlap(a: Cell, b: Cell) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) / max(1e-6, min(a.x1 - a.x0, b.x1 - b.x0))


@dataclass
class Continuations:
    """Cells continued from a previous page: each to the cell where it started (its root)."""

    root: dict[Cell, Cell] = field(default_factory=dict)
    unproven: set[Cell] = field(default_factory=set)  # roots joined without repeated text

    def join_pages(self, before: Page, after: Page) -> None:
        if not before.grids or not after.grids:
            return
        bottoms = [cell for cell in before.grids[-1].cells if cell.open_bottom]
        for cell in after.grids[0].cells:
            if not cell.open_top or not bottoms:
                continue
            above = max(bottoms, key=lambda other: _overlap(other, cell))
            if _overlap(above, cell) < 0.8:
                continue
            root = self.root.get(above, above)
            root.lines, proven = merge_drawings(root.lines, cell.lines)
            if not proven:
                self.unproven.add(root)
            self.root[cell] = root


@dataclass
class Writer:
    """The rebuilt text, line by line, with the doubts about its lines."""

    lines: list[str] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)

    def write(self, cells: list[str], doubt: tuple[float, str] | None = None) -> None:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if not cells:
            return
        self.lines.append("\t".join(cell.replace("\t", " ") for cell in cells))
        if doubt:
            self.doubts.append(Doubt(len(self.lines), *doubt))

    def extend_last(self, text: str) -> None:
        """Add text to the last cell of the last row written (across a page break)."""
        index = max(i for i, line in enumerate(self.lines) if line != PAGE_BREAK)
        self.lines[index] += " " + text.replace("\t", " ")


def cell_texts(cell: Cell) -> list[str]:
    """A cell's text — or texts, when it holds columns side by side (cells of the sheet without a
    rule between them)."""
    return [join_lines(lines, right) for lines, right in text_columns(cell.lines, cell.right)]


def write_grid_row(row: GridRow, continued: Continuations, writer: Writer) -> None:
    slots = [(cell, starts and cell not in continued.root) for cell, starts in row.slots]
    if not any(own for _, own in slots):
        return  # every cell goes on from the previous page: the row is the one it continues
    texts = [text for cell, own in slots if own for text in cell_texts(cell) if text]
    if len(texts) == 1 and OPTION_LIST.match(texts[0]) and not all(own for _, own in slots) and writer.lines:
        writer.extend_last(texts[0])  # an option list printed below its chosen value, beside the same label
        return
    cells, doubt = [], None
    for index, (cell, own) in enumerate(slots):
        texts = cell_texts(cell) if own else [""]
        if index == 0 and own and is_stacked(cell.lines) and BLOCK_LABEL.match(texts[0]):
            writer.write(texts)
            texts = [""]
        if own and cell in continued.unproven:
            doubt = (JOINED_BY_GRID, "PDF: 改ページで切れたセルを罫線の位置でつないだ(両ページに重なる文字がない)")
        if cells or any(texts) or not own:  # a blank first cell (the form's empty first column) is no indent
            cells += texts
    writer.write(cells, doubt)


def rebuild(pages: list[Page], layout: PlainLayout | None) -> tuple[str, list[Doubt]]:
    """The pages as the text of a tidy conversion, and the lines whose reading is uncertain."""
    continued = Continuations()
    for before, after in zip(pages, pages[1:]):
        continued.join_pages(before, after)
    _join_plain_rows(pages, layout)
    writer = Writer()
    for number, page in enumerate(pages):
        if number:
            writer.write([PAGE_BREAK])
        items: list[tuple[float, int, object]] = [(line.top, 1, line) for line in page.free]
        items += [(row.top, 0, row) for grid in page.grids for row in grid.rows]
        items += [(row.top, 0, row) for row in page.plain if row.label or row.value]
        for _, _, item in sorted(items, key=lambda item: (item[0], item[1])):
            if isinstance(item, GridRow):
                write_grid_row(item, continued, writer)
            elif isinstance(item, PlainRow):
                doubt = (JOINED_BY_POSITION, "PDF: 改ページで切れた行を文字の位置でつないだ") if item.joined else None
                writer.write(row_cells(item, layout), doubt)
            else:
                writer.write([item.text])
    return "\n".join(writer.lines), writer.doubts


def _join_plain_rows(pages: list[Page], layout: PlainLayout | None) -> None:
    """A plain row going on at the top of a page joins the last row of the page before."""
    for before, after in zip(pages, pages[1:]):
        if layout and before.plain and after.plain:
            join_across_pages(before.plain[-1], after.plain[0], layout)
