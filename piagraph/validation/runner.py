"""Running the rules over report files or over a store's current reports, in one or more processes.

`validate_files` loads and validates report files. `validate_store` brings the findings stored with
each current report up to date: a report already checked with this rule set (`rules_version`) on the
same validation date keeps its stored findings; one never checked, checked with an older rule set,
or checked on another date (the date rules move with it) is validated again — its graph and text
read from the store — and its findings graph replaced (`Run.recomputed` says how many, and why).
With ``jobs`` > 1, worker processes validate the graphs; the findings are the same, in the same order.

The rules across reports (`piagraph.validation.store_rules`: a 重点/全項目 report and its 基礎) depend
on which other reports the store holds, so they are not stored with any report: `validate_store`
computes them as the store is now and stores them in one graph of the store
(`piagraph.store.graphs.ACROSS_REPORTS_GRAPH`) with the catalog's state, so that the app can say when
a later load has made them out of date (`piagraph.views.across_reports_status`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ontology import FINDINGS_GRAPH
from ontology.errors import ReportError
from piagraph.sparql.builder import select
from piagraph.sparql.saved import load_view_query
from piagraph.store import Store
from piagraph.store.graphs import ACROSS_REPORTS_GRAPH, findings_graph_of
from piagraph.validation.findings import across_reports_graph, findings_graph
from piagraph.validation.rules import Finding, report_identity, rules_version, validate_graph
from piagraph.validation.store_rules import check_store
from piagraph.workers import in_order

NOT_CHECKED, OLDER_RULES, OTHER_DATE = "never checked", "checked by an older rule set", "checked on another date"
"""Why `validate_store` validates a report again."""


@dataclass
class Run:
    """What one validation found: the findings, the validated reports, the inputs that failed, and
    for a store how many reports were validated again and why (the others kept their findings)."""

    findings: list[Finding] = field(default_factory=list)
    validated: dict[str, URIRef | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    recomputed: Counter = field(default_factory=Counter)

    def add(self, graph: Graph, graph_iri: URIRef | None, today: dt.date, source_lines=()) -> list[Finding]:
        found = validate_graph(graph, today=today, source_lines=source_lines)
        self.findings += found
        assessment, _ = report_identity(graph)
        self.validated[assessment] = graph_iri
        return found

    @property
    def has_violations(self) -> bool:
        return any(f.severity == "Violation" for f in self.findings)


def validate_files(files: list[Path], today: dt.date, missing: list[str] = ()) -> Run:
    """Load and validate report files (`piagraph.ingest.report_paths` finds them in directories);
    `missing` are the failure lines of paths that were not found."""
    from loaders.pipeline import load_report

    run = Run()
    run.failures += list(missing)
    for path in files:
        try:
            loaded = load_report(path)
        except ReportError as error:
            run.failures.append(str(error))
            continue
        run.add(loaded.graph, loaded.graph_iri, today, loaded.source_lines)
    if not files and not missing:
        run.failures.append("no report files found")
    return run


def stale_reason(status: dict, today: dt.date) -> str | None:
    """Why a report's stored findings must be computed again (None: they are up to date)."""
    if not status.get("rulesVersion"):
        return NOT_CHECKED
    if str(status["rulesVersion"]) != rules_version():
        return OLDER_RULES
    if status.get("validatedOn") != today:
        return OTHER_DATE
    return None


def validate_store(store: Store, today: dt.date, jobs: int = 1) -> Run:
    """Bring the stored findings of every current report up to date, then add the rules across
    reports (see the module doc)."""
    run = Run()
    statuses = select(store, load_view_query("validation-status").text, python=True)
    stale = [(URIRef(s["g"]), reason) for s in statuses if (reason := stale_reason(s, today))]
    fresh = [URIRef(s["g"]) for s in statuses if not stale_reason(s, today)]
    run.findings += stored_findings(store, fresh)
    run.validated.update({str(s["assessment"]): URIRef(s["g"]) for s in statuses if URIRef(s["g"]) in fresh})
    graphs = [graph for graph, _ in stale]
    for (graph_iri, reason), (found, assessment) in zip(stale, _validated(store, graphs, today, jobs)):
        run.findings += found
        run.validated[assessment] = graph_iri
        run.recomputed[reason] += 1
        store.put_graph(findings_graph_of(graph_iri), findings_graph(found, validated={assessment: graph_iri}, today=today))
    across = check_store(store)
    run.findings += across
    store.put_graph(ACROSS_REPORTS_GRAPH, across_reports_graph(across, catalog_state=store.catalog_state(), today=today))
    if FINDINGS_GRAPH in store.named_graphs():  # the one findings graph of earlier versions: replaced by the above
        store.drop_graph(FINDINGS_GRAPH)
    return run


def stored_findings(store: Store, graphs: list[URIRef]) -> list[Finding]:
    """The findings stored with the given current report graphs."""
    if not graphs:
        return []
    query = load_view_query("stored-findings").bind({"g": [str(g) for g in graphs]})
    return [
        Finding(rule=row["rule"], severity=row["severity"], message=row["message"], report=row["report"],
                assessment=row["assessment"], focus=row["focus"], section=row["section"], line=row["line"],
                value=row["value"], line_end=row["lineEnd"])
        for row in select(store, query, python=True)
    ]


def source_lines(store: Store, graph_iri: URIRef) -> list[str]:
    """A stored report's text (blank lines where the text graph keeps none)."""
    rows = select(store, load_view_query("source-lines").bind({"g": str(graph_iri)}), python=True)
    numbered = {int(row["n"]): str(row["text"]) for row in rows}
    return [numbered.get(n, "") for n in range(1, max(numbered, default=0) + 1)]


def _validated(store: Store, graphs: list[URIRef], today: dt.date, jobs: int) -> Iterator[tuple[list[Finding], str]]:
    """(findings, assessment) per graph, in order: in this process, or in `jobs` worker processes."""
    if jobs <= 1:
        for graph_iri in graphs:
            graph = store.named_graph(graph_iri)
            yield validate_graph(graph, today=today, source_lines=source_lines(store, graph_iri)), report_identity(graph)[0]
        return
    yield from _validate_in_pool(store, graphs, today, jobs)


def _validate_turtle(text: str, lines: list[str], today: dt.date) -> tuple[list[Finding], str]:
    """In a worker: one report graph (Turtle) and its text → its findings and its assessment."""
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return validate_graph(graph, today=today, source_lines=lines), report_identity(graph)[0]


def _validate_in_pool(store: Store, graphs: list[URIRef], today: dt.date,
                      jobs: int) -> Iterator[tuple[list[Finding], str]]:
    """Findings per graph, in order, from `jobs` processes; a bounded number of graphs in flight."""
    def turtle(graph_iri: URIRef) -> str:
        buffer = io.BytesIO()
        store.export(buffer, "turtle", [graph_iri])
        return buffer.getvalue().decode("utf-8")

    yield from in_order(_validate_turtle, ((turtle(g), source_lines(store, g), today) for g in graphs), jobs)
