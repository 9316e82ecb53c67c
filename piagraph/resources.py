"""Turtle shipped as package data (the ontology, the SHACL shapes), parsed into one graph."""

from __future__ import annotations

from importlib import resources

from rdflib import Graph


def package_turtle(package: str) -> Graph:
    """Every ``.ttl`` file of a data package (``ontology``, ``shapes``) merged into one graph."""
    graph = Graph()
    for resource in sorted(resources.files(package).iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".ttl"):
            graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    return graph
