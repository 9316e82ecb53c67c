"""取込: upload reports (text or PDF), preview the extraction, add them to the store."""

import tempfile
from pathlib import Path

import streamlit as st

from app.common import bump_generation, md_text, store
from loaders.pipeline import load_report
from ontology.errors import ReportError
from piagraph.inspect import summarise

st.title("取込")
st.write("評価書(テキストまたは PDF)を選ぶと、抽出結果を確認してからストアに追加できます。")
uploads = st.file_uploader("評価書", type=["txt", "pdf", "md", "csv", "tsv"], accept_multiple_files=True)
loaded = []
for upload in uploads or []:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            report = load_report(path)
        except ReportError as error:
            st.error(f"{md_text(upload.name)}: {md_text(error.reason)}")
            continue
    loaded.append(report)
    with st.expander(f"{md_text(upload.name)}: {len(report.graph)} 三つ組", expanded=len(uploads) == 1):
        st.code(summarise(report), language="text")
if loaded and st.button(f"{len(loaded)} 件をストアに追加", type="primary"):
    for report in loaded:
        entry = store().put_report(report)
        st.success(f"{md_text(report.report.source_file)}: 追加しました ({md_text(entry.graph)})")
    bump_generation()
