"""Sections → a typed `Report`: every field of 様式3 with its line.

One function per part of the form. Each reads label-anchored fields (`loaders.fields`), choices and
checkbox groups (`loaders.marks`) and returns records (`loaders.records`). What the form requires
but the text lacks becomes a `Gap`; text no field could take is kept as unresolved.
"""

from __future__ import annotations

import re

from loaders import vocabulary
from loaders.dates import parse_japanese_date
from loaders.fields import FieldSet, FieldSpec, is_empty, read_fields
from loaders.marks import DocumentHabit, read_choice, read_count, read_ticks
from loaders.normalise import Line
from loaders.records import (
    ChangeRecord,
    Choice,
    DisclosureRecord,
    EntrustmentRecord,
    Evidence,
    FileRecord,
    Gap,
    Report,
    RiskRating,
    SystemEntry,
    Text,
)
from loaders.segment import (
    SegmentedReport,
    Subsection,
    block_header,
    blocks,
    split_per_file,
    subsection_number,
    subsections,
)

FILE_KINDS = ["システム用ファイル", "その他の電子ファイル(表計算ファイル等)"]
ENTRUSTMENT_CHOICES = ["委託する", "委託しない"]
SUBCONTRACTING_CHOICES = ["再委託する", "再委託しない"]
DISCLOSURE_OPTIONS = ["提供を行っている", "移転を行っている", "行っていない"]
AUDIT_OPTIONS = ["自己点検", "内部監査", "外部監査"]
INCIDENT_CHOICES = ["発生あり", "発生なし"]
MAIN_RECORD_ITEMS = [
    "個人番号", "個人番号対応符号", "その他識別情報(内部番号)",
    "5情報(氏名、氏名の振り仮名、性別、生年月日、住所)", "4情報(氏名、性別、生年月日、住所)",
    "連絡先(電話番号等)", "その他住民票関係情報", "国税関係情報", "地方税関係情報",
    "健康・医療関係情報", "医療保険関係情報", "児童福祉・子育て関係情報", "障害者福祉関係情報",
    "生活保護・社会福祉関係情報", "介護・高齢者福祉関係情報", "雇用・労働関係情報", "年金関係情報",
    "学校・教育関係情報", "災害関係情報", "その他",
]
FORM_TYPES = ["基礎項目評価書", "重点項目評価書", "全項目評価書"]

# Rated items of section III: the label (as the form words it) and its option list.
RATED_ITEMS: list[tuple[str, list[str] | str]] = [
    ("リスクへの対策は十分か", "rating"),
    ("ユーザ認証の管理", ["行っている", "行っていない"]),
    ("委託契約書中の特定個人情報ファイルの取扱いに関する規定", ["定めている", "定めていない"]),
    ("再委託先による特定個人情報ファイルの適切な取扱いの担保", "effort+none"),
    ("特定個人情報の提供・移転に関するルール", ["定めている", "定めていない"]),
    ("事故発生時手順の策定・周知", "effort"),
    ("過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", INCIDENT_CHOICES),
    ("従業者に対する教育・啓発", "effort"),
]
RISK_AREAS = {2: "入手", 3: "使用", 4: "委託", 5: "提供・移転", 6: "情報提供ネットワークシステムとの接続",
              7: "保管・消去", 8: "監査", 9: "教育・啓発", 10: "その他のリスク対策"}


def _options(kind: list[str] | str) -> list[str]:
    if isinstance(kind, list):
        return kind
    if kind == "effort+none":
        return vocabulary.options("effort") + ["再委託していない"]
    return vocabulary.options(kind)


