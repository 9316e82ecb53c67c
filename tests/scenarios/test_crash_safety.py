"""Crash safety of the embedded store: `piagraph load` killed with SIGKILL at random points, killed
after a given number of stored reports, and two loads at once.

The store already holds older versions: an earlier 公表日 of each sample (a new version is a new
graph, which becomes current) and two reports whose graph a load replaces (same IRI, other
content: the earlier content is kept as a superseded version). After every kill the store opens,
each report graph is wholly the old or wholly the new one (compared triple by triple), a replaced
report's earlier content is kept whole exactly when the new one is there, every report has its
findings graph, and the catalog is consistent: an entry for every report graph and only for them,
its triple count right, exactly one current version per series — the newest stored.
"""

from __future__ import annotations

import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders.pipeline import load_report
from ontology import CATALOG_GRAPH, ONTOLOGY_GRAPH
from piagraph.ingest import load_paths
from piagraph.store import EmbeddedStore
from piagraph.store.bodies import body_rows_ready, is_body_graph
from piagraph.store.graphs import findings_graph_of, is_report_companion, superseded_names
from tests.conftest import FORM3_SAMPLES, REPO, SAMPLES, seed_path
from tests.store_corpus import derive

TRIALS = 20
SEED = 20250801
OLD_DATE = "平成30年1月1日"  # before every sample's 公表日
REPLACED = {"midori_kaigo.txt": ("2\t介護保険に関する事務", "12\t介護保険に関する事務"),
            "midori_kouki.txt": ("1\t後期高齢者医療に関する事務", "11\t後期高齢者医療に関する事務")}


def older_version(text: str) -> str:
    """The same report with an earlier 公表日 (a different graph of the same series)."""
    changed, count = re.subn(r"(公表日\n\n?)[^\n]+", rf"\g<1>{OLD_DATE}", text, count=1)
    assert count == 1
    return changed


def write_corpus(directory: Path) -> tuple[list[Path], list[Path]]:
    """(files the store holds before, files the killed load writes): older versions of the four
    様式3 samples and two reports with other content; then the samples and those two reports as they are."""
    old, new = directory / "old", directory / "new"
    old.mkdir(parents=True)
    new.mkdir(parents=True)
    for sample in (SAMPLES / name for name in FORM3_SAMPLES):
        text = sample.read_text(encoding="utf-8")
        (old / sample.name).write_text(older_version(text), encoding="utf-8")
        (new / sample.name).write_text(text, encoding="utf-8")
        if sample.name in REPLACED:
            number, renumbered = REPLACED[sample.name]
            assert number in text
            text = text.replace(number, renumbered, 1)
            (new / f"replaced_{sample.name}").write_text(text, encoding="utf-8")
            (old / f"replaced_{sample.name}").write_text(text.replace("重点項目評価書\n", "重点項目評価書 旧版\n", 1),
                                                         encoding="utf-8")
    return sorted(old.iterdir()), sorted(new.iterdir())


class Expected:
    """The triples of every report graph, old and new, and which series each belongs to."""

    def __init__(self, old_files: list[Path], new_files: list[Path]):
        self.old = {r.graph_iri: set(r.graph) for r in map(load_report, old_files)}
        self.new = {r.graph_iri: set(r.graph) for r in map(load_report, new_files)}
        self.series = {r.graph_iri: r.series_key for r in map(load_report, [*old_files, *new_files])}
        self.replaced = self.old.keys() & self.new.keys()
        assert len(self.replaced) == 2 and all(self.old[g] != self.new[g] for g in self.replaced)
        assert len(self.new.keys() - self.old.keys()) == len(FORM3_SAMPLES)  # new versions of the 様式3 samples

    def check(self, directory: Path) -> int:
        """Assert the store is consistent; return how many reports of the new load it holds."""
        with EmbeddedStore(directory) as store:  # opens after a kill
            catalog = {entry.graph: entry for entry in store.catalog()}
            named = set(store.named_graphs())
            graphs = {g for g in named if not is_report_companion(g) and not is_body_graph(g)} - {CATALOG_GRAPH, ONTOLOGY_GRAPH}
            assert body_rows_ready(store)  # the bodies' rows are written in each report's transaction
            assert graphs == catalog.keys()
            assert self.old.keys() <= graphs <= self.old.keys() | self.new.keys()
            kept = {e.superseded_by: e for e in store.catalog(superseded=True) if e.is_superseded}
            renewed = 0
            for graph in graphs:
                triples = store.graph_triples(graph)
                assert triples in (self.old.get(graph), self.new.get(graph)), f"{graph} is neither old nor new"
                assert catalog[graph].triple_count == len(triples)
                assert findings_graph_of(graph) in named, f"{graph} has no findings"
                renewed += triples == self.new.get(graph)
                replaced = graph in self.replaced and triples == self.new[graph]
                assert (graph in kept) == replaced, f"{graph}: earlier content kept {graph in kept}, replaced {replaced}"
                if replaced:  # the earlier content, whole, its own nodes renamed
                    rename = superseded_names(graph, catalog[graph].assessment, kept[graph].graph)
                    assert store.graph_triples(kept[graph].graph) == {tuple(map(rename, t)) for t in self.old[graph]}
            for series in {entry.series_key for entry in catalog.values()}:
                versions = [e for e in catalog.values() if e.series_key == series]
                current = [e for e in versions if e.is_current]
                assert len(current) == 1, f"{series}: {len(current)} current versions"
                assert current[0].published_on == max(e.published_on for e in versions)
            assert store.graph_triples(ONTOLOGY_GRAPH)
            return renewed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crash")
    old_files, new_files = write_corpus(directory)
    template = directory / "template"
    with EmbeddedStore(template) as store:
        assert len(load_paths(store, old_files, progress=False).loaded) == len(old_files)
    return directory, template, Expected(old_files, new_files), len(new_files)


