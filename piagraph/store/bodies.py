"""Per-body rows (機関ごとの集計): the part of each national aggregate that belongs to one 評価実施機関.

A national aggregate such as ``affairs-by-shared-system`` counts, per shared system, the affairs and
bodies of every current report. Read from the summary rows it scans ~200,000 rows at 50,000 reports
(over a second); but each counted row belongs to one report and so to one body, so the count per
(shared system, body) can be kept and the national answer adds up ~1,700 bodies' rows instead.

For each 評価実施機関 a store keeps one graph (`body_graph`) holding what the queries of
``queries/bodies/NAME.rq`` answer for that body alone::

    <graph/body/…> pia:bodyRowsOf "高岡市長"@ja ; pia:bodyRowsVersion 1 .
    <graph/body/…/affairs-by-shared-system/…> pia:bodyRow-affairs-by-shared-system "中間サーバー"@ja ;
        pia:rowBodyAffairs 3 .

one ``pia:bodyRow-NAME`` per row, its value the column the header declares (``# key: x``), and one
``pia:rowX`` per other bound column; a row is named by the digest of the values it is grouped by, so a
store comes out the same however it was loaded. The rows are computed from the summary rows of the body's current
reports (`piagraph.store.summaries`), so they are recomputed whenever one of the body's reports is
written: in the same transaction as the report on the embedded store, by a PUT after the report's on a
remote one; after a bulk load or ``piagraph summarize``, for every body (`refresh_all_bodies`).

Whether a store's body rows are complete is recorded in one small graph (`BODIES_GRAPH`, ``pia:
bodyRowsVersion`` = `BODY_ROWS_VERSION`): written when the first report goes into an empty store (each
later write keeps it true) and by `refresh_all_bodies`. A store loaded by an earlier piagraph lacks it;
the queries reading body rows refuse to run there (`piagraph.store.summaries.require_summaries`) until
``piagraph summarize`` computes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ontology import CATALOG_GRAPH, ID, PIA
from piagraph.sparql.saved import SavedQuery, list_queries, queries_dir
from piagraph.sparql.text import SerializedGraph, nt_lines, nt_term

BODY_ROWS_VERSION = 1
"""Raised whenever a body query or the row shape changes: a store whose rows are older counts as
without body rows until ``piagraph summarize`` recomputes them."""

BODIES_GRAPH = ID["graph/bodies"]
"""Where a store records that every body's rows are of `BODY_ROWS_VERSION`."""

READS_BODY_ROWS = "pia:bodyRow"
"""Text of every query that reads body rows (``pia:bodyRow-NAME``, ``pia:bodyRowsOf``)."""


def body_graph(body: str) -> URIRef:
    """The graph holding the rows of the body labelled `body` (its lexical form)."""
    return ID[f"graph/body/{hashlib.md5(body.encode('utf-8')).hexdigest()}"]


def is_body_graph(graph: URIRef | str) -> bool:
    """Whether `graph` holds per-body rows (or the record that they are complete)."""
    return str(graph) == str(BODIES_GRAPH) or str(graph).startswith(str(ID["graph/body/"]))


def bodies_dir() -> Path:
    """The per-body queries (``queries/bodies``)."""
    return queries_dir() / "bodies"


@cache
def body_queries() -> tuple[SavedQuery, ...]:
    return tuple(list_queries(bodies_dir()))


def row_predicate(name: str) -> URIRef:
    """The predicate linking a body row to its key: one per body query, so its rows are one index scan."""
    return PIA[f"bodyRow-{name}"]


def _column_predicate(variable: str) -> str:
    return f"<{PIA['row' + variable[0].upper() + variable[1:]]}>"


@dataclass(frozen=True)
class _BodyQuery:
    """A body query made ready to run inside an update: its SELECT (comments dropped, prefixed names
    written out — an operation of a SPARQL Update request after the first has no prologue in
    Oxigraph), its key, its other columns, and the columns it groups by besides ``?body`` (a row's
    identity)."""

    name: str
    select: str
    key: str
    columns: tuple[str, ...]
    group: tuple[str, ...]

    def bound(self, body: ox.Literal) -> str:
        return self.select.replace("VALUES ?body { UNDEF }", f"VALUES ?body {{ {body} }}", 1)

    def row_prefix(self, graph: URIRef) -> str:
        return f"{graph}/{self.name}/"


@cache
def prepared_queries() -> tuple[_BodyQuery, ...]:
    return tuple(_prepared(query) for query in body_queries())


def _prepared(query: SavedQuery) -> _BodyQuery:
    key = re.search(r"^#\s*key\s*:\s*(\w+)\s*$", query.text, re.M).group(1)
    variables = [v.value for v in ox.Store().query(query.text).variables]
    prologue, select = re.split(r"^(?=SELECT\b)", query.text, maxsplit=1, flags=re.M)
    select = "\n".join(line for line in select.splitlines() if not line.lstrip().startswith("#"))
    for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]*)>", prologue, re.M):
        select = re.sub(rf"(?<![\w<]){prefix}:([\w-]+)", lambda m, iri=iri: f"<{iri}{m.group(1)}>", select)
    group = tuple(v for v in re.findall(r"\?(\w+)", select.rsplit("GROUP BY", 1)[1]) if v != "body")
    return _BodyQuery(query.name, select, key, tuple(v for v in variables if v not in ("body", key)), group)


