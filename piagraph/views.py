"""What the app's pages show, as plain data: each function asks the store and returns rows.

The Streamlit pages (``app/``) only lay these out; every question about the graph is answered here,
so the same views can be tested without a browser and reused by other front ends. The queries are
fixed ``.rq`` files (``queries/views/``), written in the shape `piagraph.sparql.builder` explains
(required triples in one flat block, each OPTIONAL one triple at the top level) so that Oxigraph
looks them up per report, not per store.

The views by page:

* 概要 — `overview`, `report_table` (with when, from which file and by whom each report was loaded),
  `findings_by_severity` and `unchecked_count` (the same stored findings as 検証);
* 評価書 — `report_list`, `report_versions` (a report's published versions and superseded contents
  with their load times and files), `report_facts_with_quotes` (every fact with section, line and
  the quoted source line);
* 検証 — `findings` (the findings stored with each current report), `validation_status` (per
  report: checked or not, with which rule set, when), `finding_evidence` (a finding opened: its
  section, lines and the quoted source lines around them);
* 比較 — `comparison_table`, `report_diff`, `annex2_rows`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDF, RDFS, Graph

from ontology import ID, ontology_graph
from piagraph.flows.diagrams import method_text
from piagraph.flows.kinds import EDGE_KINDS, flow_kind_label
from piagraph.sparql.builder import page_query, python_value, select
from piagraph.sparql.saved import load_query, load_view_query
from piagraph.store.summaries import require_summaries
from piagraph.validation.rules import SEVERITY_ORDER, rules_version

DATA_FLOW_LABELS = [EDGE_KINDS[kind] for kind in ("acquisition", "entrustment", "provision", "transfer")]
"""入手, 委託, 提供, 移転: the kinds of pia:DataFlow, in the order the overview shows them."""


def _view(store, name: str, **params) -> list[dict]:
    """The rows of a view query (``queries/views/NAME.rq``) as dicts of Python values."""
    query = load_view_query(name)
    require_summaries(store, query.text)
    return select(store, query.bind(params) if params else query.text, python=True)


@dataclass
class Overview:
    """概要: what the store holds."""

    reports: int
    versions: int
    bodies: int
    files: int
    flows: dict[str, int]
    contractors: int
    newest: dict | None
    oldest: dict | None


def overview(store) -> Overview:
    # Counts over every current report: these queries read the whole store by design.
    counts = _view(store, "overview-counts")[0]
    versions = _view(store, "version-count")
    flows = {flow_kind_label(row["kind"]): row["n"] for row in _view(store, "flow-counts")}
    dated = _view(store, "publication-dates")
    return Overview(
        reports=counts["reports"], versions=versions[0]["n"], bodies=counts["bodies"], files=counts["files"],
        flows={kind: flows.get(kind, 0) for kind in DATA_FLOW_LABELS}, contractors=counts["contractors"],
        newest=dated[-1] if dated else None, oldest=dated[0] if dated else None,
    )


def report_list(store, *, body: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Every report version in the store (the saved query ``report-versions``), or those of one body;
    one page of them with `limit` / `offset`, in the listing's order (`overview(store).versions` counts them all)."""
    query = load_query("report-versions")
    require_summaries(store, query.text)
    text = query.bind({"body": body}) if body else query.text
    return select(store, page_query(text, limit, offset) if limit is not None or offset else text, python=True)


VARIABLE_TITLES = {
    "body": "評価実施機関", "affair": "事務", "assessmentNumber": "評価書番号", "number": "番号", "publishedOn": "公表日",
    "current": "現行版", "files": "ファイル数", "flows": "フロー数", "triples": "三つ組数", "source": "元ファイル",
    "graph": "評価書グラフ", "file": "特定個人情報ファイル", "kind": "種類", "sharedSystem": "共通システム",
    "affairs": "事務数", "bodies": "評価実施機関数", "changeDate": "変更日", "item": "項目", "before": "変更前",
    "after": "変更後", "timing": "提出時期", "previousDate": "旧版の公表日", "currentDate": "現行版の公表日",
    "contractor": "委託先", "department": "部署", "subjects": "対象者", "system": "システム",
    "networkLinkage": "情報提供ネットワークシステムとの接続", "linkageBasis": "接続の根拠", "numberUseBasis": "個人番号利用の根拠",
    "citations": "条項", "recipient": "提供先・移転先", "provisions": "提供数", "legalBasis": "根拠法令", "reason": "理由",
    "sourceLine": "行", "section": "節", "line": "行", "riskArea": "リスク対策の区分", "risk": "リスク", "stated": "記載の件数",
    "listed": "列挙された件数", "type": "種別", "label": "名称", "confidence": "確度", "methods": "方法", "method": "方法",
    "frequency": "頻度", "counterpart": "相手方", "party": "相手方", "years": "経過年数", "entries": "件数",
    "subcontracted": "再委託", "subcontractedWork": "再委託する業務", "subcontractedEntrustments": "再委託のある委託",
    "loadedAt": "読込日時", "loadedBy": "読込者", "status": "状態", "supersededAt": "置き換え日時", "lineEnd": "最終行",
    "entrustment": "委託", "providers": "提供元の数", "fromAffairs": "移転元の事務", "cutoff": "基準日", "bodyNames": "評価実施機関名",
}
"""Variables of the saved queries → the Japanese column names the SPARQL page shows (a variable of
one's own query keeps its name)."""


