"""``piagraph inspect``'s summary (`piagraph.inspect`): what an auditor checks first in an extraction.

Expected facts from samples/README.md (systems, 委託, 提供・移転 counts, 別添2 rows) and the texts.
"""

from __future__ import annotations

from loaders.pipeline import load_report
from piagraph.inspect import summarise
from tests.conftest import SAMPLES, load_sample


def summary(name: str) -> list[str]:
    return summarise(load_sample(name)).splitlines()


def line_of(lines: list[str], start: str) -> str:
    [found] = [line.strip() for line in lines if line.strip().startswith(start)]
    return found


def test_the_summary_names_the_systems_and_the_shared_system_each_one_is():
    kouki = summary("midori_kouki.txt")
    assert line_of(kouki, "システム (") == "システム (4):"
    assert line_of(kouki, "システム1:") == "システム1: 後期高齢者医療システム"  # a local system: no shared one
    assert line_of(kouki, "システム2:").endswith("→ 共通: 後期高齢者医療広域連合電算処理システム")
    assert line_of(kouki, "システム4:").endswith("→ 共通: 中間サーバー")
    # kokuho spells it 中間サーバ: shown as written, and as the one shared system
    assert line_of(summary("midori_kokuho.txt"), "システム4:").startswith("システム4: 中間サーバ  → 共通: 中間サーバー")


def test_the_summary_names_the_file_and_its_counts_as_stated_and_as_found():
    kouki = summary("midori_kouki.txt")
    assert line_of(kouki, "特定個人情報ファイル (").endswith("(1): I-3 に記載 後期高齢者医療関連情報ファイル")
    assert line_of(kouki, "委託:").endswith("記載 1件 / 抽出 1件")
    assert line_of(kouki, "提供:") == "提供: 記載 1件 / 抽出 1件"
    assert line_of(kouki, "移転:") == "移転: 記載 2件 / 抽出 2件"
    assert line_of(kouki, "別添2 変更箇所:").startswith("別添2 変更箇所: 4件")
    assert not any("一致しない" in line for line in kouki)


def test_a_stated_count_that_disagrees_with_the_entries_is_flagged(tmp_path):
    text = (SAMPLES / "midori_kouki.txt").read_text(encoding="utf-8")
    assert text.count("移転を行っている (2) 件") == 1
    edited = tmp_path / "kouki_count.txt"
    edited.write_text(text.replace("移転を行っている (2) 件", "移転を行っている (3) 件"), encoding="utf-8")
    lines = summarise(load_report(edited)).splitlines()
    assert line_of(lines, "移転:") == "移転: 記載 3件 / 抽出 2件  ← 件数が一致しない"
    assert line_of(lines, "提供:") == "提供: 記載 1件 / 抽出 1件"


def test_the_summary_shows_branches_remaining_issues_and_incidents():
    kaigo = summary("midori_kaigo.txt")
    assert line_of(kaigo, "委託事項1:").startswith("委託事項1: 架空システム株式会社 (みどり支社)  再委託: 再委託しない")
    assert line_of(kaigo, "課題が残されている:").startswith("課題が残されている: III-5 提供・移転")
    assert line_of(summary("midori_jidou.txt"), "監査:").endswith("重大事故: 発生あり")
