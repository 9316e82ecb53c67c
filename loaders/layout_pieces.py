"""Paragraphs of layout-lost text → pieces of the form, and pages → the report's regions.

Each paragraph is read for what it is, independently of where it stands: a section heading
(``Ⅱ 特定個人情報ファイルの概要``), a numbered sub-section heading, a block header (``委託事項2``),
a label (``③委託先名``, perhaps with its value in the same paragraph), a value recognisable by its
shape (an option of a closed choice, a body's name, a date, torn checkbox marks) or free text.
Form furniture — option lists (``＜選択肢＞ 1) …``), lone brackets, the vertical ``再/委/託`` — is
recognised so that it is neither mistaken for a value nor reported as unplaced text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.fields import label_key, text_after_label
from loaders.forms import DEFAULT_FORM, Form, load_form
from loaders.layout_form import Row, circled_number, group_labels, rows
from loaders.layout_marks import find_options
from loaders.marks import exact_option
from loaders.normalise import MARKS, Line, normalise_cell
from loaders.pages import Paragraph
from loaders.segment import block_header, subsection_part, top_level_key

# Kinds of piece.
HEADING, SUBHEADING, BLOCK, PLACEHOLDER, LABEL = "heading", "subheading", "block", "placeholder", "label"
CHOICE, MARKS_KIND, ORG, DATE, NAMES, FREE, FURNITURE, TORN, COUNT = (
    "choice", "marks", "org", "date", "names", "free", "furniture", "torn", "count")

_BREAK_BEFORE = re.compile(r"^(?:[・※【<(\[☑☐▢◉○〇■□◆●*]|\d{1,2}[).\s]|\(\d{1,2}\)|[ア-ン][\s.])")
_OPTION_LINE = re.compile(r"^(?:\[?\s*\]?\s*)?(?:\d\)\s*\S.*|<選択肢>)$")
_LONE_MARK = re.compile(rf"^[\[\]\s(){MARKS}]*(?:件)?$")
# A count torn from its option (``( 22``, ``6``, ``( 2 ) 件``): which option it counts is lost.
_COUNT = re.compile(r"^\(?\s*\d{1,4}\s*\)?\s*件?$")
_TORN_TICK = re.compile(r"^[\[\]\s]*[○〇][\[\]\s○〇]*$")
_ORG = re.compile(
    r"(?:株式会社|有限会社|合同会社|\((?:株|有)\)|法人|連合会|基金|機構|協会|組合|事業団|公社|財団|センター|会社|"
    r"市長|町長|村長|区長|知事|大臣|委員会|広域連合|長)$|^(?:株式会社|有限会社|\((?:株|有)\))")
_DATE = re.compile(r"^(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$")
_FILE_LIST_LINE = re.compile(r"^(?:\(\d{1,2}\)\s*)?[^\s。、]{1,40}ファイル$")
_NUMBER_TITLE = re.compile(r"^(\d{1,4})\s+(\S.*)$")
_FORM_TYPE = re.compile(r"\((?:基礎項目|重点項目|全項目)評価書\)")
MAX_NAME_CHARS = 40
CIRCLED = "".join(chr(0x2460 + n) for n in range(20))  # ①…⑳ (the raw text keeps them)


def is_date(text: str) -> bool:
    """A date as the form prints one (``令和7年2月14日``, ``2025/2/14``)."""
    return bool(_DATE.match(text.strip()))


def is_option_line(text: str) -> bool:
    """A line of a printed option list (``<選択肢>``, ``1) 実施する``)."""
    return bool(_OPTION_LINE.match(text))


def join_texts(texts: list[str]) -> str:
    """Wrapped lines of one cell as one text: wrapped lines are glued (Japanese has no spaces), a
    new bullet, numbered item or checkbox starts after a space."""
    text = ""
    for piece in texts:
        if text and _BREAK_BEFORE.match(piece):
            text += " "
        text += piece
    return text.strip()


def join_lines(lines: list[Line]) -> str:
    return join_texts([line.text for line in lines])


@dataclass
class Piece:
    """One paragraph, read for what it is."""

    paragraph: Paragraph
    kind: str
    text: str
    rows: tuple[Row, ...] = ()  # a label: the rows it can head (several when the form repeats a label)
    inline: str = ""  # a label: the value standing in the same paragraph
    value: str | None = None  # a choice: the option; a block header: its title
    block: tuple[str, int] | None = None  # a block header: (kind, number)
    part: int | None = None  # a sub-section heading: its number
    used: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.paragraph.first

    @property
    def page(self) -> int:
        return self.paragraph.page

    @property
    def raw(self) -> str:
        return self.paragraph.lines[0].raw


@dataclass
class Region:
    """A part of the report: the cover, I, one file's II / 別添1 / III, IV, V or 別添2."""

    key: str
    occurrence: int  # 0-based count of this key so far (II, 別添1 and III repeat per file)
    heading: "Piece | None" = None
    pages: list[list[Piece]] = field(default_factory=list)
    form: Form = field(default_factory=lambda: load_form(DEFAULT_FORM))
    file_heading_seen: bool = False  # a ``1. 特定個人情報ファイル名`` heading was seen in the region
    columns: bool = False  # the text keeps the form's label column apart from its values (`in_columns`)
    detail_options: frozenset[str] = frozenset()  # options the document prints with a ( … ) detail

    @property
    def role(self) -> str:
        section = self.form.section(self.key)
        return section.role if section else self.key

    def pieces(self) -> list[Piece]:
        return [piece for page in self.pages for piece in page]


