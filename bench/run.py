"""National-scale benchmark: load, query, validate and trace 1k / 10k / 50k synthetic reports.

    python bench/gen_corpus.py --reports 1000          # (and 10000, 50000): bench/out/corpus-N
    python bench/run.py --size 1000 --rdflib           # one size: measures, saves bench/out/results-N.json
    python bench/run.py --size 10000 --validate-store
    python bench/run.py --size 50000 --bulk --runs 5
    python bench/run.py --report                       # bench/RESULTS.md + bench/results/scaling.png

Each size is one run measuring side by side on the same data:

* load: ``piagraph load --jobs 2`` (``--bulk``: the bulk loader) of the corpus files into a fresh
  embedded store — seconds, reports/s, MB/s, triples/s, peak RSS of the largest process (the
  parent writer or a parser; ``getrusage(RUSAGE_CHILDREN)``); a load run earlier by hand with the
  same command can be reused (``--reuse-load``, reads ``bench/out/load-N.log``);
* parse: `load_report` alone on a sample of files in this process — MB/s per core, tracemalloc peak;
* every saved query, twice: for one 評価実施機関 (its parameters bound to one report's body, 事務 and
  評価書番号) and over the whole country (no parameter) — p50/p95 on the embedded store, on a local
  ``oxigraph serve-read-only`` over the same store directory through `RemoteStore`, and (``--rdflib``)
  on rdflib's in-memory Dataset holding the same quads, each rdflib run in a forked process killed
  at ``--rdflib-limit`` seconds;
* validation: `validate_graph` per report on a sample; ``--validate-store``: the whole
  ``piagraph validate --store --jobs 2`` (the findings graph is written into a copy of the store);
* flows: `build_flow_graph` for one municipality and for the whole country.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
PLOT = ROOT / "bench" / "results" / "scaling.png"
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT)]

from loaders.pipeline import load_report  # noqa: E402
from piagraph.flows.model import build_flow_graph  # noqa: E402
from piagraph.flows.scope import Scope, municipality_scope  # noqa: E402
from piagraph.sparql.saved import list_queries  # noqa: E402
from piagraph.store import EmbeddedStore  # noqa: E402
from piagraph.validation import validate_graph  # noqa: E402

SUMMARY = re.compile(r"loaded (\d+) of (\d+) files?: ([\d,]+) triples, (\d+) failures?, ([\d.]+) s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timings_ms(run, runs: int) -> dict:
    run()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "runs": runs}


# -- load -------------------------------------------------------------------------------------------


def corpus_bytes(corpus: Path) -> int:
    return sum(p.stat().st_size for p in corpus.rglob("*.txt"))


def load_command(size: int, bulk: bool) -> list[str]:
    store = OUT / f"store-{size}"
    # -v: one line per stored report, so the log shows the progress of a long load
    return [str(BIN / "piagraph"), "load", "-v", "--store", str(store), "--jobs", "2", *(["--bulk"] if bulk else []),
            str(OUT / f"corpus-{size}")]


def measure_load(size: int, bulk: bool, reuse: bool) -> dict:
    log, saved = OUT / f"load-{size}.log", OUT / f"load-{size}.json"
    if not reuse:
        shutil.rmtree(OUT / f"store-{size}", ignore_errors=True)
        started = time.time()
        with open(log, "w") as handle:
            code = subprocess.call(load_command(size, bulk), stderr=handle)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        saved.write_text(json.dumps({"rc": code, "seconds": time.time() - started, "max_rss_mb": usage.ru_maxrss / 1024,
                                     "loadavg": Path("/proc/loadavg").read_text()}))
    measured = json.loads(saved.read_text())
    match = SUMMARY.search(log.read_text())
    loaded, files, triples, failures = (int(match.group(i).replace(",", "")) for i in (1, 2, 3, 4))
    seconds = measured["seconds"]
    size_bytes = corpus_bytes(OUT / f"corpus-{size}")
    return {"mode": "bulk" if bulk else "one transaction per report", "files": files, "loaded": loaded,
            "failures": failures, "triples": triples, "seconds": seconds, "reports_per_s": loaded / seconds,
            "mb_per_s": size_bytes / 1e6 / seconds, "triples_per_s": triples / seconds, "corpus_mb": size_bytes / 1e6,
            "max_rss_mb": measured["max_rss_mb"], "loadavg_at_end": measured.get("loadavg", "").split()[:3]}


def measure_parse(corpus: Path, sample: int = 100) -> dict:
    files = sorted(corpus.rglob("*.txt"))
    chosen = random.Random(1).sample(files, min(sample, len(files)))
    size = sum(p.stat().st_size for p in chosen)
    tracemalloc.start()
    started = time.perf_counter()
    triples = sum(len(load_report(p).graph) for p in chosen)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()  # tracemalloc slows Python down: the MB/s below are measured without it
    started = time.perf_counter()
    for p in chosen:
        load_report(p)
    seconds = time.perf_counter() - started
    return {"files": len(chosen), "mb_per_s": size / 1e6 / seconds, "ms_per_report": seconds * 1000 / len(chosen),
            "triples_per_s": triples / seconds, "tracemalloc_peak_mb": peak / 1e6}


# -- queries ----------------------------------------------------------------------------------------


def example_values(corpus: Path) -> dict[str, str]:
    """Parameters of the per-report queries: the first current report of the corpus's first body."""
    rows = [line.split("\t") for line in (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    newest: dict[str, list[str]] = {}
    for row in rows:
        if row[1] not in newest or row[2] > newest[row[1]][2]:
            newest[row[1]] = row
    path, series, _, affair, *_ = newest[rows[0][1]]
    body, number = series.split("|")
    return {"body": body, "assessmentNumber": number, "affair": affair}


def query_texts(values: dict[str, str] | None) -> dict[str, str]:
    """Every saved query with its parameters bound to `values`, or (None) unbound: the whole country."""
    return {q.name: q.bind({p.name: values[p.name] for p in q.params} if values else {}) for q in list_queries()}


def measure_queries(store, texts: dict[str, str], runs: int) -> dict:
    results = {}
    for name, text in texts.items():
        rows = len(store.query(text).rows)
        results[name] = {**timings_ms(lambda: store.query(text), runs), "rows": rows}
        print(f"  {name}: p95 {results[name]['p95']:.0f} ms", file=sys.stderr)
    return results


def _rdflib_worker(dataset, text, connection) -> None:
    started = time.perf_counter()
    try:
        rows = len(list(dataset.query(text)))
    except Exception as error:  # rdflib's own SPARQL bugs are reported, not fatal
        connection.send(("error", f"{type(error).__name__}"))
        return
    connection.send(("ok", (time.perf_counter() - started) * 1000, rows))


def rdflib_dataset(store: EmbeddedStore):
    """The store's quads in rdflib's in-memory Dataset, and the seconds it took to parse them."""
    import io

    import rdflib

    buffer = io.BytesIO()
    store.export(buffer, "nquads")
    started = time.perf_counter()
    dataset = rdflib.Dataset()
    dataset.parse(data=buffer.getvalue(), format="nquads")
    return dataset, time.perf_counter() - started


def measure_rdflib(dataset, texts: dict[str, str], runs: int, limit: float) -> dict:
    results: dict = {}
    context = multiprocessing.get_context("fork")
    for name, text in texts.items():
        times = []
        for _ in range(runs):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_rdflib_worker, args=(dataset, text, sender))
            process.start()
            answer = receiver.recv() if receiver.poll(limit) else None
            process.kill()
            process.join()
            if answer is None:
                results[name] = {"timeout_s": limit}
                break
            if answer[0] == "error":
                results[name] = {"error": answer[1]}
                break
            times.append(answer[1])
            if answer[1] > limit * 1000 / 3:
                break  # slow: one run says enough
        if name not in results:
            results[name] = {"p50": statistics.median(times), "p95": percentile(times, 0.95), "runs": len(times)}
        print(f"  rdflib {name}: {results[name]}", file=sys.stderr)
    return results


def measure_remote(store_dir: Path, texts: dict[str, str], runs: int) -> dict:
    from piagraph.store.remote import RemoteStore

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(store_dir),
                               "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        remote = RemoteStore(f"http://127.0.0.1:{port}/query")
        return measure_queries(remote, texts, runs)
    finally:
        server.terminate()
        server.wait()


# -- validation and flows ---------------------------------------------------------------------------


def measure_validation(store: EmbeddedStore, sample: int = 20) -> dict:
    current = [e.graph for e in store.catalog() if e.is_current]
    chosen = random.Random(1).sample(current, min(sample, len(current)))
    graphs = [store.named_graph(g) for g in chosen]
    started = time.perf_counter()
    for graph in graphs:
        validate_graph(graph, today=dt.date(2026, 1, 1))
    return {"reports": len(graphs), "s_per_report": (time.perf_counter() - started) / len(graphs), "current": len(current)}


def measure_validate_store(size: int) -> dict:
    copy = OUT / f"store-{size}-validate"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(OUT / f"store-{size}", copy)
    started = time.perf_counter()
    result = subprocess.run([str(BIN / "piagraph"), "validate", "--store", str(copy), "--jobs", "2", "--format", "csv",
                             "--today", "2026-01-01"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(copy, ignore_errors=True)
    return {"seconds": seconds, "exit_code": result.returncode, "findings": max(0, result.stdout.count("\n") - 1),
            "summary": result.stderr.strip().splitlines()[-1:] }


def measure_flows(store: EmbeddedStore, body: str) -> dict:
    started = time.perf_counter()
    one = build_flow_graph(store, municipality_scope(store, body))
    municipality = time.perf_counter() - started
    started = time.perf_counter()
    country = build_flow_graph(store, Scope())
    return {"municipality_s": municipality, "municipality_nodes": one.number_of_nodes(),
            "country_s": time.perf_counter() - started, "country_nodes": country.number_of_nodes(),
            "country_edges": country.number_of_edges()}


# -- one size ---------------------------------------------------------------------------------------


def run_size(args) -> dict:
    size, corpus = args.size, OUT / f"corpus-{args.size}"
    results: dict = {"size": size, "date": dt.datetime.now().isoformat(timespec="seconds")}
    print(f"[{size}] load …", file=sys.stderr)
    results["load"] = measure_load(size, args.bulk, args.reuse_load)
    print(f"  {results['load']}", file=sys.stderr)
    if args.load_only:  # measured again with --reuse-load once the store is wanted
        return results
    results["parse"] = measure_parse(corpus)
    values = example_values(corpus)
    texts, country = query_texts(values), query_texts(None)
    results["parameters"] = values
    store = EmbeddedStore(OUT / f"store-{size}", create=False)
    quads = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    results["quads"] = int(str(quads))
    print(f"[{size}] queries (embedded) …", file=sys.stderr)
    results["embedded"] = measure_queries(store, texts, args.runs)
    print(f"[{size}] queries over the whole country (embedded) …", file=sys.stderr)
    results["embedded_country"] = measure_queries(store, country, args.country_runs)
    print(f"[{size}] validation, flows …", file=sys.stderr)
    results["validation"] = measure_validation(store)
    results["flows"] = measure_flows(store, values["body"])
    if args.rdflib:
        print(f"[{size}] rdflib …", file=sys.stderr)
        dataset, parse_seconds = rdflib_dataset(store)
        results["rdflib"] = {"_parse_seconds": parse_seconds, **measure_rdflib(dataset, texts, 3, args.rdflib_limit)}
        results["rdflib_country"] = measure_rdflib(dataset, country, 3, args.rdflib_limit)
        del dataset
    store.close()
    del store
    if not args.no_remote:
        print(f"[{size}] oxigraph serve …", file=sys.stderr)
        results["remote"] = measure_remote(OUT / f"store-{size}", texts, args.runs)
        results["remote_country"] = measure_remote(OUT / f"store-{size}", country, args.country_runs)
    if args.validate_store:
        print(f"[{size}] validate --store --jobs 2 …", file=sys.stderr)
        results["validate_store"] = measure_validate_store(size)
    (OUT / f"results-{size}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, help="corpus size to measure (bench/out/corpus-SIZE)")
    parser.add_argument("--bulk", action="store_true", help="load with --bulk")
    parser.add_argument("--reuse-load", action="store_true", help="use bench/out/load-SIZE.{log,json} and the store")
    parser.add_argument("--load-only", action="store_true", help="only the load (bench/out/load-SIZE.{log,json})")
    parser.add_argument("--runs", type=int, default=11, help="runs of each query for one body")
    parser.add_argument("--country-runs", type=int, default=5, help="runs of each query over the whole country")
    parser.add_argument("--rdflib", action="store_true", help="also rdflib's in-memory Dataset (1k)")
    parser.add_argument("--rdflib-limit", type=float, default=20.0)
    parser.add_argument("--no-remote", action="store_true")
    parser.add_argument("--validate-store", action="store_true", help="also `piagraph validate --store --jobs 2`")
    parser.add_argument("--report", action="store_true", help="write bench/RESULTS.md and the plot from results-*.json")
    args = parser.parse_args()
    if args.size:
        run_size(args)
    if args.report:
        from report import write_report  # bench/report.py

        write_report([json.loads(p.read_text()) for p in sorted(OUT.glob("results-*.json"))], RESULTS_MD, PLOT)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {"cpu": cpu, "nproc": os.cpu_count(), "memory_gib": memory / 1024 / 1024, "system": platform.platform()}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
