"""Work spread over processes (`piagraph.workers`): answers in order, and a worker that dies costs its
own job only — what a national `piagraph load --jobs 2` relies on when a parser is killed for memory."""

from __future__ import annotations

import os
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from piagraph.workers import in_order

DIES_ON = 3


def square_or_die(number: int) -> int:
    time.sleep(0.02 * (number % 3))  # answers come back out of order
    if number == DIES_ON:
        os._exit(1)  # as a worker killed by the kernel
    return number * number


def told(number: int) -> str:
    return f"{number}: worker died"


def test_answers_come_in_the_order_asked():
    assert list(in_order(square_or_die, ((n,) for n in range(20) if n != DIES_ON), jobs=2)) == \
        [n * n for n in range(20) if n != DIES_ON]


def test_a_dead_worker_fails_its_own_job_and_the_others_are_answered():
    answers = list(in_order(square_or_die, ((n,) for n in range(12)), jobs=2, when_a_worker_dies=told))
    assert answers == [told(n) if n == DIES_ON else n * n for n in range(12)]


def test_without_a_remedy_a_dead_worker_stops_the_run():
    with pytest.raises(BrokenProcessPool):
        list(in_order(square_or_die, ((n,) for n in range(8)), jobs=2))


def test_one_job_runs_here():
    assert list(in_order(os.getpid, [()], jobs=1)) == [os.getpid()]
