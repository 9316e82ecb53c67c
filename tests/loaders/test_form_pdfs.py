"""全項目評価書 (様式4) and 基礎項目評価書 (様式2) read from a PDF and from the PDF's text with its
layout lost.

The fixtures in tests/fixtures/pdf/form were made from the fictional samples: each sample laid out
like the PPC Excel form and printed by LibreOffice (``tests/fixtures/make_form_pdfs.py``), and the
PDF's text pulled out by ``pdftotext FILE.pdf FILE.pdftotext.txt`` (poppler-utils 22.12, Debian,
without ``-layout``) — the way seed 001 was made. Every expected value is the tidy sample's reading
(samples/midori_*.txt), so a test says "the PDF gives what the text gives"; the scores of every
fact are in bench/results/pdf-fields.md.
"""

from __future__ import annotations

import pytest

from loaders.names import split_contractor
from ontology import PIA, sparql_prefixes
from tests.conftest import REPO, load_sample

FORM_PDFS = REPO / "tests" / "fixtures" / "pdf" / "form"
FULL = ["midori_juki_zenkoumoku", "midori_zeimu_zenkoumoku"]
BASIC = ["midori_kouki_kiso", "midori_juki_kiso"]
SHAPES = {"pdf": ".pdf", "layout-lost-text": ".pdftotext.txt"}


@pytest.fixture(scope="module")
def loaded():
    from loaders.pipeline import load_report

    cache: dict = {}

    def load(name: str, shape: str):
        if (name, shape) not in cache:
            cache[(name, shape)] = load_report(FORM_PDFS / f"{name}{SHAPES[shape]}")
        return cache[(name, shape)]

    return load


def tidy(name: str):
    return load_sample(f"{name}.txt")


def contractors(report) -> list[tuple[str, int, str]]:
    return sorted((f.name.value, e.number, split_contractor(e.contractor.value).company)
                  for f in report.files for e in f.entrustments if e.contractor)


def recipients(report) -> set[str]:
    return {d.recipient.value for f in report.files for d in f.provisions + f.transfers if d.recipient}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", FULL + BASIC)
def test_the_form_and_its_version_are_recognised(loaded, name, shape):
    report, expected = loaded(name, shape), tidy(name)
    assert report.report.shape == ("pdf" if shape == "pdf" else "layout-lost-text")
    for term in (PIA.formType, PIA.formVersion):
        assert set(report.graph.objects(report.assessment, term)) == set(expected.graph.objects(expected.assessment,
                                                                                                term))
    assert report.graph_iri == expected.graph_iri  # the same report: body, form, number and date


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", FULL + BASIC)
def test_the_affair_and_its_files(loaded, name, shape):
    report, expected = loaded(name, shape).report, tidy(name).report
    assert report.affair.name.value == expected.affair.name.value
    assert [f.name.value for f in report.files] == [f.name.value for f in expected.files]
    assert report.cover.assessor.value == expected.cover.assessor.value
    assert report.cover.published_on == expected.cover.published_on


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_full_assessment_names_its_contractors_and_recipients(loaded, shape):
    report, expected = loaded("midori_juki_zenkoumoku", shape).report, tidy("midori_juki_zenkoumoku").report
    assert contractors(report) == contractors(expected) == [
        ("住民基本台帳ファイル", 1, "株式会社みどり情報サービス"), ("住民基本台帳ファイル", 2, "架空ビジネスサポート株式会社")]
    found = recipients(report)
    assert found <= recipients(expected)
    assert {"地方公共団体情報システム機構", "他市区町村長", "健康福祉部 保険年金課"} <= found


def test_the_full_assessment_as_layout_lost_text_keeps_its_systems_and_department(loaded):
    report, expected = loaded("midori_juki_zenkoumoku", "layout-lost-text").report, tidy("midori_juki_zenkoumoku").report
    assert [s.name.value for s in report.affair.systems] == [s.name.value for s in expected.affair.systems]
    assert report.affair.department.value == expected.affair.department.value == "市民生活部 市民課"


def test_a_value_placed_by_order_only_says_so(loaded):
    """Text taken column by column pairs labels and values by their order: confidence below 1."""
    graph = loaded("midori_juki_zenkoumoku", "layout-lost-text").graph
    found = graph.query(sparql_prefixes() + """SELECT ?c WHERE { ?e pia:contractor ?org ; pia:confidence ?c }""")
    assert found and all(float(row[0]) < 1 for row in found)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", BASIC)
def test_a_basic_assessment_keeps_its_threshold(loaded, name, shape):
    query = sparql_prefixes() + """SELECT ?band ?h ?i ?r WHERE { ?a pia:covers/pia:populationBand ?band ;
        pia:handlersThreshold ?h ; pia:thresholdIncident ?i ; pia:thresholdResult ?r }"""
    assert set(loaded(name, shape).graph.query(query)) == set(tidy(name).graph.query(query))


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", BASIC)
def test_a_basic_assessment_keeps_its_systems(loaded, name, shape):
    report, expected = loaded(name, shape).report, tidy(name).report
    assert [s.name.value for s in report.affair.systems] == [s.name.value for s in expected.affair.systems]


def test_the_fixtures_text_is_what_pdftotext_gives():
    """Each layout-lost fixture stands beside the PDF it was pulled out of."""
    for name in FULL + BASIC:
        text = (FORM_PDFS / f"{name}.pdftotext.txt").read_text(encoding="utf-8")
        assert (FORM_PDFS / f"{name}.pdf").exists()
        assert "\f" in text  # pdftotext's page breaks
