"""What every page shares: the store (opened once), cache keys, state kept in the URL, and tables.

The store location comes from `piagraph app` through the environment (PIAGRAPH_STORE or
PIAGRAPH_ENDPOINT). Cached answers are keyed by the store's catalog, so they are reused until a
report is added on the 取込 page.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import streamlit as st

from app.exports import csv_bytes, xlsx_bytes
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


def empty_store_hint() -> None:
    st.info("ストアに評価書がありません。「取込」ページで評価書を追加するか、`piagraph load samples/` を実行してください。")


# --- state in the URL ---------------------------------------------------------------------------

def bind_query_param(key: str, param: str, options: list[str], default: str) -> str:
    """Tie the widget `key` to the URL's ``?param=``: a link opens with its value, the browser's
    back button restores it, and the widget's choice is written back (`set_query_param`).

    Call before creating the widget (without an index or value of its own); returns the value.
    """
    wanted = st.query_params.get(param)
    if wanted not in options:
        wanted = st.session_state.get(key) if st.session_state.get(key) in options else default
    st.session_state[key] = wanted
    st.query_params[param] = wanted
    return wanted


def set_query_param(key: str | None, param: str, clears: tuple[str, ...] = (), value: str | None = None) -> None:
    """Write a widget's value (or `value`) to ``?param=`` and drop the parameters that depended on the
    old one (`clears`, e.g. the traced node when the report changes); an empty value removes it."""
    value = st.session_state.get(key) if key is not None else value
    if value:
        st.query_params[param] = value
    else:
        st.query_params.pop(param, None)
    for cleared in clears:
        st.query_params.pop(cleared, None)


# --- tables -------------------------------------------------------------------------------------

LONG_TEXT_COLUMNS = ("記載", "引用", "メッセージ", "根拠法令", "値", "変更前", "変更後", "方法", "説明")
"""Columns holding sentences from the reports: shown wide."""


def column_config(rows: list[dict]) -> dict:
    """How `st.dataframe` shows each column: 行 and other numbers whole (never cut), dates as
    YYYY-MM-DD, sentences wide."""
    config = {}
    names = list(dict.fromkeys(name for row in rows for name in row))
    for name in names:
        values = [row.get(name) for row in rows if row.get(name) is not None]
        if name == "行" or name.endswith("行"):
            config[name] = st.column_config.NumberColumn(name, format="%d", width=72)
        elif values and all(isinstance(v, bool) for v in values):
            config[name] = st.column_config.CheckboxColumn(name)
        elif values and all(isinstance(v, int) for v in values):
            config[name] = st.column_config.NumberColumn(name, format="%d")
        elif values and all(isinstance(v, dt.date) for v in values):
            config[name] = st.column_config.DateColumn(name, format="YYYY-MM-DD")
        elif name in LONG_TEXT_COLUMNS:
            config[name] = st.column_config.TextColumn(name, width="large")
    return config


def show_table(rows: list[dict], name: str, *, sheet: str | None = None, title: str | None = None,
               height: int | str = "auto", on_select=None, downloads: bool = True):
    """A table with its Japanese columns, then its CSV and Excel downloads (`app.exports`).

    With `on_select` (a callback), one row can be picked; the chosen row's index is returned (or None).
    """
    if title:
        st.markdown(f"**{title}**")
    config = column_config(rows)
    typed = {name for name, column in config.items() if column.get("type_config", {}).get("type") != "text"}
    # A missing value is an empty cell (not "None"); typed columns keep None, which they show empty.
    shown = [{k: v if v is not None or k in typed else "" for k, v in row.items()} for row in rows]
    options = {"on_select": on_select, "selection_mode": "single-row"} if on_select else {}
    event = st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config,
                         key=f"table-{name}", **options)
    if rows and downloads:
        download_buttons(rows, name, sheet or title or name)
    if on_select and event is not None and event.selection.rows:
        return event.selection.rows[0]
    return None


def download_buttons(rows: list[dict], name: str, sheet: str) -> None:
    """Excel and CSV (UTF-8 with BOM) of the rows, made when the button is pressed."""
    buttons = st.container(horizontal=True)
    buttons.download_button("Excel でダウンロード", lambda: xlsx_bytes(rows, sheet), f"{name}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx-{name}",
                         on_click="ignore")
    buttons.download_button("CSV(UTF-8)でダウンロード", lambda: csv_bytes(rows), f"{name}.csv", "text/csv", key=f"csv-{name}",
                          on_click="ignore")
