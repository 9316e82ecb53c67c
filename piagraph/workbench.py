"""Auditors' ad-hoc SPARQL, run safely: read-only, no SERVICE, a time limit and a row cap.

The SPARQL page of the app (and anything else that runs a stranger's query) goes through
`run_limited`. A query on the embedded store runs in a worker process on a read-only view of the
store, so a pathological query (a large cartesian product, an ORDER BY over it) is stopped by killing
the worker at its time limit while the caller stays responsive. A remote server is asked with an
HTTP timeout.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import NotAQueryError, QueryFailed, QueryRefused, QueryTimeout
from piagraph.sparql.builder import page_query, total_query
from piagraph.sparql.text import query_form
from piagraph.store import EmbeddedStore, Store
from piagraph.store.results import QueryResult
from piagraph.store.summaries import require_summaries

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_ROW_CAP = 5000

_SERVICE = re.compile(
    r"""(?P<skip>\#[^\n]*|<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<service>\bSERVICE\b)""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass
class LimitedResult:
    """A query's answer within the row cap, and how long it took."""

    result: QueryResult
    truncated: bool
    seconds: float


def check_query(text: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE); refuses updates and SERVICE."""
    try:
        form = query_form(text)
    except NotAQueryError as error:
        raise NotAQueryError(f"only read-only queries run here: {error}") from None
    for match in _SERVICE.finditer(text):
        if match.group("service"):
            raise QueryRefused("SERVICE (federated query) is refused: no request leaves this machine")
    return form


def _cap(result: QueryResult, row_cap: int | None) -> tuple[QueryResult, bool]:
    if row_cap is None:
        return result, False
    truncated = len(result.rows) > row_cap or len(result.triples) > row_cap
    result.rows = result.rows[:row_cap]
    result.triples = result.triples[:row_cap]
    return result, truncated


def _answer(store_path: str, text: str, form: str, row_cap: int | None) -> tuple[str, object]:
    """In the worker: open the store read-only and answer with at most row_cap+1 rows, as
    (``ok``, result) or (``syntax`` | ``error``, message)."""
    import itertools

    import pyoxigraph as ox

    from piagraph.store.results import from_oxigraph

    try:
        store = ox.Store.read_only(store_path)
        answer = store.query(text)
        if form in ("SELECT", "CONSTRUCT", "DESCRIBE"):
            answer = _Truncated(answer, itertools.islice(answer, None if row_cap is None else row_cap + 1))
        return "ok", from_oxigraph(answer, form)
    except SyntaxError as error:
        return "syntax", str(error)
    except Exception as error:  # reported to the caller as one line
        return "error", f"{type(error).__name__}: {error}"


class _Truncated:
    """The first rows of a pyoxigraph answer, keeping its `variables` for the converter."""

    def __init__(self, answer, rows):
        self.variables = getattr(answer, "variables", None)
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


def _run_embedded(store_path: Path, text: str, form: str, timeout: float, row_cap: int | None) -> QueryResult:
    """Answer in a worker process (``python -m piagraph.workbench``), killed at the time limit.

    A plain subprocess rather than a multiprocessing "spawn" child: spawn re-runs the caller's
    ``__main__`` in the child, and in the app ``__main__`` is the Streamlit page that asked.
    """
    worker = subprocess.Popen([sys.executable, "-m", "piagraph.workbench"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        output, errors = worker.communicate(pickle.dumps((str(store_path), text, form, row_cap)), timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise QueryTimeout(f"stopped after {timeout:g} s (the time limit); narrow the query or add a LIMIT") from None
    if worker.returncode != 0 or not output:  # killed, out of memory, or a broken installation
        last = errors.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise QueryFailed(f"the query stopped without an answer (worker exit code {worker.returncode}"
                          f"{': ' + last[0] if last else ''})")
    status, payload = pickle.loads(output)
    if status == "ok":
        return payload
    raise QueryFailed(payload)


def run_limited(store: Store, text: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                row_cap: int | None = DEFAULT_ROW_CAP) -> LimitedResult:
    """Run an untrusted read-only query on a store within a time limit and a row cap (None: no cap)."""
    form = check_query(text)
    require_summaries(store, text)
    start = time.perf_counter()
    if isinstance(store, EmbeddedStore):
        store.flush()
        result = _run_embedded(store.path, text, form, timeout, row_cap)
    else:
        try:
            result = store.query(text)
        except Exception as error:
            raise QueryFailed(str(error)) from None
    result, truncated = _cap(result, row_cap)
    return LimitedResult(result, truncated, time.perf_counter() - start)


def count_rows(store: Store, text: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> int:
    """How many rows a SELECT answers in all (its pages' total), within the time limit."""
    return int(str(run_limited(store, total_query(text), timeout=timeout, row_cap=None).result.rows[0][0]))


def run_page(store: Store, text: str, *, limit: int | None, offset: int = 0,
             timeout: float = DEFAULT_TIMEOUT_SECONDS) -> tuple[LimitedResult, int | None]:
    """One page of a SELECT (``LIMIT``/``OFFSET`` appended) and the answer's total; the whole
    answer, and no total, when no page is asked for."""
    if limit is None and not offset:
        return run_limited(store, text, timeout=timeout, row_cap=None), None
    return (run_limited(store, page_query(text, limit, offset), timeout=timeout, row_cap=None),
            count_rows(store, text, timeout=timeout))


if __name__ == "__main__":  # the worker: one job on stdin, its answer on stdout
    pickle.dump(_answer(*pickle.load(sys.stdin.buffer)), sys.stdout.buffer)
