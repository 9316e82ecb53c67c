"""The layout-lost reader on its own: shape detection, pages, torn marks, owners by counting rows,
and — on the fictional samples with their table layout destroyed and each page's paragraphs
shuffled — precision: a contractor, recipient or system placed with confidence above 0.5 is the one
the tidy text has, and a contractor is never attached to another file."""

from __future__ import annotations

import random
import re

import pytest

from loaders.layout_marks import read_torn
from loaders.layout_pieces import Reader, Region, read_region
from loaders.layout_place import ACCOUNTED, READ, UNDECIDED, RegionPlacer
from loaders.names import split_contractor
from loaders.normalise import normalise_line, normalise_text
from loaders.pages import paginate
from loaders.pipeline import extract_report
from loaders.read import SourceText
from loaders.segment import top_level_key
from loaders.shape import LAYOUT_LOST, TIDY, text_shape
from tests.conftest import SAMPLES, SEED_FILES, load_sample, seed_path

SAMPLE_NAMES = ["midori_kokuho.txt", "midori_kaigo.txt", "midori_kouki.txt", "midori_jidou.txt"]
ROWS_PER_PAGE = 14
INLINE_MAX = 30  # a short value shares its label's text line, as PDF extractors merge them


def _cell(text: str) -> str:
    """A cell as a PDF's text layer shows it: no markup, checkboxes as ``[ ○ ]`` / ``[ ]``."""
    text = re.sub(r"<input[^>]*checked[^>]*>", "○", text)
    text = re.sub(r"<input[^>]*>", " ", text)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return text.replace("[○]", "[ ○ ]").replace("[]", "[ ]")


def lose_layout(text: str, seed: int) -> str:
    """The sample as a layout-lost extraction: a paragraph per cell (a short value beside its label),
    a new page at every section heading and every ROWS_PER_PAGE rows, each page's paragraphs shuffled."""
    rows = [re.sub(r"^\s*#{1,6}\s+", "", line) for line in text.split("\n") if line.strip()]
    groups: list[list[str]] = [[]]
    for number, row in enumerate(rows):
        key = top_level_key(normalise_line(number, row))
        seen = {top_level_key(normalise_line(0, r)) for r in groups[-1]}
        if key and groups[-1] and (key in seen or not top_level_key(normalise_line(0, groups[-1][-1]))):
            groups.append([])
        groups[-1].append(row)
    pages = []
    for index, chunk in enumerate(g[i:i + ROWS_PER_PAGE] for g in groups for i in range(0, len(g), ROWS_PER_PAGE)):
        paragraphs = []
        for row in chunk:
            stripped = row.strip()
            raw = stripped[1:-1].split("|") if stripped.startswith("|") and stripped.endswith("|") else row.split("\t")
            if all(re.fullmatch(r"[\s\-:]*", cell) for cell in raw):
                continue
            cells = [c for c in (_cell(cell) for cell in raw) if c]
            if not cells:
                continue
            if len(cells) >= 2 and len(cells[1]) <= INLINE_MAX:
                paragraphs.append(f" {cells[0]} {cells[1]}")
                paragraphs += cells[2:]
            else:
                paragraphs += [f" {cells[0]}"] + cells[1:]
        random.Random(seed * 1000 + index).shuffle(paragraphs)
        pages.append("\n\n".join(paragraphs))
    return "\n\n\n\n".join(pages)


def lost_report(name: str, seed: int):
    text = lose_layout((SAMPLES / name).read_text(encoding="utf-8"), seed)
    return extract_report(SourceText(f"lost-{name}", text, "utf-8", "\n"))


