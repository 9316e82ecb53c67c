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


def test_each_inferred_value_is_listed_with_its_own_line_and_reason():
    """Seed 003 移転先1 (L116–123): only ④本人の数 (L120) is inferred; its frequency (L123) is listed
    with its own line among every value (--values), without a confidence."""
    from tests.conftest import load_seed

    lines = summarise(load_seed("003"), every_value=True).splitlines()
    inferred_start = next(i for i, line in enumerate(lines) if line.startswith("推定した値 (値ごとの根拠)"))
    every_start = next(i for i, line in enumerate(lines) if line.startswith("値と出典行"))
    inferred, every = lines[inferred_start:every_start], lines[every_start:]
    assert any(line.startswith("  L120 II-5 移転先1 対象となる本人の数: 1万人未満 (確度 0.8: ") for line in inferred)
    assert not any(line.startswith("  L123 ") for line in inferred)
    assert "  L123 II-5 移転先1 時期・頻度: 業務の中で必要な都度" in every