# -- section headings and regions ----------------------------------------------------------------------


def heading_key(paragraph: Paragraph, form: Form | None = None) -> str | None:
    """The section a paragraph heads. A heading stands alone on its line (a note ``※(…)`` may follow
    it); ``II 特定個人情報ファイルの概要 4. …`` is the item of a 別添2 row, not a heading."""
    form = form or load_form(DEFAULT_FORM)
    line = paragraph.lines[0]
    key = top_level_key(line, form) if len(paragraph.lines) <= 2 else None
    if key is None:
        return None
    section = form.section(key)
    words = section.words
    rest = line.text[line.text.find(words) + len(words):].strip()
    if section.heading_rest is not None:
        rest = section.heading_rest.sub("", rest).strip()
    if section.role in ("records", "changes", "affair-content"):
        rest = ""  # the annexes' titles vary (特定個人情報ファイル記録項目, 変更箇所)
    return key if not rest or rest[0] in "※(" else None


def _is_contents(page: list[Paragraph], form: Form) -> bool:
    """The table of contents (項目一覧): a page naming it, or a page of section headings only."""
    if any(paragraph.lines[0].text == "項目一覧" for paragraph in page):
        return True
    headings = {heading_key(paragraph, form) for paragraph in page} - {None}
    return len(headings) >= 3 and sum(bool(heading_key(p, form)) for p in page) * 2 >= len(page)


def _follows(key: str, current: str, form: Form) -> bool:
    """Whether a heading can come next in the form: sections go forward, the per-file sections (II,
    別添1, III of 様式3) repeat per file, and some conversions put the record annex (別添1) after V. A
    heading going backwards is a reference or a table of contents entry (``Ⅲ リスク対策`` as the item
    of a 別添2 row), not a section."""
    order = form.order
    if order[key] > order[current]:
        return True
    section, now = form.section(key), form.section(current)
    return (section.per_file and now is not None and now.per_file and key != current) or (
        section.floating and current != "cover")


def _split_at_headings(page: list[Paragraph], form: Form) -> list[Paragraph]:
    """A section heading inside a paragraph starts a paragraph of its own: some extractors put a
    heading and the labels below it in one block (``I 基本情報`` / ``1. …`` / ``①事務の名称``)."""
    split: list[Paragraph] = []
    for paragraph in page:
        cuts = [i for i, line in enumerate(paragraph.lines) if i and top_level_key(line, form)]
        cuts = sorted({0, *cuts, *(i + 1 for i in cuts if i + 1 < len(paragraph.lines))})
        if len(paragraph.lines) > 1 and top_level_key(paragraph.lines[0], form):
            cuts = sorted({*cuts, 1})
        split += [Paragraph(paragraph.lines[a:b], paragraph.page)
                  for a, b in zip(cuts, [*cuts[1:], len(paragraph.lines)])]
    return split


