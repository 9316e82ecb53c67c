"""検証: findings of the SHACL rules, filtered by severity, rule and report; each opens to its evidence.

The findings are those stored with each report (validated when it was loaded); a report that was not
checked is named as such, never counted as "no findings". A store with more findings than
`views.FINDINGS_AT_ONCE` (a national one) lists them one 評価実施機関 at a time, its counts by severity
read in the store."""

import streamlit as st

from app.common import body_names, empty_store_hint, generation, md_text, show_table, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _findings(body: str | None, _generation: str):
    return views.findings(store(), body=body)


@st.cache_data(show_spinner=False)
def _counts(_generation: str) -> dict[str, int]:
    return views.findings_by_severity(store())


UNCHECKED_NAMED = 20
"""Unchecked reports named in the warning (a national store loaded without validation has thousands)."""


@st.cache_data(show_spinner=False)
def _unchecked(_generation: str) -> tuple[int, list[str]]:
    return views.unchecked_count(store()), views.unchecked_reports(store(), limit=UNCHECKED_NAMED)


@st.cache_data(show_spinner=False)
def _across(_generation: str):
    return views.across_reports_status(store())


@st.cache_data(show_spinner=False)
def _quote(graph: str, line: int, value: str | None, _generation: str):
    return views.finding_quote(store(), graph, line, value)


@st.cache_data(show_spinner=False)
def _source(finding: dict, _generation: str):
    return views.finding_evidence(store(), finding)


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
    source = _source(finding, generation())
    if source.lines:
        last = f"–{source.line_end}" if source.line_end else ""
        st.markdown(f"**評価書の本文(行 {source.line}{last}、前後を含む)**")
        st.code("\n".join(f"{'▶' if q.cited else ' '} {q.number:>5}  {q.text}" for q in source.lines), language=None)
    graph = finding.get("g")
    quoted, total = _quote(graph, row["行"], row["記載"], generation()) if graph and row["行"] is not None else ([], 0)
    if quoted:
        st.markdown(f"**評価書の記載(行 {row['行']} から読み取った値)**")
        st.markdown("\n".join(f"> **{md_text(q['項目'])}**: {md_text(q['記載'])}  " for q in quoted))
        if total > len(quoted):
            st.caption(f"ほか {total - len(quoted)} 件の値がこの行(ブロック)にあります(「評価書」ページで確認できます)。")
    else:
        st.caption("この行から読み取った値はストアにありません(記載の欠落を指摘する規則では、該当する記載がないことが指摘の内容です)。")


st.title("検証")
bodies = body_names(generation())
counts = _counts(generation())
at_once = sum(counts.values()) <= views.FINDINGS_AT_ONCE
if at_once or not bodies:
    chosen_body = None
else:
    st.caption("指摘 " + "、".join(f"{label} {n:,} 件" for label, n in counts.items())
               + "。評価実施機関ごとに表示します。")
    chosen_body = st.selectbox("評価実施機関", bodies, key="findings-body")
found = _findings(chosen_body, generation())
unchecked, named = _unchecked(generation())
if unchecked:
    more = f" ほか {unchecked - len(named):,} 件" if unchecked > len(named) else ""
    st.warning(f"未検証の評価書が {unchecked:,} 件あります(指摘の有無は不明): {'、'.join(md_text(r) for r in named)}{more}。"
               "`piagraph validate --store` で検証できます。")
across = _across(generation())
if not across["checked"]:
    st.info("評価書をまたぐ規則(重点・全項目評価書とその基礎項目評価書の整合)は、まだ検証されていません。"
            "`piagraph validate --store` で検証できます。")
elif not across["current"]:
    st.info(f"評価書をまたぐ規則の指摘は {across['validatedOn']} の `piagraph validate --store` の時点のものです"
            "(その後に評価書が読み込まれました)。")
if not found:
    if not bodies:
        empty_store_hint()
    elif chosen_body is not None:
        st.success(f"{md_text(chosen_body)} の評価書に記録された指摘はありません(未検証の評価書の指摘は含みません)。")
    elif not unchecked:
        st.success("指摘事項はありません(すべての評価書を検証済み)。")
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
