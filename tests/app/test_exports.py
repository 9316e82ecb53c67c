"""Workpaper exports: the .xlsx read back with openpyxl, the CSV as Excel reads it."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from app.exports import csv_bytes, display_width, xlsx_bytes

ROWS = [
    {"重要度": "違反", "規則": "PIA-R18", "メッセージ": "委託事項に①委託内容がない", "評価書": "001_a254beb0297f7ce1.txt",
     "節": "II-4 委託事項2", "行": 1179, "公表日": dt.date(2025, 8, 26), "現行版": True, "記載": None},
    {"重要度": "警告", "規則": "PIA-R40", "メッセージ": "公表日から5年以上経過している", "評価書": "midori_jidou.txt",
     "節": "表紙", "行": 6, "公表日": dt.date(2019, 3, 1), "現行版": False, "記載": "2019-03-01"},
]


def workbook(rows=ROWS, sheet="検証結果"):
    return load_workbook(io.BytesIO(xlsx_bytes(rows, sheet)))


def test_the_sheet_is_named_and_its_header_is_japanese_bold_frozen_and_filtered():
    book = workbook()
    assert book.sheetnames == ["検証結果"]
    sheet = book["検証結果"]
    assert [cell.value for cell in sheet[1]] == list(ROWS[0])
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"


def test_numbers_are_numbers_and_dates_are_dates():
    sheet = workbook()["検証結果"]
    line, published = sheet["F2"], sheet["G2"]
    assert line.value == 1179 and line.data_type == "n"
    assert published.value == dt.datetime(2025, 8, 26) and published.is_date and published.number_format == "yyyy-mm-dd"
    assert sheet["H2"].value == "はい" and sheet["H3"].value == "いいえ"
    assert sheet["I2"].value is None  # a missing value is an empty cell, not "None"


def test_columns_are_as_wide_as_their_contents():
    sheet = workbook()["検証結果"]
    assert sheet.column_dimensions["C"].width >= display_width("公表日から5年以上経過している")
    assert sheet.column_dimensions["F"].width >= 4  # 行: four digits, never cut
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["C"].width


def test_a_forbidden_sheet_name_is_made_valid():
    assert workbook(sheet="比較/差分[1]")["比較_差分_1_"].max_row == 3


def test_csv_is_utf8_with_bom_and_excel_dates():
    data = csv_bytes(ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "重要度,規則,メッセージ,評価書,節,行,公表日,現行版,記載"
    assert lines[1].endswith(",1179,2025-08-26,はい,")
