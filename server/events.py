"""The outbox and the event table: how a committed change reaches workers and browsers.

Services write an outbox row and an event row in the change's own transaction. After
the commit, a hook wakes the relay (which sends outbox rows to Celery) and the live
streams (which read new events); neither wake-up carries data, so a lost one costs
only latency: the relay's timer and the stream's heartbeat catch up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event as sa_event
from sqlmodel import Session

from server.logs import current_request_id
from server.models import Event, OutboxRow

REQUEST_ID_KEY = "request_id"

_wake_listeners: list[Callable[[], None]] = []
_lock = threading.Lock()

# Events that webhooks and e-mail notices tell of: after commit, the fan-out task
# (`server.broker.FAN_OUT`) reads them from the event table as each receiver may see them.
# A change made here wakes it through the outbox; alerts change in the workers, which
# wake it themselves when a check run raised or resolved one (workers/deliveries.py).
FANNED_OUT = frozenset(
    {
        "alert.raised",
        "alert.reopened",
        "alert.resolved",
        "decision.logged",
        "decision.signoff",
        "sharing.granted",
        "sharing.withdrawn",
    }
)
WAKES_FAN_OUT = frozenset({"decision.logged", "decision.signoff", "sharing.granted", "sharing.withdrawn"})
FAN_OUT = "accord.deliveries.fan_out"


def enqueue(db: Session, task: str, **payload: Any) -> OutboxRow:
    """Record work for the workers; it is sent only after this transaction commits."""
    request_id = current_request_id()
    if request_id:  # the relay sends it as a header, so the task logs the request's id
        payload = {**payload, REQUEST_ID_KEY: request_id}
    row = OutboxRow(task=task, payload=payload)
    db.add(row)
    db.info["wake"] = True
    return row


def check_initiative(db: Session, initiative_id: int | None) -> None:
    """Ask the workers to re-check one initiative after commit (once per transaction)."""
    if initiative_id is None:
        return
    pending: set[int] = db.info.setdefault("checks_pending", set())
    if initiative_id in pending:
        return
    pending.add(initiative_id)
    enqueue(db, "accord.checks.run_initiative", initiative_id=initiative_id)


def publish(
    db: Session,
    kind: str,
    block: str,
    initiative_id: int | None = None,
    org_id: int | None = None,
    home_only: bool = False,
    **payload: Any,
) -> Event:
    """Record an event for the live streams of everyone who may see it.

    An event on a track reaches whoever may see the track, or with `home_only` only
    its own government (alerts, internal items, sharing, coordination); an event with
    no track reaches the members of `org_id`. The stream decides through the
    visibility layer (`server.services.audience`).
    """
    if kind in WAKES_FAN_OUT and not db.info.get("fan_out_pending"):
        db.info["fan_out_pending"] = True
        enqueue(db, FAN_OUT)
    row = Event(
        kind=kind,
        block=block,
        initiative_id=initiative_id,
        org_id=org_id,
        home_only=home_only,
        payload=payload,
    )
    db.add(row)
    db.info["wake"] = True
    return row


def on_commit(listener: Callable[[], None]) -> None:
    """Call `listener` after every commit that wrote an outbox or event row."""
    with _lock:
        if listener not in _wake_listeners:
            _wake_listeners.append(listener)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("checks_pending", None)
    session.info.pop("fan_out_pending", None)
    if session.info.pop("wake", False):
        for listener in list(_wake_listeners):
            try:
                listener()
            except Exception:  # a wake-up is best effort: timers catch up
                pass


@sa_event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    """Forget what a rolled-back transaction asked for, once the whole of it has ended.

    Only the outermost transaction counts: a savepoint rolled back inside it (an insert
    that lost a race, on SQLite) leaves the rest of the transaction, and its wake-up, in
    place. After a commit `_after_commit` has already taken the flags.
    """
    if transaction.parent is not None:
        return
    session.info.pop("checks_pending", None)
    session.info.pop("fan_out_pending", None)
    session.info.pop("wake", None)
