"""Every SPARQL query of the flow model, and the scope (which report graphs) they read.

The flow model is fetched with a handful of set-oriented SELECTs, one per kind of fact (reports,
files, systems, connections, flows, flow counterparts, flow methods), each over all report graphs
of the scope at once — never one query per node — so the same code serves one report, one
municipality or the whole country.

A scope is either "every current report" (the catalog's ``pia:isCurrent true``) or an explicit list
of report graphs (``VALUES ?g { … }``): a report chosen by its ID, or the current reports of one
評価実施機関 (municipality).

Every query costs in proportion to its scope, not to the store. Oxigraph looks the right side of a
join or OPTIONAL up once per row found so far only when it is one triple pattern (or a FILTER, BIND
or UNION of such) sharing a variable other than ?g with the row; anything else (a group of two
triples, a sub-SELECT, a GROUP BY) it first evaluates over every graph of the store. Hence the shape
of every query: the required triples in one flat block beside the scope, then each OPTIONAL at the
top level around one triple about a variable the block binds (`optional`). A node's own facts (the
label of a department) nest under the OPTIONAL that reaches the node (`optional_via`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
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
        return graphs_pattern(self.graphs)


def graphs_pattern(graphs: Iterable[URIRef]) -> str:
    """``VALUES ?g { … }``: the given report graphs."""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def optional(triple: str, *nested: str, graph: str = "?g") -> str:
    """``OPTIONAL { GRAPH ?g { triple } nested… }``, at the top level of a query."""
    return "OPTIONAL { GRAPH " + graph + " { " + triple + " } " + " ".join(nested) + " }"


def optional_via(link: str, *facts: str) -> str:
    """An optional node reached by `link` (``?affair pia:responsibleDepartment ?dept``), each of its
    `facts` (``?dept rdfs:label ?deptLabel``) optional in turn.

    Each nested OPTIONAL repeats `link`: Oxigraph looks a nested OPTIONAL up with the variables of
    the enclosing row, not with those `link` binds, so it must start from the row's own ``?affair``.
    """
    return optional(link, *(optional(f"{link} . {fact}") for fact in facts))


def label(node: str, var: str = "?label") -> str:
    """The Japanese (or untagged) rdfs:label of a node, as a triple pattern for `optional`."""
    return f"{node} rdfs:label {var} {JA_LABEL.format(var=var)}"


def rows(result: QueryResult) -> list[dict[str, Node]]:
    """SELECT rows as dicts of variable → rdflib term (unbound variables left out)."""
    return [{v: t for v, t in zip(result.variables, row) if t is not None} for row in result.rows]


def select(store: Store, body: str) -> list[dict[str, Node]]:
    return rows(store.query(PREFIXES + body))


# --- choosing the scope -------------------------------------------------------------------------

# Choosing a scope matches a name against every report of the catalog: these queries read the
# catalog graph, and report graphs only for what the match needs (the assessor).

CATALOG_KEYS = f"""
SELECT ?g ?assessment ?source WHERE {{
  GRAPH <{CATALOG_GRAPH}> {{ ?g a pia:ReportGraph ; pia:aboutAssessment ?assessment }}
  {optional("?g pia:loadedFrom ?source", graph=f"<{CATALOG_GRAPH}>")}
}}
"""

CURRENT_ASSESSORS = f"""
SELECT ?g ?assessor WHERE {{
  GRAPH <{CATALOG_GRAPH}> {{ ?g pia:isCurrent true ; pia:aboutAssessment ?assessment }}
  GRAPH ?g {{ ?assessment pia:assessor/rdfs:label ?assessor }}
}}
"""


def catalog_reports_query(graphs: Iterable[URIRef] | None = None) -> str:
    """Every report graph of the catalog (or only `graphs`), with its assessor, number and 事務."""
    return f"""
