"""N4's overlaps on their own queue: one index per host, whatever the checks worker's concurrency.

With `ACCORD_OVERLAP_QUEUE=1` the checks worker (two prefork children here) runs every
check but N4's overlaps and builds no overlap index; each check then sends the
initiative to the `overlap` queue, where the host's one overlap worker (a single
process, `accord worker --overlap`) answers from the one index it keeps. Through a
series of edits the live N4 alerts must be those a full run finds, the other checks'
alerts must be left alone by the overlap runs, and the index must be built once, in the
overlap worker only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from server.relay import relay_pending
from server.settings import get_settings
from tests.workers.conftest import Worker, wait_for
from tests.workers.test_overlap_incremental import (
    _full_n4,
    _live_n4,
    _scenario,
    _sent_runs,
    _sweep_changes_no_n4,
)

RUN = "accord.checks.run_initiative"
OVERLAP = "accord.overlap.run_initiative"


def _done(log: Path, task: str) -> int:
    line = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded in")
    return len(line.findall(log.read_text(errors="replace"))) if log.exists() else 0


@pytest.mark.worker
def test_overlaps_run_in_the_one_overlap_worker_and_agree_with_the_sweep(
    db_backend: str,
    on_redis: str,
    db: Session,
    workers: Callable[..., Worker],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_OVERLAP_QUEUE", "1")
    get_settings.cache_clear()
    checks, overlap = workers(concurrency=2), workers(overlap=True)
    wait_for(lambda: all("ready." in w.log() for w in (checks, overlap)), 60, what="both workers ready")

    def settle() -> None:
        while relay_pending():
            pass
        wanted = _sent_runs()
        wait_for(lambda: _done(checks.log_path, RUN) >= wanted, 90, what=f"{wanted} checks ran")
        # Each check that found its track sends one overlap run.
        wait_for(
            lambda: _done(overlap.log_path, OVERLAP) >= _done(checks.log_path, RUN),
            90,
            what="the overlap runs",
        )

    def compare(step: str) -> None:
        assert _live_n4() == _full_n4(), step

    try:
        _scenario(db, settle, compare)
        assert "overlap index built" not in checks.log(), "the checks worker holds no index"
        assert overlap.log().count("overlap index built") == 1, overlap.log()[-3000:]
        assert "checked initiative" not in overlap.log()
        _sweep_changes_no_n4()
    except AssertionError:
        print(checks.log()[-4000:], overlap.log()[-4000:])
        raise
