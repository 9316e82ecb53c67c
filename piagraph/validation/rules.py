"""Completeness and consistency rules (`shapes/*.ttl`) run on report graphs: 評価書の点検.

One report graph is validated at a time with pyshacl, the ontology (`ontology/*.ttl`) as its
``ont_graph`` and no inference. Each SHACL result becomes a `Finding`: the rule (``PIA-Rnn``), its
severity, the Japanese message, the report (source file and 評価書 node) and where to read the
evidence — the ``pia:sourceSection`` / ``pia:sourceLine`` of the result's focus node, or of the
nearest node above it that has them.

Given the report's text (its source lines), a finding whose rule names a place of the form cites
that place in the text (`piagraph.validation.evidence`): "III-8 監査 …" cites the III-8 lines of the
file, not the file's II-1 name.

Date-dependent rules (公表日 older than 5 years, 規則第15条; 公表日 in the future) compare with the
validation date, ``today``, which every function takes as a parameter (default: the real today), so
a validation is reproducible. `rules_version` names the rule set (piagraph's version and a digest of
the shapes and of the forms' descriptions), recorded with stored findings so that findings of an older
rule set can be recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import metadata, resources

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from loaders.evidence import least_certain_value, value_evidence
from ontology import PIA, ontology_graph, package_turtle
from piagraph.validation import rdflib_cache
from piagraph.validation.evidence import relocate
from piagraph.validation.form_rules import every_form_rule, for_form, form_name_of

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
"""SHACL severities → the names findings use; also their order, most severe first."""

SEVERITY_ORDER = {name: rank for rank, name in enumerate(SEVERITIES.values())}


@dataclass(frozen=True)
class Finding:
    """One rule a report breaks (or a fact it flags), with the evidence to read.

    `report` is the report's source file name (or its 評価書 IRI when the graph has no file name);
    `section` and `line` point into that file (`line_end`: the last line when the evidence spans
    several, e.g. a whole sub-section); `value` is the offending value when the rule has one (a
    count, a gap item, a confidence …).
    """

    rule: str
    severity: str
    message: str
    report: str
    assessment: str
    focus: str
    section: str | None
    line: int | None
    value: str | None = None
    line_end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self) -> tuple:
        return (self.report, SEVERITY_ORDER.get(self.severity, 9), self.line or 0, self.rule, self.message,
                self.value or "", self.focus)


# -- the shapes ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All rules of `shapes/*.ttl`, parsed once (without the date bounds: see `dated_shapes`)."""
    return package_turtle("shapes")


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@lru_cache(maxsize=1)
def rules_version() -> str:
    """The rule set's version: piagraph's version and a digest of every ``shapes/*.ttl`` file and of
    the forms' descriptions the per-form rules are generated from (``loaders/forms/*.toml``) —
    recorded with stored findings; `piagraph validate --store` recomputes other versions'."""
    digest = hashlib.sha256()
    for package, suffix in (("shapes", ".ttl"), ("loaders.forms", ".toml")):
        for resource in sorted(resources.files(package).iterdir(), key=lambda r: r.name):
            if resource.name.endswith(suffix):
                digest.update(resource.name.encode() + b"\0" + resource.read_bytes())
    try:
        version = metadata.version("piagraph")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"piagraph {version}; shapes {digest.hexdigest()[:12]}"


@lru_cache(maxsize=16)
def form_shapes(form: str, today: dt.date) -> Graph:
    """The shapes a report of `form` (様式2, 様式3, 様式4) is validated with on `today`."""
    return for_form(dated_shapes(today), form)


@lru_cache(maxsize=16)
def dated_shapes(today: dt.date) -> Graph:
    """The shapes with the date bounds of `today` filled in.

    A property shape with ``pia:maxAgeYears N`` gets ``sh:minInclusive`` today − N years; one with
    ``pia:notAfterValidationDate true`` gets ``sh:maxInclusive`` today. Core constraints, so the date
    rules cost nothing extra and need no SPARQL.
    """
    graph = Graph()
    for triple in shapes_graph():
        graph.add(triple)
    for shape, years in list(graph.subject_objects(PIA.maxAgeYears)):
        cutoff = years_before(today, int(years))
        graph.add((shape, SH.minInclusive, Literal(cutoff.isoformat(), datatype=XSD.date)))
    for shape in list(graph.subjects(PIA.notAfterValidationDate, Literal(True))):
        graph.add((shape, SH.maxInclusive, Literal(today.isoformat(), datatype=XSD.date)))
    return graph


@dataclass(frozen=True)
class Rule:
    """One rule as declared in the shapes: id, severity, Japanese title and source."""

    rule: str
    severity: str
    title: str
    source: str


def rules() -> list[Rule]:
    """Every rule of the shapes, in id order (for documentation and ``piagraph validate --rules``).

    A rule may span several shapes; its title and source are on the one with an rdfs:label. The
    completeness rules generated from the forms' descriptions are listed with the others.
    """
    graph = every_form_rule(shapes_graph())
    shapes_by_rule: dict[str, list] = defaultdict(list)
    for shape, rule_id in graph.subject_objects(PIA.ruleId):
        shapes_by_rule[str(rule_id)].append(shape)
    declared = []
    for rule_id in sorted(shapes_by_rule):
        shapes = shapes_by_rule[rule_id]
        main = next((shape for shape in shapes if graph.value(shape, RDFS.label) is not None), shapes[0])
        severity = next((SEVERITIES[value] for shape in shapes
                         if (value := graph.value(shape, SH.severity)) in SEVERITIES), "")
        declared.append(Rule(rule_id, severity, str(graph.value(main, RDFS.label) or ""),
                             str(graph.value(main, RDFS.comment) or "")))
    return declared


