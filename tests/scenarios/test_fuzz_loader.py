"""Property-based fuzzing of the loader (hypothesis): mutated seeds and samples — lines deleted,
duplicated, shuffled, moved, spliced from another report or damaged; cells joined, split or emptied;
CRLF/CR; a swapped encoding for the whole file or from some line on; truncated, flipped or inserted
bytes (tests/mutations.py). Every case loads, with a graph a store can take, or is refused with a
one-line `ReportError` naming the file; nothing else. The long run (≥ 10,000 cases) is
bench/fuzz_loader.py.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.mutations import build, cases, check, describe


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_a_mutated_report_loads_or_is_refused_with_one_line(case, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "mutated.txt"
    outcome, problem = check(path, build(case))
    assert problem is None, f"{problem} — {describe(case)}"
