"""A saved change reaches a real Celery worker and becomes an alert, on both brokers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from server.db import get_engine
from server.models import Alert, AlertInitiative, Initiative, Metric, OutboxRow
from server.relay import relay_pending
from server.services import initiatives
from tests import factories
from tests.workers.conftest import Worker, wait_for

pytestmark = pytest.mark.worker

OUTCOME = {"name": "humanitarian access constraints lifted", "kind": "outcome", "target": "five lifted"}


def track(key: str, **fields: object) -> dict[str, object]:
    """A running track: its end lies beyond any date these tests run on."""
    return factories.initiative(key, **{"end": "2099-12-31", **fields})


def alert(fingerprint: str) -> Alert | None:
    with Session(get_engine()) as db:
        return db.exec(select(Alert).where(Alert.fingerprint == fingerprint)).first()


def status_of(fingerprint: str) -> str | None:
    a = alert(fingerprint)
    return a.status if a else None


def unsent() -> int:
    with Session(get_engine()) as db:
        return len(db.exec(select(OutboxRow.id).where(col(OutboxRow.sent_at).is_(None))).all())


def initiative_id(db: Session, key: str) -> int:
    i = db.exec(select(Initiative).where(Initiative.key == key)).one()
    assert i.id is not None
    return i.id


def _raise_then_clear(db: Session) -> None:
    """Import a track with no metrics (N3 fires), then add an outcome metric (it clears)."""
    factories.load(db, factories.document(initiatives=[track("t1")]))
    assert relay_pending() >= 1
    wait_for(lambda: status_of("N3:no_metrics:t1") == "open", 60, what="N3 alert raised")
    a = alert("N3:no_metrics:t1")
    assert a is not None
    with Session(get_engine()) as s:
        concerned = s.exec(
            select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == a.id)
        ).all()
    assert concerned == [initiative_id(db, "t1")]

    initiatives.add_line(db, None, initiative_id(db, "t1"), "metrics", dict(OUTCOME))
    db.commit()
    assert relay_pending() == 1
    wait_for(lambda: status_of("N3:no_metrics:t1") == "resolved", 60, what="N3 alert resolved")
    assert unsent() == 0


def test_change_to_alert_on_redis(on_redis: str, db: Session, workers: Callable[..., Worker]) -> None:
    w = workers()
    try:
        _raise_then_clear(db)
    except AssertionError:
        print(w.log())
        raise


def test_change_to_alert_on_embedded_broker(
    embedded: str, db: Session, workers: Callable[..., Worker]
) -> None:
    assert embedded.startswith("sqla+sqlite:///")
    w = workers()
    try:
        _raise_then_clear(db)
    except AssertionError:
        print(w.log())
        raise


def test_embedded_message_survives_worker_restart(
    embedded: str, db: Session, workers: Callable[..., Worker]
) -> None:
    """A message sent while no worker runs is in the broker file when one starts."""
    first = workers()
    factories.load(db, factories.document(initiatives=[track("t0", metrics=[OUTCOME])]))
    relay_pending()
    try:
        wait_for(lambda: status_of("D3:no_objectives:t0") == "open", 30, what="first worker ran")
    except AssertionError:
        print(first.log())
        raise
    first.stop()  # the worker goes away; the broker is a file and needs no process
    t0 = initiative_id(db, "t0")
    metric = db.exec(select(Metric).where(Metric.initiative_id == t0)).one()
    initiatives.remove_line(db, None, t0, "metrics", metric.id)
    db.commit()
    assert relay_pending() == 1
    assert status_of("N3:no_metrics:t0") is None
    second = workers()
    try:
        wait_for(lambda: status_of("N3:no_metrics:t0") == "open", 60, what="alert after restart")
    except AssertionError:
        print(second.log())
        raise