def variable_title(variable: str) -> str:
    return VARIABLE_TITLES.get(variable, variable)


REPORT_COLUMNS = {"body": "評価実施機関", "affair": "事務", "assessmentNumber": "評価書番号", "form": "評価書の種類",
                  "publishedOn": "公表日",
                  "current": "現行版", "files": "ファイル", "flows": "フロー", "triples": "三つ組", "source": "元ファイル",
                  "loadedAt": "読込日時", "loadedBy": "読込者"}


@dataclass(frozen=True)
class ReportChoice:
    """One report as a picker shows it: 評価実施機関, 事務 and 公表日 in Japanese, never an IRI."""

    graph: str
    body: str
    affair: str
    number: str
    published: dt.date | None
    current: bool
    source: str
    form: str = ""  # 基礎項目評価書 / 重点項目評価書 / 全項目評価書 (report-versions.rq ?form)

    @property
    def key(self) -> str:
        """The short name of the report graph (its IRI's last segment), for links."""
        return self.graph.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        date = self.published.isoformat() if isinstance(self.published, dt.date) else "公表日不明"
        # A 基礎 and its 全項目 (or 重点) share body, 事務, 評価書番号 and 公表日: the label names a form other
        # than 重点 before the 事務 (重点 labels, the only form read before, stay as they were).
        return (f"{self.body} {self.named_form}{self.affair}(評価書番号 {self.number or '?'}、公表日 {date})"
                f"{'' if self.current else '【旧版】'}")

    @property
    def named_form(self) -> str:
        """The form as the label names it: ``基礎項目評価書 `` / ``全項目評価書 ``, "" for 重点 (and unknown)."""
        return f"{self.form} " if self.form and self.form != "重点項目評価書" else ""


def report_choices(store, *, current_only: bool = False, body: str | None = None) -> list[ReportChoice]:
    """The reports to pick from (of one body, `body`), sorted by body, 事務 and newest 公表日 first.

    A national store holds tens of thousands: pickers choose a body first (`body_names`) and then
    its reports, which reads that body's rows alone."""
    choices = [ReportChoice(graph=str(r["graph"]), body=str(r.get("body") or "?"), affair=str(r.get("affair") or "?"),
                            number=str(r.get("assessmentNumber") or ""), published=r.get("publishedOn"),
                            current=bool(r.get("current")), source=str(r.get("source") or ""),
                            form=str(r.get("form") or ""))
               for r in report_list(store, body=body)]
    choices = [c for c in choices if c.current or not current_only]
    newest_first = sorted(choices, key=lambda c: c.published or dt.date.min, reverse=True)
    return sorted(newest_first, key=lambda c: (c.body, c.named_form + c.affair, not c.current))


def body_names(store) -> list[str]:
    """The bodies (評価実施機関) with a report, sorted: read from the per-body graphs
    (`piagraph.store.bodies`), in milliseconds even for a national store. Every body has a current
    report (the newest version of each series is current)."""
    return sorted({str(row["body"]) for row in _view(store, "report-bodies")})


def report_body(store, key: str) -> str | None:
    """The body of the report whose `ReportChoice.key` is `key` (a link's ``?report=``), None if unknown."""
    rows = _view(store, "report-body", g=str(ID[f"graph/{key}"])) if key else []  # the loader's graph IRIs
    return str(rows[0]["body"]) if rows else None


def report_table(store, *, limit: int | None = None, offset: int = 0) -> list[dict]:
    """The report list (a page of it) as the app shows it: Japanese column names, no IRIs."""
    return [{title: row.get(key) for key, title in REPORT_COLUMNS.items()}
            for row in report_list(store, limit=limit, offset=offset)]


def report_graph(store, graph: str) -> Graph:
    """One report's named graph as an rdflib graph."""
    return store.named_graph(graph)


