"""比較: chosen reports side by side with their differences marked; the changes between two versions."""

import streamlit as st

from app.common import body_names, empty_store_hint, generation, reports_of, show_table, store
from piagraph import views

# The 事務 the page opens with: reports every municipality writes, so they compare well.
KEYWORD = "後期高齢者医療"
OPENING_BODIES = 4
"""Bodies the page opens with (the first by name); a national store has thousands."""


@st.cache_data(show_spinner="比較中…")
def _comparison(reports: tuple[views.ReportChoice, ...], _generation: str):
    return views.comparison_table(store(), list(reports))


@st.cache_data(show_spinner=False)
def _series(body: str, _generation: str):
    return views.report_series(store(), body=body)


@st.cache_data(show_spinner="差分を計算中…")
def _diff(old: views.ReportChoice, new: views.ReportChoice, _generation: str):
    return views.report_diff(store(), old, new)


@st.cache_data(show_spinner=False)
def _annex2(graph: str, _generation: str):
    return views.annex2_rows(store(), graph)


def side_by_side(bodies: list[str]) -> None:
    chosen = st.multiselect("評価実施機関", bodies, default=bodies[:OPENING_BODIES], placeholder="評価実施機関を選んでください")
    choices = [choice for body in chosen for choice in reports_of(body, False, generation())]
    by_graph = {choice.graph: choice for choice in choices}
    default = [c.graph for c in choices if c.current and KEYWORD in c.affair][:4]
    picked = st.multiselect("比較する評価書(2 件以上。同じ評価書の二つの版も選べます)", list(by_graph), default=default,
                            format_func=lambda g: by_graph[g].label, placeholder="評価書を選んでください")
    if len(picked) < 2:
        st.info("評価書を 2 件以上選んでください。")
        return
    columns = st.columns([3, 1])
    aspects = columns[0].multiselect("観点", views.ASPECTS, default=list(views.ASPECTS), placeholder="選択してください")
    only_differences = columns[1].toggle("差異のある行だけ", value=False)
    table = [row for row in _comparison(tuple(by_graph[g] for g in picked), generation())
             if row["観点"] in aspects and (row["差異"] or not only_differences)]
    st.caption(f"{len(table)} 行。○ は記載あり、― は記載なし、リスク対策は評価書の評価。差異「あり」は評価書の間で違う行。")
    show_table(table, "compare", sheet="比較")


def versions(bodies: list[str]) -> None:
    body = st.selectbox("評価実施機関", bodies, key="versions-body")
    series = _series(body, generation())
    if not series:
        st.info("この評価実施機関には、複数の版がある評価書はありません(同じ評価実施機関・評価書番号の評価書を二つ以上"
                "取り込むと、ここで版の差分を確認できます)。")
        return
    name = st.selectbox("評価書(版が複数あるもの)", list(series))
    versions_of = {choice.graph: choice for choice in series[name]}
    graphs = list(versions_of)
    columns = st.columns(2)
    def version(graph: str) -> str:
        choice = versions_of[graph]
        return f"公表日 {choice.published}{'(現行版)' if choice.current else ''}"

    old = columns[0].selectbox("旧版", graphs, index=1, format_func=version)
    new = columns[1].selectbox("新版", graphs, index=0, format_func=version)
    if old == new:
        st.info("異なる二つの版を選んでください。")
        return
    diff = _diff(versions_of[old], versions_of[new], generation())
    left, right = st.columns(2)
    with left:
        st.subheader("構造の差分")
        st.caption("フロー(入手元・移転先・提供先・委託先)、方法、根拠法令、システム、リスク対策の評価の追加・削除・変更。"
                   "節・行は、その項目がある版(両方にあれば新版)のもの。")
        if diff:
            show_table(diff, "diff", sheet="版の差分")
        else:
            st.success("比較した観点では、二つの版に違いはありません。")
    with right:
        st.subheader("新版の別添2(変更箇所)")
        st.caption("評価書自身が記載している変更の記録。")
        show_table(_annex2(new, generation()), "annex2", sheet="別添2")


st.title("比較")
bodies = body_names(generation())
if not bodies:
    empty_store_hint()
    st.stop()
tab_side, tab_versions = st.tabs(["評価書を並べる", "版の差分"])
with tab_side:
    side_by_side(bodies)
with tab_versions:
    versions(bodies)
