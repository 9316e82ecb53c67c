"""The three PIA forms as data: 様式2 基礎項目評価書, 様式3 重点項目評価書, 様式4 全項目評価書.

Each form is one TOML file here (``form2.toml`` …): its sections with their headings, the numbered
parts of each section, every row (field) with its label, the wordings other editions use, the kind
of value and the options of a closed choice, the repeated blocks (システムN, 委託事項N, 提供先N,
移転先N), the rated rows of the risk sections, and the editions of the form. TOML because it is in
the standard library (``tomllib``), takes comments (the form's quirks are explained next to the
rows) and has no implicit typing (YAML reads ``NO`` as false and ``3.10`` as a number).

Everything that reads a report follows this description — `loaders.segment` (headings),
`loaders.extract` (rows), `loaders.layout*` (placing values in layout-lost text) — and so do the
per-form completeness rules (`piagraph.validation`) and the app's report view
(`piagraph.views.report_sections`). The closed choices stay SKOS concepts in
``ontology/vocabularies.ttl``: a field names its scheme, and `loaders.vocabulary` gives its labels.

`recognise` tells which form a report is, from its title line, its version label or, when both are
missing (text pulled out of a PDF), the headings only one form has.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

from loaders import vocabulary

FORM_FILES = {"様式2": "form2.toml", "様式3": "form3.toml", "様式4": "form4.toml"}
FORM_NAMES = {"基礎項目評価書": "様式2", "重点項目評価書": "様式3", "全項目評価書": "様式4"}
DEFAULT_FORM = "様式3"
"""What a report without title line, version label or distinctive headings is read as (seed 001)."""

_TITLE = re.compile(r"\(([^()]{2,12}評価書)\)")
_VERSION = re.compile(r"\[?\s*((?:令和|平成)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月)\s*様式\s*(\d)\s*\]?")


@dataclass(frozen=True)
class Required:
    """A completeness rule generated from the form: the rule, its Japanese message, and where the
    graph holds the value (a core term such as ``pia:numberUseBasis``; None: pia:<property>)."""

    rule: str
    message: str
    path: str | None = None


def _required(data: dict | None) -> Required | None:
    return Required(data["rule"], data["message"], data.get("path")) if data else None


@dataclass(frozen=True)
class Field:
    """One row of the form: where its value goes, its label and how its value is read."""

    label: str
    kind: str = "text"
    name: str | None = None
    term: str | None = None  # the form-specific property (TOML key ``property``): pia:<term>
    variants: tuple[str, ...] = ()
    one_line: bool = False
    number: int | None = None
    block: str | None = None
    names_block: bool = False
    scheme: str | None = None
    literal_options: tuple[str, ...] = ()
    count: bool = False
    at_heading: bool = False
    numbered_options: bool = False
    required: Required | None = None
    layout: bool = True

    @cached_property
    def options(self) -> tuple[str, ...]:
        """The option texts of a choice or checkbox group: the scheme's labels, then the listed ones."""
        scheme = tuple(vocabulary.options(self.scheme)) if self.scheme else ()
        return scheme + self.literal_options

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


MIN_CUT_TITLE = 5  # characters of a part's title before its boxes: enough to name the part


@dataclass(frozen=True)
class Rated:
    """A rated row of a risk section (``リスクへの対策は十分か``, ``ユーザ認証の管理`` …)."""

    label: str
    scheme: str | None = None
    literal_options: tuple[str, ...] = ()
    part: int | None = None
    role: str = "item"
    variants: tuple[str, ...] = ()
    detail_labels: tuple[str, ...] = ()
    number: int | None = None  # the circled number the form prints before the row (①事故発生時手順の策定・周知)

    @cached_property
    def options(self) -> tuple[str, ...]:
        scheme = tuple(vocabulary.options(self.scheme)) if self.scheme else ()
        return scheme + self.literal_options


