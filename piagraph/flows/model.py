"""The flow model: where the personal numbers of each 事務 go, as a networkx `MultiDiGraph`.

Built from a store for any scope (`piagraph.flow_sparql.Scope`): one report, one municipality, or
every current report. Nodes are the named things of the reports; edges are the movements of data
and the structure that carries it on:

====================  ==========================  =================================================
edge kind             日本語                       from → to
====================  ==========================  =================================================
``acquisition``       入手                         入手元 (source) → 特定個人情報ファイル
``transfer``          移転                         file → 移転先 (a unit of the same body)
``provision``         提供                         file → 提供先 (another body)
``entrustment``       委託                         file → 委託先 (contractor)
``subcontracting``    再委託                       委託先 → 再委託先 (only after that 委託)
``holds``             保有                         事務 → its files
``responsible``       担当                         担当部署 → 事務 (data a department receives
                                                   continues into the 事務 it runs)
``uses``              利用                         事務 → システム
``connection``        接続                         システム → システム / 共通システム (I-2 ③)
``canonical``         共通システム                 システム → canonical shared system
``same-as``           同一                         two nodes naming the same unit or body
                                                   (`piagraph.linking`), both directions
====================  ==========================  =================================================

Every node has ``label`` (the Japanese name), ``kind`` and ``kind_label``; every edge has ``kind``,
``kind_label`` and its evidence (``graph``, ``report``, ``section``, ``line``); flow edges also carry
``methods`` (Japanese labels), ``risky`` (a risky channel among them), ``legal_basis``, ``frequency``.

Node ids are the store's IRIs, except for generic counterparts — 入手元 categories (本人又は本人の代理人 …)
and names like 市町村長 or 他市町村 — which mean a different body in every municipality: their id is
``IRI#body`` so that two municipalities never meet through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import networkx as nx
from rdflib import URIRef
from rdflib.term import Node

from loaders.names import municipality_of, normalise_org_name
from ontology import PIA, VOCAB
from piagraph.flows.facts import FlowFacts, fetch
from piagraph.flows.kinds import EDGE_KINDS, FLOW_CLASSES, FLOW_KINDS, NODE_KINDS, SHARED_KINDS
from piagraph.flows.linking import link_graph
from piagraph.flows.scope import Scope
from piagraph.store import Store

_GENERIC_BODY = re.compile(
    r"^(他の?|各|住所地の?|転出元の?|転入先の?|関係)?"
    r"(都道府県|市区町村|市町村|区市町村|地方公共団体|自治体|市区町村等|市町村等)"
    r"(知事|長|の長)?(等)?$"
)
_SOURCE_CATEGORY = str(VOCAB["source/"])


def is_generic_body(name: str) -> bool:
    """A counterpart that names a kind of body, not one body: 市町村長, 他市区町村, 都道府県知事等 …"""
    return bool(_GENERIC_BODY.match(normalise_org_name(name).replace(" ", "")))


def body_of(assessor: str) -> str:
    """The municipality (or body) an assessor speaks for: 高岡市長 → 高岡市."""
    return municipality_of(assessor) or normalise_org_name(assessor)


def _text(row: dict[str, Node], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value is not None else None


def _int(row: dict[str, Node], key: str) -> int | None:
    value = row.get(key)
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


@dataclass
class _Report:
    graph: str
    assessment: str
    report: str
    assessor: str
    body: str

    def evidence(self, row: dict[str, Node], section: str = "section", line: str = "line") -> dict:
        return {"graph": self.graph, "assessment": self.assessment, "report": self.report,
                "section": _text(row, section), "line": _int(row, line)}


@dataclass
class _Flow:
    iri: str
    kind: str
    file: str
    report: _Report
    row: dict[str, Node]
    parties: list[dict[str, Node]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    risky_methods: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


class FlowGraphBuilder:
    """Turns the rows of `piagraph.flow_sparql.fetch` into the flow graph."""

    def __init__(self, facts: FlowFacts):
        self.facts = facts
        self.graph = nx.MultiDiGraph()
        self.reports: dict[str, _Report] = {}

    # -- nodes ---------------------------------------------------------------------------------
    def node(self, node_id: str, kind: str, label: str | None, origin: _Report, *, iri: str | None = None,
             evidence: dict | None = None, **attrs) -> str:
        """Add a node, or record one more report (`origin`) in which an existing node appears."""
        if node_id in self.graph:
            data = self.graph.nodes[node_id]
            if origin.graph not in data["reports"]:
                data["reports"].append(origin.graph)
            return node_id
        evidence = evidence or {}
        owned = kind not in SHARED_KINDS or attrs.get("scoped")
        self.graph.add_node(
            node_id, label=label or NODE_KINDS[kind], kind=kind, kind_label=NODE_KINDS[kind],
            iri=iri or node_id, reports=[origin.graph], body=origin.body if owned else "",
            section=evidence.get("section"), line=evidence.get("line"), **attrs,
        )
        return node_id

    def edge(self, source: str, target: str, kind: str, key: str, evidence: dict, **attrs) -> None:
        self.graph.add_edge(source, target, key=key, kind=kind, kind_label=EDGE_KINDS[kind], **evidence, **attrs)

    # -- build ---------------------------------------------------------------------------------
    def build(self) -> nx.MultiDiGraph:
        self.add_reports()
        self.add_files()
        self.add_systems()
        self.add_connections()
        self.add_flows()
        return self.graph

    def add_reports(self) -> None:
        for row in self.facts.reports:
            assessor = _text(row, "assessor") or ""
            report = _Report(graph=str(row["g"]), assessment=str(row["assessment"]),
                             report=_text(row, "source") or str(row["g"]), assessor=assessor,
                             body=body_of(assessor) if assessor else str(row["g"]))
            self.reports[report.graph] = report
            affair = self.node(str(row["affair"]), "affair", _text(row, "affairLabel"), report,
                               evidence=report.evidence(row), graph=report.graph, report=report.report)
            if "dept" in row:
                evidence = report.evidence(row, "deptSection", "deptLine")
                department = self.department(str(row["dept"]), _text(row, "deptLabel"), report, evidence)
                self.edge(department, affair, "responsible", f"{affair}#responsible", evidence)

    def department(self, iri: str, label: str | None, report: _Report, evidence: dict) -> str:
        # A department IRI is <org/{municipality}/dept/{name}>: its municipality part groups the
        # departments that may name each other (`piagraph.flows.linking`).
        group = iri.rsplit("/dept/", 1)[0] if "/dept/" in iri else report.body
        return self.node(iri, "department", label, report, evidence=evidence, municipality=group)

    def affair_part(self, row: dict[str, Node], kind: str, edge_kind: str) -> tuple[str, _Report, dict] | None:
        """A file or system of a 事務 and its edge from the 事務 (保有, 利用); None when its report or
        事務 is outside the graph."""
        report = self.reports.get(str(row["g"]))
        if report is None or str(row["affair"]) not in self.graph:
            return None
        evidence = report.evidence(row)
        node = self.node(str(row[kind]), kind, _text(row, "label"), report, evidence=evidence,
                         graph=report.graph, report=report.report)
        self.edge(str(row["affair"]), node, edge_kind, f"{node}#{edge_kind}", evidence)
        return node, report, evidence

    def add_files(self) -> None:
        for row in self.facts.files:
            self.affair_part(row, "file", "holds")

    def add_systems(self) -> None:
        for row in self.facts.systems:
            found = self.affair_part(row, "system", "uses")
            if found is not None and "canonical" in row:
                system, report, evidence = found
                canonical = self.node(str(row["canonical"]), "canonical-system", _text(row, "canonicalLabel"), report)
                self.edge(system, canonical, "canonical", f"{system}#canonical", evidence)

    def add_connections(self) -> None:
        for row in self.facts.connections:
            report = self.reports.get(str(row["g"]))
            if report is None or str(row["system"]) not in self.graph:
                continue
            target = str(row["target"])
            kind = "system" if "targetClass" in row else "canonical-system"
            self.node(target, kind, _text(row, "targetLabel"), report)
            system = str(row["system"])
            self.edge(system, target, "connection", f"{system}#connection#{target}", report.evidence(row))

    # -- flows ---------------------------------------------------------------------------------
    def collect_flows(self) -> list[_Flow]:
        flows: dict[str, _Flow] = {}
        for row in self.facts.flows:
            report = self.reports.get(str(row["g"]))
            if report is None:
                continue
            iri = str(row["flow"])
            flows[iri] = _Flow(iri, FLOW_CLASSES[URIRef(row["class"])], str(row["file"]), report, row)
        for row in self.facts.parties:
            if (flow := flows.get(str(row["flow"]))) is not None:
                flow.parties.append(row)
        for row in self.facts.methods:
            if (flow := flows.get(str(row["flow"]))) is None:
                continue
            if "method" in row:
                label = _text(row, "methodLabel") or str(row["method"]).rsplit("/", 1)[-1]
                if label not in flow.methods:
                    flow.methods.append(label)
                if self.facts.risky.get(URIRef(row["method"])) and label not in flow.risky_methods:
                    flow.risky_methods.append(label)
            elif "detail" in row and str(row["detail"]) not in flow.details:
                flow.details.append(str(row["detail"]))
        return sorted(flows.values(), key=lambda f: (f.report.graph, f.file, f.kind, _int(f.row, "number") or 0, f.iri))

    def add_flows(self) -> None:
        for flow in self.collect_flows():
            if flow.file not in self.graph:
                continue
            attrs = self.flow_attributes(flow)
            if flow.kind == "acquisition":
                self.add_acquisition(flow, attrs)
            elif flow.kind == "entrustment":
                self.add_entrustment(flow, attrs)
            else:
                self.add_disclosure(flow, attrs)

    def flow_attributes(self, flow: _Flow) -> dict:
        row = flow.row
        confidence = row.get("confidence")
        return {
            **flow.report.evidence(row),
            "flow": flow.iri,
            "number": _int(row, "number"),
            "methods": list(flow.methods),
            "risky_methods": list(flow.risky_methods),
            "risky": bool(flow.risky_methods) if flow.methods else None,
            "method_detail": "、".join(flow.details) or None,
            "legal_basis": _text(row, "basis"),
            "frequency": _text(row, "frequency"),
            "purpose": _text(row, "purpose"),
            "confidence": float(str(confidence)) if confidence is not None else None,
        }

    def party(self, row: dict[str, Node], report: _Report) -> str:
        """The node of a counterpart; generic ones are kept apart per municipality."""
        iri = str(row["party"])
        label = _text(row, "label")
        types = {str(row["type"])} if "type" in row else set()
        evidence = report.evidence(row)
        if iri.startswith(_SOURCE_CATEGORY):
            return self.node(f"{iri}#{report.body}", "source", label, report, iri=iri, scoped=True)
        if str(PIA.Department) in types:
            return self.department(iri, label, report, evidence)
        if str(PIA.Contractor) in types:
            return self.node(iri, "contractor", label, report, evidence=evidence)
        if label and is_generic_body(label):
            return self.node(f"{iri}#{report.body}", "organization", label, report, iri=iri, evidence=evidence,
                             scoped=True)
        return self.node(iri, "organization", label, report, evidence=evidence)

    def add_acquisition(self, flow: _Flow, attrs: dict) -> None:
        # 入手方法 is asked once per file, not per source: every acquisition of the file carries them.
        attrs["methods_scope"] = "file"
        categories = [r for r in flow.parties if str(r["party"]).startswith(_SOURCE_CATEGORY)]
        named = [r for r in flow.parties if not str(r["party"]).startswith(_SOURCE_CATEGORY)]
        attrs["category"] = "、".join(sorted({_text(r, "label") or "" for r in categories})) or None
        attrs["source_detail"] = _text(flow.row, "sourceDetail")
        # A category with named bodies (他部署 (市民課、税務課)) is drawn as the bodies themselves.
        for row in self.distinct_parties(named or categories):
            source = self.party(row, flow.report)
            self.edge(source, flow.file, "acquisition", f"{flow.iri}#{source}", attrs)

    def add_disclosure(self, flow: _Flow, attrs: dict) -> None:
        recipients = self.distinct_parties(r for r in flow.parties if str(r["role"]) == "recipient")
        targets = [self.party(r, flow.report) for r in recipients]
        if not targets:
            unknown = "提供先不明" if flow.kind == "provision" else "移転先不明"
            targets = [self.node(f"{flow.iri}#recipient", "organization", unknown, flow.report, unknown=True)]
        for target in targets:
            self.edge(flow.file, target, flow.kind, f"{flow.iri}#{target}", attrs)

    def add_entrustment(self, flow: _Flow, attrs: dict) -> None:
        row = flow.row
        attrs.update(title=_text(row, "title"), branch=_text(row, "branch"),
                     subcontracting=row["subcontracting"].toPython() if "subcontracting" in row else None)
        contractors = self.distinct_parties(r for r in flow.parties if str(r["role"]) == "contractor")
        targets = [self.party(r, flow.report) for r in contractors]
        if not targets:
            targets = [self.node(f"{flow.iri}#contractor", "contractor", "委託先不明", flow.report, unknown=True)]
        for contractor in targets:
            self.edge(flow.file, contractor, "entrustment", f"{flow.iri}#{contractor}", attrs)
            if attrs["subcontracting"]:
                items = _text(row, "subcontractItems")
                sub = self.node(f"{flow.iri}#subcontractor", "subcontractor",
                                f"再委託先 ({self.graph.nodes[contractor]['label']})", flow.report,
                                evidence=flow.report.evidence(row), items=items)
                # `after`: only data that came through this 委託 goes on to its 再委託先 — the same
                # contractor's other contracts do not.
                self.edge(contractor, sub, "subcontracting", f"{flow.iri}#subcontracting",
                          {**flow.report.evidence(row)}, flow=f"{flow.iri}#subcontracting", after=flow.iri,
                          subcontract_items=items, methods=[], risky_methods=[], risky=None)

    @staticmethod
    def distinct_parties(parties) -> list[dict[str, Node]]:
        """One row per party (a node typed twice comes back twice); departments first."""
        rank = {str(PIA.Department): 0, str(PIA.Contractor): 1, str(PIA.Organization): 2}
        best: dict[str, dict[str, Node]] = {}
        for row in parties:
            key = str(row["party"])
            current = best.get(key)
            if current is None or rank.get(str(row.get("type")), 3) < rank.get(str(current.get("type")), 3):
                best[key] = row
        return [best[k] for k in sorted(best)]


def flow_graph_from_facts(facts: FlowFacts, *, link: bool = True) -> nx.MultiDiGraph:
    """The flow graph of already fetched rows, with cross-report links unless `link` is False."""
    graph = FlowGraphBuilder(facts).build()
    if link:
        link_graph(graph)
    return graph


def build_flow_graph(store: Store, scope: Scope | None = None, *, link: bool = True) -> nx.MultiDiGraph:
    """The flow graph of a scope (default: every current report in the store)."""
    scope = scope or Scope()
    graph = flow_graph_from_facts(fetch(store, scope), link=link)
    graph.graph["scope"] = scope.description
    return graph


def without_kinds(graph: nx.MultiDiGraph, kinds) -> nx.MultiDiGraph:
    """A copy of the graph without the nodes of the given kinds (e.g. systems, for a flows-only view)."""
    kept = graph.subgraph(n for n, d in graph.nodes(data=True) if d["kind"] not in kinds).copy()
    kept.graph.update(graph.graph)
    return kept


UPSTREAM_STRUCTURE = ("holds", "responsible")
"""Structure that carries data *to* a file: 事務 → file (保有), 担当部署 → 事務 (担当)."""

DOWNSTREAM_STRUCTURE = ("uses", "canonical", "connection")
"""Structure that hangs *from* a 事務: its systems and what they connect to."""


def _flow_passes(source: str, target: str, data: dict, kinds, methods, contractor: str | None) -> bool:
    if kinds is not None and data["kind"] not in kinds:
        return False
    if methods and not set(data.get("methods") or ()) & set(methods):
        return False
    if contractor:
        return data["kind"] in ("entrustment", "subcontracting") and contractor in (source, target)
    return True


def filtered(graph: nx.MultiDiGraph, *, kinds=None, methods=None, contractor: str | None = None) -> nx.MultiDiGraph:
    """A view for auditors that shows only what the filters keep.

    Without a narrowing filter (every flow kind, no method, no contractor) the graph is returned
    whole. Otherwise the view holds the flows that pass — of the given kinds, over one of the given
    methods, and with `contractor` only that contractor's 委託 and its 再委託 — and the structure
    that carries them: the 事務 holding their files and the departments running those 事務 (and,
    from those 事務, their systems); every other flow and node is hidden.
    """
    if (kinds is None or set(kinds) >= set(FLOW_KINDS)) and not methods and not contractor:
        return graph.copy()
    kept = nx.MultiDiGraph(**graph.graph)
    for source, target, key, data in graph.edges(keys=True, data=True):
        if data["kind"] in FLOW_KINDS and _flow_passes(source, target, data, kinds, methods, contractor):
            kept.add_edge(source, target, key=key, **data)
    grown = True
    while grown:  # the structure around the kept flows: a few rounds (file → 事務 → 部署, 事務 → システム → …)
        grown = False
        for source, target, key, data in graph.edges(keys=True, data=True):
            if kept.has_edge(source, target, key):
                continue
            kind = data["kind"]
            upstream = kind in UPSTREAM_STRUCTURE and target in kept
            downstream = kind in DOWNSTREAM_STRUCTURE and source in kept and graph.nodes[source]["kind"] != "file"
            linked = kind == "same-as" and source in kept and target in kept
            if upstream or downstream or linked:
                kept.add_edge(source, target, key=key, **data)
                grown = True
    for node in kept.nodes:
        kept.nodes[node].update(graph.nodes[node])
    return kept


def reached_subgraph(graph: nx.MultiDiGraph, nodes) -> nx.MultiDiGraph:
    """The part of the graph spanned by a trace's nodes."""
    view = graph.subgraph(nodes).copy()
    view.graph.update(graph.graph)
    return view
