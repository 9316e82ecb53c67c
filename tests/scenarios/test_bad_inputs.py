"""Bad input, file by file: tests/fixtures/bad/ (made by tests/fixtures/make_bad.py) and a few big
files made here. Each is either refused — exit code 2 and one line naming the file and the reason,
the store untouched — or loaded with its odd text kept as text. Never a traceback.

Decisions written down here:

* A report is read as the form its title names (基礎項目評価書 様式2, 重点項目評価書 様式3, 全項目評価書
  様式4; loaders/forms). A truncated report is refused when one of its form's sections is missing (I–IV
  of 様式2, I–V of 様式3, I–VI of 様式4), with the form and what its cover says named; cut inside the
  last annex (変更箇所) it loads, with the rows before the cut.
* A 基礎項目評価書 or 全項目評価書 with its form's sections loads, however few rows it has; a 全項目
  written with 様式3's rows is read by label. A title naming one form on another form's body is
  refused, naming both: its facts would land under the wrong items.
* Another form's cover on prose, a text with two covers (several reports, or one repeated) and a
  text larger than any report are refused.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

from loaders.pipeline import load_report
from ontology import PIA
from ontology.errors import ReportError
from piagraph.cli import main
from piagraph.ingest import load_paths
from piagraph.store import EmbeddedStore
from tests.conftest import REPO, SAMPLES

BAD = REPO / "tests" / "fixtures" / "bad"
FOCUSED = "truncated or incomplete report of a 重点項目評価書 (様式3, title (重点項目評価書)"
HOSTILE = "<script>alert('piagraph')</script><img src=x onerror=alert(1)>株式会社"

REFUSED = {
    "empty.txt": "is empty",
    "whitespace_only.txt": "is empty (whitespace only)",
    "bom_only.txt": "is empty (whitespace only)",
    "image_png_renamed.txt": "is a PNG image, not a report",
    "image_jpeg_renamed.txt": "is a JPEG image, not a report",
    "office_docx_renamed.txt": "is a ZIP archive or Office file",
    "executable.txt": "is an executable, not a report",
    "gzip_renamed.txt": "is a gzip archive, not a report",
    "pdf_no_text_layer.pdf": "is a PDF without a text layer",
    "pdf_renamed.txt": "is a PDF without a text layer",
    "pdf_broken.pdf": "is a PDF that cannot be opened",
    "pdf_damaged_page.pdf": "is a damaged PDF: its page list cannot be read",
    "random_bytes.txt": "contains NUL bytes",
    "random_bytes_no_nul.txt": "decodes in no supported encoding",
    "utf16.txt": "contains NUL bytes (binary data or UTF-16)",
    "nul_bytes.txt": "contains NUL bytes",
    "mixed_utf8_cp932.txt": "invalid UTF-8 byte 0x92 on line 153 (offset 17799), after UTF-8 text (two encodings in one file?)",
    "mixed_cp932_eucjp.txt": "decodes in no supported encoding",
    "truncated_in_cover.txt": (FOCUSED, "): none of the sections I–V found"),
    "truncated_in_I.txt": (FOCUSED, "): section II 特定個人情報ファイルの概要, III リスク対策, IV"),
    "truncated_in_II.txt": (FOCUSED, "): section III リスク対策, IV 開示請求、問合せ, V 評価実施手続 not found"),
    "truncated_in_III.txt": (FOCUSED, "): section IV 開示請求、問合せ, V 評価実施手続 not found"),
    "truncated_in_IV.txt": (FOCUSED, "): section V 評価実施手続 not found"),
    "truncated_mid_character.txt": "ends in the middle of a UTF-8 character: the file was cut off",
    "not_a_report_minutes.txt": "not a 特定個人情報保護評価書",
    "english_document.txt": "not a 特定個人情報保護評価書",
    "html_page.txt": "not a 特定個人情報保護評価書",
    "csv_table.txt": "not a 特定個人情報保護評価書",
    "one_line.txt": "not a 様式3 report: none of the sections I–V found",
    "shuffled_lines.txt": "no cover",
    "two_reports_in_one_file.txt": "holds 2 covers (評価書番号): several reports or repeated content in one file",
    "kiso_truncated_in_II.txt": ("truncated or incomplete report of a 基礎項目評価書 (様式2, title (基礎項目評価書), "
                                 "version label [令和6年10月 様式2]): section III しきい値判断結果, IV リスク対策 not found"),
    "zenkoumoku_truncated_in_III.txt": ("truncated or incomplete report of a 全項目評価書 (様式4, ",
                                        "): section IV その他のリスク対策, V 開示請求、問合せ, VI 評価実施手続 not found"),
    "zenkoumoku_cover_on_prose.txt": "report of a 全項目評価書 (様式4, title (全項目評価書)): none of the sections I–VI found",
    "zenkoumoku_title_on_form3_body.txt": ("its cover names a 全項目評価書 (様式4; title (全項目評価書), version label "
                                           "[令和6年10月 様式3]) but its sections are those of the 重点項目評価書 (様式3)"),
}


def literals(graph) -> set[str]:
    return {str(o) for o in graph.objects() if isinstance(o, Literal)}


def kept_hostile_names(loaded) -> None:
    texts = literals(loaded.graph)
    assert HOSTILE in texts  # the 委託先名, verbatim
    assert '<b>架空&システム"株式会社\'' in texts  # HTML entities decoded once, then kept as text


def kept_controls(loaded) -> None:
    texts = literals(loaded.graph)
    assert "国保\x7f連合会\u202e逆\u202c" in texts and "保守\u200b運用\ufeff支援\x08業務" in texts


def kept_long_value(loaded) -> None:
    assert max(len(text) for text in literals(loaded.graph)) > 100_000


def kept_changes_before_the_cut(loaded) -> None:
    full = load_report(SAMPLES / "midori_kaigo.txt")
    assert 0 < len(loaded.report.changes) < len(full.report.changes)


def kept_kiso_rows(loaded) -> None:
    # the skeleton's rows, read as 様式2: its II-1 band, III result and IV-1 choice
    graph, assessment = loaded.graph, loaded.assessment
    assert Literal("基礎項目評価書") in set(graph.objects(assessment, PIA.formType))
    assert str(graph.value(assessment, PIA.thresholdResult)).endswith("/threshold-result/basic")
    assert Literal("基礎項目評価書") in set(graph.objects(assessment, PIA.submittedReports))
    assert [f.name.value for f in loaded.report.files] == ["住民基本台帳ファイル"]


def kept_form3_rows_by_label(loaded) -> None:
    # a 全項目 whose II is written with 様式3's rows: the 委託先 of kaigo, read by label
    assert Literal("全項目評価書") in set(loaded.graph.objects(loaded.assessment, PIA.formType))
    contractors = {e.contractor.value for f in loaded.report.files for e in f.entrustments}
    assert contractors == {"架空システム株式会社 みどり支社", "架空県国民健康保険団体連合会"}


def kept_cp932_hostile(loaded) -> None:
    assert loaded.report.source_encoding == "cp932"
    assert HOSTILE in literals(loaded.graph)


LOADED = {
    "hostile_names.txt": kept_hostile_names,
    "control_characters.txt": kept_controls,
    "long_line.txt": kept_long_value,
    "truncated_in_annex2.txt": kept_changes_before_the_cut,
    "kiso_skeleton.txt": kept_kiso_rows,
    "zenkoumoku_with_form3_rows.txt": kept_form3_rows_by_label,
    "cp932_crlf_hostile.txt": kept_cp932_hostile,
}


def test_every_fixture_has_an_expected_outcome():
    names = {path.name for path in BAD.iterdir() if path.suffix in (".txt", ".pdf")}
    assert names == REFUSED.keys() | LOADED.keys()
    assert len(names) >= 30


# --- big inputs, made here -------------------------------------------------------------------------


def big_file(tmp_path: Path) -> Path:
    """A report padded with 別添1 rows to 50 MB."""
    path = tmp_path / "fifty_megabytes.txt"
    text = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        row = "\t".join(["個人番号", "氏名", "住所", "生年月日"]) + "\n"
        handle.write(row * (50_000_000 // len(row.encode("utf-8")) + 1))
    return path


def repeated_report(tmp_path: Path) -> Path:
    """One report, 300 times over (about 10 MB)."""
    path = tmp_path / "repeated_300_times.txt"
    path.write_text((SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8") * 300, encoding="utf-8")
    return path


def huge_line(tmp_path: Path) -> Path:
    """A 委託内容 of 5 MB on one line."""
    path = tmp_path / "five_megabyte_line.txt"
    text = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("介護保険システムの保守及び運用支援業務", "保守" + "運用支援業務" * 800_000), encoding="utf-8")
    return path


ROW = "住所\t還付額\t自己負担額"


def repeated_rows(tmp_path: Path) -> Path:
    """A row of 別添1 (記録項目) repeated 200,000 times (about 6 MB)."""
    path = tmp_path / "repeated_rows.txt"
    text = (SAMPLES / "midori_kaigo.txt").read_text(encoding="utf-8")
    path.write_text(text.replace(ROW + "\n", (ROW + "\n") * 200_000), encoding="utf-8")
    return path


def same_record_items_as_the_sample(loaded) -> bool:
    sample = load_report(SAMPLES / "midori_kaigo.txt")
    return [t.value for t in loaded.report.record_items] == [t.value for t in sample.report.record_items]


BIG_REFUSED = {
    big_file: "is larger than any report (50.0 MB; the limit is 16 MB)",
    repeated_report: "holds 300 covers (評価書番号)",
}
BIG_LOADED = {
    huge_line: lambda loaded: max(len(text) for text in literals(loaded.graph)) > 4_000_000,
    repeated_rows: same_record_items_as_the_sample,  # each item once, however often its row repeats
}


# --- the loader and the CLI --------------------------------------------------------------------------


def convert(path: Path):
    return CliRunner().invoke(main, ["convert", str(path), "--format", "nt"])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_file_gets_exit_2_and_one_line_naming_file_and_reason(name):
    path = BAD / name
    result = convert(path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"piagraph: {path}: ") and result.stderr.count("\n") == 1
    expected = REFUSED[name] if isinstance(REFUSED[name], tuple) else (REFUSED[name],)
    assert all(part in result.stderr for part in expected), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(LOADED))
def test_odd_file_loads_with_its_odd_text_kept(name):
    result = convert(BAD / name)
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    LOADED[name](load_report(BAD / name))


@pytest.mark.parametrize("make", BIG_REFUSED, ids=lambda make: make.__name__)
def test_big_file_is_refused_in_one_line(make, tmp_path):
    path = make(tmp_path)
    with pytest.raises(ReportError) as error:
        load_report(path)
    assert str(error.value) == f"{path}: {error.value.reason}" and "\n" not in str(error.value)
    assert BIG_REFUSED[make] in error.value.reason


@pytest.mark.parametrize("make", BIG_LOADED, ids=lambda make: make.__name__)
def test_big_file_loads_with_its_text_kept(make, tmp_path):
    assert BIG_LOADED[make](load_report(make(tmp_path)))


def test_a_device_that_never_ends_is_refused_after_the_limit():
    with pytest.raises(ReportError, match="is larger than any report"):
        load_report("/dev/zero")


# --- `piagraph load` into a store that already holds a report ----------------------------------------


@pytest.fixture(scope="module")
def holding_store(tmp_path_factory):
    """A closed store holding one report and the ontology, copied for each test."""
    directory = tmp_path_factory.mktemp("holding") / "store"
    with EmbeddedStore(directory) as store:
        summary = load_paths(store, [SAMPLES / "midori_kouki.txt"], progress=False)
        assert len(summary.loaded) == 1
    return directory


def quads(directory: Path) -> set[tuple]:
    with EmbeddedStore(directory) as store:
        return {(g, *t) for g in store.named_graphs() for t in store.graph_triples(g)}


def load_into_copy(holding: Path, tmp_path: Path, path: Path):
    directory = tmp_path / "store"
    shutil.copytree(holding, directory)
    before = quads(directory)
    result = CliRunner().invoke(main, ["load", "--quiet", "--store", str(directory), str(path)])
    return directory, before, result


@pytest.mark.parametrize("name", [*sorted(REFUSED), big_file, repeated_report],
                         ids=lambda x: x if isinstance(x, str) else x.__name__)
def test_a_refused_file_leaves_the_store_unchanged(name, holding_store, tmp_path):
    path = BAD / name if isinstance(name, str) else name(tmp_path)
    directory, before, result = load_into_copy(holding_store, tmp_path, path)
    assert result.exit_code == 2
    failure, summary = result.stderr.strip().split("\n")
    assert failure.startswith(f"{path}: ") and "Traceback" not in result.stderr
    assert summary.startswith("loaded 0 of 1 file:")
    assert quads(directory) == before


@pytest.mark.parametrize("name", sorted(LOADED))
def test_an_odd_file_is_added_and_the_old_report_is_kept(name, holding_store, tmp_path):
    directory, before, result = load_into_copy(holding_store, tmp_path, BAD / name)
    assert result.exit_code == 0, result.stderr
    after = quads(directory)
    # the report already there, its catalog entry and the ontology are untouched; only its body's rows
    # (counts across the body's reports, piagraph.store.bodies) are recomputed with the new report
    assert {q for q in before if "/graph/body/" not in str(q[0])} <= after
    loaded = load_report(BAD / name)
    assert {(loaded.graph_iri, *t) for t in loaded.graph} <= after
