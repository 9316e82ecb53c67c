"""What validating each report on load costs: `piagraph load` with and without validation.

Run: python bench/bench_load_validation.py [--reports N] [--jobs N]; writes
bench/results/load-validation.md.

Since issue 14 every report is validated as it is loaded and its findings (and its source text) are
stored with it, in the same write. This measures the load of a synthetic corpus (`bench/gen_corpus.py`,
N distinct reports) into an empty embedded store, each way: one process and `--jobs` processes (the
workers parse AND validate; the main process only writes), transactional and ``--bulk``, with
validation and with ``--no-validate``. The difference is the cost of validation at load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_corpus import main as generate  # noqa: E402
from piagraph.ingest import load_paths  # noqa: E402
from piagraph.store import EmbeddedStore  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load-validation.md"
TODAY = dt.date(2025, 9, 1)


def store_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(corpus: Path, work: Path, *, jobs: int, bulk: bool, validate: bool) -> tuple[float, int, int]:
    """(seconds, reports loaded, store bytes) of one load into an empty store."""
    directory = work / f"store-{jobs}-{bulk}-{validate}"
    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    with EmbeddedStore(directory) as store:
        summary = load_paths(store, [corpus], jobs=jobs, bulk=bulk, progress=False, validate=validate, today=TODAY)
    seconds = time.perf_counter() - start
    return seconds, len(summary.loaded), store_size(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="piagraph-bench-") as temporary:
        work = Path(temporary)
        corpus = work / "corpus"
        generate(["--reports", str(args.reports), "--out", str(corpus)])
        rows, notes = [], []
        for jobs in sorted({1, args.jobs}):
            for bulk in (False, True):
                timings = {}
                for validate in (False, True):
                    timings[validate] = measure(corpus, work, jobs=jobs, bulk=bulk, validate=validate)
                (plain, count, plain_size), (checked, _, checked_size) = timings[False], timings[True]
                notes.append(f"* {jobs} job{'s' if jobs > 1 else ''}, {'--bulk' if bulk else 'one transaction per report'}: "
                             f"validation adds {(checked - plain) / count * 1000:.0f} ms per report "
                             f"({checked / plain:.1f}× the load without it).")
                rows.append(f"| {jobs} | {'bulk' if bulk else 'per report'} | {count} | {plain:.1f} | {checked:.1f} | "
                            f"{plain / count * 1000:.0f} | {checked / count * 1000:.0f} | "
                            f"{(checked - plain) / count * 1000:.0f} | {checked / plain:.2f} | "
                            f"{plain_size / 2**20:.0f} / {checked_size / 2**20:.0f} |")
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    RESULTS.write_text(f"""# Validation at load: what it costs

{dt.date.today()} · Python {platform.python_version()} · {platform.machine()}, {os.cpu_count()} cores ·
{args.reports} synthetic reports (`bench/gen_corpus.py --reports {args.reports}`) · validation date {TODAY} ·
load average at the end (1/5/15 min): {load}

Each report is validated as it is loaded and its findings are stored with it (issue 14); its source
text is stored beside it too. `--no-validate` stores the text but not the findings. With `--jobs`
the worker processes parse and validate, the main process only writes.

| jobs | writes | reports | s without validation | s with validation | ms/report without | ms/report with | validation ms/report | ratio | store MB (without / with) |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{chr(10).join(notes)}

When other processes share the cores (the load average above), `--jobs 2` has no free core to
validate beside the writes and gains little. For an initial national load, `load --bulk --no-validate`
followed by `validate --store --jobs N` stores the same findings later (the reports show as 未検証
until then).
""", encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
