"""The store interface: what every store (embedded Oxigraph, a remote SPARQL server) offers.

Layout of every store:

* one named graph per report (評価書), IRI from the loader (body + 評価書番号 + 公表日), and beside it
  the report's source text and its findings (`piagraph.store.graphs`);
* the ontology and SKOS vocabularies in `ontology.ONTOLOGY_GRAPH`;
* the catalog in `ontology.CATALOG_GRAPH` (`piagraph.store.catalog`): which graphs exist, their series
  and 公表日, which version of each report is current, when, from which file and by whom each was
  loaded, and the earlier contents a load superseded.

Writing a report (`Store.put_report`) never loses what was stored: identical content is left as it
is; the same text read anew replaces the graph; different text under the same identity keeps the
earlier content as a superseded version (`Stored.outcome`).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.compare import to_isomorphic

from ontology import ONTOLOGY_GRAPH, PIA, PREFIXES
from ontology.errors import NotAQueryError, StoreError
from piagraph.sparql.builder import catalog_entries_query, named_graph_query, ontology_digest_query, state_query
from piagraph.sparql.text import SerializedGraph, query_form
from piagraph.store.catalog import CatalogEntry, entries_from_result, with_entry
from piagraph.store.formats import export_format
from piagraph.store.graphs import companions, graph_digest, source_digest, superseded_graph, superseded_names
from piagraph.store.results import QueryResult, Triple
from piagraph.store.summaries import summarize


@dataclass(frozen=True)
class ReportGraph:
    """What a store keeps of one report: the fields of `loaders.pipeline.LoadedReport`, its source
    text, its findings and who loaded it.

    `graph` is an rdflib graph, or the same triples already written as N-Triples by a loader
    process (`SerializedGraph`); `findings` likewise the findings graph of the form's rules
    (`piagraph.validation.findings_graph`), None when the report was not checked.
    """

    graph_iri: URIRef
    graph: rdflib.Graph | SerializedGraph
    assessment: URIRef
    series_key: str
    published_on: dt.date | None
    source_file: str | None = None
    source_lines: tuple[str, ...] = ()
    findings: rdflib.Graph | SerializedGraph | None = None
    loaded_by: str | None = None
    summary: SerializedGraph | None = None
    """The report's summary rows (`piagraph.store.summaries`), computed by `with_summary` if absent."""

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
            source_lines=tuple(getattr(loaded, "source_lines", None) or ()),
        )

    @cached_property
    def source_digest(self) -> str | None:
        return source_digest(self.source_lines)

    @cached_property
    def graph_digest(self) -> str:
        return graph_digest(self.graph)

    def with_summary(self) -> ReportGraph:
        """This report with its summary rows computed (in a loader process, or before storing it)."""
        if self.summary is not None:
            return self
        summarized = replace(self, summary=summarize(self.graph_iri, self.assessment, self.graph))
        for digest in ("source_digest", "graph_digest"):  # cached, not fields: kept rather than computed again
            if digest in self.__dict__:
                summarized.__dict__[digest] = self.__dict__[digest]
        return summarized

    def with_digests(self) -> ReportGraph:
        """This report with its digests computed, so that they travel with it when pickled (from a
        loader process)."""
        _ = self.source_digest, self.graph_digest  # cached: computed once, kept in the instance's __dict__
        return self


ADDED, UNCHANGED, REREAD, SUPERSEDED = "added", "unchanged", "reread", "superseded"
"""What `Store.put_report` did: stored a report new to the store; nothing (identical content was
already stored); replaced the graph of the same text read anew; replaced different content, keeping
the earlier content as a superseded version."""


