"""A PDF's characters as the loaders read them: what the PDF's fonts broke, repaired glyph by glyph.

PDF fonts map characters to Unicode through their own tables, and those tables are often wrong in
ways a reader never sees on paper:

- ideographs written as radicals: Kangxi radicals (``⼈`` for 人; NFKC repairs them) and radicals of
  the CJK Radicals Supplement (``⺠`` for 民; NFKC leaves them: a small table);
- the katakana middle dot ``・`` written as U+2027 HYPHENATION POINT (``サービス検索‧電子申請``), the
  full-width angle brackets of ``＜選択肢＞`` as ``‹ ›``;
- checkbox glyphs of Excel exports: ``■ ☒ ✓`` ticked, ``□`` empty — turned into the marks `normalise`
  reads (☑ ☐); a box drawn with a symbol font (Wingdings) by its code in that font;
- a glyph without any Unicode mapping (pdfminer's ``(cid:N)``, or a private-use code point): between
  the brackets of a mark it is a mark whose state cannot be read (▢, read with confidence < 1 by
  `loaders.marks`); elsewhere it is a character the PDF does not say, written 〓 (geta, the
  typesetter's sign for a missing glyph) so that no text is invented for it.

Everything else is left as the PDF has it: the raw text is the evidence, and `normalise` applies
NFKC to the cells it reads.
"""

from __future__ import annotations

import re
import unicodedata

# Radicals of the CJK Radicals Supplement that fonts use for whole ideographs; NFKC leaves them.
RADICALS = {"⺠": "民", "⻑": "長", "⻄": "西", "⻘": "青", "⻝": "食", "⻤": "鬼", "⻩": "黄",
            "⻫": "斉", "⻭": "歯", "⻯": "竜", "⻲": "亀", "⻆": "角", "⻨": "麦"}
# Punctuation that Japanese fonts map to look-alike code points.
LOOK_ALIKES = {"\u2027": "・", "‹": "＜", "›": "＞"}
TICKED_GLYPHS = "■☒✓✔☑"
EMPTY_GLYPHS = "□☐"
# Box glyphs of the symbol fonts Excel uses for checkboxes, by their code in the font.
SYMBOL_FONTS = ("wingdings", "webdings", "zapfdingbats", "dingbats")
SYMBOL_BOXES = {"þ": "☑", "ý": "☑", "x": "☑", "ü": "☑", "o": "☐", "¨": "☐", "q": "☐", "p": "☐"}
UNREADABLE_MARK = "▢"
MISSING_GLYPH = "〓"

_KANGXI = re.compile("[\u2f00-\u2fdf]")
_MARK_TABLE = str.maketrans({**{g: "☑" for g in TICKED_GLYPHS}, **{g: "☐" for g in EMPTY_GLYPHS}})
_TEXT_TABLE = str.maketrans({**RADICALS, **LOOK_ALIKES})
_UNMAPPED = re.compile(r"\(cid:\d+\)|[\ue000-\uf8ff]")
# An unmapped glyph alone between the brackets of a mark: ``[ (cid:12) ]``.
_UNREADABLE_IN_BRACKETS = re.compile(r"(\[\s*)" + MISSING_GLYPH + r"(\s*\])")


def repair(text: str) -> str:
    """Text from a PDF with its font damage repaired: ideographs for radicals, ``・`` for U+2027,
    checkbox glyphs as marks, unmapped glyphs as 〓 (▢ between a mark's brackets)."""
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _UNMAPPED.sub(MISSING_GLYPH, text.translate(_TEXT_TABLE).translate(_MARK_TABLE))
    return _UNREADABLE_IN_BRACKETS.sub(r"\1" + UNREADABLE_MARK + r"\2", text)


def glyph_text(text: str, fontname: str) -> str:
    """One PDF character as text: a symbol font's box glyph as a mark (▢ for a glyph of such a font
    that is not a known box), other characters as they are (`repair` runs on whole lines)."""
    if any(name in fontname.lower() for name in SYMBOL_FONTS):
        return SYMBOL_BOXES.get(text, UNREADABLE_MARK) if text.strip() else text
    return text
