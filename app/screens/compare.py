"""比較: the same kind of 事務 across municipalities, side by side."""

import streamlit as st

from app.common import download_table, generation, store
from piagraph import views


@st.cache_data(show_spinner=False)
def _comparison(keyword: str, _generation: str):
    return views.comparison(store(), keyword)


st.title("比較")
keyword = st.text_input("事務名に含む語", "後期高齢者医療")
rows = _comparison(keyword, generation())
if not rows:
    st.info("該当する事務はありません。")
else:
    st.dataframe(rows, hide_index=True, width="stretch")
    download_table(rows, f"compare-{keyword}")
