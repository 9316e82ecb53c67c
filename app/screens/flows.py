"""データフロー: where personal numbers flow — scope, filters, risky channels, click a node to trace.

The page's state lives in its URL: ``?scope=report&report=<key>&node=<id>`` (or ``scope=municipality&
body=…``, ``scope=all``), so a trace can be shared as a link and survives reruns. A click on a node of
the diagram (`app.components.flowgraph`) sets ``node``; choosing another report or scope clears it.
全国 (``scope=all``) is aggregated (`views.national_overview`: shared systems, contractors, risky
channels), never one diagram of every flow, with a way down to one body's diagram.
"""

from html import escape
from urllib.parse import urlencode

import streamlit as st

from app.common import (
    bind_query_param,
    body_names,
    empty_store_hint,
    generation,
    pick_report,
    set_query_param,
    show_table,
    store,
)
from app.components.flowgraph import flow_diagram
from piagraph import views
from piagraph.flows import (
    EDGE_KINDS,
    FLOW_KINDS,
    NODE_KINDS,
    build_flow_graph,
    filtered,
    reached_subgraph,
    without_kinds,
)
from piagraph.flows.diagrams import (
    LEGEND_EDGES,
    NODE_STYLES,
    RISK_COLOURS,
    RISK_LEGEND,
    STRUCTURE_LEGEND,
    export,
    graphviz_available,
    to_cytoscape,
)
from piagraph.flows.scope import municipality_scope, report_scope
from piagraph.flows.tracing import trace_from

SCOPES = {"report": "評価書", "municipality": "自治体", "all": "全国"}


@st.cache_data(show_spinner="フローを構築中…")
def _flow_graph(scope_kind: str, scope_value: str, _generation: str):
    """The flow graph of one report or one body (全国 is shown aggregated, `_national`)."""
    if scope_kind == "municipality":
        return build_flow_graph(store(), municipality_scope(store(), scope_value))
    return build_flow_graph(store(), report_scope(store(), scope_value))


def _legend() -> str:
    """凡例 as a small HTML table (fixed text from the diagram's style tables)."""
    rows = [f'<tr><td style="background:{NODE_STYLES[kind]["fillcolor"]};padding:2px 8px">{escape(name)}</td>'
            f'<td style="padding:2px 8px">ノード</td></tr>' for kind, name in NODE_KINDS.items()]
    rows += [f'<tr><td style="padding:2px 8px">{escape(EDGE_KINDS[kind])}</td><td style="padding:2px 8px">{escape(sample)}</td></tr>'
             for kind, sample in LEGEND_EDGES.items()]
    rows.append(f'<tr><td style="padding:2px 8px">{escape(STRUCTURE_LEGEND)}</td><td style="padding:2px 8px;color:#9a9a9a">───▷ 灰色</td></tr>')
    rows += [f'<tr><td colspan="2" style="padding:2px 8px;color:{colour}">━━━▶ {escape(RISK_LEGEND[risk])}</td></tr>'
             for risk, colour in RISK_COLOURS.items()]
    return f'<table style="border-collapse:collapse;font-size:0.85rem">{"".join(rows)}</table>'


@st.cache_data(show_spinner="全国の集計を読込中…")
def _national_overview(_generation: str) -> views.NationalOverview:
    return views.national_overview(store())


def _open_body(body: str) -> None:
    """Go down from 全国 to one body's diagram (自治体 scope), as a link would."""
    set_query_param(None, "scope", ("node", "report"), value="municipality")
    set_query_param(None, "body", (), value=body)  # the URL wins over the pickers' state (bind_query_param)


def _bar_chart(rows: list[dict], label: str, value: str, top: int = 20) -> None:
    """The first `top` rows as horizontal bars (a chart an auditor can paste), largest first."""
    shown = rows[:top]
    if shown:
        st.bar_chart({label: [row[label] for row in shown], value: [row[value] for row in shown]},
                     x=label, y=value, horizontal=True, sort=f"-{value}", height=40 + 26 * len(shown))


def _national(bodies: list[str]) -> None:
    """全国: aggregates of every current report, and a way down to one body."""
    overview = _national_overview(generation())
    st.subheader("共通システムと利用する機関")
    _bar_chart(overview.shared_systems, "共通システム", "機関数")
    show_table(overview.shared_systems, "national-shared-systems", sheet="共通システム")
    st.subheader("委託先と委託元の機関")
    _bar_chart(overview.contractors, "委託先", "機関数")
    show_table(overview.contractors, "national-contractors", sheet="委託先")
    st.subheader("リスクのある方法(紙・電子記録媒体・フラッシュメモリ・電子メール)")
    st.bar_chart({"方法": [row["方法"] for row in overview.risky_channels],
                  "フロー数": [row["フロー数"] for row in overview.risky_channels],
                  "種類": [row["種類"] for row in overview.risky_channels]},
                 x="方法", y="フロー数", color="種類", horizontal=True, stack=True)
    show_table(overview.risky_channels, "national-risky-channels", sheet="リスクのある方法")

    st.subheader("一つの機関へ")
    names = {"shared_systems": [row["共通システム"] for row in overview.shared_systems],
             "contractors": [row["委託先"] for row in overview.contractors]}
    left, middle, right = st.columns([1, 2, 2])
    by = left.radio("絞り込み", ["all", *names], horizontal=False, key="national-by",
                    format_func={"all": "すべての機関", "shared_systems": "共通システム", "contractors": "委託先"}.get)
    choices = bodies
    if by != "all":
        name = middle.selectbox("共通システム" if by == "shared_systems" else "委託先", names[by], key=f"national-{by}")
        choices = sorted(overview.bodies_of(by, name)) if name else []
    body = right.selectbox("評価実施機関", choices, key="national-body", placeholder="選択してください")
    if body and st.button("この機関のデータフローを開く", type="primary"):
        _open_body(body)
        st.rerun()


