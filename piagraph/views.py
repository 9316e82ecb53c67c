"""What the app's pages show, as plain data: each function asks the store and returns rows.

The Streamlit pages (``app/``) only lay these out; every question about the graph is answered here,
so the same views can be tested without a browser and reused by other front ends.

The queries follow the shape of `piagraph.flow_sparql` (required triples in one flat block, each
OPTIONAL one triple at the top level) so that Oxigraph looks them up per report, not per store.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from piagraph.catalog import CATALOG_GRAPH
from piagraph.flow_sparql import graphs_pattern, optional, optional_via
from piagraph.queries import load_query

PREFIXES = """PREFIX pia: <https://w3id.org/piagraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CURRENT = f"GRAPH <{CATALOG_GRAPH}> {{ ?g pia:isCurrent true }}"
FLOW_KINDS = {"Acquisition": "入手", "Entrustment": "委託", "Provision": "提供", "Transfer": "移転"}


def _py(value):
    return value.toPython() if isinstance(value, Literal) else (str(value) if value is not None else None)


def select(store, query: str) -> list[dict]:
    """Rows of a SELECT as dicts of Python values (strings, ints, dates)."""
    result = store.query(PREFIXES + query)
    return [{name: _py(value) for name, value in zip(result.variables, row)} for row in result.rows]


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
    counts = select(store, f"""
        SELECT (COUNT(DISTINCT ?g) AS ?reports) (COUNT(DISTINCT ?body) AS ?bodies)
               (COUNT(DISTINCT ?file) AS ?files) (COUNT(DISTINCT ?contractor) AS ?contractors) WHERE {{
          {CURRENT}
          GRAPH ?g {{ ?a pia:assessor ?body }}
          {optional("?file a pia:PersonalInfoFile")}
          {optional("?e pia:contractor ?contractor")} }}""")[0]
    versions = select(store, f"SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g a pia:ReportGraph }} }}")
    flows = {FLOW_KINDS[row["kind"].rsplit("#", 1)[-1]]: row["n"] for row in select(store, f"""
        SELECT ?kind (COUNT(DISTINCT ?flow) AS ?n) WHERE {{ {CURRENT} GRAPH ?g {{ ?flow a ?kind }}
          FILTER(?kind IN (pia:Acquisition, pia:Entrustment, pia:Provision, pia:Transfer)) }}
        GROUP BY ?kind""")}
    dated = select(store, f"""
        SELECT ?body ?affair ?date WHERE {{ {CURRENT}
          GRAPH ?g {{ ?a pia:publishedOn ?date ; pia:assessor/rdfs:label ?body ; pia:covers/rdfs:label ?affair }} }}
        ORDER BY ?date""")
    return Overview(
        reports=counts["reports"], versions=versions[0]["n"], bodies=counts["bodies"], files=counts["files"],
        flows={kind: flows.get(kind, 0) for kind in FLOW_KINDS.values()}, contractors=counts["contractors"],
        newest=dated[-1] if dated else None, oldest=dated[0] if dated else None,
    )


def report_list(store) -> list[dict]:
    """Every report version in the store (the saved query ``report-versions``)."""
    return select(store, _strip_prefixes(load_query("report-versions").text))


REPORT_COLUMNS = {"body": "評価実施機関", "affair": "事務", "assessmentNumber": "評価書番号", "publishedOn": "公表日",
                  "current": "現行版", "files": "ファイル", "flows": "フロー", "triples": "三つ組", "source": "元ファイル"}


def report_table(store) -> list[dict]:
    """The report list as the app shows it: Japanese column names, no IRIs."""
    return [{title: row.get(key) for key, title in REPORT_COLUMNS.items()} for row in report_list(store)]


def _strip_prefixes(text: str) -> str:
    """A saved query without its PREFIX lines (`select` adds the same prefixes)."""
    return "\n".join(line for line in text.splitlines() if not line.upper().startswith("PREFIX "))


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


def _facts(graph: Graph, query: str) -> list[Fact]:
    facts = []
    for row in graph.query(PREFIXES + query):
        values = [_py(v) for v in row]
        item, value, section, line, confidence = (values + [None] * 5)[:5]
        facts.append(Fact(str(item), "" if value is None else str(value), section or "", line,
                          float(confidence) if confidence is not None else None))
    return facts


