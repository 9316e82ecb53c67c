"""Tables an auditor pastes into a workpaper: Excel (.xlsx) and CSV, the same for every page.

* Excel (openpyxl): one named sheet (検証結果, 評価書 …), the Japanese header row bold, frozen and
  with a filter (autofilter), each column as wide as its contents (full-width characters count two),
  long text wrapped; numbers stay numbers, dates are dates (``yyyy-mm-dd``), yes/no is はい/いいえ,
  a missing value is an empty cell, a list is joined with ``、``.
* CSV: UTF-8 with a BOM, so Excel opens Japanese text without asking for the encoding.

The rows are plain dicts whose keys are the Japanese column names (what `piagraph.views` returns);
evidence columns (評価書, 節, 行, 記載, 引用) are ordinary columns of those rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

MAX_COLUMN_WIDTH = 60
"""Widest column, in Excel's character units; longer text wraps."""

HEADER_COLOUR = "DDEBF7"

_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def cell_value(value):
    """A value as Excel should hold it: int/float/date as they are, bool as はい/いいえ, None as empty,
    a list joined with ``、``, anything else as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, (int, float, dt.date)):
        return value
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return str(value)


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: full-width (全角) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def columns_of(rows: list[dict]) -> list[str]:
    """The column names in first-seen order."""
    return list(dict.fromkeys(name for row in rows for name in row))


def sheet_name(name: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return (name.translate(_SHEET_FORBIDDEN) or "表")[:31]


def xlsx_bytes(rows: list[dict], sheet: str, columns: list[str] | None = None) -> bytes:
    """The rows as an Excel workbook with one sheet named `sheet` (see the module docstring)."""
    # imported when a workbook is made: every page imports this module, few pages are exported
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = columns or columns_of(rows)
    book = Workbook()
    table = book.active
    table.title = sheet_name(sheet)
    table.append(columns)
    for cell in table[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        table.append([cell_value(row.get(name)) for name in columns])
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        longest = max([display_width(name)] + [max((display_width(line) for line in _shown(cell_value(row.get(name))).splitlines()), default=0)
                                                for row in rows])
        table.column_dimensions[letter].width = min(MAX_COLUMN_WIDTH, longest + 2)
        for cell in table[letter][1:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and longest + 2 > MAX_COLUMN_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    table.freeze_panes = "A2"
    if columns:
        table.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], columns: list[str] | None = None) -> bytes:
    """The rows as CSV in UTF-8 with a BOM (dates as YYYY-MM-DD, yes/no as はい/いいえ)."""
    columns = columns or columns_of(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_shown(cell_value(row.get(name))) for name in columns])
    return buffer.getvalue().encode("utf-8-sig")
