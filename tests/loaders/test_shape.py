"""Which shape a report arrives in (`loaders.shape`), so the pipeline reads it the right way.

Expected shapes from /work/shared/DOMAIN.md (seed 001 is plain PDF text whose table layout was lost;
the other seeds keep their rows as tabs, HTML or markdown), samples/README.md (the samples copy the
tidy shapes of seeds 000 and 004) and the fixtures' names.
"""

from __future__ import annotations

import pytest

from loaders.pipeline import load_report
from loaders.shape import LAYOUT_LOST, PDF, TIDY, is_pdf, text_shape
from tests.conftest import REPO, SAMPLES, seed_path

FIXTURES = REPO / "tests" / "fixtures"

SEED_SHAPES = {"000": TIDY, "001": LAYOUT_LOST, "002": TIDY, "003": TIDY, "004": TIDY}
TIDY_TEXTS = [
    SAMPLES / "midori_kouki.txt",  # tab rows + HTML fragments
    SAMPLES / "midori_kaigo.txt",  # markdown headings + tab rows
    FIXTURES / "bad" / "shuffled_lines.txt",  # rows out of order are still rows
    FIXTURES / "bad" / "not_a_report_minutes.txt",  # prose is not a lost table
    FIXTURES / "bad" / "english_document.txt",
]
# ②入手方法 as PDF text extraction leaves it: marks torn from their options, the option list alone
TORN_METHODS = "②入手方法\n[ ○\n] 紙\n[\n] 電子メール\n[ ○\n] 専用線\n[\n] その他\n＜選択肢＞\n"


@pytest.mark.parametrize("number", sorted(SEED_SHAPES))
def test_each_seed_is_read_in_its_shape(number):
    assert text_shape(seed_path(number).read_text(encoding="utf-8")) == SEED_SHAPES[number]


@pytest.mark.parametrize("path", TIDY_TEXTS, ids=lambda path: path.name)
def test_samples_and_fixtures_are_tidy(path):
    assert text_shape(path.read_text(encoding="utf-8")) == TIDY


def test_torn_checkbox_marks_are_a_lost_layout_and_the_same_rows_with_tabs_are_not():
    assert text_shape(TORN_METHODS) == LAYOUT_LOST
    assert text_shape("②入手方法\t[ ○ ] 紙\t[ ] 電子メール\t[ ○ ] 専用線\t[ ] その他\n") == TIDY


def test_an_empty_text_is_tidy():
    assert text_shape("") == TIDY and text_shape("\n \n") == TIDY


@pytest.mark.parametrize("path", [FIXTURES / "pdf" / "midori_kaigo.pdf", FIXTURES / "pdf" / "scanned_no_text.pdf",
                                  FIXTURES / "bad" / "pdf_renamed.txt"], ids=lambda path: path.name)
def test_a_pdf_is_known_by_its_bytes_not_its_name(path):
    assert is_pdf(path.read_bytes())


def test_a_text_report_is_no_pdf_and_the_header_must_be_in_the_first_kib():
    assert not is_pdf((SAMPLES / "midori_kouki.txt").read_bytes())
    assert is_pdf(b"\r\n\xef\xbb\xbf" + b"%PDF-1.7\n")  # a little junk before the header
    assert not is_pdf(b" " * 1024 + b"%PDF-1.7\n")


def test_a_pdf_report_is_read_as_a_pdf():
    assert load_report(FIXTURES / "pdf" / "midori_kaigo.pdf").report.shape == PDF
