"""Conversion throughput of the tidy seeds: MB/s of report text and triples/s, per core.

Run: python bench/bench_convert.py [--repeat N]; writes bench/results/convert.md.
Target (issue 2): ≥ 1 MB/s of report text per core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from pathlib import Path

import rdflib

from loaders.pipeline import load_report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TIDY = ["000_9faffa5d1775a5db.txt", "002_b716d8e1545cc6b4.txt", "003_c8613c731053c915.txt",
        "004_50b001bb84990526.txt"]
RESULTS = ROOT / "bench" / "results" / "convert.md"


def measure(path: Path, repeat: int) -> tuple[float, int]:
    load_report(path)  # warm caches (ontology parse) outside the timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        loaded = load_report(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(loaded.graph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = [SEEDS / name for name in TIDY] + sorted((ROOT / "samples").glob("*.txt"))
    rows, total_bytes, total_seconds, total_triples = [], 0, 0.0, 0
    for path in paths:
        seconds, triples = measure(path, args.repeat)
        size = path.stat().st_size
        rows.append(f"| {path.name} | {size / 1e6:.3f} | {seconds * 1000:.0f} | {size / 1e6 / seconds:.2f} | "
                    f"{triples} | {triples / seconds:,.0f} |")
        total_bytes, total_seconds, total_triples = total_bytes + size, total_seconds + seconds, total_triples + triples
    lines = [
        "# Conversion throughput (tidy text)",
        "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · rdflib {rdflib.__version__} · "
        f"{platform.machine()}, {platform.processor() or 'cpu'} · one core · median of {args.repeat} runs",
        "",
        "| report | MB | ms | MB/s | triples | triples/s |",
        "|---|---|---|---|---|---|",
        *rows,
        f"| **all** | {total_bytes / 1e6:.3f} | {total_seconds * 1000:.0f} | **{total_bytes / 1e6 / total_seconds:.2f}** "
        f"| {total_triples} | **{total_triples / total_seconds:,.0f}** |",
        "",
        "Target: ≥ 1 MB/s of report text per core (read → normalise → segment → extract → to_rdf → resolve).",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
