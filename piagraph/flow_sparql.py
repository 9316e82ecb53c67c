"""Every SPARQL query of the flow model, and the scope (which report graphs) they read.

The flow model is fetched with a handful of set-oriented SELECTs, one per kind of fact (reports,
files, systems, connections, flows, flow counterparts, flow methods), each over all report graphs
of the scope at once — never one query per node — so the same code serves one report, one
municipality or the whole country.

A scope is either "every current report" (the catalog's ``pia:isCurrent true``) or an explicit list
of report graphs (``VALUES ?g { … }``): a report chosen by its ID, or the current reports of one
評価実施機関 (municipality).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from loaders.names import municipality_of, normalise_org_name
from piagraph.catalog import CATALOG_GRAPH
from piagraph.namespaces import ONTOLOGY_GRAPH, PIA
from piagraph.results import QueryResult
from piagraph.store import Store

PREFIXES = f"""PREFIX pia: <{PIA}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

JA_LABEL = 'FILTER(LANG({var}) = "ja" || LANG({var}) = "")'


class ScopeError(ValueError):
    """A report ID or municipality name that matches no report, or several."""


@dataclass(frozen=True)
class Scope:
    """Which report graphs the flow model reads: `graphs` None means every current report."""

    graphs: tuple[URIRef, ...] | None = None
    description: str = "全ての現行評価書 (all current reports)"

    def pattern(self) -> str:
        """The SPARQL pattern binding ``?g`` to the scope's report graphs."""
        if self.graphs is None:
            return f"GRAPH <{CATALOG_GRAPH}> {{ ?g pia:isCurrent true }}"
        return "VALUES ?g { " + " ".join(f"<{g}>" for g in self.graphs) + " }"


def rows(result: QueryResult) -> list[dict[str, Node]]:
    """SELECT rows as dicts of variable → rdflib term (unbound variables left out)."""
    return [{v: t for v, t in zip(result.variables, row) if t is not None} for row in result.rows]


def select(store: Store, body: str) -> list[dict[str, Node]]:
    return rows(store.query(PREFIXES + body))


# --- choosing the scope -------------------------------------------------------------------------

CATALOG_REPORTS = f"""
SELECT ?g ?assessment ?current ?source ?assessor ?number ?affair WHERE {{
  GRAPH <{CATALOG_GRAPH}> {{
    ?g a pia:ReportGraph ; pia:aboutAssessment ?assessment ; pia:isCurrent ?current .
    OPTIONAL {{ ?g pia:loadedFrom ?source }}
  }}
  OPTIONAL {{ GRAPH ?g {{ ?assessment pia:assessor/rdfs:label ?assessor }} }}
  OPTIONAL {{ GRAPH ?g {{ ?assessment pia:assessmentNumber ?number }} }}
  OPTIONAL {{ GRAPH ?g {{ ?assessment pia:covers/rdfs:label ?affair }} }}
}}
"""


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


def catalog_reports(store: Store) -> list[CatalogReport]:
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
        for r in select(store, CATALOG_REPORTS)
    ]


def _report_keys(report: CatalogReport) -> set[str]:
    keys = {str(report.graph), str(report.assessment), str(report.graph).rsplit("/", 1)[-1]}
    if report.source_file:
        keys |= {report.source_file, report.source_file.rsplit(".", 1)[0]}
    return keys


def report_scope(store: Store, report_id: str) -> Scope:
    """One report by graph IRI, assessment IRI, graph key or the file it was loaded from."""
    wanted = report_id.strip().strip("<>")
    found = [r for r in catalog_reports(store) if wanted in _report_keys(r)]
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
    reports = [r for r in catalog_reports(store) if r.current and r.assessor and _body_key(r.assessor) == key]
    if not reports:
        bodies = sorted({r.assessor for r in catalog_reports(store) if r.assessor})
        raise ScopeError(f"no current report of {name!r} in the store (bodies: {'、'.join(bodies) or 'none'})")
    graphs = tuple(sorted(r.graph for r in reports))
    return Scope(graphs, f"{reports[0].assessor} ({len(graphs)} 評価書)")


# --- the facts of the flow model ----------------------------------------------------------------

def _evidence(node: str) -> str:
    return (f"OPTIONAL {{ {node} pia:sourceSection ?section }} "
            f"OPTIONAL {{ {node} pia:sourceLine ?line }}")


def reports_query(scope: Scope) -> str:
    """One row per report: its assessment, assessor, 事務 and responsible department."""
    return f"""
SELECT ?g ?assessment ?source ?assessor ?affair ?affairLabel ?section ?line ?dept ?deptLabel ?deptSection ?deptLine
WHERE {{
  {scope.pattern()}
  OPTIONAL {{ GRAPH <{CATALOG_GRAPH}> {{ ?g pia:loadedFrom ?source }} }}
  GRAPH ?g {{
    ?assessment a pia:Assessment ; pia:covers ?affair .
    OPTIONAL {{ ?assessment pia:assessor/rdfs:label ?assessor }}
    OPTIONAL {{ ?affair rdfs:label ?affairLabel {JA_LABEL.format(var="?affairLabel")} }}
    {_evidence("?affair")}
    OPTIONAL {{
      ?affair pia:responsibleDepartment ?dept .
      OPTIONAL {{ ?dept rdfs:label ?deptLabel {JA_LABEL.format(var="?deptLabel")} }}
      OPTIONAL {{ ?dept pia:sourceSection ?deptSection }}
      OPTIONAL {{ ?dept pia:sourceLine ?deptLine }}
    }}
  }}
}}"""


