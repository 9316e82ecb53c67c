"""Stage 1 of the pipeline: the bytes of a report file → `SourceText` (decoded text).

Encoding: valid UTF-8 always wins. Otherwise each legacy codec that decodes the bytes strictly competes, and the
one yielding the most form vocabulary (特定個人情報, 評価書, 事務 …) and fewest private-use characters wins; then
charset-normalizer's guess of the byte family (Shift_JIS or EUC), then a fixed order (see LEGACY_ENCODINGS).

Rejected with a one-line `ReportError`: missing files, directories, empty files, files larger than any
report's text (`MAX_TEXT_BYTES`), binary files, PDFs (`PdfInput`, for routing to the PDF reader), files
cut off inside a character, undecodable bytes (e.g. two encodings in one file) and text that is not a
特定個人情報保護評価書.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ontology.errors import PdfInput, ReportError

# Legacy codecs in order of preference (ties go to the earlier one). The variants of one byte family differ
# only in symbols like ～/〜 and －/−, which no detector can judge (charset-normalizer takes some CP932 files for
# Shift_JIS-2004), so CP932, what Windows and Excel write, comes first. Python's euc_jis_2004 reads every byte
# sequence euc_jp reads, as the same text, so the narrower EUC-JP is named when it fits.
LEGACY_ENCODINGS = ("cp932", "euc_jp", "euc_jis_2004", "shift_jis_2004")
_FAMILY = {"cp932": "sjis", "shift_jis_2004": "sjis", "euc_jis_2004": "euc", "euc_jp": "euc"}

# Words that make up the text of every 様式 (form); used to rank candidate decodings.
VOCABULARY = ("特定個人情報", "評価書", "事務", "個人番号", "評価実施機関", "基本情報", "委託", "提供", "移転", "リスク")
# Headings of the form (checked after NFKC, whitespace removed); a report has at least two of them.
FORM_MARKERS = (
    "評価書番号",
    "評価書名",
    "評価実施機関名",
    "個人のプライバシー等の権利利益の保護の宣言",
    "基本情報",
    "特定個人情報ファイル名",
    "特定個人情報ファイルの概要",
    "リスク対策",
    "評価実施手続",
)
MIN_MARKERS = 2

# A report's text is at most a few hundred KB (the largest seed: 0.36 MB; a 全項目評価書 a few MB): a
# larger "text" file is something else, or many reports in one, and is refused before it is read.
MAX_TEXT_BYTES = 16_000_000

# Magic numbers of non-text files people mistake for reports.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive or Office file (.docx/.xlsx)"),
    (b"PK\x05\x06", "a ZIP archive or Office file (.docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF document"),
)
_SUSPECT = re.compile("[\x80-\x9f\ue000-\uf8ff]")  # C1 controls and private use: signs of a wrong codec
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Doubt:
    """A line of the text whose reading is uncertain (a PDF cell joined across a page by position):
    every value read from it is no surer than `confidence`, for `reason` (Japanese, shown to the auditor)."""

    line: int  # 1-based, in `SourceText.text`
    confidence: float
    reason: str


@dataclass(frozen=True)
class SourceText:
    path: str  # the file name as given
    text: str  # decoded text: BOM removed, CRLF and lone CR turned into \n; nothing else changed
    encoding: str  # "utf-8", "utf-8-sig", "cp932", "euc_jis_2004", "euc_jp" or "shift_jis_2004"
    newline: str  # "\n", "\r\n" or "\r" as found in the source (the most common one)
    doubts: tuple[Doubt, ...] = ()  # lines the text was rebuilt from with doubt (PDF pages)


def read_report(path: str | Path) -> SourceText:
    """Read and decode one report file; raise `ReportError` if it is not a readable 評価書."""
    p = Path(path)
    if p.is_dir():
        raise ReportError(path, "is a directory, not a report file")
    try:
        with p.open("rb") as handle:
            head = handle.read(1024)
            if b"%PDF-" in head:
                raise PdfInput(path)  # read by loaders.pdf, which has its own size limit
            data = head + handle.read(MAX_TEXT_BYTES + 1 - len(head))  # bounded: a device never ends
            size = max(os.fstat(handle.fileno()).st_size, len(data))
    except FileNotFoundError:
        raise ReportError(path, "no such file") from None
    except OSError as e:
        raise ReportError(path, f"cannot be read ({e.strerror or e})") from None
    return decode_report(data, path, size)


def too_large(size: int, limit: int) -> str:
    return f"is larger than any report ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB)"


def decode_report(data: bytes, path: str | Path, size: int | None = None) -> SourceText:
    """Decode the bytes of a report named `path` (`size`: the file's, when `data` is its first
    `MAX_TEXT_BYTES` + 1 only); raise `ReportError` if they are not a 評価書."""
    if not data:
        raise ReportError(path, "is empty")
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk
        raise PdfInput(path)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ReportError(path, f"is {kind}, not a report")
    if len(data) > MAX_TEXT_BYTES:
        raise ReportError(path, too_large(size or len(data), MAX_TEXT_BYTES))
    if b"\x00" in data:
        raise ReportError(path, "contains NUL bytes (binary data or UTF-16), not a text report")

    raw, encoding = _decode(data, path)
    if not raw.strip():
        raise ReportError(path, "is empty (whitespace only)")
    _check_form(raw, path)
    newlines = Counter(_NEWLINE.findall(raw))
    newline = max(("\n", "\r\n", "\r"), key=lambda n: newlines[n])  # ties (none at all) → "\n"
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path=str(path), text=text, encoding=encoding, newline=newline)


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 if valid, else the best strictly decoding legacy codec."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as e:
        if e.end == len(data) and e.reason == "unexpected end of data":
            raise ReportError(path, "ends in the middle of a UTF-8 character: the file was cut off") from None
        line = data.count(b"\n", 0, e.start) + 1
        utf8_error = f"invalid UTF-8 byte 0x{data[e.start]:02x} on line {line} (offset {e.start})"
        if not data[:e.start].isascii():  # UTF-8 text before it: a second encoding from there on?
            utf8_error += ", after UTF-8 text (two encodings in one file?)"

    candidates = {}
    for enc in LEGACY_ENCODINGS:
        try:
            candidates[enc] = data.decode(enc)
        except UnicodeDecodeError:
            pass
    if not candidates:
        tried = "CP932, EUC-JP, EUC-JIS-2004 or Shift_JIS-2004"
        raise ReportError(path, f"decodes in no supported encoding: {utf8_error}, and not as {tried} either")

    guess = from_bytes(data, cp_isolation=list(candidates)).best() if len(candidates) > 1 else None
    family = _FAMILY.get(guess.encoding) if guess else None

    def rank(enc: str) -> tuple:
        text = candidates[enc]
        return (
            sum(text.count(word) for word in VOCABULARY),
            -len(_SUSPECT.findall(text)),
            _FAMILY[enc] == family,
            -LEGACY_ENCODINGS.index(enc),
        )

    best = max(candidates, key=rank)
    return candidates[best], best


def _check_form(text: str, path: str | Path) -> None:
    """Require 特定個人情報 and at least two form headings (NFKC, whitespace ignored)."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    markers = sum(marker in flat for marker in FORM_MARKERS)
    if "特定個人情報" not in flat or markers < MIN_MARKERS:
        raise ReportError(path, "not a 特定個人情報保護評価書 (no form headings found)")