def regions(pages: list[list[Paragraph]], form: Form | None = None) -> list[Region]:
    """Cut the pages into regions at the section headings; the table of contents is skipped.

    A heading takes its whole page (the form starts each section on a new page, and within a page
    the text may stand in any order); a page with two headings is cut between them in text order.
    """
    form = form or load_form(DEFAULT_FORM)
    found: list[Region] = [Region("cover", 0, form=form)]
    counts: dict[str, int] = {}
    for page in pages:
        page = _split_at_headings(page, form)
        starts, current = [], found[-1].key
        if not _is_contents(page, form):
            for index, paragraph in enumerate(page):
                key = heading_key(paragraph, form)
                if key and _follows(key, current, form):
                    starts.append((index, key))
                    current = key
        cuts = [0] + [i for i, _ in starts[1:]] + [len(page)]
        if starts and starts[0][0] and _continues(page[:starts[0][0]], found[-1].key, starts[0][1], form):
            # The rows before the heading are the previous section's, run over onto this page.
            _add_page(found, page[:starts[0][0]], counts, form)
            cuts[0] = starts[0][0]
        if not starts:
            _add_page(found, page, counts, form)
            continue
        for (_, key), begin, end in zip(starts, cuts, cuts[1:]):
            region = Region(key, counts.get(key, 0), form=form)
            counts[key] = region.occurrence + 1
            found.append(region)
            _add_page(found, page[begin:end], counts, form)
    return found


def _part_heading(paragraph: Paragraph, key: str, form: Form) -> int | None:
    """The part a paragraph's first line heads in section `key` (``1. 特定個人情報ファイル名``)."""
    line = paragraph.lines[0]
    found = subsection_part(Line(line.number, line.text, (line.text,)), form.section(key))
    return found[1].number if found else None


def _split_at_file_names(paragraphs: list[Paragraph], key: str, form: Form) -> list[Paragraph]:
    """A ``1. 特定個人情報ファイル名`` line inside a paragraph starts a paragraph of its own."""
    split: list[Paragraph] = []
    for paragraph in paragraphs:
        cuts = [i for i, line in enumerate(paragraph.lines)
                if i and _part_heading(Paragraph([line], paragraph.page), key, form) == 1]
        bounds = [0, *cuts, len(paragraph.lines)]
        split += [Paragraph(paragraph.lines[a:b], paragraph.page) for a, b in zip(bounds, bounds[1:])]
    return split


def _continues(paragraphs: list[Paragraph], current: str, new: str, form: Form) -> bool:
    """Whether the text before a heading on its page belongs to the section before it: it holds
    sub-section headings of that section (the cover: its labels) and none of the new one's (a form
    printed in reading order, its sections running on without a page break)."""
    if current == "cover":
        cover = rows(form).get("cover", [])
        return any(match_label(line.text, cover) for p in paragraphs for line in p.lines) and not any(
            _part_heading(p, new, form) is not None for p in paragraphs)
    lines = [Paragraph([line], p.page) for p in paragraphs for line in p.lines]
    ours = [p for p in lines if _part_heading(p, current, form) is not None]
    theirs = [p for p in lines if _part_heading(p, new, form) is not None]
    return bool(ours) and not theirs


def _add_page(found: list[Region], paragraphs: list[Paragraph], counts: dict[str, int], form: Form) -> None:
    """Add a page's paragraphs to the current region. In a section the form repeats per file (II and
    III of 様式4, printed under one heading), a second ``1. 特定個人情報ファイル名`` starts the
    next file's region."""
    region = found[-1]
    section = form.section(region.key)
    if section is None or not section.per_file:
        region.pages.append(list(paragraphs))
        return
    page: list[Paragraph] = []
    for paragraph in _split_at_file_names(paragraphs, region.key, form):
        if _part_heading(paragraph, region.key, form) == 1 and region.file_heading_seen:
            if page:
                region.pages.append(page)
            region = Region(region.key, counts.get(region.key, 0), form=form)
            counts[region.key] = region.occurrence + 1
            found.append(region)
            page = []
        if _part_heading(paragraph, region.key, form) == 1:
            region.file_heading_seen = True
        page.append(paragraph)
    region.pages.append(page)


# -- pieces ------------------------------------------------------------------------------------------
def match_label(text: str, candidates: list[Row]) -> tuple[tuple[Row, ...], str] | None:
    """The rows a paragraph's label can head, and the text after the label."""
    key = label_key(text)
    if not key:
        return None
    matching = [row for row in candidates if key.startswith(row.key)]
    if not matching:
        return None
    longest = max(len(row.key) for row in matching)
    matching = [row for row in matching if len(row.key) == longest]
    number = circled_number(text)
    if number is not None:
        # A circled number is part of the label: ②その妥当性 inside a value is not the row その妥当性.
        matching = [row for row in matching if row.number == number]
    elif any(row.number is None for row in matching):
        matching = [row for row in matching if row.number is None]
    if not matching:
        return None
    return tuple(matching), text_after_label(text, matching[0].label).strip()


