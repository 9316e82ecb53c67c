"""Where personal numbers flow: the flow model of a scope, traced and drawn.

* `piagraph.flows.scope` — which report graphs (one report, one body, every current report);
* `piagraph.flows.facts` — the SELECTs that fetch a scope's facts from the store;
* `piagraph.flows.kinds` — node and edge kinds with their Japanese names (the one table);
* `piagraph.flows.model` — the networkx graph built from those facts, and views of it;
* `piagraph.flows.linking` — ``same-as`` links between reports that name the same unit or body;
* `piagraph.flows.tracing` — trace from / to a node, evidence paths, hubs, risky channels;
* `piagraph.flows.diagrams` — DOT, SVG, PNG, GraphML and JSON.
"""

from piagraph.flows.kinds import EDGE_KINDS, FLOW_KINDS, NODE_KINDS
from piagraph.flows.model import build_flow_graph, filtered, reached_subgraph, without_kinds
from piagraph.flows.scope import Scope, catalog_reports, municipality_scope, report_scope

__all__ = ["EDGE_KINDS", "FLOW_KINDS", "NODE_KINDS", "Scope", "build_flow_graph", "catalog_reports", "filtered",
           "municipality_scope", "reached_subgraph", "report_scope", "without_kinds"]