VERSION_STATUS = {"current": "現行版", "older": "旧版", "superseded": "置き換え前の内容"}
VERSION_COLUMNS = {"status": "版", "publishedOn": "公表日", "loadedAt": "読込日時", "loadedFrom": "読込元ファイル",
                   "loadedBy": "読込者", "supersededAt": "置き換え日時", "triples": "三つ組"}
"""`report_versions`' keys and their Japanese column names (``graph`` and ``supersededBy`` are IRIs
for further views, not columns)."""


def report_versions(store, graph: str) -> list[dict]:
    """Every stored content of one report's series, newest first: its published versions (現行版,
    旧版 by 公表日) and the earlier contents that loads of different text superseded (置き換え前の内容),
    each with when, from which file and by whom it was loaded (keys: `VERSION_COLUMNS`, ``graph``,
    ``supersededBy``). Empty for a graph the catalog does not list."""
    series = _view(store, "report-series", g=str(graph))
    if not series:
        return []
    entries = store.catalog(str(series[0]["series"]), superseded=True)
    rows = []
    for entry in entries:
        status = "superseded" if entry.is_superseded else "current" if entry.is_current else "older"
        rows.append({
            "graph": str(entry.graph), "status": VERSION_STATUS[status], "publishedOn": entry.published_on,
            "loadedAt": entry.loaded_at, "loadedFrom": entry.source_file, "loadedBy": entry.loaded_by,
            "supersededAt": entry.superseded_at, "supersededBy": str(entry.superseded_by) if entry.superseded_by else None,
            "triples": entry.triple_count,
        })
    return sorted(rows, key=lambda r: (r["publishedOn"] or dt.date.min, r["supersededAt"] is None,
                                       r["supersededAt"] or r["loadedAt"]), reverse=True)


@dataclass
class QuotedLine:
    """One line of a report's text as quoted evidence; `cited` marks the lines the evidence names
    (the others are context)."""

    number: int
    text: str
    cited: bool


@dataclass
class Fact:
    """One fact of a report with the place an auditor reads it: section, source line and (from
    `report_facts_with_quotes`) the quoted source lines — the cited line, and when the value is
    written below its label (the form's cover: ``評価実施機関名`` / ``みどり市長``), the lines down to it."""

    item: str
    value: str
    section: str = ""
    line: int | None = None
    confidence: float | None = None
    quoted: list[QuotedLine] = field(default_factory=list)

    @property
    def quote(self) -> str:
        """The quoted lines as one text (one line per line)."""
        return "\n".join(line.text for line in self.quoted)


@dataclass
class ReportSection:
    title: str
    facts: list[Fact] = field(default_factory=list)


def _facts(graph: Graph, name: str, **params) -> list[Fact]:
    """The facts a report-view query (``queries/views/report-*.rq``) finds in one report graph."""
    query = load_view_query(name)
    facts = []
    for row in graph.query(query.bind(params) if params else query.text):
        item, value, section, line, confidence = ([python_value(v) for v in row] + [None] * 5)[:5]
        facts.append(Fact(str(item), "" if value is None else str(value), section or "", line,
                          float(confidence) if confidence is not None else None))
    return facts


def _file_flows(graph: Graph, file: str) -> list[Fact]:
    """The 入手元, 委託先, 提供先 and 移転先 of one file, one fact per counterpart and 根拠法令, its value
    ``相手方(詳細) / 方法: …、… / 根拠: …`` with the methods sorted (``report-file-flows.rq``)."""
    flows: dict[tuple, dict] = {}
    for result in graph.query(load_view_query("report-file-flows").bind({"file": file})):
        row = {name: python_value(value) for name, value in result.asdict().items()}
        flow = flows.setdefault((row["node"], row.get("party"), row.get("basis")), {**row, "methods": set()})
        if row.get("method"):
            flow["methods"].add(str(row["method"]))
    facts = []
    for flow in flows.values():
        value = str(flow.get("party") or "") + (f"({flow['detail']})" if flow.get("detail") else "")
        value += f" / 方法: {'、'.join(sorted(flow['methods']))}" if flow["methods"] else ""
        value += f" / 根拠: {flow['basis']}" if flow.get("basis") else ""
        confidence = flow.get("conf")
        facts.append(Fact(str(flow["item"]), value, flow.get("sec") or "", flow.get("line"),
                          float(confidence) if confidence is not None else None))
    return sorted(facts, key=lambda fact: (fact.line or 0, fact.item, fact.value))


