"""Citations read from a legal basis (法令上の根拠).

The caller keeps the legal basis verbatim; this module reads it the way a lawyer would, into
citations of (law, 条, 項, 号, 別表/条の表, 表の項):

    番号法第9条第1項及び別表の第85項
      → 番号法 第9条第1項  +  番号法 別表 第85項

The reading is a left-to-right scan over a handful of token kinds (a law name, 第N条, 第N項,
第N号, 別表…, "Nの項" rows, sentence ends). A small state machine turns the tokens into
citations: a 第N項 after an article is a paragraph, after a table it is the table's row; a bare
第N項 after a finished 第N条第N項 continues that article (第54条第1項、第10項); a law carries over
to the following references until another law is named or the sentence ends.

Limits: an article with a 枝番 (第19条の2) is not cited, nor are the 項/号 that follow it —
`article` is an int, and reading it as 第19条 would cite the wrong provision; references with no
law named before them in the same sentence are dropped (a citation always has a law); text in
parentheses right after a law name (its 法令番号 or alias, "(番号法)") is skipped, and an alias a
report defines ("以下「番号利用条例」という") is not resolved to the full title. Both 主務省令 (the
別表 one and the 第19条第8号 one) are named 主務省令; the table (第2条の表) or article tells them apart.
Spans (`Citation.text`) are of the NFKC-normalised input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from kanjize import kanji2number, number2kanji


@dataclass(frozen=True)
class Citation:
    """One provision cited: e.g. 番号法 第19条 第8号, or 主務省令 第2条の表 第117項."""

    law: str  # canonical short name (番号法, 主務省令) or the law's name as written
    article: int | None = None  # 第N条
    paragraph: int | None = None  # 第N項 of the article
    item: int | None = None  # 第N号
    table: str | None = None  # 別表, 別表第一, 別表第二, 第2条の表 …
    row: int | None = None  # the table's 第N項 / Nの項
    text: str = ""  # the span of the (NFKC-normalised) input this citation was read from

    @property
    def key(self) -> tuple:
        """The provision itself, without the wording: two spellings of one provision share it."""
        return (self.law, self.article, self.paragraph, self.item, self.table, self.row)


NUMBER_ACT = "番号法"
MINISTERIAL_ORDER = "主務省令"

# --- canonical law names ----------------------------------------------------------------------

# The My Number Act under its formal title and the short names reports use. Matched at the end of
# a name, so "…に関する法律" counts but "…に関する法律施行令" does not.
_NUMBER_ACT_NAME = re.compile(
    r"(?:番号法|番号利用法|マイナンバー法"
    r"|行政手続き?における特定の個人を識別するための番号の利用等に関する法律)$"
)
# The 主務省令 under their titles: the 別表 one (…別表の主務省令で定める事務を定める命令; before
# 2024 …別表第二の主務省令で定める事務及び情報を定める命令) and the 第19条第8号 one (…に基づく利用
# 特定個人情報の提供に関する命令).
_MINISTERIAL_NAME = re.compile(
    r"(?:主務省令|主務省令で定める事務(?:及び情報)?を定める命令|特定個人情報の提供に関する命令)$"
)
# Words that join a law name to what came before ("…第8号に基づく主務省令", "及び地方税法").
_LEADING_JOINERS = re.compile(r"^(?:及び|並びに|又は|若しくは|に基づく|による|において|の)+")


# "同法第N条" cites the law named just before.
_SAME_LAW = {"同法", "同令", "同条例", "同規則", "同規程", "同省令", "同政令", "同命令"}


def _canonical_law(name: str) -> str:
    if _MINISTERIAL_NAME.search(name):
        return MINISTERIAL_ORDER
    if _NUMBER_ACT_NAME.search(name):
        return NUMBER_ACT
    return name


# --- tokens -----------------------------------------------------------------------------------

_KANJI_DIGITS = "〇一二三四五六七八九十百千"
_NUM = rf"(?:[0-9]+|[{_KANJI_DIGITS}]+)"


def _int(text: str) -> int:
    return int(text) if text.isdigit() else kanji2number(text)


# A law name: a run of name characters ending in a law-type word (法律, 法, 条例, 規則, 規程, 令 of
# 命令/省令/政令), followed by a reference, a separator or the end. Whitespace, bullets and brackets
# end a run, and so does 第 — except where a title itself cites a provision ("…法律第19条第8号に
# 基づく…命令") or a table ("…条例別表第2の規則…"): those are part of the title.
_SEPARATORS = r"\s・、,。()\[\]【】「」『』<>※*:;|"
_NAME_CHAR = rf"[^{_SEPARATORS}0-9第]"
_TITLE_CITES_ARTICLE = rf"第{_NUM}条(?:第{_NUM}項)?(?:第{_NUM}号)?に基づく"
_TITLE_CITES_TABLE = rf"(?<=別表)第{_NUM}(?=の(?!第|[0-9]))"
_LAW_WORD = r"(?:法律|(?<!方)法|条例|規則|規程|令)"  # (?<!方): 方法 ("確認方法") is no law
_NAME_END = rf"(?=$|[{_SEPARATORS}]|第|別表|及び|並びに|又は|に基づく)"
_LAW = (
    rf"(?:{_NAME_CHAR}|{_TITLE_CITES_ARTICLE}|{_TITLE_CITES_TABLE}){{0,200}}"
    rf"{_LAW_WORD}{_NAME_END}"
)

_TABLE_NUMBER_FOLLOWS = rf"(?![{_KANJI_DIGITS}0-9])(?!\s*[項条号])"

_TOKEN = re.compile(
    "|".join(
        rf"(?P<{kind}>{pattern})"
        for kind, pattern in [
            # 。 and ※ (a remark) end a sentence: the law no longer carries over.
            ("stop", r"[。※]"),
            # A 法令番号 in parentheses, "(平成27年2月13日府番第27号、…)": numbers, not citations.
            ("lawno", rf"\([^()]*?(?:明治|大正|昭和|平成|令和)[^()]*?第{_NUM}号[^()]*\)"),
            # Rows in parentheses: 別表第2(9)の項, 別表第1(6の項).
            ("prow", r"\(\s*(?P<prow_n>[0-9]+)\s*\)\s*の?項|\(\s*(?P<prow_m>[0-9]+)\s*の項\s*\)"),
            # "別表第85条": 別表 has 項, not 条 — a mis-writing of 別表 第85項.
            ("tabart", rf"別表第(?P<tabart_n>{_NUM})条"),
            # "別表 85": a bare number after 別表 is its row.
            ("tabnum", r"別表\s+(?P<tabnum_n>[0-9]+)(?![0-9]|\s*[条項号の])"),
            # 別表, 別表第一, 別表第2 — but in 別表第111項 the number is the row (第111項), not a table.
            ("table", rf"別表(?:第(?P<table_n>{_NUM}){_TABLE_NUMBER_FOLLOWS})?"),
            # 第2条の表: a table inside an article (主務省令第2条の表).
            ("arttable", rf"第(?P<arttable_n>{_NUM})条の表"),
            # 第19条の2: an article with a 枝番, which a Citation cannot hold (see Limits).
            ("branch", rf"第{_NUM}条の(?:[0-9]+|[{_KANJI_DIGITS}]+)"),
            ("article", rf"第(?P<article_n>{_NUM})条"),
            ("para", rf"第(?P<para_n>{_NUM})項"),
            ("item", rf"第(?P<item_n>{_NUM})号"),
            # Table rows without 第: "83の項", "80、83の項", "2.3.6.13の項", "56項" (not 項目).
            ("rows", r"(?<![0-9第])[0-9]+(?:\s*[、,.・]\s*[0-9]+)*\s*の?項(?!目)"),
            ("law", _LAW),
        ]
    )
)
_ROW_NUMBER = re.compile(r"[0-9]+")
_PAREN_AFTER_LAW = re.compile(r"\s*\([^()]*\)")
_TITLE_CITATION = re.compile(_TITLE_CITES_ARTICLE)


def _table_name(number: str | None) -> str:
    return "別表" if number is None else f"別表第{number2kanji(_int(number))}"


# --- the state machine ------------------------------------------------------------------------


@dataclass
class _Open:
    """A citation being read: the fields so far and its span."""

    law: str
    start: int
    end: int
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    table: str | None = None
    row: int | None = None

    def has_reference(self) -> bool:
        return any(v is not None for v in (self.article, self.paragraph, self.item, self.table, self.row))


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.citations: list[Citation] = []
        self.law: str | None = None
        self.open: _Open | None = None
        self.last_law: str | None = None
        self.skipping = False  # inside the 項/号 of an article that is not cited (a 枝番)

    # Helpers --------------------------------------------------------------------------------

    def flush(self) -> None:
        if self.open is not None:
            o = self.open
            self.citations.append(
                Citation(o.law, o.article, o.paragraph, o.item, o.table, o.row, self.text[o.start : o.end])
            )
        self.open = None

    def start(self, start: int, end: int, **fields) -> None:
        """Finish the open citation and open a new one of the current law."""
        self.flush()
        if self.law is not None:
            self.open = _Open(self.law, start, end, **fields)

    def fill(self, end: int, **fields) -> None:
        for name, value in fields.items():
            setattr(self.open, name, value)
        self.open.end = end

    def law_only(self) -> bool:
        """The open citation names a law and nothing yet: the next reference completes it."""
        return self.open is not None and not self.open.has_reference()

    # Events ---------------------------------------------------------------------------------

    def on_law(self, start: int, end: int) -> None:
        name = self.text[start:end]
        written = _LEADING_JOINERS.sub("", name)
        if len(written) < 2:  # a bare 法 / 令 left by the joiners: no name
            return
        self.flush()
        # A title that cites its own basis ("番号法第19条第8号に基づく主務省令") cites that basis too.
        title_cites = _TITLE_CITATION.search(name)
        if title_cites:
            inner = _Reader(self.text)
            inner.scan(start, start + title_cites.end() - len("に基づく"))
            self.citations.extend(inner.citations)
        if written in _SAME_LAW:  # 同法第N条: the law named last, even in an earlier sentence
            if self.last_law is None:
                return
            self.law = self.last_law
        else:
            self.law = self.last_law = _canonical_law(written)
        self.open = _Open(self.law, start + len(name) - len(written), end)

    def on_article(self, start: int, end: int, number: int, table: str | None = None) -> None:
        if self.law_only():
            self.fill(end, article=number, table=table)
        else:
            self.start(start, end, article=number, table=table)

    def on_paragraph(self, start: int, end: int, number: int) -> None:
        o = self.open
        if o is None:
            self.start(start, end, paragraph=number)
        elif o.table is not None:  # a table's 第N項 is a row
            self.on_row(start, end, number)
        elif o.article is not None and (o.paragraph is not None or o.item is not None):
            # 第54条第1項、第10項: a new paragraph of the same article
            self.start(start, end, article=o.article, paragraph=number)
        else:
            self.fill(end, paragraph=number)

    def on_item(self, start: int, end: int, number: int) -> None:
        o = self.open
        if o is None:
            self.start(start, end, item=number)
        elif o.item is not None or o.table is not None:  # 第19条第7号、第8号
            self.start(start, end, article=o.article, paragraph=o.paragraph, item=number)
        else:
            self.fill(end, item=number)

    def on_table(self, start: int, end: int, table: str, row: int | None = None) -> None:
        o = self.open
        if o is not None and o.table == table and o.row is None and o.article is None:
            # "別表第二(別表第二における情報照会の根拠)82の項": the heading repeats the table.
            self.fill(end)
        elif self.law_only():
            self.fill(end, table=table)
        else:
            self.start(start, end, table=table)
        if row is not None:
            self.on_row(start, end, row)

    def on_row(self, start: int, end: int, number: int) -> None:
        o = self.open
        if o is None:
            self.start(start, end, row=number)
        elif o.table is not None and o.row is not None:  # 80、83の項: another row of the table
            self.start(start, end, article=o.article, table=o.table, row=number)
        elif o.table is None and o.has_reference():
            self.start(start, end, row=number)
        else:
            self.fill(end, row=number)

    def on_stop(self) -> None:
        self.flush()
        self.law = None

    # The scan -------------------------------------------------------------------------------

    def scan(self, pos: int, endpos: int) -> None:
        text = self.text
        while (m := _TOKEN.search(text, pos, endpos)) is not None:
            kind, start, end = m.lastgroup, m.start(), m.end()
            pos = end
            if kind not in ("branch", "para", "item", "prow", "rows"):
                self.skipping = False
            if kind == "stop":
                self.on_stop()
            elif kind == "law":
                self.on_law(start, end)
                # "(平成27年奈良市条例第42号。以下「番号利用条例」という。)", "(番号法)": about the law.
                if (paren := _PAREN_AFTER_LAW.match(text, pos, endpos)) is not None:
                    pos = paren.end()
            elif self.law is None:
                continue  # a reference to no named law
            elif kind == "branch":
                self.flush()  # and the 項/号 that follow belong to it: nothing is open to take them
                self.skipping = True
            elif kind in ("para", "item", "prow", "rows") and self.skipping:
                continue
            elif kind == "article":
                self.on_article(start, end, _int(m["article_n"]))
            elif kind == "arttable":
                n = _int(m["arttable_n"])
                self.on_article(start, end, n, table=f"第{n}条の表")
            elif kind == "para":
                self.on_paragraph(start, end, _int(m["para_n"]))
            elif kind == "item":
                self.on_item(start, end, _int(m["item_n"]))
            elif kind == "table":
                self.on_table(start, end, _table_name(m["table_n"]))
            elif kind == "tabart":
                self.on_table(start, end, "別表", _int(m["tabart_n"]))
            elif kind == "tabnum":
                self.on_table(start, end, "別表", int(m["tabnum_n"]))
            elif kind == "prow":
                self.on_row(start, end, int(m["prow_n"] or m["prow_m"]))
            elif kind == "rows":
                for number in _ROW_NUMBER.finditer(m.group()):
                    self.on_row(start + number.start(), start + number.end(), int(number.group()))
                self.open.end = end
        self.flush()


def parse_legal_basis(text: str) -> list[Citation]:
    """The citations of a legal basis, in order, each provision once.

    >>> [(c.law, c.article, c.paragraph, c.table, c.row) for c in parse_legal_basis("番号法第9条第1項及び別表の第85項")]
    [('番号法', 9, 1, None, None), ('番号法', None, None, '別表', 85)]
    """
    text = unicodedata.normalize("NFKC", text or "")
    reader = _Reader(text)
    reader.scan(0, len(text))
    seen: set[tuple] = set()
    citations = []
    for citation in reader.citations:
        if citation.key not in seen:
            seen.add(citation.key)
            citations.append(citation)
    return citations


def cites_number_act_article_19(citations: Iterable[Citation]) -> bool:
    """Whether any citation is 番号法 第19条 with an item (第19条第N号: a permitted provision)."""
    return any(c.law == NUMBER_ACT and c.article == 19 and c.item is not None for c in citations)