# -- validation ------------------------------------------------------------------------------------


def validate_graph(graph: Graph, *, today: dt.date | None = None,
                   source_lines: Sequence[str] = ()) -> list[Finding]:
    """Validate one report graph; the findings sorted by severity and line.

    `today` is the validation date for the date rules (default: `datetime.date.today()`);
    `source_lines`, the report's text, lets each finding cite the place of the form its rule names.
    """
    import pyshacl  # here: the app's pages that read stored findings start 0.2 s sooner without it

    today = today or dt.date.today()
    rdflib_cache.install()
    shapes = form_shapes(form_name_of(graph), today)
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology_graph(),
        inference="none",
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
    )
    assessment, report = report_identity(graph)
    findings = [
        finding
        for result in results.subjects(RDF.type, SH.ValidationResult)
        if (finding := _finding(graph, results, result, assessment, report, shapes)) is not None
    ]
    return sorted(set(relocate(findings, graph, source_lines)), key=lambda f: f.sort_key)


def validate_report(loaded, *, today: dt.date | None = None) -> list[Finding]:
    """Validate a `loaders.pipeline.LoadedReport` (or anything with a ``graph`` and, best, its
    ``source_lines``)."""
    return validate_graph(loaded.graph, today=today, source_lines=getattr(loaded, "source_lines", ()) or ())


def report_identity(graph: Graph) -> tuple[str, str]:
    """The report's 評価書 IRI and the name findings give it (its source file, else the IRI)."""
    assessment = next(graph.subjects(RDF.type, PIA.Assessment), None)
    if assessment is None:
        return "", ""
    source = graph.value(assessment, PIA.sourceFile)
    return str(assessment), str(source) if source else str(assessment)


def _finding(data: Graph, results: Graph, result, assessment: str, report: str, shapes: Graph) -> Finding | None:
    shape = results.value(result, SH.sourceShape)
    rule = _rule_of(shape, shapes)
    if rule is None:  # a result of a shape that is no rule of ours (never expected)
        return None
    focus = results.value(result, SH.focusNode)
    value = results.value(result, SH.value)
    section, line = value_line(data, focus, results.value(result, SH.resultPath), value) or evidence_of(data, focus)
    return Finding(
        rule=rule,
        severity=SEVERITIES.get(results.value(result, SH.resultSeverity), "Violation"),
        message=str(results.value(result, SH.resultMessage) or ""),
        report=report,
        assessment=assessment,
        focus=str(focus),
        section=section,
        line=line,
        value=_value_text(data, value, focus),
    )


def _rule_of(shape, graph: Graph) -> str | None:
    """The pia:ruleId of the shape that produced a result, or of the node shape holding it."""
    rule = graph.value(shape, PIA.ruleId)
    if rule is None:
        parent = graph.value(None, SH.property, shape)
        rule = graph.value(parent, PIA.ruleId) if parent is not None else None
    return str(rule) if rule is not None else None


def _value_text(data: Graph, value, focus) -> str | None:
    """The offending value as text: a literal as written, a concept or node by its label."""
    if value is None or value == focus or isinstance(value, BNode):
        return None
    if isinstance(value, URIRef):
        label = data.value(value, RDFS.label)
        return str(label) if label is not None else str(value)
    return str(value)


def value_line(graph: Graph, focus, path, value) -> tuple[str | None, int] | None:
    """Where a finding about one value points: the line that value was read on (its own
    pia:ValueEvidence), not its node's first line; for a node's pia:confidence, the line of its least
    certain value (else of its inferred mark, in a graph without per-value evidence)."""
    if path == PIA.confidence:
        least = least_certain_value(graph, focus)
        if least is not None:
            return least[2].section, least[2].line
        return inferred_mark_evidence(graph, focus, value)
    if path is None or value is None or isinstance(path, BNode):
        return None
    own = value_evidence(graph, focus, path, value)
    return (own.section, own.line) if own is not None else None


def inferred_mark_evidence(graph: Graph, node, confidence) -> tuple[str | None, int] | None:
    """Where the inferred value of a node was read: its ticked pia:CheckboxReading of that
    confidence (the earliest line), rather than the node's own first line."""
    marks = []
    for reading in graph.objects(node, PIA.checkboxReading):
        ticked, level = graph.value(reading, PIA.ticked), graph.value(reading, PIA.confidence)
        if ticked is not None and ticked.toPython() is True and level is not None and confidence is not None \
                and level.toPython() == confidence.toPython():
            marks.append(evidence_of(graph, reading))
    marks = [mark for mark in marks if mark[1] is not None]
    return min(marks, key=lambda mark: mark[1]) if marks else None


def evidence_of(graph: Graph, node, max_hops: int = 3) -> tuple[str | None, int | None]:
    """The section and line of a node, or of the nearest node that points at it and has them."""
    queue, seen = deque([(node, 0)]), {node}
    while queue:
        current, hops = queue.popleft()
        line = graph.value(current, PIA.sourceLine)
        if line is not None:
            section = graph.value(current, PIA.sourceSection)
            return (str(section) if section is not None else None), int(line)
        if hops < max_hops:
            for parent in graph.subjects(None, current):
                if parent not in seen:
                    seen.add(parent)
                    queue.append((parent, hops + 1))
    return None, None


__all__ = [
    "Finding",
    "Rule",
    "dated_shapes",
    "evidence_of",
    "form_shapes",
    "rules",
    "rules_version",
    "shapes_graph",
    "validate_graph",
    "validate_report",
]
