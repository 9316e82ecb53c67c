"""Glyphs → lines → the text of a cell, with the spaces the report has and no others.

A PDF holds positioned glyphs, not text. The text of a cell is rebuilt from them in three steps:

- **glyphs**: pdfplumber's characters with their boxes, deduplicated (fake bold draws a glyph
  twice) and repaired (`loaders.pdf_glyphs`);
- **lines**: glyphs on one baseline, left to right; a space is read where the PDF draws one, or where
  two glyphs stand apart by a third of an em or more;
- **joining lines**: a line ends either because the text wrapped (the next piece did not fit) or
  because the text has a line break there (a new paragraph, a list item). A wrap joins without a
  space — Japanese has none — so no space is invented inside a word (``…等に 関する``) or a number
  (``2.3.6. 13.4``). A line that stopped although its next piece (with the glyphs the line-breaking
  rules keep with it) would have fitted did not wrap: a space stood there, which the renderer drew
  at the line's end or swallowed (``健康福祉部 介護保険課``), or the text breaks the line there (a new
  paragraph, as the tidy conversions write with one space). A sentence end followed by a list
  item (``…する。`` / ``②…``) is a new paragraph even when the sentence filled the line.

Stacked text (a narrow cell printing ``シ/ス/テ/ム/1`` one glyph per line, Excel's vertical text)
is recognised and read top to bottom without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from loaders.pdf_glyphs import glyph_text, repair

# The same glyph drawn again within this many points of itself is one glyph (fake bold).
DUPLICATE = 1.0
# Two glyphs this far apart (in ems) without a space glyph between them are separate words.
WORD_GAP = 0.3
# Glyphs belong to one line when their vertical centres are within this share of the font size.
SAME_LINE = 0.45
IDEOGRAPHIC_SPACE = "\u3000"
# Line-breaking rules (禁則): glyphs that never start a line stay with the glyph before them, glyphs
# that never end one stay with the glyph after them; a wrap moves them together.
NO_LINE_START = set("、。，．,.)）]］｝}」』】〕〉》’”ー々ゝゞ・:;：；!?！？ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_LINE_END = set("(（[［｛{「『【〔〈《‘“")
# A line that ends a sentence followed by one that opens a list item: a new paragraph, even when the
# sentence happened to fill the line.
SENTENCE_END = set("。．!?！？")
# An item number closing a line (``… 基本情報 6.``): the form writes one space after it (``6. 評価…``),
# which a renderer swallows when the line is full.
ITEM_NUMBER_END = re.compile(r"(?:^|\s)\d{1,2}\.$")
LIST_MARK = re.compile(r"^(?:[・●○◆◇■□※*\-<＜【〈《]|[①-⑳㉑-㉟]|\(?\d{1,2}\)|\d{1,2}[.．]\s|[ア-ン][.．)）])")
# Text columns side by side in one cell: glyphs starting within this many points of one x, after a
# gap of at least this many points, on two lines or more; a line's first glyph counts when it
# stands this many ems right of the cell's text.
COLUMN_ALIGN = 0.5
COLUMN_GAP = 1.5
COLUMN_INDENT = 3.0
# Stacked text: every line holds at most this many glyphs, and the lines are this narrow (ems).
STACKED_GLYPHS = 2
STACKED_WIDTH = 2.5


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character of the page, with its box (PDF points, top-down as pdfplumber gives them)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def is_space(self) -> bool:
        return not self.text.strip()

    @property
    def is_wide(self) -> bool:
        return unicodedata.east_asian_width(self.text[:1] or " ") in "WF"


def page_glyphs(page) -> list[Glyph]:
    """The page's characters as glyphs, in drawing order; a glyph drawn again within a point of
    itself (fake bold) is kept once."""
    glyphs: list[Glyph] = []
    seen: dict[tuple[str, int], list[float]] = {}
    for c in page.chars:
        near = [x for row in (round(c["top"]) - 1, round(c["top"]), round(c["top"]) + 1)
                for x in seen.get((c["text"], row), ())]
        if any(abs(x - c["x0"]) < DUPLICATE for x in near) and c["text"].strip():
            continue
        seen.setdefault((c["text"], round(c["top"])), []).append(c["x0"])
        glyphs.append(Glyph(glyph_text(c["text"], c.get("fontname", "")), c["x0"], c["x1"], c["top"], c["bottom"],
                            c.get("size") or (c["bottom"] - c["top"])))
    return glyphs


@dataclass
class TextLine:
    """Glyphs on one baseline, left to right."""

    glyphs: list[Glyph]
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.glyphs.sort(key=lambda g: g.x0)
        parts: list[str] = []
        for before, glyph in zip([None] + self.glyphs, self.glyphs):
            if before is not None and not before.is_space and not glyph.is_space:
                if glyph.x0 - before.x1 > WORD_GAP * min(before.size, glyph.size):
                    parts.append(" ")
            parts.append(glyph.text)
        self.text = repair("".join(parts)).strip()

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs if not g.is_space) if self.text else self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs if not g.is_space) if self.text else self.glyphs[-1].x1

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    @property
    def ends_with_space(self) -> bool:
        return self.glyphs[-1].is_space

    @property
    def starts_with_space(self) -> bool:
        return self.glyphs[0].is_space

    def first_piece_width(self) -> float:
        """The width the line's first unbreakable piece needs: a wide glyph or a Latin word, with the
        glyphs the line-breaking rules keep with it (``(特``, ``る。``, and ``○ ]``: no break before a
        closing bracket, even after a space)."""
        glyphs = self.glyphs
        start = next((i for i, g in enumerate(glyphs) if not g.is_space), None)
        if start is None:
            return 0.0
        end = start
        while end + 1 < len(glyphs):
            current, following = glyphs[end], glyphs[end + 1]
            if following.is_space:
                after = next((g for g in glyphs[end + 1:] if not g.is_space), None)
                if after is None or after.text not in NO_LINE_START:
                    break
                end = glyphs.index(after, end + 1)
                continue
            if following.x0 - current.x1 > WORD_GAP * following.size:
                break
            latin_word = not current.is_wide and not following.is_wide
            if not (latin_word or current.text in NO_LINE_END or following.text in NO_LINE_START):
                break
            end += 1
        return glyphs[end].x1 - glyphs[start].x0


def text_lines(glyphs: list[Glyph]) -> list[TextLine]:
    """Glyphs grouped into lines (by their vertical centres), top to bottom; blank lines dropped."""
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.middle, g.x0)):
        if lines and abs(glyph.middle - lines[-1][0].middle) <= SAME_LINE * min(glyph.size, lines[-1][0].size):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    built = [TextLine(line) for line in lines]
    return [line for line in built if line.text]


def is_stacked(lines: list[TextLine]) -> bool:
    """Vertical text printed as a column of one or two glyphs per line (``シ/ス/テ/ム/1``)."""
    if len(lines) < 2:
        return False
    size = max(line.size for line in lines)
    return all(len(line.text.replace(" ", "")) <= STACKED_GLYPHS and line.x1 - line.x0 <= STACKED_WIDTH * size
               for line in lines)


def broken_on_purpose(before: TextLine, after: TextLine, right: float) -> bool:
    """Whether the text breaks the line here rather than wrapping it: the line stopped although the
    next piece (after any space drawn at its end) would have fitted, or a sentence ends before a list
    item."""
    room = right - before.glyphs[-1].x1
    return room >= after.first_piece_width() or bool(before.text[-1:] in SENTENCE_END and LIST_MARK.match(after.text))


def separator(before: TextLine, after: TextLine, right: float) -> str:
    """What stood between two lines of a cell: the space drawn at the break (an ideographic space
    stays one), one space where the text breaks the line (a paragraph, or a space the wrap
    swallowed), else nothing."""
    for glyph in (before.glyphs[-1], after.glyphs[0]):
        if glyph.is_space:
            return IDEOGRAPHIC_SPACE if glyph.text == IDEOGRAPHIC_SPACE else " "
    if broken_on_purpose(before, after, right):
        return " "
    return " " if ITEM_NUMBER_END.search(before.text) and not after.text[:1].isascii() else ""


def _column_starts(lines: list[list[Glyph]], left: float) -> list[tuple[float, bool]]:
    """Where a glyph starts text after a gap: (x, alone) — alone when nothing stands left of it on
    its line and it stands clearly right of where the cell's text starts."""
    starts = []
    for glyphs in lines:
        for index, glyph in enumerate(glyphs):
            if index == 0 and glyph.x0 - left >= COLUMN_INDENT * glyph.size:
                starts.append((glyph.x0, True))
            elif index and glyph.x0 - glyphs[index - 1].x1 >= COLUMN_GAP:
                starts.append((glyph.x0, False))
    return starts


