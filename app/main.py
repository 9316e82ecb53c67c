"""piagraph — the auditor's browser app (Streamlit). Start it with `piagraph app`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "screens"

st.set_page_config(page_title="piagraph 特定個人情報保護評価", layout="wide")
st.set_option("client.toolbarMode", "viewer")  # no "Deploy" button, no developer menu
pages = [
    st.Page(PAGES / "overview.py", title="概要", default=True),
    st.Page(PAGES / "report.py", title="評価書", url_path="report"),
    st.Page(PAGES / "flows.py", title="データフロー", url_path="flows"),
    st.Page(PAGES / "sparql.py", title="SPARQL", url_path="sparql"),
    st.Page(PAGES / "findings.py", title="検証", url_path="findings"),
    st.Page(PAGES / "upload.py", title="取込", url_path="upload"),
    st.Page(PAGES / "compare.py", title="比較", url_path="compare"),
]
hidden = [
    st.Page(PAGES / "not_found.py", title="ページが見つかりません", url_path="not-found", visibility="hidden"),
]


# Paths that name a page by another name: the overview is the app's root, /overview opens it too.
ALIASES = {"overview": ""}


def _route_unknown_urls(known: set[str]) -> None:
    """Open /overview as the root, and send a URL naming no page to the Japanese "not found" page
    instead of Streamlit's English dialog. Streamlit has no hook for this: the requested page is read
    from its script-run context, and if that ever changes, Streamlit's own dialog is shown as before."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        manager = get_script_run_ctx().pages_manager
        wanted = (manager.intended_page_name or "").strip("/")
        if manager.intended_page_script_hash or not wanted or wanted in known:
            return
        manager.set_script_intent("", ALIASES.get(wanted, "not-found"))
    except Exception:  # noqa: BLE001 — a Streamlit without these internals keeps its own dialog
        return


_route_unknown_urls({page.url_path for page in pages + hidden})
navigation = st.navigation(pages + hidden)
st.sidebar.caption("piagraph — 特定個人情報保護評価書の知識グラフ")
navigation.run()
