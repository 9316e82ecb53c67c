"""SPARQL: the workbench — saved queries with their parameters, an editor, results with Excel/CSV,
a time limit and a row cap."""

import streamlit as st

from app.common import bind_query_param, body_names, generation, set_query_param, show_table, store
from ontology.errors import NotAQueryError, QueryFailed, QueryParameterError, QueryRefused, QueryTimeout
from piagraph import views
from piagraph.sparql.builder import PREFIXES, python_value
from piagraph.sparql.saved import list_queries
from piagraph.sparql.text import syntax_error_position
from piagraph.workbench import run_limited, run_page

BLANK = PREFIXES + "\nSELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 20\n"
NEW = "(新規)"
ALL = "(すべて)"


def readable_error(message: str, text: str) -> str:
    """A query's failure as one Japanese line; a syntax error names its line and column and shows
    the text there (the parser's list of expected tokens is left out)."""
    position = syntax_error_position(message)
    if position is None:
        return f"クエリを実行できませんでした: {message.splitlines()[0][:200] if message else '理由不明'}"
    line, column = position
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    at = max(column - 1, 0)
    excerpt = (source[max(at - 30, 0):at] + "▶" + source[at:at + 30]).strip()
    return f"SPARQL の構文の誤り: {line} 行目 {column} 文字目付近(▶ の位置): {excerpt}"


def parameter_values(query) -> dict[str, str]:
    """Inputs for the saved query's ``# param:`` lines; empty ones stay unbound (no restriction)."""
    values = {}
    columns = st.columns(max(len(query.params), 1))
    for column, param in zip(columns, query.params):
        label = param.description or param.name
        key = f"param-{query.name}-{param.name}"
        where = f"クエリの ?{param.name} に入ります"
        if param.name == "body":
            chosen = column.selectbox(label, [ALL, *body_names(generation())], key=key, help=where)
            value = "" if chosen == ALL else chosen
        else:
            value = column.text_input(label, key=key, placeholder="空欄ならすべて", help=where).strip()
        if value:
            values[param.name] = value
    return values


def result_rows(result) -> list[dict]:
    """Rows with the saved queries' variables in Japanese and typed values (numbers, dates)."""
    if result.form == "SELECT":
        titles = [views.variable_title(v) for v in result.variables]
        return [dict(zip(titles, (python_value(value) for value in row))) for row in result.rows]
    return [{"主語": python_value(s), "述語": python_value(p), "目的語": python_value(o)} for s, p, o in result.triples]


st.title("SPARQL")
saved = {query.name: query for query in list_queries()}
bind_query_param("sparql-query", "query", [NEW, *saved], NEW)
choice = st.selectbox("保存済みクエリ", [NEW, *saved], format_func=lambda n: n if n == NEW else f"{saved[n].title}({n})",
                      key="sparql-query", on_change=set_query_param, args=("sparql-query", "query"))
query_text = BLANK
if choice != NEW:
    query = saved[choice]
    st.caption(query.description)
    try:
        query_text = query.bind(parameter_values(query)) if query.params else query.text
    except QueryParameterError as error:
        st.error(f"パラメータの値が正しくありません: {error}")
        query_text = query.text
text = st.text_area("クエリ", query_text, height=300, key=f"editor-{choice}-{hash(query_text)}")
with st.expander("表示するクエリ(シンタックスハイライト)"):
    st.code(text, language="sparql")
limit_columns = st.columns(3)
timeout = limit_columns[0].number_input("時間制限(秒)", 1, 120, 10)
row_cap = limit_columns[1].number_input("最大行数", 10, 100_000, 5000, step=100)
offset = limit_columns[2].number_input("開始行(SELECT の続きのページ)", 0, None, 0, step=100, key="sparql-offset",
                                       help="0 より大きいと、その行の次から「最大行数」行を読み、全体の行数も示します。")
if st.button("実行", type="primary"):
    total = None
    try:
        with st.spinner("実行中…"):
            if offset:
                limited, total = run_page(store(), text, limit=int(row_cap), offset=int(offset), timeout=float(timeout))
            else:
                limited = run_limited(store(), text, timeout=float(timeout), row_cap=int(row_cap))
    except NotAQueryError:
        st.error("実行できないクエリです: ここでは読み取りのクエリ(SELECT・ASK・CONSTRUCT・DESCRIBE)だけを実行できます"
                 "(INSERT・DELETE・DROP などの更新は不可)。")
    except QueryRefused:
        st.error("実行できないクエリです: SERVICE(他のサーバーへの問い合わせ)は使えません。このマシンの外へ要求は送りません。")
    except QueryTimeout:
        st.error(f"時間制限で停止しました({timeout} 秒)。範囲を絞るか LIMIT を付けてください。")
    except QueryFailed as error:
        st.error(readable_error(str(error), text))
    else:
        result = limited.result
        shown = len(result.rows or result.triples)
        note = f"{shown} 行、{limited.seconds:.2f} 秒"
        if total is not None:
            note = f"全 {total:,} 行のうち {offset + 1:,}–{offset + shown:,} 行目、{limited.seconds:.2f} 秒"
        elif limited.truncated:
            note += f"(最大行数 {row_cap} で打ち切り。続きは「開始行」に {row_cap} を指定)"
        st.caption(note)
        if result.form == "ASK":
            st.write("はい" if result.boolean else "いいえ")
        else:
            show_table(result_rows(result), choice if choice != NEW else "query", sheet="クエリ結果")
