"""The rules of `shapes/` (piagraph.validation) and `piagraph validate`.

Every rule is shown twice: on a clean report that does not trigger it, and on a copy of that
report edited inside the test (a text edit on the report file, then a normal load) that does. The
finding must carry the rule id and point at the line of the defect. The reports are the fictional
みどり市 samples (always available) and, where a seed shows a rule best, the seeds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, Graph, Namespace
from rdflib.namespace import SH

from loaders.pipeline import load_report
from piagraph.cli.validate import validate_command
from piagraph.validation.findings import findings_graph
from piagraph.validation.rules import (
    Finding,
    dated_shapes,
    rules,
    shapes_graph,
    validate_graph,
    validate_report,
    years_before,
)
from piagraph.validation.store_rules import store_rules
from tests.conftest import ALL_SAMPLES, SAMPLES, seed_path

PIA = Namespace("https://w3id.org/piagraph/ns#")
TODAY = dt.date(2025, 9, 1)
"""The validation date of every test: after every 公表日 of the seeds and samples."""

KOUKI, KAIGO, KOKUHO, JIDOU = "midori_kouki.txt", "midori_kaigo.txt", "midori_kokuho.txt", "midori_jidou.txt"
KOUKI_KISO, JUKI_KISO = "midori_kouki_kiso.txt", "midori_juki_kiso.txt"  # 基礎項目評価書 (様式2)
JUKI_ZEN, ZEIMU_ZEN = "midori_juki_zenkoumoku.txt", "midori_zeimu_zenkoumoku.txt"  # 全項目評価書 (様式4)
CHECKED = '[<input checked="" type="checkbox"/>]'
UNCHECKED = '[<input type="checkbox"/>]'


# ---------------------------------------------------------------------------------------------
# Editing a report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new`: the only occurrence, the `nth` one, or every one on the only line
    containing `on_line`."""

    old: str
    new: str
    on_line: str | None = None
    nth: int | None = None

    def apply(self, text: str) -> str:
        if self.on_line is not None:
            lines = text.split("\n")
            hits = [i for i, line in enumerate(lines) if self.on_line in line]
            assert len(hits) == 1, f"{self.on_line!r} is on {len(hits)} lines"
            assert self.old in lines[hits[0]], f"{self.old!r} not on the line of {self.on_line!r}"
            lines[hits[0]] = lines[hits[0]].replace(self.old, self.new)
            return "\n".join(lines)
        starts = [m.start() for m in re.finditer(re.escape(self.old), text)]
        if self.nth is None:
            assert len(starts) == 1, f"{self.old!r} occurs {len(starts)} times"
            start = starts[0]
        else:
            assert len(starts) >= self.nth, f"{self.old!r} occurs {len(starts)} times"
            start = starts[self.nth - 1]
        return text[:start] + self.new + text[start + len(self.old):]


@dataclass(frozen=True)
class Line:
    """Replace the only line containing (or, with `start`, starting with) `contains` by `new`."""

    contains: str
    new: str
    start: bool = False

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines)
                if (line.startswith(self.contains) if self.start else self.contains in line)]
        assert len(hits) == 1, f"{self.contains!r} is on {len(hits)} lines"
        lines[hits[0]] = self.new
        return "\n".join(lines)


@dataclass(frozen=True)
class Cut:
    """Remove the text from `start` (included) to `end` (excluded; None: to the end of the file)."""

    start: str
    end: str | None = None

    def apply(self, text: str) -> str:
        assert text.count(self.start) == 1, f"{self.start!r} is not unique"
        begin = text.index(self.start)
        finish = text.index(self.end, begin) if self.end is not None else len(text)
        return text[:begin] + text[finish:]


def source_path(source: str) -> Path:
    return seed_path(source) if source.isdigit() else SAMPLES / source


def source_text(source: str) -> str:
    return source_path(source).read_text(encoding="utf-8")


def line_of(text: str, anchor: str, nth: int = 1) -> int:
    """1-based number of the line holding the `nth` occurrence of `anchor` (an anchor starting with a
    line break names the line after it)."""
    starts = [m.start() for m in re.finditer(re.escape(anchor), text)]
    assert len(starts) >= nth, f"anchor {anchor!r} occurs {len(starts)} times"
    start = starts[nth - 1] + (1 if anchor.startswith("\n") else 0)
    return text.count("\n", 0, start) + 1


@lru_cache(maxsize=None)
def clean_findings(source: str) -> tuple[Finding, ...]:
    return tuple(validate_report(load_report(source_path(source)), today=TODAY))


