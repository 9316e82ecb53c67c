"""The RDF formats piagraph reads and writes, in one table.

Each format is known by its name, its file suffixes, its media type (and the other media types
servers label it with), its name in rdflib and in pyoxigraph, and whether it holds named graphs.
`piagraph convert` picks a format by suffix (rdflib writes it), `piagraph export` by name (Oxigraph
writes it), `piagraph query` writes a CONSTRUCT/DESCRIBE answer in one of `GRAPH_OUTPUT_FORMATS`,
and the remote store asks a server for graphs with `accept_header` and reads the answer by its
Content-Type (`by_media_type`).
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
    aliases: tuple[str, ...] = ()
    """Other media types a server may label this format with."""


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", (".ttl",), "text/turtle", "turtle", ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)),
    RdfFormat("ntriples", (".nt",), "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    RdfFormat("trig", (".trig",), "application/trig", "trig", ox.RdfFormat.TRIG, datasets=True),
    RdfFormat("nquads", (".nq",), "application/n-quads", "nquads", ox.RdfFormat.N_QUADS, datasets=True),
    RdfFormat("jsonld", (".jsonld", ".json"), "application/ld+json", "json-ld", ox.RdfFormat.JSON_LD,
              datasets=True),
    RdfFormat("rdfxml", (".rdf", ".xml"), "application/rdf+xml", "xml", ox.RdfFormat.RDF_XML),
)

EXPORT_FORMATS = ("turtle", "trig", "nquads", "jsonld")
"""`piagraph export` formats. Turtle holds one graph: the selected graphs are merged."""

GRAPH_OUTPUT_FORMATS = ("turtle", "ntriples", "jsonld")
"""What `piagraph query --format` writes a CONSTRUCT or DESCRIBE answer as."""

GRAPH_ANSWER_FORMATS = ("ntriples", "turtle", "rdfxml", "jsonld")
"""What the remote store takes from a server as a graph (a CONSTRUCT or DESCRIBE answer, a Graph
Store GET), most wanted first. N-Triples is exact and read line by line; JSON-LD comes last because
Virtuoso 7.2 writes an ``xsd:decimal`` (``pia:confidence 0.8``) as a bare JSON number, which JSON-LD
reads back as an ``xsd:double``."""


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


def by_media_type(content_type: str | None) -> RdfFormat | None:
    """The format of an HTTP answer labelled `content_type` (``text/turtle; charset=UTF-8``), or None."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    return next((fmt for fmt in RDF_FORMATS if media_type in (fmt.media_type, *fmt.aliases)), None)


def accept_header(names: tuple[str, ...] = GRAPH_ANSWER_FORMATS) -> str:
    """An HTTP Accept header asking for these formats in this order of preference
    (``application/n-triples, text/turtle;q=0.9, …``)."""
    weights = [max(0.1, 1.0 - 0.1 * rank) for rank in range(len(names))]
    return ", ".join(by_name(name).media_type + ("" if weight == 1.0 else f";q={weight:.1f}")
                     for name, weight in zip(names, weights))


def export_format(name: str) -> ox.RdfFormat:
    """The Oxigraph format of one of `EXPORT_FORMATS`."""
    if name not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {name!r} (one of {', '.join(EXPORT_FORMATS)})")
    return by_name(name).oxigraph