@dataclass(frozen=True)
class Part:
    """A numbered part of a section (``4. 特定個人情報ファイルの取扱いの委託``)."""

    number: int
    keyword: str
    title: str
    role: str = "none"
    numbers: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    gap: str | None = None
    area: str | None = None
    group_labels: frozenset[str] = frozenset()
    fields: tuple[Field, ...] = ()
    keep_unresolved: bool = True
    required: Required | None = None  # a rated part: the area must be rated (PIA-R27)
    risks: tuple[str, ...] = ()  # the risks the form prints in a rated part, in order (リスク1: …)

    @property
    def all_numbers(self) -> tuple[int, ...]:
        return (self.number, *self.numbers)

    @property
    def all_keywords(self) -> tuple[str, ...]:
        return (self.keyword, *self.keywords)

    def block_fields(self, kind: str) -> list[Field]:
        return [f for f in self.fields if f.block == kind]

    @property
    def plain_fields(self) -> list[Field]:
        """The part's rows outside blocks."""
        return [f for f in self.fields if f.block is None]


@dataclass(frozen=True)
class Section:
    """A top-level section of the form (``II 特定個人情報ファイルの概要``) or an annex."""

    key: str
    role: str
    title: str
    heading: re.Pattern | None = None
    words: str = ""
    heading_rest: re.Pattern | None = None
    evidence: str = ""
    per_file: bool = False
    floating: bool = False
    parts: tuple[Part, ...] = ()
    fields: tuple[Field, ...] = ()
    rated: tuple[Rated, ...] = ()
    measures: bool = False
    file_headings: bool = False

    @property
    def where(self) -> str:
        """How evidence names the section (``別添2`` for key ``annex2``)."""
        return self.evidence or self.key

    def part(self, number: int) -> Part | None:
        return next((p for p in self.parts if p.number == number), None)

    def parts_with_role(self, role: str) -> list[Part]:
        return [p for p in self.parts if p.role == role]

    def part_for(self, number: int, title: str) -> Part | None:
        """The part a heading ``N. title`` opens: the part numbered N whose keyword is in the title,
        else a part that had number N in another edition (``8. 監査`` in 様式2 before 令和), else the
        part numbered N whose keyword the title begins — a title wrapped in its narrow cell, the
        boxes printed beside it on its first line (``6. 情報提供ネットワークシステ [ ] 接続しない(入手)``)."""
        for part in self.parts:
            if part.number == number and any(k in title for k in part.all_keywords):
                return part
        for part in self.parts:
            if number in part.numbers and any(k in title for k in part.all_keywords):
                return part
        cut = re.split(r"\s*[\[☐☑▢◉]", title, maxsplit=1)
        if len(cut) == 2:
            head = re.sub(r"\s+", "", cut[0])
            for part in self.parts:
                words = [re.sub(r"^特定個人情報(?:ファイル)?の", "", k) for k in part.all_keywords]
                if part.number == number and len(head) >= MIN_CUT_TITLE and any(
                        w.startswith(head[:len(w)]) and head.startswith(w[:len(head)]) for w in words):
                    return part
        return None

    @property
    def all_fields(self) -> list[Field]:
        return [*self.fields, *(f for part in self.parts for f in part.fields)]


@dataclass(frozen=True, eq=False)
class Form:
    """One form (様式2, 様式3 or 様式4), read from its TOML file."""

    form: str
    name: str
    versions: tuple[str, ...]
    sections: tuple[Section, ...]
    blocks: dict[str, str]
    group_labels: tuple[str, ...] = ()
    required_sections: tuple[str, ...] = ()
    distinctive_headings: tuple[str, ...] = ()
    risk_areas: dict[str, str] = field(default_factory=dict)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def with_role(self, role: str) -> Section | None:
        return next((s for s in self.sections if s.role == role), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)

    @property
    def heading_sections(self) -> list[Section]:
        """Sections that open at a heading (all but the cover), in the form's order."""
        return [s for s in self.sections if s.heading is not None]

    @property
    def order(self) -> dict[str, int]:
        return {s.key: index for index, s in enumerate(self.sections)}

    def knows_version(self, edition: str) -> bool:
        return re.sub(r"\s", "", edition) in {re.sub(r"\s", "", v) for v in self.versions}

    def ref(self, word: str) -> str:
        """How the form numbers an item, for messages: ``I-5`` in 様式3 and ``I-6`` in 様式4 for
        情報連携 — the section and number of the part whose keyword is `word` — or, when no part
        is, of the row whose label contains it (様式2 names its systems in ``I-1 ③``)."""
        for section in self.sections:
            for part in section.parts:
                if word in (part.keyword, part.area) and section.role != "risks":
                    return f"{section.key}-{part.number}"
        for section in self.sections:
            for part in section.parts:
                for row in part.fields:
                    if word in row.label and row.number:
                        return f"{section.key}-{part.number} {circled(row.number)}"
        return ""

    def row_number(self, label: str) -> str:
        """The circled number the form prints before a row (``⑧`` for 再委託の許諾方法 in 様式4)."""
        for row in (f for s in self.sections for f in s.all_fields):
            if row.label == label and row.number:
                return circled(row.number)
        return ""


