"""Layout-lost text (a PDF's text without its table, seed 001) → the tidy lines the extractor reads.

The text is cut into pages and paragraphs (`loaders.pages`), each paragraph is read for what it is
(`loaders.layout_pieces`), the pages are grouped into the report's regions — the cover, I, each
file's II, 別添1 and III, IV, V — and each region's labels get their owners and values
(`loaders.layout_place`). What was placed is written back as the rows a tidy conversion has
(``③委託先名<TAB>日本電気株式会社``), so `segment` and `extract` read it exactly as they read a tidy
report and produce the same `Report` records.

Every value keeps the line it came from, and its confidence travels beside it: `apply` lowers the
confidence of each extracted value to that of its placement (1 only for a value read in its label's
paragraph), and adds what could not be placed to `Report.unresolved`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from loaders.forms import DEFAULT_FORM, Form, load_form
from loaders.layout_form import BLOCK_WORDS, Row, rows, subsection_title
from loaders.layout_marks import TornMark, merge, read_torn
from loaders.layout_pieces import (
    CHOICE,
    COUNT,
    FREE,
    FURNITURE,
    HEADING,
    LABEL,
    MARKS_KIND,
    NAMES,
    SUBHEADING,
    Piece,
    Region,
    detail_options,
    in_columns,
    is_form_text,
    is_form_type,
    number_and_title,
    read_region,
    regions,
)
from loaders.layout_place import (
    ACCOUNTED,
    ADJACENT,
    READ,
    TYPED,
    UNDECIDED,
    Placed,
    RegionPlacer,
    RegionResult,
    option_in,
    placement_reason,
    unwrap_option,
)
from loaders.layout_risks import RiskLayout, RiskPlacer, identify
from loaders.marks import DETAIL_EVIDENCE
from loaders.normalise import BARE_CHECKBOX, EMPTY, TICKED, Line
from loaders.pages import paginate
from loaders.records import CERTAIN, Evidence, Report, Text, Tick, Value, lowered, replace_values

_FILE_NUMBER = re.compile(r"^\(\d{1,2}\)\s*")
_RISK_NAME = re.compile(r"^リスク\d*\s*[::]")
_FILE_NAME = re.compile(r"[^\s。、()]{1,40}ファイル")
_TITLE = re.compile(r"^評価書名\s*(?=\S)")
_FORM_TITLE = re.compile(r"(?:基礎項目|重点項目|全項目)評価書$")


@dataclass
class Rebuilt:
    """The tidy rows rebuilt from layout-lost text, with what travels beside them."""

    lines: list[Line]
    confidence: dict[int, float] = field(default_factory=dict)  # source line → confidence of its value
    reasons: dict[int, str] = field(default_factory=dict)  # source line → why its value was placed so
    ticks: dict[tuple[int, str], tuple[bool, float]] = field(default_factory=dict)  # (line, option) → state
    unresolved: list[Text] = field(default_factory=list)
    dropped: list[tuple[Line, str]] = field(default_factory=list)


class Writer:
    """Collects the rebuilt rows."""

    def __init__(self, rebuilt: Rebuilt):
        self.rebuilt = rebuilt

    def row(self, number: int, *cells: str, confidence: float | None = None) -> None:
        cells = tuple(cell for cell in cells if cell)
        self.rebuilt.lines.append(Line(number, "\t".join(cells), cells, cells))
        if confidence is not None and confidence < self.rebuilt.confidence.get(number, 1.0):
            self.rebuilt.confidence[number] = confidence
            self.rebuilt.reasons[number] = placement_reason(confidence)

    def value(self, placed: Placed) -> None:
        self.row(placed.line, placed.row.label, self.cell(placed), confidence=placed.confidence)

    def cell(self, placed: Placed) -> str:
        if placed.row.kind == "choice":
            return f"[{placed.value}]" + (f" ({placed.count}) 件" if placed.count else "")
        if placed.row.kind != "ticks":
            return placed.value
        parts = []
        for option, mark in (placed.marks or {}).items():
            parts.append(self.tick(placed, option, mark))
        return " ".join(parts)

    def tick(self, placed: Placed, option: str, mark: TornMark) -> str:
        count = mark.detail if mark.detail and mark.detail.isdigit() else None
        detail = f" ({count}) 件" if count else (f" ({mark.detail})" if mark.detail else "")
        if mark.ticked is None:
            # A lost mark: a detail written in its ( … ) is evidence of a tick; otherwise undecided.
            state = (True, min(DETAIL_EVIDENCE, placed.confidence)) if mark.detail and not count else (False, UNDECIDED)
            self.rebuilt.ticks[(placed.line, option)] = state
            return f"{BARE_CHECKBOX} {option}{detail}"
        self.rebuilt.ticks[(placed.line, option)] = (mark.ticked, min(mark.confidence, placed.confidence))
        return f"{TICKED if mark.ticked else EMPTY} {option}{detail}"


class LayoutReader:
    """Reads all regions of one layout-lost report."""

    def __init__(self, lines: list[Line], form: Form | None = None):
        self.form = form or load_form(DEFAULT_FORM)
        paged = paginate(lines, lambda text: is_form_text(text, self.form))
        self.rebuilt = Rebuilt([], dropped=paged.dropped)
        self.writer = Writer(self.rebuilt)
        self.regions = regions(paged.pages, self.form)
        for region in self.regions:
            read_region(region)
        columns, details = in_columns(self.regions), detail_options(self.regions)
        for region in self.regions:
            region.columns, region.detail_options = columns, details
        self.file_names: list[str] = []

    def run(self) -> Rebuilt:
        for region in self.regions:
            getattr(self, f"region_{region.role.replace('-', '_')}", self.region_plain)(region)
        return self.rebuilt

    def rows(self, section: str) -> list[Row]:
        return rows(self.form).get(section, [])

    def title(self, section: str, part: int) -> str:
        return subsection_title(section, part, self.form)

    # -- helpers -----------------------------------------------------------------------------------
    def unresolved(self, region: Region, line: int, text: str) -> None:
        per_file = self.form.section(region.key) is not None and self.form.section(region.key).per_file
        where = f"{region.key}#{region.occurrence + 1}" if per_file or region.role == "changes" else region.key
        self.rebuilt.unresolved.append(Text(text, Evidence(f"{where} (配置不能)", line), UNDECIDED))

    def heading(self, region: Region) -> None:
        line = region.heading.line if region.heading else region.pieces()[0].line
        self.writer.row(line, self.form.section(region.key).title)

    def place(self, region: Region) -> RegionResult:
        result = RegionPlacer(region).run()
        for line, text in result.unresolved:
            self.unresolved(region, line, text)
        return result

    def parts(self, region: Region, result: RegionResult, section: str, order: list[int]) -> None:
        """Sub-section headings with their rows (and blocks) in the form's order."""
        headings = {p.part: p.line for p in region.pieces() if p.kind == SUBHEADING}
        by_part: dict[int, list[Placed]] = {}
        for placed in result.placed:
            if placed.owner is None:
                by_part.setdefault(placed.row.part, []).append(placed)
        block_parts = {row.block: row.part for row in self.rows(section) if row.block}
        for block in result.blocks.values():
            headings.setdefault(block_parts[block.kind], block.header.line)
        pieces = {p.part: p for p in region.pieces() if p.kind == SUBHEADING}
        for part in order:
            placed = sorted(by_part.get(part, []), key=lambda p: self.row_index(section, p.row))
            if part not in headings and not placed:
                continue
            line = headings.get(part) or placed[0].line
            value = self.heading_value(section, part, pieces.get(part)) if region.columns else ""
            self.writer.row(line, f"{part}. {self.title(section, part)}", value,
                            confidence=ADJACENT if value else None)
            for value in placed:
                self.writer.value(value)
            self.blocks(section, part, result)

    def heading_value(self, section: str, part: int, piece: Piece | None) -> str:
        """The value a part's heading holds (様式2 IV-11 ``[ 8) … ]``, ``[ ] 委託しない``), printed
        beside the wrapped heading in text taken column by column; "" when none."""
        described = self.form.section(section).part(part)
        fields = [f for f in described.fields if f.at_heading] if described and piece else []
        if not fields:
            return ""
        text = unwrap_option(piece.text)
        if fields[0].kind == "ticks":
            marks = merge(read_torn(text, fields[0].options))
            return " ".join(f"{TICKED if m.ticked else EMPTY} {option}" for option, m in marks.items()
                            if m.ticked is not None)
        chosen = re.search(r"\[[^\[\]]+\]", text)
        return chosen.group(0) if chosen else ""

    def blocks(self, section: str, part: int, result: RegionResult) -> None:
        kinds = [kind for kind in BLOCK_WORDS if any(r.block == kind and r.part == part for r in self.rows(section))]
        for block in sorted(result.blocks.values(), key=lambda b: (kinds.index(b.kind) if b.kind in kinds else 9,
                                                                    b.number)):
            if block.kind not in kinds:
                continue
            title, confidence = result.titles.get(block.id, ("", READ))
            self.writer.row(block.header.line, f"{BLOCK_WORDS[block.kind]}{block.number}", title,
                            confidence=confidence if title else None)
            owned = [p for p in result.placed if p.owner == block.id]
            for value in sorted(owned, key=lambda p: self.row_index(section, p.row)):
                self.writer.value(value)

    # -- regions -----------------------------------------------------------------------------------
    def region_cover(self, region: Region) -> None:
        header = None
        for piece in region.pieces():
            if piece.kind == HEADING or piece.text == "項目一覧":
                piece.used = True  # the table of contents
            elif piece.kind == FREE and is_form_type(piece.text):
                piece.used = True
                self.writer.row(piece.line, piece.text, confidence=READ)
            elif piece.kind == LABEL and piece.rows[0].label == "評価書番号":
                piece.used, header = True, piece
        numbered = [p for p in region.pieces() if p.kind == FREE and not p.used and number_and_title(p.text)]
        titled = [p for p in region.pieces() if p.kind == FREE and not p.used and _TITLE.match(p.text)]
        split = [p for p in region.pieces() if p.kind in (FREE, COUNT) and not p.used
                 and len(p.paragraph.lines) == 2 and re.fullmatch(r"\d{1,4}", p.paragraph.lines[0].text)
                 and _FORM_TITLE.search(p.paragraph.lines[1].text)]
        if header and not header.inline and len(split) == 1 and any(p.text == "評価書名" for p in region.pieces()):
            # ``評価書番号`` / ``評価書名`` over one cell holding the number, then the title.
            lines = split[0].paragraph.lines
            split[0].used = True
            self.writer.row(header.line, "評価書番号", "評価書名")
            self.writer.row(lines[0].number, lines[0].text, lines[1].text, confidence=TYPED)
        elif header and re.fullmatch(r"\d{1,4}", header.inline) and len(titled) == 1:
            # The PPC form's cells: ``評価書番号`` over its number, ``評価書名`` over the title.
            titled[0].used = True
            self.writer.row(header.line, "評価書番号", "評価書名")
            self.writer.row(header.paragraph.lines[-1].number, header.inline, _TITLE.sub("", titled[0].text),
                            confidence=READ)
        elif header and len(numbered) == 1 and numbered[0].line > header.line:
            # ``評価書番号 評価書名`` heads two columns; the value row is the only ``N <title>`` on the cover.
            number, title = number_and_title(numbered[0].text)
            numbered[0].used = True
            self.writer.row(header.line, "評価書番号", "評価書名")
            self.writer.row(numbered[0].line, number, title, confidence=TYPED)
        result = self.place(region)
        for placed in result.placed:
            self.writer.value(placed)

    def region_basic(self, region: Region) -> None:
        self.heading(region)
        section = self.form.section(region.key)
        names = [p for p in region.pieces() if p.kind == NAMES]
        result = self.place(region)
        listing = next((p.number for p in section.parts if p.role == "file-names"), None)
        numbers = [p.number for p in section.parts]
        self.parts(region, result, region.key, [n for n in numbers if listing is None or n < listing])
        listed = [p for p in region.pieces() if p.kind == SUBHEADING and p.part == listing and _listed_names(p)]
        if len(names) == 1 and listing is not None:
            names[0].used = True
            self.file_names = [_FILE_NUMBER.sub("", line.text) for line in names[0].paragraph.lines]
            self.writer.row(names[0].line, f"{listing}. 特定個人情報ファイル名")
            for line in names[0].paragraph.lines:
                self.writer.row(line.number, line.text, confidence=TYPED)
        elif not names and len(listed) == 1:
            # The names in the heading's own cell: ``3. 特定個人情報ファイル名`` / ``(1) A (2) B``.
            self.file_names = _listed_names(listed[0])
            self.writer.row(listed[0].line, f"{listing}. 特定個人情報ファイル名")
            for number, name in enumerate(self.file_names, 1):
                self.writer.row(listed[0].paragraph.lines[-1].number, f"({number}) {name}", confidence=READ)
        else:
            for piece in names:
                self.unresolved(region, piece.line, piece.text)
        self.parts(region, result, region.key, [n for n in numbers if listing is not None and n > listing])

    def file_name(self, region: Region) -> tuple[str, int, float] | None:
        """A file's II / III region names the file: the name from the I-3 list that stands in it."""
        expected = self.file_names[region.occurrence] if region.occurrence < len(self.file_names) else None
        candidates = [p for p in region.pieces() if p.kind == NAMES and not p.used]
        headed = [p for p in region.pieces() if p.kind == SUBHEADING and p.part == 1 and len(_listed_names(p)) == 1]
        if not candidates and len(headed) == 1:
            # The name in the heading's own cell: ``1. 特定個人情報ファイル名`` / ``(1) 住民基本台帳ファイル``.
            name = _listed_names(headed[0])[0]
            return name, headed[0].line, READ if name == expected else TYPED
        listed = [p for p in candidates if _FILE_NUMBER.sub("", p.text) in self.file_names]
        chosen = [p for p in listed if _FILE_NUMBER.sub("", p.text) == expected] or listed
        if len(chosen) != 1:
            return None
        chosen[0].used = True
        name = _FILE_NUMBER.sub("", chosen[0].text)
        return name, chosen[0].line, TYPED if name == expected else ACCOUNTED

    def region_overview(self, region: Region) -> None:
        self.heading(region)
        named = self.file_name(region)
        if named:
            name, line, confidence = named
            self.writer.row(line, "1. 特定個人情報ファイル名", name, confidence=confidence)
        result = self.place(region)
        self.parts(region, result, region.key, [p.number for p in self.form.section(region.key).parts if p.number > 1])

    def region_risks(self, region: Region) -> None:
        self.heading(region)
        named = self.file_name(region)
        if named:
            name, line, confidence = named
            self.writer.row(line, "1. 特定個人情報ファイル名", name, confidence=confidence)
        key = region.key
        placer = RiskPlacer(region)
        if not region.columns and placer.applies:
            self.risk_rows(region, placer.run())
            return
        placed, unplaced, names = place_risks(region)
        for line, text in unplaced:
            self.unresolved(region, line, text)
        headings = {p.part: p.line for p in region.pieces() if p.kind == SUBHEADING}
        for part in sorted(set(headings) | set(placed)):
            if part < 2:
                continue
            values = placed.get(part, [])
            audit = next((v for v in values if v.row.kind == "ticks"), None)
            self.writer.row(audit.line if audit else headings.get(part, values[0].line if values else 0),
                            f"{part}. {self.title(key, part)}")
            if not region.columns:
                for value in values:
                    self.writer.value(value)
                continue
            # Text taken column by column keeps the form's order: each risk's own wording
            # (``リスク1:…``) stands before its ratings, as in a tidy report.
            rows = [(value.line, value) for value in values] + [(line, text) for line, text in names.get(part, [])]
            for line, item in sorted(rows, key=lambda row: row[0]):
                if isinstance(item, str):
                    self.writer.row(line, item, confidence=ADJACENT)
                else:
                    self.writer.value(item)

    def risk_rows(self, region: Region, layout: RiskLayout) -> None:
        """The parts of a risk section with their risks (named as printed) and ratings, in the form's
        order (`loaders.layout_risks`)."""
        for line, text in layout.unplaced:
            self.unresolved(region, line, text)
        headings = {p.part: p.line for p in region.pieces() if p.kind == SUBHEADING}
        for part in sorted(set(headings) | set(layout.rows)):
            if part < 2:
                continue
            rows = layout.rows.get(part, [])
            first = rows[0][0] if rows and isinstance(rows[0], tuple) else (rows[0].line if rows else 0)
            self.writer.row(headings.get(part, first), f"{part}. {self.title(region.key, part)}")
            for row in rows:
                if isinstance(row, tuple):
                    self.writer.row(row[0], row[1])
                else:
                    self.writer.value(row)

    def region_records(self, region: Region) -> None:
        self.heading(region)
        for piece in region.pieces():
            if piece.kind in (FREE, NAMES):
                piece.used = True
                for line in piece.paragraph.lines:
                    self.writer.row(line.number, line.text, confidence=READ)

    def region_changes(self, region: Region) -> None:
        """別添2: a change row's cells (date, item, before, after, timing) cannot be told apart once the
        table is lost; its text is kept as unresolved, with its lines."""
        self.heading(region)
        for piece in region.pieces():
            if piece.kind not in (HEADING, SUBHEADING, FURNITURE):
                piece.used = True
                self.unresolved(region, piece.line, piece.text)

    def region_plain(self, region: Region) -> None:
        """IV and V: rows by sub-section (a section without parts, 様式2 III しきい値判断結果: its rows)."""
        self.heading(region)
        result = self.place(region)
        for placed in result.placed:
            if placed.owner is None and placed.row.part is None:
                self.writer.value(placed)
        self.parts(region, result, region.key, sorted({row.part for row in self.rows(region.key)
                                                       if row.part is not None}))

    def row_index(self, section: str, row: Row) -> int:
        return next(i for i, r in enumerate(self.rows(section)) if r == row)


