"""A PDF report → the text of a tidy conversion: one line per table row, cells separated by tabs.

Municipalities publish the PPC's Excel form as PDF: a ruled table. pdfplumber finds that table from
the ruling lines and gives each cell's text by its geometry, so a row comes back whole —
``③委託先名<TAB>日本電気株式会社`` — however the PDF ordered its text. Text outside the tables
(titles, headings) joins the rows in reading order, top to bottom. The result is read like any
tidy conversion (`loaders.pipeline`); a PDF without ruled tables yields its lines as text, and the
pipeline's shape detection then picks the reader that fits.

The text layer is repaired on the way: PDF fonts often map ideographs to Kangxi radicals (⼈ for 人)
or CJK radicals (⺠ for 民); NFKC repairs the first, a small table the second. Checkbox glyphs of
Excel exports (■ □ ☒ ✓) become the marks `normalise` reads (☑ ☐).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from pathlib import Path

from loaders.layout_pieces import join_texts
from loaders.read import SourceText, decode_report, too_large
from ontology.errors import ReportError

NO_TEXT_LAYER = ("is a PDF without a text layer (a scanned image?); piagraph reads PDFs whose text can be "
                 "selected: run OCR first")
PAGE_BREAK = "\f"
# Published reports are a few MB; even a scan of a long report stays well below this.
MAX_PDF_BYTES = 200_000_000
# Radicals of the CJK Radicals Supplement that fonts use for whole ideographs; NFKC leaves them.
RADICALS = str.maketrans({"⺠": "民", "⻑": "長", "⻄": "西", "⻘": "青", "⻝": "食", "⻤": "鬼", "⻩": "黄",
                          "⻫": "斉", "⻭": "歯", "⻯": "竜", "⻲": "亀", "⻆": "角", "⻨": "麦"})
GLYPHS = str.maketrans({"■": "☑", "☒": "☑", "✓": "☑", "✔": "☑", "□": "☐"})


def repair(text: str) -> str:
    """A PDF's text as the loaders read it: ideographs for radicals, checkbox glyphs as marks."""
    return unicodedata.normalize("NFKC", text.translate(RADICALS)).translate(GLYPHS)


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return repair(join_texts([line.strip() for line in text.split("\n") if line.strip()]))


def page_lines(page) -> list[str]:
    """A page's rows (table rows as tab-separated cells) and other text lines, top to bottom."""
    items: list[tuple[float, float, str]] = []
    tables = page.find_tables()
    for table in tables:
        for row, texts in zip(table.rows, table.extract()):
            cells = [_cell(text) for text in texts if text is not None]  # None: covered by a merged cell
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                items.append((row.bbox[1], row.bbox[0], "\t".join(cells)))
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    for line in outside.extract_text_lines():
        items.append((line["top"], line["x0"], repair(line["text"])))
    items.sort(key=lambda item: (round(item[0], 1), item[1]))
    return [text for _, _, text in items]


def pdf_text(path: str | Path) -> tuple[str, int]:
    """The rebuilt text of a PDF and its number of pages; `ReportError` for unreadable PDFs."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the reader's concern
    size = Path(path).stat().st_size
    if size > MAX_PDF_BYTES:
        raise ReportError(path, too_large(size, MAX_PDF_BYTES))
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many types for broken or encrypted files
        raise ReportError(path, f"is a PDF that cannot be opened, damaged or encrypted ({type(error).__name__})") from None
    where = "its page list"
    try:
        pages = pdf.pages
        where = "its text layer"
        if not any(page.chars for page in pages):
            raise ReportError(path, NO_TEXT_LAYER)
        texts = []
        for number, page in enumerate(pages, 1):
            where = f"page {number}"
            texts.append("\n".join(page_lines(page)))
        return f"\n{PAGE_BREAK}\n".join(texts), len(pages)
    except ReportError:
        raise
    except Exception as error:  # damaged content: pdfminer and pdfplumber raise many types, even ValueError
        raise ReportError(path, f"is a damaged PDF: {where} cannot be read ({type(error).__name__})") from None
    finally:
        try:
            pdf.close()
        except Exception:  # closing reads the damaged page list again: close the file itself
            pdf.stream.close()


def read_pdf(path: str | Path) -> SourceText:
    """Read a PDF report into the text the pipeline reads, checked like any report text."""
    text, _ = pdf_text(path)
    source = decode_report(text.encode("utf-8"), path)
    return replace(source, encoding="pdf")
