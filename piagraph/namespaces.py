"""The namespaces of the graph: the vocabulary (`pia:`), instances (`id:`) and controlled vocabularies."""

from rdflib import Namespace

PIA = Namespace("https://w3id.org/piagraph/ns#")
"""Classes and properties of the core vocabulary (VOCABULARY.md)."""

ID = Namespace("https://w3id.org/piagraph/id/")
"""Instance IRIs: deterministic, derived from what the report says."""

VOCAB = Namespace("https://w3id.org/piagraph/vocab/")
"""SKOS concepts for the form's closed choices and the canonical shared systems."""

DPV = Namespace("https://w3id.org/dpv#")
"""W3C Data Privacy Vocabulary v2."""

ONTOLOGY_GRAPH = ID["graph/ontology"]
"""Named graph holding the ontology and the controlled vocabularies."""

PREFIXES = {
    "pia": PIA,
    "piaid": ID,
    "piav": VOCAB,
    "dpv": DPV,
}
