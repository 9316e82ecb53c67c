"""How fast the 全国 scope of the flow page draws on a large store, and the memory it takes.

Run: python bench/bench_national_page.py --store DIR (a store loaded from `bench/gen_corpus.py`, e.g.
with `piagraph load --bulk`); writes bench/results/national-page.md. Target (issue 18): the national
overview draws in under 2 s, and no page of the app takes more than 2 GB.

The page is rendered headless by Streamlit's AppTest (the same script the browser gets), first with
empty caches (the store is opened and the aggregates read), then again (cached). `--output` writes
the table elsewhere (e.g. bench/results/national-page-10000.md for a 10k store).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import time
from pathlib import Path

from bench_app import timed_run
from streamlit.testing.v1 import AppTest

from piagraph import views
from piagraph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "national-page.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the table (Markdown)")
    args = parser.parse_args()
    with open_store(args.store, read_only=True) as store:
        reports = len(views.report_choices(store))
        start = time.perf_counter()
        overview = views.national_overview(store)
        aggregates = time.perf_counter() - start
    os.environ["PIAGRAPH_STORE"] = str(args.store.resolve())
    first, again = [], []
    for _ in range(args.runs):
        from app.common import _open_store

        _open_store.clear()
        app = AppTest.from_file(str(ROOT / "app" / "screens" / "flows.py"), default_timeout=300)
        app.query_params["scope"] = "all"
        first.append(timed_run(app))
        again.append(timed_run(app))
        import streamlit as st

        st.cache_data.clear()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    lines = [
        "# The 全国 scope of the flow page on a large store", "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `bench/bench_national_page.py --store {args.store.name}` · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · load average {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f}", "",
        f"Store: {reports:,} report versions. The page shows {len(overview.shared_systems)} shared systems, "
        f"{len(overview.contractors)} contractors and {len(overview.risky_channels)} kinds of risky channel "
        "(aggregates read from the summary rows; no diagram of every flow).", "",
        "| | median s | worst s |", "|---|---:|---:|",
        f"| aggregates alone (`views.national_overview`) | {aggregates:.2f} | {aggregates:.2f} |",
        f"| page, first render (caches empty) | {sorted(first)[len(first) // 2]:.2f} | {max(first):.2f} |",
        f"| page, again (cached) | {sorted(again)[len(again) // 2]:.2f} | {max(again):.2f} |", "",
        f"Peak memory of the process that rendered the page: {peak_mb:,.0f} MB (target: under 2 GB).", "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
