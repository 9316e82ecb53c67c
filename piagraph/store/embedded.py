"""The embedded store: a persistent pyoxigraph (RocksDB) directory.

Its default location is ``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store``
(``~/.local/share/piagraph/store``). Each report is written with ONE SPARQL update request — drop the
old graph, insert the new one and rewrite the catalog entries of its series — which Oxigraph applies
as one transaction: a load killed at any moment leaves each report wholly old or wholly new.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from ontology import CATALOG_GRAPH, PIA
from ontology.errors import StoreError
from piagraph.sparql.text import nt_lines, nt_term
from piagraph.store.base import ReportGraph, Store, dump_oxigraph, first_line, new_entry
from piagraph.store.catalog import CatalogEntry, entry_triples, with_entry
from piagraph.store.results import QueryResult, from_oxigraph, from_oxigraph_term

STORE_ENV = "PIAGRAPH_STORE"
"""Environment variable naming the embedded store directory."""


def default_store_path() -> Path:
    """``$PIAGRAPH_STORE``, else ``$XDG_DATA_HOME/piagraph/store`` (default ``~/.local/share``)."""
    configured = os.environ.get(STORE_ENV)
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "piagraph" / "store"


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

    def put_report(self, report: ReportGraph) -> CatalogEntry:
        report = ReportGraph.of(report)
        entry = new_entry(report)
        series = with_entry(self.catalog(report.series_key), entry)
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

    def put_graph(self, graph: URIRef, triples) -> None:
        """Replace one named graph (e.g. the validation findings) in one transaction."""
        update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{nt_lines(triples)} }} }}"
        self._update(update, f"graph {graph}")

    def _update(self, update: str, what: str) -> None:
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: cannot write {what}: {first_line(error)}") from None

    # -- reading --------------------------------------------------------------------------------

    def _select(self, text: str, form: str) -> QueryResult:
        try:
            return from_oxigraph(self._store.query(text), form)
        except SyntaxError as error:
            raise StoreError(f"{self.location}: SPARQL syntax error: {first_line(error)}") from None
        except OSError as error:
            raise StoreError(f"{self.location}: query failed: {first_line(error)}") from None

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

    supports_bulk_load = True

    def bulk_load_nquads(self, data: bytes) -> None:
        """Add N-Quads with Oxigraph's bulk loader: fast, but NOT one transaction (`piagraph.ingest`)."""
        try:
            self._store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location}: bulk load failed: {first_line(error)}") from None

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            store.flush()
            del self._store
