"""The rules that turn a PDF's glyphs into text, one by one: spaces at line ends, stacked labels, font
damage, page furniture, a cell drawn on two pages. Glyphs are laid out here the way the printers lay
them out (9 pt IPA Gothic: wide glyphs 9 pt, Latin glyphs 4.5 pt, wraps at the cell's edge)."""

from __future__ import annotations

import pytest

from loaders.pdf_furniture import Run, furniture
from loaders.pdf_glyphs import glyph_text, repair
from loaders.pdf_lines import Glyph, TextLine, is_stacked, join_lines, text_columns, text_lines
from loaders.pdf_rows import merge_drawings

SIZE = 9.0
RIGHT = 100.0  # where the cell's text wraps


def glyphs(text: str, x: float = 10.0, top: float = 0.0) -> list[Glyph]:
    out = []
    for char in text:
        width = SIZE if Glyph(char, 0, 0, 0, 0, SIZE).is_wide else SIZE / 2
        out.append(Glyph(char, x, x + width, top, top + SIZE, SIZE))
        x += width
    return out


def line(text: str, top: float = 0.0, x: float = 10.0) -> TextLine:
    return TextLine(glyphs(text, x, top))


def cell(*texts: str) -> str:
    return join_lines([line(text, top=i * 12.0) for i, text in enumerate(texts)], RIGHT)


# (two lines of a cell as printed, what stands between them in the report, why); 10 wide glyphs
# fill a line (10–100 pt)
JOINS = [
    ("行政手続における特定", "の個人を識別する", "", "a wrapped Japanese line joins without a space"),
    ("市民生活部 税務課、健康福祉部 ", "介護保険課", " ", "a space drawn at the end of a line is kept"),
    ("市民課、健康福祉部", "介護保険課", " ", "one glyph short of the edge although 介 would fit: a space"),
    ("①資格管理業務", "・窓口で届出を受け付け", " ", "a line ended on purpose is one space"),
    ("変更箇所 I 基本情報 6.", "評価実施機関における", " ", "an item number ending a full line keeps its space"),
    ("規格の第2.3.6.13.4.1", "3.9項", "", "a number broken where the line was full stays one number"),
    ("市が徴収方法を定め", "(特別徴収)", "", "( would fit in the 9 pt left, but (特 needs 13.5 pt"),
    ("市が徴収方法を定め", "る。", "", "。 cannot start a line: る。 moved together"),
    ("識別番号とを紐付けて管理する。", "②符号取得機能", " ", "a full sentence before a list item: a new paragraph"),
]


@pytest.mark.parametrize("first, second, between, why", JOINS, ids=[why for *_, why in JOINS])
def test_the_lines_of_a_cell_join_with_the_spaces_the_report_has(first, second, between, why):
    assert cell(first, second) == first.rstrip() + between + second


def test_stacked_vertical_text_reads_top_to_bottom():
    stacked = [line(char, top=i * 10.0, x=40.0) for i, char in enumerate("システム1")]
    assert is_stacked(stacked)
    assert join_lines(stacked, 60.0) == "システム1"
    assert not is_stacked([line("使用部署"), line("使用者数", 12.0)])


def test_two_cells_without_a_rule_between_them_are_read_as_two_columns():
    # a chosen value wrapping in its cell, its option list beside it: no rule between the two
    chosen = ["[ 基礎項目評価及び", "重点項目評価の実施 ]"]
    options = ["＜選択肢＞", "1) 基礎項目評価", "2) 重点項目評価"]
    lines = []
    for i in range(3):
        parts = glyphs(chosen[i], 10.0, i * 12.0) if i < 2 else []
        lines.append(TextLine(parts + glyphs(options[i], 100.0, i * 12.0)))
    assert [l.text for l in lines][0] == "[ 基礎項目評価及び ＜選択肢＞"  # read across: interleaved
    columns = text_columns(lines, 200.0)
    assert [join_lines(part, right) for part, right in columns] == \
        ["[ 基礎項目評価及び重点項目評価の実施 ]", "＜選択肢＞ 1) 基礎項目評価 2) 重点項目評価"]


