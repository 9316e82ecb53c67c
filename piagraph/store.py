"""Where report graphs live: a small `Store` interface and the embedded Oxigraph store.

Layout of every store (embedded or remote):

* one named graph per report (評価書), IRI from the loader (body + 評価書番号 + 公表日);
* the ontology and SKOS vocabularies in `ONTOLOGY_GRAPH`;
* the catalog in `CATALOG_GRAPH` (see `piagraph.catalog`): which graphs exist, their series and
  公表日, and which version of each report is current.

The embedded store is a persistent pyoxigraph (RocksDB) directory. Its default location is
``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store`` (``~/.local/share/piagraph/store``).
Each report is written with ONE SPARQL update request — drop the old graph, insert the new one and
rewrite the catalog entries of its series — which Oxigraph applies as one transaction: a load
killed at any moment leaves each report wholly old or wholly new.

The remote store (`piagraph.remote.RemoteStore`) speaks SPARQL 1.1 Protocol and Graph Store Protocol.
"""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from piagraph.catalog import (
    CATALOG_GRAPH,
    CatalogEntry,
    entries_from_result,
    entries_query,
    entry_triples,
    with_entry,
)
from piagraph.namespaces import ONTOLOGY_GRAPH, PIA, PREFIXES
from piagraph.results import QueryResult, from_oxigraph, from_oxigraph_term
from piagraph.sparql import NotAQueryError, nt_lines, nt_term, query_form

STORE_ENV = "PIAGRAPH_STORE"
"""Environment variable naming the embedded store directory."""

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""`piagraph export` formats. Turtle holds one graph: the selected graphs are merged."""

SERIALIZATION_PREFIXES = {
    **{name: str(ns) for name, ns in PREFIXES.items()},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
}


class StoreError(Exception):
    """A store cannot be opened, read or written. The message is one line naming the store."""


def default_store_path() -> Path:
    """``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store`` (default ``~/.local/share``)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "piagraph" / "store"


@dataclass(frozen=True)
class ReportGraph:
    """What a store needs to keep one report: the fields of `loaders.pipeline.LoadedReport`."""

    graph_iri: URIRef
    graph: rdflib.Graph
    assessment: URIRef
    series_key: str
    published_on: dt.date | None
    source_file: str | None = None

    @classmethod
    def of(cls, loaded) -> ReportGraph:
        """Accept a `LoadedReport` (or anything with the same attributes)."""
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
    """A quad store holding report graphs, the ontology graph and the catalog."""

    location: str
    """The directory or endpoint, for messages."""

    @abstractmethod
    def put_report(self, loaded) -> CatalogEntry:
        """Store one report's graph, replacing the graph of the same IRI, and update the catalog."""

    @abstractmethod
    def put_ontology(self, graph: rdflib.Graph) -> int:
        """Replace the ontology graph unless it holds the same content (`ontology_digest`).

        Returns the number of triples written (0 when the stored ontology was already the same).
        """

    @abstractmethod
    def _select(self, text: str, form: str) -> QueryResult:
        """Run a query already checked to be read-only."""

    @abstractmethod
    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        """Write the store (or the given named graphs) in one of `EXPORT_FORMATS`."""

    def query(self, text: str) -> QueryResult:
        """Run a read-only SPARQL query (updates are refused with a `StoreError`)."""
        try:
            form = query_form(text)
        except NotAQueryError as error:
            raise StoreError(f"{self.location}: {error}") from None
        return self._select(text, form)

    def named_graph(self, graph: URIRef | str) -> rdflib.Graph:
        """One named graph as an rdflib graph (a report: a few thousand triples)."""
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        data = rdflib.Graph()
        for triple in result.triples:
            data.add(triple)
        return data

    def catalog(self) -> list[CatalogEntry]:
        """All report graphs, with their series, 公表日 and current flag."""
        return entries_from_result(self.query(entries_query()))

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


def check_export_format(fmt: str) -> ox.RdfFormat:
    try:
        return EXPORT_FORMATS[fmt]
    except KeyError:
        raise StoreError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})") from None


def dump_oxigraph(store: ox.Store, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None) -> None:
    """Serialise a pyoxigraph store (all graphs, or the given ones) — shared by both stores."""
    rdf_format = check_export_format(fmt)
    names = [ox.NamedNode(str(g)) for g in graphs] if graphs is not None else None
    if names is None:
        quads: Iterable[ox.Quad] = store.quads_for_pattern(None, None, None, None)
    else:
        quads = (q for name in names for q in store.quads_for_pattern(None, None, None, name))
    if rdf_format.supports_datasets:
        ox.serialize(quads, output, rdf_format, prefixes=SERIALIZATION_PREFIXES)
    else:  # Turtle: one graph, the merge of the selected ones
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        ox.serialize(triples, output, rdf_format, prefixes=SERIALIZATION_PREFIXES)


