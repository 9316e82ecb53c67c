"""What every page shares: the store, cache keys, sign-in and small layout helpers.

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
import io
import os
import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

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


# -- sign-in ------------------------------------------------------------------------------------------


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


# -- layout helpers -----------------------------------------------------------------------------------


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")


def md_text(text: object) -> str:
    """Text from a report as literal Markdown: every character Markdown (or Streamlit's directives,
    ``:red[…]``, ``$…$``) would read is escaped, so a name like ``![x](http://…)`` stays text and
    fetches nothing."""
    return _MARKDOWN.sub(r"\\\1", str(text))


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
