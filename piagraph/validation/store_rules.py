"""Rules across the reports of a store (``shapes/across_reports.ttl``): 基礎 and 重点/全項目 together.

A rule about one report is SHACL, validated on the report's own graph (`piagraph.validation.rules`).
Whether a 重点項目評価書 has its 基礎項目評価書, and whether the 基礎's しきい値判断結果 agrees with the
report the body published, needs several reports: each such rule is a ``pia:StoreRule``, a SPARQL
SELECT over the store's current report graphs, and each row it returns is a `Finding` with the
rule's severity and its message, ``{?var}`` filled from the row — as SHACL-SPARQL constraints do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS
from rdflib.namespace import SH

from ontology import PIA, sparql_prefixes
from piagraph.sparql.builder import select
from piagraph.validation.rules import SEVERITIES, Finding, shapes_graph


@dataclass(frozen=True)
class StoreRule:
    """One rule across reports: its id, severity, Japanese title and message, and its query."""

    rule: str
    severity: str
    title: str
    message: str
    query: str


@lru_cache(maxsize=1)
def store_rules() -> tuple[StoreRule, ...]:
    """The pia:StoreRule nodes of the shapes, in id order."""
    graph = shapes_graph()
    found = []
    for node in graph.subjects(RDF.type, PIA.StoreRule):
        found.append(StoreRule(
            rule=str(graph.value(node, PIA.ruleId)),
            severity=SEVERITIES.get(graph.value(node, SH.severity), "Violation"),
            title=str(graph.value(node, RDFS.label) or ""),
            message=str(graph.value(node, SH.message) or ""),
            query=str(graph.value(node, PIA.query)),
        ))
    return tuple(sorted(found, key=lambda r: r.rule))


def _message(template: str, row: dict) -> str:
    return re.sub(r"\{\?(\w+)\}", lambda m: "" if row.get(m.group(1)) is None else str(row[m.group(1)]), template)


def check_store(store) -> list[Finding]:
    """The findings of every rule across reports on the store's current reports."""
    findings = set()
    for rule in store_rules():
        for row in select(store, sparql_prefixes() + rule.query, python=True):
            assessment = str(row["this"])
            line = row.get("line")
            findings.add(Finding(
                rule=rule.rule, severity=rule.severity, message=_message(rule.message, row),
                report=str(row.get("source") or row.get("graph") or assessment), assessment=assessment,
                focus=assessment, section=str(row["section"]) if row.get("section") is not None else None,
                line=int(line) if line is not None else None,
                value=str(row["value"]) if row.get("value") is not None else None,
            ))
    return sorted(findings, key=lambda f: f.sort_key)


__all__ = ["StoreRule", "check_store", "store_rules"]