def circled(number: int) -> str:
    """①…⑳ for 1…20."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else str(number)


# -- loading ---------------------------------------------------------------------------------------------


def _field(data: dict, word: tuple[str, str] | None = None) -> Field:
    label = data["label"]
    block = data.get("block")
    if word is not None:
        label = label.replace("{word}", word[1])
        block = word[0]
    return Field(
        label=label, kind=data.get("kind", "text"), name=data.get("name"), term=data.get("property"),
        variants=tuple(v.replace("{word}", word[1]) if word else v for v in data.get("variants", ())),
        one_line=data.get("one_line", False), number=data.get("number"), block=block,
        names_block=data.get("names_block", False), scheme=data.get("scheme"),
        literal_options=tuple(data.get("options", ())), count=data.get("count", False),
        at_heading=data.get("at_heading", False), numbered_options=data.get("numbered_options", False),
        required=_required(data.get("required")), layout=data.get("layout", True),
    )


def _fields(items: list[dict], words: dict[str, str]) -> tuple[Field, ...]:
    """Fields in the form's order; a ``disclosure`` row stands for the 提供先 and the 移転先 row."""
    plain = [_field(item) for item in items if item.get("block") != "disclosure"]
    shared = [item for item in items if item.get("block") == "disclosure"]
    expanded = [_field(item, (kind, words[kind])) for kind in ("provision", "transfer") for item in shared]
    return tuple(plain + expanded)


def _part(data: dict, words: dict[str, str]) -> Part:
    return Part(
        number=data["number"], keyword=data["keyword"], title=data.get("title", data["keyword"]),
        role=data.get("role", "none"), numbers=tuple(data.get("numbers", ())),
        keywords=tuple(data.get("keywords", ())), gap=data.get("gap"), area=data.get("area"),
        group_labels=frozenset(data.get("group_labels", ())), fields=_fields(data.get("fields", []), words),
        keep_unresolved=data.get("keep_unresolved", True), required=_required(data.get("required")),
        risks=tuple(data.get("risks", ())),
    )


def _rated(data: dict) -> Rated:
    return Rated(label=data["label"], scheme=data.get("scheme"), literal_options=tuple(data.get("options", ())),
                 part=data.get("part"), role=data.get("role", "item"), variants=tuple(data.get("variants", ())),
                 detail_labels=tuple(data.get("details", ())), number=data.get("number"))


def _section(data: dict, words: dict[str, str]) -> Section:
    return Section(
        key=data["key"], role=data["role"], title=data["title"],
        heading=re.compile(data["heading"]) if "heading" in data else None, words=data.get("words", ""),
        heading_rest=re.compile(data["heading_rest"]) if "heading_rest" in data else None,
        evidence=data.get("evidence", ""), per_file=data.get("per_file", False),
        floating=data.get("floating", False), parts=tuple(_part(p, words) for p in data.get("parts", [])),
        fields=_fields(data.get("fields", []), words), rated=tuple(_rated(r) for r in data.get("rated", [])),
        measures=data.get("measures", False), file_headings=data.get("file_headings", False),
    )


