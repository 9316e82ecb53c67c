"""The national-scale corpus generator (`bench/gen_corpus.py`) and the parallel loader (`piagraph.ingest`)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from piagraph.cli.store import load_command
from piagraph.ingest import load_paths
from piagraph.store import EmbeddedStore, StoreError
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import gen_corpus  # noqa: E402

REPORTS = 9  # one body: 8 reports and one older version of one of them


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus.generate(out, REPORTS, seed=5)
    return out


def manifest(corpus: Path) -> list[dict]:
    with open(corpus / "manifest.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def files_of(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_files(corpus, tmp_path):
    gen_corpus.generate(tmp_path / "again", REPORTS, seed=5)
    gen_corpus.generate(tmp_path / "other", REPORTS, seed=6)
    assert files_of(tmp_path / "again") == files_of(corpus)
    assert files_of(tmp_path / "other") != files_of(corpus)


def test_plan_matches_the_national_shape():
    specs = gen_corpus.plan(50_000, seed=1)
    bodies = {s.body for s in specs}
    per_body = [sum(1 for s in specs if s.body == b) for b in list(bodies)[:50]]
    assert len(specs) == 50_000 and len(bodies) == 1741
    assert 10 <= min(per_body) and max(per_body) <= 40
    assert len({s.path for s in specs}) == len(specs)
    assert len({(s.series_key, s.published) for s in specs}) == len(specs)


def test_generated_reports_load_as_planned(corpus):
    from loaders.pipeline import load_report

    rows = manifest(corpus)
    assert len(rows) == REPORTS and len({r["series_key"] for r in rows}) == REPORTS - 1
    for row in rows:
        loaded = load_report(corpus / row["path"])
        assert loaded.series_key == row["series_key"]
        assert str(loaded.published_on) == row["published"]
        assert len(loaded.graph) > 400
        assert "みどり" not in (corpus / row["path"]).read_bytes().decode(row["encoding"].replace("-crlf", ""))


def contents(store: EmbeddedStore) -> tuple[dict, list]:
    """Every named graph's triples (catalog without load times) and the catalog entries."""
    from ontology import ONTOLOGY_GRAPH, PIA

    graphs = {g: {t for t in store.graph_triples(g) if t[1] != PIA.loadedAt} for g in store.named_graphs()
              if g != ONTOLOGY_GRAPH}  # (its blank nodes differ from store to store)
    graphs["ontology triples"] = len(store.graph_triples(ONTOLOGY_GRAPH))
    entries = sorted((str(e.graph), e.series_key, e.published_on, e.is_current, str(e.previous), e.triple_count,
                      e.source_file) for e in store.catalog())
    return graphs, entries


def test_jobs_and_bulk_give_the_same_store_as_one_job(corpus, tmp_path):
    results = {}
    for name, load in {
        "one job": lambda s: load_paths(s, [corpus], progress=False),
        "two jobs": lambda s: load_paths(s, [corpus], jobs=2, progress=False),
        "bulk": lambda s: load_paths(s, [corpus], jobs=2, bulk=True, progress=False),
    }.items():
        with EmbeddedStore(tmp_path / name.replace(" ", "-")) as store:
            summary = load(store)
            assert not summary.failures and len(summary.loaded) == REPORTS
            results[name] = (contents(store), summary.triples)
    assert results["two jobs"] == results["one job"]
    assert results["bulk"] == results["one job"]
    (graphs, entries), _ = results["one job"]
    assert sum(1 for e in entries if e[3]) == REPORTS - 1  # the older version is not current
    bodies = {key.split("|")[0] for _, key, *_ in entries}
    # each report, its text, findings and summary; each body's rows and the record that they are complete;
    # the catalog; the ontology's triple count
    assert len(graphs) == 4 * REPORTS + len(bodies) + 1 + 2


def test_bulk_refuses_a_store_that_holds_reports(corpus, tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, [next(corpus.rglob("*.txt"))], jobs=1, progress=False)
        with pytest.raises(StoreError, match="empty store"):
            load_paths(store, [corpus], jobs=1, bulk=True, progress=False)


def test_cli_load_with_jobs_prints_the_summary(corpus, tmp_path):
    result = CliRunner().invoke(load_command, ["--store", str(tmp_path / "s"), "--jobs", "2", "-q", str(corpus)])
    assert result.exit_code == 0, result.output
    assert f"loaded {REPORTS} of {REPORTS} files" in result.output


def test_validate_store_with_jobs_gives_the_same_findings(corpus, tmp_path):
    import datetime as dt

    from piagraph.validation import validate_store

    with EmbeddedStore(tmp_path / "store") as store:
        load_paths(store, sorted(corpus.rglob("*.txt"))[:3], progress=False)
    day = dt.date(2026, 1, 1)
    with EmbeddedStore(tmp_path / "store") as store:
        one = validate_store(store, day)
        two = validate_store(store, day, jobs=2)
    assert one.findings and [f.as_dict() for f in two.findings] == [f.as_dict() for f in one.findings]
    assert two.validated == one.validated
