"""piagraph — the auditor's browser app (Streamlit). Start it with `piagraph app`.

With sign-in configured (``[auth]`` in the Streamlit secrets) no page shows anything before the user
has signed in; with ``piagraph app --read-only`` there is no 取込 page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.common import read_only, require_sign_in

PAGES = Path(__file__).parent / "screens"

st.set_page_config(page_title="piagraph 特定個人情報保護評価", layout="wide")
require_sign_in()
pages = [
    st.Page(PAGES / "overview.py", title="概要", default=True, url_path="overview"),
    st.Page(PAGES / "report.py", title="評価書", url_path="report"),
    st.Page(PAGES / "flows.py", title="データフロー", url_path="flows"),
    st.Page(PAGES / "sparql.py", title="SPARQL", url_path="sparql"),
    st.Page(PAGES / "findings.py", title="検証", url_path="findings"),
    st.Page(PAGES / "upload.py", title="取込", url_path="upload"),
    st.Page(PAGES / "compare.py", title="比較", url_path="compare"),
]
navigation = st.navigation([page for page in pages if not (read_only() and page.url_path == "upload")])
st.sidebar.caption("piagraph — 特定個人情報保護評価書の知識グラフ" + ("(閲覧専用)" if read_only() else ""))
navigation.run()
