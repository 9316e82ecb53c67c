"""Per-report summary rows: what the national saved queries read instead of joining every report graph.

For a report graph ``G`` a store keeps, beside its text and findings, ``G/summary``: the rows each
saved query gives for that report alone, computed when the report is stored (`summarize`) and written
in the same transaction as the report (embedded; on a remote store, the PUT after the report's).
Each summary query (``queries/summaries/NAME.rq``) is run on a small in-memory store holding the
report, the ontology and a one-entry catalog that makes it current; each answer row becomes one node::

    <G/summary> pia:rowBody "高岡市長"@ja .                        # the report's body (report-body.rq)
    <G/summary/affair-data-flows/2> pia:summaryRow-affair-data-flows 167715558714769410 ;
        pia:rowAffair "後期高齢者医療に関する事務"@ja ; pia:rowKind "提供" ; pia:rowNumber 1 ; …

one ``pia:rowX`` per bound column ``?x`` (`column_predicate`), and one ``pia:summaryRow-NAME`` whose
value is the row's order key (`report_order_base` + its index in the report), or, for a query whose
header declares ``# key: x``, the column it groups by. Why this shape (measured on 2,000 reports,
bench/results/national-2000.md): Oxigraph reads one predicate's triples as one index scan for well
under a microsecond each, but looks up a subject's triple for several microseconds, and sorts by a
label by reading both strings from the store at every comparison. So a national listing scans its
kind's rows and their integer keys, sorts on integers, and looks up the columns of the page alone
(``LIMIT``); an aggregate reads its group key from the scan and the body once per report.

Columns that depend on other reports or on the catalog (current or not, the previous version's date,
the load record, today's date) are not summarised: the saved queries read them from the catalog when
they run, and aggregate across reports there.

The catalog records which summary a report graph has (``pia:summaryGraph``, ``pia:summaryVersion``
= `SUMMARY_VERSION`). A store loaded before summaries existed, or by an older piagraph, lacks them;
`missing_summaries` counts such reports, ``piagraph query``, ``piagraph list`` and the app refuse a
query reading summaries while any is missing (it would quietly answer fewer rows), and ``piagraph
summarize`` computes them (`summarize_store`). A superseded content's summary is dropped with it
(the copy kept has none), and a report replaced by other content gets the new content's summary.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, PIA, ontology_graph
from ontology.errors import StoreError
from piagraph.sparql.builder import missing_summaries_query
from piagraph.sparql.saved import SavedQuery, list_queries, queries_dir
from piagraph.sparql.text import SerializedGraph, nt_lines
from piagraph.store.bodies import READS_BODY_ROWS, body_rows_ready, refresh_all_bodies
from piagraph.store.graphs import SUMMARY_SUFFIX
from piagraph.workers import in_order

SUMMARY_VERSION = 2
"""Raised whenever a summary query or the row shape changes: reports summarised by an older version
count as missing (`missing_summaries`) until ``piagraph summarize`` recomputes them."""

READS_SUMMARIES = "summaryGraph"
"""Text of every query that reads summary rows (through ``pia:summaryGraph`` of the catalog)."""


def summary_graph(graph: URIRef | str) -> URIRef:
    """The graph holding the summary rows of report graph `graph`."""
    return URIRef(f"{graph}{SUMMARY_SUFFIX}")


def column_predicate(variable: str) -> URIRef:
    """The predicate of a summary row's column ``?variable``: ``?body`` → ``pia:rowBody``."""
    return PIA["row" + variable[0].upper() + variable[1:]]


def summaries_dir() -> Path:
    """The per-report summary queries (``queries/summaries``)."""
    return queries_dir() / "summaries"


def summary_queries() -> list[SavedQuery]:
    return list_queries(summaries_dir())


