"""Legal bases (法令上の根拠) read into citations the way a lawyer reads them."""

import pytest

from loaders.citations import Citation, cites_number_act_article_19, parse_legal_basis

NUMBER_ACT_TITLE = "行政手続における特定の個人を識別するための番号の利用等に関する法律"


def provisions(text: str) -> list[tuple]:
    """(law, article, paragraph, item, table, row) of each citation."""
    return [c.key for c in parse_legal_basis(text)]


def test_article_9_and_a_row_of_the_table():
    assert provisions("番号法第9条第1項及び別表の第85項") == [
        ("番号法", 9, 1, None, None, None),
        ("番号法", None, None, None, "別表", 85),
    ]


def test_article_19_item_8_and_the_ministerial_order_table_row():
    text = f"番号法第19条第8号 {NUMBER_ACT_TITLE}第19条第8号に基づく利用特定個人情報の提供に関する命令第2条の表の第117項"
    assert provisions(text) == [
        ("番号法", 19, None, 8, None, None),
        ("主務省令", 2, None, None, "第2条の表", 117),
    ]
    assert cites_number_act_article_19(parse_legal_basis(text))


def test_a_sector_law_is_kept_by_its_name():
    assert provisions("高齢者の医療の確保に関する法律第110条") == [
        ("高齢者の医療の確保に関する法律", 110, None, None, None, None)
    ]


def test_old_reports_cite_item_7_and_table_two():
    assert provisions("番号法第19条第7号及び別表第二 83の項") == [
        ("番号法", 19, None, 7, None, None),
        ("番号法", None, None, None, "別表第二", 83),
    ]


def test_a_table_row_written_right_after_the_table():
    # 別表第111項 is row 111 of 別表, not a table 別表第111
    assert provisions("番号法第9条第1項 別表第111項") == [
        ("番号法", 9, 1, None, None, None),
        ("番号法", None, None, None, "別表", 111),
    ]


def test_an_ordinance_and_its_table_row_in_parentheses():
    assert provisions("・番号法第9条第2項 ・番号利用条例第4条第2項及び別表第2(9)の項)") == [
        ("番号法", 9, 2, None, None, None),
        ("番号利用条例", 4, 2, None, None, None),
        ("番号利用条例", None, None, None, "別表第二", 9),
    ]


def test_the_act_under_its_formal_title_and_a_mis_written_table_row():
    # 別表 has 項, not 条: 別表第85条 is row 85 of 別表
    assert provisions(f"{NUMBER_ACT_TITLE} 別表第85条") == [("番号法", None, None, None, "別表", 85)]


@pytest.mark.parametrize(
    "alias", ["番号法", "番号利用法", "マイナンバー法", NUMBER_ACT_TITLE, "行政手続きにおける特定の個人を識別するための番号の利用等に関する法律"]
)
def test_every_name_of_the_my_number_act_is_one_law(alias):
    assert provisions(f"{alias} 第19条第9号") == [("番号法", 19, None, 9, None, None)]


def test_kanji_numerals_are_numbers():
    assert provisions("番号法第十九条第八号") == [("番号法", 19, None, 8, None, None)]
    assert provisions("主務省令第二条の表の第百十七項") == [("主務省令", 2, None, None, "第2条の表", 117)]


def test_a_list_of_articles_with_a_bare_paragraph_continuing_the_previous_article():
    assert provisions("・高齢者の医療の確保に関する法律第48条、第54条第1項、第10項") == [
        ("高齢者の医療の確保に関する法律", 48, None, None, None, None),
        ("高齢者の医療の確保に関する法律", 54, 1, None, None, None),
        ("高齢者の医療の確保に関する法律", 54, 10, None, None, None),
    ]


def test_a_law_named_without_an_article_is_still_cited():
    name = "熊本市個人番号の利用及び特定個人情報の提供に関する条例"
    assert provisions(name) == [(name, None, None, None, None, None)]


def test_the_law_carries_over_until_the_sentence_ends():
    assert provisions("地方税法第1条、第2条。第3条") == [
        ("地方税法", 1, None, None, None, None),
        ("地方税法", 2, None, None, None, None),
    ]


def test_the_ministerial_order_under_its_table_title():
    text = f"{NUMBER_ACT_TITLE}別表の主務省令で定める事務を定める命令 第46条"
    assert provisions(text) == [("主務省令", 46, None, None, None, None)]


def test_a_title_that_names_its_basis_cites_that_basis():
    text = "行政手続きにおける特定の個人を識別するための番号の利用等に関する法律第十九条第八号に基づく利用特定個人情報の提供に関する命令(情報提供)"
    assert provisions(text) == [
        ("番号法", 19, None, 8, None, None),
        ("主務省令", None, None, None, None, None),
    ]


def test_a_table_heading_repeating_the_table_does_not_split_the_citation():
    assert provisions("番号法第19条第8号及び別表第二(別表第二における情報照会の根拠)82の項") == [
        ("番号法", 19, None, 8, None, None),
        ("番号法", None, None, None, "別表第二", 82),
    ]


def test_a_list_of_table_rows_gives_one_citation_per_row():
    text = "番号法第19条第7号及び別表第二 (別表第二における情報提供の根拠) ・80、83の項"
    assert provisions(text)[1:] == [
        ("番号法", None, None, None, "別表第二", 80),
        ("番号法", None, None, None, "別表第二", 83),
    ]


def test_a_law_number_in_parentheses_is_not_a_citation():
    text = (
        "奈良市行政手続における特定の個人を識別するための番号の利用等に関する法律に基づく個人番号の利用及び"
        "特定個人情報の提供に関する条例別表第2の規則で定める事務を定める規則(平成27年奈良市規則第98号)第10条"
    )
    [citation] = parse_legal_basis(text)
    assert citation.law == text.split("(")[0]  # the whole title, 別表第2 included
    assert (citation.article, citation.item) == (10, None)


def test_an_article_with_a_branch_number_is_not_read_as_the_main_article():
    # 第19条の2 is not 第19条: a Citation cannot hold the 枝番, so it is left out
    assert provisions("健康増進法第17条第1項及び第19条の2") == [("健康増進法", 17, 1, None, None, None)]


def test_each_citation_keeps_the_text_it_was_read_from():
    first, second = parse_legal_basis("番号法第9条第1項及び別表の第85項")
    assert first.text == "番号法第9条第1項"
    assert second.text == "別表の第85項"


def test_full_width_digits_are_read():
    assert provisions("番号法第１９条第８号") == [("番号法", 19, None, 8, None, None)]


@pytest.mark.parametrize("text", ["—", "", "番号法の改正による"])
def test_text_citing_nothing_gives_no_citations(text):
    assert parse_legal_basis(text) == []


@pytest.mark.parametrize(
    ("text", "cites"),
    [
        ("番号法第19条第8号主務省令第2条の表の56項", True),
        ("番号利用法 第19条第9号", True),
        ("番号法第9条第1項及び別表の第85項", False),
        ("高齢者の医療の確保に関する法律第110条", False),
        ("地方税法第19条第8号", False),  # article 19 of another law
    ],
)
def test_whether_a_basis_cites_article_19_of_the_my_number_act(text, cites):
    assert cites_number_act_article_19(parse_legal_basis(text)) is cites


def test_article_19_needs_an_item():
    assert not cites_number_act_article_19([Citation("番号法", 19, text="番号法第19条")])
