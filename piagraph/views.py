"""What the app's pages show, as plain data: each function asks the store and returns rows.

The Streamlit pages (``app/``) only lay these out; every question about the graph is answered here,
so the same views can be tested without a browser and reused by other front ends. The queries are
fixed ``.rq`` files (``queries/views/``), written in the shape `piagraph.sparql.builder` explains
(required triples in one flat block, each OPTIONAL one triple at the top level) so that Oxigraph
looks them up per report, not per store.

The views by page:

* 概要 — `overview`, `report_table` (with when, from which file and by whom each report was loaded),
  `findings_by_severity` and `unchecked_reports` (the same stored findings as 検証);
* 評価書 — `report_list`, `report_versions` (a report's published versions and superseded contents
  with their load times and files), `report_facts_with_quotes` (every fact with section, line and
  the quoted source line);
* 検証 — `findings` (the findings stored with each current report), `validation_status` (per
  report: checked or not, with which rule set, when), `finding_evidence` (a finding opened: its
  section, lines and the quoted source lines around them);
* 比較 — `comparison`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import Graph

from piagraph.flows.kinds import EDGE_KINDS, flow_kind_label
from piagraph.sparql.builder import python_value, select
from piagraph.sparql.saved import load_query, load_view_query
from piagraph.validation.rules import SEVERITY_ORDER, rules_version

DATA_FLOW_LABELS = [EDGE_KINDS[kind] for kind in ("acquisition", "entrustment", "provision", "transfer")]
"""入手, 委託, 提供, 移転: the kinds of pia:DataFlow, in the order the overview shows them."""


def _view(store, name: str, **params) -> list[dict]:
    """The rows of a view query (``queries/views/NAME.rq``) as dicts of Python values."""
    query = load_view_query(name)
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


def report_list(store) -> list[dict]:
    """Every report version in the store (the saved query ``report-versions``)."""
    return select(store, load_query("report-versions").text, python=True)


REPORT_COLUMNS = {"body": "評価実施機関", "affair": "事務", "assessmentNumber": "評価書番号", "publishedOn": "公表日",
                  "current": "現行版", "files": "ファイル", "flows": "フロー", "triples": "三つ組", "source": "元ファイル",
                  "loadedAt": "読込日時", "loadedBy": "読込者"}


def report_table(store) -> list[dict]:
    """The report list as the app shows it: Japanese column names, no IRIs."""
    return [{title: row.get(key) for key, title in REPORT_COLUMNS.items()} for row in report_list(store)]


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


def report_sections(graph: Graph) -> list[ReportSection]:
    """A report as the form's sections, each fact with its evidence (section, line, confidence)."""
    sections = [
        ReportSection("表紙", _facts(graph, "report-cover") + _facts(graph, "report-assessor")),
        ReportSection("I 基本情報", _facts(graph, "report-affair") + _facts(graph, "report-systems")
                      + _facts(graph, "report-affair-links")),
    ]
    for file, name in graph.query(load_view_query("report-files").text):
        facts = _facts(graph, "report-file-flows", file=str(file)) + _facts(graph, "report-file-risks", file=str(file))
        sections.append(ReportSection(f"II・III {name}", facts))
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


def comparison(store, affair_keyword: str) -> list[dict]:
    """比較: current reports whose 事務 contains the keyword, side by side."""
    # First the matching reports, then each column for those reports only, one query per column: in
    # one query the columns would multiply (systems × contractors × flows of each report), and
    # OPTIONALs that share only ?g with the report are read over the whole store.
    reports = _view(store, "compare-reports", keyword=affair_keyword)
    if not reports:
        return []
    graphs = list(dict.fromkeys(row["g"] for row in reports))
    systems = _view(store, "compare-systems", g=graphs, keyword=affair_keyword)
    contractors = _view(store, "compare-contractors", g=graphs)
    flows = _view(store, "compare-flow-counts", g=graphs)
    issues = {row["g"] for row in _view(store, "compare-open-issues", g=graphs)}
    merged: dict[str, dict] = {}
    for row in reports:
        merged.setdefault(row["g"], {"評価実施機関": row["body"], "事務": row["affair"], "公表日": row["date"],
                                     "システム": set(), "委託先": set()})
    for row in systems:
        if row["system"]:
            merged[row["g"]]["システム"].add(row["canonical"] or row["system"])
    for row in contractors:
        if row["contractor"]:
            merged[row["g"]]["委託先"].add(row["contractor"])
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in flows:
        counts[row["g"]][flow_kind_label(row["kind"])] = int(row["n"])
    table = []
    for graph, entry in merged.items():
        table.append({
            "評価実施機関": entry["評価実施機関"], "事務": entry["事務"],
            "公表日": entry["公表日"].isoformat() if isinstance(entry["公表日"], dt.date) else entry["公表日"],
            "システム": "、".join(sorted(entry["システム"])), "委託先": "、".join(sorted(entry["委託先"])),
            "提供": counts[graph]["提供"], "移転": counts[graph]["移転"], "委託": counts[graph]["委託"],
            "課題が残されている": "あり" if graph in issues else "なし",
        })
    return sorted(table, key=lambda r: r["評価実施機関"])


FINDING_COLUMNS = ("rule", "severity", "message", "report", "section", "line", "value")
SEVERITY_LABELS = {"Violation": "違反", "Warning": "警告", "Info": "情報"}


def findings(store) -> list[dict]:
    """The findings an auditor acts on: those stored with each current report (validated when it
    was loaded, or by ``piagraph validate --store``), sorted by report, severity and line. Each row:
    ``g`` (report graph), ``rule``, ``severity``, ``message``, ``report``, ``section``, ``line``,
    ``lineEnd``, ``value``, ``assessment``, ``focus`` — open one with `finding_evidence`. A report
    that was not checked has no rows here: see `validation_status` / `unchecked_reports`."""
    rows = _view(store, "stored-findings")
    return sorted(rows, key=lambda r: (r["report"], SEVERITY_ORDER.get(r["severity"], 9), r["line"] or 0, r["rule"]))


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


def unchecked_reports(store) -> list[str]:
    """The current reports whose findings are not stored (loaded without validation, or before
    findings were stored with reports): ``piagraph validate --store`` checks them."""
    return [row["report"] for row in validation_status(store) if not row["checked"]]


def findings_by_severity(store) -> dict[str, int]:
    """How many stored findings of each severity (Japanese labels), counted from the same rows as
    `findings`, so that 概要 and 検証 agree; empty when no report was checked."""
    counts = Counter(row["severity"] for row in findings(store))
    return {SEVERITY_LABELS.get(k, k): counts[k] for k in ("Violation", "Warning", "Info") if counts[k]}
