"""The kinds of the flow model's nodes and edges, with their Japanese names: the one table of them.

The data-moving edge kinds are the ontology's flow classes (`FLOW_CLASSES`: pia:Acquisition …);
their Japanese names are those classes' ``rdfs:label@ja`` (入手, 委託, 提供, 移転), which a test
checks against the ontology.
"""

from __future__ import annotations

from rdflib import URIRef

from ontology import PIA

NODE_KINDS = {
    "source": "入手元",
    "organization": "団体",
    "department": "部署",
    "affair": "事務",
    "file": "特定個人情報ファイル",
    "system": "システム",
    "canonical-system": "共通システム",
    "contractor": "委託先",
    "subcontractor": "再委託先",
}
"""Node kind → Japanese name."""

EDGE_KINDS = {
    "acquisition": "入手",
    "transfer": "移転",
    "provision": "提供",
    "entrustment": "委託",
    "subcontracting": "再委託",
    "holds": "保有",
    "responsible": "担当",
    "uses": "利用",
    "connection": "接続",
    "canonical": "共通システム",
    "same-as": "同一",
}
"""Edge kind → Japanese name."""

FLOW_KINDS = ("acquisition", "transfer", "provision", "entrustment", "subcontracting")
"""The edges that move personal data (入手, 移転, 提供, 委託, 再委託)."""

SHARED_KINDS = ("organization", "contractor", "canonical-system")
"""Kinds whose nodes any report may share: they belong to no municipality (``body`` is empty)."""

FLOW_CLASSES = {PIA.Acquisition: "acquisition", PIA.Transfer: "transfer", PIA.Provision: "provision",
                PIA.Entrustment: "entrustment"}
"""The ontology's flow classes → edge kind."""


def flow_kind_label(flow_class: str) -> str:
    """The Japanese name of a flow class (its IRI): 入手, 委託, 提供 or 移転."""
    return EDGE_KINDS[FLOW_CLASSES[URIRef(flow_class)]]
