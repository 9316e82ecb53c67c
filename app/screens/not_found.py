"""ページが見つかりません: where a URL naming no page of the app lands."""

import streamlit as st

st.title("ページが見つかりません")
st.write("このアドレスのページはありません。左の一覧からページを選んでください。")
st.markdown("[概要へ戻る](./)")
