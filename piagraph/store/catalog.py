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
        pia:loadedBy "yamada@example.jp" ;          # who (signed-in user, or the OS account of a CLI load)
        pia:tripleCount 1234 ;
        pia:sourceDigest "sha256:…" ;                # the report's text
        pia:graphDigest "sha256:…" ;                 # the graph's triples
        pia:textGraph <report graph/text> ;          # its source text, one node per line
        pia:findingsGraph <report graph/findings> ;  # its findings (checked or not: see the graph)
        pia:summaryGraph <report graph/summary> ;    # its summary rows (piagraph.store.summaries) …
        pia:summaryVersion 1 .                       # … of this version of the summary queries

Earlier content of a report that a load with different text replaced is kept in a graph of its own
and listed as a superseded version, not as one of the report's versions::

    <report graph/superseded/…> a pia:SupersededGraph ;
        pia:supersededBy <report graph> ; pia:supersededAt "…"^^xsd:dateTime ;
        …  # the entry it had: assessment, series, 公表日, loadedFrom, loadedAt, loadedBy, digests

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
from piagraph.store.graphs import companions
from piagraph.store.results import QueryResult, Triple
from piagraph.store.summaries import SUMMARY_VERSION, summary_graph


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
    loaded_by: str | None = None
    source_digest: str | None = None
    graph_digest: str | None = None
    superseded_by: URIRef | None = None
    """Set on a superseded content (pia:SupersededGraph): the report graph that replaced it."""
    superseded_at: dt.datetime | None = None
    summarized: bool = False
    """Whether the report graph has its summary rows of this piagraph (`piagraph.store.summaries`)."""

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by is not None


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


def _datetime(value: dt.datetime) -> Literal:
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def entry_triples(entry: CatalogEntry) -> list[Triple]:
    """The catalog triples of one entry (a report graph, or a superseded content)."""
    g = entry.graph
    text, findings = companions(g)
    triples: list[Triple] = [
        (g, PIA.aboutAssessment, entry.assessment),
        (g, PIA.seriesKey, Literal(entry.series_key)),
        (g, PIA.tripleCount, Literal(entry.triple_count)),
        (g, PIA.loadedAt, _datetime(entry.loaded_at)),
        (g, PIA.textGraph, text),
        (g, PIA.findingsGraph, findings),
    ]
    if entry.is_superseded:
        triples += [(g, RDF.type, PIA.SupersededGraph), (g, PIA.supersededBy, entry.superseded_by)]
        if entry.superseded_at is not None:
            triples.append((g, PIA.supersededAt, _datetime(entry.superseded_at)))
    else:
        triples += [(g, RDF.type, PIA.ReportGraph), (g, PIA.isCurrent, Literal(entry.is_current))]
    optional = [(PIA.versionDate, entry.published_on), (PIA.loadedFrom, entry.source_file),
                (PIA.loadedBy, entry.loaded_by), (PIA.sourceDigest, entry.source_digest),
                (PIA.graphDigest, entry.graph_digest)]
    triples += [(g, predicate, Literal(value)) for predicate, value in optional if value]
    if entry.previous is not None and not entry.is_superseded:
        triples.append((g, PIA.previousVersion, entry.previous))
    if entry.summarized and not entry.is_superseded:
        triples += [(g, PIA.summaryGraph, summary_graph(g)), (g, PIA.summaryVersion, Literal(SUMMARY_VERSION))]
    return triples


def entries_from_result(result: QueryResult) -> list[CatalogEntry]:
    """Catalog entries from the answer to `piagraph.sparql.builder.catalog_entries_query`: report
    graphs ranked per series, then superseded contents (when the query asked for them)."""
    versions, superseded = [], []
    for record in result.rows:
        row = dict(zip(result.variables, record))

        def text(name: str) -> str | None:
            return str(row[name]) if row.get(name) is not None else None

        date, replaced_at = row.get("date"), row.get("supersededAt")
        entry = CatalogEntry(
            graph=URIRef(row["graph"]),
            assessment=URIRef(row["assessment"]),
            series_key=str(row["series"]),
            published_on=dt.date.fromisoformat(str(date)) if date is not None else None,
            source_file=text("source"),
            triple_count=int(row["count"]),
            loaded_at=dt.datetime.fromisoformat(str(row["loaded"])),
            is_current=str(row.get("current")).lower() in ("true", "1"),
            loaded_by=text("loadedBy"),
            source_digest=text("sourceDigest"),
            graph_digest=text("graphDigest"),
            superseded_by=URIRef(row["supersededBy"]) if row.get("supersededBy") is not None else None,
            superseded_at=dt.datetime.fromisoformat(str(replaced_at)) if replaced_at is not None else None,
            summarized=text("summaryVersion") == str(SUMMARY_VERSION),
        )
        (superseded if entry.is_superseded else versions).append(entry)
    return rank_series(versions) + sorted(superseded, key=lambda e: (e.series_key, e.superseded_at or e.loaded_at))
