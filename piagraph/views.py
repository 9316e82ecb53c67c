"""What the app's pages show, as plain data: each function asks the store and returns rows.

The Streamlit pages (``app/``) only lay these out; every question about the graph is answered here,
so the same views can be tested without a browser and reused by other front ends. The queries are
fixed ``.rq`` files (``queries/views/``), written in the shape `piagraph.sparql.builder` explains
(required triples in one flat block, each OPTIONAL one triple at the top level) so that Oxigraph
looks them up per report, not per store.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, Graph

from piagraph.flows.kinds import EDGE_KINDS, flow_kind_label
from piagraph.sparql.builder import python_value, select
from piagraph.sparql.saved import load_query, load_view_query

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
                  "current": "現行版", "files": "ファイル", "flows": "フロー", "triples": "三つ組", "source": "元ファイル"}


def report_table(store) -> list[dict]:
    """The report list as the app shows it: Japanese column names, no IRIs."""
    return [{title: row.get(key) for key, title in REPORT_COLUMNS.items()} for row in report_list(store)]


def report_graph(store, graph: str) -> Graph:
    """One report's named graph as an rdflib graph."""
    return store.named_graph(graph)


@dataclass
class Fact:
    """One fact of a report with the place an auditor reads it: section and source line."""

    item: str
    value: str
    section: str = ""
    line: int | None = None
    confidence: float | None = None


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
                facts = (_facts(graph, "report-file-flows", file=str(file)) + _facts(graph, "report-file-risks", file=str(file))
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


def stored_findings(store) -> list[dict]:
    """Findings of current reports saved by ``piagraph validate --store`` (their own named graph)."""
    return _view(store, "stored-findings")


def computed_findings(store) -> list[dict]:
    """Findings computed now for every current report (when none were saved in the store)."""
    from piagraph.flows.scope import catalog_reports
    from piagraph.validation import validate_graph

    found = []
    for report in catalog_reports(store):
        if report.current:
            found += [finding.as_dict() for finding in validate_graph(report_graph(store, str(report.graph)))]
    return found


def findings(store) -> list[dict]:
    """The findings an auditor acts on: saved ones when the store has them, else computed now."""
    return stored_findings(store) or computed_findings(store)


def findings_by_severity(store) -> dict[str, int]:
    """How many stored findings of each severity (empty when the store was never validated)."""
    counts = Counter(row["severity"] for row in stored_findings(store))
    return {SEVERITY_LABELS.get(k, k): counts[k] for k in ("Violation", "Warning", "Info") if counts[k]}
