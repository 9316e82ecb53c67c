"""A `Report` → one rdflib graph in the core vocabulary, with deterministic IRIs and evidence.

IRIs are derived from what the report says (body + 評価書番号 + 公表日 for the report; names for shared
bodies), so the same report converted twice gives the same graph. Every extracted node carries
``pia:sourceSection`` and ``pia:sourceLine``; a node holding an inferred value carries
``pia:confidence`` (the lowest of its values) and a ``pia:CheckboxReading`` per inferred mark.

Every value read from the report also has evidence of its own (`loaders.evidence`,
docs/evidence.md): its own line and section and, when inferred, its own confidence and reason. So
a frequency read on line 6518 cites line 6518, not its block's header, and one uncertain field of
a 移転先 leaves its other values certain.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from loaders import vocabulary
from loaders.citations import parse_legal_basis
from loaders.dates import parse_japanese_date
from loaders.evidence import EvidenceWriter
from loaders.names import municipality_of, normalise_org_name
from loaders.records import (
    CERTAIN,
    Choice,
    DisclosureRecord,
    EntrustmentRecord,
    Evidence,
    Extra,
    FileRecord,
    Measure,
    Report,
    RiskRating,
    Text,
    Tick,
)
from ontology import ID, PIA, bind_prefixes

_DEPARTMENT_SUFFIX = re.compile(r"(課|部|室|係|局|班|センター|事務所|出張所|担当)$")
_OTHER_BODY = re.compile(r"(広域連合|連合会|大臣|機構|組合|協会|庁|省|都|道|府|県|市|町|村)(等)?$")


def short_hash(*parts: str) -> str:
    """A stable 16-hex-digit key for IRIs, from the parts as written."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


# The form whose reports are named without it: every 重点項目評価書 keeps the IRIs it had before
# piagraph read the other two forms.
FORM_WITHOUT_NAME = "重点項目評価書"


@dataclass(frozen=True)
class ReportIdentity:
    """What names a report: its body, 評価書番号, 公表日 (a version is a 公表日) and form. A 基礎項目評価書
    and its 重点/全項目 companion share body, 評価書番号 and usually 公表日: their form tells them apart."""

    assessor: str
    number: str
    published: str
    form: str | None = None

    @property
    def named_form(self) -> str | None:
        return None if self.form in (None, FORM_WITHOUT_NAME) else self.form

    @property
    def key(self) -> str:
        if self.named_form is None:
            return short_hash(self.assessor, self.number, self.published)
        return short_hash(self.assessor, self.number, self.published, self.named_form)

    @property
    def series_key(self) -> str:
        """The versions of one report: body + form + 評価書番号 (body + 評価書番号 for 様式3)."""
        if self.named_form is None:
            return f"{self.assessor}|{self.number}"
        return f"{self.assessor}|{self.named_form}|{self.number}"

    @property
    def assessment(self) -> URIRef:
        return ID[f"assessment/{self.key}"]

    @property
    def graph(self) -> URIRef:
        return ID[f"graph/{self.key}"]


def identity_of(report: Report) -> ReportIdentity:
    cover = report.cover
    return ReportIdentity(
        assessor=cover.assessor.value if cover.assessor else "",
        number=cover.assessment_number.value if cover.assessment_number else "",
        published=cover.published_on.isoformat() if cover.published_on else "",
        form=report.form_type,
    )


def registered_affair_iri(assessor: str, number: str) -> URIRef:
    """The 事務 as the body registered it (評価実施機関 + 評価書番号): one node shared by its 基礎項目評価書,
    its 重点/全項目評価書 and every version of them."""
    return ID[f"affair/{short_hash(normalise_org_name(assessor), number)}"]


def organisation_iri(name: str) -> URIRef:
    return ID[f"org/{short_hash(normalise_org_name(name))}"]


def department_iri(assessor: str, name: str) -> URIRef:
    body = municipality_of(assessor) or assessor
    return ID[f"org/{short_hash(normalise_org_name(body))}/dept/{short_hash(normalise_org_name(name))}"]


