"""概要: what the store holds, at a glance."""

import streamlit as st

from app.common import empty_store_hint, generation, md_text, show_table, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _overview(_generation: str):
    return views.overview(store())


@st.cache_data(show_spinner=False)
def _reports(_generation: str):
    return views.report_table(store())


@st.cache_data(show_spinner=False)
def _findings(_generation: str):
    return views.findings_by_severity(store())


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
st.write("  ".join(f"**{severity}** {count} 件" for severity, count in findings.items())
         or "保存された検証結果はありません(「検証」ページで、現行版の評価書をその場で検証した結果を確認できます)。")
if summary.newest:
    for word, report in (("最新", summary.newest), ("最古", summary.oldest)):
        st.write(f"{word}の公表日: **{report['date']}** ({md_text(report['body'])} {md_text(report['affair'])})")
st.subheader("評価書")
show_table(_reports(generation()), "reports", sheet="評価書一覧")