def edited_findings(tmp_path: Path, source: str, edits) -> tuple[str, list[Finding]]:
    text = source_text(source)
    for edit in edits:
        text = edit.apply(text)
    path = tmp_path / source_path(source).name
    path.write_text(text, encoding="utf-8")
    return text, validate_graph(load_report(path).graph, today=TODAY)


# ---------------------------------------------------------------------------------------------
# One defect per rule
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A defect: the rule it breaks, the report it is made in, the edits, and where the finding
    points (the line of `anchor` in the edited report, or a line number)."""

    rule: str
    source: str
    edits: tuple
    anchor: str | int
    anchor_nth: int = 1
    message: str = ""
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.name}" if self.name else self.rule


def _case(rule, source, edits, anchor, *, nth=1, message="", name=""):
    return Case(rule, source, tuple(edits), anchor, nth, message, name)


FILE_II = "後期高齢者医療関連情報ファイル\t\t\n2. 基本情報"
"""kouki's file node: II-1 ファイル名 (file-level findings point at it)."""
KAIGO_FILE_II = "介護保険情報ファイル\t\n2. 基本情報"
JIDOU_FILE_II = "児童手当情報ファイル\t\n2. 基本情報"
KOUKI_AFFAIR = "①事務の名称\t"
KOUKI_COVER = "1\t後期高齢者医療に関する事務 重点項目評価書"
KISO_COVER = "1\t後期高齢者医療に関する事務 基礎項目評価書"
KISO_AFFAIR = "①事務の名称\t"

