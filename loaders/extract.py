"""Sections → a typed `Report`: every row of the form, as its description lists it, with its line.

The form's description (`loaders.forms`) says which sections and parts there are, which rows each
part holds and what record each row fills; this module reads them with one reader per *role* of a
part — the 事務's rows, the systems, the file names, a file's rows, the 委託 and 提供・移転 blocks,
the rated rows of a risk area — using label-anchored fields (`loaders.fields`) and the choice and
checkbox readers (`loaders.marks`). What the form requires but the text lacks becomes a `Gap`; text
no row could take is kept as unresolved.
"""

from __future__ import annotations

import re

from loaders.dates import parse_japanese_date
from loaders.fields import FieldSet, FieldSpec, is_empty, read_fields
from loaders.forms import Field, Form, Part, Rated, Section
from loaders.marks import DocumentHabit, read_choice, read_count, read_ticks
from loaders.normalise import Line
from loaders.records import (
    ChangeRecord,
    Choice,
    DisclosureRecord,
    EntrustmentRecord,
    Evidence,
    Extra,
    FileRecord,
    Gap,
    Measure,
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
    subsection_part,
    subsections,
)

_RISK_LINE = re.compile(r"^リスク\d*\s*[::]")
_NUMBERED_OPTION = re.compile(r"^\s*\d{1,2}\)\s*")
RATED_LOOKAHEAD = 7  # lines after a rated row that may hold its choice (conversions move it down)
# Measure rows that explain the rated row above them (様式4 III ユーザ認証の管理 → 具体的な管理方法,
# 様式2 IV → 判断の根拠), not the risk below them.
DETAIL_LABELS = ("具体的な", "手順の内容", "規定の内容", "ルールの内容", "委託先から他者", "委託元と委託先", "その内容",
                 "再発防止策", "判断の根拠")


def field_key(field: Field) -> str:
    """The name a row is read under: its record attribute, its property, or its label (an anchor)."""
    return field.name or field.term or f"anchor:{field.label}"


def field_specs(fields: list[Field] | tuple[Field, ...]) -> list[FieldSpec]:
    """The label-anchored specs of rows: one per wording (label and variants)."""
    return [FieldSpec(field_key(f), label, f.one_line) for f in fields for label in f.labels]


