"""PDF reading speed: pages per second, now and for an earlier version of the PDF reader.

Every fixture PDF of tests/fixtures/pdf (the PPC form printed by LibreOffice, plain tables printed by
Chromium, the older one-row-per-line fixtures) is timed twice: the PDF reading alone (`pdf_text`:
pdfplumber's parse and the rebuilt rows) and the whole pipeline (`load_report`: reading, segmenting,
extraction, the graph). With ``--baseline REV`` the PDF reader of that git revision
(``loaders/pdf.py`` as it was) is timed the same way on the same files, side by side.

Run: python bench/bench_pdf.py [--baseline REV] [--repeat N]; writes bench/results/pdf-speed.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from unittest import mock

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_layout import median_seconds  # noqa: E402

import loaders.pdf  # noqa: E402
from loaders.pipeline import load_report  # noqa: E402
from ontology.errors import ReportError  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
RESULTS = ROOT / "bench" / "results" / "pdf-speed.md"


def fixture_pdfs() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.pdf") if "scanned" not in p.name)


def reader_of(revision: str) -> ModuleType:
    """`loaders/pdf.py` as it was at `revision`, loaded as a module of its own."""
    source = subprocess.run(["git", "show", f"{revision}:loaders/pdf.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="piagraph-pdf-baseline-"))
    path = folder / "pdf_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pdf_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(reader: ModuleType, path: Path, repeat: int) -> tuple[float, float | None]:
    """(seconds reading the PDF, seconds for the whole pipeline — None when the pipeline refuses what
    the reader made of it) with `reader` as the PDF reader."""
    read = median_seconds(lambda: reader.pdf_text(path), repeat)
    with mock.patch.object(loaders.pdf, "read_pdf", reader.read_pdf):
        try:
            whole = median_seconds(lambda: load_report(path), repeat)
        except ReportError:
            whole = None
    return read, whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="git revision whose loaders/pdf.py is timed beside the current one")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    readers = [("now", loaders.pdf)]
    if args.baseline:
        readers.insert(0, (f"before ({args.baseline})", reader_of(args.baseline)))
    header = "| PDF | pages | " + " | ".join(f"pages/s reading, {name} | pages/s whole, {name}" for name, _ in readers) + " |"
    lines = [
        "# PDF reading speed", "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · pdfplumber {pdfplumber.__version__} · "
        f"{platform.machine()} · one core · median of {args.repeat} runs", "",
        f"Command: `python bench/bench_pdf.py {' '.join(argv if argv is not None else sys.argv[1:])}`", "",
        "*Reading* is `loaders.pdf.pdf_text` (pdfplumber's parse of each page and the rows rebuilt from it); "
        "*whole* is `load_report` (reading, segmenting, extraction, the graph). Most of the reading is "
        "pdfminer's parse of the page. The machine's two cores are shared with other work: single rows "
        "vary by a third from run to run; compare the *all* row.", "",
        header, "|---|---|" + "---|---|" * len(readers),
    ]
    totals = {name: [0.0, 0.0, 0] for name, _ in readers}  # reading s, whole s, pages read whole
    pages_total = 0
    for path in fixture_pdfs():
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        pages_total += pages
        cells = []
        for name, reader in readers:
            read, whole = measure(reader, path, args.repeat)
            totals[name][0] += read
            if whole is not None:
                totals[name][1] += whole
                totals[name][2] += pages
            cells += [f"{pages / read:.1f}", f"{pages / whole:.1f}" if whole else "refused"]
        row = f"| {path.relative_to(FIXTURES)} | {pages} | " + " | ".join(cells) + " |"
        print(row, flush=True)
        lines.append(row)
    summary = " | ".join(f"**{pages_total / read:.1f}** | **{whole_pages / whole:.1f}**"
                         for read, whole, whole_pages in totals.values())
    lines.append(f"| **all** | {pages_total} | {summary} |")
    lines += ["", "*refused*: the pipeline could not read a report from what that reader made of the PDF "
              "(`not a 様式3 report`); *all* for *whole* counts the pages of the PDFs read."]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(lines[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