def _form_facts(graph: Graph, rows, node=None) -> list[Fact]:
    """The facts of the form-specific rows (`loaders.forms`: rows with a ``property``) in one graph."""
    from ontology import PIA

    labels = {str(PIA[row.term]): row.label for row in rows if row.term}
    if not labels:
        return []
    params = {"property": list(labels)} | ({"node": str(node)} if node is not None else {})
    facts = []
    for row in graph.query(load_view_query("report-form-facts").bind(params)):
        prop, value, section, line, confidence = [python_value(v) for v in row]
        facts.append(Fact(labels[str(prop)], "" if value is None else str(value), section or "", line,
                          float(confidence) if confidence is not None else None))
    return facts


def report_sections(graph: Graph) -> list[ReportSection]:
    """A report as its form's sections (`loaders.forms`: 表紙, I, each file's II・III, and the
    sections only some forms have — しきい値判断, IV その他のリスク対策, VI 評価実施手続 …), each fact
    with its evidence (section, line, confidence); sections without facts are left out."""
    from loaders.forms import form_of_type
    from ontology import PIA

    assessment = next(graph.subjects(RDF.type, PIA.Assessment), None)
    form_type = graph.value(assessment, PIA.formType) if assessment is not None else None
    form = form_of_type(str(form_type) if form_type is not None else None)
    overview, risks = form.with_role("overview"), form.with_role("risks")
    file_rows = [*(overview.all_fields if overview else []), *(risks.all_fields if risks else [])]
    sections: list[ReportSection] = []
    for section in form.sections:
        facts: list[Fact] = []
        if section.role == "cover":
            facts = _facts(graph, "report-cover") + _facts(graph, "report-assessor")
        elif section.role == "basic":
            facts = _facts(graph, "report-affair") + _facts(graph, "report-systems") + _facts(graph, "report-affair-links")
        elif section.role == "overall-risks":
            facts = _facts(graph, "report-overall-risks")
        if section.role == "overview":
            for file, name in graph.query(load_view_query("report-files").text):
                facts = (_file_flows(graph, str(file)) + _facts(graph, "report-file-risks", file=str(file))
                         + _form_facts(graph, file_rows, file))
                title = f"{overview.key}・{risks.key} {name}" if risks else f"{overview.key} {name}"
                sections.append(ReportSection(title, facts))
            continue
        if section.role != "risks":
            facts += _form_facts(graph, section.all_fields)
        if facts:
            sections.append(ReportSection(section.title, facts))
    sections.append(ReportSection("欠落・推定", _facts(graph, "report-gaps") + _facts(graph, "report-inferred-marks")))
    return sections


def report_facts_with_quotes(store, graph: str) -> list[ReportSection]:
    """`report_sections` of a stored report, each fact with its source line quoted (`Fact.quote`)
    from the report's text kept in the store."""
    sections = report_sections(report_graph(store, graph))
    lines = source_lines(store, graph)
    for section in sections:
        for fact in section.facts:
            fact.quoted = quote_fact(lines, fact)
    return sections


VALUE_LOOKAHEAD = 3
"""Non-blank lines after a fact's line searched for its value (a value written below its label)."""


def quote_fact(lines: dict[int, str], fact: Fact) -> list[QuotedLine]:
    """A fact's quoted lines: its own line, extended to the next lines when they, not it, hold the
    value (up to `VALUE_LOOKAHEAD` non-blank lines)."""
    if not fact.line or fact.line not in lines:
        return []
    quoted = [QuotedLine(fact.line, lines[fact.line], True)]
    probe = fact.value.split(" / ")[0].strip()[:20]
    if not probe or probe in lines[fact.line]:
        return quoted
    following = [n for n in sorted(lines) if n > fact.line][:VALUE_LOOKAHEAD]
    for index, number in enumerate(following):
        if probe in lines[number]:
            return quoted + [QuotedLine(n, lines[n], True) for n in following[:index + 1]]
    return quoted


def source_lines(store, graph: str, first: int | None = None, last: int | None = None) -> dict[int, str]:
    """A stored report's text (line number → text as read), or lines `first`…`last` of it. Blank
    lines are not kept (absent here); empty for a report stored without its text."""
    params: dict = {"g": str(graph)}
    if first is not None:
        params["first"] = str(first)
    if last is not None:
        params["last"] = str(last)
    return {int(row["n"]): str(row["text"]) for row in _view(store, "source-lines", **params)}


@dataclass
class Evidence:
    """Where a finding (or fact) is read in its report: section, line (to `line_end`), and the
    quoted lines around them — what an auditor checks against the published report."""

    report: str
    graph: str
    section: str
    line: int | None
    line_end: int | None
    lines: list[QuotedLine] = field(default_factory=list)


