"""検証: findings of the SHACL rules, filtered by severity, rule and report; each opens to its evidence."""

import streamlit as st

from app.common import empty_store_hint, generation, md_text, show_table, store
from piagraph import views


@st.cache_data(show_spinner="検証中…")
def _findings(_generation: str):
    return views.findings(store())


@st.cache_data(show_spinner=False)
def _graphs(_generation: str):
    return views.assessment_graphs(store())


@st.cache_data(show_spinner=False)
def _quote(graph: str, line: int, value: str | None, _generation: str):
    return views.finding_quote(store(), graph, line, value)


def _pick_from_table() -> None:
    chosen = st.session_state["table-findings"].selection.rows
    if chosen:
        st.session_state["finding-pick"] = chosen[0]


def _finding_label(index: int, rows: list[dict]) -> str:
    row = rows[index]
    where = f"{row['評価書']} {row['節'] or ''} 行 {row['行']}" if row["行"] is not None else f"{row['評価書']} {row['節'] or ''}"
    return f"{index + 1}. {row['重要度']} {row['規則']} — {row['メッセージ'][:40]}({where.strip()})"


def _evidence(finding: dict, row: dict) -> None:
    """The finding opened: what the rule says, where, and what the report says on that line."""
    st.markdown(f"**{md_text(row['規則'])}**({md_text(row['重要度'])}) {md_text(row['メッセージ'])}")
    st.markdown(f"評価書 **{md_text(row['評価書'])}** 節 **{md_text(row['節'] or '―')}** 行 **{row['行'] if row['行'] is not None else '―'}**")
    if row["記載"]:
        st.markdown(f"指摘の対象の値: {md_text(row['記載'])}")
    graph = _graphs(generation()).get(str(finding.get("assessment")))
    quoted, total = _quote(graph, row["行"], row["記載"], generation()) if graph and row["行"] is not None else ([], 0)
    if quoted:
        st.markdown(f"**評価書の記載(行 {row['行']} から読み取った値)**")
        st.markdown("\n".join(f"> **{md_text(q['項目'])}**: {md_text(q['記載'])}  " for q in quoted))
        if total > len(quoted):
            st.caption(f"ほか {total - len(quoted)} 件の値がこの行(ブロック)にあります(「評価書」ページで確認できます)。")
    else:
        st.caption("この行から読み取った値はストアにありません(記載の欠落を指摘する規則では、該当する記載がないことが指摘の内容です)。")


st.title("検証")
found = _findings(generation())
if not found:
    empty_store_hint() if not views.report_list(store()) else st.success("指摘事項はありません。")
    st.stop()
columns = st.columns(3)
severities = columns[0].multiselect("重要度", ["Violation", "Warning", "Info"], default=["Violation", "Warning"],
                                    format_func=views.SEVERITY_LABELS.get, placeholder="選択してください")
rules = columns[1].multiselect("規則", sorted({r["rule"] for r in found}), placeholder="すべての規則")
reports = columns[2].multiselect("評価書", sorted({r["report"] for r in found}), placeholder="すべての評価書")
shown = [r for r in found
         if r["severity"] in severities and (not rules or r["rule"] in rules) and (not reports or r["report"] in reports)]
rows = views.finding_rows(shown)
st.caption(f"{len(rows)} 件。節・行は評価書の該当箇所。行を選ぶと、その指摘の根拠を下に開きます。")
show_table(rows, "findings", sheet="検証結果", on_select=_pick_from_table)

if rows:
    st.subheader("指摘の根拠")
    if st.session_state.get("finding-pick", 0) >= len(rows):
        st.session_state["finding-pick"] = 0
    picked = st.selectbox("指摘", range(len(rows)), key="finding-pick", format_func=lambda i: _finding_label(i, rows))
    with st.container(border=True):
        _evidence(shown[picked], rows[picked])
