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

from loaders.normalise import normalise_line
from loaders.pdf import PAGE_BREAK, pdf_reading
from ontology import PIA
from tests.conftest import REPO, SAMPLES, load_file, load_sample

FIXTURES = REPO / "tests" / "fixtures" / "pdf"
FORM = sorted((FIXTURES / "form").glob("*.pdf"))
PLAIN = sorted((FIXTURES / "plain").glob("*.pdf"))
# Literals about the file rather than the report: they differ between a PDF and its text.
ABOUT_THE_FILE = {PIA.sourceFile, PIA.sourceShape, PIA.sourceEncoding}


def fixture_id(pdf: Path) -> str:
    return f"{pdf.parent.name}/{pdf.stem}"


def layout_of(pdf: Path) -> dict:
    return json.loads(pdf.with_name(pdf.stem + ".layout.json").read_text(encoding="utf-8"))


def sample_of(pdf: Path):
    return load_sample(Path(layout_of(pdf)["source"]).name)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def tidy(text: str) -> str:
    """NFKC, spaces collapsed, none inside a choice's brackets (the printed form writes ``[ 十分である ]``)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return re.sub(r"\[ ?([^\[\]]*?) ?\]", r"[\1]", text)


def rows(text: str) -> list[str]:
    """A text's rows as the loader reads them (cells normalised, joined by one space)."""
    return [line.text for line in (normalise_line(n, raw) for n, raw in enumerate(text.split("\n"), 1)) if line.cells]


def string_literals(graph) -> dict:
    found: dict = {}
    for _, predicate, value in graph:
        if isinstance(value, Literal) and value.datatype is None and predicate not in ABOUT_THE_FILE:
            found.setdefault(predicate, set()).add(tidy(value))
    return found


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_a_value_crossing_a_page_break_comes_out_whole(pdf):
    crossings = layout_of(pdf)["crossings"]
    assert crossings, "the fixture was printed to cut a long value at a page break"
    sample_text = (REPO / layout_of(pdf)["source"]).read_text(encoding="utf-8")
    pdf_rows = rows(pdf_reading(pdf).text)
    for crossing in crossings:
        begins = squeeze(crossing["begins"])[:20]
        expected = [row for row in rows(sample_text) if begins in squeeze(row)]
        assert expected, crossing
        assert [row for row in pdf_rows if begins in squeeze(row)] == expected, crossing["label"]


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


@pytest.mark.parametrize("pdf", FORM + PLAIN, ids=fixture_id)
def test_every_value_read_from_the_pdf_is_a_value_of_the_report(pdf):
    expected = string_literals(sample_of(pdf).graph)
    for predicate, values in string_literals(load_file(pdf).graph).items():
        assert values <= expected.get(predicate, set()), (predicate, values - expected.get(predicate, set()))


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


@pytest.mark.parametrize("pdf", PLAIN, ids=fixture_id)
def test_a_plain_row_joined_across_a_page_break_is_a_doubt(pdf):
    reading = pdf_reading(pdf)
    lines = reading.text.split("\n")
    assert reading.doubts
    for doubt in reading.doubts:
        assert doubt.confidence < 1 and "page break" in doubt.reason
        assert lines[doubt.line - 1].strip() and PAGE_BREAK not in lines[doubt.line - 1]


@pytest.mark.parametrize("pdf", FORM, ids=fixture_id)
def test_a_form_cell_the_printer_repeats_on_both_pages_is_joined_for_certain(pdf):
    reading = pdf_reading(pdf)
    assert reading.doubts == []
    assert reading.text.count(PAGE_BREAK) == reading.pages - 1


def test_samples_are_the_sources():
    for pdf in FORM + PLAIN:
        assert (SAMPLES / Path(layout_of(pdf)["source"]).name).exists()