def _column_cuts(lines: list[list[Glyph]], left: float) -> list[float]:
    """Where columns of text begin: on one line at least a glyph starts there with nothing left of
    it, on another line too (first on its line or after a gap), and no glyph crosses that x."""
    starts = _column_starts(lines, left)
    cuts = []
    for x, alone in starts:
        if not alone or any(abs(x - cut) <= COLUMN_ALIGN for cut in cuts):
            continue
        if sum(1 for other, _ in starts if abs(other - x) <= COLUMN_ALIGN) < 2:
            continue
        if not any(g.x0 < x - COLUMN_ALIGN and g.x1 > x + COLUMN_ALIGN for glyphs in lines for g in glyphs):
            cuts.append(x)
    return sorted(cuts)


def text_columns(lines: list[TextLine], right: float) -> list[tuple[list[TextLine], float]]:
    """A cell's lines as columns of text standing side by side — two cells of the sheet without a
    rule between them (a chosen value beside its option list) — each with the edge it wraps at.
    Read line by line they would interleave (``[ 10万人以上100万人未満 ＜選択肢＞ ]`` / ``1) …``)."""
    if len(lines) < 2 or is_stacked(lines):
        return [(lines, right)]
    visible = [[g for g in line.glyphs if not g.is_space] for line in lines]
    cuts = _column_cuts(visible, min(line.x0 for line in lines))
    if not cuts:
        return [(lines, right)]
    columns = []
    for start, end in zip([float("-inf")] + cuts, cuts + [float("inf")]):
        part = [TextLine([g for g in line.glyphs if start - COLUMN_ALIGN <= g.x0 < end - COLUMN_ALIGN]) for line in lines]
        part = [line for line in part if line.text]
        if part:
            columns.append((part, min(right, end - COLUMN_GAP)))
    return columns


def join_lines(lines: list[TextLine], right: float) -> str:
    """The lines of one cell as one text; `right` is where the cell's text wraps (a glyph ending
    there would have fitted)."""
    if not lines:
        return ""
    if is_stacked(lines):
        return "".join(line.text.replace(" ", "") for line in lines)
    parts = [lines[0].text]
    for before, after in zip(lines, lines[1:]):
        parts += [separator(before, after, right), after.text]
    return "".join(parts).strip()