def test_kill_9_at_random_points_leaves_every_report_wholly_old_or_new(corpus, tmp_path):
    directory, template, expected, count = corpus
    rng = random.Random(SEED)
    killed, renewed_counts = 0, []
    for trial in range(TRIALS):
        store_dir = tmp_path / f"store{trial}"
        shutil.copytree(template, store_dir)
        process = start_load(store_dir, directory / "new")
        kill_after_stored(process, stored=rng.randrange(count - 1), delay=rng.uniform(0, 0.03))
        killed += process.returncode == -signal.SIGKILL
        renewed_counts.append(expected.check(store_dir))
    assert killed >= TRIALS - 2, f"only {killed} of {TRIALS} loads were killed before they finished"
    assert len(set(renewed_counts)) > 2  # the kills fell at different points of the load
    assert max(renewed_counts) < count


def run_load(store_dir: Path, directory: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "piagraph", "load", "--quiet", "--store", str(store_dir),
                             str(directory)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("round_", range(3))
def test_two_loads_at_once_both_succeed_the_second_waiting_for_the_first(corpus, tmp_path, round_):
    directory, template, expected, count = corpus
    store_dir = tmp_path / "store"
    shutil.copytree(template, store_dir)
    first, second = run_load(store_dir, directory / "new"), run_load(store_dir, directory / "new")
    outcomes = [(process.wait(timeout=240), process.stderr.read()) for process in (first, second)]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert all("Traceback" not in stderr for _, stderr in outcomes)
    waited = [stderr for _, stderr in outcomes if "waiting for another writer" in stderr]
    assert len(waited) == 1 and waited[0].startswith(f"piagraph: {store_dir}: 他の書き込みが終わるのを待っています")
    assert expected.check(store_dir) == count  # nothing corrupted: the new load is wholly there


def test_a_load_that_waits_too_long_fails_in_one_line(corpus, tmp_path):
    directory, template, expected, count = corpus
    store_dir = tmp_path / "store"
    shutil.copytree(template, store_dir)
    with EmbeddedStore(store_dir):  # another writer holds the store
        process = subprocess.run([sys.executable, "-m", "piagraph", "load", "--quiet", "--store", str(store_dir),
                                  str(directory / "new")], cwd=REPO, env={**os.environ, "PIAGRAPH_STORE_WAIT": "1"},
                                 capture_output=True, text=True, timeout=120)
    assert process.returncode == 2 and "Traceback" not in process.stderr
    last = process.stderr.strip().splitlines()[-1]
    assert last.startswith(f"piagraph: {store_dir}: store is in use by another process") and "ストア" in last


def versioned_reports(directory: Path, version: str, count: int) -> list[Path]:
    """`count` distinct reports made from seed 000 (評価書番号 100…), titled with `version`."""
    source = seed_path("000").read_text(encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        text = derive(source, [("15\t後期高齢者医療に関する事務 重点項目評価書",
                                f"{100 + index}\t後期高齢者医療に関する事務 重点項目評価書 {version}")])
        path = directory / f"report_{index:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def start_load(store_dir: Path, directory: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "piagraph", "load", "--verbose", "--store", str(store_dir), str(directory)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def kill_after_stored(process: subprocess.Popen, stored: int, delay: float, timeout: float = 120) -> None:
    """SIGKILL the load once it has stored `stored` reports, `delay` seconds later."""
    seen, deadline = 0, time.monotonic() + timeout
    while seen < stored and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 1.0)
        if ready:
            line = process.stderr.readline()
            if not line:
                break
            seen += ": stored " in line
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_killed_load_leaves_each_report_wholly_old_or_new(tmp_path):
    from loaders.pipeline import load_report

    count = 16
    old_files = versioned_reports(tmp_path / "old", "旧版", count)
    new_files = versioned_reports(tmp_path / "new", "新版", count)
    old = {loaded.graph_iri: set(loaded.graph) for loaded in map(load_report, old_files)}
    new = {loaded.graph_iri: set(loaded.graph) for loaded in map(load_report, new_files)}
    assert old.keys() == new.keys() and all(old[g] != new[g] for g in old)  # same graphs, other content

    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir) as store:
        load_paths(store, old_files, progress=False)

    renewed_before = 0
    for stored, delay in [(4, 0.0), (8, 0.04), (12, 0.09)]:
        process = start_load(store_dir, tmp_path / "new")
        kill_after_stored(process, stored, delay)
        assert process.returncode == -signal.SIGKILL, "the load finished before it was killed"
        with EmbeddedStore(store_dir) as store:  # opens after the kill
            catalog = {e.graph: e for e in store.catalog()}
            assert catalog.keys() == old.keys()
            renewed = 0
            for graph in old:
                triples = store.graph_triples(graph)
                assert triples in (old[graph], new[graph]), f"{graph} is neither the old nor the new report"
                assert catalog[graph].triple_count == len(triples) and catalog[graph].is_current
                renewed += triples == new[graph]
            assert renewed >= renewed_before
            renewed_before = renewed
    assert 12 <= renewed_before < count  # the last load was stopped after its 12th report