class Extractor:
    """Reads one segmented report into a `Report`; collects gaps and unresolved text on the way."""

    def __init__(self, segmented: SegmentedReport, source_file: str, encoding: str):
        self.segmented = segmented
        self.report = Report(source_file=source_file, source_encoding=encoding)
        texts = [line.text for key in segmented.sections for line in segmented.lines(key)]
        self.habit = DocumentHabit.learn(texts)

    # -- helpers -----------------------------------------------------------------------------
    def gap(self, item: str, reason: str, section: str, line: int) -> None:
        self.report.gaps.append(Gap(item, reason, Evidence(section, line)))

    def keep_unresolved(self, fields: FieldSet, section: str) -> None:
        for line in fields.unresolved:
            if not is_empty(line.text):
                self.report.unresolved.append(Text(line.text, Evidence(section, line.number)))

    def choice(self, fields: FieldSet, name: str, options: list[str], section: str) -> Choice | None:
        line = fields.line(name)
        if line is None:
            return None
        return read_choice(fields.raw(name), options, Evidence(section, line))

    def ticks(self, fields: FieldSet, name: str, options: list[str], section: str):
        line = fields.line(name)
        if line is None:
            return []
        return read_ticks(fields.raw(name), options, Evidence(section, line), self.habit)

    # -- the report --------------------------------------------------------------------------
    def run(self) -> Report:
        self.read_cover()
        self.read_basic_information()
        self.read_files()
        self.report.inquiries = self.read_plain_fields("IV")
        self.report.procedures = self.read_plain_fields("V")
        self.read_record_items()
        self.read_changes()
        return self.report

    # -- cover -------------------------------------------------------------------------------
    COVER_FIELDS = [
        FieldSpec("number_header", "評価書番号"),
        FieldSpec("declaration", "個人のプライバシー等の権利利益の保護の宣言"),
        FieldSpec("notes", "特記事項"),
        FieldSpec("assessor", "評価実施機関名"),
        FieldSpec("published", "公表日"),
    ]

    def read_cover(self) -> None:
        lines = self.segmented.lines("cover")
        cover = self.report.cover
        for line in lines:
            for form_type in FORM_TYPES:
                if self.report.form_type is None and f"({form_type})" in line.text:
                    self.report.form_type = form_type
            version = re.search(r"\[\s*((?:令和|平成)\S*年\S*月)\s*(様式\d)\s*\]", line.text)
            if version:
                cover.form_version = Text(f"{version.group(1)} {version.group(2)}", Evidence("表紙", line.number))
        body = [line for line in lines if not re.fullmatch(r"\[.*様式\d\s*\]", line.text)]
        fields = read_fields(body, self.COVER_FIELDS)
        number_field = fields.fields.get("number_header")
        if number_field:
            self.read_number_and_title(number_field, body)
        cover.declaration = fields.text("declaration", "表紙")
        cover.notes = fields.text("notes", "表紙")
        cover.assessor = fields.text("assessor", "表紙")
        cover.published_on_text = fields.text("published", "表紙")
        if cover.published_on_text:
            cover.published_on = parse_japanese_date(cover.published_on_text.value)
        for name, value in (("評価書番号", cover.assessment_number), ("評価実施機関名", cover.assessor),
                            ("公表日", cover.published_on)):
            if value is None:
                self.gap(f"表紙 {name}", "not found in the cover", "表紙", lines[0].number if lines else 1)

    def read_number_and_title(self, header: "Field", lines: list[Line]) -> None:  # noqa: F821
        """``評価書番号	評価書名`` is a header row; the values stand in the next row."""
        cover = self.report.cover
        following = [line for line in lines if line.number > header.line.number and not line.is_blank]
        if not following:
            return
        row = following[0]
        cells = list(row.cells)
        if len(header.line.cells) == 1 and "評価書名" not in header.line.text:
            value = header.text or (cells[0] if cells else "")
            if value:
                cover.assessment_number = Text(value, Evidence("表紙", header.line.number))
            return
        if cells and re.fullmatch(r"\d+", cells[0]):
            cover.assessment_number = Text(cells[0], Evidence("表紙", row.number))
            if len(cells) > 1 and not is_empty(" ".join(cells[1:])):
                cover.title = Text(" ".join(cells[1:]), Evidence("表紙", row.number))

    # -- I 基本情報 -----------------------------------------------------------------------------
    AFFAIR_FIELDS = [
        FieldSpec("name", "事務の名称", single_line=True),
        FieldSpec("description", "事務の内容"),
        FieldSpec("population", "対象人数"),
    ]
    SYSTEM_FIELDS = [
        FieldSpec("name", "システムの名称", single_line=True),
        FieldSpec("function", "システムの機能"),
        FieldSpec("connections", "他のシステムとの接続"),
    ]
    LINKAGE_FIELDS = [FieldSpec("linkage", "実施の有無"), FieldSpec("basis", "法令上の根拠")]
    DEPARTMENT_FIELDS = [
        FieldSpec("department", "部署", single_line=True),
        FieldSpec("head", "所属長の役職名"),
        FieldSpec("head", "所属長"),
    ]

    def read_basic_information(self) -> None:
        affair = self.report.affair
        lines = self.segmented.lines("I")
        parts = {part.number: part for part in subsections(lines, "I")}
        if 1 in parts:
            fields = read_fields(parts[1].lines, self.AFFAIR_FIELDS)
            affair.name = fields.text("name", "I-1")
            affair.description = fields.text("description", "I-1")
            affair.population = self.choice(fields, "population", vocabulary.options("population"), "I-1")
            self.keep_unresolved(fields, "I-1")
        affair.systems = self.read_systems(lines)
        if 3 in parts:
            affair.file_names = self.read_file_names(parts[3])
        if 4 in parts:
            fields = read_fields(parts[4].lines, [FieldSpec("basis", "法令上の根拠")])
            affair.number_use_basis = fields.text("basis", "I-4")
        if 5 in parts:
            fields = read_fields(parts[5].lines, self.LINKAGE_FIELDS)
            affair.network_linkage = self.choice(fields, "linkage", vocabulary.options("linkage"), "I-5")
            affair.linkage_basis = fields.text("basis", "I-5")
        if 6 in parts:
            fields = read_fields(parts[6].lines, self.DEPARTMENT_FIELDS)
            affair.department = fields.text("department", "I-6")
            affair.department_head = fields.text("head", "I-6")
        if 7 in parts:
            text = " ".join(line.text for line in parts[7].lines if not line.is_blank)
            if not is_empty(text):
                affair.other_assessors = Text(text, Evidence("I-7", parts[7].heading.number))
        for number, title in ((1, "事務"), (3, "特定個人情報ファイル名")):
            if number not in parts:
                self.gap(f"I-{number} {title}", "sub-section not found", "I", 1)

    def read_systems(self, lines: list[Line]) -> list[SystemEntry]:
        """I-2 システムN blocks: from the first block header (the I-2 heading may be lost) to I-3."""
        region = _system_region(lines)
        _, found, _ = blocks(region, {"system"})
        systems = []
        for block in found:
            section = f"I-2 システム{block.number}"
            fields = read_fields(block.lines, self.SYSTEM_FIELDS)
            system = SystemEntry(block.number, Evidence(section, block.header.number))
            system.name = fields.text("name", section)
            system.function = fields.text("function", section)
            system.connections = self.ticks(fields, "connections", vocabulary.options("connection"), section)
            self.keep_unresolved(fields, section)
            if system.name is None and system.function is None and not any(t.ticked for t in system.connections):
                continue
            systems.append(system)
        numbers = {system.number for system in systems}
        for missing in range(1, max(numbers, default=0)):
            if missing not in numbers:
                self.gap(f"I-2 システム{missing}", "numbered entry missing from the text", "I-2",
                         region[0].number)
        return systems

    def read_file_names(self, part: Subsection) -> list[Text]:
        names = []
        for line in part.lines:
            for cell in line.cells:
                for name in re.split(r"[、,]", cell):
                    name = re.sub(r"^(?:[・\-]|\(?\d+[.)])\s*", "", name).strip()
                    if name and not is_empty(name):
                        names.append(Text(name, Evidence("I-3", line.number)))
        return names

    # -- II and III, per file ------------------------------------------------------------------
    def read_files(self) -> None:
        overviews = split_per_file(self.segmented.lines("II"), "II")
        risk_blocks = split_per_file(self.segmented.lines("III"), "III")
        files: list[FileRecord] = []
        for parts in overviews:
            record = self.read_overview(parts)
            if record is not None:
                files.append(record)
        for parts in risk_blocks:
            name = self.part_file_name(parts, "III")
            record = next((f for f in files if name and f.name.value == name.value), None)
            if record is None:
                if name is None and len(files) == 1:
                    record = files[0]
                else:
                    record = FileRecord(name or Text("(名称不明)", Evidence("III", parts[0].heading.number)))
                    files.append(record)
            self.read_risks(record, parts)
        named = {f.name.value for f in files}
        for listed in self.report.affair.file_names:
            if listed.value not in named:
                self.gap(f"II {listed.value}", "file named in I-3 has no II block", "II", listed.evidence.line)
        for record in files:
            if not record.has_risk_block:
                self.gap(f"III {record.name.value}", "file has no III block", "III", record.name.evidence.line)
        self.report.files = files

    def part_file_name(self, parts: list[Subsection], section: str) -> Text | None:
        first = parts[0]
        if first.number != 1:
            return None
        values = [cell for cell in first.heading.cells[1:]]
        values += [line.text for line in first.lines if not line.is_blank][:1]
        for value in values:
            if not is_empty(value):
                line = first.heading.number if value in first.heading.cells else next(
                    l.number for l in first.lines if l.text == value)
                return Text(value, Evidence(f"{section}-1", line))
        return None

    OVERVIEW_BASIC = [
        FieldSpec("kind", "ファイルの種類"),
        FieldSpec("population", "対象となる本人の数"),
        FieldSpec("scope", "対象となる本人の範囲"),
        FieldSpec("necessity", "その必要性"),
        FieldSpec("record_count", "記録される項目"),
        FieldSpec("main_items", "主な記録項目"),
        FieldSpec("validity", "その妥当性"),
        FieldSpec("all_items", "全ての記録項目"),
        FieldSpec("retention_start", "保有開始日"),
        FieldSpec("department", "事務担当部署"),
    ]
    OVERVIEW_USE = [
        FieldSpec("sources", "入手元"),
        FieldSpec("methods", "入手方法"),
        FieldSpec("purpose", "使用目的"),
        FieldSpec("using_departments", "使用部署"),
        FieldSpec("user_count", "使用者数"),
        FieldSpec("usage", "使用方法"),
        FieldSpec("matching", "情報の突合"),
        FieldSpec("use_start", "使用開始日"),
    ]
    ENTRUSTMENT_FIELDS = [
        FieldSpec("content", "委託内容"),
        FieldSpec("handler_count", "委託先における取扱者数"),
        FieldSpec("contractor", "委託先名", single_line=True),
        FieldSpec("subcontracting", "再委託の有無"),
        FieldSpec("permission", "再委託の許諾方法"),
        FieldSpec("items", "再委託事項"),
    ]
    DISCLOSURE_FIELDS = {
        kind: [
            FieldSpec("basis", "法令上の根拠"),
            FieldSpec("purpose", f"{word}先における用途"),
            FieldSpec("information", f"{word}する情報"),
            FieldSpec("population", f"{word}する情報の対象となる本人の数"),
            FieldSpec("scope", f"{word}する情報の対象となる本人の範囲"),
            FieldSpec("methods", f"{word}方法"),
            FieldSpec("frequency", "時期・頻度"),
        ]
        for kind, word in (("provision", "提供"), ("transfer", "移転"))
    }

    def read_overview(self, parts: list[Subsection]) -> FileRecord | None:
        name = self.part_file_name(parts, "II")
        if name is None:
            return None
        record = FileRecord(name, has_overview=True)
        by_number = {part.number: part for part in parts}
        if 2 in by_number:
            self.read_file_basics(record, by_number[2])
        if 3 in by_number:
            self.read_acquisition_and_use(record, by_number[3])
        if 4 in by_number:
            self.read_entrustments(record, by_number[4])
        else:
            self.gap(f"II-4 {name.value}", "委託 sub-section not found", "II-4", name.evidence.line)
        if 5 in by_number:
            self.read_disclosures(record, by_number[5])
        else:
            self.gap(f"II-5 {name.value}", "提供・移転 sub-section not found", "II-5", name.evidence.line)
        if 6 in by_number:
            fields = read_fields(by_number[6].lines, [FieldSpec("storage", "保管場所")])
            record.storage = fields.text("storage", "II-6")
        return record

    def read_file_basics(self, record: FileRecord, part: Subsection) -> None:
        fields = read_fields(part.lines, self.OVERVIEW_BASIC)
        record.kind = self.choice(fields, "kind", FILE_KINDS, "II-2")
        record.population = self.choice(fields, "population", vocabulary.options("subjects"), "II-2")
        record.scope = fields.text("scope", "II-2")
        record.record_count = self.choice(fields, "record_count", vocabulary.options("record-count"), "II-2")
        record.main_items = self.ticks(fields, "main_items", MAIN_RECORD_ITEMS, "II-2")
        record.retention_start = fields.text("retention_start", "II-2")
        record.department = fields.text("department", "II-2")
        self.keep_unresolved(fields, "II-2")

    def read_acquisition_and_use(self, record: FileRecord, part: Subsection) -> None:
        fields = read_fields(part.lines, self.OVERVIEW_USE, group_labels={"使用の主体"})
        record.sources = self.ticks(fields, "sources", vocabulary.options("source"), "II-3")
        record.acquisition_methods = self.ticks(fields, "methods", vocabulary.options("method"), "II-3")
        record.purpose = fields.text("purpose", "II-3")
        record.using_departments = fields.text("using_departments", "II-3")
        record.user_count = self.choice(fields, "user_count", vocabulary.options("handlers"), "II-3")
        record.usage = fields.text("usage", "II-3")
        record.use_start = fields.text("use_start", "II-3")
        self.keep_unresolved(fields, "II-3")

    def read_entrustments(self, record: FileRecord, part: Subsection) -> None:
        preamble, found, _ = blocks(part.lines, {"entrustment"})
        fields = read_fields(preamble, [FieldSpec("choice", "委託の有無")])
        record.entrustment = self.choice(fields, "choice", ENTRUSTMENT_CHOICES, "II-4")
        record.entrustment_count = read_count(fields.raw("choice"))
        for block in found:
            section = f"II-4 委託事項{block.number}"
            fields = read_fields(block.lines, self.ENTRUSTMENT_FIELDS, group_labels={"再委託"})
            item = EntrustmentRecord(block.number, Evidence(section, block.header.number))
            item.title = Text(block.title, item.evidence) if not is_empty(block.title) else None
            item.content = fields.text("content", section)
            item.handler_count = self.choice(fields, "handler_count", vocabulary.options("handlers"), section)
            item.contractor = fields.text("contractor", section)
            item.subcontracting = self.choice(fields, "subcontracting", SUBCONTRACTING_CHOICES, section)
            item.subcontract_permission = fields.text("permission", section)
            item.subcontract_items = fields.text("items", section)
            self.keep_unresolved(fields, section)
            if item.title or item.content or item.contractor:
                record.entrustments.append(item)
        if record.entrustment and record.entrustment.value == "委託する" and not record.entrustments:
            self.gap(f"II-4 {record.name.value} 委託事項", "委託する but no 委託事項 in the text", "II-4",
                     part.heading.number)

    def read_disclosures(self, record: FileRecord, part: Subsection) -> None:
        preamble, found, _ = blocks(part.lines, {"provision", "transfer"})
        fields = read_fields(preamble, [FieldSpec("choice", "提供・移転の有無")])
        text = fields.raw("choice")
        if fields.line("choice"):
            evidence = Evidence("II-5", fields.line("choice"))
            record.disclosure_options = read_ticks(text, DISCLOSURE_OPTIONS, evidence, self.habit)
            record.provision_count = read_count(text, "提供を行っている")
            record.transfer_count = read_count(text, "移転を行っている")
        for block in found:
            word = "提供先" if block.kind == "provision" else "移転先"
            section = f"II-5 {word}{block.number}"
            fields = read_fields(block.lines, self.DISCLOSURE_FIELDS[block.kind])
            entry = DisclosureRecord(block.kind, block.number, Evidence(section, block.header.number))
            entry.recipient = Text(block.title, entry.evidence) if not is_empty(block.title) else None
            entry.legal_basis = fields.text("basis", section)
            entry.purpose = fields.text("purpose", section)
            entry.information = fields.text("information", section)
            entry.population = self.choice(fields, "population", vocabulary.options("subjects"), section)
            entry.scope = fields.text("scope", section)
            entry.methods = self.ticks(fields, "methods", vocabulary.options("method"), section)
            entry.frequency = fields.text("frequency", section)
            self.keep_unresolved(fields, section)
            if entry.recipient is None and not (entry.legal_basis or entry.purpose or entry.information):
                continue
            (record.provisions if block.kind == "provision" else record.transfers).append(entry)

    # -- III リスク対策 -----------------------------------------------------------------------
    def read_risks(self, record: FileRecord, parts: list[Subsection]) -> None:
        record.has_risk_block = True
        specs = [FieldSpec(f"rated{i}", label) for i, (label, _) in enumerate(RATED_ITEMS)]
        for part in parts:
            if part.number == 1:
                continue
            area = RISK_AREAS.get(part.number, str(part.number))
            section = f"III-{part.number} {area}"
            if part.number == 8:
                text = " ".join(line.text for line in part.lines)
                evidence = Evidence(section, part.heading.number)
                record.audits = read_ticks(text, AUDIT_OPTIONS, evidence, self.habit)
                continue
            self.read_rated_rows(record, part, section, area, specs)

    def read_rated_rows(self, record, part: Subsection, section: str, area: str, specs) -> None:
        risk_label = area
        for index, line in enumerate(part.lines):
            if line.cells and re.match(r"^リスク\d*\s*[::]", line.cells[0]):
                risk_label = line.cells[0]
                continue
            fields = read_fields([line], specs)
            if not fields.fields:
                continue
            name = next(iter(fields.fields))
            label, kind = RATED_ITEMS[int(name.removeprefix("rated"))]
            text = fields.raw(name)
            following = part.lines[index + 1:index + 8]
            if not any(option in text for option in _options(kind)):
                text += " " + " ".join(l.text for l in following)
            choice = read_choice(text, _options(kind), Evidence(section, line.number))
            if INCIDENT_CHOICES == kind:
                record.incident = choice
                self.read_incident_details(record, following, section)
                continue
            item = risk_label if label == "リスクへの対策は十分か" else label
            record.risks.append(RiskRating(section, item, choice))

    def read_incident_details(self, record: FileRecord, lines: list[Line], section: str) -> None:
        # The rows after 再発防止策の内容 end it: they are labels of their own, not its continuation.
        specs = [FieldSpec("detail", "その内容"), FieldSpec("prevention", "再発防止策の内容"),
                 FieldSpec("other_measures", "その他の措置の内容"), FieldSpec("rating", "リスクへの対策は十分か")]
        fields = read_fields(lines, specs)
        record.incident_detail = _without_options(fields.text("detail", section))
        record.recurrence_prevention = _without_options(fields.text("prevention", section))

    # -- IV, V, 別添1, 別添2 --------------------------------------------------------------------
    def read_plain_fields(self, key: str) -> list[Text]:
        texts = []
        for part in subsections(self.segmented.lines(key), key):
            for line in part.lines:
                if len(line.cells) >= 2 and not is_empty(" ".join(line.cells[1:])):
                    texts.append(Text(f"{part.number}. {line.text}", Evidence(f"{key}-{part.number}", line.number)))
        return texts

    def read_record_items(self) -> None:
        seen: set[str] = set()
        for line in self.segmented.lines("annex1"):
            for cell in line.cells:
                if re.fullmatch(r"[\d.]+|No\.?|名称|項目名|※.*|別紙.*|別添.*", cell) or cell in seen:
                    continue
                seen.add(cell)
                self.report.record_items.append(Text(cell, Evidence("別添1", line.number)))

    def read_changes(self) -> None:
        changes: list[ChangeRecord] = []
        for line in self.segmented.lines("annex2"):
            columns = [c for c in line.columns]
            while columns and not columns[0]:
                columns.pop(0)
            if not columns:
                continue
            date = parse_japanese_date(columns[0]) if _looks_like_date(columns[0]) else None
            if date is None and not _looks_like_date(columns[0]):
                if changes and not _is_change_header(line):
                    changes[-1].explanation = (changes[-1].explanation + " " + line.text).strip()
                continue
            changes.append(_change_row(line, columns, date))
        self.report.changes = changes