@cache
def _ontology_quads() -> tuple[ox.Quad, ...]:
    store = ox.Store()
    store.load(nt_lines(ontology_graph()).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    return tuple(store)


_scratch = threading.local()

SCRATCH_REPORTS = 100
"""Reports summarised in one scratch store before it is replaced: an in-memory Oxigraph store keeps
every string it has seen after the quads are removed (about 0.7 MB a report), so a loader process of a
national load would otherwise grow by gigabytes."""


def _scratch_store() -> ox.Store:
    """An in-memory store holding the ontology, one per thread (reports are added and removed; a new
    one after `SCRATCH_REPORTS`)."""
    store = getattr(_scratch, "store", None)
    uses = getattr(_scratch, "uses", 0)
    if store is None or uses >= SCRATCH_REPORTS:
        store = _scratch.store = ox.Store()
        store.extend(_ontology_quads())
        uses = 0
    _scratch.uses = uses + 1
    return store


def summarize(graph_iri: URIRef | str, assessment: URIRef | str, graph) -> SerializedGraph:
    """The summary rows of one report (its graph: rdflib triples or `SerializedGraph`), as N-Triples."""
    store = _scratch_store()
    report = ox.NamedNode(str(graph_iri))
    catalog = ox.NamedNode(str(CATALOG_GRAPH))
    entry = [ox.Quad(report, ox.NamedNode(str(PIA.isCurrent)), ox.Literal(True), catalog),
             ox.Quad(report, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode(str(PIA.ReportGraph)), catalog),
             ox.Quad(report, ox.NamedNode(str(PIA.aboutAssessment)), ox.NamedNode(str(assessment)), catalog)]
    try:
        store.load(nt_lines(graph).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=report)
    except (SyntaxError, ValueError) as error:
        store.remove_graph(report)
        message = str(error).strip().splitlines()
        raise StoreError(f"cannot summarize report <{graph_iri}>: {message[-1] if message else type(error).__name__}") from None
    store.extend(entry)
    try:
        return SerializedGraph(*_rows(store, graph_iri))
    finally:
        store.remove_graph(report)
        for quad in entry:
            store.remove(quad)


def _rows(store: ox.Store, graph_iri: URIRef | str) -> tuple[str, int]:
    summary = summary_graph(graph_iri)
    report_order = report_order_base(graph_iri)
    lines: list[str] = []
    for saved in summary_queries():
        result = store.query(saved.text)
        declared = _header_value(saved.text, "key")
        columns = [(v.value, f"<{column_predicate(v.value)}>") for v in result.variables
                   if v.value not in ("graph", "body", declared)]
        if _header_value(saved.text, "on") == "report":  # values of the report itself, on the summary graph's node
            lines += [f"<{summary}> {predicate} {solution[name]} .\n" for solution in result
                      for name, predicate in [(v.value, f"<{column_predicate(v.value)}>") for v in result.variables]
                      if solution[name] is not None]
            continue
        kind = f"<{row_predicate(saved.name)}>"
        variables = [v.value for v in result.variables]
        for index, cells in enumerate(_canonical_rows(saved.text, variables, result)):
            row = f"<{summary}/{saved.name}/{index}>"
            key = cells[declared] if declared else ox.Literal(str(report_order + index), datatype=_INTEGER)
            lines.append(f"{row} {kind} {key} .\n")
            lines += [f"{row} {predicate} {cells[name]} .\n" for name, predicate in columns if cells[name] is not None]
    return "".join(lines), len(lines)


def _canonical_rows(text: str, variables: list[str], result) -> list[dict]:
    """The answer's rows in an order that depends on their values alone — the query's ORDER BY
    variables first, then every column — with each joined list's parts sorted: Oxigraph's in-memory
    store answers ties and GROUP_CONCAT parts in an order that differs from process to process, and a
    store must come out the same whichever loader process summarised a report."""
    joined = dict(_JOINED.findall(_header_value(text, "joined", whole=True) or ""))
    order = [name for name in _ORDER_VARIABLE.findall(text.rsplit("ORDER BY", 1)[1])] if "ORDER BY" in text else []
    rows = []
    for solution in result:
        cells = {name: solution[name] for name in variables}
        for name, separator in joined.items():
            if cells.get(name) is not None:
                parts = sorted(cells[name].value.split(separator))
                cells[name] = ox.Literal(separator.join(parts), datatype=cells[name].datatype)
        rows.append(cells)

    def sort_key(cells: dict) -> tuple:
        return tuple((cells[n] is not None, str(cells[n]) if cells[n] is not None else "")
                     for n in [*order, *variables] if n in cells)
    return sorted(rows, key=sort_key)


_JOINED = re.compile(r"(\w+) \((.+?)\)")
_ORDER_VARIABLE = re.compile(r"\?(\w+)")


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
ROWS_PER_REPORT = 1 << 20
"""Room for each report's rows in the order key (`report_order_base`)."""


def report_order_base(graph_iri: URIRef | str) -> int:
    """The first order key of a report's rows: its graph IRI's token (hex digits, from body + 評価書番号 +
    公表日) read as a 40-bit number, times `ROWS_PER_REPORT`. A listing orders rows by this key — one
    report after another in a fixed order, each report's rows in its own order (the summary query's
    ORDER BY) — an integer Oxigraph compares without reading any string from the store, so a first page
    of a national listing is sorted in milliseconds (sorting by labels took seconds: every comparison
    decodes two strings)."""
    token = str(graph_iri).rsplit("/", 1)[-1]
    try:
        number = int(token[:10], 16)
    except ValueError:  # an IRI without a hex token (not made by the loaders): a digest of it
        number = int(hashlib.sha256(str(graph_iri).encode()).hexdigest()[:10], 16)
    return number * ROWS_PER_REPORT


def row_predicate(kind: str) -> URIRef:
    """The predicate linking a summary row to its order key (or group key): one per summary query, so
    that the rows of one kind are read by one index scan."""
    return PIA[f"summaryRow-{kind}"]


def _header_value(text: str, key: str, *, whole: bool = False) -> str | None:
    """A ``# key: value`` line of a summary query's header (``key``, ``on``, ``joined``)."""
    match = re.search(rf"^#\s*{key}\s*:\s*(.+?)\s*$" if whole else rf"^#\s*{key}\s*:\s*(\S+)\s*$", text, re.M)
    return match.group(1) if match else None


def missing_summaries(store) -> int:
    """How many report graphs of `store` have no summary of this version."""
    return int(str(store.query(missing_summaries_query(SUMMARY_VERSION)).rows[0][0]))


def require_summaries(store, text: str) -> None:
    """Refuse (`StoreError`, one line) a query reading summary rows while some report has none, or
    reading per-body rows (`piagraph.store.bodies`) while the store has none of this version: it would
    quietly answer fewer rows than the store holds."""
    reads_summaries, reads_bodies = READS_SUMMARIES in text, READS_BODY_ROWS in text
    if not (reads_summaries or reads_bodies):
        return
    state = store.state_token()
    if getattr(store, "_summaries_complete_at", None) == state:  # checked since the last write
        return
    missing = missing_summaries(store)
    if missing:
        raise StoreError(f"{store.location}: {missing:,} 件の評価書に要約がありません(要約のない版の piagraph で"
                         f"読み込まれました)。`piagraph summarize` で作成してください / {missing:,} reports have no "
                         f"summary (stored by an earlier piagraph): run `piagraph summarize`")
    if not body_rows_ready(store):
        raise StoreError(f"{store.location}: 機関ごとの集計がありません(集計のない版の piagraph で読み込まれました)。"
                         f"`piagraph summarize` で作成してください / the per-body rows are missing (stored by an "
                         f"earlier piagraph): run `piagraph summarize`")
    store._summaries_complete_at = state


def summarize_store(store, *, redo: bool = False, progress: Callable[[int, int], None] | None = None,
                    batch: int = 200, jobs: int = 1) -> int:
    """Compute and store the summary of every report graph that lacks one of this version (all of them
    with `redo`), in `jobs` processes, then every body's rows (`piagraph.store.bodies`) if any summary
    changed or they are missing; returns how many reports were summarised. Each summary graph is
    written before the catalog says the report has it, so an interrupted run leaves nothing marked that
    is not there."""
    todo = [e for e in store.catalog() if redo or not e.summarized]
    done = 0
    summaries = _summaries(store, todo, jobs)
    for start in range(0, len(todo), batch):
        part = todo[start:start + batch]
        for entry in part:
            store.put_graph(summary_graph(entry.graph), next(summaries))
            done += 1
            if progress is not None:
                progress(done, len(todo))
        store.mark_summarized([e.graph for e in part])
    if done or not body_rows_ready(store):
        refresh_all_bodies(store)
    return done


def _summaries(store, entries: list, jobs: int) -> Iterator[SerializedGraph]:
    """The summary of each entry's report graph, in order: read from the store as Turtle and
    summarised here (`jobs` 1) or in `jobs` processes, a bounded number of reports in flight."""
    def job(entry) -> tuple[str, str, str]:
        buffer = io.BytesIO()
        store.export(buffer, "turtle", [entry.graph])
        return str(entry.graph), str(entry.assessment), buffer.getvalue().decode("utf-8")

    yield from in_order(_summarize_turtle, (job(entry) for entry in entries), jobs)


def _summarize_turtle(graph_iri: str, assessment: str, text: str) -> SerializedGraph:
    """In a worker: one report graph written as Turtle → its summary rows."""
    triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return summarize(graph_iri, assessment, SerializedGraph(ntriples, len(triples)))
