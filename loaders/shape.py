"""Which shape a report arrives in, so the pipeline can pick the reader that fits it.

Three shapes reach auditors:

- ``tidy-text``: a conversion that kept the form's table, as tab-separated rows, HTML fragments or
  markdown (seeds 000, 002–004): label and value share a row.
- ``layout-lost-text``: plain text extracted from a PDF whose table layout was lost (seed 001): no
  row separators, labels and values in separate paragraphs, checkbox marks torn apart (``[ ○``,
  ``] 紙``), the option lists (``＜選択肢＞``) standing alone.
- ``pdf``: the PDF file itself (magic ``%PDF-``), read with its cell geometry by `loaders.pdf`.
"""

from __future__ import annotations

import re

TIDY = "tidy-text"
LAYOUT_LOST = "layout-lost-text"
PDF = "pdf"
SHAPES = (TIDY, LAYOUT_LOST, PDF)

_MARKUP = re.compile(r"<(?:p|td|tr|li|br|input|div|table)\b|^\s*\|.*\|\s*$", re.IGNORECASE | re.MULTILINE)
# A mark torn from its option: a lone bracket, a lone circle, ``[ ○`` or ``○ ]``.
_TORN_MARK = re.compile(r"^\s*(?:\[|\]|○|\[\s*○|○\s*\]|\[\s*\[)\s*$")
_OPTION_LIST = re.compile(r"^\s*[<＜]選択肢[>＞]\s*$")
# A numbered row of the form without a tab after its label (``③委託先名 日本電気株式会社``).
_UNTABBED_ROW = re.compile(r"^\s*[①-⑳][^\t]*$")

# A tidy conversion writes most rows with a tab; layout-lost text has (almost) none.
MIN_TAB_SHARE = 0.05
# Torn marks and lone option lists, or numbered rows without tabs: a handful are enough to tell
# layout-lost text from prose.
MIN_TORN = 5
MIN_UNTABBED_ROWS = 10


def is_pdf(data: bytes) -> bool:
    """The PDF header (``%PDF-``) within the first KiB: some files carry a little junk before it."""
    return b"%PDF-" in data[:1024]


def text_shape(text: str) -> str:
    """``tidy-text`` or ``layout-lost-text`` for a decoded report."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return TIDY
    tab_share = sum("\t" in line for line in lines) / len(lines)
    if tab_share >= MIN_TAB_SHARE or len(_MARKUP.findall(text)) >= MIN_TORN:
        return TIDY
    torn = sum(bool(_TORN_MARK.match(line) or _OPTION_LIST.match(line)) for line in lines)
    untabbed = sum(bool(_UNTABBED_ROW.match(line)) for line in lines)
    return LAYOUT_LOST if torn >= MIN_TORN or untabbed >= MIN_UNTABBED_ROWS else TIDY
