"""Typed records of one report (様式2, 様式3 or 様式4): what `extract` produces and `to_rdf` consumes.

Every value carries its `Evidence` (section and first source line), so every triple can point back
at the line an auditor should read. Values the text leaves uncertain carry a `confidence` below 1
and the `reason` it was inferred (Japanese, shown to the auditor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace

CERTAIN = 1.0


@dataclass(frozen=True)
class Evidence:
    """Where a value stands in the source: e.g. section ``II-5 移転先2``, line 158 (1-based)."""

    section: str
    line: int


@dataclass(frozen=True)
class Text:
    """A free-text value as written (NFKC-normalised, markup removed)."""

    value: str
    evidence: Evidence
    confidence: float = CERTAIN
    reason: str | None = None


@dataclass(frozen=True)
class Choice:
    """A single choice of the form (``[十分である] <選択肢> 1) … 2) …``).

    `value` is the selected option as written in the form's option list, or None when nothing is
    selected. `confidence` < 1 when the selection was inferred rather than read.
    """

    value: str | None
    evidence: Evidence
    confidence: float = CERTAIN
    reason: str | None = None


@dataclass(frozen=True)
class Tick:
    """One option of a checkbox group (入手方法, 提供方法, 他のシステムとの接続 …).

    `option` is the option's label in the form; `detail` the text written in its ``( … )``.
    `confidence` < 1 when the conversion lost the mark's state and it was inferred.
    """

    option: str
    ticked: bool
    evidence: Evidence
    confidence: float = CERTAIN
    detail: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Extra:
    """A fact only some forms have (様式4's ③入手の時期・頻度 …): written as ``pia:<property>`` on the
    node of its record; `value` a `Text`, a `Choice` (of `scheme` when it names one) or ticks."""

    property: str
    value: "Text | Choice | tuple[Tick, ...]"
    scheme: str | None = None
    kind: str = "text"  # date: written as xsd:date when the text is a date


@dataclass(frozen=True)
class Gap:
    """Something the form requires that the text does not contain (e.g. ``I-2 システム1``)."""

    item: str
    reason: str
    evidence: Evidence


@dataclass
class Cover:
    """表紙: 評価書番号, 評価書名, 評価実施機関名, 公表日, 様式 version."""

    assessment_number: Text | None = None
    title: Text | None = None
    declaration: Text | None = None
    notes: Text | None = None
    assessor: Text | None = None
    published_on: dt.date | None = None
    published_on_text: Text | None = None
    form_version: Text | None = None
    extras: list[Extra] = field(default_factory=list)


@dataclass
class SystemEntry:
    """I-2 システムN: ①名称 ②機能 ③他のシステムとの接続."""

    number: int
    evidence: Evidence
    name: Text | None = None
    function: Text | None = None
    connections: list[Tick] = field(default_factory=list)


@dataclass
class AffairRecord:
    """I 基本情報: the 事務, its systems, files, legal bases, 情報連携 and 担当部署."""

    name: Text | None = None
    description: Text | None = None
    population: Choice | None = None
    systems: list[SystemEntry] = field(default_factory=list)
    file_names: list[Text] = field(default_factory=list)
    number_use_basis: Text | None = None
    network_linkage: Choice | None = None
    linkage_basis: Text | None = None
    department: Text | None = None
    department_head: Text | None = None
    other_assessors: Text | None = None
    extras: list[Extra] = field(default_factory=list)
    risks: list[RiskRating] = field(default_factory=list)  # rated for the whole 事務 (様式2 IV, 様式4 IV)
    audits: list[Tick] = field(default_factory=list)  # 様式2 IV 監査


@dataclass
class EntrustmentRecord:
    """II-4 委託事項N: ①委託内容 ②取扱者数 ③委託先名 ④再委託の有無 ⑤許諾方法 ⑥再委託事項."""

    number: int
    evidence: Evidence
    title: Text | None = None
    content: Text | None = None
    handler_count: Choice | None = None
    contractor: Text | None = None
    subcontracting: Choice | None = None
    subcontract_permission: Text | None = None
    subcontract_items: Text | None = None
    methods: list[Tick] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)


@dataclass
class DisclosureRecord:
    """II-5 提供先N (kind ``provision``) or 移転先N (kind ``transfer``) with its seven fields."""

    kind: str
    number: int
    evidence: Evidence
    recipient: Text | None = None
    legal_basis: Text | None = None
    purpose: Text | None = None
    information: Text | None = None
    population: Choice | None = None
    scope: Text | None = None
    methods: list[Tick] = field(default_factory=list)
    frequency: Text | None = None
    extras: list[Extra] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    """A measure written out under a risk or a rated item (様式4 III ``対象者以外の情報の入手を防止するための
    措置の内容``, ``具体的な管理方法``; 様式2 IV ``判断の根拠``), or an area's ``その他のリスク及び…措置``."""

    label: str
    text: Text
    area: str | None = None


@dataclass
class RiskRating:
    """One rated item of a risk section (リスクへの対策は十分か, 教育・啓発 …) and the measures written
    under it."""

    section: str
    item: str
    rating: Choice
    measures: list[Measure] = field(default_factory=list)
    item_evidence: Evidence | None = None  # the line naming the risk (リスク1: …), when it has one


@dataclass
class FileRecord:
    """One 特定個人情報ファイル: its II block (概要) and III block (リスク対策)."""

    name: Text
    kind: Choice | None = None
    population: Choice | None = None
    scope: Text | None = None
    record_count: Choice | None = None
    main_items: list[Tick] = field(default_factory=list)
    retention_start: Text | None = None
    department: Text | None = None
    sources: list[Tick] = field(default_factory=list)
    acquisition_methods: list[Tick] = field(default_factory=list)
    purpose: Text | None = None
    using_departments: Text | None = None
    user_count: Choice | None = None
    usage: Text | None = None
    use_start: Text | None = None
    entrustment: Choice | None = None
    entrustment_count: int | None = None
    entrustments: list[EntrustmentRecord] = field(default_factory=list)
    disclosure_options: list[Tick] = field(default_factory=list)
    provision_count: int | None = None
    transfer_count: int | None = None
    provisions: list[DisclosureRecord] = field(default_factory=list)
    transfers: list[DisclosureRecord] = field(default_factory=list)
    storage: Text | None = None
    has_overview: bool = False
    has_risk_block: bool = False
    risks: list[RiskRating] = field(default_factory=list)
    audits: list[Tick] = field(default_factory=list)
    incident: Choice | None = None
    incident_detail: Text | None = None
    recurrence_prevention: Text | None = None
    extras: list[Extra] = field(default_factory=list)
    other_risks: list[Measure] = field(default_factory=list)  # 様式4 III: その他のリスク及び…措置, per area


@dataclass
class ChangeRecord:
    """One row of 別添2 変更箇所."""

    evidence: Evidence
    date: dt.date | None
    date_text: str
    item: str
    before: str
    after: str
    timing: str | None
    explanation: str


@dataclass
class Report:
    """One 特定個人情報保護評価書 as extracted: the typed value `to_rdf` turns into triples."""

    source_file: str
    source_encoding: str
    form_type: str | None = None
    shape: str = "tidy-text"  # the reader used: tidy-text, layout-lost-text or pdf (`loaders.shape`)
    cover: Cover = field(default_factory=Cover)
    affair: AffairRecord = field(default_factory=AffairRecord)
    files: list[FileRecord] = field(default_factory=list)
    inquiries: list[Text] = field(default_factory=list)
    procedures: list[Text] = field(default_factory=list)
    record_items: list[Text] = field(default_factory=list)
    changes: list[ChangeRecord] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    unresolved: list[Text] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the report was read: an unknown edition …


Value = Text | Choice | Tick
"""A value read from one line: what carries its own evidence, confidence and reason."""


def lowered(value: Value, confidence: float | None, reason: str | None) -> Value:
    """`value` no surer than `confidence` (with `reason`), when that is below its own."""
    if confidence is not None and confidence < value.confidence:
        return replace(value, confidence=confidence, reason=reason)
    return value


def replace_values(record, change: Callable[[Value], Value]) -> None:
    """Replace every value read into `record` (a `Report` or any record in it) by `change(value)`."""
    for item in fields(record):
        setattr(record, item.name, _replaced(getattr(record, item.name), change))


def _replaced(value, change: Callable[[Value], Value]):
    if isinstance(value, (Text, Choice, Tick)):
        return change(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_replaced(item, change) for item in value)
    if is_dataclass(value) and not isinstance(value, (type, Evidence)):
        if not value.__dataclass_params__.frozen:
            replace_values(value, change)
        else:  # a measure or a form-specific fact: its values are replaced in a copy
            return replace(value, **{item.name: _replaced(getattr(value, item.name), change) for item in fields(value)})
    return value
