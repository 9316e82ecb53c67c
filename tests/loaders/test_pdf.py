"""PDF input: every fixture PDF was printed from a fictional sample — tests/fixtures/pdf/*.pdf by
tests/fixtures/make_pdfs.py (a ruled HTML row per line, Chromium), form/ by make_form_pdfs.py (the
PPC's Excel form, LibreOffice), plain/ by make_form_pdfs.py --plain (a two-column table without
rules, Chromium); none of the printers is needed here. A PDF must give the same key facts as the
text it was made from; a PDF without a text layer gets one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

from loaders.names import split_contractor
from loaders.pdf import NO_TEXT_LAYER, repair
from ontology import PIA
from ontology.errors import ReportError
from piagraph.cli import main
from tests.conftest import REPO, SAMPLES, load_file, load_sample

PDFS = REPO / "tests" / "fixtures" / "pdf"
MADE_FROM = {"midori_kokuho.pdf": "midori_kokuho.txt", "midori_kaigo.pdf": "midori_kaigo.txt",
             **{f"{kind}/{pdf.name}": Path(json.loads(pdf.with_suffix(".layout.json").read_text(encoding="utf-8"))
                                           ["source"]).name
                for kind in ("form", "plain") for pdf in sorted((PDFS / kind).glob("*.pdf"))}}
NO_TEXT = PDFS / "scanned_no_text.pdf"
MAX_FIXTURE_BYTES = 300 * 1024


def key_facts(report) -> dict:
    """What an auditor follows: systems, files, contractors, recipients, methods, sources."""
    facts = {
        "cover": (report.cover.assessor.value, report.cover.published_on, report.cover.assessment_number.value),
        "systems": {s.number: s.name.value for s in report.affair.systems},
        "connections": {s.number: sorted(t.option for t in s.connections if t.ticked) for s in report.affair.systems},
        "files": [f.name.value for f in report.files],
    }
    for record in report.files:
        facts[record.name.value] = {
            "contractors": sorted((e.number, split_contractor(e.contractor.value).company)
                                  for e in record.entrustments if e.contractor),
            "flows": sorted((d.kind, d.number, d.recipient.value if d.recipient else "",
                             tuple(sorted(t.option for t in d.methods if t.ticked)))
                            for d in record.provisions + record.transfers),
            "acquisition": sorted(t.option for t in record.acquisition_methods if t.ticked),
            "sources": sorted((t.option, t.detail or "") for t in record.sources if t.ticked),
        }
    return facts


@pytest.fixture(scope="module")
def from_pdf():
    return {name: load_file(PDFS / name) for name in MADE_FROM}


@pytest.mark.parametrize("name", sorted(MADE_FROM))
def test_a_pdf_gives_the_key_facts_of_its_text(from_pdf, name):
    expected = key_facts(load_sample(MADE_FROM[name]).report)
    assert key_facts(from_pdf[name].report) == expected
    assert expected["systems"] and expected["files"]


@pytest.mark.parametrize("name", sorted(MADE_FROM))
def test_the_pdf_path_is_recorded(from_pdf, name):
    loaded = from_pdf[name]
    assert loaded.report.shape == "pdf"
    assert (loaded.assessment, PIA.sourceShape, Literal("pdf")) in loaded.graph


def test_kokuho_pdf_reads_the_risky_channel_and_its_recipient(from_pdf):
    record = from_pdf["midori_kokuho.pdf"].report.files[0]
    flash = [d for d in record.provisions if any(t.ticked and t.option == "フラッシュメモリ" for t in d.methods)]
    assert [d.recipient.value for d in flash] == ["架空県後期高齢者医療広域連合"]


def test_fixtures_are_small():
    for pdf in PDFS.glob("*.pdf"):
        assert pdf.stat().st_size < MAX_FIXTURE_BYTES, pdf.name


def test_a_pdf_without_a_text_layer_gets_one_clear_error():
    from loaders.pipeline import load_report

    with pytest.raises(ReportError) as raised:
        load_report(NO_TEXT)
    assert raised.value.reason == NO_TEXT_LAYER
    assert "\n" not in str(raised.value)


def test_cli_converts_a_pdf_and_names_the_path_in_inspect(tmp_path):
    runner = CliRunner()
    target = tmp_path / "kokuho.ttl"
    result = runner.invoke(main, ["convert", str(PDFS / "midori_kokuho.pdf"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "sourceShape" in target.read_text(encoding="utf-8")
    result = runner.invoke(main, ["inspect", str(PDFS / "midori_kokuho.pdf")])
    assert result.exit_code == 0
    assert "読み取り経路 pdf" in result.output


def test_cli_rejects_a_scan_with_one_line_and_exit_code_2():
    result = CliRunner().invoke(main, ["convert", str(NO_TEXT)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "text layer" in lines[0]


def test_a_broken_pdf_is_bad_input(tmp_path):
    from loaders.pipeline import load_report

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 20)
    with pytest.raises(ReportError):
        load_report(broken)


def test_repair_turns_radicals_into_ideographs_and_glyphs_into_marks():
    assert repair("特定個⼈情報") == "特定個人情報"  # U+2F08 KANGXI RADICAL MAN: NFKC
    assert repair("国⺠健康保険") == "国民健康保険"  # U+2EA0 CJK RADICAL CIVILIAN: NFKC leaves it
    assert repair("■ 紙 □ 専用線") == "☑ 紙 ☐ 専用線"


def test_samples_stay_the_source_of_the_fixtures():
    for source in MADE_FROM.values():
        assert (SAMPLES / source).exists()
