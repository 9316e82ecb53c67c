"""The catalog (`piagraph.store.catalog`): which version of each report is current.

An auditor reads the current version of a report: the one with the newest 公表日 of its series
(body + 評価書番号), each version linked to the one before it.
"""

from __future__ import annotations

import datetime as dt

from rdflib import Literal

from ontology import CATALOG_GRAPH, ID, PIA
from piagraph.store import EmbeddedStore
from piagraph.store.catalog import CatalogEntry, entry_triples, rank_series, with_entry

LOADED = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.timezone.utc)


def entry(name: str, published: dt.date | None, series: str = "みどり市長|1", loaded_minutes: int = 0) -> CatalogEntry:
    return CatalogEntry(graph=ID[f"graph/{name}"], assessment=ID[f"assessment/{name}"], series_key=series,
                        published_on=published, source_file=f"{name}.txt", triple_count=900,
                        loaded_at=LOADED + dt.timedelta(minutes=loaded_minutes))


def ranked(entries: list[CatalogEntry]) -> dict[str, tuple[bool, str | None]]:
    """Graph name → (current?, name of the previous version)."""
    def name(graph):
        return graph.rsplit("/", 1)[-1] if graph else None
    return {name(e.graph): (e.is_current, name(e.previous)) for e in rank_series(entries)}


def test_the_newest_publication_is_current_and_each_version_links_the_one_before():
    versions = [entry("r7", dt.date(2025, 2, 14)), entry("h31", dt.date(2019, 3, 1)), entry("r5", dt.date(2023, 2, 14))]
    assert ranked(versions) == {"h31": (False, None), "r5": (False, "h31"), "r7": (True, "r5")}


def test_a_report_without_a_publication_date_is_the_oldest_version():
    # loaded last, but a dated version is newer than one whose 公表日 the text does not give
    versions = [entry("dated", dt.date(2019, 3, 1)), entry("undated", None, loaded_minutes=5)]
    assert ranked(versions) == {"undated": (False, None), "dated": (True, "undated")}


def test_versions_of_the_same_day_are_ordered_by_loading():
    versions = [entry("second", dt.date(2025, 2, 14), loaded_minutes=5), entry("first", dt.date(2025, 2, 14))]
    assert ranked(versions) == {"first": (False, None), "second": (True, "first")}


def test_each_series_has_its_own_current_version():
    versions = [entry("kouki", dt.date(2025, 2, 14)), entry("kaigo", dt.date(2024, 11, 29), series="みどり市長|2"),
                entry("kouki-old", dt.date(2023, 2, 14))]
    assert ranked(versions) == {"kouki-old": (False, None), "kouki": (True, "kouki-old"), "kaigo": (True, None)}


def test_reloading_a_version_replaces_its_entry():
    old, new = entry("r5", dt.date(2023, 2, 14)), entry("r7", dt.date(2025, 2, 14))
    reloaded = entry("r5", dt.date(2023, 2, 14), loaded_minutes=30)
    series = with_entry(rank_series([old, new]), reloaded)
    assert [(e.graph, e.loaded_at, e.is_current) for e in series] == [
        (reloaded.graph, reloaded.loaded_at, False), (new.graph, new.loaded_at, True)]


def test_entry_triples_state_only_what_is_known():
    undated, dated = rank_series([entry("undated", None), entry("dated", dt.date(2025, 2, 14))])
    assert not {PIA.versionDate, PIA.previousVersion} & {p for _, p, _ in entry_triples(undated)}
    assert (dated.graph, PIA.versionDate, Literal(dt.date(2025, 2, 14))) in entry_triples(dated)
    assert (dated.graph, PIA.previousVersion, undated.graph) in entry_triples(dated)


def test_a_store_reads_back_the_catalog_it_was_given(tmp_path):
    entries = rank_series([entry("r7", dt.date(2025, 2, 14)), entry("undated", None),
                           entry("kaigo", dt.date(2024, 11, 29), series="みどり市長|2")])
    with EmbeddedStore(tmp_path / "store") as store:
        store.put_graph(CATALOG_GRAPH, [t for e in entries for t in entry_triples(e)])
        assert sorted(store.catalog(), key=str) == sorted(entries, key=str)
        assert store.catalog("みどり市長|2") == [e for e in entries if e.series_key == "みどり市長|2"]
