"""Long fuzzing run of the loader: mutated seeds and samples (tests/mutations.py), at least 10,000 cases.

Every case must either load — and its graph must be writable to a store (N-Triples that Oxigraph
parses) — or be refused with a `ReportError` whose message is one line naming the file
(`tests.mutations.check`). Any other exception is a failure, and so is a `ReportError` that wraps
one (the pipeline turns an extractor crash into "cannot be read as a 様式3 report": right for the
user, still a bug to fix). Unlike the short property test (tests/test_fuzz_loader.py) the run does
not stop at the first failure: it counts them, keeps the first few with their recipe and where they
were raised, and writes the count, the outcomes, the failures and the seconds to
bench/results/fuzz.md. The cases are shared among worker processes, each with its own seed.

Run: python bench/fuzz_loader.py [--cases 10000] [--workers 2] [--seed 0] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.mutations
RESULTS = ROOT / "bench" / "results" / "fuzz.md"
SLOW_SECONDS = 5.0
KEPT_FAILURES = 20


def worker(seed: int, examples: int, results) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from tests.mutations import build, cases, check, describe

    count, failures, slow, outcomes = 0, [], [], Counter()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzzed.txt"

        @hypothesis_seed(seed)
        @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(cases())
        def run(case):
            nonlocal count
            count += 1
            started = time.perf_counter()
            outcome, problem = check(path, build(case))
            outcomes[outcome] += 1
            seconds = time.perf_counter() - started
            if problem:
                failures.append((problem, describe(case)))
            if seconds > SLOW_SECONDS:
                slow.append((seconds, describe(case)))

        run()
    results.put((count, failures, slow, outcomes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=max(1, min(4, multiprocessing.cpu_count())))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    share = -(-args.cases // args.workers)
    processes = [context.Process(target=worker, args=(args.seed + index, share, results))
                 for index in range(args.workers)]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started

    count = sum(o[0] for o in outcomes)
    failures = [f for o in outcomes for f in o[1]]
    slow = sorted((s for o in outcomes for s in o[2]), reverse=True)
    outcome_counts = sum((o[3] for o in outcomes), Counter())
    kinds = Counter(problem.split(" at ")[0][:120] for problem, _ in failures)
    lines = [
        "# Loader fuzzing",
        "",
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · {args.workers} worker processes · "
        f"hypothesis seeds {args.seed}…{args.seed + args.workers - 1}",
        "",
        "Mutations of the seeds and samples (tests/mutations.py): deleted, duplicated, shuffled and moved "
        "lines, truncation, lines spliced from another report, damaged lines, CRLF/CR, a swapped encoding "
        "for the whole file or from some line on, flipped/inserted bytes. A case passes if it loads (and its "
        "graph parses as N-Triples) or is refused with a one-line `ReportError` naming the file.",
        "",
        "| cases | failures | seconds | cases/s |",
        "|---|---|---|---|",
        f"| {count:,} | {len(failures)} | {seconds:.0f} | {count / seconds:.1f} |",
        "",
        "Outcomes:",
        "",
        *(f"- {n:,} × {outcome}" for outcome, n in outcome_counts.most_common()),
        "",
    ]
    if failures:
        lines += ["## Failures by kind", ""] + [f"- {n} × {kind}" for kind, n in kinds.most_common()] + [""]
        lines += ["## First failures", ""] + [f"- {problem} — {recipe}" for problem, recipe in failures[:KEPT_FAILURES]]
        lines.append("")
    if slow:
        lines += [f"## Cases slower than {SLOW_SECONDS:g} s", ""]
        lines += [f"- {s:.1f} s — {recipe}" for s, recipe in slow[:10]] + [""]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
