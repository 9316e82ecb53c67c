"""Loading report files into a store: ``piagraph load [--jobs N] [--bulk]``, the app's upload, the tests.

Files are found (directories searched for .txt/.pdf), parsed by `loaders.pipeline.load_report` and
validated against the form's rules (`prepare_report`: the report, its text and its findings, ready to
store) — in this process, or in a pool of N loader processes that send each report back as N-Triples
text (`SerializedGraph`) — and written by this process alone, in the order of the files, so the store
ends up the same whatever N is. A file that cannot be loaded (a `ReportError`, a loader crash, or a
store error for that report) is reported as one line and skipped; the other files still load.

Each report is stored with its findings (validated on load, the same write as the report) and its
source text, with when, from which file and by whom it was loaded. Loading a report that is already
stored changes nothing when the content is identical; with different text, the earlier content is
kept as a superseded version and a notice says so (`piagraph.store.base.Store.put_report`).

Two ways of writing:

* default — one transaction per report: each report goes through `Store.put_report` (embedded: one
  SPARQL update that drops the old graph, inserts the new one and rewrites the catalog entries of
  its series; remote: one PUT per graph). The series lookup is an index lookup, so the cost per
  report does not grow with the store. A crash leaves every report wholly old or new.
* ``bulk=True`` — an initial load into an EMPTY embedded store: report graphs are batched into
  N-Quads and handed to Oxigraph's bulk loader (`EmbeddedStore.bulk_load_nquads`), which writes its
  files directly, without transactions; the catalog is computed in memory (`catalog.rank_series`)
  and written once at the end. Much faster, but a load interrupted by a crash may leave a report
  partly written and the catalog missing: delete the store and load again. A file whose report has
  the same graph IRI (body, 評価書番号, 公表日) as an earlier file of the run is skipped.

Workers die with their parent; a worker that crashes (not a `ReportError`: a real crash) fails only
the file it was reading, and the pool is restarted for the rest.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from rdflib import URIRef
from tqdm import tqdm

from ontology import CATALOG_GRAPH, ontology_graph
from ontology.errors import ReportError, StoreError
from piagraph.sparql.text import SerializedGraph, nt_lines
from piagraph.store import SUPERSEDED, UNCHANGED, CatalogEntry, ReportGraph, Store, Stored
from piagraph.store.base import new_entry
from piagraph.store.bodies import refresh_all_bodies
from piagraph.store.catalog import entry_triples, rank_series
from piagraph.store.graphs import companions, text_content
from piagraph.store.summaries import summary_graph
from piagraph.workers import in_order

REPORT_SUFFIXES = (".txt", ".pdf")
"""Files taken from a directory (a file named on the command line is always tried)."""


@dataclass
class LoadSummary:
    """What one `load_paths` run did."""

    files: int = 0
    loaded: list[CatalogEntry] = field(default_factory=list)
    """The catalog entry of every report the files hold (stored now, or already stored unchanged)."""
    failures: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    bytes: int = 0  # of the files read
    unchanged: list[CatalogEntry] = field(default_factory=list)
    """Reports whose identical content was already stored: nothing was written."""
    superseded: list[CatalogEntry] = field(default_factory=list)
    """Earlier contents kept as superseded versions because a file brought different text."""

    def line(self) -> str:
        """The one-line summary printed by `piagraph load`."""
        failures = len(self.failures)
        text = (
            f"loaded {len(self.loaded)} of {self.files} file{'s' if self.files != 1 else ''}: "
            f"{self.triples:,} triples, {failures} failure{'s' if failures != 1 else ''}, "
            f"{self.seconds:.1f} s"
        )
        if self.unchanged:
            text += f"; {len(self.unchanged)} unchanged (identical content already stored)"
        if self.superseded:
            text += f"; {len(self.superseded)} replaced (earlier content kept as superseded: piagraph list --all)"
        return text


def report_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """The report files named by `paths` (directories are searched recursively) and the missing ones."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            missing.append(f"{path}: no such file or directory")
    return found, missing