def is_department_name(name: str) -> bool:
    """A 移転先 or 入手元 detail naming a unit of the body (課, 部 …) rather than another body."""
    name = normalise_org_name(name)
    return bool(_DEPARTMENT_SUFFIX.search(name)) and not _OTHER_BODY.search(name)


def named_bodies(detail: str) -> list[str]:
    """The bodies named in an 入手元 detail: ``市民課、長寿福祉課`` and ``市民課 市民税課`` are lists, but
    ``市民生活部 市民課`` is one department under its 部 (a 部/局 joins the unit that follows it)."""
    names = []
    for part in re.split(r"[、,/]+", detail):
        tokens: list[str] = []
        for token in part.split():
            if tokens and re.search(r"(部|局|本部)$", tokens[-1]) and not _OTHER_BODY.search(tokens[-1]):
                tokens[-1] = f"{tokens[-1]} {token}"
            else:
                tokens.append(token)
        names.extend(t.strip("()等 ") for t in tokens)
    return [name for name in names if len(name) >= 2]


Source = Text | Choice | Tick | Evidence
"""Where a value was read: a record value (with its confidence and reason) or just a place."""


def _provenance(source: Source) -> tuple[Evidence, float, str | None]:
    if isinstance(source, Evidence):
        return source, CERTAIN, None
    return source.evidence, source.confidence, source.reason


