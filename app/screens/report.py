"""評価書: one report as the form's sections; every fact with its section and source line."""

import streamlit as st

from app.common import empty_store_hint, generation, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _reports(_generation: str):
    return views.report_list(store())


@st.cache_data(show_spinner=False)
def _sections(graph: str, _generation: str):
    return views.report_sections(views.report_graph(store(), graph))


st.title("評価書")
reports = _reports(generation())
if not reports:
    empty_store_hint()
    st.stop()
labels = {r["graph"]: f"{r['body']} {r['affair']} ({r['publishedOn']}{'' if r['current'] else ' 旧版'})" for r in reports}
chosen = st.selectbox("評価書", list(labels), format_func=labels.get)
show_evidence = st.toggle("根拠(節・行)を表示", value=True)
for section in _sections(chosen, generation()):
    with st.expander(section.title, expanded=section.title in ("表紙", "I 基本情報")):
        rows = []
        for fact in section.facts:
            row = {"項目": fact.item, "記載": fact.value}
            if show_evidence:
                row |= {"節": fact.section, "行": fact.line,
                        "確度": "" if fact.confidence is None else f"{fact.confidence:.1f}"}
            rows.append(row)
        st.dataframe(rows, hide_index=True, width="stretch")