EVIDENCE_CONTEXT = 2
"""Lines quoted before and after the cited lines."""
MAX_QUOTED_LINES = 40
"""A cited span longer than this (a whole sub-section) is quoted from its start."""


def finding_evidence(store, finding: dict, context: int = EVIDENCE_CONTEXT) -> Evidence:
    """A finding opened: a row of `findings` (keys ``g``, ``report``, ``section``, ``line``,
    ``lineEnd``) → its section, line(s) and the quoted source lines, the cited ones marked, with
    `context` lines around them. Blank lines of the text are left out; no lines when the report was
    stored without its text or the finding has no line."""
    line, end = finding.get("line"), finding.get("lineEnd") or finding.get("line_end")
    evidence = Evidence(report=str(finding.get("report") or ""), graph=str(finding.get("g") or ""),
                        section=str(finding.get("section") or ""), line=line, line_end=end)
    if line is None or not evidence.graph:
        return evidence
    last_cited = min(end or line, line + MAX_QUOTED_LINES - 1)
    quoted = source_lines(store, evidence.graph, max(1, line - context), last_cited + context)
    evidence.lines = [QuotedLine(n, text, line <= n <= last_cited) for n, text in sorted(quoted.items())]
    return evidence


SEVERITY_LABELS = {"Violation": "違反", "Warning": "警告", "Info": "情報"}
FINDING_TITLES = {"severity": "重要度", "rule": "規則", "message": "メッセージ", "report": "評価書", "section": "節",
                  "line": "行", "value": "記載"}
"""A finding's fields → the Japanese column names of the 検証 page and its exports."""


def finding_rows(found: list[dict]) -> list[dict]:
    """Findings as the app and its exports show them: Japanese columns, severity as 違反/警告/情報,
    the evidence (評価書, 節, 行) and the offending value (記載)."""
    return [{title: SEVERITY_LABELS.get(row.get(key), row.get(key)) if key == "severity" else row.get(key)
             for key, title in FINDING_TITLES.items()} for row in found]


FINDINGS_AT_ONCE = 5000
"""Findings 検証 lists for the whole store at once; a store holding more (a national one: a few per
report) lists them one 評価実施機関 at a time (`findings` of its reports)."""


def findings(store, *, body: str | None = None) -> list[dict]:
    """The findings an auditor acts on: those stored with each current report (validated when it
    was loaded, or by ``piagraph validate --store``) and those of the rules across reports
    (`findings_across_reports`) — of one body's current reports, `body`, or of all — sorted by report,
    severity and line. Each row:
    ``g`` (report graph), ``rule``, ``severity``, ``message``, ``report``, ``section``, ``line``,
    ``lineEnd``, ``value``, ``assessment``, ``focus`` — open one with `finding_evidence`. A report
    that was not checked has no rows here: see `validation_status` / `unchecked_reports`; whether
    the rules across reports are up to date: `across_reports_status`."""
    if body is None:
        rows = _view(store, "stored-findings") + findings_across_reports(store)
    else:
        graphs = [c.graph for c in report_choices(store, current_only=True, body=body)]
        rows = _view(store, "stored-findings", g=graphs) if graphs else []
        rows += [r for r in findings_across_reports(store) if str(r["g"]) in graphs]
    return sorted(rows, key=lambda r: (r["report"], SEVERITY_ORDER.get(r["severity"], 9), r["line"] or 0, r["rule"]))


def findings_across_reports(store) -> list[dict]:
    """The findings of the rules across reports (a 重点/全項目 report and its 基礎,
    `piagraph.validation.store_rules`) as ``piagraph validate --store`` last computed them, for
    current reports; rows as `findings`'. They depend on which reports the store holds: see
    `across_reports_status` for whether a later load has made them out of date."""
    return _view(store, "across-reports-findings")


def across_reports_status(store) -> dict:
    """Whether the rules across reports were computed (``checked``), on which day (``validatedOn``)
    and whether on the catalog as it is now (``current``: no report was loaded since)."""
    rows = _view(store, "across-reports-status")
    if not rows:
        return {"checked": False, "current": False, "validatedOn": None}
    return {"checked": True, "current": rows[0]["catalogState"] == store.catalog_state(),
            "validatedOn": rows[0]["validatedOn"]}


def stored_findings(store) -> list[dict]:
    """The same as `findings` (kept for callers of its earlier name)."""
    return findings(store)


