"""The facts of the flow model: a handful of set-oriented SELECTs for one scope.

The flow model is fetched with one query per kind of fact (reports, files, systems, connections,
flows, flow counterparts, flow methods), each over all report graphs of the scope at once — never
one query per node — so the same code serves one report, one municipality or the whole country.
Every query costs in proportion to its scope, not to the store: each is composed by
`piagraph.sparql.builder.scoped_select` in the shape its docstring explains.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from ontology import CATALOG_GRAPH, PIA, ontology_graph
from piagraph.flows.scope import Scope
from piagraph.sparql.builder import evidence, label, optional, optional_via, scoped_select, select
from piagraph.sparql.saved import load_view_query
from piagraph.store import Store


def _described(node: str, label_var: str = "?label") -> list[str]:
    """A node's optional label and evidence."""
    return [optional(triple) for triple in (label(node, label_var), *evidence(node))]


def reports_query(scope: Scope) -> str:
    """One row per report: its assessment, assessor, 事務 and responsible department."""
    return scoped_select(
        scope.pattern(),
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
    return scoped_select(scope.pattern(), "?g ?affair ?file ?label ?section ?line",
                         "?affair pia:hasFile ?file .", *_described("?file"))


def systems_query(scope: Scope) -> str:
    """One row per system of a 事務 (I-2), with its canonical shared system when resolved."""
    return scoped_select(
        scope.pattern(), "?g ?affair ?system ?label ?section ?line ?canonical ?canonicalLabel",
        "?affair pia:usesSystem ?system .",
        *_described("?system"),
        optional_via("?system pia:canonicalSystem ?canonical", label("?canonical", "?canonicalLabel")),
    )


def connections_query(scope: Scope) -> str:
    """One row per ticked connection (I-2 ③): to a local system or a canonical shared system."""
    return scoped_select(
        scope.pattern(), "?g ?system ?target ?targetLabel ?targetClass ?section ?line",
        "?system pia:connectsTo ?target .",
        optional(label("?target", "?targetLabel")),
        # The class as a variable: Oxigraph does not look up per row a pattern all of whose
        # variables the row already binds (``?target a pia:System``). ``?targetClass`` bound marks a
        # local system; no BIND inside the OPTIONAL: Virtuoso 7.2 then drops the OPTIONALs after it
        # (the section and line of every connection to a shared system).
        optional("?target a ?targetClass FILTER(?targetClass = pia:System)"),
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
        scope.pattern(),
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
        scope.pattern(), "?g ?flow ?role ?party ?type ?label ?section ?line",
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
        scope.pattern(), "?g ?flow ?method ?methodLabel ?detail",
        f"""?flow pia:ofFile ?file .
    {{ ?flow pia:method ?method OPTIONAL {{ ?flow pia:method ?method . {label("?method", "?methodLabel")} }} }}
    UNION {{ ?flow pia:detail ?detail }}""",
    )





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
    found = {URIRef(r["method"]): r["risky"].toPython() is True
             for r in select(store, load_view_query("risky-channels").text)}
    if found:
        return found
    graph = ontology_graph()
    return {URIRef(s): o.toPython() is True for s, o in graph.subject_objects(PIA.riskyChannel)}


def _rows(store: Store, query: str) -> list[dict[str, Node]]:
    """The rows of one facts query in an order of their own, not the server's: SPARQL leaves the
    order of rows open, and the model keeps the first label it meets for a node and lists methods
    in the order met, so the same store gives the same model on Oxigraph and on Virtuoso."""
    return sorted(select(store, query), key=lambda row: sorted((name, term.n3()) for name, term in row.items()))


def fetch(store: Store, scope: Scope) -> FlowFacts:
    """Run the flow model's queries for one scope."""
    return FlowFacts(
        reports=_rows(store, reports_query(scope)),
        files=_rows(store, files_query(scope)),
        systems=_rows(store, systems_query(scope)),
        connections=_rows(store, connections_query(scope)),
        flows=_rows(store, flows_query(scope)),
        parties=_rows(store, parties_query(scope)),
        methods=_rows(store, methods_query(scope)),
        risky=risky_channels(store),
    )
