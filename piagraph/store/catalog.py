"""The catalog graph: which report graphs a store holds, and which version of each report is current.

Every report is loaded into its own named graph (IRI from body + 評価書番号 + 公表日). The catalog,
a named graph of its own (`ontology.CATALOG_GRAPH`), records for every report graph::

    <report graph> a pia:ReportGraph ;
        pia:aboutAssessment <the pia:Assessment node> ;
        pia:seriesKey "body + 評価書番号" ;           # the same for all versions of one report
        pia:versionDate "2025-08-13"^^xsd:date ;     # 公表日 (absent when the report has none)
        pia:isCurrent true ;                         # newest 公表日 of its series
        pia:previousVersion <older report graph> ;   # the version before it, if any
        pia:loadedFrom "000_xxx.txt" ;
        pia:loadedAt "…"^^xsd:dateTime ;
        pia:tripleCount 1234 .

Saved queries read only current versions portably, with no reliance on a server's
union-default-graph setting::

    GRAPH piaid:graph/catalog { ?g pia:isCurrent true }
    GRAPH ?g { … }

The terms are defined in ``ontology/store.ttl``. The catalog is a pure function of its entries
(`entry_triples`), so both stores rebuild the entries of a series in Python and write them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ontology import PIA
from piagraph.store.results import QueryResult, Triple


@dataclass(frozen=True)
class CatalogEntry:
    """One report graph of the store, as recorded in the catalog."""

    graph: URIRef
    assessment: URIRef
    series_key: str
    published_on: dt.date | None
    source_file: str | None
    triple_count: int
    loaded_at: dt.datetime
    is_current: bool = False
    previous: URIRef | None = None


def _version_order(entry: CatalogEntry) -> tuple:
    # Reports without a 公表日 count as the oldest; ties (never expected) by load time, then IRI.
    return (entry.published_on is not None, entry.published_on or dt.date.min, entry.loaded_at, str(entry.graph))


def rank_series(entries: Iterable[CatalogEntry]) -> list[CatalogEntry]:
    """Set `is_current` (newest 公表日) and `previous` for the versions of one or more series."""
    by_series: dict[str, list[CatalogEntry]] = {}
    for entry in entries:
        by_series.setdefault(entry.series_key, []).append(entry)
    ranked: list[CatalogEntry] = []
    for versions in by_series.values():
        versions.sort(key=_version_order)
        previous = None
        for index, entry in enumerate(versions):
            ranked.append(replace(entry, is_current=index == len(versions) - 1, previous=previous))
            previous = entry.graph
    return ranked


def with_entry(existing: Iterable[CatalogEntry], new: CatalogEntry) -> list[CatalogEntry]:
    """The entries of `new`'s series once `new` is stored (replacing an entry for the same graph)."""
    kept = [e for e in existing if e.graph != new.graph and e.series_key == new.series_key]
    return rank_series([*kept, new])


def entry_triples(entry: CatalogEntry) -> list[Triple]:
    """The catalog triples of one entry."""
    g = entry.graph
    triples: list[Triple] = [
        (g, RDF.type, PIA.ReportGraph),
        (g, PIA.aboutAssessment, entry.assessment),
        (g, PIA.seriesKey, Literal(entry.series_key)),
        (g, PIA.isCurrent, Literal(entry.is_current)),
        (g, PIA.tripleCount, Literal(entry.triple_count)),
        (g, PIA.loadedAt, Literal(entry.loaded_at.isoformat(timespec="seconds"), datatype=XSD.dateTime)),
    ]
    if entry.published_on is not None:
        triples.append((g, PIA.versionDate, Literal(entry.published_on)))
    if entry.source_file:
        triples.append((g, PIA.loadedFrom, Literal(entry.source_file)))
    if entry.previous is not None:
        triples.append((g, PIA.previousVersion, entry.previous))
    return triples


def entries_from_result(result: QueryResult) -> list[CatalogEntry]:
    """Catalog entries from the answer to `piagraph.sparql.builder.catalog_entries_query`."""
    entries = []
    for record in result.rows:
        row = dict(zip(result.variables, record))
        date = row.get("date")
        entries.append(
            CatalogEntry(
                graph=URIRef(row["graph"]),
                assessment=URIRef(row["assessment"]),
                series_key=str(row["series"]),
                published_on=dt.date.fromisoformat(str(date)) if date is not None else None,
                source_file=str(row["source"]) if row.get("source") is not None else None,
                triple_count=int(row["count"]),
                loaded_at=dt.datetime.fromisoformat(str(row["loaded"])),
                is_current=str(row["current"]).lower() in ("true", "1"),
            )
        )
    return rank_series(entries)
