"""The web process's relay coalesces a stream of commits: few runs, every row sent."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlmodel import Session, col, select

from server import events, relay
from server.db import get_engine
from server.models import OutboxRow
from server.settings import get_settings

COMMITS = 40


def _unsent() -> int:
    with Session(get_engine()) as s:
        return len(s.exec(select(OutboxRow.id).where(col(OutboxRow.sent_at).is_(None))).all())


def test_a_burst_of_commits_is_relayed_in_few_runs(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    # The timer never fires during the test: every row must reach the broker through a wake-up.
    monkeypatch.setenv("ACCORD_RELAY_INTERVAL_SECONDS", "3600")
    get_settings.cache_clear()
    sent: list[int] = []
    real_send = relay._send

    def send(app: Any, conn: Any, row: OutboxRow) -> None:
        real_send(app, conn, row)
        sent.append(row.payload["n"])

    monkeypatch.setattr(relay, "_send", send)
    waker = relay.RelayWaker(gap=0.5)
    waker.start()
    try:
        for n in range(COMMITS):
            events.enqueue(db, "accord.check_initiative", n=n)
            db.commit()
            time.sleep(0.02)  # a stream of saves, not one transaction's worth
        deadline = time.monotonic() + 30
        while (len(sent) < COMMITS or _unsent()) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        waker.stop()
        events._wake_listeners.remove(waker._wake.set)
    assert sorted(sent) == list(range(COMMITS)), "a committed row was lost or sent twice"
    assert _unsent() == 0
    assert 1 <= waker.runs <= COMMITS // 5, f"{waker.runs} relay runs for {COMMITS} commits"