def _choice_value(lines: list[Line], options: list[str]) -> str | None:
    """The option a paragraph selects: ``[ 10人以上50人未満 ]``, ``再委託する ]``, possibly followed
    by the option list itself."""
    head = []
    for line in lines:
        if re.match(r"^\d\)", line.text) or line.text == "<選択肢>":
            break
        head.append(line.text)
    if len(head) != 1:
        return _wrapped_choice(lines, options)
    return exact_option(head[0], options) or _wrapped_choice(lines, options)


def _wrapped_choice(lines: list[Line], options: list[str]) -> str | None:
    """An option wrapped over the lines of its cell, the option list printed beside it: ``[ 基礎項目評価
    及び全項目 <選択肢>`` / ``評価の実施が義務付けられ 1) 基礎項目評価及び…`` / ``る ]`` → the
    fragments before the list, up to the closing bracket."""
    if not lines[0].text.startswith("[") or "]" in lines[0].text:
        return None
    fragments = []
    for line in lines[:4]:
        fragment = re.split(r"\s*(?:<選択肢>|(?<!\S)\d\)\s)", line.text)[0]
        fragments.append(fragment)
        if "]" in fragment:
            return exact_option("".join(fragments).split("]")[0], options)
    return None


def _is_furniture(lines: list[Line], group_chars: set[str]) -> bool:
    texts = [line.text for line in lines]
    if all(_LONE_MARK.match(t) and not _TORN_TICK.match(t) for t in texts):
        return True
    if len(texts) == 1 and len(texts[0]) == 1 and texts[0] in group_chars:
        return True  # a character of a label printed vertically (再/委/託)
    return all(_OPTION_LINE.match(t) or _LONE_MARK.match(t) for t in texts) and any(
        re.match(r"^(?:\[?\s*\]?\s*)?(?:\d\)|<選択肢>)", t) for t in texts)


_WRAPPED = re.compile(r"^(?P<label>[^\[\]]+?)\s*(?P<value>\[[^\[\]]*\]?)\s*$")


def unwrap_label(lines: list[Line], candidates: list[Row]) -> str | None:
    """A label wrapped in its narrow cell with its value printed beside the first line:
    ``評価対象の事務の対象人数は何 [ 10万人以上30万人未満 ]`` / ``人か`` → ``評価対象の事務の対象人数は何人か
    [ 10万人以上30万人未満 ]``. Kept only when the unwrapped text starts with one of the section's
    labels; the lines after the label (an option list, a note) follow."""
    match = _WRAPPED.match(lines[0].text)
    if not match or len(lines) < 2:
        return None
    label, rest, best = match.group("label"), 1, None
    while rest < len(lines) and rest <= 4 and not re.search(r"[\[\]<]", lines[rest].text) \
            and not _OPTION_LINE.match(lines[rest].text) and len(lines[rest].text) <= 20:
        label, rest = label + lines[rest].text, rest + 1
        found = match_label(label, candidates)
        if found and not found[1]:
            best = (label, rest)  # the longest wrap that is exactly a label
    if best is None:
        return None
    label, rest = best
    return join_texts([label + " " + match.group("value")] + [line.text for line in lines[rest:]])


def is_marks(text: str, options: tuple[str, ...]) -> bool:
    """Torn checkbox marks: options with marks, brackets and ``( … )`` details, nothing else."""
    found = find_options(text, options)
    if not found:
        return False
    between, position = [], 0
    for start, end, _ in found:
        between.append(text[position:start])
        position = end
    between.append(text[position:])
    lead, rest = between[0], re.sub(r"\([^()]*\)?", "", "".join(between[1:]))
    noise = rf"[\s\[\]{MARKS}○〇()件\d,]"
    return not re.sub(noise, "", lead) and not re.sub(noise, "", rest)


