"""A `Report` → one rdflib graph in the core vocabulary, with deterministic IRIs and evidence.

IRIs are derived from what the report says (body + 評価書番号 + 公表日 for the report; names for shared
bodies), so the same report converted twice gives the same graph. Every extracted node carries
``pia:sourceSection`` and ``pia:sourceLine``; a node holding an inferred value carries
``pia:confidence`` and a ``pia:CheckboxReading`` per inferred mark.
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


class GraphBuilder:
    """Writes one report's triples; remembers which shared nodes it has already described."""

    def __init__(self, report: Report):
        self.report = report
        self.identity = identity_of(report)
        self.graph = bind_prefixes(Graph())
        self.base = self.identity.assessment
        self.described: set[URIRef] = set()

    # -- primitives ----------------------------------------------------------------------------
    def add(self, subject, predicate, value) -> None:
        if value is None:
            return
        if isinstance(value, (URIRef, BNode, Literal)):
            self.graph.add((subject, predicate, value))
        else:
            self.graph.add((subject, predicate, Literal(value)))

    def text(self, subject, predicate, value: Text | None) -> None:
        if value is not None:
            self.add(subject, predicate, Literal(value.value))
            self.confidence(subject, value.confidence)

    def node(self, iri: URIRef, cls: URIRef, label: str | None, evidence: Evidence) -> URIRef:
        """A node with its class, Japanese label and evidence (first mention wins in this graph)."""
        if iri in self.described:
            return iri
        self.described.add(iri)
        self.graph.add((iri, RDF.type, cls))
        if label:
            self.graph.add((iri, RDFS.label, Literal(label, lang="ja")))
        self.graph.add((iri, PIA.sourceSection, Literal(evidence.section)))
        self.graph.add((iri, PIA.sourceLine, Literal(evidence.line, datatype=XSD.integer)))
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
        self.add(subject, predicate, target if target is not None else Literal(value.value))
        self.confidence(subject, value.confidence)

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
        self.node(iri, PIA.LegalBasis, text.value, text.evidence)
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
                self.add(subject, predicate, Literal(date, datatype=XSD.date) if date else Literal(value.value))
                self.confidence(subject, value.confidence)
            else:
                for tick in value:
                    if tick.ticked:
                        self.add(subject, predicate, tick.option)
                self.readings(subject, list(value), None)

    def risks(self, holder: URIRef, predicate: URIRef, ratings: list[RiskRating]) -> None:
        """Rated items: one pia:RiskMeasure each, with the measures written under it."""
        for number, rating in enumerate(ratings, start=1):
            risk = URIRef(f"{holder}/risk/{number}")
            self.node(risk, PIA.RiskMeasure, rating.item, rating.rating.evidence)
            self.add(risk, PIA.riskArea, rating.section.split(" ", 1)[-1])
            self.choice(risk, PIA.adequacy, rating.rating)
            self.add(holder, predicate, risk)
            self.measures(risk, PIA.measureDescription, rating.measures)

    def measures(self, holder: URIRef, predicate: URIRef, measures: list[Measure]) -> None:
        for number, measure in enumerate(measures, start=1):
            node = URIRef(f"{holder}/measure/{number}")
            self.node(node, PIA.MeasureDescription, measure.label, measure.text.evidence)
            self.add(node, PIA.measureText, measure.text.value)
            self.add(node, PIA.riskArea, measure.area)
            self.confidence(node, measure.text.confidence)
            self.add(holder, predicate, node)

    def organisation(self, name: str, evidence: Evidence, *, department: bool) -> URIRef:
        assessor = self.identity.assessor
        if department:
            iri = self.node(department_iri(assessor, name), PIA.Department, normalise_org_name(name), evidence)
            self.add(iri, PIA.partOf, organisation_iri(assessor))
            return iri
        return self.node(organisation_iri(name), PIA.Organization, normalise_org_name(name), evidence)

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
                self.add(iri, PIA.changeDate, Literal(change.date, datatype=XSD.date))
            if change.date_text:
                self.add(iri, PIA.changeDateText, change.date_text)
            for predicate, value in ((PIA.changedItem, change.item), (PIA.valueBefore, change.before),
                                     (PIA.valueAfter, change.after), (PIA.submissionTiming, change.timing),
                                     (PIA.explanation, change.explanation)):
                if value:
                    self.add(iri, predicate, value)
            self.add(assessment, PIA.hasChange, iri)
        for index, gap in enumerate(self.report.gaps, start=1):
            iri = URIRef(f"{self.base}/gap/{index}")
            self.node(iri, PIA.Gap, None, gap.evidence)
            self.add(iri, PIA.gapItem, gap.item)
            self.add(iri, PIA.gapReason, gap.reason)
            self.add(assessment, PIA.hasGap, iri)
        for text in self.report.unresolved:
            self.add(assessment, PIA.unresolvedText, f"{text.evidence.section} L{text.evidence.line}: {text.value}")
        return self.graph

    def assessment(self) -> URIRef:
        report, cover = self.report, self.report.cover
        evidence = cover.assessment_number.evidence if cover.assessment_number else Evidence("表紙", 1)
        title = cover.title.value if cover.title else None
        iri = self.node(self.base, PIA.Assessment, title, evidence)
        self.text(iri, PIA.assessmentNumber, cover.assessment_number)
        self.text(iri, PIA.title, cover.title)
        self.add(iri, PIA.formType, report.form_type)
        if cover.published_on:
            self.add(iri, PIA.publishedOn, Literal(cover.published_on, datatype=XSD.date))
        self.text(iri, PIA.formVersion, cover.form_version)
        self.add(iri, PIA.sourceFile, report.source_file)
        self.add(iri, PIA.sourceEncoding, report.source_encoding)
        self.add(iri, PIA.sourceShape, report.shape)
        if cover.assessor:
            body = self.organisation(cover.assessor.value, cover.assessor.evidence, department=False)
            self.add(iri, PIA.assessor, body)
        for text in report.inquiries:
            self.add(iri, PIA.inquiry, text.value)
        for text in report.procedures:
            self.add(iri, PIA.procedure, text.value)
        for text in report.record_items:
            self.add(iri, PIA.recordItem, text.value)
        self.extras(iri, cover.extras)
        for note in report.notes:
            self.add(iri, PIA.readingNote, note)
        return iri

    def affair(self, assessment: URIRef) -> URIRef:
        affair = self.report.affair
        iri = URIRef(f"{self.base}/affair")
        evidence = affair.name.evidence if affair.name else Evidence("I-1", 1)
        self.node(iri, PIA.Affair, affair.name.value if affair.name else None, evidence)
        self.add(assessment, PIA.covers, iri)
        if self.identity.assessor and self.identity.number:
            registered = registered_affair_iri(self.identity.assessor, self.identity.number)
            self.node(registered, PIA.RegisteredAffair, affair.name.value if affair.name else None, evidence)
            self.add(iri, PIA.registeredAffair, registered)
        self.text(iri, PIA.description, affair.description)
        self.choice(iri, PIA.populationBand, affair.population, "population")
        for system in affair.systems:
            self.system(iri, system)
        basis = self.legal_basis(URIRef(f"{iri}/number-use-basis"), affair.number_use_basis)
        self.add(iri, PIA.numberUseBasis, basis)
        if affair.network_linkage and affair.network_linkage.value:
            self.add(iri, PIA.networkLinkage, affair.network_linkage.value)
            self.confidence(iri, affair.network_linkage.confidence)
        self.add(iri, PIA.linkageBasis, self.legal_basis(URIRef(f"{iri}/linkage-basis"), affair.linkage_basis))
        if affair.department:
            department = self.organisation(affair.department.value, affair.department.evidence, department=True)
            self.add(iri, PIA.responsibleDepartment, department)
        self.text(iri, PIA.departmentHeadTitle, affair.department_head)
        self.text(iri, PIA.otherAssessors, affair.other_assessors)
        self.extras(iri, affair.extras)
        self.risks(iri, PIA.overallRiskMeasure, affair.risks)
        for tick in affair.audits:
            if tick.ticked:
                self.add(iri, PIA.overallAuditKind, tick.option)
        self.readings(iri, affair.audits, None)
        return iri

    def system(self, affair: URIRef, system) -> None:
        iri = URIRef(f"{self.base}/system/{system.number}")
        self.node(iri, PIA.System, system.name.value if system.name else None, system.evidence)
        self.add(affair, PIA.usesSystem, iri)
        self.add(iri, PIA.systemNumber, Literal(system.number, datatype=XSD.integer))
        self.text(iri, PIA.function, system.function)
        for tick in system.connections:
            if not tick.ticked:
                continue
            target = vocabulary.concept("connection", tick.option)
            if tick.detail:
                self.add(iri, PIA.connectionDetail, tick.detail)
            elif target is not None and not str(target).endswith("/other"):
                self.add(iri, PIA.connectsTo, target)
        self.readings(iri, system.connections, "connection")

    def file(self, affair: URIRef, index: int, record: FileRecord) -> None:
        iri = URIRef(f"{self.base}/file/{index}")
        self.node(iri, PIA.PersonalInfoFile, record.name.value, record.name.evidence)
        self.add(affair, PIA.hasFile, iri)
        self.add(iri, PIA.hasOverviewBlock, Literal(record.has_overview))
        self.add(iri, PIA.hasRiskBlock, Literal(record.has_risk_block))
        self.choice(iri, PIA.fileKind, record.kind)
        self.choice(iri, PIA.subjectCountBand, record.population, "subjects")
        self.text(iri, PIA.subjectScope, record.scope)
        self.choice(iri, PIA.recordCountBand, record.record_count, "record-count")
        for tick in record.main_items:
            if tick.ticked:
                self.add(iri, PIA.mainRecordItem, tick.option)
        self.readings(iri, record.main_items, None)
        if record.department:
            department = self.organisation(record.department.value, record.department.evidence, department=True)
            self.add(iri, PIA.handlingDepartment, department)
            self.confidence(iri, record.department.confidence)
        for predicate, value in ((PIA.retentionStart, record.retention_start), (PIA.usePurpose, record.purpose),
                                 (PIA.usingDepartments, record.using_departments), (PIA.usage, record.usage),
                                 (PIA.useStart, record.use_start), (PIA.storage, record.storage)):
            self.text(iri, predicate, value)
        self.choice(iri, PIA.userCountBand, record.user_count, "handlers")
        self.choice(iri, PIA.entrustmentChoice, record.entrustment)
        for tick in record.disclosure_options:
            if tick.ticked:
                self.add(iri, PIA.disclosureOption, tick.option)
        self.readings(iri, record.disclosure_options, None)
        for predicate, count in ((PIA.statedEntrustmentCount, record.entrustment_count),
                                 (PIA.statedProvisionCount, record.provision_count),
                                 (PIA.statedTransferCount, record.transfer_count)):
            if count is not None:
                self.add(iri, predicate, Literal(count, datatype=XSD.integer))
        self.acquisitions(iri, record)
        for item in record.entrustments:
            self.entrustment(iri, item)
        for entry in record.provisions + record.transfers:
            self.disclosure(iri, entry)
        self.risks(iri, PIA.riskMeasure, record.risks)
        self.measures(iri, PIA.otherRiskDescription, record.other_risks)
        self.extras(iri, record.extras)
        for tick in record.audits:
            if tick.ticked:
                self.add(iri, PIA.auditKind, tick.option)
        self.readings(iri, record.audits, None)
        self.choice(iri, PIA.seriousIncident, record.incident)
        self.text(iri, PIA.incidentDetail, record.incident_detail)
        self.text(iri, PIA.recurrencePrevention, record.recurrence_prevention)

    def methods(self, flow: URIRef, ticks: list[Tick]) -> None:
        for tick in ticks:
            if tick.ticked:
                self.add(flow, PIA.method, vocabulary.concept("method", tick.option))
                if tick.detail:
                    self.add(flow, PIA.detail, tick.detail)
        self.readings(flow, ticks, "method")

    def acquisitions(self, file_iri: URIRef, record: FileRecord) -> None:
        for tick in record.sources:
            if not tick.ticked:
                continue
            category = vocabulary.concept("source", tick.option)
            local = str(category).rsplit("/", 1)[-1]
            flow = URIRef(f"{file_iri}/acquisition/{local}")
            self.node(flow, PIA.Acquisition, None, tick.evidence)
            self.add(flow, PIA.ofFile, file_iri)
            self.add(flow, PIA.source, category)
            self.confidence(flow, tick.confidence)
            if tick.detail:
                self.add(flow, PIA.sourceDetail, tick.detail)
                for name in named_bodies(tick.detail):
                    if len(name) >= 2:
                        department = local == "other-department" or is_department_name(name)
                        self.add(flow, PIA.source, self.organisation(name, tick.evidence, department=department))
            self.methods(flow, record.acquisition_methods)
        self.readings(file_iri, record.sources, "source")

    def entrustment(self, file_iri: URIRef, item: EntrustmentRecord) -> None:
        flow = URIRef(f"{file_iri}/entrustment/{item.number}")
        self.node(flow, PIA.Entrustment, item.title.value if item.title else None, item.evidence)
        self.add(flow, PIA.ofFile, file_iri)
        self.add(flow, PIA.flowNumber, Literal(item.number, datatype=XSD.integer))
        self.text(flow, PIA.entrustmentTitle, item.title)
        self.text(flow, PIA.purpose, item.content)
        self.choice(flow, PIA.handlerCountBand, item.handler_count, "handlers")
        self.text(flow, PIA.contractorNameAsWritten, item.contractor)
        if item.subcontracting and item.subcontracting.value:
            self.add(flow, PIA.subcontracting, Literal(item.subcontracting.value == "再委託する"))
            self.confidence(flow, item.subcontracting.confidence)
        self.text(flow, PIA.subcontractPermission, item.subcontract_permission)
        self.text(flow, PIA.subcontractItems, item.subcontract_items)
        self.methods(flow, item.methods)
        self.extras(flow, item.extras)

    def disclosure(self, file_iri: URIRef, entry: DisclosureRecord) -> None:
        cls = PIA.Provision if entry.kind == "provision" else PIA.Transfer
        flow = URIRef(f"{file_iri}/{entry.kind}/{entry.number}")
        self.node(flow, cls, entry.recipient.value if entry.recipient else None, entry.evidence)
        self.add(flow, PIA.ofFile, file_iri)
        self.add(flow, PIA.flowNumber, Literal(entry.number, datatype=XSD.integer))
        if entry.recipient:
            department = entry.kind == "transfer" and is_department_name(entry.recipient.value)
            recipient = self.organisation(entry.recipient.value, entry.evidence, department=department)
            self.add(flow, PIA.recipient, recipient)
        self.add(flow, PIA.legalBasis, self.legal_basis(URIRef(f"{flow}/basis"), entry.legal_basis))
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