def _listed_names(piece: Piece) -> list[str]:
    """File names numbered ``(1) A (2) B`` after a ``N. 特定個人情報ファイル名`` heading."""
    rest = re.sub(r"^\d{1,2}\s*[.．]\s*特定個人情報ファイル名\s*", "", piece.text)
    if rest.startswith("("):
        return [name.strip() for name in re.split(r"\(\d{1,2}\)\s*", rest)[1:] if name.strip()]
    # One file: its name alone, unnumbered (``後期高齢者医療関連情報ファイル``).
    return [rest] if len(piece.paragraph.lines) == 2 and _FILE_NAME.fullmatch(rest) else []


def place_risks(region: Region) -> tuple[dict[int, list[Placed]], list[tuple[int, str]],
                                         dict[int, list[tuple[int, str]]]]:
    """III: the rated items of each numbered part.

    A rated item the form prints in one part only (ユーザ認証の管理 → 3) names its part. The
    others (リスクへの対策は十分か) belong to the page's only part, or to the part whose heading stands
    right before them; failing both, to the last part heading before them on the page — the file is
    certain, the part is not, and the rating says so (confidence 0.5). A rating standing apart is
    placed when the page's ratings of that kind are all the same."""
    placed: dict[int, list[Placed]] = {}
    unplaced: list[tuple[int, str]] = []
    names: dict[int, list[tuple[int, str]]] = {}  # part → (line, the risk's wording), kept for column text
    open_part: int | None = None
    for page in region.pages:
        heads = sorted({p.part for p in page if p.kind == SUBHEADING and p.part and p.part >= 2})
        candidates = ([open_part] if open_part and open_part not in heads else []) + heads
        slots: list[tuple[Piece, int | None, float]] = []
        last_heading = candidates[0] if candidates else None
        for index, piece in enumerate(page):
            if piece.kind == SUBHEADING and piece.part in candidates:
                last_heading = piece.part
            if piece.kind == FREE and _RISK_NAME.match(piece.text):
                piece.used = True  # the form's own wording of the risk
            if region.columns and last_heading is not None and piece.kind in (FREE, SUBHEADING):
                for line in piece.paragraph.lines:
                    if _RISK_NAME.match(line.text):  # the part the form's wording names, else the heading's
                        named = identify(line.text, region.form.section(region.key))
                        names.setdefault(named[0] if named else last_heading, []).append((line.number, line.text))
            if piece.kind != LABEL:
                continue
            before = page[index - 1] if index else None
            part = piece.rows[0].part
            if part is not None:
                slots.append((piece, part, READ))
            elif len(candidates) == 1:
                slots.append((piece, candidates[0], READ))
            elif before is not None and before.kind == SUBHEADING and before.part in candidates:
                slots.append((piece, before.part, ACCOUNTED))
            else:
                slots.append((piece, last_heading, UNDECIDED))
        bare: dict[tuple[str, ...], list] = {}
        for piece, part, confidence in slots:
            row = piece.rows[0]
            value = _inline_value(piece, row)
            if value is None:
                bare.setdefault(row.options, []).append((piece, part, confidence))
            elif part is None:
                unplaced.append((piece.line, piece.text))
            else:
                placed.setdefault(part, []).append(_placed(row, value, piece.line, confidence))
        if region.columns:
            # Text taken column by column: the option right after its label is its value.
            for options, group in bare.items():
                for entry in list(group):
                    piece, part, confidence = entry
                    after = [p for p in page[page.index(piece) + 1:] if p.kind != FURNITURE][:1]
                    if part is not None and after and after[0].kind == CHOICE and not after[0].used \
                            and after[0].value in options:
                        after[0].used = True
                        group.remove(entry)
                        placed.setdefault(part, []).append(_placed(piece.rows[0], after[0].value, after[0].line,
                                                                   min(confidence, ADJACENT)))
        for options, group in bare.items():
            values = [p for p in page if p.kind == CHOICE and not p.used and p.value in options]
            if values and len(values) == len(group) and len({v.value for v in values}) == 1:
                for (piece, part, confidence), value in zip(group, values):
                    if part is None:
                        continue
                    value.used = True
                    placed.setdefault(part, []).append(_placed(piece.rows[0], value.value, value.line,
                                                               min(confidence, TYPED)))
        for piece in page:
            if not piece.used and piece.kind in (CHOICE, MARKS_KIND):
                unplaced.append((piece.line, piece.text))
        if candidates:
            open_part = candidates[-1]
    return placed, unplaced, names


