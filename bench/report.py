"""bench/RESULTS.md and bench/results/scaling.png from the measurements of `bench/run.py`.

Reads ``bench/out/results-N.json`` (one per corpus size) and, for a load that could not finish in
the time available, ``bench/out/partial-N.json`` (reports stored so far, seconds, peak RSS).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as metadata
import json
import platform
import statistics
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
TARGETS = {"load_10k_s": 600, "load_50k_s": 3600, "query_p95_ms": 500, "validate_10k_s": 1800}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    import os

    return f"{os.cpu_count()} cores (nproc), {memory / 1024 / 1024:.1f} GiB RAM, {cpu}, {platform.platform()}"


def versions() -> str:
    names = ["pyoxigraph", "rdflib", "pyshacl", "networkx", "oxigraph"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(found)


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def fmt_ms(ms: float | None) -> str:
    return "—" if ms is None else f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 else str(size)


def query_p95s(result: dict, kind: str = "embedded") -> dict[str, float]:
    return {name: v["p95"] for name, v in result.get(kind, {}).items() if not name.startswith("_") and "p95" in v}


def scaling_rows(results: dict[int, dict], partial: dict[int, dict]) -> list[tuple[str, dict[int, str]]]:
    def row(name, get):
        cells = {}
        for size, r in results.items():
            try:
                cells[size] = get(r)
            except (KeyError, TypeError, ValueError):
                cells[size] = "—"
        return name, cells

    rows = [
        row("reports loaded (failures)", lambda r: f"{r['load']['loaded']:,} ({r['load']['failures']})"),
        row("load mode", lambda r: r["load"]["mode"]),
        row("load time, `load --jobs 2`", lambda r: fmt_s(r["load"]["seconds"])),
        row("reports/s into the store", lambda r: f"{r['load']['reports_per_s']:.1f}"),
        row("corpus MB/s (2 parsers + writer)", lambda r: f"{r['load']['mb_per_s']:.2f}"),
        row("triples/s into the store", lambda r: f"{r['load']['triples_per_s']:,.0f}"),
        row("peak RSS of the largest process", lambda r: f"{r['load']['max_rss_mb']:.0f} MB"),
        row("quads in the store", lambda r: f"{r['quads']:,}"),
        row("parse alone, MB/s per core (100 files)", lambda r: f"{r['parse']['mb_per_s']:.2f}"),
        row("parse alone, ms per report", lambda r: f"{r['parse']['ms_per_report']:.0f}"),
        row("parse, tracemalloc peak (100 files)", lambda r: f"{r['parse']['tracemalloc_peak_mb']:.0f} MB"),
        *(row(f"saved queries {scope}: {what}, embedded", get(kind)) for scope, kind in QUERY_SCOPES
          for what, get in (("median / worst p95", median_worst), ("over 500 ms p95", over_target))),
        *(row(f"saved queries {scope}: median p95, `oxigraph serve`", median_of(kind)) for scope, kind in QUERY_SCOPES_REMOTE),
        row("validation per report (20 reports)", lambda r: f"{r['validation']['s_per_report']:.2f} s"),
        row("`validate --store --jobs 2`, all current reports", lambda r: f"{fmt_s(r['validate_store']['seconds'])} ({r['validation']['current']:,} reports)"),
        row("flow model, one municipality", lambda r: fmt_s(r["flows"]["municipality_s"])),
        row("flow model, whole country", lambda r: f"{fmt_s(r['flows']['country_s'])} ({r['flows']['country_nodes']:,} nodes, {r['flows']['country_edges']:,} edges)"),
    ]
    for size, p in partial.items():
        for name, cells in rows:
            cells.setdefault(size, "—")
        rows[0][1][size] = f"{p['stored']:,} of {p['files']:,} (partial)"
        rows[1][1][size] = p["mode"]
        rows[2][1][size] = f"projected {fmt_s(p['files'] / rate_of(p))} (partial run)"
        rows[3][1][size] = f"{rate_of(p):.1f}"
        rows[6][1][size] = f"{p['max_rss_mb']:.0f} MB (so far)" if p.get("max_rss_mb") else "—"
    return rows


QUERY_SCOPES = (("for one body", "embedded"), ("over the whole country", "embedded_country"))
QUERY_SCOPES_REMOTE = (("for one body", "remote"), ("over the whole country", "remote_country"))


def median_worst(kind: str):
    def get(r: dict) -> str:
        p95 = query_p95s(r, kind)
        worst = max(p95, key=p95.get)
        return f"{statistics.median(p95.values()):.0f} / {p95[worst]:.0f} ms ({worst})"
    return get


def over_target(kind: str):
    def get(r: dict) -> str:
        p95 = query_p95s(r, kind)
        return f"{sum(v > TARGETS['query_p95_ms'] for v in p95.values())} of {len(p95)}"
    return get


def median_of(kind: str):
    return lambda r: f"{statistics.median(query_p95s(r, kind).values()):.0f} ms"


def rate_of(p: dict) -> float:
    """Reports/s of a partial load: over the window it ran at normal priority, if recorded."""
    if p.get("window_seconds"):
        return p["window_stored"] / p["window_seconds"]
    return p["stored"] / p["seconds"]


def write_plot(results: dict[int, dict], partial: dict[int, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {
        "load --jobs 2 (s)": {s: r["load"]["seconds"] for s, r in results.items()},
        "validate --store --jobs 2 (s)": {s: r["validate_store"]["seconds"] for s, r in results.items() if "validate_store" in r},
        "flow model, whole country (s)": {s: r["flows"]["country_s"] for s, r in results.items()},
        "flow model, one municipality (s)": {s: r["flows"]["municipality_s"] for s, r in results.items()},
        "worst saved query p95, one body (s)": {s: max(query_p95s(r).values()) / 1000 for s, r in results.items()},
        "worst saved query p95, whole country (s)": {s: max(query_p95s(r, "embedded_country").values()) / 1000
                                                     for s, r in results.items() if "embedded_country" in r},
        "median saved query p95, whole country (s)": {s: statistics.median(query_p95s(r, "embedded_country").values()) / 1000
                                                      for s, r in results.items() if "embedded_country" in r},
    }
    projected = {s: p["files"] / rate_of(p) for s, p in partial.items()}
    figure, axes = plt.subplots(figsize=(8, 5.5))
    for name, points in series.items():
        if points:
            xs = sorted(points)
            axes.plot(xs, [points[x] for x in xs], marker="o", label=name)
    if projected:
        load = series["load --jobs 2 (s)"]
        xs = sorted(load)[-1:] + sorted(projected)
        axes.plot(xs, [load.get(x, projected.get(x)) for x in xs], linestyle="--", marker="x", label="load, projected from a partial run (s)")
    for seconds, text in ((600, "10 min"), (1800, "30 min"), (3600, "1 h")):
        axes.axhline(seconds, color="grey", linewidth=0.6, linestyle=":")
        axes.text(900, seconds * 1.05, text, color="grey", fontsize=8)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("reports in the store")
    axes.set_ylabel("seconds")
    axes.set_title("piagraph: cost against corpus size (2 cores)")
    axes.legend(fontsize=8)
    axes.grid(True, which="both", linewidth=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def write_report(all_results: list[dict], path: Path, plot: Path) -> None:
    results = {r["size"]: r for r in sorted(all_results, key=lambda r: r["size"]) if r["size"] >= 1000}
    partial = {json.loads(p.read_text())["size"]: json.loads(p.read_text()) for p in sorted(OUT.glob("partial-*.json"))}
    partial = {s: p for s, p in partial.items() if s not in results}
    write_plot(results, partial, plot)
    sizes = sorted({*results, *partial})
    lines = [
        "# National scale: measurements",
        "",
        f"Generated by `bench/run.py --report` on {dt.date.today()} from the runs in `bench/out/` "
        f"({', '.join(r['date'] for r in results.values())}).",
        "",
        f"* machine: {machine()}",
        f"* versions: {versions()}",
        "* corpus: `bench/gen_corpus.py --reports N --seed 1` (report text files, both text shapes, "
        "1,741 bodies at 50k; see its docstring)",
        "",
        "## Scaling",
        "",
        "| | " + " | ".join(label(s) for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for name, cells in scaling_rows(results, partial):
        lines.append(f"| {name} | " + " | ".join(cells.get(s, "—") for s in sizes) + " |")
    lines += ["", f"![scaling](results/{plot.name})", ""]
    lines[lines.index("## Scaling"):lines.index("## Scaling")] = targets(results, partial) + [""]
    lines += query_table(results)
    notes = path.parent / "results" / "scale-notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path} and {plot}", file=sys.stderr)


def targets(results: dict[int, dict], partial: dict[int, dict]) -> list[str]:
    """The issue's targets, each with the measured number and met / missed."""
    def verdict(ok):
        return "—" if ok is None else "met" if ok else "**missed**"

    rows = []
    ten = results.get(10000, {})
    if "load" in ten:
        seconds = ten["load"]["seconds"]
        rows.append(("10k reports loaded in < 10 min", f"{fmt_s(seconds)} (`load --jobs 2`, {ten['load']['mode']})", verdict(seconds < TARGETS["load_10k_s"])))
    fifty = results.get(50000)
    if fifty:
        seconds = fifty["load"]["seconds"]
        rows.append(("50k reports loaded in < 1 h, within memory", f"{fmt_s(seconds)}, peak RSS {fifty['load']['max_rss_mb']:.0f} MB ({fifty['load']['mode']})", verdict(seconds < TARGETS["load_50k_s"])))
    elif 50000 in partial:
        p = partial[50000]
        rate = rate_of(p)
        projected = p["files"] / rate
        rows.append(("50k reports loaded in < 1 h, within memory",
                     f"not finished in the session: {p['stored']:,} reports stored so far, at {rate * 60:,.0f} reports/min "
                     f"({p['mode']}), projected {fmt_s(projected)} in all; peak RSS so far {p['max_rss_mb']:.0f} MB",
                     "projected " + verdict(projected < TARGETS["load_50k_s"]).replace("**", "")))
    for scope, kind in QUERY_SCOPES:
        if kind in ten:
            p95 = query_p95s(ten, kind)
            over = sorted((n for n, v in p95.items() if v > TARGETS["query_p95_ms"]), key=lambda n: -p95[n])
            worst = max(p95, key=p95.get)
            rows.append((f"saved queries p95 < 500 ms at 10k, embedded, {scope}",
                         f"{len(p95) - len(over)} of {len(p95)} under; worst {p95[worst]:.0f} ms (`{worst}`)", verdict(not over)))
    one = results.get(1000, {})
    for scope, (kind, rdflib_kind) in (("for one body", ("embedded", "rdflib")), ("over the whole country", ("embedded_country", "rdflib_country"))):
        if rdflib_kind in one:
            ratios = rdflib_ratios(one, kind, rdflib_kind)
            rows.append((f"ratio to rdflib's memory store at 1k, {scope}", f"median {statistics.median(ratios):,.0f}× slower in rdflib "
                         f"(a query stopped at the time limit counts at the limit; see the query tables)", "—"))
    if "validate_store" in ten:
        seconds = ten["validate_store"]["seconds"]
        rows.append(("validation of 10k reports < 30 min, `--jobs 2`", f"{fmt_s(seconds)} for {ten['validation']['current']:,} current reports", verdict(seconds < TARGETS["validate_10k_s"])))
    lines = ["## Targets (issue 8)", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def rdflib_ratios(result: dict, kind: str, rdflib_kind: str) -> list[float]:
    """rdflib p50 ÷ embedded p50 per query; a query stopped at the limit counts at the limit."""
    ratios = []
    for name, r in result[rdflib_kind].items():
        if name.startswith("_") or name not in result[kind]:
            continue
        if "p50" in r:
            ratios.append(r["p50"] / result[kind][name]["p50"])
        elif "timeout_s" in r:
            ratios.append(r["timeout_s"] * 1000 / result[kind][name]["p50"])
    return ratios


def query_table(results: dict[int, dict]) -> list[str]:
    lines: list[str] = []
    titles = {"embedded": "for one body (parameters bound to one report's 評価実施機関, 事務, 評価書番号)",
              "embedded_country": "over the whole country (no parameter)"}
    remote_of = {"embedded": "remote", "embedded_country": "remote_country"}
    rdflib_of = {"embedded": "rdflib", "embedded_country": "rdflib_country"}
    for kind, title in titles.items():
        sizes = [s for s in sorted(results) if kind in results[s]]
        if not sizes:
            continue
        names = sorted({n for s in sizes for n in query_p95s(results[s], kind)})
        remote_sizes = [s for s in sizes if remote_of[kind] in results[s]]
        rdflib_size = next((s for s in sizes if rdflib_of[kind] in results[s]), None)
        header = (["query"] + [f"{label(s)} embedded p50 / p95 (rows)" for s in sizes]
                  + [f"{label(s)} serve p95" for s in remote_sizes])
        if rdflib_size:
            header += [f"{label(rdflib_size)} rdflib p50", f"rdflib ÷ embedded at {label(rdflib_size)}"]
        lines += ["", f"## Saved queries {title}, ms", "", "| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
        for name in names:
            cells = [f"`{name}`"]
            for s in sizes:
                q = results[s][kind].get(name)
                cells.append(f"{fmt_ms(q['p50'])} / {fmt_ms(q['p95'])} ({q['rows']:,})" if q else "—")
            for s in remote_sizes:
                q = results[s][remote_of[kind]].get(name)
                cells.append(fmt_ms(q["p95"]) if q and "p95" in q else "—")
            if rdflib_size:
                r = results[rdflib_size][rdflib_of[kind]].get(name, {})
                e = results[rdflib_size][kind][name]["p50"]
                if "p50" in r:
                    cells += [fmt_ms(r["p50"]), f"{r['p50'] / e:,.0f}×"]
                elif "timeout_s" in r:
                    cells += [f"> {r['timeout_s'] * 1000:.0f}", f"> {r['timeout_s'] * 1000 / e:,.0f}×"]
                else:
                    cells += [r.get("error", "—"), "—"]
            lines.append("| " + " | ".join(cells) + " |")
        if rdflib_size:
            ratios = rdflib_ratios(results[rdflib_size], kind, rdflib_of[kind])
            parse = results[rdflib_size]["rdflib"].get("_parse_seconds")
            lines += ["", f"rdflib's in-memory Dataset at {label(rdflib_size)} is {statistics.median(ratios):,.0f}× slower than the "
                      f"embedded store here (median over the queries; a query stopped at its limit counts at the limit, so the "
                      f"real ratio is higher), after {fmt_s(parse)} to parse the quads."]
    return lines


if __name__ == "__main__":
    write_report([json.loads(p.read_text()) for p in sorted(OUT.glob("results-*.json"))], OUT.parent / "RESULTS.md",
                 OUT.parent / "results" / "scaling.png")