def validation_status(store) -> list[dict]:
    """Per current report: ``g``, ``report``, ``checked`` (its findings are stored), ``rulesVersion``
    and ``currentRules`` (checked with this piagraph's rule set), ``validatedOn`` and the number of
    findings by severity (``Violation``, ``Warning``, ``Info``). "No findings" is only ever said of
    a report that was checked."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in findings(store):
        counts[row["g"]][row["severity"]] += 1
    current = rules_version()
    status = []
    for row in _view(store, "validation-status"):
        checked = row["rulesVersion"] is not None
        status.append({
            "g": row["g"], "report": row["report"], "checked": checked, "rulesVersion": row["rulesVersion"],
            "currentRules": checked and row["rulesVersion"] == current, "validatedOn": row["validatedOn"],
            **{severity: counts[row["g"]][severity] for severity in SEVERITY_LABELS},
        })
    return status


def unchecked_reports(store, *, limit: int | None = None) -> list[str]:
    """The current reports whose findings are not stored (loaded without validation, or before
    findings were stored with reports), by name — or any `limit` of them, as the store finds them
    first: ``piagraph validate --store`` checks them. `unchecked_count` says how many."""
    query = load_view_query("unchecked-reports")
    text = page_query(query.text, limit) if limit is not None else query.text
    names = [str(row["report"]) for row in select(store, text, python=True)]
    return names if limit is not None else sorted(names)


def findings_by_severity(store) -> dict[str, int]:
    """How many stored findings of each severity (Japanese labels): the findings `findings` lists,
    counted in the store (a national store holds hundreds of thousands); empty when no report was
    checked."""
    counts = {row["severity"]: row["n"] for row in _view(store, "finding-counts")}
    return {SEVERITY_LABELS.get(k, k): counts[k] for k in ("Violation", "Warning", "Info") if counts.get(k)}


def unchecked_count(store) -> int:
    """How many current reports `unchecked_reports` lists, counted in the store."""
    rows = _view(store, "unchecked-count")
    return int(rows[0]["n"]) if rows else 0


def trace_rows(graph, reached) -> list[dict]:
    """A trace (`piagraph.flows.tracing.trace_from`) as rows: each node reached, the step that reaches
    it (from, kind, methods, 根拠法令, frequency) and where the report says so (評価書, 節, 行)."""
    rows = []
    for reach in reached:
        step = reach.path[-1]
        data = step.data
        target = graph.nodes[reach.node]
        rows.append({
            "到達先": target["label"], "到達先の種類": target["kind_label"], "経由": reach.distance,
            "直前": graph.nodes[step.source]["label"], "流れ": data["kind_label"], "方法": method_text(data) or None,
            "根拠法令": data.get("legal_basis"), "頻度": data.get("frequency"),
            "評価書": data.get("report"), "節": data.get("section"), "行": data.get("line"),
        })
    return rows


# --- evidence -------------------------------------------------------------------------------------

@cache
def _property_labels() -> dict[str, str]:
    """Property IRI → its Japanese label in the ontology (委託先, 公表日 …)."""
    return {str(s): str(o) for s, o in ontology_graph().subject_objects(RDFS.label) if getattr(o, "language", None) == "ja"}


def property_label(iri: str) -> str:
    if iri == str(RDFS.label):
        return "名称"
    return _property_labels().get(iri) or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def line_values(store, graph: str, line: int | None) -> list[dict]:
    """What the graph read from one line of a report: ``{"項目", "記載"}`` per value, in the
    report's own words — the values of the nodes whose evidence is that line (a block such as
    委託事項1 carries the values of its rows)."""
    if line is None:
        return []
    rows = _view(store, "line-values", g=str(graph), line=str(int(line)))
    return [{"項目": property_label(row["p"]), "記載": shown_value(row["value"])} for row in rows]


QUOTE_LIMIT = 12
"""At most this many values of one line are quoted for a finding (a cover line holds dozens)."""


def finding_quote(store, graph: str, line: int | None, value: str | None) -> tuple[list[dict], int]:
    """What the report says where a finding points: the values read from its line — when the
    finding has a value, only the name on that line and the values equal to it — at most
    `QUOTE_LIMIT`, and how many there were."""
    values = line_values(store, graph, line)
    if value and any(_match_key(v["記載"]) == _match_key(value) for v in values):
        values = [v for v in values if v["項目"] == "名称" or _match_key(v["記載"]) == _match_key(value)]
    return values[:QUOTE_LIMIT], len(values)


def shown_value(value) -> str:
    """A literal as an auditor reads it: はい/いいえ, YYYY-MM-DD, numbers and text as written."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def assessment_graphs(store) -> dict[str, str]:
    """評価書 IRI → its report graph (every version in the catalog)."""
    from piagraph.flows.scope import catalog_reports

    return {str(report.assessment): str(report.graph) for report in catalog_reports(store)}


# --- 比較: reports side by side, and the changes between two versions ---------------------------