def report_sections(graph: Graph) -> list[ReportSection]:
    """A report as the form's sections, each fact with its evidence (section, line, confidence)."""
    evidence = "?node pia:sourceSection ?sec ; pia:sourceLine ?line . OPTIONAL { ?node pia:confidence ?conf }"
    sections = [
        ReportSection("表紙", _facts(graph, f"""
            SELECT ?item ?value ?sec ?line ?conf WHERE {{ ?node a pia:Assessment . {evidence}
              VALUES (?p ?item) {{ (pia:assessmentNumber "評価書番号") (pia:title "評価書名") (pia:formType "様式")
                                   (pia:publishedOn "公表日") (pia:formVersion "様式の版") (pia:sourceFile "元ファイル") }}
              ?node ?p ?value }}""") + _facts(graph, f"""
            SELECT ("評価実施機関" AS ?item) ?value ?sec ?line WHERE {{ ?a pia:assessor ?node .
              ?node rdfs:label ?value ; pia:sourceSection ?sec ; pia:sourceLine ?line }}""")),
        ReportSection("I 基本情報", _facts(graph, f"""
            SELECT ?item ?value ?sec ?line ?conf WHERE {{ ?node a pia:Affair . {evidence}
              VALUES (?p ?item) {{ (rdfs:label "事務の名称") (pia:networkLinkage "情報連携の実施") }}
              ?node ?p ?value }}""") + _facts(graph, """
            SELECT ?item ?value ?sec ?line ?conf WHERE { ?s a pia:System ; pia:systemNumber ?n ; rdfs:label ?value ;
                pia:sourceSection ?sec ; pia:sourceLine ?line OPTIONAL { ?s pia:confidence ?conf }
              BIND(CONCAT("システム", STR(?n)) AS ?item) } ORDER BY ?n""") + _facts(graph, """
            SELECT ?item ?value ?sec ?line WHERE { ?a ?p ?b . ?b rdfs:label ?value ; pia:sourceSection ?sec ;
                pia:sourceLine ?line VALUES (?p ?item) { (pia:numberUseBasis "個人番号の利用 法令上の根拠")
                (pia:linkageBasis "情報連携 法令上の根拠") (pia:responsibleDepartment "担当部署") } }""")),
    ]
    for file_row in graph.query(PREFIXES + """SELECT ?file ?name WHERE { ?file a pia:PersonalInfoFile ;
            rdfs:label ?name } ORDER BY ?file"""):
        sections.append(ReportSection(f"II・III {file_row.name}", _file_facts(graph, file_row.file)))
    sections.append(ReportSection("欠落・推定", _facts(graph, """
        SELECT ("欠落" AS ?item) ?value ?sec ?line WHERE { ?a pia:hasGap ?node . ?node pia:gapItem ?i ;
          pia:gapReason ?r ; pia:sourceSection ?sec ; pia:sourceLine ?line BIND(CONCAT(?i, ": ", ?r) AS ?value) }
        ORDER BY ?line""") + _facts(graph, """
        SELECT ("推定(チェック)" AS ?item) ?value ?sec ?line ?conf WHERE { ?x pia:checkboxReading ?node .
          ?node pia:option ?o ; pia:ticked true ; pia:confidence ?conf ; pia:sourceSection ?sec ; pia:sourceLine ?line
          OPTIONAL { ?o rdfs:label ?label } BIND(COALESCE(?label, STR(?o)) AS ?value) } ORDER BY ?line""")))
    return sections


def _file_facts(graph: Graph, file: URIRef) -> list[Fact]:
    return _facts(graph, f"""
        SELECT ?item ?value ?sec ?line ?conf WHERE {{
          ?node pia:ofFile <{file}> ; a ?kind ; pia:sourceSection ?sec ; pia:sourceLine ?line .
          OPTIONAL {{ ?node pia:confidence ?conf }}
          VALUES (?kind ?word) {{ (pia:Acquisition "入手元") (pia:Entrustment "委託先") (pia:Provision "提供先")
                                  (pia:Transfer "移転先") }}
          OPTIONAL {{ ?node pia:recipient/rdfs:label ?recipient }}
          OPTIONAL {{ ?node pia:contractor/rdfs:label ?contractor }}
          OPTIONAL {{ ?node pia:sourceDetail ?detail }}
          OPTIONAL {{ ?node pia:source ?src . ?src rdfs:label ?srcLabel FILTER(STRSTARTS(STR(?src), "https://w3id.org/piagraph/vocab/")) }}
          OPTIONAL {{ SELECT ?node (GROUP_CONCAT(?m; separator="、") AS ?methods)
                      WHERE {{ ?node pia:method/rdfs:label ?m }} GROUP BY ?node }}
          OPTIONAL {{ ?node pia:legalBasis/rdfs:label ?basis }}
          BIND(CONCAT(COALESCE(?recipient, ?contractor, ?srcLabel, ""),
                      IF(BOUND(?detail), CONCAT("(", ?detail, ")"), ""),
                      IF(BOUND(?methods), CONCAT(" / 方法: ", ?methods), ""),
                      IF(BOUND(?basis), CONCAT(" / 根拠: ", ?basis), "")) AS ?value)
          BIND(?word AS ?item)
        }} ORDER BY ?line""") + _facts(graph, f"""
        SELECT ?item ?value ?sec ?line ?conf WHERE {{ <{file}> pia:riskMeasure ?node .
          ?node rdfs:label ?label ; pia:adequacy ?value ; pia:sourceSection ?sec ; pia:sourceLine ?line
          OPTIONAL {{ ?node pia:confidence ?conf }} BIND(CONCAT("III ", ?label) AS ?item) }} ORDER BY ?line""")