CASES = [
    # ---- 表紙 ----
    _case("PIA-R01", KOUKI, [Line(KOUKI_COVER, "—\t後期高齢者医療に関する事務 重点項目評価書")], 1),
    _case("PIA-R02", KOUKI, [Line(KOUKI_COVER, "1\t")], "\n1\t\n"),
    _case("PIA-R03", KOUKI, [Edit("評価実施機関名\nみどり市長", "評価実施機関名\n—")], KOUKI_COVER),
    _case("PIA-R04", KOUKI, [Edit("公表日\n令和7年2月14日", "公表日\n—")], KOUKI_COVER),
    # ---- I 基本情報 ----
    _case("PIA-R05", KOUKI, [Edit("①事務の名称\t後期高齢者医療に関する事務", "①事務の名称\t—")], 1),
    _case("PIA-R06", KOUKI, [Edit("①システムの名称\t団体内統合宛名システム", "①システムの名称\t—")], "システム3\t"),
    _case("PIA-R07", KOUKI, [Edit("後期高齢者医療関連情報ファイル\t\n4. 個人番号の利用",
                                  "後期高齢者医療関連情報ファイル、後期高齢者医療給付ファイル\t\n4. 個人番号の利用")],
          "後期高齢者医療給付ファイル", message="I-3 に名前のある", name="listed-in-I-3"),
    _case("PIA-R07", KOUKI, [Edit("1. 特定個人情報ファイル名\t\n後期高齢者医療関連情報ファイル\t\n2. 特定個人情報の入手",
                                  "1. 特定個人情報ファイル名\t\n後期高齢者医療給付ファイル\t\n2. 特定個人情報の入手")],
          "後期高齢者医療給付ファイル", message="III に記載のある", name="only-in-III"),
    _case("PIA-R08", KOUKI, [Edit("1. 特定個人情報ファイル名\t\n後期高齢者医療関連情報ファイル\t\n2. 特定個人情報の入手",
                                  "1. 特定個人情報ファイル名\t\n後期高齢者医療給付ファイル\t\n2. 特定個人情報の入手")],
          FILE_II),
    _case("PIA-R09", KOUKI, [Edit("法令上の根拠\t番号法第9条第1項及び別表の第85項\n", "法令上の根拠\t—\n")], KOUKI_AFFAIR),
    _case("PIA-R10", KOUKI, [Edit("法令上の根拠\t番号法第9条第1項及び別表の第85項\n",
                                  "法令上の根拠\t高齢者の医療の確保に関する法律第48条\n")],
          "法令上の根拠\t高齢者の医療の確保に関する法律第48条"),
    _case("PIA-R11", KOUKI, [Edit("①実施の有無\t[実施する]", "①実施の有無\t[]")], KOUKI_AFFAIR),
    _case("PIA-R12", KOUKI, [Line("②法令上の根拠\t番号法第19条第8号",
                                  "②法令上の根拠\t番号法別表の主務省令で定める事務を定める命令 第46条", start=True)],
          "②法令上の根拠\t番号法別表の主務省令", message="第19条第8号", name="no-article-19"),
    _case("PIA-R12", KAIGO, [Line("②法令上の根拠\t<p>・番号法第19条第8号に基づく", "②法令上の根拠\t—")], "①事務の名称\t",
          message="記載されていない", name="no-basis"),
    _case("PIA-R13", KOUKI, [Edit("①システムの名称\t中間サーバー", "①システムの名称\t情報連携基盤"),
                             Edit(f"{CHECKED} 情報提供ネットワークシステム", f"{UNCHECKED} 情報提供ネットワークシステム",
                                  on_line="(団体内統合宛名システム)</p>"),
                             Edit("(中間サーバー、後期高齢者医療システム)", "(情報連携基盤、後期高齢者医療システム)")],
          KOUKI_AFFAIR),
    _case("PIA-R14", KOUKI, [Edit("①実施の有無\t[実施する]", "①実施の有無\t[実施しない]")], KOUKI_AFFAIR),
    _case("PIA-R15", KOUKI, [Edit("①部署\t健康福祉部 保険年金課", "①部署\t—")], KOUKI_AFFAIR),
    # ---- II-3 入手 ----
    _case("PIA-R16", KAIGO, [Line("①入手元 ※", "①入手元 ※\t\t[ ] 本人又は本人の代理人 [ ] 評価実施機関内の他部署 ( ) "
                                  "[ ] 行政機関・独立行政法人等 ( ) [ ] 地方公共団体・地方独立行政法人 ( ) [ ] 民間事業者 ( ) [ ] その他 ( )")],
          KAIGO_FILE_II),
    _case("PIA-R17", KAIGO, [Edit("[ ○ ]", "[ ]", on_line="②入手方法")], KAIGO_FILE_II),
    # ---- II-4 委託 ----
    _case("PIA-R18", KAIGO, [Line("①委託内容\t介護保険システムのアプリケーション保守", "①委託内容\t—")], "委託事項1\t",
          message="①委託内容", name="content"),
    _case("PIA-R18", KAIGO, [Edit("[ 10人未満 ]", "[ ]", on_line="②委託先における取扱者数\t[ 10人未満 ]")], "委託事項1\t",
          message="②委託先における取扱者数", name="handlers"),
    _case("PIA-R18", KAIGO, [Edit("③委託先名\t架空システム株式会社 みどり支社", "③委託先名\t—")], "委託事項1\t",
          message="③委託先名", name="contractor"),
    _case("PIA-R18", KAIGO, [Edit("[ 再委託しない ]", "[ ]", nth=2)], "委託事項2\t", message="④再委託の有無",
          name="subcontracting"),
    _case("PIA-R19", KOUKI, [Line("⑤再委託の許諾方法\t委託先から", "\t⑤再委託の許諾方法\t—")], "委託事項1\t",
          message="⑤再委託の許諾方法", name="permission"),
    _case("PIA-R19", KOUKI, [Line("⑥再委託事項\t制度改正に伴う", "\t⑥再委託事項\t—")], "委託事項1\t",
          message="⑥再委託事項", name="items"),
    _case("PIA-R20", KOUKI, [Edit("[委託する] <選択肢> (1) 件", "[委託する] <選択肢> (2) 件")], FILE_II),
    # ---- II-5 提供・移転 ----
    _case("PIA-R21", KOUKI, [Edit(f"{CHECKED} 提供を行っている", "[] 提供を行っている")], FILE_II,
          name="provision-not-ticked"),
    _case("PIA-R21", KAIGO, [Edit("[ ] 行っていない", "[ ○ ] 行っていない")], KAIGO_FILE_II, name="none-with-entries"),
    _case("PIA-R22", KOUKI, [Edit("提供を行っている (1) 件", "提供を行っている (3) 件")], FILE_II),
    _case("PIA-R23", KOUKI, [Edit("移転を行っている (2) 件", "移転を行っている () 件")], FILE_II, message="(空欄)"),
    _case("PIA-R24", KOUKI, [Edit("移転先2\t市民生活部 国保年金課", "移転先2\t—")], "移転先2\t", message="名称",
          name="recipient"),
    _case("PIA-R24", KOUKI, [Edit("①法令上の根拠\t番号法第9条第1項及び別表の第44項", "①法令上の根拠\t—")], "移転先2\t",
          message="①法令上の根拠", name="basis"),
    _case("PIA-R24", KOUKI, [Line("②移転先における用途\t国民健康保険法", "②移転先における用途\t—")], "移転先2\t",
          message="②用途", name="purpose"),
    _case("PIA-R24", KOUKI, [Line("③移転する情報\t後期高齢者医療被保険者資格情報", "③移転する情報\t—")], "移転先2\t",
          message="③提供・移転する情報", name="information"),
    _case("PIA-R24", KOUKI, [Edit("[○] 庁内連携システム", "[] 庁内連携システム", nth=2)], "移転先2\t",
          message="⑥提供・移転の方法", name="method"),
    _case("PIA-R24", KOUKI, [Edit("⑦時期・頻度\t日次", "⑦時期・頻度\t—")], "移転先2\t", message="⑦時期・頻度",
          name="frequency"),
    _case("PIA-R25", KAIGO, [Edit("①法令上の根拠\t番号法第19条第8号 主務省令第2条の表の第2項", "①法令上の根拠\t健康保険法第150条")],
          "提供先1\t"),
    # the finding cites the ⑥移転方法 row the method is ticked on, not its 移転先's header
    _case("PIA-R26", KAIGO, [Edit("[ ] フラッシュメモリ", "[ ○ ] フラッシュメモリ", on_line="[ ○ ] 電子メール [ ] 電子記録媒体")],
          "[ ○ ] 電子メール [ ] 電子記録媒体"),
    # ---- III リスク対策 ----
    _case("PIA-R27", KOUKI, [Cut("4. 特定個人情報ファイルの取扱いの委託\n\n[] 委託しない",
                                 "5. 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）")],
          FILE_II, message="III-4", name="entrustment"),
    _case("PIA-R27", KOUKI, [Cut("9. 従業者に対する教育・啓発", "10. その他のリスク対策")], FILE_II, message="III-9",
          name="education"),
    _case("PIA-R28", KOUKI, [Line("ユーザ認証の管理\t<p>[行っている]", "")], FILE_II, message="III 使用"),
    _case("PIA-R29", KOUKI, [Edit("<p>[十分である] <選択肢></p>", "<p>[] <選択肢></p>", nth=1)], "<p>[] <選択肢></p>"),
    _case("PIA-R30", KOUKI, [Edit("<p>[十分である] <選択肢></p>", "<p>[課題が残されている] <選択肢></p>", nth=1)],
          "<p>[課題が残されている]"),
    _case("PIA-R31", KOUKI, [Edit("ユーザ認証の管理\t<p>[行っている]", "ユーザ認証の管理\t<p>[行っていない]")],
          "ユーザ認証の管理\t<p>[行っていない]"),
    _case("PIA-R32", KOUKI, [Edit("担保\t[十分に行っている]", "担保\t[再委託していない]")], FILE_II),
    _case("PIA-R33", KOUKI, [Edit(f"{CHECKED} 自己点検", "[] 自己点検"), Edit(f"{CHECKED} 内部監査", "[] 内部監査"),
                             Edit(f"{UNCHECKED} 外部監査", "[] 外部監査")], FILE_II),
    _case("PIA-R34", KOUKI, [Edit("重大事故が発生したか\t[発生なし]", "重大事故が発生したか\t[]")], FILE_II),
    _case("PIA-R35", JIDOU, [Line("その内容\t平成30年5月", "その内容\t—")], JIDOU_FILE_II),
    _case("PIA-R36", JIDOU, [Line("再発防止策の内容\t", "再発防止策の内容\t—")], JIDOU_FILE_II),
    _case("PIA-R37", KOUKI, [Edit("重大事故が発生したか\t[発生なし]", "重大事故が発生したか\t[発生あり]")],
          "重大事故が発生したか\t[発生あり]"),  # the rated row itself
    # ---- the report as a whole ----
    _case("PIA-R38", KOUKI, [Edit("システム3\t\n①システムの名称", "システム5\t\n①システムの名称")],
          "2. 特定個人情報ファイルを取り扱う事務において使用するシステム",
          message="番号"),
    _case("PIA-R39", KOUKI, [Cut("5. 特定個人情報の提供・移転(委託に伴うものを除く。)", "6. 特定個人情報の保管・消去")], FILE_II),
    # a finding about the 公表日 cites the line the date is printed on
    _case("PIA-R40", KOUKI, [Edit("公表日\n令和7年2月14日", "公表日\n令和2年2月14日")], "公表日\n令和2年"),
    _case("PIA-R41", KOUKI, [Edit("公表日\n令和7年2月14日", "公表日\n令和8年2月14日")], "公表日\n令和8年"),
    _case("PIA-R42", KOUKI, [Cut("変更日\t項目\t変更前の記載")], KOUKI_COVER),
    _case("PIA-R43", KOUKI, [Edit("[○] 庁内連携システム", '[<input type="radio"/>] 庁内連携システム', nth=1)],
          '[<input type="radio"/>] 庁内連携システム'),
    # ---- 基礎項目評価書 (様式2) ----
    _case("PIA-R44", KOUKI_KISO, [Edit("<p>[500人未満]</p>", "<p>[]</p>")], KISO_COVER, message="II-2 取扱者数"),
    _case("PIA-R45", KOUKI_KISO, [Edit("<p>[500人未満]</p>", "<p>[500人以上]</p>")], KISO_COVER,
          message="基礎項目評価及び全項目評価の実施が義務付けられる"),
    _case("PIA-R46", KOUKI_KISO, [Edit("[基礎項目評価書及び重点項目評価書]\t", "[基礎項目評価書]\t")], KISO_COVER),
    _case("PIA-R47", KOUKI_KISO, [Edit("当該対策は十分か【再掲】\t<p>[十分である]", "当該対策は十分か【再掲】\t<p>[特に力を入れている]")],
          KISO_AFFAIR),
    # the always-rated areas of 様式2 IV and 様式4 III (generated from the forms' descriptions)
    _case("PIA-R27", KOUKI_KISO, [Cut("2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)",
                                      "3. 特定個人情報の使用")], KISO_AFFAIR, message="IV-2", name="form2-IV-2"),
    _case("PIA-R18", ZEIMU_ZEN, [Line("⑥委託先名\t㈱架空データセンター", "⑥委託先名\t—")], "委託事項2\t",
          message="⑥委託先名", name="form4-contractor"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_rule_is_triggered_by_its_defect_and_not_by_the_clean_report(case: Case, tmp_path: Path) -> None:
    clean = [f for f in clean_findings(case.source) if f.rule == case.rule]
    assert clean == [], f"the clean {case.source} already triggers {case.rule}: {clean}"
    text, findings = edited_findings(tmp_path, case.source, case.edits)
    hits = [f for f in findings if f.rule == case.rule]
    line = case.anchor if isinstance(case.anchor, int) else line_of(text, case.anchor, case.anchor_nth)
    assert any(f.line == line and case.message in f.message for f in hits), (
        f"{case.rule} expected at line {line} (message with {case.message!r}); got "
        f"{[(f.line, f.section, f.message) for f in hits]}")


def test_every_rule_has_a_defect_case() -> None:
    # the rules across reports need a store: tests/validation/test_store_rules.py
    across = {rule.rule for rule in store_rules()}
    assert {case.rule for case in CASES} == {rule.rule for rule in rules()} - across


# ---------------------------------------------------------------------------------------------
# The shapes themselves
# ---------------------------------------------------------------------------------------------


def test_at_least_twenty_rules_each_with_id_title_source_and_one_severity() -> None:
    declared = rules()
    assert len(declared) >= 20
    assert [r.rule for r in declared] == [f"PIA-R{n:02d}" for n in range(1, len(declared) + 1)]
    for rule in declared:
        assert rule.title, rule
        assert rule.source.startswith("Source:"), rule
    graph = shapes_graph()
    severities: dict[str, set] = {}
    reporting = {s for s in graph.subjects(SH.message, None) if (s, RDF.type, SH.SPARQLConstraint) not in graph}
    reporting |= set(graph.subjects(SH.sparql, None))
    for shape in reporting:
        rule_id = graph.value(shape, PIA.ruleId)
        assert rule_id is not None, f"shape {shape} reports results but has no pia:ruleId"
        severity = graph.value(shape, SH.severity)
        assert severity in (SH.Violation, SH.Warning, SH.Info), shape
        severities.setdefault(str(rule_id), set()).add(severity)
    for message in graph.objects(None, SH.message):
        assert message.language == "ja", message
    assert all(len(values) == 1 for values in severities.values()), severities


def test_sparql_is_used_only_where_counts_are_compared() -> None:
    graph = shapes_graph()
    sparql_rules = {str(graph.value(shape, PIA.ruleId)) for shape in graph.subjects(SH.sparql, None)}
    # counts compared (R20–R23, R28); the しきい値判断 and IV-11 tables of 様式2 (R45–R47)
    assert sparql_rules == {"PIA-R20", "PIA-R21", "PIA-R22", "PIA-R23", "PIA-R28", "PIA-R45", "PIA-R46", "PIA-R47"}


def test_severity_names_follow_the_issue() -> None:
    by_id = {rule.rule: rule.severity for rule in rules()}
    assert by_id["PIA-R40"] == "Warning"  # 公表日 > 5 years: 規則第15条 is an effort duty
    assert by_id["PIA-R26"] == "Info"  # フラッシュメモリ
    assert by_id["PIA-R43"] == "Info"  # inferred values
    assert by_id["PIA-R30"] == "Warning"  # 課題が残されている
    assert {by_id[r] for r in ("PIA-R01", "PIA-R20", "PIA-R24", "PIA-R25", "PIA-R35")} == {"Violation"}


# ---------------------------------------------------------------------------------------------
# Validation date
# ---------------------------------------------------------------------------------------------


def test_years_before_handles_29_february() -> None:
    assert years_before(dt.date(2024, 2, 29), 5) == dt.date(2019, 2, 28)
    assert years_before(dt.date(2025, 9, 1), 5) == dt.date(2020, 9, 1)


def test_age_rule_depends_on_the_injected_validation_date() -> None:
    graph = load_report(SAMPLES / JIDOU).graph  # 公表日 2019-03-01
    assert not [f for f in validate_graph(graph, today=dt.date(2024, 3, 1)) if f.rule == "PIA-R40"]
    aged = [f for f in validate_graph(graph, today=dt.date(2024, 3, 2)) if f.rule == "PIA-R40"]
    assert [(f.value, f.section) for f in aged] == [("2019-03-01", "表紙")]


def test_future_rule_depends_on_the_injected_validation_date() -> None:
    graph = load_report(SAMPLES / KOUKI).graph  # 公表日 2025-02-14
    assert [f.rule for f in validate_graph(graph, today=dt.date(2025, 2, 13)) if f.rule == "PIA-R41"] == ["PIA-R41"]
    assert not [f for f in validate_graph(graph, today=dt.date(2025, 2, 14)) if f.rule == "PIA-R41"]


def test_dated_shapes_add_bounds_without_touching_the_shared_shapes() -> None:
    piash = Namespace("https://w3id.org/piagraph/shapes#")
    dated = dated_shapes(dt.date(2024, 2, 29))
    assert str(dated.value(piash["PIA-R40-published"], SH.minInclusive)) == "2019-02-28"
    assert str(dated.value(piash["PIA-R41-published"], SH.maxInclusive)) == "2024-02-29"
    assert shapes_graph().value(piash["PIA-R40-published"], SH.minInclusive) is None
    assert shapes_graph().value(piash["PIA-R41-published"], SH.maxInclusive) is None


# ---------------------------------------------------------------------------------------------
# The seeds and samples: every finding listed (each Violation checked against the report text)
# ---------------------------------------------------------------------------------------------


def _violations_and_warnings(findings) -> set[tuple[str, str, int | None]]:
    return {(f.rule, f.severity, f.line) for f in findings if f.severity != "Info"}


SEED_FINDINGS = {
    # 提供先1 cites only 高齢者の医療の確保に関する法律第110条; III-6 リスク1 has no rating row in the
    # text (cited at the III-6 heading, L267); III-8 監査 has all three boxes empty ([] 自己点検
    # [] 内部監査 [] 外部監査, L303–311) — cited in section III, not at the file's II-1 line (L97).
    "000": {("PIA-R25", "Violation", 146), ("PIA-R28", "Warning", 267), ("PIA-R33", "Warning", 303)},
    # I-5 ② cites 番号法 別表 and the 別表 主務省令, no 第19条; システム2 is not in the text;
    # 委託の有無 says (1) 件 but 委託事項1 and 委託事項2 follow (II-4, L103); III jumps from 3 to 5 and
    # 5 to 7: the missing III-4 and III-6 are cited where they would begin (L343, L352).
    "002": {("PIA-R12", "Violation", 65), ("PIA-R38", "Violation", 39), ("PIA-R20", "Violation", 103),
            ("PIA-R27", "Violation", 343), ("PIA-R27", "Violation", 352)},
    # システム1–2 are not in the text; 移転を行っている () 件 is blank (II-5, L113); 別添2 only in the
    # table of contents.
    "003": {("PIA-R38", "Violation", 40), ("PIA-R23", "Violation", 113), ("PIA-R42", "Warning", 6)},
    # The text stops after II-4 委託の有無 ((1) 件, II-4 at L106): no 委託事項, no II-5; 監査 boxes
    # are bare (III-8, L198).
    "004": {("PIA-R20", "Violation", 106), ("PIA-R39", "Violation", 81), ("PIA-R39", "Violation", 106),
            ("PIA-R33", "Warning", 198)},
}

SAMPLE_FINDINGS = {
    KOUKI: {("PIA-R25", "Violation", 137)},
    KAIGO: {("PIA-R30", "Warning", 223)},
    KOKUHO: {("PIA-R25", "Violation", 154)},
    JIDOU: {("PIA-R40", "Warning", 18)},  # a finding about the 公表日 cites its own line (平成31年3月1日)
}


@pytest.mark.parametrize("seed", sorted(SEED_FINDINGS))
def test_seed_findings(seed: str) -> None:
    assert _violations_and_warnings(clean_findings(seed)) == SEED_FINDINGS[seed]


@pytest.mark.parametrize("sample", sorted(SAMPLE_FINDINGS))
def test_sample_findings(sample: str) -> None:
    assert _violations_and_warnings(clean_findings(sample)) == SAMPLE_FINDINGS[sample]


def test_infos_on_the_samples() -> None:
    # フラッシュメモリ, a method of 提供先2 (L154): the finding cites the ⑥提供方法 row it is ticked on
    assert {(f.rule, f.line) for f in clean_findings(KOKUHO) if f.severity == "Info"} == {("PIA-R26", 160)}
    assert {(f.rule, f.line) for f in clean_findings(JIDOU) if f.severity == "Info"} == {("PIA-R37", 240)}  # ②…重大事故が発生したか
    assert not [f for f in clean_findings(KOUKI) + clean_findings(KAIGO) if f.severity == "Info"]


def test_inferred_value_points_at_the_inferred_mark() -> None:
    inferred = [f for f in clean_findings("000") if f.rule == "PIA-R43"]
    assert {(f.section, f.line, f.value) for f in inferred} >= {
        ("II-5", 145, "0.9"),  # 提供・移転の有無: bare radio marks
        ("II-5 提供先1", 152, "0.8"),  # ⑥提供方法 専用線
    }


def test_findings_name_the_report_and_its_assessment() -> None:
    finding = next(f for f in clean_findings(KAIGO) if f.rule == "PIA-R30")
    assert finding.report == KAIGO
    assert finding.assessment.startswith("https://w3id.org/piagraph/id/assessment/")
    assert finding.section == "III-5 提供・移転"
    assert finding.value == "課題が残されている"


# ---------------------------------------------------------------------------------------------
# Findings as RDF
# ---------------------------------------------------------------------------------------------


def test_findings_graph_has_one_report_per_validated_assessment() -> None:
    kouki, kaigo = list(clean_findings(KOUKI)), list(clean_findings(KAIGO))
    graph = findings_graph(kouki + kaigo, today=TODAY)
    reports = set(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 2
    conforms = {str(graph.value(r, PIA.findingAbout)): graph.value(r, SH.conforms).toPython() for r in reports}
    assert conforms == {kouki[0].assessment: False, kaigo[0].assessment: True}
    results = set(graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == len(kouki) + len(kaigo)
    for result in results:
        assert graph.value(result, PIA.ruleId) is not None
        assert graph.value(result, SH.resultSeverity) in (SH.Violation, SH.Warning, SH.Info)
        assert graph.value(result, PIA.sourceLine) is not None
    reparsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert len(reparsed) == len(graph)


# ---------------------------------------------------------------------------------------------
# piagraph validate
# ---------------------------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(validate_command, [*args, "--today", TODAY.isoformat()])


def test_cli_exit_code_1_with_a_violation_and_json_keys() -> None:
    result = invoke(str(SAMPLES / KOUKI), "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["severity"], f["line"]) for f in findings] == [("PIA-R25", "Violation", 137)]
    assert {"rule", "severity", "message", "report", "section", "line"} <= set(findings[0])
    assert findings[0]["report"] == KOUKI


def test_cli_exit_code_0_without_violations() -> None:
    result = invoke(str(SAMPLES / KAIGO))
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert [c.strip() for c in header.split("|")] == ["rule", "severity", "message", "report", "section", "line"]
    assert "PIA-R30" in result.stdout and "課題が残されている" in result.stdout


def test_cli_csv_and_turtle() -> None:
    result = invoke(str(SAMPLES / KOKUHO), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["rule"], r["line"]) for r in rows} == {("PIA-R25", "154"), ("PIA-R26", "160")}
    result = invoke(str(SAMPLES / KOKUHO), "--format", "turtle")
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 2


def test_cli_today_option() -> None:
    result = CliRunner().invoke(validate_command, [str(SAMPLES / JIDOU), "--format", "json", "--today", "2020-01-01"])
    assert "PIA-R40" not in {f["rule"] for f in json.loads(result.stdout)}


def test_cli_several_reports_and_a_directory() -> None:
    result = invoke(str(SAMPLES), "--format", "json")
    assert result.exit_code == 1
    # every sample has a finding but kouki_kiso: juki's 番号法第7条 basis (R10), juki_zen's 住基法
    # provisions (R25), zeimu's 課題が残されている (R30)
    assert {f["report"] for f in json.loads(result.stdout)} == set(ALL_SAMPLES) - {KOUKI_KISO}


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00binary", "ただのメモです。\n".encode("utf-8")])
def test_cli_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = invoke(str(bad))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("piagraph:")]
    assert len(errors) == 1 and "bad.txt" in errors[0]
    assert "Traceback" not in result.output


def test_cli_missing_file_and_missing_arguments_exit_2(tmp_path: Path) -> None:
    assert invoke(str(tmp_path / "nope.txt")).exit_code == 2
    assert invoke().exit_code == 2
    assert invoke(str(SAMPLES / KOUKI), "--store", str(tmp_path)).exit_code == 2


def test_cli_lists_the_rules() -> None:
    result = CliRunner().invoke(validate_command, ["--rules"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split("\t")[:2] == ["PIA-R01", "Violation"]


def test_cli_store_validates_current_reports(tmp_path: Path) -> None:
    store_module = pytest.importorskip("piagraph.store")
    with store_module.open_store(tmp_path / "store") as store:
        store.put_report(load_report(SAMPLES / KOUKI))  # stored unchecked (no findings with them)
        store.put_report(load_report(SAMPLES / KAIGO))
    result = invoke("--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 1, result.output
    found = {(f["report"], f["rule"], f["line"]) for f in json.loads(result.stdout)}
    # and, across reports, neither 重点 report has its 基礎 in this store (R48, at the cover's number):
    # computed from the store as it is, never stored with a report
    across = {(KOUKI, "PIA-R48", 6), (KAIGO, "PIA-R48", 6)}
    assert found == {(KOUKI, "PIA-R25", 137), (KAIGO, "PIA-R30", 223)} | across
    assert "findings recomputed and stored for 2 reports (2 never checked), 0 up to date" in result.stderr
    with store_module.open_store(tmp_path / "store", read_only=True) as store:
        answer = store.query("PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?findings (COUNT(?r) AS ?n) WHERE { "
                             "GRAPH ?findings { ?r a sh:ValidationResult } } GROUP BY ?findings")
        counts = {str(graph): int(n) for graph, n in answer.rows}
        # one finding stored with each report; the two R48 in the graph of the rules across reports
        assert sorted(counts.values()) == [1, 1, 2]
        assert counts["https://w3id.org/piagraph/id/graph/findings/across-reports"] == 2
    again = invoke("--store", str(tmp_path / "store"), "--format", "json")
    assert {(f["report"], f["rule"], f["line"]) for f in json.loads(again.stdout)} == found
    assert "findings recomputed and stored for 0 reports, 2 up to date" in again.stderr


def test_cli_store_recomputes_findings_of_an_older_rule_set(tmp_path: Path) -> None:
    from ontology import PIA
    from piagraph.ingest import load_paths
    from piagraph.store import open_store
    from piagraph.store.graphs import findings_graph_of

    with open_store(tmp_path / "store") as store:
        load_paths(store, [SAMPLES / KOUKI, SAMPLES / KAIGO], progress=False, today=TODAY)  # validated on load
        kouki = next(e.graph for e in store.catalog() if e.source_file == KOUKI)
        findings = store.named_graph(findings_graph_of(kouki))
        for validation, version in list(findings.subject_objects(PIA.rulesVersion)):
            findings.set((validation, PIA.rulesVersion, rdflib.Literal("piagraph 0.0.1; shapes 000000000000")))
        store.put_graph(findings_graph_of(kouki), findings)
    result = invoke("--store", str(tmp_path / "store"), "--format", "json")
    assert "recomputed and stored for 1 report (1 checked by an older rule set), 1 up to date" in result.stderr
    assert {(f["report"], f["rule"]) for f in json.loads(result.stdout)} == {
        (KOUKI, "PIA-R25"), (KAIGO, "PIA-R30"), (KOUKI, "PIA-R48"), (KAIGO, "PIA-R48")}


def test_cli_store_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = invoke("--store", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert result.stderr.startswith("piagraph: ")
