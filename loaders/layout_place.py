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
    FURNITURE,
    LABEL,
    MARKS_KIND,
    NAMES,
    ORG,
    SUBHEADING,
    TORN,
    Piece,
    Region,
    is_date,
    is_marks,
    is_option_line,
    join_lines,
)
from loaders.marks import exact_option
from loaders.normalise import MARKS

READ = 1.0  # the value stands in its label's paragraph, the owner is the only one possible
TYPED = 0.9  # the only value of its shape for the only label of its kind on the page
ACCOUNTED = 0.8  # the owner was found by counting rows over pages (or by a block header beside it)
ADJACENT = 0.6  # free text placed only because it follows its label
UNDECIDED = 0.5  # two or more owners remain possible
MAX_LINE_VALUE = 60  # characters: longer text beside a one-line label (a name) is not its value

# Why a value of layout-lost text carries its confidence (shown to the auditor with the value).
_LOST = "表の配置を失ったテキスト: "
PLACEMENT_REASONS = {
    TYPED: _LOST + "その形の値が頁に一つだけあり、形から項目に配置した",
    ACCOUNTED: _LOST + "頁の様式の行を数えて、値の属する項目を決めた",
    ADJACENT: _LOST + "ラベルの後に続く値として、印字の順序から配置した",
    UNDECIDED: _LOST + "値の属する項目が複数ありうる(印字の順に配置した)",
}
MARK_REASON = _LOST + "チェック記号が選択肢から離れて印字された: 記号の位置から状態を読んだ"


def placement_reason(confidence: float, mark: bool = False) -> str:
    """Why a value placed with `confidence` is not certain."""
    if mark and confidence not in (TYPED, ACCOUNTED, ADJACENT, UNDECIDED):
        return MARK_REASON
    return PLACEMENT_REASONS.get(confidence) or (MARK_REASON if mark else _LOST + "配置を推定した")

