"""A PDF report → the text of a tidy conversion: one line per row of the form, cells separated by tabs.

Municipalities publish the PPC's Excel form as PDF: a ruled table, printed page by page. What a
reader of the paper sees is rebuilt from the positioned glyphs in four steps, each in its module:

1. glyphs (`loaders.pdf_lines`, `loaders.pdf_glyphs`): pdfplumber's characters, font damage repaired
   (radicals for ideographs, U+2027 for ・, checkbox glyphs as marks, unreadable marks as ▢);
2. page furniture (`loaders.pdf_furniture`): running headers, footers and page numbers, recognised by
   their place in the margins and their repetition over the pages, are set aside;
3. the page (`loaders.pdf_grid` for the ruled form, `loaders.pdf_plain` for a plain table without
   rules): each glyph goes to the cell that holds it — text a cut cell draws beyond the page goes
   with that cell — and a cell's lines are joined with the spaces the report has;
4. the rows (`loaders.pdf_rows`): cells cut by a page break joined, merged cells written once,
   vertical labels as labels, pages separated by a form feed.

The result is read like any tidy conversion (`loaders.pipeline`); a PDF that is neither a ruled nor
a plain table yields its lines as text, and the pipeline's shape detection picks the reader that
fits. Readings that rest on inference (a continuation joined without repeated text, a row joined by
position) are listed as `Doubt`s of the lines they gave (`pdf_reading`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from loaders.pdf_furniture import furniture, margin_runs
from loaders.pdf_glyphs import repair
from loaders.pdf_grid import find_grids, place_glyphs
from loaders.pdf_lines import page_glyphs, text_lines
from loaders.pdf_plain import learn_layout, page_rows
from loaders.pdf_rows import PAGE_BREAK, Page, rebuild
from loaders.read import Doubt, SourceText, decode_report, too_large
from ontology.errors import ReportError

NO_TEXT_LAYER = ("is a PDF without a text layer (a scanned image?); piagraph reads PDFs whose text can be "
                 "selected: run OCR first")
# Published reports are a few MB; even a scan of a long report stays well below this.
MAX_PDF_BYTES = 200_000_000

__all__ = ["NO_TEXT_LAYER", "PAGE_BREAK", "Doubt", "PdfReading", "pdf_reading", "pdf_text", "read_pdf", "repair"]


@dataclass
class PdfReading:
    """A PDF as text: the rebuilt rows, its number of pages, and the lines read with doubt."""

    text: str
    pages: int
    doubts: list[Doubt]


def read_pages(pdf) -> list[Page]:
    """Every page's cells and free text, the furniture of all pages set aside."""
    seen = []
    for index, page in enumerate(pdf.pages):
        glyphs = page_glyphs(page)
        grids = find_grids(page)
        content = (grids[0].top, grids[-1].bottom) if grids else None
        first_row = grids[0].first_row if grids else None
        seen.append((glyphs, grids, margin_runs(index, glyphs, page.height, content, first_row)))
    pages = []
    for (glyphs, grids, _), found in zip(seen, furniture([runs for _, _, runs in seen])):
        furniture_glyphs = [glyph for run in found for glyph in run.glyphs]
        if grids and any(grids[0].first_row[0] <= g.middle <= grids[0].first_row[1] for g in furniture_glyphs):
            grids = [grid for grid in [grids[0].below_first_row()] + grids[1:] if grid]  # a repeated title row
        drop = {id(glyph) for glyph in furniture_glyphs}
        free = place_glyphs(grids, [glyph for glyph in glyphs if id(glyph) not in drop])
        pages.append(Page(grids, text_lines(free)))
    return pages


def read_plain_tables(pages: list[Page]):
    """Pages without a ruled table read as plain label | value tables, when their lines line up so."""
    plain = [page for page in pages if not page.grids]
    layout = learn_layout([page.free for page in plain])
    if layout is None:
        return None
    for page in plain:
        page.plain, page.free = page_rows(page.free, layout), []
    return layout


def pdf_reading(path: str | Path) -> PdfReading:
    """The rebuilt text of a PDF with its doubts; `ReportError` for unreadable PDFs."""
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
        pdf_pages = pdf.pages
        where = "its text layer"
        if not any(page.chars for page in pdf_pages):
            raise ReportError(path, NO_TEXT_LAYER)
        where = "its pages"
        pages = read_pages(pdf)
        layout = read_plain_tables(pages)
        text, doubts = rebuild(pages, layout)
        return PdfReading(text, len(pages), doubts)
    except ReportError:
        raise
    except Exception as error:  # damaged content: pdfminer and pdfplumber raise many types, even ValueError
        raise ReportError(path, f"is a damaged PDF: {where} cannot be read ({type(error).__name__})") from None
    finally:
        try:
            pdf.close()
        except Exception:  # closing reads the damaged page list again: close the file itself
            pdf.stream.close()


def pdf_text(path: str | Path) -> tuple[str, int]:
    """The rebuilt text of a PDF and its number of pages; `ReportError` for unreadable PDFs."""
    reading = pdf_reading(path)
    return reading.text, reading.pages


def read_pdf(path: str | Path) -> SourceText:
    """Read a PDF report into the text the pipeline reads, checked like any report text."""
    reading = pdf_reading(path)
    source = decode_report(reading.text.encode("utf-8"), path)
    return replace(source, encoding="pdf", doubts=tuple(reading.doubts))
