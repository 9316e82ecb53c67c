"""概要: what the store holds, at a glance."""

import streamlit as st

from app.common import empty_store_hint, generation, md_text, show_table, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _overview(_generation: str):
    return views.overview(store())


PAGE = 100
"""Reports listed a page at a time: a national store holds tens of thousands."""


@st.cache_data(show_spinner=False)
def _reports(offset: int, _generation: str):
    return views.report_table(store(), limit=PAGE, offset=offset)


@st.cache_data(show_spinner=False)
def _findings(_generation: str):
    return views.findings_by_severity(store())


@st.cache_data(show_spinner=False)
def _unchecked(_generation: str):
    return views.unchecked_count(store())


st.title("概要")
summary = _overview(generation())
if summary.reports == 0:
    empty_store_hint()
    st.stop()
columns = st.columns(4)
columns[0].metric("評価書(現行版)", summary.reports, help=f"版を含めて {summary.versions} 件")
columns[1].metric("評価実施機関", summary.bodies)
columns[2].metric("特定個人情報ファイル", summary.files)
columns[3].metric("委託先", summary.contractors)
flow_columns = st.columns(len(summary.flows))
for column, (kind, count) in zip(flow_columns, summary.flows.items()):
    column.metric(kind, count)
findings = _findings(generation())
st.subheader("検証結果")
unchecked = _unchecked(generation())
parts = [f"**{severity}** {count} 件" for severity, count in findings.items()]
if unchecked:
    parts.append(f"未検証の評価書 {unchecked:,} 件(`piagraph validate --store`)")
st.write("  ".join(parts) or "指摘なし(すべての評価書を検証済み)")
if summary.newest:
    for word, report in (("最新", summary.newest), ("最古", summary.oldest)):
        st.write(f"{word}の公表日: **{report['date']}** ({md_text(report['body'])} {md_text(report['affair'])})")
st.subheader("評価書")
offset = 0
if summary.versions > PAGE:
    offset = st.number_input(f"開始行({PAGE} 件ずつ)", 0, summary.versions - 1, 0, step=PAGE, key="reports-offset")
rows = _reports(int(offset), generation())
st.caption(f"全 {summary.versions:,} 件(版を含む)のうち {offset + 1:,}–{offset + len(rows):,} 件目。"
           "評価実施機関ごとの一覧は「評価書」ページで選べます。")
show_table(rows, "reports", sheet="評価書一覧")
