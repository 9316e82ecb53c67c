"""A readable summary of one extracted report, so a person can check an extraction at a glance.

Values the reader inferred are listed from the graph's per-value evidence (`pia:ValueEvidence`,
docs/evidence.md): each with its own line, section, confidence and reason; ``--values`` lists every
value with the line it was read on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, is_dataclass

from rdflib import RDFS, Graph, Literal

from loaders.forms import form_of_type
from loaders.names import split_contractor
from loaders.pipeline import LoadedReport
from loaders.records import CERTAIN, Choice, DisclosureRecord, Extra, FileRecord, Report, Text, Tick
from loaders.resolve import canonical_system
from loaders.shape import LAYOUT_LOST, PDF, TIDY
from loaders.vocabulary import pref_label

SHAPES = {
    TIDY: "表形式のテキスト: 行をそのまま読んだ",
    LAYOUT_LOST: "表の配置を失ったテキスト: 様式のラベルと選択肢から値を配置した",
    PDF: "PDF: セルの座標から行を組み直した",
}
UNRESOLVED_SHOWN = 40
INFERRED_SHOWN = 40
_EVIDENCE_QUERY = """
SELECT ?p ?o ?line ?section ?confidence ?reason WHERE {
  ?e pia:valueLine ?line ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?e pia:valueSection ?valueSection }
  OPTIONAL { ?s pia:sourceSection ?nodeSection }
  BIND(COALESCE(?valueSection, ?nodeSection, "") AS ?section)
  OPTIONAL { ?e pia:valueConfidence ?confidence }
  OPTIONAL { ?e pia:valueReason ?reason }
} ORDER BY ?line ?p ?o"""


@dataclass(frozen=True)
class ValueRow:
    """One value of the graph with its own evidence."""

    item: str
    value: str
    line: int
    section: str
    confidence: float | None
    reason: str | None

    def show(self) -> str:
        sure = "" if self.confidence is None else f" (確度 {self.confidence:.1f}: {self.reason})"
        return f"  L{self.line} {self.section} {self.item}: {_short(self.value, 50)}{sure}"


def value_rows(graph: Graph) -> list[ValueRow]:
    """Every value of a report graph with its own line, section and, when inferred, confidence and
    reason (from its pia:ValueEvidence); a value several nodes share (the 入手方法 of each 入手元) once."""
    rows: dict[tuple, ValueRow] = {}
    from ontology import sparql_prefixes

    for p, o, line, section, confidence, reason in graph.query(sparql_prefixes() + _EVIDENCE_QUERY):
        shown = str(o) if isinstance(o, Literal) else str(graph.value(o, RDFS.label) or pref_label(o) or o)
        row = ValueRow(_term_label(p), shown, int(line), str(section),
                       None if confidence is None else float(confidence), None if reason is None else str(reason))
        rows.setdefault((row.line, row.section, row.item, row.value), row)
    return list(rows.values())


def placed_values(report: Report) -> list[Text | Choice | Tick]:
    """Every value of the report that carries a confidence (unplaced text excluded)."""
    found: list = []

    def walk(value) -> None:
        if isinstance(value, (Text, Choice, Tick)):
            if not isinstance(value, Choice) or value.value is not None:
                found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif is_dataclass(value) and not value.__dataclass_params__.frozen:
            for item in fields(value):
                if item.name != "unresolved":
                    walk(getattr(value, item.name))

    walk(report)
    return found


def certain_share(report: Report) -> tuple[int, int]:
    """(values placed with full confidence, all values)."""
    values = placed_values(report)
    return sum(value.confidence >= CERTAIN for value in values), len(values)


def _value(value: Text | Choice | None) -> str:
    if value is None or value.value is None:
        return "—"
    marker = "" if value.confidence >= CERTAIN else f" (確度 {value.confidence:.1f})"
    return f"{value.value}{marker}"


def _ticked(ticks: list[Tick]) -> str:
    names = []
    for tick in ticks:
        if not tick.ticked:
            continue
        name = f"{tick.option}({tick.detail})" if tick.detail else tick.option
        names.append(name if tick.confidence >= CERTAIN else f"{name}?")
    return "、".join(names) or "—"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(stated: int | None, found: int) -> str:
    stated_text = "記載なし" if stated is None else f"{stated}件"
    flag = "" if stated is None or stated == found else "  ← 件数が一致しない"
    return f"記載 {stated_text} / 抽出 {found}件{flag}"


def _disclosure(entry: DisclosureRecord) -> list[str]:
    word = "提供先" if entry.kind == "provision" else "移転先"
    basis = _short(entry.legal_basis.value) if entry.legal_basis else "—"
    return [
        f"    {word}{entry.number}: {_value(entry.recipient)}  [L{entry.evidence.line}]",
        f"      根拠: {basis}",
        f"      方法: {_ticked(entry.methods)}   時期・頻度: {_short(_value(entry.frequency), 40)}",
    ]


def _file(record: FileRecord) -> list[str]:
    if not record.has_overview and not record.has_risk_block:  # 様式2: a file named in I only
        return [f"  ■ {record.name.value}  [L{record.name.evidence.line}]"]
    lines = [f"  ■ {record.name.value}  [L{record.name.evidence.line}]",
             f"    入手元: {_ticked(record.sources)}",
             f"    入手方法: {_ticked(record.acquisition_methods)}",
             f"    主な記録項目: {_ticked(record.main_items)}",
             f"    委託: {_value(record.entrustment)}  {_count(record.entrustment_count, len(record.entrustments))}"]
    for item in record.entrustments:
        contractor = split_contractor(item.contractor.value) if item.contractor else None
        name = contractor.company + (f" ({contractor.branch})" if contractor.branch else "") if contractor else "—"
        lines.append(f"    委託事項{item.number}: {name}  再委託: {_value(item.subcontracting)}  "
                     f"[L{item.evidence.line}]")
    lines.append(f"    提供: {_count(record.provision_count, len(record.provisions))}")
    lines.append(f"    移転: {_count(record.transfer_count, len(record.transfers))}")
    for entry in record.provisions + record.transfers:
        lines.extend(_disclosure(entry))
    ratings = Counter(r.rating.value or "未選択" for r in record.risks)
    lines.append("    リスク対策: " + ("、".join(f"{k} {v}" for k, v in ratings.items()) or "—"))
    for risk in record.risks:
        if risk.rating.value == "課題が残されている":
            lines.append(f"      課題が残されている: {risk.section} {risk.item}")
    lines.append(f"    監査: {_ticked(record.audits)}   重大事故: {_value(record.incident)}")
    return lines


def _uncertain(report: Report) -> list[str]:
    found = []
    for record in report.files:
        for group, ticks in (("入手元", record.sources), ("入手方法", record.acquisition_methods),
                             ("主な記録項目", record.main_items), ("監査", record.audits)):
            for tick in ticks:
                if tick.confidence < CERTAIN:
                    found.append(f"  L{tick.evidence.line} {group} {tick.option}: "
                                 f"{'ticked' if tick.ticked else 'not ticked'} (確度 {tick.confidence:.1f})")
        for entry in record.provisions + record.transfers:
            for tick in entry.methods:
                if tick.confidence < CERTAIN:
                    found.append(f"  L{tick.evidence.line} {entry.evidence.section} {tick.option}: "
                                 f"{'ticked' if tick.ticked else 'not ticked'} (確度 {tick.confidence:.1f})")
    for system in report.affair.systems:
        for tick in system.connections:
            if tick.confidence < CERTAIN:
                found.append(f"  L{tick.evidence.line} システム{system.number} 接続 {tick.option}: "
                             f"{'ticked' if tick.ticked else 'not ticked'} (確度 {tick.confidence:.1f})")
    return found


def _path(report: Report) -> str:
    certain, total = certain_share(report)
    share = f"{certain / total:.0%}" if total else "—"
    return (f"  読み取り経路 {report.shape} ({SHAPES.get(report.shape, '?')}); "
            f"確度 1 で配置した値 {certain}/{total} ({share})")


def _extra_value(extra: Extra) -> str:
    value = extra.value
    if isinstance(value, (Text, Choice)):
        text = value.value or "—"
        if extra.scheme and isinstance(value, Choice) and value.value:
            return text
        return _short(text, 50)
    return "、".join(t.option for t in value if t.ticked) or "—"


def _term_label(term) -> str:
    """The Japanese label the ontology gives a term (pia:acquisitionTiming → 入手の時期・頻度); a local
    name or a full IRI."""
    from rdflib import URIRef

    from ontology import PIA, ontology_graph

    if str(term) == str(RDFS.label):
        return "名称"
    iri = URIRef(term) if ":" in str(term) else PIA[term]
    for label in ontology_graph().objects(iri, RDFS.label):
        if getattr(label, "language", None) == "ja":
            return str(label)
    return str(term).rsplit("#", 1)[-1]


def _form_facts(report: Report) -> list[str]:
    """The facts only this report's form has: 様式2's しきい値判断, 様式4's 評価実施手続 …"""
    extras = [*report.cover.extras, *report.affair.extras]
    lines = [f"  {_term_label(e.property)}: {_extra_value(e)}" for e in extras]
    ratings = Counter(r.rating.value or "未選択" for r in report.affair.risks)
    if report.affair.risks:
        lines.append("  事務全体のリスク対策: " + "、".join(f"{k} {v}" for k, v in ratings.items()))
    return [f"様式に固有の記載 ({len(extras)}):", *lines] if lines else []


