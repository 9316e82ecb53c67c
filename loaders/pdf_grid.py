"""A page's ruled table → its cells and rows, each glyph in the cell that holds it.

The PPC form printed from Excel is a ruled grid. Its cells come from the ruling lines (pdfplumber's
table finder on the page's rules: lines, thin filled rectangles, the edges of stroked rectangles —
not the background fills, which do not separate cells). Two things make a page of the form more than
a table:

- **Cells cut by the page break.** A merged cell that runs over a page break has no rule where the
  page cuts it. The grid is closed at its top and bottom for the table finder, and a cell touching
  that edge without a rule of its own is *open* there: it continues on the next page (open bottom)
  or comes from the previous one (open top).
- **Text beyond the cell.** LibreOffice draws a cut cell's whole text on every page the cell spans
  and clips it to the part of the cell on that page; the clip is invisible to pdfplumber, so the
  text layer holds the clipped lines below the table (even below the page) and above it. Those
  glyphs belong to the open cell in their column, and are read with it — the cell's own box decides,
  not the reading order. `loaders.pdf_rows` then joins the two pages' halves of the cell.

A glyph is in the cell that contains its centre; glyphs in no cell (a title above the table, text
between tables) are the page's free text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from loaders.pdf_lines import Glyph, TextLine, text_lines

# Rules: a filled rectangle thinner than this (points) is a line.
RULE_THICKNESS = 2.0
# A rule covers a cell's edge when it lies within this many points and spans this share of it.
EDGE_TOLERANCE = 2.0
EDGE_COVER = 0.9
# Points a renderer may lose when it lays text out in a cell (rounding of widths).
WRAP_MARGIN = 0.5
# A grid needs two vertical rules side by side over this height (points); horizontal rules it may
# lack altogether: a page can lie wholly inside one tall cell cut at both ends.
MIN_GRID_HEIGHT = 20.0
TABLE_SETTINGS = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                  "snap_tolerance": 2, "join_tolerance": 2, "intersection_tolerance": 2}


@dataclass(eq=False)
class Cell:
    """One cell of a page's grid (a merged cell is one cell), with its glyphs."""

    x0: float
    top: float
    x1: float
    bottom: float
    first_row: int = 0
    open_top: bool = False
    open_bottom: bool = False
    glyphs: list[Glyph] = field(default_factory=list)
    _lines: list[TextLine] | None = None

    @property
    def lines(self) -> list[TextLine]:
        if self._lines is None:
            self._lines = text_lines(self.glyphs)
        return self._lines

    @lines.setter
    def lines(self, lines: list[TextLine]) -> None:
        self._lines = lines

    @property
    def right(self) -> float:
        """Where the cell's text wraps: its right edge less the padding its text keeps on the left,
        less a margin for the renderer's rounding of the cell's width (Chromium wraps a glyph that
        would end 0.06 pt before that edge)."""
        starts = [line.x0 for line in self.lines]
        padding = min(max(min(starts) - self.x0, 0.5), 4.0) if starts else 1.0
        return self.x1 - padding - WRAP_MARGIN


@dataclass
class GridRow:
    """One row of the grid: its cells left to right, each once, and whether it starts in this row."""

    top: float
    bottom: float
    slots: list[tuple[Cell, bool]]


@dataclass
class Grid:
    """One ruled table of a page."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[GridRow]
    cells: list[Cell]
    row_edges: list[float]
    column_edges: list[float]
    lookup: list[list[Cell | None]]
    horizontal: list[Rule] = field(default_factory=list)  # the rules the cells were found from

    @property
    def first_row(self) -> tuple[float, float]:
        return self.rows[0].top, self.rows[0].bottom

    def below_first_row(self) -> Grid | None:
        """The grid without its first row — a row the printer repeats on every page (Excel's print
        titles). The cells under it start the page's own part of the table: where the page cut a
        cell, the title row's rule hides the cut, so they count as open at the top."""
        top = self.rows[0].bottom
        boxes = [(c.x0, max(c.top, top), c.x1, c.bottom) for c in self.cells if c.bottom > top + EDGE_TOLERANCE]
        if not boxes:
            return None
        rules = [rule for rule in self.horizontal if abs((rule.top + rule.bottom) / 2 - top) > EDGE_TOLERANCE]
        return _grid(boxes, rules, top, self.bottom)

    def cell_at(self, x: float, y: float) -> Cell | None:
        row = bisect_right(self.row_edges, y) - 1
        column = bisect_right(self.column_edges, x) - 1
        if 0 <= row < len(self.lookup) and 0 <= column < len(self.lookup[row]):
            return self.lookup[row][column]
        return None


