"""How fast the app's pages draw on a large store, and the memory each takes — the 全国 scope of the
flow page first.

Run: python bench/bench_national_page.py --store DIR (a store loaded from `bench/gen_corpus.py`, e.g.
with `piagraph load --bulk`); writes bench/results/national-page.md (`--output` elsewhere, e.g.
bench/results/national-page-10000.md). Targets (issue 18): the national overview draws in under 2 s,
and no page of the app takes more than 2 GB.

Each page is rendered headless by Streamlit's AppTest (the same script the browser gets) in a process
of its own, so that its peak memory is its own: first with empty caches (the store is opened and the
page's data read), then again (cached). `--runs` such processes per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "national-page.md"
PAGES = {"flows-national": ("flows", {"scope": "all"}), "overview": ("overview", {}), "report": ("report", {}),
         "flows": ("flows", {}), "sparql": ("sparql", {}), "findings": ("findings", {}), "compare": ("compare", {}),
         "upload": ("upload", {})}
"""Name in the table → (script in app/screens, URL query parameters)."""
TITLES = {"flows-national": "データフロー 全国 (`?scope=all`)", "overview": "概要", "report": "評価書",
          "flows": "データフロー (評価書)", "sparql": "SPARQL", "findings": "指摘", "compare": "比較", "upload": "取込"}


def render(page: str) -> dict:
    """Render one page three times in this process: seconds for the first (a fresh process: modules
    imported, the store opened, caches empty), the second (cached) and a third after emptying the caches
    (the app running, as after a load changed the store), and this process's peak memory."""
    from streamlit.testing.v1 import AppTest

    script, query = PAGES[page]
    app = AppTest.from_file(str(ROOT / "app" / "screens" / f"{script}.py"), default_timeout=600)
    for name, value in query.items():
        app.query_params[name] = value
    import streamlit

    times = []
    for run in range(3):
        if run == 2:  # as after a load: the app running, its caches emptied (`app.common.generation`)
            streamlit.cache_data.clear()
        start = time.perf_counter()
        app.run(timeout=600)
        times.append(time.perf_counter() - start)
        if app.exception:
            raise SystemExit(f"{page}: {app.exception}")
    return {"first": times[0], "again": times[1], "emptied": times[2],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report_count(store_path: Path) -> tuple[int, int]:
    """Report graphs and current ones, counted in the store (no list of them is read)."""
    from ontology import CATALOG_GRAPH, PIA
    from piagraph.store import open_store

    with open_store(store_path, read_only=True) as store:
        text = (f"SELECT (COUNT(?g) AS ?n) (SUM(IF(?current, 1, 0)) AS ?c) WHERE {{ GRAPH <{CATALOG_GRAPH}> "
                f"{{ ?g a <{PIA.ReportGraph}> ; <{PIA.isCurrent}> ?current }} }}")
        row = store.query(text).rows[0]
        return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3, help="processes per page")
    parser.add_argument("--page", action="append", choices=list(PAGES), help="only this page (repeatable)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the table (Markdown)")
    parser.add_argument("--render", choices=list(PAGES), help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    os.environ["PIAGRAPH_STORE"] = str(args.store.resolve())
    if args.render:
        print(json.dumps(render(args.render)))
        return
    start_load = os.getloadavg()[0]
    measured = {}
    for page in args.page or list(PAGES):
        runs = []
        for _ in range(args.runs):
            child = subprocess.run([sys.executable, __file__, "--store", str(args.store), "--render", page],
                                   capture_output=True, text=True, cwd=ROOT)
            if child.returncode:
                raise SystemExit(f"{page}: {(child.stderr.strip().splitlines() or ['failed'])[-1]}")
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        measured[page] = runs
        print(f"  {page}: first {statistics.median(r['first'] for r in runs):.2f} s, "
              f"peak {max(r['peak_mb'] for r in runs):,.0f} MB", file=sys.stderr)
    reports, current = report_count(args.store)
    end_load = os.getloadavg()[0]
    lines = [
        "# The app's pages on a large store", "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `bench/bench_national_page.py --store {args.store.name}` · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · 1-minute load average {start_load:.1f} at "
        f"start, {end_load:.1f} at end", "",
        f"Store: {reports:,} report graphs ({current:,} current). Each page rendered by Streamlit's AppTest in a "
        f"process of its own, {args.runs} processes per page: the first render (a fresh process: modules imported, "
        "the store opened, caches empty, the page's data read), the same page again (cached), then once more with "
        "the caches emptied (the app running, as after a load changed the store: what an auditor waits for), and "
        "the process's peak memory. Targets: the 全国 overview under 2 s, every page under 2 GB.", "",
        "| page | first render in a fresh process, median / worst s | caches emptied, app running, median / worst s "
        "| again (cached), median s | peak memory, worst MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for page, runs in measured.items():
        first, emptied = [r["first"] for r in runs], [r["emptied"] for r in runs]
        lines.append(f"| {TITLES[page]} | {statistics.median(first):.2f} / {max(first):.2f} | "
                     f"{statistics.median(emptied):.2f} / {max(emptied):.2f} | "
                     f"{statistics.median(r['again'] for r in runs):.2f} | {max(r['peak_mb'] for r in runs):,.0f} |")
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
