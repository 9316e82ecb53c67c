"""Text → lines of cells: markup turned into text and checkbox marks, NFKC applied for matching.

The conversions of the PPC's Excel form arrive as tab-separated rows, HTML fragments (``<p>``,
``<li>``, ``<input checked …>``, entities) and markdown (``#`` headings, ``|`` tables). This stage
reduces every shape to the same thing: a `Line` with its 1-based number, the raw text (the
evidence, never changed) and its cells, NFKC-normalised, with every checkbox or radio mark
replaced by one of four mark characters that `checkbox` interprets.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

TICKED = "☑"
"""A mark the text shows as ticked: ``checked`` inputs, ``[○]``, ``[ ○ ]``."""
EMPTY = "☐"
"""A mark the text shows as not ticked: ``[]``, ``[ ]``."""
BARE_RADIO = "◉"
"""A bare ``<input type="radio"/>``: the conversions use it for ticked marks, but it is inferred."""
BARE_CHECKBOX = "▢"
"""A bare ``<input type="checkbox"/>``: ticked in some conversions and not in others."""
MARKS = TICKED + EMPTY + BARE_RADIO + BARE_CHECKBOX

_INPUT = re.compile(r"<input\b([^>]*)/?>", re.IGNORECASE)
_BLOCK_TAGS = re.compile(
    r"</?(?:p|br|div|ul|ol|li|table|tbody|thead|tr|td|th|h[1-6]|hr)\b[^>]*>", re.IGNORECASE
)
_INLINE_TAGS = re.compile(r"</?(?:span|b|i|u|strong|em|font|sup|sub|a|label)\b[^>]*>", re.IGNORECASE)
_CIRCLE_MARK = re.compile(r"\[\s*[○〇●◯Oo]\s*\]")
_EMPTY_MARK = re.compile(r"\[\s*\]")
_BRACKETED_MARK = re.compile(rf"\[\s*([{MARKS}])\s*\]")
_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_RULE = re.compile(r"^[\s\-|:=_―—─]*$")
_SPACES = re.compile(r"[ \u3000\u00a0]+")


@dataclass(frozen=True)
class Line:
    """One source line: its number (1-based), the raw text, and its normalised cells."""

    number: int
    raw: str
    cells: tuple[str, ...]
    columns: tuple[str, ...] = ()
    indent: int = 0
    heading_level: int = 0

    @property
    def text(self) -> str:
        """All cells joined by one space: the line as one string for matching."""
        return " ".join(self.cells)

    @property
    def is_blank(self) -> bool:
        return not self.cells


def _input_to_mark(match: re.Match) -> str:
    attributes = match.group(1).lower()
    if "checked" in attributes:
        return TICKED
    return BARE_RADIO if "radio" in attributes else BARE_CHECKBOX


def normalise_cell(cell: str) -> str:
    """One cell of raw text → plain NFKC text with marks; whitespace collapsed."""
    text = _INPUT.sub(_input_to_mark, cell)
    text = _BLOCK_TAGS.sub(" ", text)
    text = _INLINE_TAGS.sub("", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    text = _CIRCLE_MARK.sub(TICKED, text)
    text = _EMPTY_MARK.sub(EMPTY, text)
    text = _BRACKETED_MARK.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def _split_cells(raw: str) -> tuple[list[str], int]:
    """Tab cells, or markdown table cells (``| a | b |``); returns the cells and the indent."""
    stripped = raw.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        parts = stripped[1:-1].split("|")
    else:
        parts = raw.split("\t")
    indent = 0
    for part in parts:
        if part.strip():
            break
        indent += 1
    return parts, indent


def normalise_line(number: int, raw: str) -> Line:
    """Normalise one raw source line."""
    heading_level = 0
    body = raw
    heading = _MD_HEADING.match(body)
    if heading:
        heading_level = len(heading.group(1))
        body = body[heading.end():]
    if _RULE.match(body) and body.strip():
        return Line(number, raw, ())
    parts, indent = _split_cells(body)
    columns = tuple(normalise_cell(part) for part in parts)
    cells = tuple(column for column in columns if column)
    if len(cells) == 1 and cells[0].startswith("- "):
        cells = (cells[0][2:].strip(),)
    return Line(number, raw, cells, columns, indent, heading_level)


def normalise_text(text: str) -> list[Line]:
    """All lines of a decoded report (newlines already ``\\n``)."""
    return [normalise_line(i, raw) for i, raw in enumerate(text.split("\n"), start=1)]
