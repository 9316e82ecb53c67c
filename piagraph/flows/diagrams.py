"""Diagrams of a flow graph: DOT (rendered to SVG/PNG by Graphviz), GraphML and JSON.

* DOT: Japanese labels in Noto Sans CJK JP (Debian ``fonts-noto-cjk``), each report's 事務, files and
  systems in a box, and a legend: one edge style per flow kind (入手, 移転, 提供, 委託, 再委託, 構造,
  同一) and one colour per channel risk (risky channel, other channels, no method stated). Every
  name is written as a quoted DOT string, so a name like ``<script>`` stays text in the SVG.
* SVG and PNG: ``dot -Tsvg`` / ``dot -Tpng`` (Debian ``graphviz``).
* GraphML (networkx) for yEd, Gephi and Cytoscape; list attributes are joined with ``、``.
* JSON for the app: ``{"scope", "nodes": [{"id", …}], "edges": [{"source", "target", "key", …}]}``.
* Cytoscape.js elements for the app's interactive diagram (`to_cytoscape`): the same styles as the
  DOT output (one table, `NODE_STYLES` and `EDGE_STYLES`), each report's nodes in a compound box.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from html import escape

import networkx as nx

from ontology.errors import DiagramError
from piagraph.flows.kinds import EDGE_KINDS, FLOW_KINDS, NODE_KINDS

FONT = "Noto Sans CJK JP"
FORMATS = ("svg", "png", "dot", "graphml", "json")
LABEL_WIDTH = 16
"""Characters per line of a node label before it wraps."""

RISK_COLOURS = {True: "#d62728", False: "#1f5fa8", None: "#333333"}
"""Edge colour by channel risk: a risky channel among the methods, only other channels, none stated."""

RISK_LEGEND = {
    True: "リスクの高い方法 (紙・電子記録媒体・フラッシュメモリ・電子メール)",
    False: "その他の方法 (専用線・庁内連携システム・情報提供ネットワークシステム …)",
    None: "方法の記載なし",
}

EDGE_STYLES = {
    "acquisition": {"style": "solid"},
    "transfer": {"style": "bold"},
    "provision": {"style": "dashed", "penwidth": "1.6"},
    "entrustment": {"style": "dotted", "penwidth": "1.6"},
    "subcontracting": {"style": "dotted", "penwidth": "1.0", "arrowhead": "veevee"},
    "structure": {"style": "solid", "color": "#9a9a9a", "penwidth": "0.7", "arrowhead": "empty"},
    "same-as": {"style": "dashed", "color": "#9a9a9a", "dir": "both", "arrowhead": "none", "arrowtail": "none"},
}
"""Edge style by kind; ``structure`` covers 保有, 担当, 利用, 接続 and 共通システム."""

STRUCTURE_LEGEND = "構造 (保有・担当・利用・接続・共通システム)"

NODE_STYLES = {
    "affair": {"shape": "box", "style": "filled,bold", "fillcolor": "#fff2cc"},
    "file": {"shape": "note", "style": "filled", "fillcolor": "#ffe0b3"},
    "department": {"shape": "box", "style": "filled,rounded", "fillcolor": "#e2efda"},
    "organization": {"shape": "ellipse", "style": "filled", "fillcolor": "#deebf7"},
    "source": {"shape": "ellipse", "style": "filled,dashed", "fillcolor": "#f2f2f2"},
    "contractor": {"shape": "house", "style": "filled", "fillcolor": "#f4cccc"},
    "subcontractor": {"shape": "house", "style": "filled,dashed", "fillcolor": "#fbe5e5"},
    "system": {"shape": "cylinder", "style": "filled", "fillcolor": "#ededed"},
    "canonical-system": {"shape": "hexagon", "style": "filled", "fillcolor": "#d9d2e9"},
}


SHAPE_NAMES = {"box": "四角", "note": "付箋", "ellipse": "楕円", "house": "家形", "cylinder": "円柱", "hexagon": "六角形"}


# --- DOT ----------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids: SVG and GraphML are XML, so a name holding one would break the file."""


def xml_text(text: str) -> str:
    """`text` with the characters XML forbids shown as U+FFFD (a report's name may hold any control)."""
    return _NOT_XML.sub("\ufffd", text)