@dataclass(frozen=True)
class Rule:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top < self.x1 - self.x0

    def edge(self) -> dict:
        horizontal = self.horizontal
        middle = (self.top + self.bottom) / 2 if horizontal else (self.x0 + self.x1) / 2
        x0, x1 = (self.x0, self.x1) if horizontal else (middle, middle)
        top, bottom = (middle, middle) if horizontal else (self.top, self.bottom)
        return {"object_type": "rule_edge", "orientation": "h" if horizontal else "v", "x0": x0, "x1": x1,
                "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def page_rules(page) -> list[Rule]:
    """The page's ruling lines: lines, thin filled rectangles, the sides of stroked rectangles."""
    rules = [Rule(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines
             if min(o["x1"] - o["x0"], o["bottom"] - o["top"]) < RULE_THICKNESS]
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if min(x1 - x0, bottom - top) < RULE_THICKNESS:
            rules.append(Rule(x0, top, x1, bottom))
        elif rect.get("stroke"):
            rules += [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom),
                      Rule(x1, top, x1, bottom)]
    return [rule for rule in rules if max(rule.x1 - rule.x0, rule.bottom - rule.top) >= RULE_THICKNESS]


def _covered(rules: list[Rule], y: float, x0: float, x1: float) -> bool:
    """Whether horizontal rules at `y` cover the span x0–x1."""
    covered = 0.0
    for rule in rules:
        if abs((rule.top + rule.bottom) / 2 - y) <= EDGE_TOLERANCE:
            covered += max(0.0, min(rule.x1, x1) - max(rule.x0, x0))
    return covered >= EDGE_COVER * (x1 - x0)


def _side_by_side(vertical: list[Rule]) -> bool:
    """Two vertical rules at different places sharing MIN_GRID_HEIGHT of their height."""
    for index, a in enumerate(vertical):
        for b in vertical[index + 1:]:
            if abs(a.x0 - b.x0) > EDGE_TOLERANCE and min(a.bottom, b.bottom) - max(a.top, b.top) >= MIN_GRID_HEIGHT:
                return True
    return False


def find_grids(page) -> list[Grid]:
    """The page's ruled tables, closed at the top and bottom where a page break cut them."""
    rules = page_rules(page)
    horizontal = [rule for rule in rules if rule.horizontal]
    vertical = [rule for rule in rules if not rule.horizontal]
    if not _side_by_side(vertical):
        return []
    top, bottom = min(r.top for r in vertical), max(r.bottom for r in vertical)
    left, right = min(r.x0 for r in vertical), max(r.x1 for r in vertical)
    closures = [Rule(left, top, right, top), Rule(left, bottom, right, bottom)]
    settings = dict(TABLE_SETTINGS, explicit_vertical_lines=[r.edge() for r in vertical],
                    explicit_horizontal_lines=[r.edge() for r in horizontal + closures])
    return [_grid(table.cells, horizontal, top, bottom) for table in page.find_tables(settings)]


def _grid(boxes: list[tuple], horizontal: list[Rule], grid_top: float, grid_bottom: float) -> Grid:
    row_edges = sorted({round(box[1], 1) for box in boxes} | {round(max(b[3] for b in boxes), 1)})
    column_edges = sorted({round(box[0], 1) for box in boxes} | {round(max(b[2] for b in boxes), 1)})
    lookup: list[list[Cell | None]] = [[None] * (len(column_edges) - 1) for _ in range(len(row_edges) - 1)]
    cells = []
    for x0, top, x1, bottom in boxes:
        first_row = row_edges.index(round(top, 1))
        cell = Cell(x0, top, x1, bottom, first_row)
        cell.open_top = abs(top - grid_top) <= EDGE_TOLERANCE and not _covered(horizontal, top, x0, x1)
        cell.open_bottom = abs(bottom - grid_bottom) <= EDGE_TOLERANCE and not _covered(horizontal, bottom, x0, x1)
        cells.append(cell)
        for row in range(first_row, len(row_edges) - 1):
            if row_edges[row] >= round(bottom, 1):
                break
            for column in range(column_edges.index(round(x0, 1)), len(column_edges) - 1):
                if column_edges[column] >= round(x1, 1):
                    break
                lookup[row][column] = cell
    rows = []
    for index in range(len(row_edges) - 1):
        slots: list[tuple[Cell, bool]] = []
        for cell in lookup[index]:
            if cell is not None and (not slots or slots[-1][0] is not cell):
                slots.append((cell, cell.first_row == index))
        rows.append(GridRow(row_edges[index], row_edges[index + 1], slots))
    return Grid(column_edges[0], row_edges[0], column_edges[-1], row_edges[-1], rows, cells, row_edges,
                column_edges, lookup, horizontal)


def place_glyphs(grids: list[Grid], glyphs: list[Glyph]) -> list[Glyph]:
    """Put each glyph into the cell holding its centre — or, above the first table or below the last,
    into the open cell of its column (text a cut cell draws beyond the page). Returns the glyphs
    no cell takes: the page's free text."""
    free = []
    first, last = (grids[0], grids[-1]) if grids else (None, None)
    for glyph in glyphs:
        cell = None
        for grid in grids:
            if grid.top <= glyph.middle <= grid.bottom and grid.x0 <= glyph.centre <= grid.x1:
                cell = grid.cell_at(glyph.centre, glyph.middle)
                break
        else:
            if first and glyph.middle < first.top:
                edge = first.cell_at(glyph.centre, first.top + 0.01)
                cell = edge if edge and edge.open_top else None
            elif last and glyph.middle > last.bottom:
                edge = last.cell_at(glyph.centre, last.bottom - 0.01)
                cell = edge if edge and edge.open_bottom else None
        if cell is None:
            free.append(glyph)
        else:
            cell.glyphs.append(glyph)
    return free