def test_aligned_numbers_in_one_text_are_not_columns():
    lines = [line("1) 10人未満 3) 50人以上100人未満"), line("5) 500人以上1,000人未満", 12.0)]
    assert len(text_columns(lines, 200.0)) == 1


def test_glyphs_on_one_baseline_make_one_line_in_reading_order():
    mixed = glyphs("AB", 10.0) + glyphs("CD", 40.0)
    lines = text_lines(list(reversed(mixed)) + glyphs("下の行", 10.0, 12.0))
    assert [l.text for l in lines] == ["AB CD", "下の行"]


def test_font_damage_is_repaired():
    assert repair("特定個⼈情報") == "特定個人情報"  # Kangxi radical
    assert repair("国⺠健康保険") == "国民健康保険"  # CJK radical supplement, NFKC leaves it
    assert repair("サービス検索‧電子申請") == "サービス検索・電子申請"  # U+2027 for ・
    assert repair("[ 十分である ] ‹選択肢›") == "[ 十分である ] ＜選択肢＞"
    assert repair("■ 紙 □ 専用線 ☒ 電子メール") == "☑ 紙 ☐ 専用線 ☑ 電子メール"


def test_a_mark_the_pdf_cannot_say_is_read_as_unknown_not_guessed():
    assert repair("[ (cid:17) ] 紙") == "[ ▢ ] 紙"  # an unmapped glyph between a mark's brackets
    assert repair("[ \ue0a1 ] 紙") == "[ ▢ ] 紙"  # a private-use glyph
    assert repair("番号(cid:17)法") == "番号〓法"  # elsewhere: a missing glyph, no invented text
    assert glyph_text("þ", "ABCDEF+Wingdings-Regular") == "☑"
    assert glyph_text("¨", "Wingdings") == "☐"
    assert glyph_text("l", "Wingdings") == "▢"
    assert glyph_text("þ", "IPAGothic") == "þ"


def run(page: int, text: str, top: float, x: float = 280.0) -> Run:
    return Run(page, glyphs(text, x, top))


def test_running_headers_and_page_numbers_are_furniture_other_margin_text_is_not():
    pages = [[run(i, "[令和7年5月 様式3]", 22.0, 480.0), run(i, str(i + 1), 809.0),
              run(i, f"本文の続き{i}", 790.0)] for i in range(4)]
    found = furniture(pages)
    assert [sorted(r.text for r in page) for page in found] == \
        [sorted(["[令和7年5月 様式3]", str(i + 1)]) for i in range(4)]


def test_a_number_that_does_not_count_the_pages_is_not_a_page_number():
    pages = [[run(i, "3", 809.0)] for i in range(4)]  # the same number on every page: a repeated footer
    assert [len(page) for page in furniture(pages)] == [1, 1, 1, 1]
    pages = [[run(0, "7", 790.0)], [run(1, "2", 795.0)], [], []]
    assert furniture(pages) == [[], [], [], []]


def test_a_cell_drawn_whole_on_both_pages_is_taken_once():
    text = ["①資格管理業務", "・窓口で届出を受け付け", "る。"]
    whole, proven = merge_drawings([line(t) for t in text], [line(t) for t in text])
    assert [l.text for l in whole] == text and proven


def test_a_cell_drawn_in_parts_is_joined_at_its_overlap_or_end_to_end():
    first = [line("一行目の本文"), line("二行目の本文")]
    second = [line("二行目の本文"), line("三行目の本文")]
    joined, proven = merge_drawings(first, second)
    assert [l.text for l in joined] == ["一行目の本文", "二行目の本文", "三行目の本文"] and proven
    joined, proven = merge_drawings(first[:1], second[1:])
    assert [l.text for l in joined] == ["一行目の本文", "三行目の本文"] and not proven
