"""The RDF formats piagraph reads and writes, in one table.

Each format is known by its name, its file suffixes, its media type, its name in rdflib and in
pyoxigraph, and whether it holds named graphs. `piagraph convert` picks a format by suffix (rdflib
writes it), `piagraph export` by name (Oxigraph writes it), and the remote store reads a server's
graph answers by media type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ontology.errors import StoreError


@dataclass(frozen=True)
class RdfFormat:
    name: str
    suffixes: tuple[str, ...]
    media_type: str
    rdflib: str
    oxigraph: ox.RdfFormat
    datasets: bool = False


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", (".ttl",), "text/turtle", "turtle", ox.RdfFormat.TURTLE),
    RdfFormat("ntriples", (".nt",), "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    RdfFormat("trig", (".trig",), "application/trig", "trig", ox.RdfFormat.TRIG, datasets=True),
    RdfFormat("nquads", (".nq",), "application/n-quads", "nquads", ox.RdfFormat.N_QUADS, datasets=True),
    RdfFormat("jsonld", (".jsonld", ".json"), "application/ld+json", "json-ld", ox.RdfFormat.JSON_LD,
              datasets=True),
    RdfFormat("rdfxml", (".rdf", ".xml"), "application/rdf+xml", "xml", ox.RdfFormat.RDF_XML),
)

EXPORT_FORMATS = ("turtle", "trig", "nquads", "jsonld")
"""`piagraph export` formats. Turtle holds one graph: the selected graphs are merged."""


def by_name(name: str) -> RdfFormat:
    """The format of this name (`RdfFormat.name`) or rdflib name."""
    for fmt in RDF_FORMATS:
        if name in (fmt.name, fmt.rdflib):
            return fmt
    raise StoreError(f"unknown RDF format {name!r} (one of {', '.join(f.name for f in RDF_FORMATS)})")


def by_suffix(suffix: str) -> RdfFormat | None:
    """The format written to files ending in `suffix` (``.ttl``), or None."""
    return next((fmt for fmt in RDF_FORMATS if suffix.lower() in fmt.suffixes), None)


def suffixes() -> list[str]:
    return [suffix for fmt in RDF_FORMATS for suffix in fmt.suffixes]


def export_format(name: str) -> ox.RdfFormat:
    """The Oxigraph format of one of `EXPORT_FORMATS`."""
    if name not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {name!r} (one of {', '.join(EXPORT_FORMATS)})")
    return by_name(name).oxigraph
