"""The evidence of each value: written beside the triples (`to_rdf`, `resolve`) and read back
(`piagraph.inspect`, `piagraph.views`, the findings of `piagraph.validation`).

A value's evidence is a ``pia:ValueEvidence`` — a standard RDF reification of its triple
(``rdf:subject``, ``rdf:predicate``, ``rdf:object``) — with the value's own ``pia:valueLine``, its
``pia:valueSection`` when it differs from its node's ``pia:sourceSection``, and, when it was inferred
rather than read, its ``pia:valueConfidence`` and ``pia:valueReason``. Its class is implied (the
domain of ``pia:valueLine``), not written: four triples a value keep a report graph small. Plain triples, so rdflib, pyshacl, Oxigraph and any SPARQL 1.1 server (Virtuoso
7.2 has no RDF-star) store and query it alike; docs/evidence.md says why this representation. The
node-level contract stays: ``pia:sourceSection``/``pia:sourceLine`` on every node, ``pia:confidence``
(the lowest of its values) on a node carrying an uncertain value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from loaders.records import CERTAIN, Evidence
from ontology import PIA

INFERRED = "推定した値"  # the reason of an inferred value whose reader gave none


def value_evidence_iri(subject: Node, predicate: URIRef, value: Node) -> URIRef:
    """The IRI of one value's evidence: derived from the triple, so it is the same on every load."""
    key = hashlib.sha1(f"{predicate}|{value.n3()}".encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{subject}/evidence/{key}")


@lru_cache(maxsize=4096)
def _line(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)


@lru_cache(maxsize=1024)
def _text(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=64)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


class EvidenceWriter:
    """Writes the evidence of the values of one graph (a report's, while `loaders.to_rdf` builds it)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.written: set[URIRef] = set()
        self.sections: dict[Node, str] = {}  # node → its pia:sourceSection, when known

    def add(self, triple: tuple[Node, URIRef, Node], evidence: Evidence, confidence: float = CERTAIN,
            reason: str | None = None) -> None:
        """The evidence of one value. The first reading of a triple keeps its place; a second reading
        of it (one method ticked in two groups) changes nothing."""
        iri = value_evidence_iri(*triple)
        if iri in self.written:
            return
        self.written.add(iri)
        subject, predicate, value = triple
        add = self.graph.add
        add((iri, RDF.subject, subject))
        add((iri, RDF.predicate, predicate))
        add((iri, RDF.object, value))
        add((iri, PIA.valueLine, _line(evidence.line)))
        section = self.sections.get(subject)
        if section is None:
            known = self.graph.value(subject, PIA.sourceSection)
            section = self.sections[subject] = str(known) if known is not None else ""
        if section != evidence.section:
            add((iri, PIA.valueSection, _text(evidence.section)))
        if confidence < CERTAIN:
            add((iri, PIA.valueConfidence, _decimal(confidence)))
            add((iri, PIA.valueReason, _text(reason or INFERRED)))


def add_value_evidence(graph: Graph, triple: tuple[Node, URIRef, Node], evidence: Evidence,
                       confidence: float = CERTAIN, reason: str | None = None) -> None:
    """The evidence of one value added to a graph that already holds evidence (`loaders.resolve`)."""
    if graph.value(value_evidence_iri(*triple), PIA.valueLine) is None:
        EvidenceWriter(graph).add(triple, evidence, confidence, reason)


@dataclass(frozen=True)
class ValueEvidence:
    """One value's evidence as read back from a graph."""

    section: str
    line: int
    confidence: float | None = None  # None: read as printed
    reason: str | None = None


def value_evidence(graph: Graph, subject: Node, predicate: Node, value: Node) -> ValueEvidence | None:
    """The evidence of the triple (subject, predicate, value), or None (a graph written before values
    had evidence of their own, or a triple that is no value read from the report)."""
    iri = value_evidence_iri(subject, predicate, value)
    line = graph.value(iri, PIA.valueLine)
    if line is None:
        return None
    confidence = graph.value(iri, PIA.valueConfidence)
    reason = graph.value(iri, PIA.valueReason)
    section = graph.value(iri, PIA.valueSection) or graph.value(subject, PIA.sourceSection)
    return ValueEvidence(str(section or ""), int(line),
                         None if confidence is None else float(confidence), None if reason is None else str(reason))


def least_certain_value(graph: Graph, subject: Node) -> tuple[URIRef, Node, ValueEvidence] | None:
    """The value of a node that gives it its pia:confidence: its least certain value (the earliest
    line among equals), with that value's evidence."""
    found = []
    for iri in graph.subjects(RDF.subject, subject):
        confidence = graph.value(iri, PIA.valueConfidence)
        if confidence is not None:
            found.append((float(confidence), int(graph.value(iri, PIA.valueLine)), iri))
    if not found:
        return None
    _, _, iri = min(found)
    predicate, value = graph.value(iri, RDF.predicate), graph.value(iri, RDF.object)
    return predicate, value, value_evidence(graph, subject, predicate, value)


def copy_value_evidence(graph: Graph, read: tuple[Node, URIRef, Node], derived: tuple[Node, URIRef, Node],
                        *, certain: bool = False) -> None:
    """A value derived from another (a contractor's company from 委託先名 as written, a canonical
    system from a system's name) cites the line the value it comes from was read on, and is as
    sure as it — or `certain`: a name as printed, whose link is what may be uncertain."""
    found = value_evidence(graph, *read)
    if found is None:
        return
    add_value_evidence(graph, derived, Evidence(found.section, found.line),
                       CERTAIN if certain or found.confidence is None else found.confidence, found.reason)