ASPECTS = ("入手元", "移転先", "提供先", "委託先", "方法", "根拠法令", "システム", "リスク対策の評価")
"""What 比較 puts side by side: who the data comes from and goes to, over which channels, on which
legal basis, in which systems, and how the report rates its risk measures (section III)."""

VALUED_ASPECTS = ("リスク対策の評価",)
"""Aspects whose value is compared (a rating); of the others, whether the item is named at all."""


def _match_key(text: str) -> str:
    """Text compared across reports: NFKC, without spaces (``リスク1: 目的…`` = ``リスク1:目的…``)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass
class ProfileItem:
    """One item of one aspect of a report (a 提供先, a method, a system, a rating …) with its evidence."""

    aspect: str
    item: str
    values: list[str] = field(default_factory=list)
    section: str | None = None
    line: int | None = None

    @property
    def value(self) -> str:
        return "、".join(self.values)


FLOW_ASPECTS = ("移転先", "提供先", "委託先")
"""Aspects whose item is a flow's counterpart, valued by the flow's methods and 根拠法令."""


def _profile_rows(rows: list[dict]) -> list[dict]:
    """The rows of ``report-profile.rq`` with their values put together here rather than in SPARQL
    (see the query): a 方法 item named with its flow kind (``入手: 紙``); for a counterpart, one row
    per flow and 根拠法令 valued ``件名 方法: …・… 根拠: …``, the methods sorted."""
    flows: dict[tuple, dict] = {}
    shaped = []
    for row in rows:
        if row["aspect"] == "方法":
            shaped.append({**row, "item": f"{row['kind']}: {row['item']}"})
        elif row["aspect"] in FLOW_ASPECTS:
            flow = flows.setdefault((row["g"], row["aspect"], row["item"], row["flow"], row.get("basis")),
                                    {**row, "methods": set()})
            if row.get("method"):
                flow["methods"].add(str(row["method"]))
        else:
            shaped.append(row)
    for flow in flows.values():
        parts = [flow.get("title"), flow["methods"] and f"方法: {'・'.join(sorted(flow['methods']))}",
                 flow.get("basis") and f"根拠: {flow['basis']}"]
        shaped.append({**flow, "value": " ".join(str(part) for part in parts if part)})
    return shaped


def report_profiles(store, graphs: list[str]) -> dict[str, dict[tuple[str, str], ProfileItem]]:
    """Each report graph's items by (aspect, match key), from ``queries/views/report-profile.rq``."""
    profiles: dict[str, dict[tuple[str, str], ProfileItem]] = {str(g): {} for g in graphs}
    if not graphs:
        return profiles
    rows = _profile_rows(_view(store, "report-profile", g=[str(g) for g in graphs]))
    rows.sort(key=lambda r: (r.get("line") or 0, str(r.get("item")), str(r.get("value") or "")))
    for row in rows:
        key = (row["aspect"], _match_key(row["item"]))
        entry = profiles[row["g"]].setdefault(key, ProfileItem(row["aspect"], str(row["item"]), section=row.get("section"),
                                                               line=row.get("line")))
        value = str(row.get("value") or "").strip()
        if value and value not in entry.values:
            entry.values.append(value)
    return profiles


def comparison_table(store, reports: list[ReportChoice]) -> list[dict]:
    """比較: one row per item (aspect, item), one column per report — the rating for リスク対策の評価,
    ○ where the report names the item, ― where it does not — and 差異 marked where they differ."""
    profiles = report_profiles(store, [r.graph for r in reports])
    names = unique_labels(reports)
    keys = sorted({key for profile in profiles.values() for key in profile},
                  key=lambda k: (ASPECTS.index(k[0]) if k[0] in ASPECTS else 99, k[1]))
    table = []
    for key in keys:
        entries = [profiles[r.graph].get(key) for r in reports]
        first = next(e for e in entries if e is not None)
        valued = key[0] in VALUED_ASPECTS
        cells = [("―" if e is None else (e.value or "○") if valued else "○") for e in entries]
        table.append({"観点": key[0], "項目": first.item, "差異": "あり" if len(set(cells)) > 1 else "",
                      **dict(zip(names, cells))})
    return table


def unique_labels(reports: list[ReportChoice]) -> list[str]:
    """Short column names for reports side by side: body, 事務 and 公表日 (distinct even for two
    versions of one report)."""
    labels = []
    for report in reports:
        affair = report.affair.removesuffix("に関する事務")
        date = report.published.isoformat() if isinstance(report.published, dt.date) else "?"
        label = f"{report.body} {affair} {date}"
        while label in labels:
            label += "'"
        labels.append(label)
    return labels


