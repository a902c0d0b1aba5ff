"""`once`: the shipped models are made once per process, however many threads ask first."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from server.domain.once import once


def test_threads_that_ask_at_once_get_the_one_value_made_once() -> None:
    made: list[object] = []
    start = threading.Barrier(8)

    @once
    def value() -> object:
        time.sleep(0.05)
        made.append(object())
        return made[-1]

    def ask() -> object:
        start.wait()
        return value()

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: ask(), range(8)))
    assert len(made) == 1
    assert all(g is made[0] for g in got)
    assert value() is made[0]
    assert value.__doc__ is None and value.__name__ == "value"


def test_a_failed_make_is_tried_again_on_the_next_call() -> None:
    calls = []

    @once
    def value() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("file missing")
        return 7

    try:
        value()
    except OSError:
        pass
    assert value() == 7 and len(calls) == 2
