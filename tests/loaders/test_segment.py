"""segment: the form's headings, the table of contents skipped, placeholder rows kept apart."""

from loaders.normalise import normalise_text
from loaders.segment import blocks, segment, split_per_file

REPORT = """特定個人情報保護評価書(重点項目評価書)
項目一覧
I 基本情報
II 特定個人情報ファイルの概要
III リスク対策
(別添2) 変更箇所
I 基本情報
2. 特定個人情報ファイルを取り扱う事務において使用するシステム
システム1
①システムの名称\t宛名システム
システム2~5
システム2
①システムの名称\t中間サーバー
システム6~10
II 特定個人情報ファイルの概要
1. 特定個人情報ファイル名
Aファイル
5. 特定個人情報の提供・移転
提供先1\t厚生労働大臣
提供先2~5
1. 特定個人情報ファイル名
Bファイル
III リスク対策
(別添2)変更箇所
令和7年1月1日\tI-2\t\t追加\t事後
"""


def test_table_of_contents_is_skipped_and_sections_found():
    segmented = segment(normalise_text(REPORT))
    assert [len(segmented.sections[k]) for k in ("I", "II", "III", "annex2")] == [1, 1, 1, 1]
    assert segmented.lines("cover")[0].text == "特定個人情報保護評価書(重点項目評価書)"


def test_placeholder_rows_are_not_entries():
    lines = segment(normalise_text(REPORT)).lines("I")
    _, found, placeholders = blocks(lines, {"system"})
    assert [(b.number, b.lines[0].cells[1]) for b in found] == [(1, "宛名システム"), (2, "中間サーバー")]
    assert [(p.first, p.last) for p in placeholders] == [(2, 5), (6, 10)]


def test_section_ii_repeats_once_per_file():
    files = split_per_file(segment(normalise_text(REPORT)).lines("II"), "II")
    assert [parts[0].lines[0].text for parts in files] == ["Aファイル", "Bファイル"]
    _, found, _ = blocks(files[0][1].lines, {"provision"})
    assert [(b.number, b.title) for b in found] == [(1, "厚生労働大臣")]
