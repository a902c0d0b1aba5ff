"""A commit that wrote an event wakes the live streams, whatever happened inside it.

The alert reconciler inserts each finding's alert in a savepoint on SQLite, and an
insert that meets an existing alert rolls that savepoint back. A change published
before it must still wake the streams when the transaction commits: otherwise a
reopened alert reaches open pages only at the stream's next poll.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server import events
from server.domain.checks import run_all
from server.models import Initiative, Organisation
from server.services import initiative_lines, loader, reconcile
from tests import factories as f


@pytest.fixture
def wakes() -> Iterator[list[int]]:
    calls: list[int] = []

    def listener() -> None:
        calls.append(1)

    events.on_commit(listener)
    try:
        yield calls
    finally:
        events._wake_listeners.remove(listener)


def test_a_savepoint_rolled_back_keeps_the_wake_up(db: Session, db_backend: str, wakes: list[int]) -> None:
    f.load(db, f.document(initiatives=[f.initiative("t1")]))
    wakes.clear()
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    events.publish(db, "initiative.updated", "initiative", initiative_id=track.id)
    org = db.exec(select(Organisation)).first()
    assert org is not None
    try:
        with db.begin_nested():  # an insert that loses to an existing row
            db.execute(insert(Organisation).values(key=org.key, name="again", kind="department"))
    except IntegrityError:
        pass
    db.commit()
    assert wakes, "the commit wrote an event but woke nobody"


def test_a_rolled_back_transaction_wakes_nobody(db: Session, db_backend: str, wakes: list[int]) -> None:
    f.load(db, f.document(initiatives=[f.initiative("t1")]))
    wakes.clear()
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    events.publish(db, "initiative.updated", "initiative", initiative_id=track.id)
    db.rollback()
    db.commit()
    assert not wakes
    assert "wake" not in db.info


def test_a_reopened_alert_wakes_the_streams(db: Session, db_backend: str, wakes: list[int]) -> None:
    """A check run that reopens one alert and leaves others as they were wakes the streams."""
    symbolic = {"name": "ministerial visits", "kind": "symbolic"}
    tracks = [f.initiative(k, metrics=[symbolic]) for k in ("t1", "t2", "t3")]
    f.load(db, f.document(initiatives=tracks))
    t1 = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    assert t1.id is not None

    def check() -> reconcile.Outcome:
        loaded = loader.load_all(db)
        out = reconcile.reconcile(db, run_all(loaded.snapshot), loaded.ids, None, None)
        db.commit()
        return out

    assert check().raised
    line = initiative_lines.add_line(
        db, None, t1.id, "metrics", {"name": "families with clean water", "kind": "outcome"}
    )
    db.commit()
    assert check().resolved
    initiative_lines.remove_line(db, None, t1.id, "metrics", line.id)
    db.commit()
    wakes.clear()
    out = check()
    assert out.reopened and out.unchanged, out.as_dict()
    assert wakes, "an alert was reopened but no stream was woken"


def test_the_stream_reads_past_a_hole_only_where_it_cannot_fill(db: Session, db_backend: str) -> None:
    """A hole below committed event ids: on PostgreSQL a slower transaction may still fill
    it, so the stream waits; on SQLite (one writer, ids given at write) it never fills."""
    from server import stream
    from server.models import Event

    for event_id in (1, 2, 4):
        db.add(Event(id=event_id, kind="initiative.updated", block="initiative"))
    db.commit()
    expected = 4 if db_backend == "sqlite" else 2
    assert stream.safe_horizon(db, 0) == expected
    assert stream.safe_horizon(db, 4) == 4


def test_a_broker_outage_is_logged_once_not_per_commit(
    db: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """While Redis is down each commit's wake-up fails; the log says so once, then once when it is back."""
    import logging
    import socket

    from server import stream
    from server.settings import get_settings

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    monkeypatch.setenv("ACCORD_REDIS_URL", f"redis://127.0.0.1:{dead}")
    get_settings.cache_clear()
    listeners = list(events._wake_listeners)
    installed = set(stream._installed)
    try:
        stream.install(listen=False)
        f.load(db, f.document(initiatives=[f.initiative("t1")]))
        track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
        with caplog.at_level(logging.INFO, logger="accord.stream"):
            for _ in range(3):
                events.publish(db, "initiative.updated", "initiative", initiative_id=track.id)
                db.commit()
        lines = [r.getMessage() for r in caplog.records if r.name == "accord.stream"]
        assert len([m for m in lines if "could not publish" in m]) == 1, lines
    finally:
        events._wake_listeners[:] = listeners
        stream._installed.clear()
        stream._installed.update(installed)
        get_settings.cache_clear()
