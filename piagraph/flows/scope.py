"""The scope of the flow model, shared by the CLI and the app: which report graphs it reads.

A scope is either "every current report" (the catalog's ``pia:isCurrent true``) or an explicit list
of report graphs (``VALUES ?g { … }``): a report chosen by its ID (graph IRI, assessment IRI, graph
key or the file it was loaded from), or the current reports of one 評価実施機関 (municipality).
Choosing a scope matches a name against every report of the catalog: these queries read the
catalog graph, and report graphs only for what the match needs (the assessor).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from loaders.names import municipality_of, normalise_org_name
from ontology import ID
from ontology.errors import ScopeError
from piagraph.sparql.builder import CURRENT_REPORTS, graphs_pattern, select
from piagraph.sparql.saved import load_view_query
from piagraph.store import Store
from piagraph.store.summaries import require_summaries


@dataclass(frozen=True)
class Scope:
    """Which report graphs the flow model reads: `graphs` None means every current report."""

    graphs: tuple[URIRef, ...] | None = None
    description: str = "全ての現行評価書 (all current reports)"

    def pattern(self) -> str:
        """The SPARQL pattern binding ``?g`` to the scope's report graphs."""
        if self.graphs is None:
            return CURRENT_REPORTS
        return graphs_pattern(self.graphs)


@dataclass(frozen=True)
class CatalogReport:
    """One report graph as the scope chooser sees it."""

    graph: URIRef
    assessment: URIRef
    current: bool
    source_file: str | None
    assessor: str | None
    number: str | None
    affair: str | None

    def describe(self) -> str:
        parts = [self.assessor or "?", self.affair or "?", f"評価書番号 {self.number or '?'}",
                 self.source_file or "", "" if self.current else "(旧版)"]
        return " ".join(p for p in parts if p) + f" <{self.graph}>"


def _catalog_reports_query(graphs: Iterable[URIRef] | None) -> str:
    query = load_view_query("catalog-reports")
    return query.bind({"g": [str(g) for g in graphs]}) if graphs is not None else query.text


def catalog_reports(store: Store, graphs: Iterable[URIRef] | None = None) -> list[CatalogReport]:
    """The reports of the catalog (or of the given graphs only)."""
    return [
        CatalogReport(
            graph=URIRef(r["g"]),
            assessment=URIRef(r["assessment"]),
            current=str(r["current"]).lower() in ("true", "1"),
            source_file=str(r["source"]) if "source" in r else None,
            assessor=str(r["assessor"]) if "assessor" in r else None,
            number=str(r["number"]) if "number" in r else None,
            affair=str(r["affair"]) if "affair" in r else None,
        )
        for r in select(store, _catalog_reports_query(graphs))
    ]


def _as_graph(wanted: str) -> URIRef:
    """The report graph IRI that `wanted` names if it is one, or the loader's graph of that key."""
    return URIRef(wanted if "/" in wanted else str(ID[f"graph/{wanted}"]))


def _report_keys(row: dict[str, Node]) -> set[str]:
    """The IDs a report is known by: graph IRI, assessment IRI, graph key, source file (and stem)."""
    graph = str(row["g"])
    keys = {graph, str(row["assessment"]), graph.rsplit("/", 1)[-1]}
    if "source" in row:
        source = str(row["source"])
        keys |= {source, source.rsplit(".", 1)[0]}
    return keys


def report_scope(store: Store, report_id: str) -> Scope:
    """One report by graph IRI, assessment IRI, graph key or the file it was loaded from."""
    wanted = report_id.strip().strip("<>")
    found = catalog_reports(store, [_as_graph(wanted)])  # a graph IRI or key (links, the app): one lookup
    if not found:
        graphs = dict.fromkeys(URIRef(r["g"]) for r in select(store, load_view_query("catalog-keys").text)
                               if wanted in _report_keys(r))
        found = catalog_reports(store, graphs) if graphs else []
    if not found:
        raise ScopeError(f"no report {report_id!r} in the store (see `piagraph list`)")
    if len(found) > 1:
        listing = "; ".join(r.describe() for r in found)
        raise ScopeError(f"report {report_id!r} is ambiguous: {listing}")
    report = found[0]
    return Scope((report.graph,), f"{report.assessor or ''} {report.affair or ''} ({report.source_file or report.graph})".strip())


def _body_key(name: str) -> str:
    text = normalise_org_name(name)
    return unicodedata.normalize("NFKC", municipality_of(text) or text).replace(" ", "")


def municipality_scope(store: Store, name: str) -> Scope:
    """The current reports of one 評価実施機関: ``みどり市`` or ``みどり市長`` (the head's title)."""
    key = _body_key(name)
    text = load_view_query("current-assessors").text
    require_summaries(store, text)  # the names are read from the summary graphs
    reports = [(URIRef(r["g"]), str(r["assessor"])) for r in select(store, text) if str(r["assessor"])]
    body_keys = {assessor: _body_key(assessor) for _, assessor in reports}  # a few hundred bodies
    reports = [(graph, assessor) for graph, assessor in reports if body_keys[assessor] == key]
    if not reports:
        bodies = sorted({r.assessor for r in catalog_reports(store) if r.assessor})
        raise ScopeError(f"no current report of {name!r} in the store (bodies: {'、'.join(bodies) or 'none'})")
    graphs = tuple(sorted(graph for graph, _ in reports))
    return Scope(graphs, f"{reports[0][1]} ({len(graphs)} 評価書)")