_LONE_DETAIL = re.compile(r"^\(\s*([^()\d][^()]*?)\s*\)$")  # ( 市民税課、市民課 ): a detail standing alone
_VERSION_LABEL = re.compile(r"^\[[^\[\]]*様式\d\s*\]$")  # the form's version label, printed on each page

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
    count: str | None = None  # the "(N) 件" of a choice that states a count (委託する (6) 件)


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
            slots += [self._section_slot(page, p, self._last_heading(p)) for p in labels if p.rows[0].block is None]
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
    def _section_slot(page: list[Piece], piece: Piece, last_heading: Piece | None = None) -> Slot:
        """A row outside blocks; a label the form repeats in two sub-sections (V ①実施日) belongs to
        the one whose heading stands right before it, or — in text taken column by column, which
        keeps the form's order — to the last heading before it; or stays open."""
        if len({row.part for row in piece.rows}) == 1:
            return Slot(piece, [], READ)
        before = _previous(page, piece)
        chosen = [row for row in piece.rows if before is not None and before.kind == SUBHEADING
                  and row.part == before.part]
        if chosen:
            piece.rows = (chosen[0],)
            return Slot(piece, [], ACCOUNTED)
        chosen = [row for row in piece.rows if last_heading is not None and row.part == last_heading.part]
        if chosen:
            piece.rows = (chosen[0],)
            return Slot(piece, [], ADJACENT)
        return Slot(piece, [], UNDECIDED)

    def _last_heading(self, piece: Piece) -> Piece | None:
        """The last sub-section heading before a piece in the region, when the text keeps the form's
        order (`Region.columns`)."""
        if not self.region.columns:
            return None
        last = None
        for other in self.region.pieces():
            if other is piece:
                return last
            if other.kind == SUBHEADING:
                last = other
        return None

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
        return self._resolve(page, groups, candidates)

    @staticmethod
    def _cut(candidates: list[Block], observed: Counter) -> int | None:
        """Where the page cuts the last block's rows, if the labels add up to a run of the form."""
        last = candidates[-1]
        before = Counter(key for block in candidates[:-1] for key in block.remaining())
        for cut in range(len(last.remaining()) + 1):
            if before + Counter(last.remaining()[:cut]) == observed:
                return cut
        return None

    def _resolve(self, page: list[Piece], groups, candidates: list[Block]) -> list[Slot]:
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
        if any(pieces for pieces, _ in open_groups):
            self._in_reading_order(groups, candidates, owner_of, confidence)
            self._under_headers(page, groups, candidates, owner_of, confidence)
            # a block now owning one of a group's labels is no longer open to the others
            open_groups = [([p for p in pieces if id(p) not in owner_of],
                            [b for b in owners if not any(owner_of.get(id(p)) is b for p in pieces)])
                           for pieces, owners in open_groups]
        slots = [Slot(piece, [owner_of[id(piece)]], confidence[id(piece)])
                 for pieces, _, _ in groups for piece in pieces if id(piece) in owner_of]
        slots += [Slot(piece, list(owners), UNDECIDED) for pieces, owners in open_groups for piece in pieces]
        return slots

    @staticmethod
    def _in_reading_order(groups, candidates: list[Block], owner_of, confidence) -> None:
        """Owners from the order the labels are printed in, when that order is the form's: walking
        the page's labels in text order, a label whose row does not come after the previous one's
        opens the next block. Kept only when the walk ends inside the page's blocks and agrees with
        every owner already known and every owner possible; the owners found are `ADJACENT` (as sure
        as an order)."""
        labels = sorted((piece for pieces, _, _ in groups for piece in pieces), key=lambda p: p.line)
        possible = {id(piece): owners for pieces, owners, _ in groups for piece in pieces}
        walked: dict[int, Block] = {}
        index, last = 0, -1
        for piece in labels:
            key = row_key(piece.rows[0])
            while index < len(candidates):
                keys = candidates[index].keys
                if key in keys and keys.index(key) > last:
                    break
                index, last = index + 1, -1
            if index == len(candidates):
                return
            walked[id(piece)] = candidates[index]
            last = candidates[index].keys.index(key)
        if any(id(piece) in owner_of and owner_of[id(piece)] is not walked[id(piece)] for piece in labels):
            return
        if any(walked[id(piece)] not in possible[id(piece)] for piece in labels):
            return
        for piece in labels:
            if id(piece) not in owner_of:
                owner_of[id(piece)], confidence[id(piece)] = walked[id(piece)], ADJACENT

    @staticmethod
    def _under_headers(page: list[Piece], groups, candidates: list[Block], owner_of, confidence) -> None:
        """Owners from the block headers printed among the labels: the labels between one block's
        header and the next header (before the page's first header: the block open from the page
        before) are that block's, when no row stands twice among them — a page whose blocks are
        printed one after the other, each block's rows in any order. The extractor need not keep a
        page's order, so the pairing stays `UNDECIDED`: the values are kept with their file and the
        block the printing suggests, and say they may belong to another."""
        possible = {id(piece): owners for pieces, owners, _ in groups for piece in pieces}
        headers = {id(block.header): block for block in candidates}
        segments: list[tuple[Block | None, list[Piece]]] = [(candidates[0] if candidates and
                                                             id(candidates[0].header) not in {id(p) for p in page}
                                                             else None, [])]
        for piece in page:
            if id(piece) in headers:
                segments.append((headers[id(piece)], []))
            elif id(piece) in possible:
                segments[-1][1].append(piece)
        for block, pieces in segments:
            keys = [row_key(piece.rows[0]) for piece in pieces]
            if block is None or len(keys) != len(set(keys)):
                continue
            for piece in pieces:
                if id(piece) not in owner_of and block in possible[id(piece)]:
                    owner_of[id(piece)], confidence[id(piece)] = block, UNDECIDED

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
            pending += self._columns(page, on_page)
            on_page = [slot for slot in on_page if not slot.piece.used]
            pending += self._typed(page, on_page)
            pending += self._adjacent(page, on_page)
            pending += self._ticks(page, [slot for slot in slots if id(slot.piece) in numbers])
        self._settle(_merge_ticks(pending))
        self._counts()
        self._details()
        self._collect_unresolved()
        return self.result

    # -- counts ---------------------------------------------------------------------------------------
    def _counts(self) -> None:
        """The ``(N) 件`` of a row that states a count, torn from it: the extractor put the number on a
        line of its own (``( 6``, ``6``) and the frame elsewhere (``) 件``). A number standing alone on
        the page of the row's value is its count when it is the page's only one and the row the only
        one waiting for it; of two options waiting (提供を行っている, 移転を行っている), the one whose
        frame lost its opening half takes a number that kept it (``( 22`` + ``提供を行っている ) 件``)."""
        pages = {id(p): n for n, page in enumerate(self.region.pages) for p in page}
        page_of_line = {p.line: pages[id(p)] for page in self.region.pages for p in page}
        numbers: dict[int, list[Piece]] = {}
        for page_number, page in enumerate(self.region.pages):
            numbers[page_number] = [p for p in page if p.kind == COUNT and not p.used and re.search(r"\d", p.text)]
        for placed in self.result.placed:
            if not placed.row.count:
                continue
            page = page_of_line.get(placed.line)
            found = numbers.get(page, [])
            if placed.row.kind == "choice" and placed.value == placed.row.options[0] and len(found) == 1:
                placed.count = re.search(r"\d+", found[0].text).group(0)
                placed.confidence = min(placed.confidence, TYPED)
                found[0].used = True
                found.clear()
            elif placed.row.kind == "ticks" and placed.marks:
                self._tick_count(placed, found)

    def _details(self) -> None:
        """A ``( 市民税課、市民課 )`` printed apart from its option (above its checkbox line): on a page
        with one such detail and one ticked option that takes a detail (the document prints it with
        one elsewhere) but shows none, the detail is that option's (`TYPED`)."""
        for page in self.region.pages:
            details = [p for p in page if p.kind == FREE and not p.used and _LONE_DETAIL.match(p.text)]
            if len(details) != 1:
                continue
            lines = {p.line for p in page}
            waiting = [(placed, option) for placed in self.result.placed if placed.marks and placed.line in lines
                       for option, mark in placed.marks.items()
                       if mark.ticked and not mark.detail and option in self.region.detail_options]
            if len(waiting) != 1:
                continue
            placed, option = waiting[0]
            mark = placed.marks[option]
            placed.marks[option] = TornMark(option, mark.ticked, min(mark.confidence, TYPED),
                                            _LONE_DETAIL.match(details[0].text).group(1).strip())
            details[0].used = True

    def _tick_count(self, placed: Placed, found: list[Piece]) -> None:
        opening = [p for p in found if re.fullmatch(r"\(\s*\d{1,4}", p.text.strip())]
        pieces = [p for page in self.region.pages for p in page if p.kind == MARKS_KIND]
        waiting = [option for option, mark in placed.marks.items() if not mark.detail and mark.ticked is not False
                   and any(re.search(re.escape(option) + r"\s*\)\s*件", p.text) for p in pieces)]
        if len(opening) == 1 and len(waiting) == 1:
            option = waiting[0]
            mark = placed.marks[option]
            number = re.search(r"\d+", opening[0].text).group(0)
            # a count written for the option says it is ticked
            placed.marks[option] = TornMark(option, True if mark.ticked is None else mark.ticked,
                                            min(mark.confidence or TYPED, TYPED), number)
            opening[0].used = True
            found.remove(opening[0])

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

    def _columns(self, page: list[Piece], slots: list[Slot]):
        """Labels printed as one column and their values as the next (a form laid out in cells, its
        text taken column by column): a paragraph of two or more bare labels (``①事務の名称`` /
        ``②事務の内容``), then the paragraph(s) of their values in the same order. A one-line value
        (a name, a date) takes one line; a text takes the rest of its paragraph; a choice or checkbox
        value standing next in the run is its label's. Placed by order only (`ADJACENT`); a run
        whose values do not line up with its labels is left to the other rules."""
        by_piece = {id(slot.piece): slot for slot in slots}
        found = []
        index = 0
        while index < len(page):
            run, end = self._label_run(page, index, by_piece)
            if len([p for p in run if p.kind == LABEL or (p.kind == BLOCK and not p.extra.get("vertical"))]) < 2:
                index = max(end, index + 1)
                continue
            found += self._pair_column(run, page[end:], by_piece)
            index = end
        return found

    def _label_run(self, page: list[Piece], index: int, by_piece) -> tuple[list[Piece], int]:
        """The pieces of one label column starting at `index`: bare labels, sub-section headings
        and block headers of one paragraph (consecutive lines); a paragraph opening the next
        sub-section (``6. 評価実施機関における担当部署`` / ``①部署`` …) continues the column, and so
        does any label paragraph when the text was taken column by column (`Region.columns`)."""
        run: list[Piece] = []
        end = index
        while end < len(page):
            piece = page[end]
            bare_label = piece.kind == LABEL and id(piece) in by_piece and not piece.used
            header = piece.kind == BLOCK and not piece.value
            if not (bare_label or piece.kind == SUBHEADING or header):
                break
            if run and piece.line != run[-1].paragraph.lines[-1].number + 1 and piece.kind != SUBHEADING \
                    and not self.region.columns:
                break  # one column is one paragraph, or paragraphs cut at the form's sub-sections
            run.append(piece)
            end += 1
        return run, end

    def _pair_column(self, run: list[Piece], stream: list[Piece], by_piece):
        """Pair the labels of one column with the value column that follows it. Option lists
        printed among the values (``<選択肢>`` / ``1) 実施する``) are skipped; a first paragraph too
        long for the first one-line value is another row's, and is left."""
        found, consumed = [], []
        cursor, line_at, skipped = 0, 0, False
        takes = [p for p in run if (p.kind == LABEL and p.rows[0].kind in ("line", "org", "date", "text", "names"))
                 or (p.kind == BLOCK and p.block in self.result.blocks and p.block not in self.result.titles
                     and not p.extra.get("vertical"))]  # a header printed vertically has no title beside it

        def current() -> tuple[Piece | None, list]:
            nonlocal cursor, line_at
            while cursor < len(stream):
                piece = stream[cursor]
                if piece.kind == FURNITURE or (piece.kind == MARKS_KIND and line_at == 0 and not ticks_next) or (
                        piece.kind == CHOICE and piece.value not in run_options):
                    cursor, line_at = cursor + 1, 0  # an option list, marks or a choice left for their label
                    continue
                lines = piece.paragraph.lines[line_at:]
                while lines and (is_option_line(lines[0].text) or _VERSION_LABEL.match(lines[0].text)) \
                        and piece.kind in (FREE, ORG, DATE):
                    lines, line_at = lines[1:], line_at + 1
                if not lines:
                    cursor, line_at = cursor + 1, 0
                    continue
                return piece, lines
            return None, []

        ticks_next = False
        run_options = {o for p in run if p.kind == LABEL and p.rows[0].kind == "choice" for o in p.rows[0].options}
        for number, piece in enumerate(run):
            ticks_next = piece.kind == LABEL and piece.rows[0].kind == "ticks"
            value, lines = current()
            if value is None or value.used:
                break
            if ticks_next:
                # Marks heading the value column are this checkbox group's (``[ ○ ] 提供を行っている``).
                options = piece.rows[0].options
                marked = []
                if value.kind in (FREE, MARKS_KIND) and lines[0].text[:1] in MARKS + "[":
                    # The longest run of lines that is marks of this group (an option may wrap).
                    marked = next((lines[:k] for k in range(len(lines), 0, -1)
                                   if is_marks(join_lines(lines[:k]), options)), [])
                if marked:
                    marks = merge(read_torn(join_lines(marked), options))
                    capped = {o: TornMark(m.option, m.ticked, min(m.confidence, ACCOUNTED), m.detail)
                              for o, m in marks.items()}
                    found.append((by_piece[id(piece)], piece.rows[0], "", marked[0].number, READ, capped))
                    piece.used = True
                    consumed.append(value)
                    line_at = value.paragraph.lines.index(marked[-1]) + 1
                    if line_at >= len(value.paragraph.lines):
                        cursor, line_at = cursor + 1, 0
                continue
            if piece.kind == LABEL and piece.rows[0].kind == "choice":
                if value.kind == CHOICE and line_at == 0 and value.value in piece.rows[0].options:
                    value.used = piece.used = True
                    found.append((by_piece[id(piece)], piece.rows[0], value.value, value.line, ADJACENT, None))
                    cursor, line_at = cursor + 1, 0
                continue
            if piece not in takes:
                continue
            one_line = piece.kind == BLOCK or piece.rows[0].kind not in ("text", "names")
            if one_line and value.kind in (FREE, ORG, DATE) and not consumed and not skipped and (
                    len(lines[0].text) > MAX_LINE_VALUE or "。" in lines[0].text):
                skipped, cursor, line_at = True, cursor + 1, 0
                value, lines = current()
                if value is None or value.used:
                    break
            if value.kind not in (FREE, ORG, DATE):
                break
            if one_line and len(lines[0].text) > MAX_LINE_VALUE:
                break
            kind = "block" if piece.kind == BLOCK else piece.rows[0].kind
            if (kind == "date" and not is_date(lines[0].text)) or lines[0].text[:1] in MARKS + "[":
                continue  # not this label's value: the label stays empty, the line waits for the next
            later = [p for p in takes if run.index(p) > number]
            following = next((p for p in stream[cursor + 1:] if p.kind not in (FURNITURE, MARKS_KIND)), None)
            alone = following is None or following.kind not in (FREE, ORG, DATE) or following.used
            # A text with the other values after it in the same paragraph (no value paragraph
            # follows): one line each when the lines left are as many as the values left.
            taken = lines[:1] if one_line or (later and alone and len(lines) <= len(later) + 1) else lines
            if not one_line and later and alone and len(lines) > len(later) + 1 and all(
                    p.kind == BLOCK or p.rows[0].kind not in ("text", "names") for p in later):
                taken = lines[:len(lines) - len(later)]  # the one-line values after it close the paragraph
            if not one_line:
                # A text ends where marks begin, or before a date a later label of the column holds.
                dated = any(p.kind == LABEL and p.rows[0].kind == "date" for p in later)
                end = next((i for i, line in enumerate(taken) if i and (line.text[:1] in MARKS + "[" or (
                    dated and is_date(line.text)))), len(taken))
                taken = taken[:end]
            consumed.append(value)
            if piece.kind == BLOCK:
                self.result.titles[piece.block] = (taken[0].text, ADJACENT)
            else:
                found.append((by_piece[id(piece)], piece.rows[0], join_lines(taken), taken[0].number, ADJACENT, None))
                piece.used = True
            line_at = value.paragraph.lines.index(taken[-1]) + 1
            if line_at >= len(value.paragraph.lines):
                cursor, line_at = cursor + 1, 0
        for value in consumed:
            value.used = True
        if consumed and line_at and cursor < len(stream) and stream[cursor] is consumed[-1]:
            rest = consumed[-1].paragraph.lines[line_at:]
            self.result.unresolved.append((rest[0].number, join_lines(rest)))
        return found

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
            if row.kind not in ("text", "line", "names"):
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
        """Torn marks go to the only checkbox label on the page whose options they name, or, when
        several labels name them, to the label printed right before them."""
        groups = [s for s in slots if s.piece.rows[0].kind == "ticks"]
        collected: dict[int, list[TornMark]] = {}
        for piece in page:
            if piece.kind != MARKS_KIND or piece.used:
                continue
            readers = [s for s in groups if is_marks(piece.text, s.piece.rows[0].options)]
            before = _previous(page, piece)
            if len(readers) > 1 and before is not None:
                # Several groups name these options (③他のシステムとの接続 of each システムN, ⑥提供方法
                # of each 提供先N): the marks printed right after one of their labels are that label's.
                readers = [s for s in readers if s.piece is before]
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
    unwrapped = unwrap_option(text)
    found = exact_option(re.sub(r"<選択肢>.*$", "", unwrapped), options)
    bracket = re.match(r"^\s*(\[[^\[\]]+\])\s*\d\)", unwrapped) if found is None and unwrapped != text else None
    return exact_option(bracket.group(1), options) if bracket else found


def unwrap_option(text: str) -> str:
    """An option wrapped in its cell around the ``<選択肢>`` beside it: ``[ 基礎項目評価及び重点項目評
    <選択肢>価の実施が義務付けられる ]`` → ``[ 基礎項目評価及び重点項目評価の実施が義務付けられる ]``."""
    return re.sub(r"(\[[^\[\]]*?)\s*<選択肢>\s*([^\[\]<]*\])", r"\1\2", text)


def _first_item(piece: Piece) -> tuple[str, str]:
    """A one-line value (a name) from a label paragraph, and the note after it: the name runs up to
    the first line that starts a note (``(※)…``)."""
    text = piece.inline
    for line in piece.paragraph.lines[1:]:
        position = text.find(line.text)
        if re.match(r"^[(※]", line.text) and position > 0:
            return text[:position].strip(), text[position:].strip()
    return text, ""