SELECT ?g ?assessment ?current ?source ?assessor ?number ?affair WHERE {{
  {graphs_pattern(graphs) if graphs is not None else ""}
  GRAPH <{CATALOG_GRAPH}> {{ ?g a pia:ReportGraph ; pia:aboutAssessment ?assessment ; pia:isCurrent ?current }}
  {optional("?g pia:loadedFrom ?source", graph=f"<{CATALOG_GRAPH}>")}
  {optional_via("?assessment pia:assessor ?body", "?body rdfs:label ?assessor")}
  {optional("?assessment pia:assessmentNumber ?number")}
  {optional_via("?assessment pia:covers ?affairNode", "?affairNode rdfs:label ?affair")}
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
        for r in select(store, catalog_reports_query(graphs))
    ]


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
    graphs = dict.fromkeys(URIRef(r["g"]) for r in select(store, CATALOG_KEYS) if wanted in _report_keys(r))
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
    reports = [(URIRef(r["g"]), str(r["assessor"])) for r in select(store, CURRENT_ASSESSORS) if str(r["assessor"])]
    body_keys = {assessor: _body_key(assessor) for _, assessor in reports}  # a few hundred bodies
    reports = [(graph, assessor) for graph, assessor in reports if body_keys[assessor] == key]
    if not reports:
        bodies = sorted({r.assessor for r in catalog_reports(store) if r.assessor})
        raise ScopeError(f"no current report of {name!r} in the store (bodies: {'、'.join(bodies) or 'none'})")
    graphs = tuple(sorted(graph for graph, _ in reports))
    return Scope(graphs, f"{reports[0][1]} ({len(graphs)} 評価書)")


# --- the facts of the flow model ----------------------------------------------------------------

def scoped_select(scope: Scope, variables: str, required: str, *optionals: str) -> str:
    """A SELECT of the `required` triples in each report graph ?g of the scope, then `optionals`."""
    lines = "\n  ".join(optionals)
    return f"""
SELECT {variables} WHERE {{
  {scope.pattern()}
  GRAPH ?g {{ {required} }}
  {lines}
}}"""


def evidence(node: str, section: str = "?section", line: str = "?line") -> tuple[str, str]:
    """The triple patterns of a node's evidence: section and source line."""
    return f"{node} pia:sourceSection {section}", f"{node} pia:sourceLine {line}"


def _described(node: str, label_var: str = "?label") -> list[str]:
    """A node's optional label and evidence."""
    return [optional(triple) for triple in (label(node, label_var), *evidence(node))]


def reports_query(scope: Scope) -> str:
    """One row per report: its assessment, assessor, 事務 and responsible department."""
    return scoped_select(
        scope,
        "?g ?assessment ?source ?assessor ?affair ?affairLabel ?section ?line ?dept ?deptLabel ?deptSection ?deptLine",
        "?assessment a pia:Assessment ; pia:covers ?affair .",
        optional("?g pia:loadedFrom ?source", graph=f"<{CATALOG_GRAPH}>"),
        optional_via("?assessment pia:assessor ?body", "?body rdfs:label ?assessor"),
        *_described("?affair", "?affairLabel"),
        optional_via("?affair pia:responsibleDepartment ?dept",
                     label("?dept", "?deptLabel"), *evidence("?dept", "?deptSection", "?deptLine")),
    )


def files_query(scope: Scope) -> str:
    """One row per 特定個人情報ファイル of a 事務."""
    return scoped_select(scope, "?g ?affair ?file ?label ?section ?line",
                         "?affair pia:hasFile ?file .", *_described("?file"))


def systems_query(scope: Scope) -> str:
    """One row per system of a 事務 (I-2), with its canonical shared system when resolved."""
    return scoped_select(
        scope, "?g ?affair ?system ?label ?section ?line ?canonical ?canonicalLabel",
        "?affair pia:usesSystem ?system .",
        *_described("?system"),
        optional_via("?system pia:canonicalSystem ?canonical", label("?canonical", "?canonicalLabel")),
    )


def connections_query(scope: Scope) -> str:
    """One row per ticked connection (I-2 ③): to a local system or a canonical shared system."""
    return scoped_select(
        scope, "?g ?system ?target ?targetLabel ?local ?section ?line",
        "?system pia:connectsTo ?target .",
        optional(label("?target", "?targetLabel")),
        # The class as a variable: Oxigraph does not look up per row a pattern all of whose
        # variables the row already binds (``?target a pia:System``).
        optional("?target a ?targetClass FILTER(?targetClass = pia:System) BIND(true AS ?local)"),
        *map(optional, evidence("?system")),
    )


FLOW_VALUES = {"number": "pia:flowNumber", "frequency": "pia:frequency", "purpose": "pia:purpose",
               "confidence": "pia:confidence", "subcontracting": "pia:subcontracting",
               "branch": "pia:contractorBranch", "subcontractItems": "pia:subcontractItems",
               "title": "pia:entrustmentTitle", "sourceDetail": "pia:sourceDetail"}
"""The single-valued literals of a flow: variable of `flows_query` → property."""


def flows_query(scope: Scope) -> str:
    """One row per data flow (入手, 委託, 提供, 移転) with its single-valued facts."""
    # The four classes as a FILTER, not VALUES: Oxigraph starts a join from its smallest part, and
    # a 4-row VALUES ?class would make it enumerate the flows of the whole store.
    return scoped_select(
        scope,
        "?g ?flow ?class ?file ?section ?line ?basis " + " ".join(f"?{var}" for var in FLOW_VALUES),
        "?flow a ?class ; pia:ofFile ?file . "
        "FILTER(?class IN (pia:Acquisition, pia:Entrustment, pia:Provision, pia:Transfer))",
        *map(optional, evidence("?flow")),
        optional_via("?flow pia:legalBasis ?basisNode", "?basisNode rdfs:label ?basis"),
        *(optional(f"?flow {prop} ?{var}") for var, prop in FLOW_VALUES.items()),
    )


def parties_query(scope: Scope) -> str:
    """One row per counterpart of a flow: 入手元 (pia:source), 提供先/移転先 (pia:recipient), 委託先."""
    return scoped_select(
        scope, "?g ?flow ?role ?party ?type ?label ?section ?line",
        """?flow pia:ofFile ?file .
    { ?flow pia:source ?party BIND("source" AS ?role) }
    UNION { ?flow pia:recipient ?party BIND("recipient" AS ?role) }
    UNION { ?flow pia:contractor ?party BIND("contractor" AS ?role) }""",
        optional(label("?party")),
        optional("?party a ?type FILTER(?type IN (pia:Department, pia:Contractor, pia:Organization))"),
        *map(optional, evidence("?party")),
    )


def methods_query(scope: Scope) -> str:
    """One row per 方法 of a flow, or per free-text detail written in its その他 ( … )."""
    # The label's OPTIONAL repeats ``?flow pia:method ?method`` for the reason given in `optional_via`.
    return scoped_select(
        scope, "?g ?flow ?method ?methodLabel ?detail",
        f"""?flow pia:ofFile ?file .
    {{ ?flow pia:method ?method OPTIONAL {{ ?flow pia:method ?method . {label("?method", "?methodLabel")} }} }}
    UNION {{ ?flow pia:detail ?detail }}""",
    )


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
