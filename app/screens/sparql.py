"""SPARQL: the workbench — saved queries, an editor, results with CSV/Excel, a time limit and a row cap."""

import streamlit as st

from app.common import download_table, store
from ontology.errors import QueryFailed, QueryRefused, QueryTimeout
from piagraph.sparql.builder import PREFIXES
from piagraph.sparql.saved import list_queries
from piagraph.store.render import plain
from piagraph.workbench import run_limited

BLANK = PREFIXES + "\nSELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 20\n"

st.title("SPARQL")
saved = {query.name: query for query in list_queries()}
choice = st.selectbox("保存済みクエリ", ["(新規)", *saved], format_func=lambda n: n if n == "(新規)" else f"{saved[n].title} — {n}")
if choice != "(新規)":
    st.caption(saved[choice].description)
text = st.text_area("クエリ", saved[choice].text if choice != "(新規)" else BLANK, height=300, key=f"editor-{choice}")
with st.expander("表示するクエリ(シンタックスハイライト)"):
    st.code(text, language="sparql")
limit_columns = st.columns(2)
timeout = limit_columns[0].number_input("時間制限(秒)", 1, 120, 10)
row_cap = limit_columns[1].number_input("最大行数", 10, 100_000, 5000, step=100)
if st.button("実行", type="primary"):
    try:
        with st.spinner("実行中…"):
            limited = run_limited(store(), text, timeout=float(timeout), row_cap=int(row_cap))
    except QueryRefused as error:
        st.error(f"実行できないクエリです: {error}")
    except QueryTimeout as error:
        st.error(f"時間制限で停止しました: {error}")
    except QueryFailed as error:
        st.error(f"クエリの誤り: {error}")
    else:
        result = limited.result
        note = f"{len(result.rows or result.triples)} 行, {limited.seconds:.2f} 秒"
        if limited.truncated:
            note += f"(最大行数 {row_cap} で打ち切り)"
        st.caption(note)
        if result.form == "ASK":
            st.write("はい" if result.boolean else "いいえ")
        else:
            if result.form == "SELECT":
                rows = [{v: plain(value) for v, value in zip(result.variables, row)} for row in result.rows]
            else:
                rows = [{"s": plain(s), "p": plain(p), "o": plain(o)} for s, p, o in result.triples]
            st.dataframe(rows, hide_index=True, width="stretch")
            if rows:
                download_table(rows, choice if choice != "(新規)" else "query")
