"""取込: upload reports (text or PDF), preview the extraction, add them to the store."""

import tempfile
from pathlib import Path

import streamlit as st

from app.common import bump_generation, md_text, store
from loaders.pipeline import load_report
from ontology.errors import ReportError
from piagraph.inspect import summarise

# The largest file accepted: no report is larger (the loaders refuse a text over 16 MB).
MAX_UPLOAD_MB = 16

# Streamlit writes its upload box's own words in English and offers no setting for them: this
# style puts the Japanese ones in their place (text only; the box works as before).
JAPANESE_UPLOADER = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {
  content: "ここにファイルをドラッグ&ドロップ"; display: block; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "1 ファイル 16 MB まで(テキスト・PDF)"; display: block; font-size: 0.85em; opacity: 0.7; }
[data-testid="stFileUploaderDropzone"] button { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button::after { content: "ファイルを選択"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzone"] button span, [data-testid="stFileUploaderDropzone"] button p,
[data-testid="stFileUploaderDropzone"] button div { font-size: 0; }
</style>"""

st.title("取込")
st.write("評価書(テキストまたは PDF)を選ぶと、抽出結果を確認してからストアに追加できます。")
st.html(JAPANESE_UPLOADER)
uploads = st.file_uploader("評価書", type=["txt", "pdf", "md", "csv", "tsv"], accept_multiple_files=True,
                           max_upload_size=MAX_UPLOAD_MB, help=f"1 ファイル {MAX_UPLOAD_MB} MB まで。複数のファイルを一度に選べます。")
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
        st.success(f"{md_text(report.report.source_file)}: 追加しました({md_text(entry.graph.rsplit('/', 1)[-1])})")
    bump_generation()
