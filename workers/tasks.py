"""The tasks: check one initiative, sweep the workspace, relay the outbox.

Each task takes ids, loads what it needs, and is safe to run twice. A check run holds
the check lock for its whole transaction (the SQLite write lock, or a PostgreSQL
advisory lock), so that a run that read an older state can never write its alerts
after a run that read a newer one.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from celery.signals import worker_init
from sqlalchemy import text
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import OutboxRow
from server.models.base import utcnow
from server.settings import get_settings
from workers import loader, overlap_state, reconcile
from workers.celery_app import RELAY, ROUTES, RUN_INITIATIVE, SWEEP, app, redact, transport_options
from workers.checks import all_checks, run_all
from workers.checks import n4_parallel_tracks as n4

log = logging.getLogger("accord.workers")

# Any 64-bit number unique to Accord: the advisory lock that serialises check runs.
_CHECK_LOCK = 0x4143_434F_5244  # "ACCORD"
# Unsent outbox rows younger than this are the relay's, not yet the sweep's.
SWEEP_GRACE_SECONDS = 5.0
# Every check but N4, which a check of one initiative takes from the process's overlap index.
_NOT_N4 = {m.ID for m in all_checks()} - {n4.ID}


def _lock_checks(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHECK_LOCK})
    # On SQLite the write session's BEGIN IMMEDIATE already holds the database lock.


def check_initiative_now(initiative_id: int) -> dict[str, Any]:
    """Check one initiative and its neighbours and reconcile their alerts, in one transaction."""
    with session_scope(write=True) as db:
        _lock_checks(db)
        # Before anything is written: the index reads the events committed so far.
        index = overlap_state.current(db, refresh={initiative_id})
        loaded = loader.load_initiative(db, initiative_id)
        if loaded is None:
            return {"initiative_id": initiative_id, "skipped": "gone"}
        focus = set(loaded.snapshot.focus or ())
        # N4 from the process's index, which holds every track: only the focus track's
        # candidates are compared. The other checks judge the neighbour snapshot.
        findings = run_all(loaded.snapshot, only=_NOT_N4)
        overlaps = n4.findings(index, focus, loaded.snapshot.settings.forum_shopping_min_tracks)
        findings = sorted([*findings, *overlaps], key=lambda f: (f.principle, f.kind, f.subjects))
        # The index blocks crises by region as the sweep does; a track it pairs with the
        # focus may lie outside the neighbour query's crises: it still gets its link.
        ids = dict(loaded.ids)
        for f in overlaps:
            for key in f.initiatives:
                if key not in ids and key in overlap_state.state().id_of:
                    ids[key] = overlap_state.state().id_of[key]
        out = reconcile.reconcile(db, findings, ids, loaded.focus_ids, focus)
    return {"initiative_id": initiative_id, **out.as_dict()}


def check_everything_now() -> dict[str, Any]:
    """Run every check over the whole workspace and reconcile every alert."""
    with session_scope(write=True) as db:
        _lock_checks(db)
        loaded = loader.load_all(db)
        findings = run_all(loaded.snapshot)
        out = reconcile.reconcile(db, findings, loaded.ids, None, None)
    return out.as_dict()


# ---------------------------------------------------------------- relay


def _send(conn: Any, row: OutboxRow) -> None:
    queue = ROUTES.get(row.task, "checks")
    app.send_task(
        row.task,
        kwargs=dict(row.payload),
        queue=queue,
        routing_key=queue,
        connection=conn,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
    )


def relay_pending(limit: int = 500, older_than_seconds: float = 0.0) -> int:
    """Send unsent outbox rows to the broker and mark them sent; return how many.

    A row is marked sent only after the broker took it; if the broker fails, the row
    keeps its place, counts the attempt and the error, and the error is logged.
    """
    s = get_settings()
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    q = (
        select(OutboxRow)
        .where(col(OutboxRow.sent_at).is_(None), col(OutboxRow.created_at) <= cutoff)
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    opts = {"transport_options": transport_options(s)}
    if not s.redis_url:
        s.data_dir.mkdir(parents=True, exist_ok=True)  # the broker file's directory
    if not s.is_sqlite:
        # Several relays (web processes, workers) share the outbox: each takes rows no
        # other holds, and the sending and the marking commit together.
        with session_scope(write=True) as db:
            rows = list(db.exec(q.with_for_update(skip_locked=True)).all())
            if not rows:
                return 0
            return _send_rows(db, rows, s.broker_url, opts)
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
        return _send_rows(db, sorted(fresh, key=lambda r: r.id or 0), s.broker_url, opts)


def _send_rows(db: Session, rows: list[OutboxRow], broker_url: str, opts: dict[str, Any]) -> int:
    sent = 0
    try:
        with app.connection_for_write(broker_url, **opts) as conn:
            for row in rows:
                _send(conn, row)
                row.sent_at = utcnow()
                db.add(row)
                sent += 1
    except Exception as exc:  # the broker's own errors differ by transport
        failed = rows[sent] if sent < len(rows) else None
        if failed is not None:
            failed.attempts += 1
            failed.last_error = f"{type(exc).__name__}: {exc}"[:500]
            db.add(failed)
        log.error("outbox relay: broker %s refused: %s", redact(broker_url), exc)
    db.flush()
    return sent


class RelayWaker:
    """Runs the relay in a background thread of this process, woken after each commit.

    The web process installs it so that a saved change reaches the broker at once;
    the beat-driven `accord.relay` task covers any wake-up that gets lost.
    """

    def __init__(self) -> None:
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
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                while relay_pending() >= 500:
                    pass
            except Exception:
                log.exception("outbox relay failed; the next wake-up retries")
                time.sleep(1)


_waker: RelayWaker | None = None


def install_relay_wakeup() -> RelayWaker:
    """Start this process's relay thread (idempotent); call once at web start-up."""
    global _waker
    if _waker is None:
        _waker = RelayWaker()
        _waker.start()
    return _waker


@worker_init.connect
def _wake_streams_from_this_worker(**_: Any) -> None:
    """Alert events written here must wake the web processes' live streams."""
    from server import stream

    stream.install(listen=False)


# ---------------------------------------------------------------- tasks


@app.task(name=RUN_INITIATIVE)
def run_initiative(initiative_id: int) -> dict[str, Any]:
    """Check one initiative (and its neighbours) and reconcile the alerts it answers for."""
    result = check_initiative_now(int(initiative_id))
    log.info("checked initiative %s: %s", initiative_id, _summary(result))
    return result


@app.task(name=SWEEP)
def sweep() -> dict[str, Any]:
    """Re-send what the relay missed, then re-run every check over the whole workspace."""
    resent = relay_pending(limit=10_000, older_than_seconds=SWEEP_GRACE_SECONDS)
    result = check_everything_now()
    log.info("sweep: resent %d outbox rows; %s", resent, _summary(result))
    return {"resent": resent, **result}


@app.task(name=RELAY)
def relay() -> int:
    """Send the outbox rows that are still unsent."""
    return relay_pending()


def _summary(result: dict[str, Any]) -> str:
    return ", ".join(f"{k} {len(v)}" for k, v in result.items() if isinstance(v, list) and v) or "no change"
