"""piagraph — the auditor's browser app (Streamlit). Start it with `piagraph app`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "screens"

st.set_page_config(page_title="piagraph 特定個人情報保護評価", layout="wide")
navigation = st.navigation([
    st.Page(PAGES / "overview.py", title="概要", default=True, url_path="overview"),
    st.Page(PAGES / "report.py", title="評価書", url_path="report"),
    st.Page(PAGES / "flows.py", title="データフロー", url_path="flows"),
    st.Page(PAGES / "sparql.py", title="SPARQL", url_path="sparql"),
    st.Page(PAGES / "findings.py", title="検証", url_path="findings"),
    st.Page(PAGES / "upload.py", title="取込", url_path="upload"),
    st.Page(PAGES / "compare.py", title="比較", url_path="compare"),
])
st.sidebar.caption("piagraph — 特定個人情報保護評価書の知識グラフ")
navigation.run()