def comparison(store, affair_keyword: str) -> list[dict]:
    """比較: current reports whose 事務 contains the keyword, side by side."""
    # First the matching reports, then each column for those reports only, one query per column: in
    # one query the columns would multiply (systems × contractors × flows of each report), and
    # OPTIONALs that share only ?g with the report are read over the whole store.
    affairs = f"""GRAPH ?g {{ ?a pia:covers ?af . ?af rdfs:label ?affair .
                              FILTER(CONTAINS(?affair, {Literal(affair_keyword).n3()})) }}"""
    reports = select(store, f"""
        SELECT ?g ?body ?affair ?date WHERE {{ {CURRENT} {affairs} GRAPH ?g {{ ?a pia:assessor/rdfs:label ?body }}
          {optional("?a pia:publishedOn ?date")} }}""")
    if not reports:
        return []
    scope = graphs_pattern(dict.fromkeys(row["g"] for row in reports))
    systems = select(store, f"""
        SELECT ?g ?system ?canonical WHERE {{ {scope} {affairs}
          GRAPH ?g {{ ?af pia:usesSystem ?s . ?s rdfs:label ?system }}
          {optional_via("?s pia:canonicalSystem ?c", "?c rdfs:label ?canonical")} }}""")
    contractors = select(store, f"""
        SELECT ?g ?contractor WHERE {{ {scope} GRAPH ?g {{ ?e pia:contractor/rdfs:label ?contractor }} }}""")
    flows = select(store, f"""
        SELECT ?g ?kind (COUNT(DISTINCT ?flow) AS ?n) WHERE {{ {scope} GRAPH ?g {{ ?flow a ?kind }}
          FILTER(?kind IN (pia:Provision, pia:Transfer, pia:Entrustment)) }} GROUP BY ?g ?kind""")
    issues = {row["g"] for row in select(store, f"""
        SELECT DISTINCT ?g WHERE {{ {scope} GRAPH ?g {{ ?m pia:adequacy ?rating }}
          FILTER(?rating = "課題が残されている") }}""")}
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
        counts[row["g"]][FLOW_KINDS[row["kind"].rsplit("#", 1)[-1]]] = int(row["n"])
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
    from piagraph.validation import FINDINGS_GRAPH

    return select(store, f"""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?rule ?severity ?message ?report ?section ?line ?value ?assessment WHERE {{
          {CURRENT} GRAPH ?g {{ ?assessment a pia:Assessment }}
          GRAPH <{FINDINGS_GRAPH}> {{ ?result pia:findingAbout ?assessment ; pia:ruleId ?rule ;
              sh:resultSeverity ?sev ; sh:resultMessage ?message }}
          {optional("?assessment pia:sourceFile ?file")}
          {optional("?result pia:sourceSection ?section", graph=f"<{FINDINGS_GRAPH}>")}
          {optional("?result pia:sourceLine ?line", graph=f"<{FINDINGS_GRAPH}>")}
          {optional("?result sh:value ?value", graph=f"<{FINDINGS_GRAPH}>")}
          BIND(STRAFTER(STR(?sev), "#") AS ?severity) BIND(COALESCE(?file, STR(?assessment)) AS ?report)
        }} ORDER BY ?report ?line""")


def computed_findings(store) -> list[dict]:
    """Findings computed now for every current report (when none were saved in the store)."""
    from piagraph.flow_sparql import catalog_reports
    from piagraph.validation import validate_graph

    rows = []
    for report in catalog_reports(store):
        if report.current:
            rows += [finding.as_dict() for finding in validate_graph(report_graph(store, str(report.graph)))]
    return rows


def findings(store) -> list[dict]:
    """The findings an auditor acts on: saved ones when the store has them, else computed now."""
    return stored_findings(store) or computed_findings(store)


def findings_by_severity(store) -> dict[str, int]:
    """How many stored findings of each severity (empty when the store was never validated)."""
    counts = Counter(row["severity"] for row in stored_findings(store))
    return {SEVERITY_LABELS.get(k, k): counts[k] for k in ("Violation", "Warning", "Info") if counts[k]}
