"""Reading the pages of a PDF as published: the PPC form printed by LibreOffice (tests/fixtures/pdf/form)
and plain two-column tables printed by Chromium (tests/fixtures/pdf/plain), both made from the fictional
samples by tests/fixtures/make_form_pdfs.py. Each fixture's ``.layout.json`` records where the printer
cut long values and where the running header and the page numbers stand; every expected value is
read from the sample text the PDF was printed from (its tidy reading)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Literal

from loaders.normalise import normalise_cell, normalise_line
from loaders.pdf import PAGE_BREAK, pdf_reading, repair
from ontology import PIA
from tests.conftest import REPO, SAMPLES, load_file, load_sample

FIXTURES = REPO / "tests" / "fixtures" / "pdf"
FORM = sorted((FIXTURES / "form").glob("*.pdf"))
PLAIN = sorted((FIXTURES / "plain").glob("*.pdf"))
# Literals about the file rather than the report: they differ between a PDF and its text.
ABOUT_THE_FILE = {PIA.sourceFile, PIA.sourceShape, PIA.sourceEncoding}
ABOUT_THE_READING = {PIA.valueReason}  # why the reader doubts a value: its words, not the report's


def fixture_id(pdf: Path) -> str:
    return f"{pdf.parent.name}/{pdf.stem}"


def layout_of(pdf: Path) -> dict:
    return json.loads(pdf.with_name(pdf.stem + ".layout.json").read_text(encoding="utf-8"))


def sample_of(pdf: Path):
    return load_sample(Path(layout_of(pdf)["source"]).name)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def tidy(text: str) -> str:
    """NFKC, spaces collapsed, none inside a choice's brackets (the printed form writes ``[ 十分である ]``),
    marks as printed (a bare checkbox of the sample text prints as ``[ ]``)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return re.sub(r"\[ ?([^\[\]]*?) ?\]", r"[\1]", text).replace("▢", "☐").replace("◉", "☑")


def rows(text: str) -> list[str]:
    """A text's rows as the loader reads them: cells normalised, joined by one space (`tidy`)."""
    lines = (normalise_line(number, raw) for number, raw in enumerate(text.split("\n"), 1))
    return [tidy(line.text) for line in lines if line.cells]


def string_literals(graph) -> dict:
    found: dict = {}
    for _, predicate, value in graph:
        if isinstance(value, Literal) and value.datatype is None and predicate not in ABOUT_THE_FILE | ABOUT_THE_READING:
            found.setdefault(predicate, set()).add(tidy(value))
    return found


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_a_value_crossing_a_page_break_comes_out_whole(pdf):
    """The sample's row — label and whole value — stands in the PDF's reading as one run of text:
    nothing of the page (number, header, the text a cut cell repeats) inside it, nothing lost."""
    crossings = layout_of(pdf)["crossings"]
    assert crossings, "the fixture was printed to cut a long value at a page break"
    sample_rows = rows((REPO / layout_of(pdf)["source"]).read_text(encoding="utf-8"))
    reading = " ".join(rows(pdf_reading(pdf).text))
    for crossing in crossings:
        label, begins = (tidy(normalise_cell(repair(crossing[key]))) for key in ("label", "begins"))
        start = begins if label.startswith("(row of line") else f"{label} {begins}"
        expected = [row for row in sample_rows if row.startswith(start[:40])]
        assert expected, crossing
        for row in expected:
            assert row in reading, crossing["label"]


def test_kouki_usage_cut_by_a_page_break_is_the_samples_usage():
    pdf = FIXTURES / "form" / "midori_kouki.pdf"
    assert any(c["label"] == "⑤使用方法" and c["pages"] == [5, 6] for c in layout_of(pdf)["crossings"])
    usage = load_file(pdf).report.files[0].usage.value
    assert usage == sample_of(pdf).report.files[0].usage.value
    assert usage.startswith("1資格管理業務") and usage.endswith("ファイルを庁内メールにより受け取り、標準システムに取り込む。")


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_no_page_number_or_running_header_in_any_value(pdf):
    header = re.search(r"\[[^\]]+\]", layout_of(pdf)["header"]).group()
    pages = pdf_reading(pdf).pages
    expected = string_literals(sample_of(pdf).graph)
    for predicate, values in string_literals(load_file(pdf).graph).items():
        for value in values:
            assert squeeze(header) not in squeeze(value), (predicate, value)
            numbers = {int(n) for n in re.findall(r"(?:^|\s)(\d{1,3})(?=\s|$)", value)}
            if numbers & set(range(1, pages + 1)):  # a number standing alone must be the report's own
                assert value in expected.get(predicate, set()), (predicate, value)


def without_options(value: str) -> str:
    """A value without the form's option list: the printer may set the list below a note that the
    sample writes after it (``[無料] <選択肢> 1) 有料 2) 無料 (手数料額…)``)."""
    return re.sub(r"\s+", " ", re.sub(r"<選択肢>(?:\s*\d\)\s*\S+)*", "", value)).strip()


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_every_value_read_from_the_pdf_is_a_value_of_the_report(pdf):
    """No value holds words the report does not have, or misses some of a value's words: each is a
    value of the sample's own graph (under any property: an inferred tick records its detail apart)."""
    expected = {without_options(value) for values in string_literals(sample_of(pdf).graph).values() for value in values}
    for predicate, values in string_literals(load_file(pdf).graph).items():
        got = {without_options(value) for value in values}
        assert got <= expected, (predicate, got - expected)


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_a_chosen_value_is_never_interleaved_with_its_option_list(pdf):
    """midori_kouki_seams draws no rule between a chosen value and its option list: read line by
    line across, ``[ 10万人以上100万人未満`` / ``]`` would take ``＜選択肢＞`` between its brackets."""
    for row in rows(pdf_reading(pdf).text):
        assert not re.search(r"\[[^\]]*選択肢", row), row
    if pdf.stem == "midori_kouki_seams":
        assert "[10万人以上100万人未満] <選択肢> 1) 1万人未満" in " ".join(rows(pdf_reading(pdf).text))