st.title("データフロー")
bodies = body_names(generation())
if not bodies:
    empty_store_hint()
    st.stop()

scope_kind = bind_query_param("flow-scope", "scope", list(SCOPES), "report")
st.radio("範囲", list(SCOPES), format_func=SCOPES.get, horizontal=True, key="flow-scope",
         on_change=set_query_param, args=("flow-scope", "scope", ("node",)))
if scope_kind == "report":
    choice = pick_report("flow", current_only=True, clears=("node",))
    if choice is None:
        empty_store_hint()
        st.stop()
    scope_value = choice.key
elif scope_kind == "municipality":
    bind_query_param("flow-body", "body", bodies, bodies[0])
    st.selectbox("評価実施機関", bodies, key="flow-body", on_change=set_query_param, args=("flow-body", "body", ("node",)))
    scope_value = st.session_state["flow-body"]
else:
    st.caption("全国は集計で示します(共通システム・委託先・リスクのある方法)。機関を選ぶと、その自治体の図を開きます。")
    scope_value = ""
if scope_kind == "all":
    _national(bodies)
    st.stop()
graph = _flow_graph(scope_kind, scope_value, generation())

with st.sidebar:
    st.subheader("絞り込み")
    kinds = st.multiselect("フローの種類", FLOW_KINDS, default=list(FLOW_KINDS), format_func=EDGE_KINDS.get,
                           placeholder="選択してください")
    all_methods = sorted({m for *_, d in graph.edges(data=True) for m in d.get("methods") or ()})
    methods = st.multiselect("方法", all_methods, placeholder="すべての方法")
    contractors = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == "contractor"),
                         key=lambda n: graph.nodes[n]["label"])
    contractor = st.selectbox("委託先", ["", *contractors], format_func=lambda n: graph.nodes[n]["label"] if n else "(すべて)")
    show_systems = st.toggle("システムを表示", value=False)

view = filtered(graph, kinds=set(kinds), methods=methods, contractor=contractor or None)
if not show_systems:
    view = without_kinds(view, ("system", "canonical-system"))
if len(view) == 0:
    st.info("この絞り込みに当てはまるフローはありません。")
    st.stop()

nodes = sorted(view.nodes, key=lambda n: (view.nodes[n]["label"], view.nodes[n]["kind"], n))
start = st.query_params.get("node") or ""
if start and start not in view:
    st.warning("リンクの起点は、この範囲・絞り込みの図にありません。起点を選び直してください。")
    start = ""
st.session_state["flow-node"] = start
st.selectbox("起点(クリックの代わりに選ぶこともできます)", ["", *nodes], key="flow-node",
             format_func=lambda n: f"{view.nodes[n]['label']}({view.nodes[n]['kind_label']})" if n else "(追跡しない)",
             on_change=set_query_param, args=("flow-node", "node", ()))

shown = view
reached = []
if start:
    reached = trace_from(view, start)
    shown = reached_subgraph(view, {start, *(r.node for r in reached)})
    st.info(f"「{view.nodes[start]['label']}」から到達できるもの: {len(reached)} 件(図は到達範囲のみ。太枠が起点)")
    left, right = st.columns([1, 4])
    if left.button("追跡を解除"):
        set_query_param(None, "node", ())
        st.rerun()
    with right.expander("この追跡へのリンク(共有用)"):
        st.code(f"{st.context.url or ''}?{urlencode(dict(st.query_params))}", language=None)

st.caption("赤い線はリスクのある方法(紙・電子記録媒体・フラッシュメモリ・電子メール)。ノードをクリックすると、そこから追跡します。")
clicked = flow_diagram(to_cytoscape(shown), start=start or None, height=720,
                       key=f"flowgraph-{scope_kind}-{scope_value}")
if clicked and clicked.get("click") != st.session_state.get("flow-click"):
    st.session_state["flow-click"] = clicked["click"]
    if clicked.get("node") in view:
        set_query_param(None, "node", (), value=clicked["node"])
        st.rerun()

with st.expander("凡例"):
    st.html(_legend())
if start:
    show_table(views.trace_rows(view, reached), "trace", sheet="追跡", title="追跡の経路(各到達先への最後の一歩と根拠)")

if not graphviz_available():
    st.warning("Graphviz (dot) がないため SVG・PNG を書き出せません。`apt-get install graphviz fonts-noto-cjk`")
# The files are made when a button is pressed (Graphviz takes a moment on a large scope).
st.markdown("**図の書き出し**")
buttons = st.container(horizontal=True)
if graphviz_available():
    buttons.download_button("SVG", lambda: export(shown, "svg"), "flows.svg", "image/svg+xml", on_click="ignore")
    buttons.download_button("PNG", lambda: export(shown, "png"), "flows.png", "image/png", on_click="ignore")
buttons.download_button("GraphML", lambda: export(shown, "graphml"), "flows.graphml", "application/xml", on_click="ignore")
