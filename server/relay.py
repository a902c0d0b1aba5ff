"""The outbox relay: send committed outbox rows to the broker by task name, and mark them sent.

It lives with the server because every process that writes changes (web, worker, CLI)
relays them; it sends by the names in `server.broker` and never imports the workers.
A thread in each web process runs it right after each commit (a stream of commits is
coalesced: one run per `GAP` at most, sending every row committed by then); beat's
`accord.relay` and the sweep cover any wake-up that gets lost.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from functools import cache
from typing import Any

from celery import Celery
from sqlmodel import Session, col, select

from server.broker import ROUTES, redact, wire_config
from server.db import session_scope
from server.events import REQUEST_ID_KEY
from server.models import OutboxRow
from server.models.base import utcnow
from server.settings import get_settings

log = logging.getLogger("accord.relay")

BATCH = 500
# Under a stream of commits the web process's relay starts at most once per GAP seconds
# and sends in that run every row committed by then; a lone commit after a quiet spell
# is sent at once. A run costs two transactions and a broker connection, and a shorter
# gap saves little: a run that takes longer than the commits' spacing already takes
# every commit made while it ran.
GAP = 0.1
# How long a run waits for a connection of the sender's pool (only relays use it).
POOL_WAIT = 10.0


def _sender() -> Celery:
    """A Celery client that only sends (it registers no task and runs none), for the current settings."""
    s = get_settings()
    return _sender_for(s.broker_url, s.broker_prefix)


@cache
def _sender_for(broker_url: str, prefix: str) -> Celery:
    app = Celery("accord-relay", set_as_current=False)
    app.conf.update(wire_config(get_settings()))
    return app


class _BrokerState:
    """Whether the last relay worked, so that an outage is logged once (with its cause), not per try."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.cause = ""

    def failed(self, broker_url: str, exc: BaseException, database: bool = False) -> None:
        what = "database unreachable" if database else f"broker {redact(broker_url)} refused"
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
                self.cause = "database" if database else f"broker {redact(broker_url)}"
        if first:
            detail = (str(exc).strip().splitlines() or [""])[0]
            log.error(
                "outbox relay failed: %s (%s: %s); rows stay queued and are retried",
                what,
                type(exc).__name__,
                detail,
            )

    def succeeded(self, broker_url: str) -> None:
        with self._lock:
            since, self.down_since = self.down_since, None
        if since is not None:
            log.warning(
                "outbox relay recovered: %s reachable again after %.0f s",
                self.cause or f"broker {redact(broker_url)}",
                time.monotonic() - since,
            )


broker_state = _BrokerState()


def _send(app: Celery, conn: Any, row: OutboxRow) -> None:
    queue = ROUTES.get(row.task, "checks")
    kwargs = dict(row.payload)
    # The request that caused the task travels as a header, for the worker's log lines.
    request_id = kwargs.pop(REQUEST_ID_KEY, None)
    app.send_task(
        row.task,
        kwargs=kwargs,
        headers={"accord_request_id": request_id} if request_id else None,
        queue=queue,
        routing_key=queue,
        connection=conn,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
    )


def relay_pending(limit: int = BATCH, older_than_seconds: float = 0.0) -> int:
    """Send unsent outbox rows to the broker and mark them sent; return how many.

    A row is marked sent only after the broker took it; if the broker fails, the row
    keeps its place, counts the attempt and the error, and the outage is logged once.
    """
    s = get_settings()
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    q = (
        select(OutboxRow)
        .where(col(OutboxRow.sent_at).is_(None), col(OutboxRow.created_at) <= cutoff)
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    if not s.redis_url:
        s.data_dir.mkdir(parents=True, exist_ok=True)  # the broker file's directory
    if not s.is_sqlite:
        # Several relays (web processes, workers) share the outbox: each takes rows no
        # other holds, and the sending and the marking commit together.
        with session_scope(write=True) as db:
            rows = list(db.exec(q.with_for_update(skip_locked=True)).all())
            if not rows:
                return 0
            return _send_rows(db, rows, s.broker_url)
    # On SQLite the write lock would stall every writer while the broker answers, so
    # read, send, then mark; a row two relays both send is only checked twice.
    with session_scope(write=False) as db:
        rows = list(db.exec(q).all())
    if not rows:
        return 0
    with session_scope(write=True) as db:
        fresh = list(
            db.exec(
                select(OutboxRow).where(
                    col(OutboxRow.id).in_([r.id for r in rows]), col(OutboxRow.sent_at).is_(None)
                )
            ).all()
        )
        return _send_rows(db, sorted(fresh, key=lambda r: r.id or 0), s.broker_url)


def _send_rows(db: Session, rows: list[OutboxRow], broker_url: str) -> int:
    sent = 0
    app = _sender()
    # A connection from the sender's pool (its transport options are `wire_config`'s):
    # connecting and declaring the queues once per connection, not once per run, was most
    # of what a run cost.
    conn = None
    try:
        conn = app.pool.acquire(block=True, timeout=POOL_WAIT)
        for row in rows:
            _send(app, conn, row)
            row.sent_at = utcnow()
            db.add(row)
            sent += 1
    except Exception as exc:  # the broker's own errors differ by transport
        # A connection that failed is not handed out again as it is: the next run connects afresh.
        if conn is not None:
            conn.collect()
        failed = rows[sent] if sent < len(rows) else None
        if failed is not None:
            failed.attempts += 1
            failed.last_error = f"{type(exc).__name__}: {exc}"[:500]
            db.add(failed)
        broker_state.failed(broker_url, exc)
    else:
        broker_state.succeeded(broker_url)
    finally:
        if conn is not None:
            conn.release()
    db.flush()
    return sent


class RelayWaker:
    """Runs the relay in a background thread of this process, woken after each commit.

    Wake-ups coalesce: a commit while a run is going on, or within `gap` seconds of the
    last run's start, is sent by one more run at `gap` after that start, together with
    every other commit made by then. The wake-up is cleared before the run reads the
    outbox, so a row committed after that read wakes a following run: nothing waits for
    the timer.
    """

    def __init__(self, gap: float = GAP) -> None:
        self.gap = gap
        self.runs = 0
        self._last_run = float("-inf")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from server import events

        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="accord-relay", daemon=True)
            self._thread.start()
            events.on_commit(self._wake.set)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=get_settings().relay_interval_seconds)
            rest = self._last_run + self.gap - time.monotonic()
            if rest > 0 and self._stop.wait(rest):
                return
            self._wake.clear()
            if self._stop.is_set():
                return
            self._last_run = time.monotonic()
            self.runs += 1
            try:
                while relay_pending() >= BATCH:
                    pass
            except Exception as exc:  # the database itself may be down; the next wake-up retries
                broker_state.failed(get_settings().broker_url, exc, database=True)
                time.sleep(1)


_waker: RelayWaker | None = None


def install_relay_wakeup() -> RelayWaker:
    """Start this process's relay thread (idempotent); call once at web start-up."""
    global _waker
    if _waker is None:
        _waker = RelayWaker()
        _waker.start()
    return _waker