def quote(text: str, *, tooltip: bool = False) -> str:
    """A DOT double-quoted string holding `text` literally: no escString codes (``\\N``), no HTML
    entities (Graphviz reads ``&lt;`` in any label as ``<``, and writes a bare ``&`` of a URL into SVG
    as it is) and no characters XML forbids. Graphviz unescapes a tooltip twice (``\\\\N`` would
    show the node's id), so a tooltip's backslashes are doubled twice."""
    backslash = "\\" * (4 if tooltip else 2)
    escaped = xml_text(str(text).replace("\r", "")).replace("&", "&amp;").replace("\\", backslash).replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """Break a long Japanese name into lines (at spaces when possible)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
            continue
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        lines.append(word)
    return "\n".join(lines)


def _attributes(attrs: dict[str, str]) -> str:
    return ", ".join(f"{name}={quote(value, tooltip=name == 'tooltip')}" for name, value in attrs.items())


def method_text(data: dict) -> str:
    """The methods of a flow, その他 with what its ( … ) says."""
    methods = [f"その他({data['method_detail']})" if m == "その他" and data.get("method_detail") else m
               for m in data.get("methods") or []]
    return "・".join(methods)


def edge_style(data: dict) -> dict[str, str]:
    kind = data["kind"]
    style = dict(EDGE_STYLES.get(kind, EDGE_STYLES["structure"]))
    if kind == "connection":
        style["constraint"] = "false"  # let the flows, not the system wiring, shape the layout
    if kind in FLOW_KINDS:
        style["color"] = RISK_COLOURS[data.get("risky")]
        label = data["kind_label"]
        # 入手方法 belong to the file (the form asks them once per file): shown on the file node.
        if data.get("methods") and data.get("methods_scope") != "file":
            label += "\n" + wrap(method_text(data), 20)
        style["label"] = label
        style["fontcolor"] = style["color"]
        style["tooltip"] = " ".join(str(x) for x in (data.get("report"), data.get("section"),
                                                      f"L{data['line']}" if data.get("line") else None) if x)
    return style


def _node_ids(graph: nx.MultiDiGraph) -> dict[str, str]:
    ordered = sorted(graph.nodes, key=lambda n: (graph.nodes[n]["kind"], graph.nodes[n]["label"], n))
    return {node: f"n{index}" for index, node in enumerate(ordered)}


def _clusters(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Report graph → its own 事務, files and systems (drawn together in a box)."""
    clusters: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data["kind"] in ("affair", "file", "system") and data.get("graph"):
            clusters[data["graph"]].append(node)
    return clusters


def _cluster_title(graph: nx.MultiDiGraph, nodes: list[str]) -> str:
    affair = next((graph.nodes[n] for n in nodes if graph.nodes[n]["kind"] == "affair"), None)
    if affair is None:
        return ""
    return f"{affair.get('body', '')} {affair['label']}\n({affair.get('report', '')})"


def to_dot(graph: nx.MultiDiGraph, title: str | None = None, *, legend: bool = True,
           node_url: Callable[[str], str] | None = None) -> str:
    """The flow graph as a Graphviz DOT document (UTF-8 text).

    `node_url` gives each node a link (in SVG output), e.g. the app's "trace from this node" URL.
    """
    ids = _node_ids(graph)
    title = title if title is not None else graph.graph.get("scope", "")
    lines = [
        "digraph flows {",
        f"  graph [{_attributes({'charset': 'UTF-8', 'rankdir': 'LR', 'fontname': FONT, 'fontsize': '14', 'labelloc': 't', 'label': title, 'nodesep': '0.25', 'ranksep': '0.9', 'newrank': 'true'})}];",
        f"  node [{_attributes({'fontname': FONT, 'fontsize': '10'})}];",
        f"  edge [{_attributes({'fontname': FONT, 'fontsize': '8'})}];",
    ]
    clustered: set[str] = set()
    for index, (report, nodes) in enumerate(sorted(_clusters(graph).items())):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    graph [{_attributes({'label': _cluster_title(graph, nodes), 'style': 'rounded', 'color': '#b0b0b0', 'fontsize': '11'})}];")
        for node in sorted(nodes, key=ids.get):
            lines.append(f"    {_node_line(graph, node, ids, node_url)}")
            clustered.add(node)
        lines.append("  }")
    for node in sorted(graph.nodes, key=ids.get):
        if node not in clustered:
            lines.append(f"  {_node_line(graph, node, ids, node_url)}")
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2])):
        if data["kind"] == "same-as" and ids[source] > ids[target]:
            continue  # one line for the pair
        lines.append(f"  {ids[source]} -> {ids[target]} [{_attributes(edge_style(data))}];")
    if legend:
        lines += legend_lines(graph)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_line(graph: nx.MultiDiGraph, node: str, ids: dict[str, str],
               node_url: Callable[[str], str] | None = None) -> str:
    data = graph.nodes[node]
    attrs = dict(NODE_STYLES.get(data["kind"], {}))
    attrs["label"] = wrap(data["label"])
    acquisition = _acquisition_methods(graph, node) if data["kind"] == "file" else ""
    if acquisition:
        attrs["label"] += "\n" + wrap(f"入手方法: {acquisition}", 24)
    attrs["tooltip"] = f"{data['kind_label']}: {data['label']}"
    if node_url is not None:
        attrs["URL"] = node_url(node)
        attrs["target"] = "_top"
    return f"{ids[node]} [{_attributes(attrs)}];"


