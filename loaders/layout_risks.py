"""Placing the ratings of a risk section (様式3/4 III) in layout-lost text that keeps each label beside
its value but scatters the rows of a page (seed 001).

**Risks, by the form's own wording.** The form prints each risk of a rated part with a fixed
wording (``リスク1: 目的を超えた紐付け…``; `risks` of each part in ``loaders/forms/form*.toml``).
A printed risk line names its part and its place in it by that wording and its number, wherever it
stands on the page — even before its part's heading.

**Ratings, by counting the form's rows.** Each risk has one ``リスクへの対策は十分か`` row. When a
file's section holds as many of those rows as the form has risks, they are the risks' rows in the
form's order (the text keeps the order of the rows, not their position: `ACCOUNTED`). Otherwise a
rating row belongs to the nearest risk line before it (`ADJACENT`).

**Values.** A rating in its row's paragraph is read (`READ`); ``[ ]`` there, or right after the row,
is a rating left empty (the node is kept, unrated); a rating printed right after its row is its
value (`ADJACENT`). The ratings left over are placed when they are all the same: on every row left,
`TYPED` when they are as many as the rows, `UNDECIDED` when fewer (one of those rows has lost its
value). Rated items (ユーザ認証の管理 [行っている], ①事故発生時手順の策定・周知, ②…重大事故…) name their
part themselves and take their values the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from loaders.forms import Section
from loaders.layout_form import Row
from loaders.layout_marks import TornMark, merge, read_torn
from loaders.layout_pieces import CHOICE, FURNITURE, LABEL, Piece, Region
from loaders.layout_place import ACCOUNTED, ADJACENT, READ, TYPED, UNDECIDED, Placed, option_in
from loaders.normalise import EMPTY

_RISK = re.compile(r"^リスク\s*(\d*)\s*[::]\s*(\S.*)$")
_EMPTY = re.compile(rf"^\s*(?:\[\s*\]|{EMPTY})\s*(?:<選択肢>.*)?$")  # a selection left empty (NFKC: [ ] is ☐)
MIN_WORDING_MATCH = 0.8  # a printed risk line and the form's wording (variants: 事務に必要な情報との紐付け …)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class RiskLine:
    """A printed risk: its part, its index among the part's risks, its text as printed, its line."""

    part: int
    index: int
    text: str
    line: int


def identify(text: str, section: Section) -> tuple[int, int] | None:
    """The (part, index) the form gives a risk line: by its wording, and by its number (``リスク:``
    alone in its part, ``リスクN:`` the N-th of several)."""
    found = _RISK.match(text.strip())
    if not found:
        return None
    number = int(found.group(1)) if found.group(1) else None
    words = _squeeze(found.group(2))
    best = None
    for part in section.parts:
        for index, wording in enumerate(part.risks):
            if (number is None) != (len(part.risks) == 1) or (number is not None and number != index + 1):
                continue
            ratio = SequenceMatcher(None, words, _squeeze(wording)).ratio()
            if ratio >= MIN_WORDING_MATCH and (best is None or ratio > best[0]):
                best = (ratio, part.number, index)
    return best[1:] if best else None


@dataclass
class Slot:
    """A rated row of the section (``リスクへの対策は十分か`` or an item) and what was found for it."""

    piece: Piece
    row: Row
    part: int | None = None
    risk: RiskLine | None = None
    confidence: float = READ
    value: str | None = None  # the option; "" for a rating left empty
    line: int | None = None
    value_confidence: float = READ
    marks: dict[str, TornMark] | None = None  # a checkbox row (監査 実施の有無): its marks


@dataclass
class RiskLayout:
    """What the section's parts hold, in the order the rows are written back: per part, the risk
    lines and the rated rows (risk names before their ratings)."""

    rows: dict[int, list[tuple[int, str] | Placed]] = field(default_factory=dict)
    unplaced: list[tuple[int, str]] = field(default_factory=list)


