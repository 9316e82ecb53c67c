"""National questions: every saved query over the whole store, before (the queries of issue 17,
reading every report graph) and now (reading the summary rows of issue 18), on one store.

    python bench/gen_corpus.py --reports 2000 --out bench/out/corpus-2000
    piagraph load --bulk --jobs 2 --store bench/out/store-2000 bench/out/corpus-2000
    python bench/bench_national.py --store bench/out/store-2000 [--runs 11] [--output bench/results/national-2000.md]

Each saved query file runs as it is (no parameter: the whole country), as the issue's reviewer runs it:
a listing of more than 1,000 rows is timed for its first page, ``LIMIT 100`` appended. The queries of
before are the files kept in ``tests/fixtures/queries-before`` (they still run on a store with
summaries: the report graphs are the same). One warm-up, then `--runs` timed runs of each, before
and now alternately; p50 and p95 in ms. Target (issue 18, 2,000 reports): worst p95 ≤ 250 ms, median
p95 ≤ 50 ms; at 10k and more, every query under 1 s p95 (``--no-before`` at 50k, where the queries of
before take minutes each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from piagraph.sparql.saved import list_queries, read_query  # noqa: E402
from piagraph.store import EmbeddedStore  # noqa: E402
from tests.answers import comparable_rows  # noqa: E402

BEFORE = ROOT / "tests" / "fixtures" / "queries-before"
PAGE_ABOVE_ROWS = 1000
WORST_P95_MS, MEDIAN_P95_MS = 250.0, 50.0
"""The issue's check on a 2,000-report store."""
GOAL_FROM_REPORTS, GOAL_P95_MS = 10_000, 1000.0
"""The issue's goal at national scale (10k, 50k): every saved query over the whole country under 1 s p95."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(store: pyoxigraph.Store, text: str) -> float:
    """Milliseconds to answer on the store itself (pyoxigraph, every row read)."""
    started = time.perf_counter()
    for _ in store.query(text):
        pass
    return (time.perf_counter() - started) * 1000


def timed_piagraph(store: EmbeddedStore, text: str) -> float:
    """Milliseconds to answer through piagraph (`EmbeddedStore.query`: rows as rdflib terms, as the
    CLI and the app get them)."""
    started = time.perf_counter()
    store.query(text)
    return (time.perf_counter() - started) * 1000


def as_run(text: str, rows: int) -> tuple[str, str]:
    """The query as the reviewer runs it: a listing over 1,000 rows gets LIMIT 100."""
    if rows > PAGE_ABOVE_ROWS:
        return text.rstrip() + "\nLIMIT 100\n", "first 100"
    return text, "all"


def measure(store: EmbeddedStore, runs: int, names: list[str] | None, before: bool = True) -> list[dict]:
    raw = store._store  # the pyoxigraph store: "directly on the store", as the reviewer measures
    results = []
    for saved in list_queries():
        if names and saved.name not in names:
            continue
        texts = {"before": read_query(BEFORE / f"{saved.name}.rq").text} if before else {}
        texts["now"] = saved.text
        entry = {"name": saved.name}
        answers = {}
        for version, text in texts.items():
            answers[version] = store.query(text)  # the whole answer: its rows, and a warm-up
            rows = len(answers[version].rows)
            entry[version] = {"rows": rows, "text": as_run(text, rows), "times": []}
        entry["same"] = None if not before else (answers["before"].variables == answers["now"].variables
                                                 and comparable_rows(answers["before"]) == comparable_rows(answers["now"]))
        entry["piagraph"] = {"times": []}
        for _ in range(runs):
            for version in texts:
                text, _ = entry[version]["text"]
                entry[version]["times"].append(timed(raw, text))
            entry["piagraph"]["times"].append(timed_piagraph(store, entry["now"]["text"][0]))
        for version in (*texts, "piagraph"):
            times = entry[version]["times"]
            entry[version].update(p50=statistics.median(times), p95=percentile(times, 0.95))
        was = f"before p95 {entry['before']['p95']:.0f} ms, " if before else ""
        print(f"  {saved.name}: {was}now p95 {entry['now']['p95']:.1f} ms "
              f"({entry['now']['rows']} rows, {entry['now']['text'][1]})", file=sys.stderr)
        results.append(entry)
    return results


def catalog_size(store: EmbeddedStore) -> tuple[int, int]:
    entries = store.catalog()
    return len(entries), sum(e.is_current for e in entries)


def report(results: list[dict], store_path: Path, runs: int, loads: tuple[float, float]) -> str:
    reports, current = catalog_size(EmbeddedStore(store_path, read_only=True))
    before = all("before" in r for r in results)
    now_p95 = [r["now"]["p95"] for r in results]
    through_p95 = [r["piagraph"]["p95"] for r in results]
    worst = max(results, key=lambda r: r["now"]["p95"])
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lines = [
        f"# National questions: saved queries over the whole store, {reports:,} reports",
        "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · `bench/bench_national.py --store {store_path.name}"
        f"{'' if before else ' --no-before'}` · {os.cpu_count()} cores ({cpu}) · Python {platform.python_version()} · "
        f"pyoxigraph {pyoxigraph.__version__} · 1-minute load average {loads[0]:.1f} at start, {loads[1]:.1f} at end",
        "",
        f"Store: {reports:,} report graphs ({current:,} current) from `bench/gen_corpus.py --seed 1`, loaded with "
        "`piagraph load --bulk --jobs 2`. Every saved query file as it is, no parameter (the whole country); a "
        f"listing of more than {PAGE_ABOVE_ROWS:,} rows is timed for its first 100 rows (`LIMIT 100` appended). "
        + (f"Before: the files of `tests/fixtures/queries-before` (issue 17), on the same store. One warm-up, then "
           f"{runs} runs of each, before and now alternately." if before else
           f"Before was not run (`--no-before`: the queries of issue 17 take minutes each at this size). One "
           f"warm-up (the whole answer, which gives the row count), then {runs} runs of each."),
        "",
    ]
    if before:
        before_p95 = [r["before"]["p95"] for r in results]
        lines += [f"Same rows as before (multisets, a joined list as the set of its parts): "
                  f"{sum(r['same'] for r in results)} of {len(results)} queries.", ""]
    goal = f"target worst ≤ {WORST_P95_MS:.0f} ms ({'met' if worst['now']['p95'] <= WORST_P95_MS else 'NOT met'}), " \
           f"median ≤ {MEDIAN_P95_MS:.0f} ms ({'met' if statistics.median(now_p95) <= MEDIAN_P95_MS else 'NOT met'})"
    if reports >= GOAL_FROM_REPORTS:
        under = sum(p < GOAL_P95_MS for p in now_p95)
        goal = f"goal at national scale, every saved query under {GOAL_P95_MS:,.0f} ms p95: {under} of {len(results)}"
    lines += [
        f"**Now: worst p95 {worst['now']['p95']:,.1f} ms (`{worst['name']}`), median p95 "
        f"{statistics.median(now_p95):,.1f} ms** — {goal}. "
        + (f"Before: worst p95 {max(before_p95):,.0f} ms, median p95 {statistics.median(before_p95):,.0f} ms. "
           if before else "")
        + f"Through piagraph (`EmbeddedStore.query`, rows turned into rdflib terms as the CLI and the app get them): "
        f"worst p95 {max(through_p95):,.1f} ms, median p95 {statistics.median(through_p95):,.1f} ms.",
        "",
        "Times are on the store itself (pyoxigraph `Store.query`, every row read); the last column is the same "
        "query through piagraph.",
        "",
    ]
    if before:
        lines += ["| query | rows | same rows as before | timed | before p50 / p95 ms | now p50 / p95 ms | "
                  "before ÷ now (p95) | now through piagraph p50 / p95 ms |",
                  "|---|---:|---|---|---:|---:|---:|---:|"]
    else:
        lines += ["| query | rows | timed | now p50 / p95 ms | now through piagraph p50 / p95 ms |",
                  "|---|---:|---|---:|---:|"]
    for r in results:
        n, through = r["now"], r["piagraph"]
        if not before:
            lines.append(f"| `{r['name']}` | {n['rows']:,} | {n['text'][1]} | {n['p50']:,.1f} / {n['p95']:,.1f} | "
                         f"{through['p50']:,.1f} / {through['p95']:,.1f} |")
            continue
        b = r["before"]
        same = "" if b["rows"] == n["rows"] else f" (before: {b['rows']:,})"
        lines.append(f"| `{r['name']}` | {n['rows']:,}{same} | {'yes' if r['same'] else '**no**'} | {n['text'][1]} | "
                     f"{b['p50']:,.1f} / {b['p95']:,.1f} | "
                     f"{n['p50']:,.1f} / {n['p95']:,.1f} | {b['p95'] / n['p95']:,.0f}× | "
                     f"{through['p50']:,.1f} / {through['p95']:,.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="an embedded store loaded with --bulk")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--query", action="append", help="only this saved query (repeatable)")
    parser.add_argument("--output", type=Path, help="write the table here (Markdown)")
    parser.add_argument("--no-before", action="store_true", help="time only today's queries (before takes minutes at 50k)")
    args = parser.parse_args()
    start_load = os.getloadavg()[0]
    store = EmbeddedStore(args.store, read_only=True)
    results = measure(store, args.runs, args.query, before=not args.no_before)
    text = report(results, args.store, args.runs, (start_load, os.getloadavg()[0]))
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