# -- shape ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("number", sorted(SEED_FILES))
def test_the_seeds_shapes(number):
    text = seed_path(number).read_text(encoding="utf-8")
    assert text_shape(text) == (LAYOUT_LOST if number == "001" else TIDY)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_are_tidy_and_their_lost_layout_is_not(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert text_shape(text) == TIDY
    assert text_shape(lose_layout(text, 1)) == LAYOUT_LOST


# -- pages ---------------------------------------------------------------------------------------------
def test_pages_drop_page_numbers_running_headers_and_repeated_continuations():
    pages = []
    for number in range(1, 5):
        pages.append(f"厚木市 特定個人情報保護評価書\n\n本文{number}の一行目\n続きの行{number}\n\n- {number} -")
    pages[2] = pages[2].replace("本文3の一行目", "続きの行2")  # a cell running over the page break
    lines = normalise_text("\n\n\n\n".join(pages))
    paged = paginate(lines)
    texts = [[t for paragraph in page for t in paragraph.texts] for page in paged.pages]
    assert len(texts) == 4
    assert all("厚木市 特定個人情報保護評価書" not in page for page in texts)
    assert all(not any(re.fullmatch(r"-? ?\d -?", t) for t in page) for page in texts)
    assert texts[2] == ["続きの行3"]
    reasons = {why for _, why in paged.dropped}
    assert reasons == {"page number", "running header or footer",
                       "repeats the last line of a paragraph on the previous page"}


def test_a_form_feed_ends_a_page():
    paged = paginate(normalise_text("一頁目\n\f\n二頁目"))
    assert [[p.texts for p in page] for page in paged.pages] == [[["一頁目"]], [["二頁目"]]]


# -- torn marks ----------------------------------------------------------------------------------------
def test_torn_marks_are_read_only_where_the_mark_stands_before_its_option():
    options = ("情報提供ネットワークシステム", "庁内連携システム", "宛名システム等", "紙", "その他")
    text = normalise_line(1, "[ ○ ] 宛名システム等 [").text + " " + normalise_line(2, "] 庁内連携システム").text
    found = {m.option: (m.ticked, m.confidence) for m in read_torn(text, options)}
    assert found == {"宛名システム等": (True, 1.0), "庁内連携システム": (None, 0.0)}
    assert [(m.ticked, m.confidence) for m in read_torn("○ ] 紙", options)] == [(True, 0.9)]
    other = read_torn(normalise_line(3, "[ ○ ] その他 （ 中間サーバコネクタ )").text, options)
    assert [(m.option, m.ticked, m.detail) for m in other] == [("その他", True, "中間サーバコネクタ")]


# -- owners by counting rows ---------------------------------------------------------------------------
def _placed(text: str):
    region = Region("II", 0, pages=paginate(normalise_text(text)).pages)
    read_region(region)
    return RegionPlacer(region).run()


def test_two_labels_of_a_kind_on_one_page_leave_their_owners_open():
    page = (" 委託事項1\n\n ③委託先名 株式会社エー\n\n ①委託内容 保守\n\n ②委託先における取扱者数\n\n"
            " ④再委託の有無\n\n ⑤再委託の許諾方法\n\n ⑥再委託事項\n\n 委託事項2\n\n ②委託先における取扱者数\n\n"
            " ③委託先名 株式会社ビー\n\n ①委託内容 印刷")
    result = _placed(page)
    contractors = {p.owner: (p.value, p.confidence) for p in result.placed if p.row.label == "委託先名"}
    # both ③ stand on the page of both blocks: the file keeps both, the pairing stays undecided
    assert set(contractors) == {("entrustment", 1), ("entrustment", 2)}
    assert all(confidence == UNDECIDED for _, confidence in contractors.values())


def test_a_label_only_one_block_can_hold_is_certain():
    page1 = " 委託事項1\n\n ①委託内容 保守\n\n ②委託先における取扱者数\n\n ③委託先名 株式会社エー"
    page2 = (" ④再委託の有無 ※ [ 再委託しない\n\n ⑥再委託事項\n\n 委託事項2\n\n ①委託内容 印刷\n\n"
             " ③委託先名 株式会社ビー\n\n ⑤再委託の許諾方法\n\n ②委託先における取扱者数")
    result = _placed(page1 + "\n\n\n\n" + page2)
    contractors = {p.owner: (p.value, p.confidence) for p in result.placed if p.row.label == "委託先名"}
    assert contractors[("entrustment", 1)] == ("株式会社エー", READ)
    # page 2 holds the rest of 1 (④–⑥) and 2 up to ③: its ③ can be 2's only
    assert contractors[("entrustment", 2)] == ("株式会社ビー", READ)
    # ④ could be 1's or 2's; counting the page's rows (2 is cut after ③) gives it to 1
    subcontracting = [p for p in result.placed if p.row.label == "再委託の有無"]
    assert [(p.owner, p.value, p.confidence) for p in subcontracting] == [
        (("entrustment", 1), "再委託しない", ACCOUNTED)]


def test_a_label_right_after_its_block_header_belongs_to_it():
    page = " 委託事項2\n\n ①委託内容 印刷\n\n 委託事項1\n\n ①委託内容 保守"
    result = _placed(page)
    contents = {p.owner: (p.value, p.confidence) for p in result.placed if p.row.label == "委託内容"}
    assert contents == {("entrustment", 1): ("保守", ACCOUNTED), ("entrustment", 2): ("印刷", ACCOUNTED)}


# -- precision on shuffled samples ---------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_shuffled_layout_never_places_a_name_wrongly_with_confidence(name, seed):
    tidy = load_sample(name).report
    lost = lost_report(name, seed)
    assert lost.shape == LAYOUT_LOST
    assert [f.name.value for f in lost.files] == [f.name.value for f in tidy.files]
    systems = {s.number: s.name.value for s in tidy.affair.systems}
    for system in lost.affair.systems:
        if system.name:
            assert system.name.value in systems.values()
            if system.name.confidence > UNDECIDED:
                assert systems[system.number] == system.name.value
    for found, expected in zip(lost.files, tidy.files):
        contractors = {e.number: split_contractor(e.contractor.value).company
                       for e in expected.entrustments if e.contractor}
        recipients = {(d.kind, d.number): d.recipient.value for d in expected.provisions + expected.transfers}
        for item in found.entrustments:
            if item.contractor:
                company = split_contractor(item.contractor.value).company
                assert company in contractors.values()  # never attached to the wrong file
                if item.contractor.confidence > UNDECIDED:
                    assert contractors[item.number] == company
        for entry in found.provisions + found.transfers:
            if entry.recipient and entry.recipient.confidence > UNDECIDED:
                assert recipients[(entry.kind, entry.number)] == entry.recipient.value


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_shuffled_layout_still_finds_every_recipient(name):
    tidy = load_sample(name).report
    lost = lost_report(name, 1)
    for found, expected in zip(lost.files, tidy.files):
        names = lambda record: sorted(d.recipient.value for d in record.provisions + record.transfers if d.recipient)
        assert names(found) == names(expected)


def test_every_region_reads_with_the_sections_rows():
    assert Reader("II").rows and Reader("cover").rows