class Reader:
    """Reads the paragraphs of one region into pieces, with the section's rows and options."""

    def __init__(self, section: str, form: Form | None = None):
        self.form = form or load_form(DEFAULT_FORM)
        self.section = section
        self.rows = rows(self.form).get(section, [])
        self.choice_options = sorted({o for row in self.rows if row.kind == "choice" for o in row.options})
        self.tick_options = tuple(sorted({o for row in self.rows if row.kind == "ticks" for o in row.options}))
        self.group_labels = group_labels(self.form)
        self.group_chars = {char for label in self.group_labels for char in label}

    def pieces(self, paragraph: Paragraph) -> list[Piece]:
        """The paragraph's pieces: a paragraph that runs a label, a block header or a heading into
        the text before it (``☑ 宛名システム等 [`` + ``③他のシステムとの接続``) is cut there, and so
        is a selected option printed under an option list (``<選択肢>`` / ``[ 行っている``): it
        stands alone."""
        lines = paragraph.lines
        listed = any(_OPTION_LINE.match(line.text) for line in lines)
        chosen = {i for i, line in enumerate(lines) if self._selected(line, listed)}
        starts = [0] + [i for i, line in enumerate(lines)
                        if i and (self._starts_piece(line) or self._starts_wrapped(lines[i:])
                                  or self._starts_numbered(lines[i:]) or i in chosen or i - 1 in chosen)]
        return [self.piece(Paragraph(paragraph.lines[a:b], paragraph.page))
                for a, b in zip(starts, starts[1:] + [len(paragraph.lines)])]

    def _starts_piece(self, line: Line) -> bool:
        """A heading, a block header, or a label: numbered (``③委託先名…``) or alone on its line."""
        if top_level_key(line, self.form) or block_header(line, self.form) or self._subsection(line) is not None:
            return True
        matched = match_label(line.text, self.rows)
        return bool(matched) and (circled_number(line.text) is not None
                                  or not re.sub(rf"[\s※\[\]{MARKS}]", "", matched[1]))

    def _label_after_value(self, paragraph: Paragraph) -> tuple[tuple[Row, ...], str] | None:
        """A one-line cell whose value the extractor put before its numbered label, on the same
        baseline (``平成27年10月5日 ⑤保有開始日``): the rows of the label, and the value."""
        if len(paragraph.lines) != 1:
            return None
        raw = paragraph.lines[0].raw.strip()
        found = re.search(rf"\s([{CIRCLED}])", raw)
        if not found:
            return None
        value = normalise_cell(raw[:found.start()])
        label = normalise_cell(raw[found.start(1):])
        matched = match_label(label, self.rows)
        if not matched or matched[1] or not value or re.sub(rf"[\s\[\]{MARKS}]", "", value) == "":
            return None
        return matched[0], value

    def _selected(self, line: Line, listed: bool = False) -> bool:
        """A line that is one selected option: in brackets (``[ 行っている``, ``[ 十分である ]``), or
        bare among the lines of an option list (``1) 発生あり`` / ``発生なし``)."""
        if not (line.text.startswith("[") or (listed and not _OPTION_LINE.match(line.text))):
            return False
        return exact_option(line.text, self.choice_options) is not None

    def _starts_numbered(self, lines: list[Line]) -> bool:
        """A numbered label wrapped over the next lines of its cell (``②過去3年以内に、評価実施`` /
        ``機関において、…`` / ``する重大事故が発生したか``): the lines joined are exactly the label."""
        if lines[0].raw.strip()[:1] not in CIRCLED:
            return False
        for end in range(2, min(len(lines), 4) + 1):
            found = match_label(join_lines(lines[:end]), self.rows)
            if found and not found[1]:
                return True
        return False

    def _starts_wrapped(self, lines: list[Line]) -> bool:
        """A label wrapped in its cell, its value beside its first line (`unwrap_label`)."""
        return unwrap_label(lines, self.rows) is not None

    def piece(self, paragraph: Paragraph) -> Piece:
        text = unwrap_label(paragraph.lines, self.rows) or join_lines(paragraph.lines)
        first = paragraph.lines[0]
        if top_level_key(first, self.form):
            return Piece(paragraph, HEADING, text)
        header = block_header(first, self.form) if len(first.cells) == 1 else None
        vertical = None
        if header is None and len(paragraph.lines) >= 3 and all(len(line.text) <= 2 for line in paragraph.lines):
            # A block header printed vertically in a narrow cell (シ/ス/テ/ム/1): no title.
            vertical = block_header(Line(first.number, "".join(paragraph.texts), (text,)), self.form)
            header = vertical if vertical and not vertical[3] else None
        if header:
            kind, number, last, title = header
            if last is not None:
                return Piece(paragraph, PLACEHOLDER, text, block=(kind, number))
            rest = "" if vertical else " ".join([title] + [line.text for line in paragraph.lines[1:]]).strip()
            if vertical:
                return Piece(paragraph, BLOCK, text, value=None, block=(kind, number), extra={"vertical": True})
            return Piece(paragraph, BLOCK, text, value=rest or None, block=(kind, number))
        part = self._subsection(Line(first.number, text, (text,)))
        if part is not None:
            return Piece(paragraph, SUBHEADING, text, part=part)
        matched = match_label(text, self.rows)
        if matched:
            found_rows, rest = matched
            return Piece(paragraph, LABEL, text, rows=found_rows, inline=rest)
        after = self._label_after_value(paragraph)
        if after:
            found_rows, value = after
            return Piece(paragraph, LABEL, text, rows=found_rows, inline=value, extra={"value_first": True})
        if label_key(text) in {label_key(g) for g in self.group_labels}:
            return Piece(paragraph, FURNITURE, text)
        if _is_furniture(paragraph.lines, self.group_chars):
            return Piece(paragraph, FURNITURE, text)
        if all(_TORN_TICK.match(line.text) or _LONE_MARK.match(line.text) for line in paragraph.lines):
            return Piece(paragraph, TORN, text)
        if _COUNT.match(text):
            return Piece(paragraph, COUNT, text)
        value = _choice_value(paragraph.lines, self.choice_options)
        if value:
            return Piece(paragraph, CHOICE, text, value=value)
        if self.tick_options and is_marks(text, self.tick_options):
            return Piece(paragraph, MARKS_KIND, text)
        if all(_FILE_LIST_LINE.match(line.text) for line in paragraph.lines):
            return Piece(paragraph, NAMES, text)
        if _DATE.match(text):
            return Piece(paragraph, DATE, text, value=text)
        name = first.text
        if len(name) <= MAX_NAME_CHARS and "。" not in name and _ORG.search(name):
            return Piece(paragraph, ORG, text, value=name)
        return Piece(paragraph, FREE, text)

    def _subsection(self, line: Line) -> int | None:
        """The part a ``N. <title>`` heading opens (its number in the form)."""
        found = subsection_part(Line(line.number, line.text, (line.text,)), self.form.section(self.section))
        return found[1].number if found else None


