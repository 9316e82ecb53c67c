"""Placing the pieces of one region: which block a label belongs to, and which value a label holds.

**Owners, by counting the form's rows.** A page of the PDF holds a contiguous run of the form's
rows: the rest of the block open at the end of the previous page, then the blocks whose headers
stand on the page, each with all its rows, the last one perhaps cut short. Within the page the text
may come in any order, but the labels on it must add up to such a run. Counting them tells which
blocks each label belongs to; when only one block can hold a label, the owner is certain. When
several can (``③委託先名`` twice on a page holding 委託事項1 and 2), a label right after a block
header belongs to that block; otherwise the owner stays open.

**Values.** A value in the same paragraph as its label is read (confidence 1). A value standing
apart is recognised by its shape — an option of the row's choice, a body's name, a date, torn
checkbox marks — and placed when it is the only one of its kind for the only label of its kind on
the page. Free text is placed only right after its label, with a low confidence. A body's name
whose owner stays open is still kept with the file (a contractor of the file, its 委託事項 number
undecided, confidence 0.5): the file it belongs to is known, and an auditor needs it. Anything
else that cannot be placed is left for the unresolved list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.layout_form import BLOCK_ORDER, Row, rows
from loaders.layout_marks import TornMark, merge, read_torn
from loaders.layout_pieces import (
    BLOCK,
    CHOICE,
    COUNT,
    DATE,
    FREE,
    LABEL,
    MARKS_KIND,
    NAMES,
    ORG,
    SUBHEADING,
    TORN,
    Piece,
    Region,
    is_marks,
)
from loaders.marks import exact_option
from loaders.normalise import MARKS

READ = 1.0  # the value stands in its label's paragraph, the owner is the only one possible
TYPED = 0.9  # the only value of its shape for the only label of its kind on the page
ACCOUNTED = 0.8  # the owner was found by counting rows over pages (or by a block header beside it)
ADJACENT = 0.6  # free text placed only because it follows its label
UNDECIDED = 0.5  # two or more owners remain possible
MAX_LINE_VALUE = 60  # characters: longer text beside a one-line label (a name) is not its value

RowKey = tuple[str, "int | None"]
BlockId = tuple[str, int]


def row_key(row: Row) -> RowKey:
    return (row.key, row.number)


@dataclass
class Block:
    kind: str
    number: int
    header: Piece
    keys: list[RowKey]
    seen: set[RowKey] = field(default_factory=set)

    @property
    def id(self) -> BlockId:
        return (self.kind, self.number)

    def remaining(self) -> list[RowKey]:
        return [key for key in self.keys if key not in self.seen]


@dataclass
class Slot:
    """A label on a page, with the blocks that can own it."""

    piece: Piece
    owners: list[Block]
    confidence: float


@dataclass
class Placed:
    """A value placed in a row (of a block, or of the section)."""

    row: Row
    owner: BlockId | None
    value: str
    line: int
    confidence: float
    marks: dict[str, TornMark] | None = None


@dataclass
class RegionResult:
    placed: list[Placed] = field(default_factory=list)
    blocks: dict[BlockId, Block] = field(default_factory=dict)
    titles: dict[BlockId, tuple[str, float]] = field(default_factory=dict)
    unresolved: list[tuple[int, str]] = field(default_factory=list)


def _order(block: Block) -> tuple[int, int]:
    return (BLOCK_ORDER.get(block.kind, 9), block.number)


def _previous(page: list[Piece], piece: Piece) -> Piece | None:
    index = next(i for i, p in enumerate(page) if p is piece)
    return page[index - 1] if index else None


def _following(page: list[Piece], piece: Piece) -> list[Piece]:
    index = next(i for i, p in enumerate(page) if p is piece)
    return page[index + 1:]


class RegionPlacer:
    """Places the values of one region (I, one file's II, IV, V …)."""

    def __init__(self, region: Region):
        self.region = region
        self.rows = rows(region.form).get(region.key, [])
        self.block_keys = {kind: [row_key(r) for r in self.rows if r.block == kind]
                           for kind in {r.block for r in self.rows if r.block}}
        self.result = RegionResult()

    # -- owners ------------------------------------------------------------------------------------
    def collect_blocks(self) -> None:
        for piece in self.region.pieces():
            if piece.kind != BLOCK or piece.block[0] not in self.block_keys:
                continue
            if piece.block in self.result.blocks:
                continue  # a repeated header: its text stays unresolved
            piece.used = True
            self.result.blocks[piece.block] = Block(*piece.block, piece, list(self.block_keys[piece.block[0]]))
            if piece.value:
                self.result.titles[piece.block] = (piece.value, READ)

    def owners(self) -> list[Slot]:
        """Every label of the region with its possible owners, page by page."""
        slots: list[Slot] = []
        open_block: Block | None = None
        for page in self.region.pages:
            labels = [p for p in page if p.kind == LABEL and not p.used]
            slots += [self._section_slot(page, p) for p in labels if p.rows[0].block is None]
            in_blocks = [p for p in labels if p.rows[0].block is not None]
            headers = sorted((self.result.blocks[p.block] for p in page
                              if p.kind == BLOCK and p.block in self.result.blocks
                              and self.result.blocks[p.block].header is p), key=_order)
            candidates = ([open_block] if open_block and open_block not in headers else []) + headers
            slots += self._account(page, in_blocks, candidates)
            if candidates:
                open_block = candidates[-1]
        return slots

    @staticmethod
    def _section_slot(page: list[Piece], piece: Piece) -> Slot:
        """A row outside blocks; a label the form repeats in two sub-sections (V ①実施日) belongs to
        the one whose heading stands right before it, or stays open."""
        if len({row.part for row in piece.rows}) == 1:
            return Slot(piece, [], READ)
        before = _previous(page, piece)
        chosen = [row for row in piece.rows if before is not None and before.kind == SUBHEADING
                  and row.part == before.part]
        if chosen:
            piece.rows = (chosen[0],)
            return Slot(piece, [], ACCOUNTED)
        return Slot(piece, [], UNDECIDED)

    def _account(self, page: list[Piece], labels: list[Piece], candidates: list[Block]) -> list[Slot]:
        by_key: dict[RowKey, list[Piece]] = {}
        for piece in labels:
            by_key.setdefault(row_key(piece.rows[0]), []).append(piece)
        if not by_key:
            return []
        observed = Counter({key: len(pieces) for key, pieces in by_key.items()})
        cut = self._cut(candidates, observed) if candidates else None
        remaining = {id(block): block.remaining() for block in candidates}  # before this page's labels
        groups = []
        for key, pieces in by_key.items():
            possible = [b for b in candidates if key in remaining[id(b)]]
            if cut is not None:
                owners = [b for b in candidates[:-1] if key in remaining[id(b)]]
                owners += [candidates[-1]] if key in remaining[id(candidates[-1])][:cut] else []
                taken = owners
            else:
                owners = possible
                taken = possible[:len(pieces)]
            groups.append((pieces, owners, len(possible) == 1 and cut is not None))
            for block in taken:
                block.seen.add(key)
        return self._resolve(page, groups)

    @staticmethod
    def _cut(candidates: list[Block], observed: Counter) -> int | None:
        """Where the page cuts the last block's rows, if the labels add up to a run of the form."""
        last = candidates[-1]
        before = Counter(key for block in candidates[:-1] for key in block.remaining())
        for cut in range(len(last.remaining()) + 1):
            if before + Counter(last.remaining()[:cut]) == observed:
                return cut
        return None

    def _resolve(self, page: list[Piece], groups) -> list[Slot]:
        """Pair each label with one owner where the page allows it.

        A label of a kind that only one block on the page can hold is certain. Where several can,
        a label right after a block header, or right after a label already paired with a block and
        earlier in that block's rows, belongs to the same block; a kind left with one label and one
        block pairs them. Whatever is left stays open between its possible owners."""
        owner_of: dict[int, Block] = {}
        confidence: dict[int, float] = {}
        open_groups = []
        for pieces, owners, certain in groups:
            if len(pieces) == 1 and len(owners) == 1:
                owner_of[id(pieces[0])] = owners[0]
                confidence[id(pieces[0])] = READ if certain else ACCOUNTED
            else:
                open_groups.append((list(pieces), list(owners)))
        changed = True
        while changed:
            changed = False
            for pieces, owners in open_groups:
                for piece in list(pieces):
                    owner = self._neighbour_owner(page, piece, owners, owner_of)
                    if owner is not None:
                        owner_of[id(piece)], confidence[id(piece)] = owner, ACCOUNTED
                        pieces.remove(piece)
                        owners.remove(owner)
                        changed = True
                if len(pieces) == 1 and len(owners) == 1:
                    owner_of[id(pieces[0])], confidence[id(pieces[0])] = owners[0], ACCOUNTED
                    pieces.clear()
                    owners.clear()
                    changed = True
        slots = [Slot(piece, [owner_of[id(piece)]], confidence[id(piece)])
                 for pieces, _, _ in groups for piece in pieces if id(piece) in owner_of]
        slots += [Slot(piece, list(owners), UNDECIDED) for pieces, owners in open_groups for piece in pieces]
        return slots

    @staticmethod
    def _neighbour_owner(page: list[Piece], piece: Piece, owners: list[Block], owner_of) -> Block | None:
        """The block a label continues: the header right before it when it is the block's first row,
        or the block of the label right before it when it is that label's next row in the form."""
        before = _previous(page, piece)
        key = row_key(piece.rows[0])
        if before is None:
            return None
        if before.kind == BLOCK:
            return next((b for b in owners if b.header is before and b.keys[0] == key), None)
        if before.kind == LABEL and id(before) in owner_of:
            block = owner_of[id(before)]
            keys = block.keys
            previous_key = row_key(next((r for r in before.rows if r.block == block.kind), before.rows[0]))
            if block in owners and previous_key in keys and keys.index(previous_key) + 1 == keys.index(key):
                return block
        return None

    # -- values -------------------------------------------------------------------------------------
    def run(self) -> RegionResult:
        self.collect_blocks()
        slots = self.owners()
        pending: list[tuple[Slot, Row, str, int, float, dict | None]] = []
        bare: list[Slot] = []
        for slot in slots:
            found = self._inline(slot)
            if found is None:
                bare.append(slot)
            else:
                pending.append((slot, *found))
        for page in self.region.pages:
            numbers = {id(p) for p in page}
            on_page = [slot for slot in bare if id(slot.piece) in numbers]
            pending += self._typed(page, on_page)
            pending += self._adjacent(page, on_page)
            pending += self._ticks(page, [slot for slot in slots if id(slot.piece) in numbers])
        self._settle(_merge_ticks(pending))
        self._collect_unresolved()
        return self.result

    def _inline(self, slot: Slot):
        """(row, value, line, confidence, marks) when the label's paragraph holds its value."""
        piece, row = slot.piece, slot.piece.rows[0]
        text = re.sub(r"^[※\s]+", "", piece.inline)
        if row.kind == "choice":
            option = option_in(text, row.options)
            return (row, option, piece.line, READ, None) if option else None
        if row.kind == "ticks":
            marks = merge(read_torn(text, row.options))
            return (row, "", piece.line, READ, marks) if marks else None
        if not re.sub(rf"[\s\[\]{MARKS}]", "", text):
            return None
        if row.kind in ("line", "org") and len(piece.paragraph.lines) > 1:
            text, rest = _first_item(piece)
            if rest:
                self.result.unresolved.append((piece.paragraph.lines[1].number, rest))
        return (row, text, piece.line, READ, None)

    def _typed(self, page: list[Piece], slots: list[Slot]):
        found = []
        groups: dict[tuple, list[Slot]] = {}
        for slot in slots:
            row = slot.piece.rows[0]
            if row.kind in ("choice", "org", "date"):
                groups.setdefault((row.kind, row.options), []).append(slot)
        for (kind, options), group in groups.items():
            wanted = {"choice": CHOICE, "org": ORG, "date": DATE}[kind]
            values = [p for p in page if p.kind == wanted and not p.used
                      and (kind != "choice" or p.value in options)]
            if not values:
                continue
            same = len({p.value for p in values}) == 1
            if len(values) == len(group) and (len(group) == 1 or same):
                pairs, confidence = zip(group, values), TYPED
            elif kind == "org" and len(values) <= len(group):
                pairs, confidence = zip(group, values), UNDECIDED
            else:
                continue
            for slot, value in pairs:
                value.used = True
                found.append((slot, slot.piece.rows[0], value.value, value.line, confidence, None))
        return found

    def _adjacent(self, page: list[Piece], slots: list[Slot]):
        found = []
        for slot in slots:
            row = slot.piece.rows[0]
            if row.kind not in ("text", "line"):
                continue
            run = []
            for piece in _following(page, slot.piece):
                if piece.kind != FREE or piece.used:
                    break
                if row.kind == "line" and (len(piece.text) > MAX_LINE_VALUE
                                           or "。" in re.sub(r"\([^()]*\)", "", piece.text)):
                    break  # a one-line value (a name, a date) is short
                run.append(piece)
                if row.kind == "line":
                    break
            if run:
                for piece in run:
                    piece.used = True
                text = " ".join(piece.text for piece in run)
                found.append((slot, row, text, run[0].line, ADJACENT, None))
        return found

    def _ticks(self, page: list[Piece], slots: list[Slot]):
        """Torn marks go to the only checkbox label on the page whose options they name."""
        groups = [s for s in slots if s.piece.rows[0].kind == "ticks"]
        collected: dict[int, list[TornMark]] = {}
        for piece in page:
            if piece.kind != MARKS_KIND or piece.used:
                continue
            readers = [s for s in groups if is_marks(piece.text, s.piece.rows[0].options)]
            if len(readers) != 1:
                continue
            piece.used = True
            collected.setdefault(id(readers[0]), []).extend(read_torn(piece.text, readers[0].piece.rows[0].options))
        found = []
        for slot in groups:
            marks = collected.get(id(slot))
            if marks:
                merged = merge(marks)
                capped = {o: TornMark(m.option, m.ticked, min(m.confidence, ACCOUNTED), m.detail)
                          for o, m in merged.items()}
                found.append((slot, slot.piece.rows[0], "", slot.piece.line, READ, capped))
        return found

    def _settle(self, pending) -> None:
        """Give each value its owner; a value whose owner stays open is kept only when it names a body."""
        open_groups: dict[tuple, list] = {}
        for slot, row, value, line, confidence, marks in pending:
            if row.block is None and len({r.part for r in slot.piece.rows}) > 1:
                if value:
                    self.result.unresolved.append((line, value))
            elif row.block is None:
                self._place(row, None, value, line, min(confidence, slot.confidence), marks)
            elif len(slot.owners) == 1:
                owner = slot.owners[0]
                row = next((r for r in slot.piece.rows if r.block == owner.kind), row)
                self._place(row, owner.id, value, line, min(confidence, slot.confidence), marks)
            else:
                open_groups.setdefault((slot.piece.page, row_key(row)), []).append(
                    (slot, row, value, line, marks, confidence))
        for entries in open_groups.values():
            self._settle_open(entries)

    def _settle_open(self, entries) -> None:
        """Labels of one kind on one page whose owners stay open. Equal values fill every owner. A
        value that names its block (a system, a contractor) is kept — the section or file it belongs
        to is certain — in the block whose own placed text names it, else in text order, undecided."""
        owners = sorted({id(b): b for s, *_ in entries for b in s.owners}.values(), key=_order)
        row = entries[0][1]
        values = {entry[2] for entry in entries}
        if not (row.names_block or (len(values) == 1 and len(entries) == len(owners))):
            for slot, _, value, line, *_ in entries:
                if value:
                    self.result.unresolved.append((line, value))
            return
        taken = {p.owner for p in self.result.placed if row_key(p.row) == row_key(row)}
        owners = [b for b in owners if b.id not in taken] or owners
        confidence = UNDECIDED if len(values) > 1 or len(entries) != len(owners) else ACCOUNTED
        entries = sorted(entries, key=lambda e: e[0].piece.line)
        if row.names_block and len(values) > 1:
            for entry in list(entries):
                named = [b for b in owners if self._mentions(b.id, entry[2])]
                if len(named) == 1:
                    entries.remove(entry)
                    owners.remove(named[0])
                    self._own(entry, named[0], ADJACENT)  # as sure as the text that names it
        for entry, owner in zip(entries, owners):
            self._own(entry, owner, confidence)

    def _own(self, entry, owner: Block, confidence: float) -> None:
        slot, row, value, line, marks, found = entry
        row = next((r for r in slot.piece.rows if r.block == owner.kind), row)
        self._place(row, owner.id, value, line, min(confidence, found), marks)

    def _mentions(self, owner: BlockId, name: str) -> bool:
        """Whether a value already placed in the block names this body (``委託先の支払基金から…``)."""
        name = re.split(r"\s*\(", name)[0]
        return any(name in p.value for p in self.result.placed if p.owner == owner and p.row.kind == "text")

    def _place(self, row, owner, value, line, confidence, marks) -> None:
        self.result.placed.append(Placed(row, owner, value, line, confidence, marks))

    def _collect_unresolved(self) -> None:
        placed_lines = {p.line for p in self.result.placed}
        for piece in self.region.pieces():
            if piece.used or piece.line in placed_lines:
                continue
            if piece.kind in (FREE, CHOICE, ORG, DATE, MARKS_KIND, NAMES, COUNT, TORN) or (
                    piece.kind == BLOCK and piece.value):
                self.result.unresolved.append((piece.line, piece.text))
            elif piece.kind == LABEL and re.sub(rf"[\s※\[\]{MARKS}]", "", piece.inline):
                self.result.unresolved.append((piece.line, piece.text))


def _merge_ticks(pending: list) -> list:
    """One checkbox group read both in its label's paragraph and from torn marks: one reading."""
    merged, first = [], {}
    for entry in pending:
        slot, row, value, line, confidence, marks = entry
        if marks is None:
            merged.append(entry)
        elif id(slot) in first:
            index = first[id(slot)]
            known = merged[index]
            merged[index] = (*known[:5], merge(list(known[5].values()) + list(marks.values())))
        else:
            first[id(slot)] = len(merged)
            merged.append(entry)
    return merged


def option_in(text: str, options: tuple[str, ...]) -> str | None:
    """The option a label's text selects (``[ 10人以上50人未満`` → 10人以上50人未満), the option list ignored."""
    return exact_option(re.sub(r"<選択肢>.*$", "", text), options)


def _first_item(piece: Piece) -> tuple[str, str]:
    """A one-line value (a name) from a label paragraph, and the note after it: the name runs up to
    the first line that starts a note (``(※)…``)."""
    text = piece.inline
    for line in piece.paragraph.lines[1:]:
        position = text.find(line.text)
        if re.match(r"^[(※]", line.text) and position > 0:
            return text[:position].strip(), text[position:].strip()
    return text, ""
