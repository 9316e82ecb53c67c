"""Where report graphs live: one `Store` interface, two implementations.

* `piagraph.store.base` — the interface (`Store`), `ReportGraph` (what a store keeps of a report);
* `piagraph.store.embedded` — `EmbeddedStore`, a persistent Oxigraph directory (the default);
* `piagraph.store.remote` — `RemoteStore`, any SPARQL 1.1 server (Protocol + Graph Store Protocol);
* `piagraph.store.catalog` — the catalog graph: report versions, series, the current version;
* `piagraph.store.results` — `QueryResult`, one answer type whichever store answered;
* `piagraph.store.render` — rows as a text table, CSV, TSV or SPARQL JSON; graphs as Turtle, N-Triples, JSON-LD;
* `piagraph.store.formats` — the RDF formats, in one table.
"""

from __future__ import annotations

from pathlib import Path

from ontology.errors import StoreError
from piagraph.store.base import ReportGraph, Store
from piagraph.store.catalog import CatalogEntry
from piagraph.store.embedded import EmbeddedStore, default_store_path
from piagraph.store.results import QueryResult


def open_store(
    store_dir: str | Path | None = None,
    endpoint: str | None = None,
    gsp: str | None = None,
    *,
    create: bool = True,
) -> Store:
    """The remote store when an endpoint is given, else the embedded store."""
    if endpoint:
        from piagraph.store.remote import RemoteStore  # the HTTP client is loaded only for a server

        return RemoteStore(endpoint, gsp=gsp)
    return EmbeddedStore(store_dir, create=create)


__all__ = ["CatalogEntry", "EmbeddedStore", "QueryResult", "ReportGraph", "Store", "StoreError",
           "default_store_path", "open_store"]
