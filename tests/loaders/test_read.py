"""Tests of loaders.read: bytes → SourceText, and the rejections of files that are not reports."""

import random
from pathlib import Path

import pytest

from loaders.read import SourceText, _decode, decode_report, read_report
from ontology.errors import PdfInput, ReportError
from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"
SEED_NAMES = [
    "000_9faffa5d1775a5db.txt",
    "002_b716d8e1545cc6b4.txt",
    "003_c8613c731053c915.txt",
    "004_50b001bb84990526.txt",
]
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seeds not found at {SEEDS}")

# Characters of the seeds that a legacy encoding cannot represent, and what the test writes instead:
# U+2014 EM DASH has no code in CP932 or (in Python's codecs) EUC-JIS-2004: their dash 0x815C / 0xA1BD
# decodes to U+2015 HORIZONTAL BAR. U+00A0 NO-BREAK SPACE (seed 004) is not in CP932.
SUBSTITUTES = {"\u2014": "\u2015", "\u00a0": " "}

# A minimal report: 特定個人情報 and three form headings.
SAMPLE = (
    "特定個人情報保護評価書(重点項目評価書)\n"
    "評価書番号\t評価書名\n"
    "1\t後期高齢者医療に関する事務 重点項目評価書\n"
    "評価実施機関名\t高岡市長\n"
    "Ⅰ 基本情報\n"
    "①事務の名称\t後期高齢者医療に関する事務\n"
)


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def unencodable(text: str, encoding: str) -> set[str]:
    bad = set()
    for ch in set(text):
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            bad.add(ch)
    return bad


def representable(text: str, encoding: str) -> str:
    """`text` with the characters `encoding` lacks replaced (only those listed in SUBSTITUTES)."""
    for ch in unencodable(text, encoding):
        assert ch in SUBSTITUTES, f"U+{ord(ch):04X} {ch!r} is not in {encoding}"
        text = text.replace(ch, SUBSTITUTES[ch])
    assert not unencodable(text, encoding)
    return text


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def rejection(path: Path | str) -> ReportError:
    with pytest.raises(ReportError) as info:
        read_report(path)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert Path(path).name in message
    return info.value


# --- what the seeds contain -------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_reads_as_utf8(name):
    src = read_report(SEEDS / name)
    assert isinstance(src, SourceText)
    assert src.encoding == "utf-8"
    assert src.newline == "\n"
    assert src.text == seed_text(name)
    assert src.path == str(SEEDS / name)


@needs_seeds
@pytest.mark.parametrize(
    ("name", "cp932_missing"),
    [
        ("000_9faffa5d1775a5db.txt", {"\u2014"}),
        ("002_b716d8e1545cc6b4.txt", {"\u2014"}),
        ("003_c8613c731053c915.txt", {"\u2014"}),
        ("004_50b001bb84990526.txt", {"\u2014", "\u00a0"}),
    ],
)
def test_characters_the_legacy_encodings_lack(name, cp932_missing):
    text = seed_text(name)
    assert unencodable(text, "cp932") == cp932_missing
    assert unencodable(text, "euc_jis_2004") == {"\u2014"}


# --- round trips --------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("encoding", ["cp932", "euc_jis_2004"])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_legacy_encoding_round_trip(tmp_path, name, encoding):
    text = representable(seed_text(name), encoding)
    original = read_report(write(tmp_path, "original.txt", text.encode("utf-8")))
    legacy = read_report(write(tmp_path, f"{encoding}.txt", text.encode(encoding)))
    assert legacy.encoding == encoding
    assert legacy.text == original.text == text
    assert legacy.newline == "\n"


@needs_seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_utf8_bom_crlf_round_trip(tmp_path, name):
    original = read_report(SEEDS / name)
    data = b"\xef\xbb\xbf" + original.text.replace("\n", "\r\n").encode("utf-8")
    src = read_report(write(tmp_path, "bom_crlf.txt", data))
    assert src.encoding == "utf-8-sig"
    assert src.newline == "\r\n"
    assert src.text == original.text


@needs_seeds
@pytest.mark.parametrize("name", SEED_NAMES)
def test_cr_only_round_trip(tmp_path, name):
    original = read_report(SEEDS / name)
    src = read_report(write(tmp_path, "cr.txt", original.text.replace("\n", "\r").encode("utf-8")))
    assert (src.encoding, src.newline) == ("utf-8", "\r")
    assert src.text == original.text


@needs_seeds
def test_cp932_crlf(tmp_path):
    text = representable(seed_text(SEED_NAMES[0]), "cp932")
    src = read_report(write(tmp_path, "sjis_crlf.txt", text.replace("\n", "\r\n").encode("cp932")))
    assert (src.encoding, src.newline, src.text) == ("cp932", "\r\n", text)


def test_most_common_newline_wins(tmp_path):
    data = SAMPLE.replace("\n", "\r\n", 4).encode("utf-8")  # 4 CRLF, 2 LF
    src = read_report(write(tmp_path, "mixed.txt", data))
    assert src.newline == "\r\n"
    assert src.text == SAMPLE


# --- choosing among legacy encodings ------------------------------------------------------------


