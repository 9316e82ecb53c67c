"""The store interface: what every store (embedded Oxigraph, a remote SPARQL server) offers.

Layout of every store:

* one named graph per report (評価書), IRI from the loader (body + 評価書番号 + 公表日);
* the ontology and SKOS vocabularies in `ontology.ONTOLOGY_GRAPH`;
* the catalog in `ontology.CATALOG_GRAPH` (`piagraph.store.catalog`): which graphs exist, their series
  and 公表日, and which version of each report is current;
* the findings of the form's rules in `ontology.FINDINGS_GRAPH` (`piagraph.validation`).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.compare import to_isomorphic

from ontology import ONTOLOGY_GRAPH, PIA, PREFIXES
from ontology.errors import NotAQueryError, StoreError
from piagraph.sparql.builder import catalog_entries_query, named_graph_query, ontology_digest_query
from piagraph.sparql.text import SerializedGraph, query_form
from piagraph.store.catalog import CatalogEntry, entries_from_result
from piagraph.store.formats import export_format
from piagraph.store.results import QueryResult, Triple


@dataclass(frozen=True)
class ReportGraph:
    """What a store needs to keep one report: the fields of `loaders.pipeline.LoadedReport`.

    `graph` is an rdflib graph, or the same triples already written as N-Triples by a loader
    process (`SerializedGraph`).
    """

    graph_iri: URIRef
    graph: rdflib.Graph | SerializedGraph
    assessment: URIRef
    series_key: str
    published_on: dt.date | None
    source_file: str | None = None

    @classmethod
    def of(cls, loaded) -> ReportGraph:
        """A `ReportGraph` as it is, or one made of a `loaders.pipeline.LoadedReport`."""
        if isinstance(loaded, cls):
            return loaded
        report = getattr(loaded, "report", None)
        source = getattr(loaded, "source_file", None) or getattr(report, "source_file", None)
        return cls(
            graph_iri=URIRef(loaded.graph_iri),
            graph=loaded.graph,
            assessment=URIRef(loaded.assessment),
            series_key=loaded.series_key,
            published_on=loaded.published_on,
            source_file=Path(source).name if source else None,
        )


class Store(ABC):
    """A quad store holding report graphs, the ontology graph, the catalog and the findings.

    Reading is `query` (any read-only SPARQL) and what is built on it; writing is `put_report`,
    `put_ontology` and `put_graph`, each of which replaces whole graphs.
    """

    location: str
    """The directory or endpoint, for messages."""

    supports_bulk_load = False
    """Whether `bulk_load_nquads` is available (`piagraph load --bulk`)."""

    # -- writing ----------------------------------------------------------------------------------

    @abstractmethod
    def put_report(self, report: ReportGraph) -> CatalogEntry:
        """Store one report's graph, replacing the graph of the same IRI, and update the catalog."""

    @abstractmethod
    def put_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace one named graph (e.g. the findings) with these triples."""

    def put_ontology(self, graph: rdflib.Graph) -> int:
        """Replace the ontology graph unless it holds the same content (`ontology_digest`).

        Returns the number of triples written (0 when the stored ontology was already the same).
        """
        digest = ontology_digest(graph)
        if self.query(ontology_digest_query(digest)).boolean:
            return 0  # unchanged: keep it as it is (blank nodes included)
        self.put_graph(ONTOLOGY_GRAPH, [*graph, (ONTOLOGY_GRAPH, PIA.contentDigest, digest)])
        return len(graph)

    def check_writable(self) -> None:
        """Raise a `StoreError` now when this store cannot take writes (before a long run that ends
        in one)."""

    def bulk_load_nquads(self, data: bytes) -> None:
        """Add N-Quads without transactions (an initial load into an empty store)."""
        raise StoreError(f"{self.location}: --bulk needs the embedded store")

    def flush(self) -> None:
        """Make what was written durable (a no-op where every write already is)."""

    # -- reading ----------------------------------------------------------------------------------

    @abstractmethod
    def _select(self, text: str, form: str) -> QueryResult:
        """Run a query already checked to be read-only."""

    @abstractmethod
    def named_graphs(self) -> list[URIRef]:
        """Every named graph of the store, sorted."""

    @abstractmethod
    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        """Write the store (or the given named graphs) in one of `formats.EXPORT_FORMATS`."""

    def query(self, text: str) -> QueryResult:
        """Run a read-only SPARQL query (updates are refused with a `StoreError`)."""
        try:
            form = query_form(text)
        except NotAQueryError as error:
            raise StoreError(f"{self.location}: {error}") from None
        return self._select(text, form)

    def named_graph(self, graph: URIRef | str) -> rdflib.Graph:
        """One named graph as an rdflib graph (a report: a few thousand triples), its triples added
        in one order whichever store answered, so that rdflib answers the views' queries on it alike."""
        data = rdflib.Graph()
        for triple in sorted(self.query(named_graph_query(graph)).triples, key=lambda t: tuple(term.n3() for term in t)):
            data.add(triple)
        return data

    def catalog(self, series_key: str | None = None) -> list[CatalogEntry]:
        """All report graphs (or those of one series), with their series, 公表日 and current flag."""
        return entries_from_result(self.query(catalog_entries_query(series_key)))

    # -- lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the store."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def new_entry(report: ReportGraph) -> CatalogEntry:
    """The catalog entry for a report about to be stored."""
    return CatalogEntry(
        graph=report.graph_iri,
        assessment=report.assessment,
        series_key=report.series_key,
        published_on=report.published_on,
        source_file=report.source_file,
        triple_count=len(report.graph),
        loaded_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    )


def ontology_digest(graph: rdflib.Graph) -> rdflib.Literal:
    """A digest of the ontology graph that does not depend on blank-node labels.

    Stored in the ontology graph as ``<graph/ontology> pia:contentDigest "…"``, so a load rewrites
    the ontology only when the ontology files changed.
    """
    return rdflib.Literal(f"rdflib-isomorphic:{to_isomorphic(graph).graph_digest()}")


def dump_oxigraph(store: ox.Store, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None) -> None:
    """Serialise a pyoxigraph store (all graphs, or the given ones) — shared by both stores."""
    rdf_format = export_format(fmt)
    names = [ox.NamedNode(str(g)) for g in graphs] if graphs is not None else None
    if names is None:
        quads: Iterable[ox.Quad] = store.quads_for_pattern(None, None, None, None)
    else:
        quads = (q for name in names for q in store.quads_for_pattern(None, None, None, name))
    if rdf_format.supports_datasets:
        ox.serialize(quads, output, rdf_format, prefixes=PREFIXES)
    else:  # Turtle: one graph, the merge of the selected ones
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        ox.serialize(triples, output, rdf_format, prefixes=PREFIXES)


def first_line(error: BaseException) -> str:
    """The first line of an error's message (its type when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