def _row_digest(values: Iterable[str]) -> str:
    """A row's name in its body graph: the digest of its group's values (the same in SPARQL's MD5)."""
    return hashlib.md5("\t".join(values).encode("utf-8")).hexdigest()


def body_update(bodies: Iterable[ox.Literal]) -> list[str]:
    """The SPARQL Update operations that recompute these bodies' rows (embedded store: appended to the
    update that writes a report, so they are in its transaction)."""
    steps = []
    for body in bodies:
        graph = body_graph(body.value)
        steps += [f"DROP SILENT GRAPH <{graph}>",
                  f"INSERT DATA {{ GRAPH <{graph}> {{ <{graph}> <{PIA.bodyRowsOf}> {body} ; "
                  f"<{PIA.bodyRowsVersion}> {BODY_ROWS_VERSION} }} }}"]
        for query in prepared_queries():
            template = " ; ".join([f"<{row_predicate(query.name)}> ?{query.key}",
                                   *(f"{_column_predicate(c)} ?{c}" for c in query.columns)])
            digest = 'MD5(CONCAT(' + ', "\\t", '.join(f"STR(?{v})" for v in query.group) + ', ""))'
            steps.append(f"INSERT {{ GRAPH <{graph}> {{ ?row {template} }} }}\n"
                         f"WHERE {{ {{ {query.bound(body)} }} "
                         f'BIND(IRI(CONCAT("{query.row_prefix(graph)}", {digest})) AS ?row) }}')
    return steps


def body_triples(store, body: ox.Literal) -> SerializedGraph:
    """One body's graph as N-Triples, from SELECTs on `store` (a remote store: no SPARQL Update there)."""
    graph = body_graph(body.value)
    lines = [f"<{graph}> <{PIA.bodyRowsOf}> {body} .\n", f"<{graph}> <{PIA.bodyRowsVersion}> {BODY_ROWS_VERSION} .\n"]
    for query in prepared_queries():
        result = store.query(query.bound(body))
        for row in result.rows:
            cells = dict(zip(result.variables, row))
            node = f"<{query.row_prefix(graph)}{_row_digest(str(cells[v]) for v in query.group)}>"
            lines.append(f"{node} <{row_predicate(query.name)}> {nt_term(cells[query.key])} .\n")
            lines += [f"{node} {_column_predicate(c)} {nt_term(cells[c])} .\n" for c in query.columns if cells.get(c) is not None]
    return SerializedGraph("".join(lines), len(lines))


_BODY_LINE = re.compile(rf"^\S+ <{re.escape(str(PIA.rowBody))}> (.+) \.$", re.M)


def summary_body(summary) -> ox.Literal | None:
    """The body named by a report's summary rows (``<G/summary> pia:rowBody …``), or None (no summary)."""
    match = _BODY_LINE.search(nt_lines(summary)) if summary is not None else None
    term = _term(match.group(1)) if match else None
    return term if isinstance(term, ox.Literal) else None


def _term(text: str):
    """One RDF term written as N-Triples, as pyoxigraph's."""
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object


_READY = f"<{BODIES_GRAPH}> <{PIA.bodyRowsVersion}> {BODY_ROWS_VERSION}"
"""The triple recording that every body's rows are of this version."""


def ready_update() -> str:
    """Records that every body's rows are of this version (`BODIES_GRAPH`)."""
    return f"DROP SILENT GRAPH <{BODIES_GRAPH}> ;\nINSERT DATA {{ GRAPH <{BODIES_GRAPH}> {{ {_READY} }} }}"


def ready_if_empty_update() -> str:
    """Marks the body rows complete when the store holds no report yet (the first write keeps them so)."""
    return (f"INSERT {{ GRAPH <{BODIES_GRAPH}> {{ {_READY} }} }} "
            f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{CATALOG_GRAPH}> {{ ?report a <{PIA.ReportGraph}> }} }} }}")


def ready_triples() -> SerializedGraph:
    return SerializedGraph(f"{_READY} .\n", 1)


def body_rows_ready(store) -> bool:
    """Whether every body of `store` has rows of this version (or it holds no report)."""
    if store.query(f"ASK {{ GRAPH <{BODIES_GRAPH}> {{ {_READY} }} }}").boolean:
        return True
    return not store.query(f"ASK {{ GRAPH <{CATALOG_GRAPH}> {{ ?report a <{PIA.ReportGraph}> }} }}").boolean


def stored_bodies(store) -> list[ox.Literal]:
    """Every body named by a summary of `store` (the bodies that have rows)."""
    result = store.query(f"SELECT DISTINCT ?body WHERE {{ GRAPH ?summary {{ ?summary <{PIA.rowBody}> ?body }} }}")
    return [_term(nt_term(term)) for term in result.column("body")]


BODIES_PER_UPDATE = 20


def refresh_all_bodies(store, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every body's rows and record them complete; returns how many bodies."""
    bodies = stored_bodies(store)
    for start in range(0, len(bodies), BODIES_PER_UPDATE):
        store.put_body_rows(bodies[start:start + BODIES_PER_UPDATE])
        if progress is not None:
            progress(min(start + BODIES_PER_UPDATE, len(bodies)), len(bodies))
    store.mark_body_rows_ready()
    return len(bodies)
