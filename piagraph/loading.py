"""Load report files into a store: find the files, run the loader, write each report, report failures.

A file that cannot be loaded (a `loaders.errors.ReportError`, or a store error for that report) is
reported as one line and skipped; the other files still load. Each report is written by the store
in one transaction (embedded) or one PUT (remote), so a failure never leaves half a report behind.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from piagraph.catalog import CatalogEntry
from piagraph.store import Store, StoreError

REPORT_SUFFIXES = (".txt", ".pdf")
"""Files taken from a directory (a file named on the command line is always tried)."""


@dataclass
class LoadSummary:
    """What one `load_paths` run did."""

    files: int = 0
    loaded: list[CatalogEntry] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    bytes: int = 0  # of the files read (counted by the parallel loader, `piagraph.ingest`)

    def line(self) -> str:
        """The one-line summary printed by `piagraph load`."""
        failures = len(self.failures)
        return (
            f"loaded {len(self.loaded)} of {self.files} file{'s' if self.files != 1 else ''}: "
            f"{self.triples:,} triples, {failures} failure{'s' if failures != 1 else ''}, "
            f"{self.seconds:.1f} s"
        )


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
                 report_loaded: Callable[[Path, CatalogEntry], None] | None):
        self.started = time.perf_counter()
        self.files, missing = report_paths(paths)
        self.summary = LoadSummary(files=len(self.files) + len(missing))
        self.bar = tqdm(total=len(self.files), unit="file", file=sys.stderr,
                        disable=None if progress and len(self.files) > 1 else True)
        self._report_failure = report_failure
        self._report_loaded = report_loaded
        for line in missing:
            self.fail(line)

    def fail(self, line: str) -> None:
        self.summary.failures.append(line)
        if self._report_failure is not None:
            self._report_failure(line)
        else:
            self.bar.write(line, file=sys.stderr)

    def stored(self, path: str | Path, entry: CatalogEntry) -> None:
        self.summary.loaded.append(entry)
        self.summary.triples += entry.triple_count
        if self._report_loaded is not None:
            self._report_loaded(Path(path), entry)

    def finish(self) -> LoadSummary:
        self.bar.close()
        self.summary.seconds = time.perf_counter() - self.started
        return self.summary


def _default_loader():
    from loaders.pipeline import load_report, ontology_graph

    return load_report, ontology_graph


def load_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    load_report: Callable | None = None,
    ontology_graph: Callable | None = None,
    progress: bool = True,
    report_failure: Callable[[str], None] | None = None,
    report_loaded: Callable[[Path, CatalogEntry], None] | None = None,
) -> LoadSummary:
    """Load every report under `paths` into `store`, and (re)write the ontology graph once.

    `report_failure` receives each failure line as it happens (default: stderr); `report_loaded`
    is called after each report is stored.
    """
    from loaders.errors import ReportError

    if load_report is None or ontology_graph is None:
        default_load, default_ontology = _default_loader()
        load_report = load_report or default_load
        ontology_graph = ontology_graph or default_ontology

    run = LoadRun(paths, progress=progress, report_failure=report_failure, report_loaded=report_loaded)
    store.put_ontology(ontology_graph())
    for path in run.files:
        run.bar.update()
        try:
            loaded = load_report(path)
        except ReportError as error:
            run.fail(str(error))
            continue
        except Exception as error:  # a loader bug must not stop the other files
            run.fail(f"{path}: loader failed: {type(error).__name__}: {' '.join(str(error).split())[:200]}")
            continue
        try:
            run.stored(path, store.put_report(loaded))
        except StoreError as error:
            run.fail(f"{path}: {error}")
    return run.finish()
