"""Per-report summary rows: what the national saved queries read instead of joining every report graph.

For a report graph ``G`` a store keeps, beside its text and findings, ``G/summary``: the rows each
saved query gives for that report alone, computed when the report is stored (`summarize`) and written
in the same transaction as the report (embedded; on a remote store, the PUT after the report's).
Each summary query (``queries/summaries/NAME.rq``) is run on a small in-memory store holding the
report, the ontology and a one-entry catalog that makes it current; each answer row becomes one node::

    <G/summary/affair-data-flows/0> pia:summaryRowOf "affair-data-flows" ;
        pia:rowBody "高岡市長"@ja ; pia:rowAffair "後期高齢者医療に関する事務"@ja ; pia:rowKind "提供" ; …

one ``pia:rowX`` per bound column ``?x`` (`column_predicate`). A saved query then reads rows, not
report graphs: ``GRAPH catalog { ?graph pia:isCurrent true ; pia:summaryGraph ?summary }
GRAPH ?summary { ?row pia:summaryRowOf "…" ; … }`` — one flat node per answer row, which Oxigraph
reads an order of magnitude faster than the joins of five to eight patterns per row it replaces
(`bench/results/national.md`). Columns that depend on other reports or on the catalog (current or
not, the previous version's date, the load record, today's date) are not summarised: the saved
queries read them from the catalog when they run, and aggregate across reports there
(``contractors-ranked`` counts the (contractor, file, body) rows of every current report).

The catalog records which summary a report graph has (``pia:summaryGraph``, ``pia:summaryVersion``
= `SUMMARY_VERSION`). A store loaded before summaries existed, or by an older piagraph, lacks them;
`missing_summaries` counts such reports, ``piagraph query`` and the app refuse a saved query reading
summaries while any is missing (it would quietly answer fewer rows), and ``piagraph summarize``
computes them (`summarize_store`). A superseded content's summary is dropped with it (the copy kept
has none), and a report replaced by other content gets the new content's summary.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH, PIA, ontology_graph
from ontology.errors import StoreError
from piagraph.sparql.builder import missing_summaries_query
from piagraph.sparql.saved import SavedQuery, list_queries, queries_dir
from piagraph.sparql.text import SerializedGraph, nt_lines

SUMMARY_VERSION = 1
"""Raised whenever a summary query or the row shape changes: reports summarised by an older version
count as missing (`missing_summaries`) until ``piagraph summarize`` recomputes them."""

SUMMARY_SUFFIX = "/summary"
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


def _scratch_store() -> ox.Store:
    """An in-memory store holding the ontology, one per thread (reports are added and removed)."""
    store = getattr(_scratch, "store", None)
    if store is None:
        store = _scratch.store = ox.Store()
        store.extend(_ontology_quads())
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
        return SerializedGraph(*_rows(store, summary_graph(graph_iri)))
    finally:
        store.remove_graph(report)
        for quad in entry:
            store.remove(quad)


def _rows(store: ox.Store, summary: URIRef) -> tuple[str, int]:
    lines: list[str] = []
    kind_predicate = f"<{PIA.summaryRowOf}>"
    for saved in summary_queries():
        result = store.query(saved.text)
        columns = [(v.value, f"<{column_predicate(v.value)}>") for v in result.variables if v.value != "graph"]
        for index, solution in enumerate(result):
            row = f"<{summary}/{saved.name}/{index}>"
            lines.append(f'{row} {kind_predicate} "{saved.name}" .\n')
            lines += [f"{row} {predicate} {solution[name]} .\n" for name, predicate in columns
                      if solution[name] is not None]
    return "".join(lines), len(lines)


def missing_summaries(store) -> int:
    """How many report graphs of `store` have no summary of this version."""
    return int(str(store.query(missing_summaries_query(SUMMARY_VERSION)).rows[0][0]))


def require_summaries(store, text: str) -> None:
    """Refuse (`StoreError`, one line) a query reading summary rows while some report has none: it
    would quietly answer fewer rows than the store holds."""
    if READS_SUMMARIES not in text:
        return
    state = store.state_token()
    if getattr(store, "_summaries_complete_at", None) == state:  # checked since the last write
        return
    missing = missing_summaries(store)
    if not missing:
        store._summaries_complete_at = state
    else:
        raise StoreError(f"{store.location}: {missing:,} 件の評価書に要約がありません(要約のない版の piagraph で"
                         f"読み込まれました)。`piagraph summarize` で作成してください / {missing:,} reports have no "
                         f"summary (stored by an earlier piagraph): run `piagraph summarize`")


def summarize_store(store, *, redo: bool = False, progress: Callable[[int, int], None] | None = None,
                    batch: int = 200) -> int:
    """Compute and store the summary of every report graph that lacks one of this version (all of them
    with `redo`); returns how many were summarised. Each summary graph is written before the catalog
    says the report has it, so an interrupted run leaves nothing marked that is not there."""
    todo = [e for e in store.catalog() if redo or not e.summarized]
    done = 0
    for start in range(0, len(todo), batch):
        part = todo[start:start + batch]
        for entry in part:
            store.put_graph(summary_graph(entry.graph), summarize(entry.graph, entry.assessment,
                                                                  store.named_graph(entry.graph)))
            done += 1
            if progress is not None:
                progress(done, len(todo))
        store.mark_summarized([e.graph for e in part])
    return done
