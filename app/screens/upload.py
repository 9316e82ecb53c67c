"""取込: upload reports (text or PDF), preview the extraction, add them to the store.

Each report is validated as it is added and stored with its findings and its text, recording when,
from which file and (when signed in) by whom. A report already stored with other content is not
lost: the earlier content is kept as a superseded version, and the result says so.
"""

import tempfile
from pathlib import Path

import streamlit as st

from app.common import md_text, read_only, signed_in_user, writable_store
from loaders.pipeline import load_report
from ontology.errors import ReportError, StoreError
from piagraph.ingest import store_report
from piagraph.inspect import summarise
from piagraph.store import REREAD, SUPERSEDED, UNCHANGED

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
if read_only():
    st.error("このアプリは閲覧専用で起動されています(piagraph app --read-only)。評価書は追加できません。")
    st.stop()
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


def _added(name: str, stored) -> None:
    """One line per report: what adding it did."""
    name = md_text(name)
    if stored.outcome == UNCHANGED:
        st.info(f"{name}: 同じ内容の評価書がすでにストアにあります(変更なし)")
    elif stored.outcome == SUPERSEDED:
        kept = stored.superseded
        st.warning(f"{name}: 同じ評価書(評価実施機関・評価書番号・公表日が同じ)が異なる内容でストアにありました。"
                   f"以前の内容を旧版として保存しました(読込元 {md_text(kept.source_file or '不明')}、"
                   f"読込日時 {kept.loaded_at:%Y-%m-%d %H:%M} UTC)。評価書ページの版の一覧で確認できます。")
    elif stored.outcome == REREAD:
        st.success(f"{name}: 同じ本文を読み直して置き換えました")
    else:
        st.success(f"{name}: 追加しました(検証済み、{md_text(stored.entry.graph.rsplit('/', 1)[-1])})")


if loaded and st.button(f"{len(loaded)} 件をストアに追加", type="primary"):
    try:
        with writable_store() as writer:
            for report in loaded:
                _added(report.report.source_file, store_report(writer, report, loaded_by=signed_in_user()))
    except StoreError as error:
        st.error(f"ストアに書き込めません: {md_text(error)}")
