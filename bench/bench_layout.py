"""Speed of the two new readers: seconds per page for PDF input, MB/s for layout-lost text.

PDF: the fixture PDFs of tests/fixtures/pdf (printed from the samples), timed for the PDF reading
alone (pdfplumber: parse, find the ruled tables, rebuild the rows) and for the whole pipeline.
Layout-lost text: seed 001 (厚木市, 8,340 lines of PDF text without its table), timed for the
whole pipeline and for the layout stage alone (pages → pieces → placement → tidy rows).

Run: python bench/bench_layout.py [--repeat N]; writes bench/results/layout.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from pathlib import Path

import pdfplumber

from loaders import layout
from loaders.normalise import normalise_text
from loaders.pdf import pdf_text
from loaders.pipeline import load_report
from loaders.read import read_report

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("midori_*.pdf"))
LAYOUT_LOST = [ROOT.parent / "shared" / "seeds" / "001_a254beb0297f7ce1.txt"]
RESULTS = ROOT / "bench" / "results" / "layout.md"


def median_seconds(action, repeat: int) -> float:
    action()  # warm caches (ontology parse, imports) outside the timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdf_rows(repeat: int) -> tuple[list[str], int, float, float]:
    rows, pages_total, read_total, load_total = [], 0, 0.0, 0.0
    for path in PDFS:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        read = median_seconds(lambda: pdf_text(path), repeat)
        load = median_seconds(lambda: load_report(path), repeat)
        rows.append(f"| {path.name} | {pages} | {path.stat().st_size // 1024} | {read / pages:.2f} | "
                    f"{load / pages:.2f} | {load:.1f} |")
        pages_total, read_total, load_total = pages_total + pages, read_total + read, load_total + load
    return rows, pages_total, read_total, load_total


def layout_rows(repeat: int) -> tuple[list[str], int, float]:
    rows, size_total, seconds_total = [], 0, 0.0
    for path in LAYOUT_LOST:
        if not path.exists():
            rows.append(f"| {path.name} | (not available: ../shared/seeds is missing) | | | |")
            continue
        size = path.stat().st_size
        text = read_report(path).text
        stage = median_seconds(lambda: layout.rebuild(normalise_text(text)), repeat)
        whole = median_seconds(lambda: load_report(path), repeat)
        rows.append(f"| {path.name} | {size / 1e6:.3f} | {size / 1e6 / stage:.2f} | {size / 1e6 / whole:.2f} | "
                    f"{whole * 1000:.0f} |")
        size_total, seconds_total = size_total + size, seconds_total + whole
    return rows, size_total, seconds_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pdf, pages, read, load = pdf_rows(args.repeat)
    text, size, seconds = layout_rows(args.repeat)
    lines = [
        "# Layout-lost text and PDF input",
        "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · pdfplumber {pdfplumber.__version__} · "
        f"{platform.machine()} · one core · median of {args.repeat} runs",
        "",
        "## PDF input (seconds per page)",
        "",
        "| PDF | pages | KiB | s/page, PDF reading | s/page, whole pipeline | s, whole pipeline |",
        "|---|---|---|---|---|---|",
        *pdf,
        f"| **all** | {pages} | | **{read / pages:.2f}** | **{load / pages:.2f}** | {load:.1f} |",
        "",
        "PDF reading is pdfplumber's parse of each page (pdfminer), the ruled-table search and the",
        "rebuilt rows; the whole pipeline adds normalise → segment → extract → to_rdf → resolve.",
        "",
        "## Layout-lost text (MB/s)",
        "",
        "| report | MB | MB/s, layout stage | MB/s, whole pipeline | ms, whole pipeline |",
        "|---|---|---|---|---|",
        *text,
    ]
    if seconds:
        lines += ["", f"Whole pipeline over all layout-lost text: **{size / 1e6 / seconds:.2f} MB/s**."]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