def _acquisition_methods(graph: nx.MultiDiGraph, node: str) -> str:
    for _, _, data in graph.in_edges(node, data=True):
        if data["kind"] == "acquisition" and data.get("methods"):
            return method_text(data)
    return ""


LEGEND_EDGES = {
    "acquisition": "───▶ 実線",
    "transfer": "━━━▶ 太線",
    "provision": "╍╍╍▶ 破線",
    "entrustment": "┈┈┈▶ 点線",
    "subcontracting": "┈┈┈≫ 点線・二重矢",
}
"""How each flow kind's edge style reads in the legend."""


def _shape_text(style: dict[str, str]) -> str:
    words = [SHAPE_NAMES.get(style["shape"], style["shape"])]
    if "rounded" in style["style"]:
        words.insert(0, "角丸")
    if "bold" in style["style"]:
        words.insert(0, "太枠")
    if "dashed" in style["style"]:
        words.append("(破線枠)")
    return "".join(words)


def legend_lines(graph: nx.MultiDiGraph) -> list[str]:
    """A 凡例 node (an HTML-like table): node kinds present, edge style per kind, colour per risk.

    One table node keeps the legend compact wherever the layout puts it; its text is fixed here and
    escaped all the same.
    """
    kinds = [k for k in NODE_KINDS if any(d["kind"] == k for _, d in graph.nodes(data=True))]
    rows = ['<TR><TD COLSPAN="2"><B>凡例 (legend)</B></TD></TR>']
    for kind in kinds:
        fill = NODE_STYLES[kind]["fillcolor"]
        rows.append(f'<TR><TD BGCOLOR="{fill}">{escape(NODE_KINDS[kind])}</TD>'
                    f'<TD ALIGN="LEFT">{escape(_shape_text(NODE_STYLES[kind]))}</TD></TR>')
    for kind, sample in LEGEND_EDGES.items():
        rows.append(f'<TR><TD>{escape(EDGE_KINDS[kind])}</TD><TD ALIGN="LEFT">{escape(sample)}</TD></TR>')
    rows.append(f'<TR><TD>{escape(STRUCTURE_LEGEND)}</TD><TD ALIGN="LEFT"><FONT COLOR="#9a9a9a">───▷ 灰色</FONT></TD></TR>')
    rows.append('<TR><TD>同一 (名寄せ)</TD><TD ALIGN="LEFT"><FONT COLOR="#9a9a9a">╌╌╌ 灰色破線</FONT></TD></TR>')
    for risk, colour in RISK_COLOURS.items():
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{colour}">━━━▶ {escape(RISK_LEGEND[risk])}</FONT></TD></TR>')
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">' + "".join(rows) + "</TABLE>"
    return [f"  legend [shape=plaintext, fontsize=9, label=<{table}>];"]


# --- rendering ----------------------------------------------------------------------------------

