"""Validation time (piagraph.validation, pyshacl with the shapes of `shapes/`): per report and for
1,000 reports on one and on two cores.

Run: python bench/bench_validation.py [--repeat N] [--reports N] [--jobs N]; writes
bench/results/validation.md. Target (issue 5): < 1 s per report.

The 1,000 reports are copies of the tidy seeds and the samples whose instance IRIs are rewritten
(``…/assessment/<key>`` → ``…/assessment/<key>-copy<n>``), so every copy is a distinct report graph
of the same shape. Each worker process loads the originals once, then copies and validates; the
wall time includes the copying, the per-report figure is the validation alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyshacl
import rdflib
from rdflib import Graph, URIRef

from loaders.pipeline import load_report
from ontology import ID
from piagraph.validation import validate_graph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TIDY = ["000_9faffa5d1775a5db.txt", "002_b716d8e1545cc6b4.txt", "003_c8613c731053c915.txt",
        "004_50b001bb84990526.txt"]
RESULTS = ROOT / "bench" / "results" / "validation.md"
TODAY = dt.date(2025, 9, 1)
"""A fixed validation date, so the findings counted are reproducible."""

_ORIGINALS: list[Graph] = []


def report_paths() -> list[Path]:
    seeds = [SEEDS / name for name in TIDY if (SEEDS / name).exists()]
    return seeds + sorted((ROOT / "samples").glob("*.txt"))


def copy_with_new_iris(graph: Graph, number: int) -> Graph:
    """The report graph with its instance IRIs (``…/assessment/<key>…``) made unique to copy `number`."""
    prefix = str(ID["assessment/"])
    suffix = f"-copy{number}"

    def rewrite(term):
        if isinstance(term, URIRef) and term.startswith(prefix):
            key, _, rest = term[len(prefix):].partition("/")
            return URIRef(f"{prefix}{key}{suffix}" + (f"/{rest}" if rest else ""))
        return term

    copy = Graph()
    for s, p, o in graph:
        copy.add((rewrite(s), p, rewrite(o)))
    return copy


def _load_originals(paths: list[str]) -> None:
    _ORIGINALS.extend(load_report(path).graph for path in paths)
    validate_graph(_ORIGINALS[0], today=TODAY)  # parse shapes and SPARQL once, outside the timing


def _validate_copy(number: int) -> tuple[float, int]:
    graph = copy_with_new_iris(_ORIGINALS[number % len(_ORIGINALS)], number)
    start = time.perf_counter()
    findings = validate_graph(graph, today=TODAY)
    return time.perf_counter() - start, len(findings)


def per_report(paths: list[Path], repeat: int) -> list[str]:
    rows = []
    for path in paths:
        graph = load_report(path).graph
        start = time.perf_counter()
        findings = validate_graph(graph, today=TODAY)
        first = time.perf_counter() - start
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            validate_graph(graph, today=TODAY)
            times.append(time.perf_counter() - start)
        rows.append(f"| {path.name} | {len(graph)} | {first * 1000:.0f} | {statistics.median(times) * 1000:.0f} | "
                    f"{max(times) * 1000:.0f} | {len(findings)} |")
    return rows


def batch(paths: list[Path], reports: int, jobs: int) -> tuple[float, list[float], int]:
    """Validate `reports` copies with `jobs` worker processes: wall seconds, per-report seconds, findings."""
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_load_originals,
                             initargs=([str(p) for p in paths],)) as pool:
        results = list(pool.map(_validate_copy, range(reports), chunksize=max(1, reports // (jobs * 20))))
    wall = time.perf_counter() - start
    return wall, [seconds for seconds, _ in results], sum(count for _, count in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per report (median)")
    parser.add_argument("--reports", type=int, default=1000, help="reports in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the second batch")
    args = parser.parse_args()
    paths = report_paths()
    rows = per_report(paths, args.repeat)
    batches = []
    for jobs in sorted({1, args.jobs}):
        wall, seconds, findings = batch(paths, args.reports, jobs)
        batches.append(
            f"| {jobs} | {args.reports} | {wall:.1f} | {args.reports / wall:.1f} | {wall / args.reports * 1000:.0f} | "
            f"{statistics.mean(seconds) * 1000:.0f} | {statistics.median(seconds) * 1000:.0f} | "
            f"{max(seconds) * 1000:.0f} | {findings} |")
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        "# Validation time (SHACL rules of `shapes/`)",
        "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · pyshacl {pyshacl.__version__} · "
        f"rdflib {rdflib.__version__} · {platform.machine()}, {os.cpu_count()} cores · validation date "
        f"{TODAY.isoformat()} · inference none, ontology as ont_graph",
        "",
        f"Target (issue 5): < 1 s per report. Load average at the end of the run (1/5/15 min): {load} — "
        "other processes share the two cores, so maxima include waiting for a core.",
        "",
        "## Per report (one core)",
        "",
        f"First validation in the process (includes parsing the shapes and the SPARQL constraints once), then the "
        f"median and maximum of {args.repeat} more runs.",
        "",
        "| report | triples | first ms | median ms | max ms | findings |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"## {args.reports:,} reports",
        "",
        f"Copies of the {len(paths)} reports above with rewritten instance IRIs, validated in a process pool "
        "(`--jobs`). Wall time covers everything: starting the workers (each loads the originals and "
        "validates one once), copying and validating; the per-report times are the validation alone.",
        "",
        "| jobs | reports | wall s | reports/s | wall ms per report | mean ms | median ms | max ms | findings |",
        "|---|---|---|---|---|---|---|---|---|",
        *batches,
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
