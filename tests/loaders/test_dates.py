"""Dates in the reports: 和暦 and Western, complete dates only."""

import datetime as dt

import pytest

from loaders.dates import find_japanese_dates, parse_japanese_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和7年8月13日", dt.date(2025, 8, 13)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),  # 元年 is year 1
        ("令和1年5月21日", dt.date(2019, 5, 21)),
        ("平成27年10月5日", dt.date(2015, 10, 5)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),  # last day of 平成
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("令和七年八月十三日", dt.date(2025, 8, 13)),  # kanji numerals
        ("令和三年三月三十一日", dt.date(2021, 3, 31)),
        ("令和７年８月１３日", dt.date(2025, 8, 13)),  # full-width digits
        ("2017/4/1", dt.date(2017, 4, 1)),
        ("2017年4月1日", dt.date(2017, 4, 1)),
        ("2017-04-01", dt.date(2017, 4, 1)),
    ],
)
def test_a_written_date_is_the_day_it_names(text, expected):
    assert parse_japanese_date(text) == expected


def test_a_date_is_found_inside_surrounding_text():
    assert parse_japanese_date("実施日 令和2年7月7日 (事後)") == dt.date(2020, 7, 7)


def test_the_first_of_several_dates_is_the_date():
    # a change-history row: 変更日, 変更前, 変更後
    assert parse_japanese_date("令和7年4月25日\t平成27年4月3日\t令和7年4月25日") == dt.date(2025, 4, 25)


@pytest.mark.parametrize(
    "text",
    [
        "平成27年10月以降",  # no day: not a date an auditor can compare
        "令和4年10月 デジタル",
        "—",
        "",
        "令和7年2月30日",  # no such day
        "番号法第19条第8号",
    ],
)
def test_text_without_a_complete_date_gives_none(text):
    assert parse_japanese_date(text) is None


def test_every_date_of_a_change_history_is_found_in_order():
    row = "実施日\t2017/4/1\t2018/4/1\t事後\t令和3年3月31日に見直し"
    assert find_japanese_dates(row) == [dt.date(2017, 4, 1), dt.date(2018, 4, 1), dt.date(2021, 3, 31)]


def test_no_dates_is_an_empty_list():
    assert find_japanese_dates("平成27年10月以降") == []
