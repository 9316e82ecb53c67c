"""What every page shares: the store, cache keys, sign-in, state kept in the URL, and tables.

The store location comes from `piagraph app` through the environment (PIAGRAPH_STORE or
PIAGRAPH_ENDPOINT). The app reads the embedded store through one read-only handle, which never
blocks `piagraph load` or any other command; before each use it is reopened if any process wrote to
the store since (`EmbeddedStore.refresh`), and the cached answers are dropped then (`generation`).
Only an upload on 取込 opens the store for writing, for that moment (`writable_store`).

Sign-in: when the Streamlit secrets hold an ``[auth]`` section (OIDC, `st.login`), `require_sign_in`
shows a Japanese sign-in prompt instead of any data until the user has signed in; uploads then
record who (`signed_in_user`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Mapping

import streamlit as st

from app.exports import csv_bytes, xlsx_bytes
from piagraph import views
from piagraph.store import EmbeddedStore, StoreError, open_store

READ_ONLY_ENV = "PIAGRAPH_READ_ONLY"
WRITE_WAIT_SECONDS = 30.0
"""How long an upload waits for another writer (a `piagraph load`) before it gives up."""


def read_only() -> bool:
    """Whether the app was started with ``piagraph app --read-only`` (no 取込, no writes)."""
    return os.environ.get(READ_ONLY_ENV, "") == "1"


def _location() -> tuple[str | None, str | None]:
    return os.environ.get("PIAGRAPH_STORE") or None, os.environ.get("PIAGRAPH_ENDPOINT") or None


@st.cache_resource
def _open_store():
    store_dir, endpoint = _location()
    return open_store(store_dir, endpoint, read_only=True)


def store():
    """The store this app reads (one read-only handle per server process, reopened after any
    write); a store that cannot be opened stops the page with one line saying why."""
    try:
        handle = _open_store()
        if isinstance(handle, EmbeddedStore):
            handle.refresh()
        return handle
    except StoreError as error:
        st.error(f"ストアを開けません: {error}")
        st.stop()


@contextlib.contextmanager
def writable_store():
    """The store opened for writing, for the moment of an upload; waits (with a notice) while a
    `piagraph load` writes, then refreshes what the app shows."""
    store_dir, endpoint = _location()
    notice = st.empty()
    with open_store(store_dir, endpoint, wait=WRITE_WAIT_SECONDS,
                    on_wait=lambda message: notice.info(f"ストアは他の書き込み中です。終わるのを待っています… ({message})")) as writer:
        yield writer
    notice.empty()
    bump_generation()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")


def md_text(text: object) -> str:
    """Text from a report as literal Markdown: every character Markdown (or Streamlit's directives,
    ``:red[…]``, ``$…$``) would read is escaped, so a name like ``![x](http://…)`` stays text and
    fetches nothing."""
    return _MARKDOWN.sub(r"\\\1", str(text))


_seen_state: dict[str, str] = {}


def generation() -> str:
    """The store's state: changes whenever any process (the 取込 page, `piagraph load`,
    `validate --store`) wrote to it. Cached answers are dropped when it changes, so every page shows
    what the store holds now."""
    token = store().state_token()
    if _seen_state.get("token") != token:
        st.cache_data.clear()
        _seen_state["token"] = token
    return token


def bump_generation() -> None:
    """After this app wrote: drop the cached answers (the next `generation` reopens the reader)."""
    st.cache_data.clear()
    _seen_state.pop("token", None)


# --- sign-in ------------------------------------------------------------------------------------


def auth_settings() -> Mapping | None:
    """The ``[auth]`` section of the Streamlit secrets, or None (no secrets, or no sign-in configured)."""
    try:
        settings = st.secrets.get("auth")
    except Exception:  # no secrets file at all: Streamlit raises on access
        return None
    return settings if isinstance(settings, Mapping) and settings else None


def _logged_in() -> bool:
    return bool(st.user.get("is_logged_in"))


def signed_in_user() -> str | None:
    """Who is signed in (e-mail, else name), when sign-in is configured."""
    if auth_settings() is None or not _logged_in():
        return None
    return st.user.get("email") or st.user.get("name") or None


def require_sign_in() -> None:
    """With sign-in configured: stop every page at a Japanese sign-in prompt until the user signs in;
    once signed in, show who in the sidebar with a sign-out button."""
    settings = auth_settings()
    if settings is None:
        return
    if _logged_in():
        st.sidebar.caption(f"サインイン中: {md_text(signed_in_user() or '')}")
        st.sidebar.button("サインアウト", on_click=st.logout)
        return
    st.title("piagraph 特定個人情報保護評価")
    st.info("このアプリを使うにはサインインが必要です。組織のアカウントでサインインしてください。")
    providers = [name for name, value in settings.items() if isinstance(value, Mapping)]
    if "client_id" in settings or not providers:
        st.button("サインイン", type="primary", on_click=st.login)
    else:
        for provider in providers:
            st.button(f"サインイン({provider})", type="primary", on_click=st.login, args=(provider,))
    st.stop()


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


# --- choosing a report: a body, then one of its reports -----------------------------------------

@st.cache_data(show_spinner=False)
def body_names(_generation: str) -> list[str]:
    return views.body_names(store())


@st.cache_data(show_spinner=False)
def reports_of(body: str, current_only: bool, _generation: str) -> list[views.ReportChoice]:
    return views.report_choices(store(), current_only=current_only, body=body)


@st.cache_data(show_spinner=False)
def _body_of(key: str, _generation: str) -> str | None:
    return views.report_body(store(), key)


def pick_report(key: str, *, current_only: bool = False, clears: tuple[str, ...] = ()) -> views.ReportChoice | None:
    """評価実施機関, then one of its reports (a national store holds tens of thousands), both kept in
    the URL (``?body=…&report=…``; a link naming only the report opens at its body). `clears`: the
    parameters that depend on the report (e.g. the traced node). None when the store has no report."""
    bodies = body_names(generation())
    if not bodies:
        return None
    linked = st.query_params.get("report")
    if linked and not st.query_params.get("body"):
        st.query_params["body"] = _body_of(linked, generation()) or ""
    left, right = st.columns([1, 2])
    body = bind_query_param(f"{key}-body", "body", bodies, bodies[0])
    left.selectbox("評価実施機関", bodies, key=f"{key}-body", on_change=set_query_param,
                   args=(f"{key}-body", "body", ("report", *clears)))
    choices = {choice.key: choice for choice in reports_of(body, current_only, generation())}
    if not choices:  # the store changed since the bodies were read
        return None
    chosen = bind_query_param(f"{key}-report", "report", list(choices), next(iter(choices)))
    right.selectbox("評価書", list(choices), format_func=lambda k: choices[k].label, key=f"{key}-report",
                    on_change=set_query_param, args=(f"{key}-report", "report", clears))
    return choices[chosen]


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
