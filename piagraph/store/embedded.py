"""The embedded store: a persistent pyoxigraph (RocksDB) directory, shared by many readers and one writer.

Its default location is ``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store``
(``~/.local/share/piagraph/store``) — the same for `make demo`, the app and every command.

**One writer, many readers.** RocksDB lets one process open the directory for writing (it holds the
directory's lock) and any number open it read-only at the same time. So:

* commands that only read (``list``, ``query``, ``export``, ``trace``, ``flows`` …) and the app open
  it read-only (``read_only=True``): they never wait and never block a writer;
* a writer (``load``, ``validate --store``, an upload in the app) opens it for writing; when another
  writer holds it, it waits — `WAIT_SECONDS` by default, ``$PIAGRAPH_STORE_WAIT`` — telling
  ``on_wait`` once, and then fails with one line;
* a read-only handle sees the store as it was when opened: `refresh` reopens it when the directory
  changed (`directory_state`), which the app does before each page run.

Each report is written with ONE SPARQL update request — drop the old graphs, insert the report, its
text and its findings (and the renamed copy of the earlier content when superseded), and rewrite the
catalog entries of its series — which Oxigraph applies as one transaction: a load killed at any moment leaves each
report wholly old or wholly new.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from ontology import CATALOG_GRAPH, PIA
from ontology.errors import StoreError
from piagraph.sparql.text import nt_lines, nt_term
from piagraph.store.base import ReportGraph, Store, dump_oxigraph, first_line
from piagraph.store.bodies import body_update, ready_if_empty_update, ready_update, summary_body
from piagraph.store.catalog import CatalogEntry, entry_triples
from piagraph.store.graphs import companions, text_content
from piagraph.store.results import QueryResult, from_oxigraph, from_oxigraph_term
from piagraph.store.summaries import SUMMARY_VERSION, summary_graph

STORE_ENV = "PIAGRAPH_STORE"
"""Environment variable naming the embedded store directory."""
WAIT_ENV = "PIAGRAPH_STORE_WAIT"
"""Environment variable: seconds a writer waits for another writer (default `WAIT_SECONDS`)."""
WAIT_SECONDS = 120.0
READER_ATTEMPTS = 8
"""Tries to open a reader while a writer replaces files under it (see `EmbeddedStore._open_reader`)."""


def default_store_path() -> Path:
    """``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store`` (default ``~/.local/share``)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "piagraph" / "store"


def default_wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS


_DATA_FILE = re.compile(r"^(\d+\.(log|sst)|MANIFEST-\d+|CURRENT)$")
"""RocksDB's data files: write-ahead logs, tables, the manifest (not its informational LOG)."""


def directory_state(path: Path) -> tuple:
    """The names, sizes and modification times of the store's data files: every committed write
    appends to RocksDB's write-ahead log or adds a file, so this changes whenever the content may
    have changed."""
    try:
        with os.scandir(path) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                                for e in entries if _DATA_FILE.match(e.name)))
    except OSError:
        return ()


def _is_lock_error(error: OSError) -> bool:
    text = str(error).lower()
    return "lock" in text or "resource temporarily unavailable" in text


