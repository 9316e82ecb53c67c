"""Dates as the reports write them: 和暦 (令和7年8月13日, 令和元年…, 令和七年八月十三日) and Western
(2017/4/1, 2017年4月1日, 2017-04-01).

Only complete dates count: a year-month ("平成27年10月以降") is not a date an auditor can compare,
so it gives None rather than a guessed first-of-month. Era years are converted through japanera's
era table (its `since` year), kanji numerals through kanjize.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from japanera import ERA_DATA_GENERAL, Era
from kanjize import kanji2number

# Modern eras only (明治 onwards): older era names are two-kanji words that also occur in prose,
# and no 評価書 dates from before 1868.
_ERAS: dict[str, Era] = {
    era.kanji: era for era in ERA_DATA_GENERAL if era.since >= dt.date(1868, 1, 1)
}

# A number as written: Arabic digits (after NFKC) or kanji numerals (七, 十三, 三十一, 〇).
_NUM = r"(?:[0-9]{1,4}|[〇一二三四五六七八九十百千]{1,6})"
_SP = r"\s*"

_DATE_RE = re.compile(
    # 令和7年8月13日 / 令和元年5月1日 / 令和七年八月十三日
    rf"(?P<era>{'|'.join(_ERAS)}){_SP}(?P<ey>元|{_NUM}){_SP}年{_SP}"
    rf"(?P<em>{_NUM}){_SP}月{_SP}(?P<ed>{_NUM}){_SP}日"
    # 2017年4月1日 (a four-digit year, not the tail of a longer number)
    rf"|(?<![0-9])(?P<ky>[0-9]{{4}}){_SP}年{_SP}(?P<km>[0-9]{{1,2}}){_SP}月{_SP}(?P<kd>[0-9]{{1,2}}){_SP}日"
    # 2017/4/1, 2017-04-01, 2017.4.1: the separator must repeat, so "2017/4-1" is not a date
    r"|(?<![0-9])(?P<wy>[0-9]{4})(?P<sep>[/\-.])(?P<wm>[0-9]{1,2})(?P=sep)(?P<wd>[0-9]{1,2})(?![0-9])"
)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else kanji2number(text)


def _date_of(match: re.Match[str]) -> dt.date | None:
    """The date a match spells, or None when it names no real day (2月30日, 令和0年)."""
    try:
        if match["era"]:
            relative = 1 if match["ey"] == "元" else _number(match["ey"])
            if relative < 1:
                return None
            year = _ERAS[match["era"]].relative_year_to_absolute_year(relative)
            return dt.date(year, _number(match["em"]), _number(match["ed"]))
        if match["ky"]:
            return dt.date(int(match["ky"]), int(match["km"]), int(match["kd"]))
        return dt.date(int(match["wy"]), int(match["wm"]), int(match["wd"]))
    except ValueError:
        return None


def find_japanese_dates(text: str) -> list[dt.date]:
    """Every complete date in `text`, in order of appearance."""
    text = unicodedata.normalize("NFKC", text or "")
    return [d for m in _DATE_RE.finditer(text) if (d := _date_of(m)) is not None]


def parse_japanese_date(text: str) -> dt.date | None:
    """The first complete date in `text` (surrounding words allowed), or None.

    >>> parse_japanese_date("令和7年8月13日")
    datetime.date(2025, 8, 13)
    >>> parse_japanese_date("平成27年10月以降") is None
    True
    """
    dates = find_japanese_dates(text)
    return dates[0] if dates else None
