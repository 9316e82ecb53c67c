"""The named graphs a store keeps for one report, and the digests that tell contents apart.

For a report graph ``G`` (IRI from body + 評価書番号 + 公表日) a store holds:

* ``G`` — the report's facts (the loader's graph);
* ``G/text`` — its source text, one node per non-blank line (`text_content`)::

      <G/line/97> pia:lineNumber 97 ; pia:lineText "1. 特定個人情報ファイル名\t…" .

  Each line is its own small literal: any SPARQL 1.1 server stores, indexes and returns it, and a
  plain ``FILTER(?n >= 95 && ?n <= 99)`` fetches the lines around a finding — no server-specific
  string functions on one long literal (docs/store.md);
* ``G/findings`` — the findings of the form's rules for that content (`piagraph.validation`),
  replaced whenever ``G`` is;
* ``G/superseded/<token>`` (with its own ``/text`` and ``/findings``) — earlier content of the same
  report that a load with different text replaced (`superseded_graph`), its own nodes renamed so that
  no node of the current content is in two graphs (`superseded_names`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from rdflib import URIRef
from rdflib.namespace import XSD

from ontology import ID, PIA
from piagraph.sparql.text import SerializedGraph, nt_lines, nt_string

ACROSS_REPORTS_GRAPH = ID["graph/findings/across-reports"]
"""The findings of the rules across reports, as ``piagraph validate --store`` last computed them."""

TEXT_SUFFIX = "/text"
FINDINGS_SUFFIX = "/findings"
SUMMARY_SUFFIX = "/summary"
"""The graph of a report's summary rows (`piagraph.store.summaries`)."""
SUPERSEDED_INFIX = "/superseded/"


def text_graph(graph: URIRef | str) -> URIRef:
    """The graph holding the source text of report graph `graph`."""
    return URIRef(f"{graph}{TEXT_SUFFIX}")


def findings_graph_of(graph: URIRef | str) -> URIRef:
    """The graph holding the findings of report graph `graph`."""
    return URIRef(f"{graph}{FINDINGS_SUFFIX}")


def companions(graph: URIRef | str) -> tuple[URIRef, URIRef]:
    """The text and findings graphs kept beside a report graph."""
    return text_graph(graph), findings_graph_of(graph)


def superseded_graph(graph: URIRef | str, graph_digest: str | None, loaded_at: dt.datetime) -> URIRef:
    """Where the earlier content of `graph` is kept once superseded: unique per content and load."""
    token = hashlib.sha256(f"{graph_digest or ''}|{loaded_at.isoformat()}".encode()).hexdigest()[:16]
    return URIRef(f"{graph}{SUPERSEDED_INFIX}{token}")


def is_report_companion(graph: URIRef | str) -> bool:
    """True for the text, findings, summary and superseded graphs that accompany report graphs."""
    text = str(graph)
    return text.endswith((TEXT_SUFFIX, FINDINGS_SUFFIX, SUMMARY_SUFFIX)) or SUPERSEDED_INFIX in text


def line_node(graph: URIRef | str, number: int) -> URIRef:
    return URIRef(f"{graph}/line/{number}")


def text_content(graph: URIRef | str, lines: Sequence[str]) -> SerializedGraph:
    """A report's text graph, written as N-Triples: each non-blank line with its number (1-based).

    Written as text directly, not through rdflib terms: a report has hundreds of lines and a national
    load millions, and this runs once for each."""
    parts, count = [], 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            node = f"<{line_node(graph, number)}>"
            parts.append(f'{node} <{PIA.lineNumber}> "{number}"^^<{XSD.integer}> .\n'
                         f"{node} <{PIA.lineText}> {nt_string(line)} .\n")
            count += 2
    return SerializedGraph("".join(parts), count)


def source_digest(lines: Sequence[str]) -> str | None:
    """SHA-256 of the report's text (None when the text was not kept)."""
    if not lines:
        return None
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def graph_digest(graph) -> str:
    """SHA-256 of a graph's sorted N-Triples lines (report graphs have no blank nodes, so equal
    content gives equal text)."""
    text = graph.text if isinstance(graph, SerializedGraph) else nt_lines(graph)
    lines = sorted(line for line in text.split("\n") if line)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def superseded_names(graph: URIRef | str, assessment: URIRef | str, superseded: URIRef | str):
    """How the nodes of earlier content are renamed when it is kept as a superseded version.

    Every node a report owns has an IRI under its assessment IRI (its files, flows, measures …), and
    its text lines and findings have IRIs of their own; queries rely on each such node being in one
    graph only (docs/virtuoso.md, "Portable saved queries"). The superseded copy therefore renames
    them under ``…/id/superseded/<token>/``, and the report graph's IRI to the superseded graph's;
    shared nodes (bodies, contractors, vocabularies) keep their IRIs. Returns the renaming of one term.
    """
    token = str(superseded).rsplit("/", 1)[-1]
    base = str(ID)
    owned = (str(assessment), f"{graph}/", str(ID["finding/"]), str(ID["validation/"]))

    def rename(term):
        if isinstance(term, URIRef):
            text = str(term)
            if text == str(graph):
                return URIRef(superseded)
            if text.startswith(owned) and text.startswith(base):
                return URIRef(f"{base}superseded/{token}/{text[len(base):]}")
        return term

    return rename
