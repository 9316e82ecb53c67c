"""データフロー: where personal numbers flow — scope, filters, risky channels, click a node to trace."""

from urllib.parse import quote

import streamlit as st
import streamlit.components.v1 as components

from app.common import empty_store_hint, generation, md_text, store
from ontology.errors import DiagramError
from piagraph.flows import EDGE_KINDS, FLOW_KINDS, build_flow_graph, filtered, reached_subgraph, without_kinds
from piagraph.flows.diagrams import export, graphviz_available, render_dot, to_dot
from piagraph.flows.scope import Scope, catalog_reports, municipality_scope, report_scope
from piagraph.flows.tracing import step_record, trace_from


@st.cache_data(show_spinner="フローを構築中…")
def _flow_graph(scope_kind: str, scope_value: str, _generation: str):
    if scope_kind == "municipality":
        scope = municipality_scope(store(), scope_value)
    elif scope_kind == "report":
        scope = report_scope(store(), scope_value)
    else:
        scope = Scope()
    return build_flow_graph(store(), scope)


@st.cache_data(show_spinner=False)
def _reports(_generation: str):
    return catalog_reports(store())


st.title("データフロー")
reports = [r for r in _reports(generation()) if r.current]
if not reports:
    empty_store_hint()
    st.stop()
bodies = sorted({r.assessor for r in reports if r.assessor})
scope_kind = st.radio("範囲", ["report", "municipality", "all"], horizontal=True,
                      format_func={"report": "評価書", "municipality": "自治体", "all": "全国"}.get)
scope_value = ""
if scope_kind == "report":
    scope_value = st.selectbox("評価書", [str(r.graph) for r in reports],
                               format_func=lambda g: next(r.describe() for r in reports if str(r.graph) == g))
elif scope_kind == "municipality":
    scope_value = st.selectbox("自治体", bodies)
graph = _flow_graph(scope_kind, scope_value, generation())

with st.sidebar:
    st.subheader("絞り込み")
    kinds = st.multiselect("フローの種類", FLOW_KINDS, default=list(FLOW_KINDS), format_func=EDGE_KINDS.get)
    all_methods = sorted({m for *_, d in graph.edges(data=True) for m in d.get("methods") or ()})
    methods = st.multiselect("方法", all_methods)
    contractors = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == "contractor"),
                         key=lambda n: graph.nodes[n]["label"])
    contractor = st.selectbox("委託先", ["", *contractors],
                              format_func=lambda n: graph.nodes[n]["label"] if n else "(すべて)")
    show_systems = st.toggle("システムを表示", value=False)

view = filtered(graph, kinds=set(kinds), methods=methods, contractor=contractor or None)
if not show_systems:
    view = without_kinds(view, ("system", "canonical-system"))
start = st.query_params.get("trace")
if start and start in view:
    reached = trace_from(view, start)
    st.info(f"「{md_text(view.nodes[start]['label'])}」から到達できるもの: {len(reached)} 件(図は到達範囲のみ)")
    if st.button("追跡を解除"):
        del st.query_params["trace"]
        st.rerun()
    view = reached_subgraph(view, {start, *(r.node for r in reached)})
    steps = [step_record(view, step) for r in reached for step in r.path[-1:]]
    st.dataframe([{k: s.get(k) for k in ("from_label", "kind", "to_label", "methods", "legal_basis",
                                          "frequency", "report", "section", "line")} for s in steps],
                 hide_index=True, width="stretch")

st.caption("赤い線はリスクのある経路(紙・電子記録媒体・フラッシュメモリ・電子メール)。ノードをクリックすると、そこから追跡します。")
if not graphviz_available():
    st.warning("Graphviz (dot) がないため図を描けません。`apt-get install graphviz fonts-noto-cjk`")
else:
    dot = to_dot(view, node_url=lambda node: f"flows?trace={quote(node)}")
    try:
        svg = render_dot(dot, "svg")
    except DiagramError as error:
        st.error(str(error))
    else:
        markup = svg.decode("utf-8")
        # The diagram sits in an iframe (its markup apart from the page). A click on a node asks the
        # page itself to open the node's trace link, since the iframe may not navigate the page.
        components.html(f'''<div class="flow-diagram">{markup[markup.index("<svg"):]}</div>
<script>
document.querySelectorAll("a").forEach(function (link) {{
  link.addEventListener("click", function (event) {{
    event.preventDefault();
    var target = link.getAttribute("href") || link.getAttribute("xlink:href");
    window.parent.eval("window.location.assign(" + JSON.stringify(target) + ")");
  }});
}});
</script>''', height=800, scrolling=True)
        columns = st.columns(3)
        columns[0].download_button("SVG", export(view, "svg"), "flows.svg", "image/svg+xml")
        columns[1].download_button("PNG", export(view, "png"), "flows.png", "image/png")
        columns[2].download_button("GraphML", export(view, "graphml"), "flows.graphml", "application/xml")
