"""The auditor's questions over a flow graph (`piagraph.flows`).

* `trace_from`: everything the data of a node can reach (移転, 提供, 委託 … onwards), with a path each;
* `trace_to`: everything that feeds a node;
* `evidence_path`: the shortest chain of flows from one node to another, each step with its evidence;
* `hubs`: where data concentrates (centrality);
* `risky_flows`: flows over risky channels (紙, 電子記録媒体, フラッシュメモリ, 電子メール).

A node is named by its id (IRI) or its Japanese label (`find_node`). Traversal honours the
``after`` attribute of 再委託 edges: data reaches a 再委託先 only through the 委託 it belongs to.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from dataclasses import dataclass

import networkx as nx

from ontology.errors import NodeNotFoundError
from piagraph.flows.kinds import FLOW_KINDS


@dataclass(frozen=True)
class Step:
    """One edge of a path: from `source` to `target`, with the edge's attributes."""

    source: str
    target: str
    key: str
    data: dict


@dataclass(frozen=True)
class Reach:
    """A node reached by a trace, and one shortest path to it (or from it, for `trace_to`)."""

    node: str
    path: tuple[Step, ...]

    @property
    def distance(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class Hub:
    node: str
    label: str
    kind: str
    score: float
    inbound: int
    outbound: int


# --- naming nodes -------------------------------------------------------------------------------

def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def describe(graph: nx.MultiDiGraph, node: str) -> str:
    """``label (kind, body)`` for messages and listings."""
    data = graph.nodes[node]
    where = f", {data['body']}" if data.get("body") else ""
    return f"{data['label']} ({data['kind_label']}{where})"


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node named `name`: its id or IRI, its label, ``BODY LABEL``, or words all found in its body,
    label and kind (``みどり市 後期高齢者医療 事務``).

    The first of those tiers that matches decides; several matches in it are an error listing them.
    """
    wanted = name.strip().strip("<>")
    if wanted in graph:
        return wanted
    tiers = [
        [n for n, d in graph.nodes(data=True) if d.get("iri") == wanted],
        [n for n, d in graph.nodes(data=True) if _plain(d["label"]) == _plain(wanted)],
        [n for n, d in graph.nodes(data=True) if _plain(d.get("body", "") + d["label"]) == _plain(wanted)],
    ]
    words = [_plain(w) for w in unicodedata.normalize("NFKC", wanted).split()]
    tiers.append([n for n, d in graph.nodes(data=True)
                  if all(w in _plain(d.get("body", "") + d["label"] + d["kind_label"]) for w in words)])
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listing = "; ".join(f"{describe(graph, n)} <{n}>" for n in sorted(found, key=lambda n: describe(graph, n))[:20])
            more = f" … and {len(found) - 20} more" if len(found) > 20 else ""
            raise NodeNotFoundError(f"{name!r} matches {len(found)} nodes: {listing}{more}")
    raise NodeNotFoundError(f"no node named {name!r} in the flow graph")


# --- traversal ----------------------------------------------------------------------------------

def _ordered(edges):
    return sorted(edges, key=lambda e: (e[0], e[1], e[2]))


def _walk(graph: nx.MultiDiGraph, start: str, *, reverse: bool, stop: str | None = None) -> dict[str, tuple[Step, ...]]:
    """Breadth-first walk; the first path found to (or from) each node.

    A state is (node, gate): going forward, the gate is the flow the walk arrived by, needed to pass
    a 再委託 edge (``after``); going backward, it is the flow the previous edge must be.
    """
    gated = {u for u, _, d in graph.edges(data=True) if d.get("after")}
    first_path: dict[str, tuple[Step, ...]] = {start: ()}
    seen = {(start, None)}
    queue = deque([((start, None), ())])
    while queue:
        (node, gate), path = queue.popleft()
        if reverse:
            edges = _ordered(graph.in_edges(node, keys=True, data=True))
        else:
            edges = _ordered(graph.out_edges(node, keys=True, data=True))
        for source, target, key, data in edges:
            after = data.get("after")
            if reverse:
                if gate is not None and data.get("flow") != gate:
                    continue
                nxt, new_gate = source, after
            else:
                if after is not None and after != gate:
                    continue
                nxt, new_gate = target, data.get("flow")
            # Only the nodes a gated edge leaves from need to remember how they were reached.
            if not reverse and nxt not in gated:
                new_gate = None
            state = (nxt, new_gate)
            if state in seen:
                continue
            seen.add(state)
            step = Step(source, target, key, data)
            new_path = (step,) + path if reverse else path + (step,)
            first_path.setdefault(nxt, new_path)
            if nxt == stop:
                return first_path
            queue.append((state, new_path))
    return first_path


def _reaches(graph: nx.MultiDiGraph, paths: dict[str, tuple[Step, ...]], start: str) -> list[Reach]:
    reached = [Reach(node, path) for node, path in paths.items() if node != start]
    return sorted(reached, key=lambda r: (r.distance, graph.nodes[r.node]["kind"], graph.nodes[r.node]["label"], r.node))


def trace_from(graph: nx.MultiDiGraph, start: str) -> list[Reach]:
    """Every node the data of `start` can reach, nearest first, each with one shortest path."""
    return _reaches(graph, _walk(graph, start, reverse=False), start)


def trace_to(graph: nx.MultiDiGraph, end: str) -> list[Reach]:
    """Every node whose data can reach `end`, nearest first, each with a shortest path to `end`."""
    return _reaches(graph, _walk(graph, end, reverse=True), end)


def evidence_path(graph: nx.MultiDiGraph, start: str, end: str) -> tuple[Step, ...] | None:
    """The shortest chain of edges from `start` to `end` (None when the data cannot get there)."""
    if start == end:
        return ()
    return _walk(graph, start, reverse=False, stop=end).get(end)


# --- hubs and risky channels --------------------------------------------------------------------

CENTRALITY = ("degree", "betweenness", "pagerank")


def hubs(graph: nx.MultiDiGraph, top: int = 10, measure: str = "degree", kinds: tuple[str, ...] | None = None) -> list[Hub]:
    """The `top` nodes by centrality over the data-carrying edges (``same-as`` links merged away).

    ``degree`` is cheap at any scale; ``betweenness`` samples at most 500 sources on large graphs.
    """
    if measure not in CENTRALITY:
        raise ValueError(f"unknown centrality {measure!r} (one of {', '.join(CENTRALITY)})")
    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v, d in graph.edges(data=True) if d["kind"] != "same-as")
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        sample = min(len(simple), 500) if len(simple) > 500 else None
        scores = nx.betweenness_centrality(simple, k=sample, seed=0)
    else:
        scores = nx.pagerank(simple)
    ranked = [
        Hub(node, graph.nodes[node]["label"], graph.nodes[node]["kind"], score,
            simple.in_degree(node), simple.out_degree(node))
        for node, score in scores.items()
        if kinds is None or graph.nodes[node]["kind"] in kinds
    ]
    ranked.sort(key=lambda h: (-h.score, h.label, h.node))
    return ranked[:top]


def risky_flows(graph: nx.MultiDiGraph, kinds: tuple[str, ...] = FLOW_KINDS) -> list[Step]:
    """Flows whose methods include a risky channel (紙, 電子記録媒体, フラッシュメモリ, 電子メール).

    入手 edges carry the file's 入手方法 (the form asks them per file), so they are listed too.
    """
    found = [Step(u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
             if d["kind"] in kinds and d.get("risky")]
    return sorted(found, key=lambda s: (s.data.get("report", ""), s.data.get("line") or 0, s.key))


# --- text for people ----------------------------------------------------------------------------

def step_text(graph: nx.MultiDiGraph, step: Step) -> str:
    """``A —移転 [庁内連携システム]→ B   (report II-5 移転先2 L159; 根拠 …)``."""
    data = step.data
    how = data["kind_label"]
    if data.get("methods"):
        how += " [" + "、".join(data["methods"]) + "]"
    if data.get("rule"):
        how += f" [{data['rule']}]"
    where = [x for x in (data.get("report"), data.get("section"), f"L{data['line']}" if data.get("line") else None) if x]
    extra = f"   ({' '.join(where)}" + (f"; 根拠 {_short(data['legal_basis'])}" if data.get("legal_basis") else "") + ")" if where else ""
    return f"{graph.nodes[step.source]['label']} —{how}→ {graph.nodes[step.target]['label']}{extra}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def step_record(graph: nx.MultiDiGraph, step: Step) -> dict:
    """A step as plain JSON-ready data."""
    data = {k: v for k, v in step.data.items() if v is not None and v != []}
    return {"from": step.source, "from_label": graph.nodes[step.source]["label"],
            "to": step.target, "to_label": graph.nodes[step.target]["label"], **data}
