"""検証: findings of the SHACL rules, filtered by severity, rule and report, each with its evidence."""

import streamlit as st

from app.common import download_table, empty_store_hint, generation, md_text, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _findings(_generation: str):
    return views.findings(store())


@st.cache_data(show_spinner=False)
def _unchecked(_generation: str):
    return views.unchecked_reports(store())


st.title("検証")
rows = _findings(generation())
unchecked = _unchecked(generation())
if unchecked:
    st.warning(f"未検証の評価書が {len(unchecked)} 件あります(指摘の有無は不明): {'、'.join(md_text(r) for r in unchecked)}。"
               "`piagraph validate --store` で検証できます。")
if not rows:
    if not views.report_list(store()):
        empty_store_hint()
    elif not unchecked:
        st.success("指摘事項はありません(すべての評価書を検証済み)。")
    st.stop()
columns = st.columns(3)
severities = columns[0].multiselect("重要度", ["Violation", "Warning", "Info"], default=["Violation", "Warning"],
                                    format_func=lambda s: f"{views.SEVERITY_LABELS[s]} ({s})")
rules = columns[1].multiselect("規則", sorted({r["rule"] for r in rows}))
reports = columns[2].multiselect("評価書", sorted({r["report"] for r in rows}))
shown = [{k: r.get(k) for k in views.FINDING_COLUMNS} for r in rows
         if r["severity"] in severities and (not rules or r["rule"] in rules) and (not reports or r["report"] in reports)]
st.caption(f"{len(shown)} 件(節・行は評価書の該当箇所)")
st.dataframe(shown, hide_index=True, width="stretch")
if shown:
    download_table(shown, "findings")