@pytest.mark.parametrize("pdf", FORM, ids=fixture_id)
def test_vertical_labels_are_labels(pdf):
    """``システム1`` (a vertical label over the system's rows) names a block, and ``再委託`` stays out
    of the values beside it, also where the label is cut by a page break."""
    report, sample = load_file(pdf).report, sample_of(pdf).report
    assert [(s.number, s.name.value) for s in report.affair.systems] == \
        [(s.number, s.name.value) for s in sample.affair.systems]
    assert [s.number for s in report.affair.systems] == list(range(1, len(report.affair.systems) + 1))
    for got, want in zip(report.files, sample.files):
        assert [(e.number, e.subcontract_permission and e.subcontract_permission.value) for e in got.entrustments] == \
            [(e.number, e.subcontract_permission and e.subcontract_permission.value) for e in want.entrustments]


@pytest.mark.parametrize("pdf", PLAIN, ids=fixture_id)
def test_plain_table_cover_reads_number_and_title(pdf):
    cover, sample = load_file(pdf).report.cover, sample_of(pdf).report.cover
    assert cover.assessment_number.value == sample.assessment_number.value
    assert cover.title.value == sample.title.value
    assert cover.title.value.endswith("重点項目評価書")


@pytest.mark.parametrize("pdf", PLAIN, ids=fixture_id)
def test_plain_table_change_rows_keep_their_columns(pdf):
    """別添2: each change row has a date, the item, the text before and after, when it was submitted."""
    def changes(report):
        return [(c.date, c.item, c.before, c.after, c.timing, c.explanation) for c in report.changes]
    expected = changes(sample_of(pdf).report)
    assert expected and changes(load_file(pdf).report) == expected


def page_starts(pdf: Path) -> list[str]:
    """The first line of text below the running header on each page but the first, as printed."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [squeeze(next(line["text"] for line in page.extract_text_lines() if line["top"] > 40))
                for page in document.pages[1:]]


def test_a_plain_row_joined_across_a_page_break_is_a_doubt():
    joined = 0
    for pdf in PLAIN:
        reading = pdf_reading(pdf)
        lines = reading.text.split("\n")
        starts = page_starts(pdf)
        for doubt in reading.doubts:
            assert doubt.confidence < 1 and "改ページ" in doubt.reason
            line = squeeze(lines[doubt.line - 1])
            assert any(start in line and not line.startswith(start) for start in starts), lines[doubt.line - 1]
            joined += 1
    assert joined  # the plain fixtures cut rows at page breaks


@pytest.mark.parametrize("pdf", FORM, ids=fixture_id)
def test_a_form_cell_the_printer_repeats_on_both_pages_is_joined_for_certain(pdf):
    reading = pdf_reading(pdf)
    assert reading.doubts == []
    assert reading.text.count(PAGE_BREAK) == reading.pages - 1


def test_samples_are_the_sources():
    for pdf in FORM + PLAIN:
        assert (SAMPLES / Path(layout_of(pdf)["source"]).name).exists()


def test_font_damage_is_repaired_and_an_unreadable_mark_is_inferred_not_certain():
    """The text layer writes ・ as U+2027 and one tick as a glyph without Unicode (make_form_pdfs.py
    --variants midori_kokuho_glyphs): the values read ・, and the tick is inferred — from the detail
    standing in its ( … ) — with a confidence below 1, as the text path reads a bare checkbox."""
    import pdfplumber

    pdf = FIXTURES / "form" / "midori_kokuho_glyphs.pdf"
    with pdfplumber.open(pdf) as document:
        layer = "".join(char["text"] for page in document.pages for char in page.chars)
    assert "\u2027" in layer and "・" not in layer and "\ue000" in layer
    loaded, sample = load_file(pdf), sample_of(pdf)
    source = next(t for t in loaded.report.files[0].sources if t.option == "評価実施機関内の他部署")
    expected = next(t for t in sample.report.files[0].sources if t.option == "評価実施機関内の他部署")
    assert expected.ticked and expected.confidence == 1
    assert source.ticked and source.detail == expected.detail and source.confidence < 1
    confidences = [float(value) for value in loaded.graph.objects(None, PIA.confidence)]
    assert any(value < 1 for value in confidences)
    assert loaded.report.affair.name.value == sample.report.affair.name.value
    assert "・" in loaded.report.files[0].usage.value and "\u2027" not in loaded.report.files[0].usage.value


@pytest.mark.parametrize("pdf", PLAIN, ids=fixture_id)
def test_values_read_from_a_row_joined_by_position_are_uncertain_and_say_why(pdf):
    """A value the reader could only join across a page by position is no surer than that join —
    that value alone, with its own line and reason, not its neighbours (per-value evidence)."""
    from loaders.pipeline import load_report

    doubted = {doubt.line: doubt for doubt in pdf_reading(pdf).doubts}
    graph = load_report(pdf).graph
    said = set()
    for evidence, line in graph.subject_objects(PIA.valueLine):
        confidence, reason = graph.value(evidence, PIA.valueConfidence), graph.value(evidence, PIA.valueReason)
        if int(line) in doubted:
            assert confidence is not None and float(confidence) <= doubted[int(line)].confidence
        if reason is not None and "改ページ" in str(reason):
            assert int(line) in doubted
            said.add(int(line))
    assert said or not doubted  # a doubted line's values say why, unless already less sure for another reason
