"""Parallel ingest: ``piagraph load --jobs N [--bulk]``.

A pool of N loader processes parses the reports (`loaders.pipeline.load_report`) and sends each one
back as N-Triples text (`SerializedGraph`) with its identity; the parent process alone writes to the
store, in the order of the files (so the store ends up the same as with one job).

Two ways of writing:

* default — one transaction per report: each report goes through `Store.put_report` exactly as a
  one-job load does (one SPARQL update: drop the old graph, insert the new one, rewrite the catalog
  entries of its series). The series lookup is an index lookup (`catalog.entries_query`), so the
  cost per report does not grow with the store. A crash leaves every report wholly old or new.
* ``bulk=True`` — an initial load into an EMPTY store: report graphs are batched into N-Quads and
  handed to Oxigraph's bulk loader (`EmbeddedStore.bulk_load_nquads`), which writes its files
  directly, without transactions; the catalog is computed in memory (`catalog.rank_series`) and
  written once at the end. Much faster, but a load interrupted by a crash may leave a report
  partly written and the catalog missing: delete the store and load again. A file whose report
  has the same graph IRI (body, 評価書番号, 公表日) as an earlier file of the run is skipped.

Workers die with their parent; a worker that crashes (not a `ReportError`: a real crash) fails
only the file it was reading, and the pool is restarted for the rest.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from piagraph.catalog import CATALOG_GRAPH, CatalogEntry, entry_triples, rank_series
from piagraph.loading import LoadRun, LoadSummary
from piagraph.sparql import SerializedGraph, nt_lines
from piagraph.store import ReportGraph, Store, StoreError, new_entry

BULK_BATCH_BYTES = 64 * 1024 * 1024
"""N-Quads handed to Oxigraph's bulk loader at a time (about 200 reports)."""

WINDOW_PER_JOB = 4
"""Files in flight per worker: enough to keep the workers busy, few enough to bound memory."""


@dataclass(frozen=True)
class Parsed:
    """What a worker sends back for one file: a report ready to store, or why it failed."""

    path: str
    size: int
    report: ReportGraph | None = None
    failure: str | None = None


def parse_file(path: str) -> Parsed:
    """Load one report file (in a worker process) into a picklable, pre-serialised report."""
    from loaders.errors import ReportError
    from loaders.pipeline import load_report

    size = Path(path).stat().st_size if Path(path).exists() else 0
    try:
        loaded = ReportGraph.of(load_report(path))
    except ReportError as error:
        return Parsed(path, size, failure=str(error))
    except Exception as error:  # a loader bug must not stop the other files
        return Parsed(path, size, failure=f"{path}: loader failed: {type(error).__name__}: {' '.join(str(error).split())[:200]}")
    graph = SerializedGraph(nt_lines(loaded.graph), len(loaded.graph))
    return Parsed(path, size, report=ReportGraph(
        graph_iri=loaded.graph_iri, graph=graph, assessment=loaded.assessment, series_key=loaded.series_key,
        published_on=loaded.published_on, source_file=loaded.source_file,
    ))


def parse_all(paths: list[Path], jobs: int) -> Iterator[Parsed]:
    """Parse `paths` with `jobs` processes, yielding results in the order of `paths`."""
    if jobs <= 1:
        yield from (parse_file(str(p)) for p in paths)
        return
    context = multiprocessing.get_context("forkserver")
    pending: deque[tuple[str, Future]] = deque()
    todo = deque(str(p) for p in paths)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        while todo or pending:
            while todo and len(pending) < jobs * WINDOW_PER_JOB:
                path = todo.popleft()
                pending.append((path, pool.submit(parse_file, path)))
            path, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Parsed(path, 0, failure=f"{path}: loader process died (out of memory?)")
                pool.shutdown(wait=False, cancel_futures=True)
                todo.extendleft(reversed([p for p, _ in pending]))
                pending.clear()
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    jobs: int = 2,
    bulk: bool = False,
    progress: bool = True,
    report_failure: Callable[[str], None] | None = None,
    report_loaded: Callable[[Path, CatalogEntry], None] | None = None,
) -> LoadSummary:
    """Load every report under `paths` with `jobs` parsing processes (see the module doc)."""
    from loaders.pipeline import ontology_graph

    run = LoadRun(paths, progress=progress, report_failure=report_failure, report_loaded=report_loaded)
    if bulk:
        bulk_load = getattr(store, "bulk_load_nquads", None)
        if bulk_load is None:
            raise StoreError(f"{store.location}: --bulk needs the embedded store")
        if store.catalog():
            raise StoreError(f"{store.location}: --bulk loads only into an empty store (this one holds reports)")
    store.put_ontology(ontology_graph())
    writer = _BulkWriter(store) if bulk else None
    for parsed in parse_all(run.files, jobs):
        run.bar.update()
        run.summary.bytes += parsed.size
        if parsed.report is None:
            run.fail(parsed.failure or f"{parsed.path}: failed")
            continue
        try:
            entry = writer.add(parsed.report) if writer else store.put_report(parsed.report)
        except StoreError as error:
            run.fail(f"{parsed.path}: {error}")
            continue
        if entry is None:
            run.fail(f"{parsed.path}: same report (body, 評価書番号, 公表日) as an earlier file of this --bulk load; skipped")
            continue
        run.stored(parsed.path, entry)
    if writer:
        run.summary.loaded = writer.finish()
    return run.finish()


class _BulkWriter:
    """Batches report graphs as N-Quads for the bulk loader; writes the catalog at the end."""

    def __init__(self, store):
        self.store = store
        self.entries: list[CatalogEntry] = []
        self.seen: set[URIRef] = set()
        self.batch: list[bytes] = []
        self.batch_bytes = 0

    def add(self, report: ReportGraph) -> CatalogEntry | None:
        if report.graph_iri in self.seen:
            return None
        self.seen.add(report.graph_iri)
        data = _as_nquads(nt_lines(report.graph), report.graph_iri).encode("utf-8")
        self.batch.append(data)
        self.batch_bytes += len(data)
        if self.batch_bytes >= BULK_BATCH_BYTES:
            self._flush()
        entry = new_entry(report)
        self.entries.append(entry)
        return entry

    def _flush(self) -> None:
        if self.batch:
            self.store.bulk_load_nquads(b"".join(self.batch))
        self.batch, self.batch_bytes = [], 0

    def finish(self) -> list[CatalogEntry]:
        self._flush()
        ranked = rank_series(self.entries)
        catalog = nt_lines([t for e in ranked for t in entry_triples(e)])
        self.store.bulk_load_nquads(_as_nquads(catalog, CATALOG_GRAPH).encode("utf-8"))
        self.store.flush()
        order = {e.graph: i for i, e in enumerate(self.entries)}
        return sorted(ranked, key=lambda e: order[e.graph])


def _as_nquads(nt: str, graph: URIRef) -> str:
    """N-Triples lines (``s p o .``, one per line, as `nt_lines` writes them) into one named graph.

    A literal cannot hold a raw line break (N-Triples escapes it), so `` .\\n`` only ends lines."""
    return nt.replace(" .\n", f" <{graph}> .\n")
