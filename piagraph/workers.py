"""Work spread over processes, answers in order: what loading (`piagraph.ingest.parse_all`), validating a
store (`piagraph.validation.runner`) and summarising one (`piagraph.store.summaries`) share.

`in_order` runs ``function(*arguments)`` for each tuple of arguments in `jobs` worker processes and
yields the answers in the order of the arguments, with a bounded number in flight (`IN_FLIGHT_PER_JOB`
per worker): enough to keep the workers busy, few enough that a national run holds a handful of
reports in memory, not the country. The arguments are drawn lazily, so the caller may read each job's
input from the store just before it is handed out.

Workers are started by ``forkserver``: a worker forked from a parent holding an open store or a
Streamlit server would inherit its threads and locks.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

IN_FLIGHT_PER_JOB = 4
"""Jobs in flight per worker process."""


def in_order(function: Callable[..., T], arguments: Iterable[tuple], jobs: int, *,
             when_a_worker_dies: Callable[..., T] | None = None) -> Iterator[T]:
    """``function(*args)`` for each `arguments` tuple, in order, from `jobs` processes (here, if `jobs`
    is 1). A worker that dies (killed for memory, say) breaks the pool: with `when_a_worker_dies`, the
    job it was on answers ``when_a_worker_dies(*args)`` and the others are run again in a new pool
    (`_alone` tells which job it was); without, `BrokenProcessPool` is raised."""
    if jobs <= 1:
        yield from (function(*args) for args in arguments)
        return
    context = multiprocessing.get_context("forkserver")
    source = iter(arguments)
    again: deque[tuple] = deque()
    pending: deque[tuple[tuple, Future]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)

    def next_arguments() -> tuple | None:
        return again.popleft() if again else next(source, None)

    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT_PER_JOB and (args := next_arguments()) is not None:
                pending.append((args, pool.submit(function, *args)))
            if not pending:
                return
            args, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                if when_a_worker_dies is None:
                    raise
                pool.shutdown(wait=False, cancel_futures=True)
                again.extendleft(reversed([waiting for waiting, _ in pending]))  # before any not yet handed out
                pending.clear()
                yield _alone(function, args, context, when_a_worker_dies)
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _alone(function: Callable[..., T], args: tuple, context, when_it_dies: Callable[..., T]) -> T:
    """One job run again in a worker of its own: when a pool breaks, every job in flight fails with it,
    whichever worker died, so only a job that kills its worker alone is the one that did."""
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as alone:
        try:
            return alone.submit(function, *args).result()
        except BrokenProcessPool:
            return when_it_dies(*args)