CHANGE_KINDS = ("追加", "削除", "変更")


def report_diff(store, old: ReportChoice, new: ReportChoice) -> list[dict]:
    """The structured differences between two versions of a report: each item added, removed or
    changed (its value: methods and 根拠法令 of a flow, a rating …), with the evidence of the version
    that has it (the newer one when both do)."""
    profiles = report_profiles(store, [old.graph, new.graph])
    before, after = profiles[old.graph], profiles[new.graph]
    rows = []
    for key in sorted(set(before) | set(after), key=lambda k: (ASPECTS.index(k[0]) if k[0] in ASPECTS else 99, k[1])):
        was, now = before.get(key), after.get(key)
        if was is not None and now is not None and was.value == now.value:
            continue
        change = "追加" if was is None else "削除" if now is None else "変更"
        shown = now or was
        rows.append({"観点": key[0], "項目": shown.item, "変更": change, "旧版": _stated(was), "新版": _stated(now),
                     "節": shown.section, "行": shown.line,
                     "版": "新版" if now is not None else "旧版"})
    return rows


def _stated(entry: ProfileItem | None) -> str:
    """A side of a change: the item's value, 記載あり when it has none, 記載なし when it is absent."""
    return "記載なし" if entry is None else entry.value or "記載あり"


def report_series(store, *, body: str | None = None) -> dict[str, list[ReportChoice]]:
    """Reports stored in more than one version (the same 評価実施機関, 評価書番号 and form: a 基礎 is no
    version of its 重点), newest first, by a description of the series (of one body, `body`)."""
    series: dict[tuple[str, str, str], list[ReportChoice]] = defaultdict(list)
    for choice in report_choices(store, body=body):
        series[(choice.body, choice.number, choice.form)].append(choice)
    described = {}
    for (body, number, _), versions in sorted(series.items()):
        if len(versions) > 1:
            versions.sort(key=lambda c: c.published or dt.date.min, reverse=True)
            described[f"{body} {versions[0].named_form}{versions[0].affair}(評価書番号 {number or '?'}、"
                      f"{len(versions)} 版)"] = versions
    return described


CHANGE_TITLES = {"changeDate": "変更日", "item": "項目", "before": "変更前", "after": "変更後", "timing": "提出時期",
                 "section": "節", "line": "行"}


def annex2_rows(store, graph: str) -> list[dict]:
    """別添2 変更箇所 of one report graph, as the report lists them (Japanese columns)."""
    return [{title: row.get(key) for key, title in CHANGE_TITLES.items()} for row in _view(store, "report-changes", g=str(graph))]


# --- 全国 -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NationalOverview:
    """全国: the flows of every current report, aggregated (never one node per flow): the shared systems
    and contractors with the bodies they serve, and the risky channels by kind of flow and method."""

    shared_systems: list[dict]  # 共通システム, 事務数, 機関数, 機関
    contractors: list[dict]  # 委託先, ファイル数, 機関数, 再委託の数, 機関
    risky_channels: list[dict]  # 種類, 方法, フロー数, 機関数

    def bodies_of(self, table: str, name: str) -> list[str]:
        """The bodies of one shared system or contractor (for going down to one body)."""
        rows = self.shared_systems if table == "shared_systems" else self.contractors
        key = "共通システム" if table == "shared_systems" else "委託先"
        return next((row["機関"].split("、") for row in rows if row[key] == name and row["機関"]), [])


def _saved_rows(store, name: str) -> list[dict]:
    text = load_query(name).text
    require_summaries(store, text)
    return select(store, text, python=True)


def national_overview(store) -> NationalOverview:
    """The aggregates of the 全国 scope, read from the summary rows written at load time (`piagraph
    summarize` for a store loaded before): the saved queries ``affairs-by-shared-system`` and
    ``contractors-ranked``, and the view ``national-risky-channels``."""
    shared = [{"共通システム": row["sharedSystem"], "事務数": row["affairs"], "機関数": row["bodies"],
               "機関": row.get("bodyNames") or ""} for row in _saved_rows(store, "affairs-by-shared-system")]
    contractors = [{"委託先": row["contractor"], "ファイル数": row["files"], "機関数": row["bodies"],
                    "再委託の数": row["subcontractedEntrustments"], "機関": row.get("bodyNames") or ""}
                   for row in _saved_rows(store, "contractors-ranked")]
    channels = [{"種類": row["kind"], "方法": row["method"], "フロー数": row["flows"], "機関数": row["bodies"]}
                for row in _view(store, "national-risky-channels")]
    return NationalOverview(shared, contractors, channels)