class Extractor:
    """Reads one segmented report into a `Report`; collects gaps and unresolved text on the way."""

    def __init__(self, segmented: SegmentedReport, source_file: str, encoding: str):
        self.segmented = segmented
        self.form: Form = segmented.form
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

    def choice(self, fields: FieldSet, name: str, options, section: str, numbered: bool = False) -> Choice | None:
        line = fields.line(name)
        if line is None:
            return None
        text = fields.raw(name)
        if numbered:  # ``[8) 特定個人情報の漏えい…]``: the option's number kept in the bracket
            text = re.sub(r"\[\s*\d{1,2}\)\s*", "[", text)
        return read_choice(text, list(options), Evidence(section, line))

    def ticks(self, fields: FieldSet, name: str, options, section: str):
        line = fields.line(name)
        if line is None:
            return []
        return read_ticks(fields.raw(name), list(options), Evidence(section, line), self.habit)

    def value(self, fields: FieldSet, field: Field, section: str):
        """A row's value as its kind reads it: a `Choice`, a list of `Tick`s, or a `Text`."""
        key = field_key(field)
        if field.kind == "choice":
            return self.choice(fields, key, field.options, section, field.numbered_options)
        if field.kind == "ticks":
            return self.ticks(fields, key, field.options, section)
        return fields.text(key, section)

    def names(self, fields: FieldSet, field: Field, section: str) -> list[SystemEntry]:
        """Systems named in one row (様式2 ``③システムの名称 A、B、C``), numbered in the order written."""
        text = fields.text(field_key(field), section)
        if text is None:
            return []
        return [SystemEntry(index, text.evidence, Text(name, text.evidence, text.confidence, text.reason))
                for index, name in enumerate(split_names(text.value), start=1)]

    def fill(self, record, rows: list[Field], fields: FieldSet, section: str) -> None:
        """Put every row's value into its record attribute, or, for a form-specific row, into the
        record's extras (``pia:<property>``)."""
        for field in rows:
            if field.kind == "names" and field.name:
                setattr(record, field.name, self.names(fields, field, section))
            elif field.name and hasattr(record, field.name):
                setattr(record, field.name, self.value(fields, field, section))
            elif field.term:
                value = self.value(fields, field, section)
                if value is None or (isinstance(value, Choice) and value.value is None):
                    continue
                if isinstance(value, list) and not any(t.ticked or t.confidence < 1 for t in value):
                    continue  # a box nobody ticked: no fact
                record.extras.append(Extra(field.term, tuple(value) if isinstance(value, list) else value,
                                           field.scheme, field.kind))

    def part_lines(self, sub: Subsection) -> list[Line]:
        """A part's lines; a part whose heading holds a value (``4. …の委託 [ ] 委託しない``) starts
        with its heading as a row labelled with the part's title."""
        if sub.part is None or not any(f.at_heading for f in sub.part.fields):
            return sub.lines
        label = next(f.label for f in sub.part.fields if f.at_heading)
        cells = (label, *sub.heading.cells[1:])
        return [Line(sub.heading.number, sub.heading.raw, cells, cells), *sub.lines]

    def read_rows(self, record, sub: Subsection, section: str, rows: list[Field] | None = None) -> FieldSet:
        rows = sub.part.plain_fields if rows is None else rows
        fields = read_fields(self.part_lines(sub), field_specs(rows), group_labels=sub.part.group_labels)
        self.fill(record, rows, fields, section)
        if sub.part.keep_unresolved:
            self.keep_unresolved(fields, section)
        return fields

    # -- the report --------------------------------------------------------------------------
    def run(self) -> Report:
        self.read_cover()
        handled = {"cover", "overview", "risks"}
        for section in self.form.sections:
            if section.role == "basic":
                self.read_basic_information(section)
        self.read_files()
        for section in self.form.sections:
            if section.role in handled or section.role == "basic":
                continue
            getattr(self, "read_" + section.role.replace("-", "_"))(section)
        return self.report

    # -- cover -------------------------------------------------------------------------------
    def read_cover(self) -> None:
        section = self.form.with_role("cover")
        lines = self.segmented.lines("cover")
        cover = self.report.cover
        for line in lines:
            match = re.search(r"\(([^()]{2,12}項目評価書)\)", line.text)
            if self.report.form_type is None and match and match.group(1) in ("基礎項目評価書", "重点項目評価書",
                                                                              "全項目評価書"):
                self.report.form_type = match.group(1)
            version = re.search(r"\[\s*((?:令和|平成)\S*年\S*月)\s*(様式\d)\s*\]", line.text)
            if version:
                cover.form_version = Text(f"{version.group(1)} {version.group(2)}", Evidence("表紙", line.number))
        body = [line for line in lines if not re.fullmatch(r"\[.*様式\d\s*\]", line.text)]
        fields = read_fields(body, field_specs(section.fields))
        number_field = fields.fields.get("number_header")
        if number_field:
            self.read_number_and_title(number_field, body)
        cover.declaration = fields.text("declaration", "表紙")
        cover.notes = fields.text("notes", "表紙")
        cover.assessor = fields.text("assessor", "表紙")
        cover.published_on_text = fields.text("published", "表紙")
        if cover.published_on_text:
            cover.published_on = parse_japanese_date(cover.published_on_text.value)
        self.fill(cover, [f for f in section.fields if f.term], fields, "表紙")
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

    # -- I 基本情報 (関連情報) ---------------------------------------------------------------------
    def read_basic_information(self, section: Section) -> None:
        affair = self.report.affair
        lines = self.segmented.lines(section.key)
        found = {sub.part.number: sub for sub in subsections(lines, section)}
        for part in section.parts:
            sub = found.get(part.number)
            where = f"{section.key}-{sub.number}" if sub else f"{section.key}-{part.number}"
            if part.role == "systems":
                affair.systems = self.read_systems(lines, section, part)
            elif sub is None:
                continue
            elif part.role == "affair":
                self.read_rows(affair, sub, where)
            elif part.role == "assessment":
                self.read_rows(self.report.cover, sub, where)
            elif part.role == "file-names":
                affair.file_names = self.read_file_names(sub, where)
            elif part.role == "other-assessors":
                text = " ".join(line.text for line in sub.lines if not line.is_blank)
                if not is_empty(text):
                    affair.other_assessors = Text(text, Evidence(where, sub.heading.number))
            elif part.role == "inquiry":
                self.report.inquiries += self.plain_texts(sub, section)
        for part in section.parts:
            if part.gap and part.number not in found:
                self.gap(f"{section.key}-{part.number} {part.gap}", "sub-section not found", section.key, 1)

    def read_systems(self, lines: list[Line], section: Section, part: Part) -> list[SystemEntry]:
        """システムN blocks, from the first block header (the part's heading may be lost) to the next
        part; or, where the form names every system in one row (様式2 ③システムの名称), that row."""
        region = _system_region(lines, section, part, self.form)
        _, found, _ = blocks(region, {"system"}, self.form)
        rows = part.block_fields("system")
        systems = []
        for block in found:
            where = f"{section.key}-{part.number} {self.form.blocks['system']}{block.number}"
            fields = read_fields(block.lines, field_specs(rows))
            system = SystemEntry(block.number, Evidence(where, block.header.number))
            self.fill(system, rows, fields, where)
            self.keep_unresolved(fields, where)
            if system.name is None and system.function is None and not any(t.ticked for t in system.connections):
                continue
            systems.append(system)
        numbers = {system.number for system in systems}
        for missing in range(1, max(numbers, default=0)):
            if missing not in numbers:
                self.gap(f"{section.key}-{part.number} {self.form.blocks['system']}{missing}",
                         "numbered entry missing from the text", f"{section.key}-{part.number}", region[0].number)
        return systems

    def read_file_names(self, sub: Subsection, where: str) -> list[Text]:
        names = []
        for line in sub.lines:
            for cell in line.cells:
                for name in re.split(r"[、,]", cell):
                    for piece in _numbered_names(name):
                        piece = re.sub(r"^(?:[・\-]|\(?\d+[.)])\s*", "", piece).strip()
                        if piece and not is_empty(piece):
                            names.append(Text(piece, Evidence(where, line.number)))
        return names

    # -- the overview and risk sections, per file ---------------------------------------------
    def read_files(self) -> None:
        overview = self.form.with_role("overview")
        risks = self.form.with_role("risks")
        files: list[FileRecord] = []
        if overview is not None:
            for parts in split_per_file(self.segmented.lines(overview.key), overview):
                record = self.read_overview(overview, parts)
                if record is not None:
                    files.append(record)
        if risks is not None:
            for parts in split_per_file(self.segmented.lines(risks.key), risks):
                name = self.part_file_name(parts, risks.key)
                record = next((f for f in files if name and f.name.value == name.value), None)
                if record is None:
                    if name is None and len(files) == 1:
                        record = files[0]
                    else:
                        record = FileRecord(name or Text("(名称不明)", Evidence(risks.key, parts[0].heading.number)))
                        files.append(record)
                self.read_risks(risks, record, parts)
        if overview is None:  # 様式2: the files are named in I only
            self.report.files = [FileRecord(name) for name in self.report.affair.file_names]
            return
        named = {f.name.value for f in files}
        for listed in self.report.affair.file_names:
            if listed.value not in named:
                self.gap(f"{overview.key} {listed.value}", f"file named in I-3 has no {overview.key} block",
                         overview.key, listed.evidence.line)
        for record in files:
            if not record.has_risk_block and risks is not None:
                self.gap(f"{risks.key} {record.name.value}", f"file has no {risks.key} block", risks.key,
                         record.name.evidence.line)
        self.report.files = files

    def part_file_name(self, parts: list[Subsection], section: str) -> Text | None:
        first = parts[0]
        if first.part.number != 1:
            return None
        values = [cell for cell in first.heading.cells[1:]]
        values += [line.text for line in first.lines if not line.is_blank][:1]
        for value in values:
            if not is_empty(value):
                line = first.heading.number if value in first.heading.cells else next(
                    l.number for l in first.lines if l.text == value)
                return Text(re.sub(r"^\(\d{1,2}\)\s*", "", value), Evidence(f"{section}-1", line))
        return None

    def read_overview(self, section: Section, parts: list[Subsection]) -> FileRecord | None:
        name = self.part_file_name(parts, section.key)
        if name is None:
            return None
        record = FileRecord(name, has_overview=True)
        found = {sub.part.number: sub for sub in parts}
        for part in section.parts:
            sub = found.get(part.number)
            if sub is None:
                if part.gap:
                    where = f"{section.key}-{part.number}"
                    self.gap(f"{where} {name.value}", f"{part.gap} sub-section not found", where, name.evidence.line)
                continue
            where = f"{section.key}-{sub.number}"
            if part.role == "file":
                self.read_rows(record, sub, where)
            elif part.role == "entrustment":
                self.read_entrustments(record, sub, where)
            elif part.role == "disclosure":
                self.read_disclosures(record, sub, where)
        return record

    def read_entrustments(self, record: FileRecord, sub: Subsection, where: str) -> None:
        part = sub.part
        preamble, found, _ = blocks(self.part_lines(sub), {"entrustment"}, self.form)
        choice = next(f for f in part.plain_fields if f.name == "entrustment")
        fields = read_fields(preamble, field_specs([choice]))
        record.entrustment = self.choice(fields, "entrustment", choice.options, where)
        record.entrustment_count = read_count(fields.raw("entrustment"))
        rows = part.block_fields("entrustment")
        for block in found:
            section = f"{where} {self.form.blocks['entrustment']}{block.number}"
            fields = read_fields(block.lines, field_specs(rows), group_labels=part.group_labels)
            item = EntrustmentRecord(block.number, Evidence(section, block.header.number))
            item.title = Text(block.title, item.evidence) if not is_empty(block.title) else None
            self.fill(item, rows, fields, section)
            self.keep_unresolved(fields, section)
            if item.title or item.content or item.contractor:
                record.entrustments.append(item)
        if record.entrustment and record.entrustment.value == "委託する" and not record.entrustments:
            self.gap(f"{where} {record.name.value} {self.form.blocks['entrustment']}",
                     "委託する but no 委託事項 in the text", where, sub.heading.number)

    def read_disclosures(self, record: FileRecord, sub: Subsection, where: str) -> None:
        part = sub.part
        preamble, found, _ = blocks(self.part_lines(sub), {"provision", "transfer"}, self.form)
        choice = next(f for f in part.plain_fields if f.name == "disclosure_options")
        fields = read_fields(preamble, field_specs([choice]))
        text = fields.raw("disclosure_options")
        if fields.line("disclosure_options"):
            evidence = Evidence(where, fields.line("disclosure_options"))
            record.disclosure_options = read_ticks(text, list(choice.options), evidence, self.habit)
            record.provision_count = read_count(text, "提供を行っている")
            record.transfer_count = read_count(text, "移転を行っている")
        for block in found:
            word = self.form.blocks[block.kind]
            section = f"{where} {word}{block.number}"
            rows = part.block_fields(block.kind)
            fields = read_fields(block.lines, field_specs(rows))
            entry = DisclosureRecord(block.kind, block.number, Evidence(section, block.header.number))
            entry.recipient = Text(block.title, entry.evidence) if not is_empty(block.title) else None
            self.fill(entry, rows, fields, section)
            self.keep_unresolved(fields, section)
            if entry.recipient is None and not (entry.legal_basis or entry.purpose or entry.information):
                continue
            (record.provisions if block.kind == "provision" else record.transfers).append(entry)

    # -- rated sections: III of 様式3/4 (per file), IV of 様式2 and 様式4 (the whole 事務) -------------
    def read_risks(self, section: Section, record: FileRecord, parts: list[Subsection]) -> None:
        record.has_risk_block = True
        for sub in parts:
            if sub.part.number == 1:
                continue
            self.read_rated_part(section, sub, record, record)

    def read_overall_risks(self, section: Section) -> None:
        """Rated rows for the whole 事務: 様式2 IV リスク対策, 様式4 IV その他のリスク対策."""
        affair = self.report.affair
        for sub in subsections(self.segmented.lines(section.key), section):
            self.read_rated_part(section, sub, affair, None)

    def read_rated_part(self, section: Section, sub: Subsection, holder, record: FileRecord | None) -> None:
        part = sub.part
        area = part.area or part.title
        where = f"{section.key}-{sub.number} {area}"
        if part.role == "audit":
            row = part.fields[0]
            text = " ".join(line.text for line in self.part_lines(sub))
            holder.audits = read_ticks(text, list(row.options), Evidence(where, sub.heading.number), self.habit)
        elif part.role in ("affair", "assessment"):
            self.read_rows(self.report.affair if part.role == "affair" else self.report.cover, sub,
                           f"{section.key}-{sub.number}")
        elif part.role == "text":
            self.read_part_text(sub, part, self.report.affair, f"{section.key}-{sub.number}")
        elif part.role == "rated":
            chosen = [f for f in part.fields if f.at_heading and f.kind != "ticks"]
            if chosen:
                self.read_rows(holder, sub, f"{section.key}-{sub.number}", chosen)
            self.read_rated_rows(section, sub, where, area, holder, record)

    def read_part_text(self, sub: Subsection, part: Part, holder, where: str) -> None:
        """A part that is one free text (様式4 IV-3 その他のリスク対策)."""
        lines = [line for line in sub.lines if not line.is_blank]
        text = " ".join(line.text for line in lines)
        if lines and not is_empty(text) and part.fields:
            holder.extras.append(Extra(part.fields[0].term, Text(text, Evidence(where, lines[0].number))))

    def read_rated_rows(self, section: Section, sub: Subsection, where: str, area: str, holder,
                        record: FileRecord | None) -> None:
        rated = section.rated
        specs = [FieldSpec(f"rated{i}", label) for i, item in enumerate(rated) for label in (item.label, *item.variants)]
        not_applicable = self.read_not_applicable(sub, where, holder)
        lines = _values_on_next_line(sub.lines, specs) if section.measures else sub.lines
        risk_label, risk_line = area, None
        current: RiskRating | None = None
        pending: list[Measure] = []
        for index, line in enumerate(lines):
            if line.cells and _RISK_LINE.match(line.cells[0]):
                risk_label, risk_line = line.cells[0], Evidence(where, line.number)
                current, pending = None, []
                continue
            fields = read_fields([line], specs)
            if not fields.fields:
                if section.measures:
                    current, pending = self.read_measure(line, where, current, pending, holder)
                continue
            name = next(iter(fields.fields))
            item = rated[int(name.removeprefix("rated"))]
            text = fields.raw(name)
            following = _until_next_row(lines[index + 1:index + 1 + RATED_LOOKAHEAD], specs)
            if not any(option in text for option in item.options):
                text += " " + " ".join(l.text for l in following)
            choice = read_choice(text, list(item.options), Evidence(where, line.number))
            if item.role == "incident" and record is not None:
                record.incident = choice
                self.read_incident_details(record, lines[index + 1:index + 8], where)
                current = None
                continue
            if choice.value is None and not_applicable:
                continue  # 委託しない / 接続しない(入手) ticked: the form leaves the rating empty
            label = risk_label if item.role == "risk" else item.label
            rating = RiskRating(where, label, choice,
                                item_evidence=risk_line if item.role == "risk" else Evidence(where, line.number))
            if item.role == "risk":
                rating.measures, pending = pending, []
            holder.risks.append(rating)
            current = rating if item.role != "risk" else None

    def read_not_applicable(self, sub: Subsection, where: str, holder) -> bool | None:
        """The ``[ ] 委託しない`` box of a risk area (様式2 IV, 様式4 III), as an extra of its holder;
        True when ticked, None when the form has no such box there."""
        rows = [f for f in sub.part.fields if f.at_heading]
        if not rows:
            return None
        row = rows[0]
        label_line = self.part_lines(sub)[0]
        text = " ".join(label_line.cells[1:])
        following = [line for line in sub.lines[:3] if line.cells and not read_fields([line], field_specs(
            sub.part.plain_fields[1:])).fields and any(option in line.text for option in row.options)]
        text = " ".join([text, *(line.text for line in following)])
        ticks = read_ticks(text, list(row.options), Evidence(where, label_line.number), self.habit)
        ticked = tuple(t for t in ticks if t.ticked)
        if ticked and row.term:
            holder.extras.append(Extra(row.term, ticked))
        return bool(ticked)

    def read_measure(self, line: Line, area: str, current: RiskRating | None,
                     pending: list[Measure], holder) -> tuple[RiskRating | None, list[Measure]]:
        """A measure row of a risk (様式4 III): ``label<TAB>text``. A detail row (具体的な管理方法)
        belongs to the rated item above it; the others to the risk, rated below them; an area's
        closing ``…におけるその他のリスク及びそのリスクに対する措置`` to the file."""
        cells = list(line.cells)
        if len(cells) < 2:
            return current, pending
        label, text = cells[0], " ".join(cells[1:])
        if is_empty(text):
            return current, pending
        measure = Measure(label, Text(text, Evidence(area, line.number)))
        if re.search(r"その他のリスク及びそのリスクに対する措置$", label):
            if hasattr(holder, "other_risks"):
                holder.other_risks.append(Measure(label, measure.text, area.split(" ", 1)[-1]))
            return current, pending
        if current is not None and label.startswith(DETAIL_LABELS):
            current.measures.append(measure)
            return current, pending
        return None, [*pending, measure]

    def read_incident_details(self, record: FileRecord, lines: list[Line], section: str) -> None:
        # The rows after 再発防止策の内容 end it: they are labels of their own, not its continuation.
        specs = [FieldSpec("detail", "その内容"), FieldSpec("prevention", "再発防止策の内容"),
                 FieldSpec("other_measures", "その他の措置の内容"), FieldSpec("rating", "リスクへの対策は十分か"),
                 FieldSpec("dead", "死者の個人番号")]
        fields = read_fields(lines, specs)
        record.incident_detail = _without_options(fields.text("detail", section))
        record.recurrence_prevention = _without_options(fields.text("prevention", section))

    # -- plain sections, annexes ----------------------------------------------------------------
    def plain_texts(self, sub: Subsection, section: Section) -> list[Text]:
        texts = []
        for line in sub.lines:
            if len(line.cells) >= 2 and not is_empty(" ".join(line.cells[1:])):
                texts.append(Text(f"{sub.number}. {line.text}", Evidence(f"{section.key}-{sub.number}", line.number)))
        return texts

    def read_plain_fields(self, section: Section) -> list[Text]:
        texts = []
        for sub in subsections(self.segmented.lines(section.key), section):
            texts += self.plain_texts(sub, section)
            if any(f.term for f in sub.part.fields):
                self.read_rows(self.report.cover, sub, f"{section.key}-{sub.number}",
                               [f for f in sub.part.fields if f.term])
        return texts

    def read_inquiries(self, section: Section) -> None:
        self.report.inquiries += self.read_plain_fields(section)

    def read_procedures(self, section: Section) -> None:
        self.report.procedures += self.read_plain_fields(section)

    def read_threshold(self, section: Section) -> None:
        """様式2 II しきい値判断項目 (and III しきい値判断結果): rows of the assessment."""
        lines = self.segmented.lines(section.key)
        parts = subsections(lines, section)
        for sub in parts:
            holder = self.report.affair if sub.part.role == "affair" else self.report.cover
            self.read_rows(holder, sub, f"{section.key}-{sub.number}")
        if section.fields:
            fields = read_fields(lines, field_specs(section.fields))
            heading = self.segmented.sections[section.key][0].heading
            if not fields.fields and heading is not None:  # the heading is the row's label: III しきい値判断結果
                label = (section.fields[0].label,)
                fields = read_fields([Line(heading.number, heading.raw, label, label), *lines],
                                     field_specs(section.fields))
            self.fill(self.report.cover, list(section.fields), fields, section.key)
            self.keep_unresolved(fields, section.key)

    def read_affair_content(self, section: Section) -> None:
        """様式4 (別添1) 事務の内容: free text (in the PDF, a flow diagram) kept with the 事務."""
        lines = [line for line in self.segmented.lines(section.key) if not line.is_blank]
        if lines and section.fields:
            text = " ".join(line.text for line in lines)
            self.report.affair.extras.append(Extra(section.fields[0].term, Text(
                text, Evidence(section.where, lines[0].number))))

    def read_records(self, section: Section) -> None:
        seen: set[str] = {item.value for item in self.report.record_items}
        for line in self.segmented.lines(section.key):
            for cell in line.cells:
                if re.fullmatch(r"[\d.]+|No\.?|名称|項目名|※.*|別紙.*|別添.*", cell) or cell in seen or (
                        section.file_headings and re.fullmatch(r"\(\d{1,2}\)\s*\S+", cell)):
                    continue
                seen.add(cell)
                self.report.record_items.append(Text(cell, Evidence(section.where, line.number)))

    def read_changes(self, section: Section) -> None:
        changes: list[ChangeRecord] = []
        for line in self.segmented.lines(section.key):
            columns = [c for c in line.columns]
            while columns and not columns[0]:
                columns.pop(0)
            if not columns:
                continue
            if _is_dateless_row(line):
                # A row whose 変更日 cell is empty is a change of its own (its date unknown), not the
                # continuation of the row before it.
                changes.append(_change_row(line, ["", *columns], None, section.where))
                continue
            date = parse_japanese_date(columns[0]) if _looks_like_date(columns[0]) else None
            if date is None and not _looks_like_date(columns[0]):
                if changes and not _is_change_header(line):
                    changes[-1].explanation = (changes[-1].explanation + " " + line.text).strip()
                continue
            changes.append(_change_row(line, columns, date, section.where))
        self.report.changes = changes