def _inline_value(piece: Piece, row: Row):
    text = re.sub(r"^[※\s]+", "", piece.inline)
    if row.kind == "ticks":
        from loaders.layout_marks import merge, read_torn
        marks = merge(read_torn(text, row.options))
        return marks or None
    return option_in(text, row.options)


def _placed(row: Row, value, line: int, confidence: float) -> Placed:
    if isinstance(value, dict):
        return Placed(row, None, "", line, confidence, value)
    return Placed(row, None, value, line, confidence)


def rebuild(lines: list[Line], form: Form | None = None) -> Rebuilt:
    """The tidy rows of a layout-lost report (normalised lines), with confidences and leftovers."""
    return LayoutReader(lines, form).run()


# -- back onto the report ---------------------------------------------------------------------------
def apply(report: Report, rebuilt: Rebuilt) -> Report:
    """Lower every extracted value's confidence to its placement's, and add what was not placed."""
    replace_values(report, lambda value: _as_placed(value, rebuilt))
    report.unresolved.extend(rebuilt.unresolved)
    return report


def _as_placed(value: Value, rebuilt: Rebuilt) -> Value:
    """`value` as sure as the placement of its line (a tick: as its mark's reading)."""
    if isinstance(value, Tick):
        state = rebuilt.ticks.get((value.evidence.line, value.option))
        if state is not None:
            reason = None if state[1] >= CERTAIN else placement_reason(state[1], mark=True)
            return replace(value, ticked=state[0], confidence=state[1], reason=reason)
    line = value.evidence.line
    return lowered(value, rebuilt.confidence.get(line), rebuilt.reasons.get(line))
