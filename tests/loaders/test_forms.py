"""The forms as data (loaders/forms/*.toml): the descriptions, and recognising a report's form.

The descriptions are checked against what they promise: every form-specific row names a term the
ontology defines with Japanese and English labels and comments, every closed choice names a SKOS
scheme of the vocabularies, the completeness rules they declare exist, and a report's form is
recognised from its title line, its version label or its headings, with one clear line when it is
not one piagraph reads.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import RDFS, Literal

from loaders.forms import FORM_FILES, all_forms, load_form, recognise
from loaders.pipeline import load_report
from ontology import PIA, ontology_graph
from ontology.errors import ReportError
from tests.conftest import SAMPLES, seed_path

FORMS = list(FORM_FILES)


@pytest.mark.parametrize("form", FORMS)
def test_every_form_specific_row_is_a_documented_ontology_term(form):
    graph = ontology_graph()
    for row in (f for section in load_form(form).sections for f in section.all_fields if f.term):
        term = PIA[row.term]
        for lang in ("ja", "en"):
            assert [o for o in graph.objects(term, RDFS.label) if o.language == lang], (form, row.term, lang)
            assert [o for o in graph.objects(term, RDFS.comment) if o.language == lang], (form, row.term, lang)


@pytest.mark.parametrize("form", FORMS)
def test_every_closed_choice_names_a_scheme_with_options(form):
    for section in load_form(form).sections:
        for row in section.all_fields:
            if row.kind in ("choice", "ticks"):
                assert row.options, (form, row.label)
        for rated in section.rated:
            assert rated.options, (form, rated.label)


@pytest.mark.parametrize("form", FORMS)
def test_parts_are_numbered_once_and_required_sections_are_headed(form):
    described = load_form(form)
    for section in described.sections:
        numbers = [part.number for part in section.parts]
        assert len(numbers) == len(set(numbers)), (form, section.key)
    keys = {section.key for section in described.sections if section.heading is not None}
    assert set(described.required_sections) <= keys


def test_the_numbering_of_one_item_in_each_form():
    # docs/forms.md §6: 情報連携 is I-5 in 様式3, I-6 in 様式4, I-4 in 様式2; 委託先名 is ③ in 様式3, ⑥ in 様式4
    assert [load_form(form).ref("情報連携") for form in ("様式2", "様式3", "様式4")] == ["I-4", "I-5", "I-6"]
    assert [load_form(form).row_number("委託先名") for form in ("様式3", "様式4")] == ["③", "⑥"]
    assert load_form("様式4").section("annex3").where == "別添3" and load_form("様式3").section("annex2").where == "別添2"


# -- recognising the form --------------------------------------------------------------------------------


def test_the_title_names_the_form():
    found = recognise(["", "特定個人情報保護評価書(全項目評価書)", "[令和7年5月 様式4]"])
    assert (found.form.form, found.title, found.version, found.known_version) == ("様式4", "全項目評価書",
                                                                                "令和7年5月 様式4", True)


def test_a_version_label_without_brackets_and_with_spaces_is_read():
    found = recognise(["特定個人情報保護評価書(基礎項目評価書)", "平成 26 年 4 月様式 2"])
    assert found.form.form == "様式2" and found.version == "平成26年4月 様式2"


def test_without_a_title_the_version_label_names_the_form():
    assert recognise(["評価書番号 評価書名", "[平成30年5月 様式4]"]).form.form == "様式4"


def test_without_title_or_label_the_headings_name_the_form():
    assert recognise(["I 基本情報", "VI 評価実施手続"]).form.form == "様式4"
    assert recognise(["I 関連情報", "II しきい値判断項目"]).form.form == "様式2"
    found = recognise(["I 基本情報", "V 評価実施手続"])
    assert found.form.form == "様式3" and found.by_headings


def test_every_sample_and_seed_is_read_as_its_form():
    for name, form in [("midori_kouki.txt", "様式3"), ("midori_kouki_kiso.txt", "様式2"),
                       ("midori_juki_zenkoumoku.txt", "様式4")]:
        assert load_report(SAMPLES / name).report.form_type == load_form(form).name
    assert load_report(seed_path("001")).report.form_type == "重点項目評価書"  # layout-lost text, full-width （…）


def test_a_form_piagraph_does_not_read_is_refused_naming_what_was_recognised(tmp_path):
    text = (SAMPLES / "midori_kouki.txt").read_text(encoding="utf-8")
    path = tmp_path / "other.txt"
    path.write_text(text.replace("(重点項目評価書)", "(中間項目評価書)").replace("様式3]", "様式5]"), encoding="utf-8")
    with pytest.raises(ReportError) as error:
        load_report(path)
    assert ("its cover names a form piagraph does not read (title (中間項目評価書), version label [令和6年10月 様式5]); "
            "piagraph reads the 基礎項目評価書 (様式2), 重点項目評価書 (様式3), 全項目評価書 (様式4)") in str(error.value)
    assert "\n" not in str(error.value)


def test_an_unknown_edition_is_read_and_noted_in_one_line(tmp_path):
    text = (SAMPLES / "midori_zeimu_zenkoumoku.txt").read_text(encoding="utf-8")
    path = tmp_path / "zeimu_r9.txt"
    path.write_text(text.replace("[令和7年5月 様式4]", "[令和9年4月 様式4]"), encoding="utf-8")
    loaded = load_report(path)
    assert loaded.report.form_type == "全項目評価書" and len(loaded.report.files) == 2
    note = loaded.report.notes[0]
    assert note.startswith("the version label [令和9年4月 様式4] names an edition of 様式4 piagraph does not describe")
    assert Literal(note) in set(loaded.graph.objects(loaded.assessment, PIA.readingNote))
    result = subprocess.run([sys.executable, "-m", "piagraph", "convert", str(path), "-o", str(tmp_path / "x.ttl")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    notes = [line for line in result.stderr.splitlines() if line.startswith("piagraph:")]
    assert notes == [f"piagraph: {path}: note: {note}"]


def test_every_form_is_described():
    assert [form.form for form in all_forms()] == ["様式2", "様式3", "様式4"]
