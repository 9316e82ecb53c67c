"""様式3 results unchanged: every seed and every 様式3 sample gives, triple by triple, the graph
committed in tests/fixtures/expected_graphs/ (written by tests/fixtures/make_expected_graphs.py).

This check guards the move of the 様式3 reader onto the form description (loaders/forms/): the
readers of 様式2 and 様式4 share its code, and none of their changes may change what a 様式3 report
becomes. A difference is listed triple by triple: for a sample in full, for a seed (stored as
hashes, the project never copies a real report's text) as the current triples of each subject and
predicate whose triples changed.
"""

from __future__ import annotations

import pytest

from tests.fixtures.make_expected_graphs import (
    expected_path,
    expected_text,
    ntriples,
    reports,
    sha1,
)

REPORTS = reports()


def describe_difference(loaded, expected: list[str], seed: bool) -> str:
    current = expected_text(loaded, seed).splitlines()
    if current[0] != expected[0]:
        return f"identity changed: {current[0]} (expected {expected[0]})"
    have, want = set(current[1:]), set(expected[1:])
    lines = [f"{len(want - have)} expected triples missing, {len(have - want)} new"]
    if not seed:
        lines += [f"- {line}" for line in sorted(want - have)[:20]]
        lines += [f"+ {line}" for line in sorted(have - want)[:20]]
        return "\n".join(lines)
    changed = {tuple(line.split()[:2]) for line in want - have}
    for subject, predicate, line in ntriples(loaded.graph):
        if (sha1(subject), sha1(predicate)) in changed or f"{sha1(subject)} {sha1(predicate)} {sha1(line)}" in have - want:
            lines.append(f"  now: {line[:200]}")
    return "\n".join(lines[:40])


@pytest.mark.parametrize("name,path,seed", REPORTS, ids=[name for name, _, _ in REPORTS])
def test_the_graph_is_the_committed_one(name, path, seed):
    from loaders.pipeline import load_report

    if not path.exists():
        pytest.skip(f"{path} is not available (CI keeps ../shared beside the checkout)")
    expected = expected_path(name, seed).read_text(encoding="utf-8").splitlines()
    loaded = load_report(path)
    current = expected_text(loaded, seed).splitlines()
    assert current == expected, describe_difference(loaded, expected, seed)


def test_every_seed_and_form3_sample_is_checked():
    names = {name for name, _, _ in REPORTS}
    assert {"midori_kouki", "midori_kaigo", "midori_kokuho", "midori_jidou"} <= names
    assert len([1 for _, _, seed in REPORTS if seed]) in (0, 5)