@dataclass(frozen=True)
class Stored:
    """The result of `Store.put_report`: the report's catalog entry, what was done, and the entry of
    the earlier content kept as a superseded version (outcome `SUPERSEDED`)."""

    entry: CatalogEntry
    outcome: str
    superseded: CatalogEntry | None = None


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

    def put_report(self, report: ReportGraph) -> Stored:
        """Store one report (its graph, its text and its findings) and update the catalog.

        Nothing stored is lost: a report whose identity (graph IRI) is already stored with the same
        graph is left as it is (`UNCHANGED`); the same text read anew replaces it (`REREAD`); a
        different text keeps the earlier content, text and findings as a superseded version in
        graphs of their own (`SUPERSEDED`, `piagraph.store.graphs`).
        """
        report = ReportGraph.of(report)
        versions = self.catalog(report.series_key)
        previous = next((e for e in versions if e.graph == report.graph_iri), None)
        outcome = self._outcome(previous, report)
        if outcome == UNCHANGED:
            return Stored(previous, UNCHANGED)
        try:
            report = report.with_summary()
        except StoreError as error:
            raise StoreError(f"{self.location}: {error}") from None
        entry = new_entry(report)
        series = with_entry(versions, entry)
        kept, copies = None, {}
        if outcome == SUPERSEDED:
            target = superseded_graph(previous.graph, previous.graph_digest, previous.loaded_at)
            rename = superseded_names(previous.graph, previous.assessment, target)
            kept = replace(previous, graph=target, assessment=rename(previous.assessment), superseded_by=report.graph_iri,
                           superseded_at=entry.loaded_at, is_current=False, previous=None, summarized=False)
            copies = {copy: [tuple(rename(term) for term in triple) for triple in self.named_graph(source)]
                      for source, copy in zip((previous.graph, *companions(previous.graph)), (target, *companions(target)))}
        self._write_report(report, series, kept, copies)
        return Stored(next(e for e in series if e.graph == report.graph_iri), outcome, kept)

    def _outcome(self, previous: CatalogEntry | None, report: ReportGraph) -> str:
        if previous is None:
            return ADDED
        stored_digest = previous.graph_digest or graph_digest(self.named_graph(previous.graph))
        if stored_digest == report.graph_digest:
            # the same graph: nothing to do, unless the store lacks what this version keeps beside it
            return UNCHANGED if previous.graph_digest and (previous.source_digest or not report.source_lines) else REREAD
        if previous.source_digest and previous.source_digest == report.source_digest:
            return REREAD
        return SUPERSEDED

    @abstractmethod
    def _write_report(self, report: ReportGraph, series: list[CatalogEntry], superseded: CatalogEntry | None,
                      copies: dict[URIRef, list[Triple]]) -> None:
        """Write the report's graph, text and findings and the catalog entries of its series, and,
        when earlier content is superseded, its renamed `copies` (graph → triples) and its
        `superseded` catalog entry — before anything of it is overwritten."""

    @abstractmethod
    def mark_summarized(self, graphs: list[URIRef]) -> None:
        """Record in the catalog that these report graphs have their summary graphs of this version
        (`piagraph.store.summaries.summarize_store`, after writing them)."""

    @abstractmethod
    def put_body_rows(self, bodies: list) -> None:
        """Recompute the per-body rows of these bodies (pyoxigraph literals) from their current reports'
        summaries (`piagraph.store.bodies`)."""

    @abstractmethod
    def mark_body_rows_ready(self) -> None:
        """Record that every body's rows are of this version (`piagraph.store.bodies.refresh_all_bodies`)."""

    @abstractmethod
    def put_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace one named graph (e.g. the findings) with these triples."""

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph (nothing happens when there is none)."""

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

    def catalog(self, series_key: str | None = None, *, superseded: bool = False) -> list[CatalogEntry]:
        """All report graphs (or those of one series), with their series, 公表日 and current flag;
        with `superseded`, then the superseded contents as well."""
        return entries_from_result(self.query(catalog_entries_query(series_key, superseded=superseded)))

    def state_token(self) -> str:
        """Changes whenever a report is written: keys the app's caches (see `EmbeddedStore`)."""
        return self.catalog_state()

    def catalog_state(self) -> str:
        """The catalog's state: how many entries and the newest load — changes with every load that
        stored something (not with a load of identical content, nor with validation)."""
        row = self.query(state_query()).rows[0]
        return "|".join("" if value is None else str(value) for value in row)

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
        loaded_by=report.loaded_by,
        source_digest=report.source_digest,
        graph_digest=report.graph_digest,
        summarized=report.summary is not None,
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