class EmbeddedStore(Store):
    """A persistent pyoxigraph store in a directory (default: `default_store_path`).

    `read_only` opens a reader (never blocks, never waits; `refresh` to see later writes);
    otherwise a writer, waiting up to `wait` seconds (default ``$PIAGRAPH_STORE_WAIT`` or 120)
    while another writer holds the store, calling `on_wait` once with a one-line message.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True, read_only: bool = False,
                 wait: float | None = None, on_wait: Callable[[str], None] | None = None):
        self.path = Path(path).expanduser() if path else default_store_path()
        self.location = str(self.path)
        self.read_only = read_only
        self._lock = threading.Lock()
        if (read_only or not create) and not self.path.exists():
            raise StoreError(f"{self.location}: no store here (load reports first with `piagraph load`)")
        if read_only:
            self._state = directory_state(self.path)
            self._store = self._open_reader()
        else:
            self._store = self._open_writer(default_wait_seconds() if wait is None else wait, on_wait)

    # -- opening ----------------------------------------------------------------------------------

    def _open_reader(self) -> ox.Store:
        """A read-only handle. RocksDB opens the files its manifest lists; a writer compacting at that
        moment may just have replaced one, so a failed opening is tried again on the newer manifest."""
        for attempt in range(READER_ATTEMPTS):
            try:
                return ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as error:
                if attempt == READER_ATTEMPTS - 1:
                    raise StoreError(f"{self.location}: cannot open store: {first_line(error)}") from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _open_writer(self, wait: float, on_wait: Callable[[str], None] | None) -> ox.Store:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                return ox.Store(str(self.path))
            except OSError as error:
                if not _is_lock_error(error):
                    raise StoreError(f"{self.location}: cannot open store: {first_line(error)}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{self.location}: store is in use by another process (another writer: a `piagraph load` "
                        f"or an upload) and stayed busy for {wait:g} s / ストアは他の書き込み中のため使えません"
                    ) from None
                if not told and on_wait is not None:
                    on_wait(f"{self.location}: 他の書き込みが終わるのを待っています(最長 {wait:g} 秒) / "
                            f"waiting for another writer (up to {wait:g} s)")
                    told = True
                time.sleep(min(0.25, max(0.0, deadline - time.monotonic())))

    def refresh(self) -> bool:
        """Reopen a reader when the directory changed since it was opened; True if it did."""
        if not self.read_only:
            return False
        state = directory_state(self.path)
        if state == self._state:
            return False
        with self._lock:
            self._store = self._open_reader()
            self._state = state
        return True

    def state_token(self) -> str:
        """The directory's state (cheap, and changes with every write by any process)."""
        return hashlib.sha1(repr(directory_state(self.path)).encode()).hexdigest()

    # -- writing --------------------------------------------------------------------------------

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only; cannot write {what}")

    def check_writable(self) -> None:
        self._writable("to it")

    def _write_report(self, report: ReportGraph, series: list[CatalogEntry], superseded: CatalogEntry | None,
                      copies: dict[URIRef, list]) -> None:
        self._writable(f"report {report.source_file or report.graph_iri}")
        graph = report.graph_iri
        text, findings = companions(graph)
        summary = summary_graph(graph)
        catalog = f"<{CATALOG_GRAPH}>"
        steps = [ready_if_empty_update()]  # the first report of a store: its body rows are complete from now on
        steps += [f"DROP SILENT GRAPH <{g}>" for g in (graph, text, findings, summary, *copies)]
        if superseded is not None:
            steps.append(f"DELETE WHERE {{ GRAPH {catalog} {{ <{superseded.graph}> ?p ?o }} }}")
        steps += [
            f"DELETE WHERE {{ GRAPH {catalog} {{ <{graph}> ?p ?o }} }}",
            f"DELETE WHERE {{ GRAPH {catalog} {{ ?e <{PIA.seriesKey}> {nt_term(rdflib.Literal(report.series_key))} ; "
            f"a <{PIA.ReportGraph}> . ?e ?p ?o }} }}",
        ]
        entries = [*series, *([superseded] if superseded is not None else [])]
        inserted = [f" GRAPH <{copy}> {{\n{nt_lines(triples)} }}" for copy, triples in copies.items()]
        inserted += [f" GRAPH <{graph}> {{\n{nt_lines(report.graph)} }}",
                     f" GRAPH <{text}> {{\n{nt_lines(text_content(graph, report.source_lines))} }}",
                     f" GRAPH {catalog} {{\n{nt_lines([t for e in entries for t in entry_triples(e)])} }}"]
        if report.findings is not None:
            inserted.append(f" GRAPH <{findings}> {{\n{nt_lines(report.findings)} }}")
        if report.summary is not None:
            inserted.append(f" GRAPH <{summary}> {{\n{nt_lines(report.summary)} }}")
        steps.append("INSERT DATA {\n" + "\n".join(inserted) + "\n}")
        body = summary_body(report.summary)
        if body is not None:  # the body's rows, recomputed from its current reports' summaries as now written
            steps += body_update([body])
        # one update, one transaction: the earlier content is kept exactly when the new one is stored
        self._update(" ;\n".join(steps), f"report {report.source_file or report.graph_iri}")

    def mark_summarized(self, graphs: list[URIRef]) -> None:
        self._writable("the catalog")
        catalog = f"<{CATALOG_GRAPH}>"
        values = " ".join(f"<{g}>" for g in graphs)
        marks = "".join(f"<{g}> <{PIA.summaryGraph}> <{summary_graph(g)}> ; <{PIA.summaryVersion}> {SUMMARY_VERSION} .\n"
                        for g in graphs)
        self._update(f"DELETE {{ GRAPH {catalog} {{ ?g <{PIA.summaryGraph}> ?s . ?g <{PIA.summaryVersion}> ?v }} }} "
                     f"WHERE {{ VALUES ?g {{ {values} }} GRAPH {catalog} {{ ?g <{PIA.summaryGraph}> ?s ; "
                     f"<{PIA.summaryVersion}> ?v }} }} ;\nINSERT DATA {{ GRAPH {catalog} {{\n{marks}}} }}", "the catalog")

    def put_body_rows(self, bodies: list) -> None:
        self._writable("per-body rows")
        self._update(" ;\n".join(body_update(bodies)), "per-body rows")

    def mark_body_rows_ready(self) -> None:
        self._writable("per-body rows")
        self._update(ready_update(), "per-body rows")

    def put_graph(self, graph: URIRef, triples) -> None:
        """Replace one named graph (e.g. a report's findings) in one transaction."""
        self._writable(f"graph {graph}")
        update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{nt_lines(triples)} }} }}"
        self._update(update, f"graph {graph}")

    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph (no error when it does not exist)."""
        self._writable(f"graph {graph}")
        self._update(f"DROP SILENT GRAPH <{graph}>", f"graph {graph}")

    def _update(self, update: str, what: str) -> None:
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: cannot write {what}: {first_line(error)}") from None

    # -- reading --------------------------------------------------------------------------------

    def _select(self, text: str, form: str) -> QueryResult:
        try:
            return from_oxigraph(self._store.query(text), form)
        except SyntaxError as error:
            raise StoreError(f"{self.location}: SPARQL syntax error: {first_line(error)}") from None
        except (OSError, RuntimeError) as error:
            if self.read_only and self._reopened():  # a file a writer compacted away since we opened
                return self._select(text, form)
            raise StoreError(f"{self.location}: query failed: {first_line(error)}") from None

    def _reopened(self) -> bool:
        """Reopen a reader after a read error, once per change of the directory."""
        state = directory_state(self.path)
        if state == self._state:
            return False
        with self._lock:
            self._store, self._state = self._open_reader(), state
        return True

    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        dump_oxigraph(self._store, output, fmt, graphs)

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: URIRef) -> set[tuple]:
        """The triples of one named graph, as rdflib terms."""
        return {
            (from_oxigraph_term(q.subject), from_oxigraph_term(q.predicate), from_oxigraph_term(q.object))
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        }

    @property
    def supports_bulk_load(self) -> bool:
        return not self.read_only

    def bulk_load_nquads(self, data: bytes) -> None:
        """Add N-Quads with Oxigraph's bulk loader: fast, but NOT one transaction (`piagraph.ingest`)."""
        self._writable("a bulk load")
        try:
            self._store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: bulk load failed: {first_line(error)}") from None

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            if not self.read_only:
                store.flush()
            del self._store