class LoadRun:
    """What every load shares: the file list, the summary, a progress bar and how failures are told.

    `report_failure` receives each failure line as it happens (default: stderr, above the bar);
    `report_loaded` is called after each report is stored.
    """

    def __init__(self, paths: Iterable[str | Path], *, progress: bool,
                 report_failure: Callable[[str], None] | None,
                 report_loaded: Callable[[Path, CatalogEntry], None] | None,
                 report_notice: Callable[[str], None] | None = None):
        self.started = time.perf_counter()
        self.files, missing = report_paths(paths)
        self.summary = LoadSummary(files=len(self.files) + len(missing))
        self.bar = tqdm(total=len(self.files), unit="file", file=sys.stderr,
                        disable=None if progress and len(self.files) > 1 else True)
        self._report_failure = report_failure
        self._report_loaded = report_loaded
        self._report_notice = report_notice
        for line in missing:
            self.fail(line)

    def _tell(self, line: str, callback: Callable[[str], None] | None) -> None:
        if callback is not None:
            callback(line)
        else:
            self.bar.write(line, file=sys.stderr)

    def fail(self, line: str) -> None:
        self.summary.failures.append(line)
        self._tell(line, self._report_failure)

    def stored(self, path: str | Path, stored: Stored | CatalogEntry) -> None:
        if isinstance(stored, CatalogEntry):
            stored = Stored(stored, "added")
        entry = stored.entry
        self.summary.loaded.append(entry)
        self.summary.triples += entry.triple_count
        if stored.outcome == UNCHANGED:
            self.summary.unchanged.append(entry)
        if stored.outcome == SUPERSEDED and stored.superseded is not None:
            self.summary.superseded.append(stored.superseded)
            self._tell(superseded_notice(path, stored.superseded), self._report_notice)
        if self._report_loaded is not None:
            self._report_loaded(Path(path), entry)

    def finish(self) -> LoadSummary:
        self.bar.close()
        self.summary.seconds = time.perf_counter() - self.started
        return self.summary


def superseded_notice(path: str | Path, kept: CatalogEntry) -> str:
    """The notice of a load that replaced different content of the same report."""
    earlier = f"loaded from {kept.source_file or '?'} at {kept.loaded_at.isoformat(timespec='seconds')}"
    return (f"{path}: this report was already stored with other content ({earlier}); the earlier content is "
            f"kept as a superseded version <{kept.graph}> (以前の内容を旧版として保存しました; piagraph list --all)")


def local_user() -> str | None:
    """Who runs a command-line load: the operating-system account (recorded as pia:loadedBy)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


BULK_BATCH_BYTES = 64 * 1024 * 1024
"""N-Quads handed to Oxigraph's bulk loader at a time (about 200 reports)."""

FLUSH_SECONDS = 2.0
"""How often a long load flushes what it wrote: a reader opening the store replays whatever is not
flushed yet, which takes about a second per 20 MB."""

@dataclass(frozen=True)
class Parsed:
    """What a worker sends back for one file: a report ready to store, or why it failed."""

    path: str
    size: int
    report: ReportGraph | None = None
    failure: str | None = None


def prepare_report(loaded, *, validate: bool = True, today: dt.date | None = None,
                   loaded_by: str | None = None) -> ReportGraph:
    """A loaded report ready to store: its graph, its text, its summary rows
    (`piagraph.store.summaries`) and — validated now against the form's rules — its findings
    (`piagraph.validation`), with who loads it. The graphs are already written
    as N-Triples, so a loader process can send them back cheaply."""
    report = ReportGraph.of(loaded)
    findings = None
    if validate:
        from piagraph.validation import findings_graph, validate_report

        day = today or dt.date.today()
        graph = findings_graph(validate_report(loaded, today=day), validated={str(report.assessment): report.graph_iri},
                               today=day)
        findings = SerializedGraph(nt_lines(graph), len(graph))
    graph = report.graph if isinstance(report.graph, SerializedGraph) else SerializedGraph(nt_lines(report.graph),
                                                                                           len(report.graph))
    return replace(report, graph=graph, findings=findings, loaded_by=loaded_by).with_summary().with_digests()