def parse_form(text: str) -> Form:
    """A form description from the text of its TOML file."""
    data = tomllib.loads(text)
    words = {"provision": "提供", "transfer": "移転"}
    sections = tuple(_section(s, words) for s in data["sections"])
    return Form(
        form=data["form"], name=data["name"], versions=tuple(data.get("versions", ())), sections=sections,
        blocks=dict(data.get("blocks", {})), group_labels=tuple(data.get("group_labels", ())),
        required_sections=tuple(data.get("required_sections", (s.key for s in sections if s.role != "cover"
                                                                and s.heading is not None
                                                                and not s.key.startswith("annex")))),
        distinctive_headings=tuple(data.get("distinctive_headings", ())),
    )


@lru_cache(maxsize=None)
def load_form(form: str) -> Form:
    """The description of ``様式2``, ``様式3`` or ``様式4``."""
    if form not in FORM_FILES:
        raise KeyError(f"no description of {form}: piagraph describes {', '.join(FORM_FILES)}")
    text = (resources.files("loaders.forms") / FORM_FILES[form]).read_text(encoding="utf-8")
    return parse_form(text)


def all_forms() -> list[Form]:
    return [load_form(form) for form in FORM_FILES]


def form_of_type(form_type: str | None) -> Form:
    """The form a report's pia:formType names (基礎項目評価書 …), 様式3 when it names none."""
    return load_form(FORM_NAMES.get(form_type or "", DEFAULT_FORM))


# -- recognising a report's form -------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    """What a report says of its form: the title's form name, the version label, and the form read."""

    form: Form | None
    title: str | None = None  # 全項目評価書, as the title line names it
    title_line: int | None = None
    edition: str | None = None  # 令和7年5月
    label_form: str | None = None  # 様式4, as the version label names it
    version_line: int | None = None
    by_headings: bool = False

    @property
    def version(self) -> str | None:
        """The form version as written in the label (``令和7年5月 様式4``)."""
        if self.edition is None:
            return None
        edition = re.sub(r"\s", "", self.edition)
        return f"{edition} 様式{self.label_form}" if self.label_form else None

    @property
    def known_version(self) -> bool:
        return self.form is None or self.edition is None or self.form.knows_version(self.edition)

    def describe(self) -> str:
        """What was recognised, for a message: ``title (全項目評価書), version label [令和9年4月 様式4]``."""
        parts = []
        if self.title:
            parts.append(f"title ({self.title})")
        if self.edition:
            parts.append(f"version label [{self.version}]")
        return ", ".join(parts) or "no title line and no version label"


def _cover_lines(texts: list[str], limit: int = 80) -> list[tuple[int, str]]:
    found = []
    for number, text in enumerate(texts, start=1):
        if text.strip():
            found.append((number, text))
        if len(found) >= limit:
            break
    return found


def recognise(texts: list[str]) -> Recognition:
    """The form of a report from its lines (normalised text): the title line names it
    (``特定個人情報保護評価書(全項目評価書)``); else the version label (``[令和7年5月 様式4]``); else the
    headings only one form prints (``II しきい値判断項目``: 様式2); else 様式3, the form piagraph
    read first. A title or label naming no known form gives ``form`` None."""
    title = title_line = edition = label_form = version_line = None
    for number, text in _cover_lines(texts):
        if title is None:
            match = _TITLE.search(text)
            if match and match.group(1).endswith("項目評価書"):
                title, title_line = match.group(1), number
        if edition is None:
            match = _VERSION.search(text)
            if match:
                edition, label_form, version_line = match.group(1), match.group(2), number
    if title is not None:
        form = FORM_NAMES.get(title)
        return Recognition(load_form(form) if form else None, title, title_line, edition, label_form, version_line)
    if label_form is not None:
        form = f"様式{label_form}"
        return Recognition(load_form(form) if form in FORM_FILES else None, None, None, edition, label_form,
                           version_line)
    joined = "\n".join(texts)
    for candidate in all_forms():
        if candidate.distinctive_headings and any(re.search(p, joined, re.MULTILINE)
                                                  for p in candidate.distinctive_headings):
            return Recognition(candidate, by_headings=True)
    return Recognition(load_form(DEFAULT_FORM), by_headings=True)


__all__ = ["Field", "Form", "Part", "Rated", "Recognition", "Required", "Section", "all_forms", "circled",
           "form_of_type", "load_form", "parse_form", "recognise"]