def _system_region(lines: list[Line]) -> list[Line]:
    start = next((i for i, line in enumerate(lines)
                  if subsection_number(line, "I") == 2 or (block_header(line) or ("",))[0] == "system"), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if (subsection_number(lines[i], "I") or 0) > 2), len(lines))
    return lines[start:end]


def _looks_like_date(cell: str) -> bool:
    return bool(re.match(r"^(?:令和|平成|昭和)\s*(?:\d+|元)\s*年|^\d{4}[/年.-]\d{1,2}", cell))


def _is_change_header(line: Line) -> bool:
    return bool(line.cells) and line.cells[0] == "変更日"


def _change_row(line: Line, columns: list[str], date) -> ChangeRecord:
    timing_index = next((i for i, c in enumerate(columns) if c in ("事前", "事後")), None)
    body = columns[1:timing_index] if timing_index else columns[1:]
    body += [""] * (3 - len(body))
    item, before, after = body[0], body[1], " ".join(body[2:]).strip()
    explanation = " ".join(columns[timing_index + 1:]).strip() if timing_index else ""
    return ChangeRecord(
        evidence=Evidence("別添2", line.number),
        date=date,
        date_text=columns[0],
        item=item,
        before=before,
        after=after,
        timing=columns[timing_index] if timing_index else None,
        explanation=explanation,
    )


def _without_options(text: Text | None) -> Text | None:
    """Drop a trailing option list that a conversion moved into a neighbouring field."""
    if text is None:
        return None
    value = re.sub(r"\s*\d\)\s*発生あり\s*\d\)\s*発生なし\s*$", "", text.value).strip()
    return None if is_empty(value) else Text(value, text.evidence, text.confidence)


def extract(segmented: SegmentedReport, source_file: str, encoding: str) -> Report:
    """The typed record of a segmented report."""
    return Extractor(segmented, source_file, encoding).run()