class EmbeddedStore(Store):
    """A persistent pyoxigraph store in a directory (default: `default_store_path`)."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path).expanduser() if path else default_store_path()
        self.location = str(self.path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.location}: no store here (load reports first with `piagraph load`)")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            if "lock" in message.lower():
                raise StoreError(f"{self.location}: store is in use by another process (a `piagraph load`?)") from None
            raise StoreError(f"{self.location}: cannot open store: {message}") from None

    # -- writing --------------------------------------------------------------------------------

    def put_report(self, loaded) -> CatalogEntry:
        report = ReportGraph.of(loaded)
        entry = new_entry(report)
        series = with_entry(entries_from_result(self.query(entries_query(report.series_key))), entry)
        catalog = [t for e in series for t in entry_triples(e)]
        graph = f"<{report.graph_iri}>"
        catalog_graph = f"<{CATALOG_GRAPH}>"
        update = (
            f"DROP SILENT GRAPH {graph} ;\n"
            f"DELETE WHERE {{ GRAPH {catalog_graph} {{ {graph} ?p ?o }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {catalog_graph} {{ ?e <{PIA.seriesKey}> {nt_term(rdflib.Literal(report.series_key))} . ?e ?p ?o }} }} ;\n"
            f"INSERT DATA {{\n GRAPH {graph} {{\n{nt_lines(report.graph)} }}\n"
            f" GRAPH {catalog_graph} {{\n{nt_lines(catalog)} }}\n}}"
        )
        self._update(update, f"report {report.source_file or report.graph_iri}")
        return next(e for e in series if e.graph == report.graph_iri)

    def put_ontology(self, graph: rdflib.Graph) -> int:
        digest = ontology_digest(graph)
        if self.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_GRAPH}> <{PIA.contentDigest}> {nt_term(digest)} }} }}").boolean:
            return 0  # unchanged: keep it as it is (blank nodes included)
        triples = [*graph, (ONTOLOGY_GRAPH, PIA.contentDigest, digest)]
        update = (
            f"DROP SILENT GRAPH <{ONTOLOGY_GRAPH}> ;\n"
            f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{\n{nt_lines(triples)} }} }}"
        )
        self._update(update, "ontology graph")
        return len(graph)

    def put_graph(self, graph: URIRef, triples) -> None:
        """Replace one named graph (e.g. the validation findings) in one transaction."""
        update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{nt_lines(triples)} }} }}"
        self._update(update, f"graph {graph}")

    def _update(self, update: str, what: str) -> None:
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: cannot write {what}: {_first_line(error)}") from None

    # -- reading --------------------------------------------------------------------------------

    def _select(self, text: str, form: str) -> QueryResult:
        try:
            return from_oxigraph(self._store.query(text), form)
        except SyntaxError as error:
            raise StoreError(f"{self.location}: SPARQL syntax error: {_first_line(error)}") from None
        except OSError as error:
            raise StoreError(f"{self.location}: query failed: {_first_line(error)}") from None

    def export(self, output: BinaryIO, fmt: str, graphs: Iterable[URIRef] | None = None) -> None:
        dump_oxigraph(self._store, output, fmt, graphs)

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: URIRef) -> set[tuple]:
        """The triples of one named graph, as rdflib terms."""
        return {
            (from_oxigraph_term(q.subject), from_oxigraph_term(q.predicate), from_oxigraph_term(q.object))
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        }

    def bulk_load_nquads(self, data: bytes) -> None:
        """Add N-Quads with Oxigraph's bulk loader: fast, but NOT one transaction (`piagraph.ingest`)."""
        try:
            self._store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: bulk load failed: {_first_line(error)}") from None

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            store.flush()
            del self._store


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def open_store(
    store_dir: str | Path | None = None,
    endpoint: str | None = None,
    gsp: str | None = None,
    *,
    create: bool = True,
) -> Store:
    """The remote store when an endpoint is given, else the embedded store."""
    if endpoint:
        from piagraph.remote import RemoteStore

        return RemoteStore(endpoint, gsp=gsp)
    return EmbeddedStore(store_dir, create=create)