def summarise(loaded: LoadedReport, every_value: bool = False) -> str:
    """The summary printed by ``piagraph inspect`` (with `every_value`: every value and its line)."""
    report = loaded.report
    cover, affair = report.cover, report.affair
    out = [
        f"評価書: {_value(cover.title)}  ({report.form_type or '様式不明'}, {_value(cover.form_version)})",
        f"  評価書番号 {_value(cover.assessment_number)} / 評価実施機関 {_value(cover.assessor)} / "
        f"公表日 {cover.published_on or '—'}",
        f"  source {report.source_file} ({report.source_encoding}); {len(loaded.graph)} triples; "
        f"graph <{loaded.graph_iri}>",
        _path(report),
        f"事務: {_value(affair.name)}  対象人数 {_value(affair.population)}  担当部署 {_value(affair.department)}",
        f"  個人番号の利用 根拠: {_short(_value(affair.number_use_basis), 70)}",
        f"  情報連携: {_value(affair.network_linkage)}  根拠: {_short(_value(affair.linkage_basis), 60)}",
        f"システム ({len(affair.systems)}):",
    ]
    for system in affair.systems:
        name = system.name.value if system.name else "—"
        canonical = canonical_system(name)
        suffix = f"  → 共通: {pref_label(canonical)}" if canonical else ""
        out.append(f"  システム{system.number}: {name}{suffix}")
        out.append(f"    接続: {_ticked(system.connections)}")
    out.append(f"特定個人情報ファイル ({len(report.files)}): {form_of_type(report.form_type).ref('ファイル名')} に記載 "
               + ("、".join(t.value for t in affair.file_names) or "—"))
    for record in report.files:
        out.extend(_file(record))
    out.extend(_form_facts(report))
    form = form_of_type(report.form_type)
    changes, records = form.with_role("changes"), form.with_role("records")
    names = [f"{s.title.replace('(', '').replace(')', '')}: {n}件" for s, n in ((changes, len(report.changes)),
                                                                             (records, len(report.record_items))) if s]
    out.append("   ".join(names))
    out.extend(f"注記: {note}" for note in report.notes)
    if report.gaps:
        out.append(f"欠落 ({len(report.gaps)}):")
        out.extend(f"  L{g.evidence.line} {g.item}: {g.reason}" for g in report.gaps)
    uncertain = _uncertain(report)
    ticked = [line for line in uncertain if ": ticked" in line]
    if uncertain:
        out.append(f"推定した値: {len(uncertain)} marks inferred (確度 < 1), {len(ticked)} of them read as ticked:")
        out.extend(ticked)
    values = value_rows(loaded.graph)
    inferred = [row for row in values if row.confidence is not None and row.item != "配置できなかった記載"]
    if inferred:
        out.append(f"推定した値 (値ごとの根拠): {len(inferred)} / {len(values)} 値, 行・節・確度・理由:")
        out.extend(row.show() for row in inferred[:INFERRED_SHOWN])
        if len(inferred) > INFERRED_SHOWN:
            out.append(f"  … 他 {len(inferred) - INFERRED_SHOWN} 件 (--values で全件)")
    if every_value:
        out.append(f"値と出典行 ({len(values)}):")
        out.extend(row.show() for row in values)
    if report.unresolved:
        out.append(f"配置できなかった記載 ({len(report.unresolved)}):")
        out.extend(f"  L{t.evidence.line} {t.evidence.section}: {_short(t.value)}"
                   for t in report.unresolved[:UNRESOLVED_SHOWN])
        if len(report.unresolved) > UNRESOLVED_SHOWN:
            out.append(f"  … 他 {len(report.unresolved) - UNRESOLVED_SHOWN} 件 (all in the graph as pia:unresolvedText)")
    return "\n".join(out)