def parse_file(path: str, validate: bool = True, today: dt.date | None = None,
               loaded_by: str | None = None) -> Parsed:
    """Load and validate one report file (in a worker process, or in this one) into a picklable,
    pre-serialised report."""
    from loaders.pipeline import load_report

    size = Path(path).stat().st_size if Path(path).exists() else 0
    try:
        loaded = load_report(path)
        report = prepare_report(loaded, validate=validate, today=today, loaded_by=loaded_by)
    except ReportError as error:
        return Parsed(path, size, failure=str(error))
    except Exception as error:  # a loader bug must not stop the other files
        return Parsed(path, size, failure=f"{path}: loader failed: {type(error).__name__}: {' '.join(str(error).split())[:200]}")
    return Parsed(path, size, report=report)


def store_report(store: Store, loaded, *, loaded_by: str | None = None, validate: bool = True,
                 today: dt.date | None = None) -> Stored:
    """Validate and store one loaded report (the app's upload): `Store.put_report`'s outcome."""
    return store.put_report(prepare_report(loaded, validate=validate, today=today, loaded_by=loaded_by))


def parse_all(paths: list[Path], jobs: int, **options) -> Iterator[Parsed]:
    """Parse (and validate) `paths` with `jobs` processes, yielding results in the order of `paths`;
    `options` go to `parse_file`. A file whose worker died is a failure; the others are parsed anew."""
    def died(path: str) -> Parsed:
        return Parsed(path, 0, failure=f"{path}: loader process died (out of memory?)")

    yield from in_order(partial(parse_file, **options), ((str(p),) for p in paths), jobs, when_a_worker_dies=died)


def load_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    bulk: bool = False,
    progress: bool = True,
    report_failure: Callable[[str], None] | None = None,
    report_loaded: Callable[[Path, CatalogEntry], None] | None = None,
    report_notice: Callable[[str], None] | None = None,
    validate: bool = True,
    today: dt.date | None = None,
    loaded_by: str | None = None,
) -> LoadSummary:
    """Load every report under `paths` into `store`, with `jobs` parsing (and validating) processes
    (1: in this process), and (re)write the ontology graph once (see the module doc).

    `report_failure` receives each failure line as it happens, `report_notice` each notice (earlier
    content kept as superseded) — default for both: stderr, above the progress bar; `report_loaded`
    is called after each report is stored. `validate` False stores the reports unchecked (the app
    says 未検証 until ``piagraph validate --store``); `today` is the validation date; `loaded_by` is
    recorded in the catalog.
    """
    run = LoadRun(paths, progress=progress, report_failure=report_failure, report_loaded=report_loaded,
                  report_notice=report_notice)
    if bulk:
        if not store.supports_bulk_load:
            raise StoreError(f"{store.location}: --bulk needs the embedded store")
        if store.catalog():
            raise StoreError(f"{store.location}: --bulk loads only into an empty store (this one holds reports)")
    store.put_ontology(ontology_graph())
    writer = _BulkWriter(store) if bulk else None
    flushed = time.monotonic()
    for parsed in parse_all(run.files, jobs, validate=validate, today=today, loaded_by=loaded_by):
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
        if not writer and time.monotonic() - flushed > FLUSH_SECONDS:
            store.flush()  # readers (the app, other commands) open much faster on flushed files
            flushed = time.monotonic()
    if writer:
        run.summary.loaded = writer.finish()
    store.flush()
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
        text, findings = companions(report.graph_iri)
        parts = [(report.graph_iri, nt_lines(report.graph)), (text, nt_lines(text_content(report.graph_iri, report.source_lines)))]
        if report.findings is not None:
            parts.append((findings, nt_lines(report.findings)))
        report = report.with_summary()
        parts.append((summary_graph(report.graph_iri), nt_lines(report.summary)))
        for graph, lines in parts:
            data = _as_nquads(lines, graph).encode("utf-8")
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
        refresh_all_bodies(self.store)  # from the summaries now current: a few milliseconds a body
        self.store.flush()
        order = {e.graph: i for i, e in enumerate(self.entries)}
        return sorted(ranked, key=lambda e: order[e.graph])


def _as_nquads(nt: str, graph: URIRef) -> str:
    """N-Triples lines (``s p o .``, one per line, as `nt_lines` writes them) into one named graph.

    A literal cannot hold a raw line break (N-Triples escapes it), so `` .\\n`` only ends lines."""
    return nt.replace(" .\n", f" <{graph}> .\n")