class GraphBuilder:
    """Writes one report's triples; remembers which shared nodes it has already described."""

    def __init__(self, report: Report):
        self.report = report
        self.identity = identity_of(report)
        self.graph = bind_prefixes(Graph())
        self.base = self.identity.assessment
        self.described: set[URIRef] = set()
        self.evidence = EvidenceWriter(self.graph)

    # -- primitives ----------------------------------------------------------------------------
    def add(self, subject, predicate, value) -> None:
        if value is None:
            return
        if isinstance(value, (URIRef, BNode, Literal)):
            self.graph.add((subject, predicate, value))
        else:
            self.graph.add((subject, predicate, Literal(value)))

    def put(self, subject, predicate, value, source: Source) -> None:
        """One value read from the report: its triple, its own evidence, and the node's confidence
        (the lowest of the node's values, pia:confidence)."""
        if value is None:
            return
        value = value if isinstance(value, (URIRef, BNode, Literal)) else Literal(value)
        self.graph.add((subject, predicate, value))
        evidence, confidence, reason = _provenance(source)
        self.evidence.add((subject, predicate, value), evidence, confidence, reason)
        self.confidence(subject, confidence)

    def text(self, subject, predicate, value: Text | None) -> None:
        if value is not None:
            self.put(subject, predicate, Literal(value.value), value)

    def node(self, iri: URIRef, cls: URIRef, label: str | None, evidence: Evidence,
             label_source: Source | None = None) -> URIRef:
        """A node with its class, Japanese label and evidence (first mention wins in this graph); the
        label, a value read from the report, cites `label_source` (else the node's own line)."""
        if iri in self.described:
            return iri
        self.described.add(iri)
        self.evidence.sections[iri] = evidence.section
        self.graph.add((iri, RDF.type, cls))
        self.graph.add((iri, PIA.sourceSection, Literal(evidence.section)))
        self.graph.add((iri, PIA.sourceLine, Literal(evidence.line, datatype=XSD.integer)))
        if label:
            self.put(iri, RDFS.label, Literal(label, lang="ja"), label_source or evidence)
        return iri

    def confidence(self, subject, value: float) -> None:
        if value >= CERTAIN:
            return
        existing = self.graph.value(subject, PIA.confidence)
        if existing is None or Decimal(str(value)) < existing.toPython():
            self.graph.set((subject, PIA.confidence, Literal(Decimal(str(value)), datatype=XSD.decimal)))

    def choice(self, subject, predicate, value: Choice | None, scheme: str | None = None) -> None:
        if value is None or value.value is None:
            return
        target = vocabulary.concept(scheme, value.value) if scheme else None
        self.put(subject, predicate, target if target is not None else Literal(value.value), value)

    def readings(self, subject: URIRef, ticks: list[Tick], scheme: str | None) -> None:
        """A CheckboxReading for every mark whose state was inferred."""
        for index, tick in enumerate(t for t in ticks if t.confidence < CERTAIN):
            reading = URIRef(f"{subject}/reading/{tick.evidence.line}-{index + 1}")
            self.node(reading, PIA.CheckboxReading, None, tick.evidence)
            option = vocabulary.concept(scheme, tick.option) if scheme else None
            self.add(reading, PIA.option, option if option is not None else Literal(tick.option))
            self.add(reading, PIA.ticked, Literal(tick.ticked))
            self.add(reading, PIA.confidence, Literal(Decimal(str(tick.confidence)), datatype=XSD.decimal))
            self.add(reading, PIA.detail, tick.detail)
            self.add(subject, PIA.checkboxReading, reading)
            if tick.ticked:
                self.confidence(subject, tick.confidence)

    def legal_basis(self, iri: URIRef, text: Text | None) -> URIRef | None:
        if text is None:
            return None
        self.node(iri, PIA.LegalBasis, text.value, text.evidence, text)
        for index, citation in enumerate(parse_legal_basis(text.value), start=1):
            cited = URIRef(f"{iri}/citation/{index}")
            self.node(cited, PIA.Citation, None, text.evidence)
            self.add(cited, PIA.law, citation.law)
            for predicate, value in ((PIA.article, citation.article), (PIA.paragraph, citation.paragraph),
                                     (PIA.item, citation.item), (PIA.tableRow, citation.row)):
                if value is not None:
                    self.add(cited, predicate, Literal(value, datatype=XSD.integer))
            self.add(cited, PIA.annexedTable, citation.table)
            self.add(cited, PIA.citationText, citation.text)
            self.add(iri, PIA.citation, cited)
        return iri

    def extras(self, subject: URIRef, extras: list[Extra]) -> None:
        """Form-specific facts (`loaders.forms`: rows with a ``property``), as ``pia:<property>``."""
        for extra in extras:
            predicate = PIA[extra.property]
            value = extra.value
            if isinstance(value, Choice):
                self.choice(subject, predicate, value, extra.scheme)
            elif isinstance(value, Text):
                date = parse_japanese_date(value.value) if extra.kind == "date" else None
                self.put(subject, predicate, Literal(date, datatype=XSD.date) if date else Literal(value.value), value)
            else:
                self.ticked(subject, predicate, value)

    def risks(self, holder: URIRef, predicate: URIRef, ratings: list[RiskRating]) -> None:
        """Rated items: one pia:RiskMeasure each, with the measures written under it."""
        for number, rating in enumerate(ratings, start=1):
            risk = URIRef(f"{holder}/risk/{number}")
            self.node(risk, PIA.RiskMeasure, rating.item, rating.rating.evidence, rating.item_evidence)
            self.add(risk, PIA.riskArea, rating.section.split(" ", 1)[-1])
            self.choice(risk, PIA.adequacy, rating.rating)
            self.add(holder, predicate, risk)
            self.measures(risk, PIA.measureDescription, rating.measures)

    def measures(self, holder: URIRef, predicate: URIRef, measures: list[Measure]) -> None:
        for number, measure in enumerate(measures, start=1):
            node = URIRef(f"{holder}/measure/{number}")
            self.node(node, PIA.MeasureDescription, measure.label, measure.text.evidence)
            self.text(node, PIA.measureText, measure.text)
            self.add(node, PIA.riskArea, measure.area)
            self.add(holder, predicate, node)

    def organisation(self, name: str, source: Source, *, department: bool) -> URIRef:
        """A body or department named in the report. Its label cites the line it was named on first;
        the name is as printed, so what is uncertain is the link to it (its `put`), not the name."""
        assessor = self.identity.assessor
        evidence = _provenance(source)[0]
        if department:
            iri = self.node(department_iri(assessor, name), PIA.Department, normalise_org_name(name), evidence)
            self.add(iri, PIA.partOf, organisation_iri(assessor))
            return iri
        return self.node(organisation_iri(name), PIA.Organization, normalise_org_name(name), evidence)

    def ticked(self, subject: URIRef, predicate: URIRef, ticks: list[Tick], scheme: str | None = None) -> None:
        """The ticked options of a checkbox group (as concepts of `scheme`, else as text), each citing
        its own mark; a CheckboxReading for every inferred one."""
        for tick in ticks:
            if tick.ticked:
                target = vocabulary.concept(scheme, tick.option) if scheme else None
                self.put(subject, predicate, target if target is not None else Literal(tick.option), tick)
        self.readings(subject, list(ticks), scheme)

    # -- the report ----------------------------------------------------------------------------
    def build(self) -> Graph:
        assessment = self.assessment()
        affair = self.affair(assessment)
        for index, record in enumerate(self.report.files, start=1):
            self.file(affair, index, record)
        for index, change in enumerate(self.report.changes, start=1):
            iri = URIRef(f"{self.base}/change/{index}")
            self.node(iri, PIA.Change, None, change.evidence)
            if change.date:
                self.put(iri, PIA.changeDate, Literal(change.date, datatype=XSD.date), change.evidence)
            if change.date_text:
                self.put(iri, PIA.changeDateText, change.date_text, change.evidence)
            for predicate, value in ((PIA.changedItem, change.item), (PIA.valueBefore, change.before),
                                     (PIA.valueAfter, change.after), (PIA.submissionTiming, change.timing),
                                     (PIA.explanation, change.explanation)):
                if value:
                    self.put(iri, predicate, value, change.evidence)
            self.add(assessment, PIA.hasChange, iri)
        for index, gap in enumerate(self.report.gaps, start=1):
            iri = URIRef(f"{self.base}/gap/{index}")
            self.node(iri, PIA.Gap, None, gap.evidence)
            self.add(iri, PIA.gapItem, gap.item)
            self.add(iri, PIA.gapReason, gap.reason)
            self.add(assessment, PIA.hasGap, iri)
        for text in self.report.unresolved:
            # Kept text, not a value of the report's rows: it cites its line but lowers no confidence.
            self.put(assessment, PIA.unresolvedText, f"{text.evidence.section} L{text.evidence.line}: {text.value}",
                     text.evidence)
        return self.graph

    def assessment(self) -> URIRef:
        report, cover = self.report, self.report.cover
        evidence = cover.assessment_number.evidence if cover.assessment_number else Evidence("表紙", 1)
        title = cover.title.value if cover.title else None
        iri = self.node(self.base, PIA.Assessment, title, evidence, cover.title)
        self.text(iri, PIA.assessmentNumber, cover.assessment_number)
        self.text(iri, PIA.title, cover.title)
        self.put(iri, PIA.formType, report.form_type, cover.title or cover.form_version or evidence)
        if cover.published_on:
            self.put(iri, PIA.publishedOn, Literal(cover.published_on, datatype=XSD.date),
                     cover.published_on_text or evidence)
        self.text(iri, PIA.formVersion, cover.form_version)
        self.add(iri, PIA.sourceFile, report.source_file)
        self.add(iri, PIA.sourceEncoding, report.source_encoding)
        self.add(iri, PIA.sourceShape, report.shape)
        if cover.assessor:
            body = self.organisation(cover.assessor.value, cover.assessor, department=False)
            self.put(iri, PIA.assessor, body, cover.assessor)
        for predicate, texts in ((PIA.inquiry, report.inquiries), (PIA.procedure, report.procedures),
                                 (PIA.recordItem, report.record_items)):
            for text in texts:
                self.text(iri, predicate, text)
        self.extras(iri, cover.extras)
        for note in report.notes:
            self.add(iri, PIA.readingNote, note)
        return iri

    def affair(self, assessment: URIRef) -> URIRef:
        affair = self.report.affair
        iri = URIRef(f"{self.base}/affair")
        evidence = affair.name.evidence if affair.name else Evidence("I-1", 1)
        self.node(iri, PIA.Affair, affair.name.value if affair.name else None, evidence, affair.name)
        self.add(assessment, PIA.covers, iri)
        if self.identity.assessor and self.identity.number:
            registered = registered_affair_iri(self.identity.assessor, self.identity.number)
            self.node(registered, PIA.RegisteredAffair, affair.name.value if affair.name else None, evidence,
                      affair.name)
            self.add(iri, PIA.registeredAffair, registered)
        self.text(iri, PIA.description, affair.description)
        self.choice(iri, PIA.populationBand, affair.population, "population")
        for system in affair.systems:
            self.system(iri, system)
        self.put(iri, PIA.numberUseBasis, self.legal_basis(URIRef(f"{iri}/number-use-basis"), affair.number_use_basis),
                 affair.number_use_basis)
        self.choice(iri, PIA.networkLinkage, affair.network_linkage)
        self.put(iri, PIA.linkageBasis, self.legal_basis(URIRef(f"{iri}/linkage-basis"), affair.linkage_basis),
                 affair.linkage_basis)
        if affair.department:
            department = self.organisation(affair.department.value, affair.department, department=True)
            self.put(iri, PIA.responsibleDepartment, department, affair.department)
        self.text(iri, PIA.departmentHeadTitle, affair.department_head)
        self.text(iri, PIA.otherAssessors, affair.other_assessors)
        self.extras(iri, affair.extras)
        self.risks(iri, PIA.overallRiskMeasure, affair.risks)
        self.ticked(iri, PIA.overallAuditKind, affair.audits)
        return iri

    def system(self, affair: URIRef, system) -> None:
        iri = URIRef(f"{self.base}/system/{system.number}")
        self.node(iri, PIA.System, system.name.value if system.name else None, system.evidence, system.name)
        self.add(affair, PIA.usesSystem, iri)
        self.add(iri, PIA.systemNumber, Literal(system.number, datatype=XSD.integer))
        self.text(iri, PIA.function, system.function)
        for tick in system.connections:
            if not tick.ticked:
                continue
            target = vocabulary.concept("connection", tick.option)
            if tick.detail:
                self.put(iri, PIA.connectionDetail, tick.detail, tick)
            elif target is not None and not str(target).endswith("/other"):
                self.put(iri, PIA.connectsTo, target, tick)
        self.readings(iri, system.connections, "connection")

    def file(self, affair: URIRef, index: int, record: FileRecord) -> None:
        iri = URIRef(f"{self.base}/file/{index}")
        self.node(iri, PIA.PersonalInfoFile, record.name.value, record.name.evidence, record.name)
        self.add(affair, PIA.hasFile, iri)
        self.add(iri, PIA.hasOverviewBlock, Literal(record.has_overview))
        self.add(iri, PIA.hasRiskBlock, Literal(record.has_risk_block))
        self.choice(iri, PIA.fileKind, record.kind)
        self.choice(iri, PIA.subjectCountBand, record.population, "subjects")
        self.text(iri, PIA.subjectScope, record.scope)
        self.choice(iri, PIA.recordCountBand, record.record_count, "record-count")
        self.ticked(iri, PIA.mainRecordItem, record.main_items)
        if record.department:
            department = self.organisation(record.department.value, record.department, department=True)
            self.put(iri, PIA.handlingDepartment, department, record.department)
        for predicate, value in ((PIA.retentionStart, record.retention_start), (PIA.usePurpose, record.purpose),
                                 (PIA.usingDepartments, record.using_departments), (PIA.usage, record.usage),
                                 (PIA.useStart, record.use_start), (PIA.storage, record.storage)):
            self.text(iri, predicate, value)
        self.choice(iri, PIA.userCountBand, record.user_count, "handlers")
        self.choice(iri, PIA.entrustmentChoice, record.entrustment)
        self.ticked(iri, PIA.disclosureOption, record.disclosure_options)
        stated = record.disclosure_options[0] if record.disclosure_options else Evidence("II", record.name.evidence.line)
        for predicate, count, source in ((PIA.statedEntrustmentCount, record.entrustment_count, record.entrustment),
                                         (PIA.statedProvisionCount, record.provision_count, stated),
                                         (PIA.statedTransferCount, record.transfer_count, stated)):
            if count is not None:
                self.put(iri, predicate, Literal(count, datatype=XSD.integer), source or record.name.evidence)
        self.acquisitions(iri, record)
        for item in record.entrustments:
            self.entrustment(iri, item)
        for entry in record.provisions + record.transfers:
            self.disclosure(iri, entry)
        self.risks(iri, PIA.riskMeasure, record.risks)
        self.measures(iri, PIA.otherRiskDescription, record.other_risks)
        self.extras(iri, record.extras)
        self.ticked(iri, PIA.auditKind, record.audits)
        self.choice(iri, PIA.seriousIncident, record.incident)
        self.text(iri, PIA.incidentDetail, record.incident_detail)
        self.text(iri, PIA.recurrencePrevention, record.recurrence_prevention)

    def methods(self, flow: URIRef, ticks: list[Tick]) -> None:
        self.ticked(flow, PIA.method, ticks, "method")
        for tick in ticks:
            if tick.ticked and tick.detail:
                self.put(flow, PIA.detail, tick.detail, tick)

    def acquisitions(self, file_iri: URIRef, record: FileRecord) -> None:
        for tick in record.sources:
            if not tick.ticked:
                continue
            category = vocabulary.concept("source", tick.option)
            local = str(category).rsplit("/", 1)[-1]
            flow = URIRef(f"{file_iri}/acquisition/{local}")
            self.node(flow, PIA.Acquisition, None, tick.evidence)
            self.add(flow, PIA.ofFile, file_iri)
            self.put(flow, PIA.source, category, tick)
            if tick.detail:
                self.put(flow, PIA.sourceDetail, tick.detail, tick)
                for name in named_bodies(tick.detail):
                    if len(name) >= 2:
                        department = local == "other-department" or is_department_name(name)
                        self.put(flow, PIA.source, self.organisation(name, tick, department=department), tick)
            self.methods(flow, record.acquisition_methods)
        self.readings(file_iri, record.sources, "source")

    def entrustment(self, file_iri: URIRef, item: EntrustmentRecord) -> None:
        flow = URIRef(f"{file_iri}/entrustment/{item.number}")
        self.node(flow, PIA.Entrustment, item.title.value if item.title else None, item.evidence, item.title)
        self.add(flow, PIA.ofFile, file_iri)
        self.add(flow, PIA.flowNumber, Literal(item.number, datatype=XSD.integer))
        self.text(flow, PIA.entrustmentTitle, item.title)
        self.text(flow, PIA.purpose, item.content)
        self.choice(flow, PIA.handlerCountBand, item.handler_count, "handlers")
        self.text(flow, PIA.contractorNameAsWritten, item.contractor)
        if item.subcontracting and item.subcontracting.value:
            self.put(flow, PIA.subcontracting, Literal(item.subcontracting.value == "再委託する"), item.subcontracting)
        self.text(flow, PIA.subcontractPermission, item.subcontract_permission)
        self.text(flow, PIA.subcontractItems, item.subcontract_items)
        self.methods(flow, item.methods)
        self.extras(flow, item.extras)

    def disclosure(self, file_iri: URIRef, entry: DisclosureRecord) -> None:
        cls = PIA.Provision if entry.kind == "provision" else PIA.Transfer
        flow = URIRef(f"{file_iri}/{entry.kind}/{entry.number}")
        self.node(flow, cls, entry.recipient.value if entry.recipient else None, entry.evidence, entry.recipient)
        self.add(flow, PIA.ofFile, file_iri)
        self.add(flow, PIA.flowNumber, Literal(entry.number, datatype=XSD.integer))
        if entry.recipient:
            department = entry.kind == "transfer" and is_department_name(entry.recipient.value)
            recipient = self.organisation(entry.recipient.value, entry.recipient, department=department)
            self.put(flow, PIA.recipient, recipient, entry.recipient)
        self.put(flow, PIA.legalBasis, self.legal_basis(URIRef(f"{flow}/basis"), entry.legal_basis), entry.legal_basis)
        self.text(flow, PIA.purpose, entry.purpose)
        self.text(flow, PIA.information, entry.information)
        self.choice(flow, PIA.subjectCountBand, entry.population, "subjects")
        self.text(flow, PIA.subjectScope, entry.scope)
        self.methods(flow, entry.methods)
        self.text(flow, PIA.frequency, entry.frequency)
        self.extras(flow, entry.extras)


def to_rdf(report: Report) -> Graph:
    """The report's triples (no ontology), ready for `resolve`."""
    return GraphBuilder(report).build()
