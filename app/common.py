"""What every page shares: the store (opened once), cache keys and small layout helpers.

The store location comes from `piagraph app` through the environment (PIAGRAPH_STORE or
PIAGRAPH_ENDPOINT). Cached answers are keyed by the store's catalog, so they are reused until a
report is added on the 取込 page.
"""

from __future__ import annotations

import io
import os
import re

import pandas as pd
import streamlit as st

from piagraph.store import StoreError, open_store


@st.cache_resource
def _open_store():
    return open_store(os.environ.get("PIAGRAPH_STORE") or None, os.environ.get("PIAGRAPH_ENDPOINT") or None)


def store():
    """The store this app reads (opened once per server process); a store that cannot be opened
    stops the page with one line saying why."""
    try:
        return _open_store()
    except StoreError as error:
        st.error(f"ストアを開けません: {error}")
        st.stop()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")


def md_text(text: object) -> str:
    """Text from a report as literal Markdown: every character Markdown (or Streamlit's directives,
    ``:red[…]``, ``$…$``) would read is escaped, so a name like ``![x](http://…)`` stays text and
    fetches nothing."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def generation() -> str:
    """Changes whenever a report is added or replaced: part of every cache key."""
    return st.session_state.setdefault("generation", "0")


def bump_generation() -> None:
    st.session_state["generation"] = str(int(generation()) + 1)
    st.cache_data.clear()


def download_table(rows: list[dict], name: str) -> None:
    """CSV and Excel downloads of a table."""
    frame = pd.DataFrame(rows)
    left, right = st.columns(2)
    left.download_button("CSV", frame.to_csv(index=False).encode("utf-8-sig"), f"{name}.csv", "text/csv",
                         key=f"csv-{name}")
    excel = io.BytesIO()
    frame.to_excel(excel, index=False)
    right.download_button("Excel", excel.getvalue(), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx-{name}")


def empty_store_hint() -> None:
    st.info("ストアに評価書がありません。「取込」ページで評価書を追加するか、`piagraph load samples/` を実行してください。")