def test_vocabulary_decides_between_codecs_that_both_decode():
    # A real EUC report never decodes as CP932 (特定個人情報 in EUC is invalid CP932), so a fragment shows it.
    text = "評価実施機関名\t高岡市長\n評価書名\t事務\n"
    data = text.encode("euc_jp")
    data.decode("cp932")  # strict: CP932 reads these bytes too, as nonsense
    assert _decode(data, "fragment.txt") == (text, "euc_jp")


def test_shift_jis_2004_with_jis_x_0213_characters(tmp_path):
    text = SAMPLE.replace("高岡市長", "ㇰ𠀋市長")  # JIS X 0213 plane 1, not in CP932
    src = read_report(write(tmp_path, "sjis2004.txt", text.encode("shift_jis_2004")))
    assert (src.encoding, src.text) == ("shift_jis_2004", text)


def test_shift_jis_2004_over_cp932_private_use(tmp_path):
    text = SAMPLE.replace("高岡市長", "丂市長")  # JIS X 0213 plane 2: F041, CP932's user-defined area
    data = text.encode("shift_jis_2004")
    assert data.decode("cp932") != text  # strict, but with a private-use character
    src = read_report(write(tmp_path, "sjis2004.txt", data))
    assert (src.encoding, src.text) == ("shift_jis_2004", text)


def test_euc_jp_with_jis_x_0212_characters(tmp_path):
    text = SAMPLE.replace("Ⅰ", "I").replace("①", "1").replace("高岡市長", "丂市長")  # 丂: JIS X 0212 in EUC-JP
    src = read_report(write(tmp_path, "eucjp.txt", text.encode("euc_jp")))
    assert (src.encoding, src.text) == ("euc_jp", text)


def test_euc_jis_2004_when_euc_jp_cannot_read_it(tmp_path):
    src = read_report(write(tmp_path, "euc2004.txt", SAMPLE.encode("euc_jis_2004")))  # ① is not in EUC-JP
    assert (src.encoding, src.text) == ("euc_jis_2004", SAMPLE)


def test_utf8_wins_when_valid(tmp_path):
    src = read_report(write(tmp_path, "utf8.txt", SAMPLE.encode("utf-8")))
    assert (src.encoding, src.text) == ("utf-8", SAMPLE)


# --- rejections -------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    assert "no such file" in str(rejection(tmp_path / "missing.txt"))


def test_directory(tmp_path):
    (tmp_path / "reports").mkdir()
    assert "is a directory" in str(rejection(tmp_path / "reports"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b"  \r\n\t\n", "is empty (whitespace only)"),
        ("\ufeff\u3000\n".encode("utf-8"), "is empty (whitespace only)"),
    ],
)
def test_empty(tmp_path, data, reason):
    assert str(rejection(write(tmp_path, "empty.txt", data))).endswith(reason)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a report"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "is a JPEG image, not a report"),
        (b"GIF89a\x01\x00\x01\x00", "is a GIF image, not a report"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "is a ZIP archive or Office file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "is an old Office file (.doc/.xls)"),
        (SAMPLE.encode("utf-16"), "contains NUL bytes"),
        (SAMPLE.encode("utf-8") + b"\x00", "contains NUL bytes"),
    ],
)
def test_binary(tmp_path, data, reason):
    assert reason in str(rejection(write(tmp_path, "report.txt", data)))


def test_pdf(tmp_path):
    err = rejection(write(tmp_path, "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"))
    assert isinstance(err, PdfInput)
    assert err.reason == "is a PDF file; PDF input is read by loaders.pdf"
    assert str(err) == f"{tmp_path / 'report.pdf'}: {err.reason}"


def test_undecodable(tmp_path):
    data = SAMPLE.encode("cp932") + b"\x81\x20"  # a Shift_JIS lead byte with no trail byte
    err = rejection(write(tmp_path, "broken.txt", data))
    assert "decodes in no supported encoding" in str(err)


def test_random_bytes(tmp_path):
    data = random.Random(20250826).randbytes(4096)
    assert "contains NUL bytes" in str(rejection(write(tmp_path, "random.bin", data)))
    without_nul = data.replace(b"\x00", b"")
    err = rejection(write(tmp_path, "random.txt", without_nul))
    assert "decodes in no supported encoding" in str(err)


NOT_A_REPORT = "not a 特定個人情報保護評価書 (no form headings found)"


def test_english_document(tmp_path):
    text = "Privacy Impact Assessment\n\nThis document describes how the city handles personal data.\n"
    assert str(rejection(write(tmp_path, "english.txt", text.encode("ascii")))).endswith(NOT_A_REPORT)


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_japanese_text_that_is_not_a_report(tmp_path, encoding):
    text = "マイナンバー制度では特定個人情報の取扱いに注意が必要です。基本情報は市のウェブサイトにあります。\n"
    err = rejection(write(tmp_path, "news.txt", text.encode(encoding)))
    assert str(err).endswith(NOT_A_REPORT)


def test_form_headings_are_found_after_nfkc(tmp_path):
    text = SAMPLE.replace("評価書番号", "評 価 書 番 号").replace("(", "（").replace(")", "）")
    assert read_report(write(tmp_path, "spaced.txt", text.encode("utf-8"))).text == text


def test_decode_report_names_the_path():
    with pytest.raises(ReportError, match=r"^in-memory\.txt: is empty$"):
        decode_report(b"", "in-memory.txt")