def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def render_dot(dot: str, fmt: str) -> bytes:
    """Run Graphviz ``dot`` to turn DOT text into SVG or PNG bytes."""
    executable = shutil.which("dot")
    if executable is None:
        raise DiagramError("Graphviz `dot` is not installed (Debian: apt-get install graphviz fonts-noto-cjk)")
    try:
        done = subprocess.run([executable, f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise DiagramError("Graphviz `dot` took more than 10 minutes: choose a smaller scope") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiagramError(f"Graphviz `dot -T{fmt}` failed: {message[0] if message else done.returncode}")
    return done.stdout


# --- GraphML and JSON ---------------------------------------------------------------------------

def _plain_value(value):
    if isinstance(value, (list, tuple, set)):
        value = "、".join(str(v) for v in value)
    return xml_text(value) if isinstance(value, str) else value


def _plain_attributes(data: dict) -> dict:
    return {k: _plain_value(v) for k, v in data.items() if v is not None and v != [] and v != ""}


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML with scalar attributes (lists joined with ``、``) and ``label`` on every node."""
    plain = nx.MultiDiGraph()
    plain.graph.update({k: xml_text(str(v)) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **_plain_attributes(data))
    for source, target, key, data in graph.edges(keys=True, data=True):
        plain.add_edge(source, target, key=key, **_plain_attributes(data))
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer, encoding="utf-8")
    return buffer.getvalue()


def to_json(graph: nx.MultiDiGraph) -> dict:
    """Nodes and edges with all their attributes, for the app."""
    def clean(data: dict) -> dict:
        return {k: v for k, v in data.items() if v is not None}

    return {
        "scope": graph.graph.get("scope", ""),
        "node_kinds": NODE_KINDS,
        "edge_kinds": EDGE_KINDS,
        "nodes": [{"id": node, **clean(data)} for node, data in sorted(graph.nodes(data=True))],
        "edges": [{"source": u, "target": v, "key": k, **clean(d)}
                  for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))],
    }


# --- Cytoscape.js -------------------------------------------------------------------------------

CYTOSCAPE_SHAPES = {"box": "rectangle", "note": "cut-rectangle", "ellipse": "ellipse", "house": "pentagon",
                    "cylinder": "barrel", "hexagon": "hexagon"}
"""Graphviz shape → the nearest Cytoscape.js shape."""

CYTOSCAPE_LINES = {"solid": ("solid", 1.2), "bold": ("solid", 3.0), "dashed": ("dashed", 1.6), "dotted": ("dotted", 1.6)}
"""Graphviz edge style → Cytoscape.js line style and width."""

_CHARACTER_PX = 11.5
"""Width of one full-width character at the diagram's font size, for sizing nodes to their labels."""


def _cytoscape_node(graph: nx.MultiDiGraph, node: str, parent: str | None) -> dict:
    data = graph.nodes[node]
    style = NODE_STYLES.get(data["kind"], {})
    label = wrap(data["label"])
    acquisition = _acquisition_methods(graph, node) if data["kind"] == "file" else ""
    if acquisition:
        label += "\n" + wrap(f"入手方法: {acquisition}", 20)
    lines = label.split("\n")
    shape = CYTOSCAPE_SHAPES.get(style.get("shape", "box"), "rectangle")
    if shape == "rectangle" and "rounded" in style.get("style", ""):
        shape = "round-rectangle"
    element = {
        "id": node, "label": xml_text(label), "name": xml_text(data["label"]), "kind": data["kind"],
        "kindLabel": data["kind_label"], "shape": shape, "fill": style.get("fillcolor", "#ffffff"),
        "borderWidth": 2.5 if "bold" in style.get("style", "") else 1,
        "borderStyle": "dashed" if "dashed" in style.get("style", "") else "solid",
        "width": round(max(len(line) for line in lines) * _CHARACTER_PX + 22),
        "height": round(len(lines) * 15 + 16),
    }
    if parent:
        element["parent"] = parent
    return {"data": element}


def _cytoscape_edge(graph: nx.MultiDiGraph, source: str, target: str, key: str, data: dict, index: int) -> dict:
    style = edge_style(data)
    kind = data["kind"]
    line_style, width = CYTOSCAPE_LINES.get(style.get("style", "solid"), ("solid", 1.2))
    if kind == "same-as":
        line_style = "dashed"
    structural = kind not in FLOW_KINDS
    return {"data": {
        "id": f"e{index}", "source": source, "target": target, "kind": kind,
        "label": xml_text(style.get("label", "")), "colour": style.get("color", "#333333"),
        "lineStyle": line_style, "width": 0.8 if structural else width,
        "arrow": "none" if kind == "same-as" else ("vee" if kind == "subcontracting" else "triangle"),
        "arrowFill": "hollow" if structural else "filled",
        # Links and system wiring may run within a rank; flows and structure set the left-to-right order.
        "minLen": 0 if kind in ("same-as", "connection") else 1,
        "weight": 0 if kind in ("same-as", "connection") else (2 if kind in FLOW_KINDS else 1),
    }}


def to_cytoscape(graph: nx.MultiDiGraph) -> dict:
    """The graph as Cytoscape.js elements (``{"nodes": [{"data": …}], "edges": […]}``) for the
    app's diagram: each report's 事務, files and systems inside a box titled with its body and 事務,
    node and edge styles as in the DOT output. Labels are data, drawn as text on a canvas."""
    nodes, parents = [], {}
    for index, (report, members) in enumerate(sorted(_clusters(graph).items())):
        cluster = f"cluster:{index}"
        nodes.append({"data": {"id": cluster, "label": xml_text(_cluster_title(graph, members)), "kind": "cluster"},
                      "classes": "cluster"})
        parents.update(dict.fromkeys(members, cluster))
    ids = _node_ids(graph)
    for node in sorted(graph.nodes, key=ids.get):
        nodes.append(_cytoscape_node(graph, node, parents.get(node)))
    edges = []
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]))
    for index, (source, target, key, data) in enumerate(ordered):
        if data["kind"] == "same-as" and ids[source] > ids[target]:
            continue  # one line for the pair
        edges.append(_cytoscape_edge(graph, source, target, key, data, index))
    return {"nodes": nodes, "edges": edges}


def export(graph: nx.MultiDiGraph, fmt: str, title: str | None = None) -> bytes:
    """The flow graph in one of `FORMATS`, as bytes ready to write."""
    if fmt == "dot":
        return to_dot(graph, title).encode("utf-8")
    if fmt in ("svg", "png"):
        return render_dot(to_dot(graph, title), fmt)
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "json":
        return (json.dumps(to_json(graph), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    raise ValueError(f"unknown diagram format {fmt!r} (one of {', '.join(FORMATS)})")
