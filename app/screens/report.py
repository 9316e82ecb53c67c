"""評価書: one report as the form's sections; every fact with its section and source line."""

import streamlit as st

from app.common import (
    bind_query_param,
    download_buttons,
    empty_store_hint,
    generation,
    set_query_param,
    show_table,
    store,
)
from piagraph import views


@st.cache_data(show_spinner=False)
def _choices(_generation: str):
    return views.report_choices(store())


@st.cache_data(show_spinner=False)
def _sections(graph: str, _generation: str):
    return views.report_sections(views.report_graph(store(), graph))


st.title("評価書")
choices = {choice.key: choice for choice in _choices(generation())}
if not choices:
    empty_store_hint()
    st.stop()
bind_query_param("report-pick", "report", list(choices), next(iter(choices)))
key = st.selectbox("評価書", list(choices), format_func=lambda k: choices[k].label, key="report-pick",
                   on_change=set_query_param, args=("report-pick", "report"))
chosen = choices[key].graph
show_evidence = st.toggle("根拠(節・行・確度)を表示", value=True)
sections = _sections(chosen, generation())
every_fact = []
for section in sections:
    rows = []
    for fact in section.facts:
        row = {"項目": fact.item, "記載": fact.value}
        if show_evidence:
            row |= {"節": fact.section, "行": fact.line, "確度": fact.confidence}
        rows.append(row)
        every_fact.append({"区分": section.title, "項目": fact.item, "記載": fact.value, "節": fact.section,
                           "行": fact.line, "確度": fact.confidence})
    with st.expander(f"{section.title}({len(rows)} 項目)", expanded=section.title in ("表紙", "I 基本情報")):
        show_table(rows, f"report-{sections.index(section)}", downloads=False)
st.caption("確度: 1 未満は、評価書の記載から推定した値(理由は「欠落・推定」)。空欄は記載どおり。")
download_buttons(every_fact, "report", "評価書")
