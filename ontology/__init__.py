"""The bottom layer of piagraph: the vocabulary every other layer speaks.

* the namespaces of the graph (`PIA`, `ID`, `VOCAB`, `DPV`) and the store's fixed named graphs
  (ontology, catalog, findings);
* one prefix table (`PREFIXES`), written out for Turtle (`bind_prefixes`) and for SPARQL
  (`sparql_prefixes`) — the only place a ``PREFIX pia:`` line is written in Python;
* the ontology and SKOS vocabularies of this package (``*.ttl``) parsed once (`ontology_graph`), and
  the Turtle of any data package (`package_turtle`, also used for the SHACL shapes);
* the project's one error hierarchy (`ontology.errors`).

Imports go one way: ontology ← loaders ← piagraph ← app. Nothing here imports the layers above.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

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

CATALOG_GRAPH = ID["graph/catalog"]
"""Named graph of the store's catalog: one entry per report graph (`piagraph.store.catalog`)."""

FINDINGS_GRAPH = ID["graph/findings"]
"""The one findings graph of earlier stores: findings now sit beside each report, in its own findings
graph (`piagraph.store.graphs`); ``piagraph validate --store`` removes this one."""

PREFIXES: dict[str, str] = {
    "pia": str(PIA),
    "piaid": str(ID),
    "piav": str(VOCAB),
    "dpv": str(DPV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "sh": str(SH),
}
"""Prefix → namespace, for every graph piagraph writes and every query it sends."""

GRAPH_PREFIXES = ("pia", "piaid", "piav", "dpv")
"""The prefixes of piagraph's own namespaces, bound on every report graph it builds."""


def sparql_prefixes(names: tuple[str, ...] | None = None) -> str:
    """``PREFIX p: <…>`` lines for SPARQL (every prefix of `PREFIXES`, or the named ones)."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in chosen.items())


def bind_prefixes(graph: Graph, names: tuple[str, ...] = GRAPH_PREFIXES) -> Graph:
    """Bind the prefixes (piagraph's own by default) on an rdflib graph, for readable Turtle."""
    for name in names:
        graph.bind(name, Namespace(PREFIXES[name]))
    return graph


def package_turtle(package: str) -> Graph:
    """Every ``.ttl`` file of a data package (``ontology``, ``shapes``) merged into one graph."""
    graph = Graph()
    for resource in sorted(resources.files(package).iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".ttl"):
            graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and the SKOS vocabularies of this package, parsed once."""
    return package_turtle("ontology")
