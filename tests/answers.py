"""Answers compared as users read them: rows in any order, a joined list as the set of its parts.

Shared by the tests that check the saved queries answer as before (`tests/store/test_summaries.py`)
and the benchmark that measures them (`bench/bench_national.py`).
"""

from __future__ import annotations

from collections import Counter

JOINED = {"counterpart": "、", "methods": "、", "legalBasis": " / ", "frequency": " / ", "citations": " / ",
          "bodyNames": "、", "fromAffairs": "、", "providers": "、"}
"""Columns joined by GROUP_CONCAT: their parts come in no defined order (docs/queries.md)."""


def comparable_rows(result) -> Counter:
    """The answer's rows as a multiset, a joined list as the set of its parts."""
    def cell(name, value):
        if value is None:
            return None
        return frozenset(str(value).split(JOINED[name])) if name in JOINED else value.n3()
    return Counter(tuple(cell(name, value) for name, value in zip(result.variables, row)) for row in result.rows)
