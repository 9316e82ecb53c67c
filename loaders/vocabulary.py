"""The controlled vocabularies of `ontology/vocabularies.ttl`, as option lists for the extractor.

The SKOS file is the one source of the form's closed choices: the extractor matches option text
against each scheme's ``skos:prefLabel``/``skos:altLabel`` (Japanese, NFKC) and `to_rdf` links the
matched concept.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ontology import VOCAB, ontology_graph


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


@lru_cache(maxsize=None)
def _labels(scheme: str) -> dict[str, URIRef]:
    graph = ontology_graph()
    labels: dict[str, URIRef] = {}
    for concept in graph.subjects(SKOS.inScheme, VOCAB[scheme]):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, predicate):
                if getattr(label, "language", None) == "ja":
                    labels.setdefault(_nfkc(label), concept)
    if not labels:
        raise LookupError(f"no concepts in scheme {scheme!r} of the ontology")
    return labels


def options(scheme: str) -> list[str]:
    """Every Japanese label (preferred and alternative) of the scheme's concepts."""
    return list(_labels(scheme))


def concept(scheme: str, label: str) -> URIRef | None:
    """The concept of the scheme whose label is `label` (NFKC), or None."""
    return _labels(scheme).get(_nfkc(label))


def pref_label(node: URIRef) -> str | None:
    """The Japanese preferred label of a concept."""
    for label in ontology_graph().objects(node, SKOS.prefLabel):
        if getattr(label, "language", None) == "ja":
            return str(label)
    return None


def label_linked_concepts(graph: Graph) -> None:
    """Give every concept a graph links to (methods, canonical systems …) its Japanese label, so
    a report graph reads on its own, without the ontology graph beside it."""
    prefix = str(VOCAB)
    for concept in {o for _, _, o in graph if type(o) is URIRef and o.startswith(prefix)}:
        label = pref_label(concept)
        if label:
            graph.add((concept, RDFS.label, Literal(label, lang="ja")))