def files_query(scope: Scope) -> str:
    """One row per 特定個人情報ファイル of a 事務."""
    return f"""
SELECT ?g ?affair ?file ?label ?section ?line WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    ?affair pia:hasFile ?file .
    OPTIONAL {{ ?file rdfs:label ?label {JA_LABEL.format(var="?label")} }}
    {_evidence("?file")}
  }}
}}"""


def systems_query(scope: Scope) -> str:
    """One row per system of a 事務 (I-2), with its canonical shared system when resolved."""
    return f"""
SELECT ?g ?affair ?system ?label ?section ?line ?canonical ?canonicalLabel WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    ?affair pia:usesSystem ?system .
    OPTIONAL {{ ?system rdfs:label ?label {JA_LABEL.format(var="?label")} }}
    {_evidence("?system")}
    OPTIONAL {{
      ?system pia:canonicalSystem ?canonical .
      OPTIONAL {{ ?canonical rdfs:label ?canonicalLabel {JA_LABEL.format(var="?canonicalLabel")} }}
    }}
  }}
}}"""


def connections_query(scope: Scope) -> str:
    """One row per ticked connection (I-2 ③): to a local system or a canonical shared system."""
    return f"""
SELECT ?g ?system ?target ?targetLabel ?local ?section ?line WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    ?system pia:connectsTo ?target .
    OPTIONAL {{ ?target rdfs:label ?targetLabel {JA_LABEL.format(var="?targetLabel")} }}
    OPTIONAL {{ ?target a pia:System . BIND(true AS ?local) }}
    {_evidence("?system")}
  }}
}}"""


def flows_query(scope: Scope) -> str:
    """One row per data flow (入手, 委託, 提供, 移転) with its single-valued facts."""
    return f"""
SELECT ?g ?flow ?class ?file ?number ?section ?line ?basis ?frequency ?purpose ?confidence
       ?subcontracting ?branch ?subcontractItems ?title ?sourceDetail
WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    VALUES ?class {{ pia:Acquisition pia:Entrustment pia:Provision pia:Transfer }}
    ?flow a ?class ; pia:ofFile ?file .
    OPTIONAL {{ ?flow pia:flowNumber ?number }}
    {_evidence("?flow")}
    OPTIONAL {{ ?flow pia:legalBasis/rdfs:label ?basis }}
    OPTIONAL {{ ?flow pia:frequency ?frequency }}
    OPTIONAL {{ ?flow pia:purpose ?purpose }}
    OPTIONAL {{ ?flow pia:confidence ?confidence }}
    OPTIONAL {{ ?flow pia:subcontracting ?subcontracting }}
    OPTIONAL {{ ?flow pia:contractorBranch ?branch }}
    OPTIONAL {{ ?flow pia:subcontractItems ?subcontractItems }}
    OPTIONAL {{ ?flow pia:entrustmentTitle ?title }}
    OPTIONAL {{ ?flow pia:sourceDetail ?sourceDetail }}
  }}
}}"""


def parties_query(scope: Scope) -> str:
    """One row per counterpart of a flow: 入手元 (pia:source), 提供先/移転先 (pia:recipient), 委託先."""
    return f"""
SELECT ?g ?flow ?role ?party ?type ?label ?section ?line WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    ?flow pia:ofFile ?file .
    {{ ?flow pia:source ?party BIND("source" AS ?role) }}
    UNION {{ ?flow pia:recipient ?party BIND("recipient" AS ?role) }}
    UNION {{ ?flow pia:contractor ?party BIND("contractor" AS ?role) }}
    OPTIONAL {{ ?party rdfs:label ?label {JA_LABEL.format(var="?label")} }}
    OPTIONAL {{ ?party a ?type FILTER(?type IN (pia:Department, pia:Contractor, pia:Organization)) }}
    {_evidence("?party")}
  }}
}}"""


def methods_query(scope: Scope) -> str:
    """One row per 方法 of a flow, or per free-text detail written in its その他 ( … )."""
    return f"""
SELECT ?g ?flow ?method ?methodLabel ?detail WHERE {{
  {scope.pattern()}
  GRAPH ?g {{
    ?flow pia:ofFile ?file .
    {{ ?flow pia:method ?method .
       OPTIONAL {{ ?method rdfs:label ?methodLabel {JA_LABEL.format(var="?methodLabel")} }} }}
    UNION {{ ?flow pia:detail ?detail }}
  }}
}}"""


RISKY_CHANNELS = f"""
SELECT ?method ?risky WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?method pia:riskyChannel ?risky }} }}
"""


@dataclass
class FlowFacts:
    """The rows the flow model is built from."""

    reports: list[dict[str, Node]]
    files: list[dict[str, Node]]
    systems: list[dict[str, Node]]
    connections: list[dict[str, Node]]
    flows: list[dict[str, Node]]
    parties: list[dict[str, Node]]
    methods: list[dict[str, Node]]
    risky: dict[URIRef, bool]


def risky_channels(store: Store) -> dict[URIRef, bool]:
    """pia:riskyChannel of each method concept: from the store's ontology graph, else the packaged one."""
    found = {URIRef(r["method"]): r["risky"].toPython() is True for r in select(store, RISKY_CHANNELS)}
    if found:
        return found
    from loaders.vocabulary import ontology_graph

    graph = ontology_graph()
    return {URIRef(s): o.toPython() is True for s, o in graph.subject_objects(PIA.riskyChannel)}


def fetch(store: Store, scope: Scope) -> FlowFacts:
    """Run the flow model's queries for one scope."""
    return FlowFacts(
        reports=select(store, reports_query(scope)),
        files=select(store, files_query(scope)),
        systems=select(store, systems_query(scope)),
        connections=select(store, connections_query(scope)),
        flows=select(store, flows_query(scope)),
        parties=select(store, parties_query(scope)),
        methods=select(store, methods_query(scope)),
        risky=risky_channels(store),
    )
