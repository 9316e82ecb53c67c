"""normalise: every text shape reduced to cells of NFKC text with four kinds of mark."""

from loaders.normalise import BARE_CHECKBOX, BARE_RADIO, EMPTY, TICKED, normalise_cell, normalise_line


def test_html_inputs_become_marks_and_tags_become_spaces():
    cell = ('<p>[<input checked="" type="radio"/>] 情報提供ネットワークシステム [<input type="checkbox"/>] 庁内連携システム</p>'
            '<p>[<input type="radio"/>] 専用線 [] 紙 [ ○ ] 電子メール</p>')
    assert normalise_cell(cell) == (f"{TICKED} 情報提供ネットワークシステム {BARE_CHECKBOX} 庁内連携システム "
                                    f"{BARE_RADIO} 専用線 {EMPTY} 紙 {TICKED} 電子メール")


def test_entities_and_full_width_text_are_normalised_but_option_brackets_survive():
    assert normalise_cell("[十分である] &lt;選択肢&gt; １）特に力を入れている") == "[十分である] <選択肢> 1)特に力を入れている"
    assert normalise_cell("＜選択肢＞　［ 実施する ］") == "<選択肢> [ 実施する ]"


def test_markdown_heading_and_table_rows():
    heading = normalise_line(3, "## 1. 特定個人情報ファイルを取り扱う事務")
    assert heading.heading_level == 2 and heading.cells == ("1. 特定個人情報ファイルを取り扱う事務",)
    row = normalise_line(4, "| No. | 項目名 |")
    assert row.cells == ("No.", "項目名")
    assert normalise_line(5, "|---|---|").is_blank


def test_tab_rows_keep_their_columns_and_the_raw_text():
    line = normalise_line(7, "平成27年7月1日\tIIIリスク対策\t\tリスク対策についての記載を追加\t事後")
    assert line.columns == ("平成27年7月1日", "IIIリスク対策", "", "リスク対策についての記載を追加", "事後")
    assert line.cells == ("平成27年7月1日", "IIIリスク対策", "リスク対策についての記載を追加", "事後")
    assert line.raw.startswith("平成27年7月1日\t") and line.number == 7
