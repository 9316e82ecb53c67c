"""Entity resolution: link what one report names to what other reports name the same way.

- each local system (``pia:System``) to its canonical shared system (中間サーバ → 中間サーバー), by the
  canonical systems' labels in the SKOS vocabulary;
- a connection written in ``その他 ( … )`` to the local system of that name, or to a canonical one;
- each 委託先名 to one company node across reports: ``日本電気株式会社 九州支社`` → company
  ``日本電気株式会社`` with the branch kept on the entrustment.

A link derived from a value cites the line that value was read on (its `pia:ValueEvidence`).
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from loaders import vocabulary
from loaders.evidence import copy_value_evidence
from loaders.names import split_contractor
from loaders.to_rdf import short_hash
from ontology import ID, PIA

_ALIAS = re.compile(r"\((?:以下|略称)[^)]*\)|「[^」]*」という。?")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")


def _key(name: str) -> str:
    """Name key for matching systems: NFKC, no spaces, long vowel marks and 等 dropped."""
    name = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\sー・]|等$", "", name)


def _canonical_keys() -> dict[str, URIRef]:
    return {_key(label): iri for label, iri in ((l, vocabulary.concept("system", l)) for l in vocabulary.options("system"))}


def canonical_system(name: str) -> URIRef | None:
    """The canonical system a local system name denotes, or None.

    Tries the name, the name without its alias clause (``(以下、標準システム)``) and the alias itself.
    """
    keys = _canonical_keys()
    base = _ALIAS.sub("", name).strip()
    candidates = [name, base] + [m.strip("「」 ") for m in _PARENTHESISED.findall(name)]
    for candidate in candidates:
        candidate = re.sub(r"^以下[、,]?", "", candidate)
        found = keys.get(_key(candidate))
        if found is not None:
            return found
    return None


def link_systems(graph: Graph) -> None:
    local = {_key(str(graph.value(s, RDFS.label))): s for s in graph.subjects(RDF.type, PIA.System)
             if graph.value(s, RDFS.label) is not None}
    for system in list(graph.subjects(RDF.type, PIA.System)):
        label = graph.value(system, RDFS.label)
        if label is not None:
            canonical = canonical_system(str(label))
            if canonical is not None:
                graph.add((system, PIA.canonicalSystem, canonical))
                copy_value_evidence(graph, (system, RDFS.label, label), (system, PIA.canonicalSystem, canonical))
        for detail in list(graph.objects(system, PIA.connectionDetail)):
            for name in re.split(r"[、,]", str(detail)):
                target = local.get(_key(name.strip())) or canonical_system(name.strip())
                if target is not None and target != system:
                    graph.add((system, PIA.connectsTo, target))
                    copy_value_evidence(graph, (system, PIA.connectionDetail, detail), (system, PIA.connectsTo, target))


def contractor_iri(company: str) -> URIRef:
    """One node per company across reports."""
    return ID[f"contractor/{short_hash(company)}"]


def link_contractors(graph: Graph) -> None:
    for flow, written in list(graph.subject_objects(PIA.contractorNameAsWritten)):
        name = split_contractor(str(written))
        contractor = contractor_iri(name.company)
        if (contractor, RDF.type, PIA.Contractor) not in graph:
            graph.add((contractor, RDF.type, PIA.Contractor))
            graph.add((contractor, RDFS.label, Literal(name.company, lang="ja")))
            for predicate in (PIA.sourceSection, PIA.sourceLine):
                graph.add((contractor, predicate, graph.value(flow, predicate)))
            copy_value_evidence(graph, (flow, PIA.contractorNameAsWritten, written),
                                (contractor, RDFS.label, Literal(name.company, lang="ja")), certain=True)
        graph.add((flow, PIA.contractor, contractor))
        copy_value_evidence(graph, (flow, PIA.contractorNameAsWritten, written), (flow, PIA.contractor, contractor))
        if name.branch:
            graph.add((flow, PIA.contractorBranch, Literal(name.branch)))
            copy_value_evidence(graph, (flow, PIA.contractorNameAsWritten, written),
                                (flow, PIA.contractorBranch, Literal(name.branch)))


def resolve(graph: Graph) -> Graph:
    """Add the resolution links to a report graph (in place) and return it."""
    link_systems(graph)
    link_contractors(graph)
    vocabulary.label_linked_concepts(graph)
    return graph

