"""The form (様式3) as the layout-lost reader needs it: every row with its label, its circled number,
the kind of value it holds and, for closed choices, the option list.

The labels are the same words the tidy extractor anchors on (`loaders.extract`), and the option
lists come from the SKOS vocabularies (`loaders.vocabulary`) and the extractor's constants, so both
paths read the form the same way. The kind says how a value that lost its place can be recognised:

- ``line`` / ``text``: free text (one line / any length); placed only beside its label.
- ``choice``: one option of `options` (``10人以上50人未満``), recognised wherever it stands.
- ``ticks``: a checkbox group; torn marks are read per option (`loaders.layout_marks`).
- ``org``: a body's name (株式会社…, …連合会, …基金), recognised by its shape.
- ``date``: a 和暦 or Western date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from loaders import vocabulary
from loaders.extract import (
    AUDIT_OPTIONS,
    DISCLOSURE_OPTIONS,
    ENTRUSTMENT_CHOICES,
    FILE_KINDS,
    INCIDENT_CHOICES,
    MAIN_RECORD_ITEMS,
    RATED_ITEMS,
    SUBCONTRACTING_CHOICES,
)
from loaders.fields import label_key
from loaders.segment import SUBSECTION_TITLES

# Block kinds in the order the form prints them (a 提供先 block never follows a 移転先 block).
BLOCK_ORDER = {"system": 0, "entrustment": 1, "provision": 2, "transfer": 3}
BLOCK_WORDS = {"system": "システム", "entrustment": "委託事項", "provision": "提供先", "transfer": "移転先"}


@dataclass(frozen=True)
class Row:
    """One row of the form."""

    section: str  # "cover", "I", "II", "III", "IV", "V"
    part: int | None  # the numbered sub-section (``4. 委託``); None on the cover
    number: int | None  # the circled number before the label (①→1); None when the form has none
    label: str  # the form's wording, as the tidy extractor's FieldSpec has it
    kind: str  # line, text, choice, ticks, org, date
    options: tuple[str, ...] = ()
    block: str | None = None  # system, entrustment, provision, transfer, or None
    names_block: bool = False  # the row names what its block is about (システムの名称, 委託先名)

    @cached_property
    def key(self) -> str:
        return label_key(self.label)


def _choice(scheme: str) -> tuple[str, ...]:
    return tuple(vocabulary.options(scheme))


def _disclosure_rows(kind: str, word: str) -> list[Row]:
    return [
        Row("II", 5, 1, "法令上の根拠", "text", block=kind),
        Row("II", 5, 2, f"{word}先における用途", "text", block=kind),
        Row("II", 5, 3, f"{word}する情報", "text", block=kind),
        Row("II", 5, 4, f"{word}する情報の対象となる本人の数", "choice", _choice("subjects"), block=kind),
        Row("II", 5, 5, f"{word}する情報の対象となる本人の範囲", "text", block=kind),
        Row("II", 5, 6, f"{word}方法", "ticks", _choice("method"), block=kind),
        Row("II", 5, 7, "時期・頻度", "text", block=kind),
    ]


# The part of III each rated item belongs to; リスクへの対策は十分か closes every risk of parts 2–7.
RATED_PARTS = {
    "ユーザ認証の管理": 3,
    "委託契約書中の特定個人情報ファイルの取扱いに関する規定": 4,
    "再委託先による特定個人情報ファイルの適切な取扱いの担保": 4,
    "特定個人情報の提供・移転に関するルール": 5,
    "事故発生時手順の策定・周知": 7,
    "過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか": 7,
    "従業者に対する教育・啓発": 9,
}


@lru_cache(maxsize=1)
def rows() -> dict[str, list[Row]]:
    """Every row of the form, per section, in the form's order."""
    rated = []
    for label, kind in RATED_ITEMS:
        if isinstance(kind, list):
            options = tuple(kind)
        elif kind == "effort+none":
            options = _choice("effort") + ("再委託していない",)
        else:
            options = _choice(kind)
        rated.append(Row("III", RATED_PARTS.get(label), None, label, "choice", options))
    return {
        "cover": [
            Row("cover", None, None, "評価書番号", "line"),
            Row("cover", None, None, "個人のプライバシー等の権利利益の保護の宣言", "text"),
            Row("cover", None, None, "特記事項", "text"),
            Row("cover", None, None, "評価実施機関名", "org"),
            Row("cover", None, None, "公表日", "date"),
        ],
        "I": [
            Row("I", 1, 1, "事務の名称", "line"),
            Row("I", 1, 2, "事務の内容", "text"),
            Row("I", 1, 3, "対象人数", "choice", _choice("population")),
            Row("I", 2, 1, "システムの名称", "line", block="system", names_block=True),
            Row("I", 2, 2, "システムの機能", "text", block="system"),
            Row("I", 2, 3, "他のシステムとの接続", "ticks", _choice("connection"), block="system"),
            Row("I", 4, None, "法令上の根拠", "text"),
            Row("I", 5, 1, "実施の有無", "choice", _choice("linkage")),
            Row("I", 5, 2, "法令上の根拠", "text"),
            Row("I", 6, 1, "部署", "line"),
            Row("I", 6, 2, "所属長の役職名", "line"),
        ],
        "II": [
            Row("II", 2, 1, "ファイルの種類", "choice", tuple(FILE_KINDS)),
            Row("II", 2, 2, "対象となる本人の数", "choice", _choice("subjects")),
            Row("II", 2, 3, "対象となる本人の範囲", "text"),
            Row("II", 2, None, "その必要性", "text"),
            Row("II", 2, 4, "記録される項目", "choice", _choice("record-count")),
            Row("II", 2, None, "主な記録項目", "ticks", tuple(MAIN_RECORD_ITEMS)),
            Row("II", 2, None, "その妥当性", "text"),
            Row("II", 2, None, "全ての記録項目", "text"),
            Row("II", 2, 5, "保有開始日", "date"),
            Row("II", 2, 6, "事務担当部署", "line"),
            Row("II", 3, 1, "入手元", "ticks", _choice("source")),
            Row("II", 3, 2, "入手方法", "ticks", _choice("method")),
            Row("II", 3, 3, "使用目的", "text"),
            Row("II", 3, None, "使用部署", "line"),
            Row("II", 3, None, "使用者数", "choice", _choice("handlers")),
            Row("II", 3, 5, "使用方法", "text"),
            Row("II", 3, None, "情報の突合", "text"),
            Row("II", 3, 6, "使用開始日", "date"),
            Row("II", 4, None, "委託の有無", "choice", tuple(ENTRUSTMENT_CHOICES)),
            Row("II", 4, 1, "委託内容", "text", block="entrustment"),
            Row("II", 4, 2, "委託先における取扱者数", "choice", _choice("handlers"), block="entrustment"),
            Row("II", 4, 3, "委託先名", "org", block="entrustment", names_block=True),
            Row("II", 4, 4, "再委託の有無", "choice", tuple(SUBCONTRACTING_CHOICES), block="entrustment"),
            Row("II", 4, 5, "再委託の許諾方法", "text", block="entrustment"),
            Row("II", 4, 6, "再委託事項", "text", block="entrustment"),
            Row("II", 5, None, "提供・移転の有無", "ticks", tuple(DISCLOSURE_OPTIONS)),
            *_disclosure_rows("provision", "提供"),
            *_disclosure_rows("transfer", "移転"),
            Row("II", 6, None, "保管場所", "text"),
        ],
        "III": [
            *rated,
            Row("III", 8, None, "実施の有無", "ticks", tuple(AUDIT_OPTIONS)),
        ],
        "IV": [
            Row("IV", 1, 1, "請求先", "text"),
            Row("IV", 1, 2, "請求方法", "text"),
            Row("IV", 1, 3, "法令による特別の手続", "text"),
            Row("IV", 1, 4, "個人情報ファイル簿への不記載等", "text"),
            Row("IV", 2, 1, "連絡先", "text"),
            Row("IV", 2, 2, "対応方法", "text"),
        ],
        "V": [
            Row("V", 1, 1, "実施日", "date"),
            Row("V", 1, 2, "しきい値判断結果", "text"),
            Row("V", 2, 1, "方法", "text"),
            Row("V", 2, 2, "実施日・期間", "text"),
            Row("V", 2, 3, "主な意見の内容", "text"),
            Row("V", 3, 1, "実施日", "date"),
            Row("V", 3, 2, "方法", "text"),
            Row("V", 3, 3, "結果", "text"),
        ],
    }


# Labels of the form that head a group of rows and hold no value themselves.
GROUP_LABELS = ("使用の主体", "再委託", "記録される項目")
INCIDENT_OPTIONS = tuple(INCIDENT_CHOICES)

_CIRCLED_NUMBER = re.compile(r"^\s*(\d{1,2})(?=\D)")


def circled_number(text: str) -> int | None:
    """The leading circled number of a label after NFKC (``①システムの名称`` → ``1システムの名称`` → 1)."""
    match = _CIRCLED_NUMBER.match(text)
    return int(match.group(1)) if match else None


def subsection_title(section: str, part: int) -> str:
    return SUBSECTION_TITLES.get(section, {}).get(part, "")