def split_names(text: str) -> list[str]:
    """Names written in one cell: ``A、B、C`` (a 、 inside parentheses does not split)."""
    names, depth, current = [], 0, ""
    for char in text:
        depth += char in "(「" and 1 or 0
        depth -= char in ")」" and 1 or 0
        if char in "、,\n" and depth <= 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [name.strip(" ・") for name in names if name.strip(" ・") and not is_empty(name)]


def _numbered_names(cell: str) -> list[str]:
    """``(1) 住民基本台帳ファイル (2) 本人確認情報ファイル``: the names of a numbered list in one cell."""
    pieces = re.split(r"\s*\(\d{1,2}\)\s*", cell)
    return [p for p in pieces if p.strip()] if len(pieces) > 2 else [cell]


def _values_on_next_line(lines: list[Line], specs: list[FieldSpec]) -> list[Line]:
    """Rows whose value stands alone on the next line (``…におけるその他のリスク及びそのリスクに対する措置``
    then ``-``) joined into one row, so that the value keeps its label."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (previous is not None and len(previous.cells) == 1 and len(previous.columns) > 1
                and len(line.cells) == 1 and not _RISK_LINE.match(line.cells[0])
                and not _RISK_LINE.match(previous.cells[0]) and not read_fields([line], specs).fields
                and not read_fields([previous], specs).fields and re.search(r"措置$", previous.cells[0])):
            cells = (previous.cells[0], line.cells[0])
            joined[-1] = Line(previous.number, previous.raw, cells, cells)
            continue
        joined.append(line)
    return joined


def _until_next_row(lines: list[Line], specs: list[FieldSpec]) -> list[Line]:
    """The lines after a rated row up to the next rated row or risk: its choice may stand there."""
    kept = []
    for line in lines:
        if (line.cells and _RISK_LINE.match(line.cells[0])) or read_fields([line], specs).fields:
            break
        kept.append(line)
    return kept


def _system_region(lines: list[Line], section: Section, part: Part, form: Form) -> list[Line]:
    def number(line: Line) -> int | None:
        found = subsection_part(line, section)
        return found[1].number if found else None

    start = next((i for i, line in enumerate(lines)
                  if number(line) == part.number or (block_header(line, form) or ("",))[0] == "system"), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if (number(lines[i]) or 0) > part.number), len(lines))
    return lines[start:end]


def _looks_like_date(cell: str) -> bool:
    return bool(re.match(r"^(?:令和|平成|昭和)\s*(?:\d+|元)\s*年|^\d{4}[/年.-]\d{1,2}", cell))


def _is_dateless_row(line: Line) -> bool:
    """A 別添2 row with its 変更日 cell empty: the first column is empty and the others hold the item,
    the values before and after, and the 提出時期 (事前/事後) in its own column."""
    columns = list(line.columns)
    return len(columns) >= 5 and not columns[0] and not _looks_like_date(columns[1]) and any(
        c in ("事前", "事後") for c in columns[4:])


def _is_change_header(line: Line) -> bool:
    return bool(line.cells) and line.cells[0] == "変更日"


def _change_row(line: Line, columns: list[str], date, where: str) -> ChangeRecord:
    timing_index = next((i for i, c in enumerate(columns) if c in ("事前", "事後")), None)
    body = columns[1:timing_index] if timing_index else columns[1:]
    body += [""] * (3 - len(body))
    item, before, after = body[0], body[1], " ".join(body[2:]).strip()
    explanation = " ".join(columns[timing_index + 1:]).strip() if timing_index else ""
    return ChangeRecord(
        evidence=Evidence(where, line.number),
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
    return None if is_empty(value) else Text(value, text.evidence, text.confidence, text.reason)


def extract(segmented: SegmentedReport, source_file: str, encoding: str) -> Report:
    """The typed record of a segmented report."""
    return Extractor(segmented, source_file, encoding).run()


__all__ = ["Extractor", "Rated", "extract", "field_key", "field_specs", "split_names"]
