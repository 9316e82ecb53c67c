"""評価書: one report as the form's sections; every fact with its section, source line and the quoted
line; the report's versions (published versions and superseded contents) with when and from which file."""

import streamlit as st

from app.common import download_buttons, empty_store_hint, generation, pick_report, show_table, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _sections(graph: str, _generation: str):
    return views.report_facts_with_quotes(store(), graph)


@st.cache_data(show_spinner=False)
def _versions(graph: str, _generation: str):
    return views.report_versions(store(), graph)


st.title("評価書")
choice = pick_report("report-pick")
if choice is None:
    empty_store_hint()
    st.stop()
chosen = choice.graph
show_evidence = st.toggle("根拠(節・行・確度)を表示", value=True)
sections = _sections(chosen, generation())
every_fact = []
for section in sections:
    rows = []
    for fact in section.facts:
        row = {"項目": fact.item, "記載": fact.value}
        if show_evidence:
            row |= {"節": fact.section, "行": fact.line, "引用": fact.quote, "確度": fact.confidence}
        rows.append(row)
        every_fact.append({"区分": section.title, "項目": fact.item, "記載": fact.value, "節": fact.section,
                           "行": fact.line, "引用": fact.quote, "確度": fact.confidence})
    with st.expander(f"{section.title}({len(rows)} 項目)", expanded=section.title in ("表紙", "I 基本情報")):
        show_table(rows, f"report-{sections.index(section)}", downloads=False)
st.caption("確度: 1 未満は、評価書の記載から推定した値(理由は「欠落・推定」)。空欄は記載どおり。"
           "引用: 行番号の指す評価書の本文。")
download_buttons(every_fact, "report", "評価書")
versions = _versions(chosen, generation())
with st.expander(f"版と読込の記録({len(versions)} 件)", expanded=any(v["supersededAt"] for v in versions)):
    st.caption("公表日ごとの版(現行版・旧版)と、同じ評価書を異なる内容で読み込んだときに保存された以前の内容(置き換え前の内容)。")
    show_table([{title: v[key] for key, title in views.VERSION_COLUMNS.items()} for v in versions], "versions",
               sheet="版と読込の記録")