def read_region(region: Region) -> None:
    """Turn the region's paragraphs into pieces, in place."""
    reader = Reader(region.key, region.form)
    region.pages = [[piece for p in page for piece in ([p] if isinstance(p, Piece) else reader.pieces(p))]
                    for page in region.pages]
    region.heading = next((piece for piece in region.pieces() if piece.kind == HEADING), None)


def in_columns(regions: list[Region]) -> bool:
    """Whether the extractor took the form column by column: labels stand stacked, one per line,
    with no value between them (``①事務の名称`` / ``②事務の内容``), as text taken from the PPC
    Excel form printed to PDF does; seed 001's extractor keeps each label beside its value and never
    stacks two. Two stacked pairs or more decide it."""
    pieces = [piece for region in regions for piece in region.pieces()]
    stacked = sum(1 for a, b in zip(pieces, pieces[1:])
                  if a.kind == LABEL and b.kind == LABEL and not a.inline.strip() and not b.inline.strip()
                  and b.line == a.paragraph.lines[-1].number + 1)
    return stacked >= 2


def detail_options(regions: list[Region]) -> frozenset[str]:
    """The checkbox options this document prints with a ``( … )`` beside them (その他, 評価実施機関内の
    他部署 …): the ones a detail printed apart can belong to."""
    options = {o for section_rows in rows(regions[0].form).values() for row in section_rows
               if row.kind == "ticks" for o in row.options} if regions else set()
    found = set()
    for piece in (p for region in regions for p in region.pieces()):
        for start, end, option in find_options(piece.text, tuple(options)):
            if re.match(r"\s*\(", piece.text[end:]):
                found.add(option)
    return frozenset(found)


def is_form_text(text: str, form: Form | None = None) -> bool:
    """Text the form itself prints on many pages (labels, option lists, marks): never page furniture."""
    if _LONE_MARK.match(text) or _TORN_TICK.match(text) or _OPTION_LINE.match(text):
        return True
    if re.search(rf"[\[\]{MARKS}]", text):
        return True
    return any(match_label(text, section_rows) for section_rows in rows(form).values())


def number_and_title(text: str) -> tuple[str, str] | None:
    match = _NUMBER_TITLE.match(text)
    return (match.group(1), match.group(2)) if match else None


def is_form_type(text: str) -> bool:
    return bool(_FORM_TYPE.search(text))
