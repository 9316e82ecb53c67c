"""Page furniture — running headers, footers, page numbers — found by position and repetition.

A report's pages carry the form version (``[令和6年10月 様式3]``) as a running header — or as the
first row of the table, repeated on every page by Excel's print titles — and a page number as footer. They are no part of any value, yet a reader that takes the page's text in order
glues them to the last value of a page (``…日次 8 [令和7年5月 様式3]``). Furniture is recognised
before any text is read, on runs of glyphs (one baseline, one font size, no wide gap) standing in
the page's margins — above and below the ruled table where there is one — or in the table's first row:

- a run printed at the same place with the same text on several pages (a running header or footer:
  on at least two pages and a third of them);
- a run that is a page number (``5``, ``- 5 -``, ``5 / 11``, ``5ページ``) whose number follows the
  page order (page index + a constant, the same on most pages).

Text a merged cell draws beyond the page (LibreOffice repeats a cut cell's whole text on each page
it spans) also stands in the margins, but it neither repeats at one place nor counts the pages, so
it stays, to be read with its cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from loaders.pdf_lines import Glyph

# The margins: runs in the top or bottom share of the page (outside the ruled table, if any).
MARGIN_SHARE = 0.1
# Same place on two pages: within this many points.
SAME_PLACE = 2.0
MIN_REPEATS = 2
REPEAT_SHARE = 0.3
# Glyphs further apart than this (in ems) are separate runs.
RUN_GAP = 2.0

_PAGE_NUMBER = re.compile(r"^(?:[-‐－―−ー]?\s*(\d{1,4})\s*[-‐－―−ー]?|(\d{1,4})\s*/\s*\d{1,4}|(\d{1,4})\s*ページ"
                          r"|[pP]\.?\s*(\d{1,4})|-\s*(\d{1,4})\s*-)$")


@dataclass
class Run:
    """Glyphs on one baseline, in one size, without a wide gap: a header, a footer, a line of text."""

    page: int
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs).strip()

    @property
    def top(self) -> float:
        return self.glyphs[0].top

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    def number(self) -> int | None:
        match = _PAGE_NUMBER.match(self.text.replace(" ", "") if "/" not in self.text else self.text)
        if not match:
            return None
        return int(next(group for group in match.groups() if group))


def runs(page: int, glyphs: list[Glyph]) -> list[Run]:
    found: list[Run] = []
    for glyph in sorted(glyphs, key=lambda g: (round(g.top, 1), round(g.size, 1), g.x0)):
        last = found[-1].glyphs[-1] if found else None
        if (last is not None and abs(glyph.top - last.top) < 0.5 and abs(glyph.size - last.size) < 0.5
                and glyph.x0 - last.x1 < RUN_GAP * glyph.size):
            found[-1].glyphs.append(glyph)
        else:
            found.append(Run(page, [glyph]))
    return [run for run in found if run.text]


def margin_runs(page: int, glyphs: list[Glyph], height: float, content: tuple[float, float] | None,
                first_row: tuple[float, float] | None = None) -> list[Run]:
    """Runs in the page's top and bottom margins, outside the content (the ruled table) if known, and
    in the table's first row (where print titles repeat a header row on every page)."""
    top_limit, bottom_limit = height * MARGIN_SHARE, height * (1 - MARGIN_SHARE)
    if content:
        top_limit, bottom_limit = min(top_limit, content[0]), max(bottom_limit, content[1])
    return [run for run in runs(page, glyphs)
            if run.glyphs[-1].bottom <= top_limit or run.top >= bottom_limit
            or (first_row and first_row[0] <= run.glyphs[0].middle <= first_row[1])]


def _same_place(a: Run, b: Run) -> bool:
    return abs(a.top - b.top) <= SAME_PLACE and (abs(a.x0 - b.x0) <= SAME_PLACE or abs(a.x1 - b.x1) <= SAME_PLACE)


def furniture(candidates: list[list[Run]]) -> list[list[Run]]:
    """Per page, the margin runs that are running headers, footers or page numbers."""
    pages = len(candidates)
    needed = max(MIN_REPEATS, REPEAT_SHARE * pages)
    found: list[list[Run]] = [[] for _ in range(pages)]
    everywhere = [run for page in candidates for run in page]
    for run in everywhere:
        repeats = {other.page for other in everywhere if other.text == run.text and _same_place(run, other)}
        if len(repeats) >= needed and pages > 1:
            found[run.page].append(run)
    numbered = [(run, run.number()) for run in everywhere if run.number() is not None]
    offsets = Counter(number - run.page for run, number in numbered)
    if offsets:
        offset, count = offsets.most_common(1)[0]
        if count >= min(needed, pages):
            for run, number in numbered:
                if number - run.page == offset and run not in found[run.page]:
                    found[run.page].append(run)
    return found