class RiskPlacer:
    """Places the risks and ratings of one file's risk section."""

    def __init__(self, region: Region):
        self.region = region
        self.section = region.form.section(region.key)
        self.risk_labels = {item.label for item in self.section.rated if item.role == "risk"}
        self.expected = [(part.number, index) for part in self.section.parts for index in range(len(part.risks))]
        self.pieces = region.pieces()

    @property
    def applies(self) -> bool:
        """The form names its risks (様式3, 様式4), and the text prints some of them."""
        return bool(self.expected) and bool(self.risk_lines())

    def risk_lines(self) -> list[RiskLine]:
        """The printed risks in text order, each once (a page break may print a risk twice)."""
        found: dict[tuple[int, int], RiskLine] = {}
        for piece in self.pieces:
            if piece.kind == LABEL:
                continue
            lines = piece.paragraph.lines
            for i, line in enumerate(lines):
                if not _RISK.match(line.text):
                    continue
                text = line.text
                place = identify(text, self.section)
                if place is None and i + 1 < len(lines):  # a risk wrapped over two lines
                    text = line.text + lines[i + 1].text
                    place = identify(text, self.section)
                if place is not None and place not in found:
                    found[place] = RiskLine(*place, text, line.number)
                    if len(lines) == 1:
                        piece.used = True
        return sorted(found.values(), key=lambda risk: risk.line)

    def run(self) -> RiskLayout:
        risks = self.risk_lines()
        slots = [Slot(p, p.rows[0]) for p in self.pieces if p.kind == LABEL and not p.used]
        ratings = [s for s in slots if s.row.part is None and s.row.label in self.risk_labels]
        items = [s for s in slots if s.row.part is not None]
        everything = ratings + items
        self.owners(ratings, risks)
        for slot in items:
            slot.part = slot.row.part
        for slot in [s for s in items if s.row.kind == "ticks"]:
            marks = merge(read_torn(slot.piece.inline, slot.row.options))
            if marks and all(mark.ticked is not None for mark in marks.values()):  # marks read whole only
                slot.marks, slot.value, slot.line = marks, "", slot.piece.line
                slot.piece.used = True
        items = [s for s in items if s.row.kind != "ticks"]
        for group in (ratings, *self.by_options(items)):
            self.values(group)
        return self.layout(risks, everything)

    # -- owners --------------------------------------------------------------------------------------
    def owners(self, ratings: list[Slot], risks: list[RiskLine]) -> None:
        """Each rating row's risk: by count when the rows are the form's, else the nearest risk line
        before it (after it, for a row printed before every risk line)."""
        by_place = {(risk.part, risk.index): risk for risk in risks}
        if len(ratings) == len(self.expected):
            for slot, place in zip(ratings, self.expected):
                slot.part, slot.confidence = place[0], ACCOUNTED
                slot.risk = by_place.get(place) or RiskLine(place[0], place[1], "", slot.piece.line)
            return
        taken: set[tuple[int, int]] = set()
        for slot in ratings:
            before = [r for r in risks if r.line < slot.piece.line and (r.part, r.index) not in taken]
            after = [r for r in risks if r.line > slot.piece.line and (r.part, r.index) not in taken]
            risk = before[-1] if before else (after[0] if after else None)
            if risk is not None:
                taken.add((risk.part, risk.index))
                slot.part, slot.risk, slot.confidence = risk.part, risk, ADJACENT

    @staticmethod
    def by_options(slots: list[Slot]) -> list[list[Slot]]:
        """Rows whose option lists share an option (the 努力 scheme of 再委託先の担保, 事故発生時手順 and
        教育・啓発): a value printed apart could be any of theirs."""
        groups: list[tuple[set[str], list[Slot]]] = []
        for slot in slots:
            joined = [g for g in groups if g[0] & set(slot.row.options)]
            options, members = set(slot.row.options), [slot]
            for group in joined:
                groups.remove(group)
                options |= group[0]
                members = group[1] + members
            groups.append((options, members))
        return [members for _, members in groups]

    # -- values --------------------------------------------------------------------------------------
    def values(self, slots: list[Slot]) -> None:
        """The values of rows sharing one option list: read beside the row, right after it, or — the
        values left all alike — placed on the rows left."""
        if not slots:
            return
        options = {option for slot in slots for option in slot.row.options}
        for slot in slots:
            inline = re.sub(r"^[※\s]+", "", slot.piece.inline)
            option = option_in(inline, slot.row.options)
            if option:
                self.set(slot, option, slot.piece.line, READ)
            elif _EMPTY.match(inline):
                self.set(slot, "", slot.piece.line, READ)
            else:
                following = self.following(slot.piece)
                if following is not None and _EMPTY.match(following.text):
                    following.used = True
                    self.set(slot, "", following.line, ADJACENT)
                elif following is not None and following.kind == CHOICE and not following.used \
                        and following.value in slot.row.options:
                    following.used = True
                    self.set(slot, following.value, following.line, ADJACENT)
        left = [slot for slot in slots if slot.value is None]
        values = [p for p in self.pieces if p.kind == CHOICE and not p.used and p.value in options]
        if not left or not values or len({p.value for p in values}) != 1:
            return
        left = [slot for slot in left if values[0].value in slot.row.options]
        confidence = TYPED if len(values) == len(left) else UNDECIDED
        for slot in left:  # each takes the value printed nearest to it
            nearest = min(values, key=lambda p: abs(p.line - slot.piece.line))
            values.remove(nearest)
            nearest.used = True
            self.set(slot, nearest.value, nearest.line, confidence)
            if not values:
                values = [nearest]  # fewer values than rows: the rows left share the last one

    def following(self, piece: Piece) -> Piece | None:
        """The piece printed right after a row on its page (option lists skipped, ``[ ]`` kept)."""
        for page in self.region.pages:
            if piece in page:
                for other in page[page.index(piece) + 1:]:
                    if other.kind == FURNITURE and not _EMPTY.match(other.text):
                        continue
                    return other
        return None

    @staticmethod
    def set(slot: Slot, value: str, line: int, confidence: float) -> None:
        slot.value, slot.line, slot.value_confidence = value, line, confidence
        slot.piece.used = True

    # -- writing back --------------------------------------------------------------------------------
    def layout(self, risks: list[RiskLine], slots: list[Slot]) -> RiskLayout:
        result = RiskLayout()
        rated = {(s.risk.part, s.risk.index): s for s in slots if s.risk is not None}
        order = {place: n for n, place in enumerate(self.expected)}
        printed = {(r.part, r.index): r for r in risks}
        for slot in slots:  # a rated risk whose line the text lost is named as the form prints it
            if slot.risk is not None and slot.value is not None and (slot.risk.part, slot.risk.index) not in printed:
                printed[(slot.risk.part, slot.risk.index)] = RiskLine(
                    slot.risk.part, slot.risk.index, self.wording(slot.risk.part, slot.risk.index), slot.piece.line)
        for risk in sorted(printed.values(), key=lambda r: order.get((r.part, r.index), 99)):
            rows = result.rows.setdefault(risk.part, [])
            rows.append((risk.line, risk.text))
            slot = rated.get((risk.part, risk.index))
            if slot is not None and slot.value is not None:
                rows.append(self.placed(slot))
        for slot in slots:
            if slot.risk is None and slot.part is not None and slot.value is not None:
                result.rows.setdefault(slot.part, []).append(self.placed(slot))
            elif slot.value is None and slot.part is None:
                result.unplaced.append((slot.piece.line, slot.piece.text))
        for piece in self.pieces:
            if piece.kind == CHOICE and not piece.used:
                result.unplaced.append((piece.line, piece.text))
        return result

    def wording(self, part: int, index: int) -> str:
        """A risk as the form prints it: ``リスク: …`` alone in its part, ``リスクN: …`` among several."""
        risks = self.section.part(part).risks
        return f"リスク{'' if len(risks) == 1 else index + 1}: {risks[index]}"

    @staticmethod
    def placed(slot: Slot) -> Placed:
        return Placed(slot.row, None, slot.value or "", slot.line or slot.piece.line,
                      min(slot.confidence, slot.value_confidence), slot.marks)
