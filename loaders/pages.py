"""Layout-lost text → pages of paragraphs, without the page furniture.

Text extracted from a PDF keeps the page as the one reliable unit: a run of three or more blank
lines (or a form feed) ends a page, and a paragraph (lines without a blank line between them) is
what the extractor took from one cell. Within a page the paragraphs may come in any order.

Removed here, never silently: nothing of the report's content. What goes is furniture the PDF
repeats — page numbers, headers and footers printed on many pages, and the line a cell that runs
over a page break repeats at the top of the next page. `Paged.dropped` lists every dropped line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from loaders.normalise import Line

PAGE_BREAK_BLANKS = 3
# A line on the edge of at least this share of pages (and of 3 pages or more) is a header/footer.
EDGE_SHARE = 0.3
MIN_EDGE_PAGES = 3
# A continuation repeated over a page break is real text, long enough not to be a lone mark.
MIN_REPEAT_CHARS = 4

_PAGE_NUMBER = re.compile(r"^(?:[-‐－ー−]\s*\d{1,4}\s*[-‐－ー−]|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}\s*ページ|[pP]\.?\s*\d{1,4})$")


@dataclass
class Paragraph:
    """Consecutive non-blank lines of one page: usually the text of one cell."""

    lines: list[Line]
    page: int

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


@dataclass
class Paged:
    pages: list[list[Paragraph]]
    dropped: list[tuple[Line, str]] = field(default_factory=list)  # (line, why)


def _raw_pages(lines: list[Line]) -> list[list[Line]]:
    pages: list[list[Line]] = [[]]
    blanks = 0
    for line in lines:
        if "\f" in line.raw:
            pages.append([])
            blanks = 0
            if not line.cells:
                continue
        if line.is_blank:
            # A rule or a lone ``―`` (no value) separates paragraphs but is no blank line of a break.
            blanks = blanks + 1 if not line.raw.strip() else 0
            pages[-1].append(line)
            continue
        if blanks >= PAGE_BREAK_BLANKS and any(not l.is_blank for l in pages[-1]):
            pages.append([])
        blanks = 0
        pages[-1].append(line)
    return [page for page in pages if any(not line.is_blank for line in page)]


def _edges(page: list[Line]) -> list[Line]:
    content = [line for line in page if not line.is_blank]
    return content[:1] + content[-1:] if len(content) > 1 else content


def _furniture(pages: list[list[Line]]) -> set[str]:
    """Texts standing on the first or last line of many pages: running headers and footers."""
    counts = Counter(line.text for page in pages for line in {l.number: l for l in _edges(page)}.values())
    threshold = max(MIN_EDGE_PAGES, EDGE_SHARE * len(pages))
    return {text for text, n in counts.items() if n >= threshold and len(text) >= 2}


def _paragraphs(page: list[Line], index: int) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    for line in page:
        if line.is_blank:
            if current:
                paragraphs.append(Paragraph(current, index))
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(Paragraph(current, index))
    return paragraphs


def paginate(lines: list[Line], is_form_text=lambda text: False) -> Paged:
    """Split normalised lines into pages of paragraphs, dropping page numbers, running headers and
    footers, and continuation lines repeated after a page break. `is_form_text` protects the
    form's own labels and marks, which legitimately recur on many pages."""
    raw = _raw_pages(lines)
    furniture = {text for text in _furniture(raw) if not is_form_text(text)}
    dropped: list[tuple[Line, str]] = []
    pages: list[list[Line]] = []
    for index, page in enumerate(raw):
        edges = {line.number for line in _edges(page)}
        kept = []
        for line in page:
            if line.number in edges and _PAGE_NUMBER.match(unicodedata.normalize("NFKC", line.raw).strip()):
                dropped.append((line, "page number"))
            elif line.number in edges and line.text in furniture:
                dropped.append((line, "running header or footer"))
            else:
                kept.append(line)
        if pages:
            kept = _drop_repeated_continuation(pages[-1], kept, dropped, is_form_text)
        pages.append(kept)
    return Paged([_paragraphs(page, index) for index, page in enumerate(pages)], dropped)


def _drop_repeated_continuation(previous: list[Line], page: list[Line], dropped, is_form_text) -> list[Line]:
    """A cell that runs over a page break repeats its last line on the next page: drop the copy."""
    first = next((line for line in page if not line.is_blank), None)
    if first is None or len(first.text) < MIN_REPEAT_CHARS or is_form_text(first.text):
        return page
    paragraph_ends = {line.text for line, after in zip(previous, previous[1:] + [None])
                      if not line.is_blank and (after is None or after.is_blank)}
    if first.text in paragraph_ends:
        dropped.append((first, "repeats the last line of a paragraph on the previous page"))
        return [line for line in page if line is not first]
    return page
