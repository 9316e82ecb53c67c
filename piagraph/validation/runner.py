"""Running the rules over report files or over a store's current reports, in one or more processes.

`validate_files` loads and validates report files; `validate_store` validates every current report
graph of a store, runs the rules across reports (`piagraph.validation.store_rules`: they need the
other reports of a 事務, so they run on a store only) and replaces the store's findings graph
(`ontology.FINDINGS_GRAPH`) with what it found. With ``jobs`` > 1, this process reads each graph (as Turtle) and ``jobs`` worker processes
parse and validate them; the findings are the same, in the same order.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ontology import FINDINGS_GRAPH
from ontology.errors import ReportError
from piagraph.store import Store
from piagraph.validation.findings import findings_graph
from piagraph.validation.rules import Finding, report_identity, validate_graph
from piagraph.validation.store_rules import check_store

WINDOW_PER_JOB = 4
"""Report graphs in flight per worker process."""


@dataclass
class Run:
    """What one validation found: the findings, the validated reports, the inputs that failed."""

    findings: list[Finding] = field(default_factory=list)
    validated: dict[str, URIRef | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, graph: Graph, graph_iri: URIRef | None, today: dt.date) -> None:
        self.findings += validate_graph(graph, today=today)
        assessment, _ = report_identity(graph)
        self.validated[assessment] = graph_iri

    @property
    def has_violations(self) -> bool:
        return any(f.severity == "Violation" for f in self.findings)


def validate_files(paths: list[Path], today: dt.date) -> Run:
    """Load and validate report files (directories are searched for .txt/.pdf)."""
    from loaders.pipeline import load_report
    from piagraph.ingest import report_paths

    run = Run()
    files, missing = report_paths(paths)
    run.failures += missing
    for path in files:
        try:
            loaded = load_report(path)
        except ReportError as error:
            run.failures.append(str(error))
            continue
        run.add(loaded.graph, loaded.graph_iri, today)
    if not files and not missing:
        run.failures.append("no report files found")
    return run


def validate_store(store: Store, today: dt.date, jobs: int = 1) -> Run:
    """Validate every current report graph of the store, then the rules across its reports (a
    重点/全項目 report and its 基礎), and replace the store's findings graph."""
    run = Run()
    current = [entry.graph for entry in store.catalog() if entry.is_current]
    if jobs > 1:
        for graph_iri, (findings, assessment) in zip(current, _validate_in_pool(store, current, today, jobs)):
            run.findings += findings
            run.validated[assessment] = graph_iri
    else:
        for graph_iri in current:
            run.add(store.named_graph(graph_iri), graph_iri, today)
    run.findings += check_store(store)
    store.put_graph(FINDINGS_GRAPH, findings_graph(run.findings, validated=run.validated, today=today))
    return run


def _validate_turtle(text: str, today: dt.date) -> tuple[list[Finding], str]:
    """In a worker: one report graph (Turtle) → its findings and its assessment."""
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return validate_graph(graph, today=today), report_identity(graph)[0]


def _validate_in_pool(store: Store, graphs: list[URIRef], today: dt.date,
                      jobs: int) -> Iterator[tuple[list[Finding], str]]:
    """Findings per graph, in order, from `jobs` processes; a bounded number of graphs in flight."""
    def turtle(graph_iri: URIRef) -> str:
        buffer = io.BytesIO()
        store.export(buffer, "turtle", [graph_iri])
        return buffer.getvalue().decode("utf-8")

    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        pending: deque = deque()
        for graph_iri in graphs:
            pending.append(pool.submit(_validate_turtle, turtle(graph_iri), today))
            if len(pending) >= jobs * WINDOW_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
