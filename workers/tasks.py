"""The tasks: check one initiative, sweep the workspace, relay the outbox.

Each task takes ids, loads what it needs, and is safe to run twice. A check run holds
the check lock for its whole transaction (the SQLite write lock, or a PostgreSQL
advisory lock), so that a run that read an older state can never write its alerts
after a run that read a newer one.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_init
from sqlalchemy import text
from sqlmodel import Session

from server.broker import RELAY, RUN_INITIATIVE, RUN_OVERLAP, SWEEP
from server.db import session_scope
from server.domain.checks import n4_parallel_tracks as n4
from server.domain.checks import run_all
from server.relay import relay_pending
from server.services import delegations, loader, reconcile, workspace_meta
from server.settings import get_settings
from workers import overlap_state
from workers.celery_app import app

log = logging.getLogger("accord.workers")

# Any 64-bit number unique to Accord: the advisory lock that serialises check runs.
_CHECK_LOCK = 0x4143_434F_5244  # "ACCORD"
# Unsent outbox rows younger than this are the relay's, not yet the sweep's.
SWEEP_GRACE_SECONDS = 5.0


def _lock_checks(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHECK_LOCK})
    # On SQLite the write session's BEGIN IMMEDIATE already holds the database lock.


def is_overlap(fingerprint: str) -> bool:
    """Whether an alert is one of N4's overlaps (pairs and forum shopping), which the index answers."""
    return fingerprint.startswith((f"N4:{n4.PAIR_KIND}:", f"N4:{n4.FORUM_KIND}:"))


def check_without_overlaps_now(initiative_id: int) -> dict[str, Any]:
    """Every check but N4's overlaps, for one initiative and its neighbours; no index is built.

    The `checks` queue runs this when `overlap_queue` is on; N4's overlaps of the same
    initiative follow on the `overlap` queue (`check_overlaps_now`).
    """
    with session_scope(write=True) as db:
        _lock_checks(db)
        loaded = loader.load_initiative(db, initiative_id)
        if loaded is None:
            return {"initiative_id": initiative_id, "skipped": "gone"}
        focus = set(loaded.snapshot.focus or ())
        findings = [f for f in run_all(loaded.snapshot, without=[n4]) if not is_overlap(f.fingerprint)]
        out = reconcile.reconcile(
            db, findings, dict(loaded.ids), loaded.focus_ids, focus, lambda fp: not is_overlap(fp)
        )
    return {"initiative_id": initiative_id, **out.as_dict()}


def check_overlaps_now(initiative_id: int) -> dict[str, Any]:
    """N4's overlaps of one initiative from this process's index, reconciling only their alerts."""
    with session_scope(write=True) as db:
        _lock_checks(db)
        index = overlap_state.current(db, refresh={initiative_id})
        key = overlap_state.state().key_of(initiative_id)
        if key is None:
            return {"initiative_id": initiative_id, "skipped": "gone"}
        min_tracks = loader.check_settings().forum_shopping_min_tracks
        overlaps = n4.findings(index, {key}, min_tracks)
        ids = {k: overlap_state.state().id_of[k] for f in overlaps for k in f.initiatives}
        ids[key] = initiative_id
        out = reconcile.reconcile(db, overlaps, ids, {initiative_id}, {key}, is_overlap)
    return {"initiative_id": initiative_id, **out.as_dict()}


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
        # N4's overlaps from the process's index, which holds every track: only the focus
        # track's candidates are compared. The other checks (N4's contradictory leverage
        # among them) judge the neighbour snapshot.
        findings = run_all(loaded.snapshot, without=[n4])
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
        today = workspace_meta.today(db)
        # Dismissals whose date has come reopen their alert if its cause is still there.
        reconcile.lapse_dismissals(db, today, {f.fingerprint for f in findings}, out)
        # Delegations that ran out get their end in the log.
        delegations.log_ended(db, today)
    return out.as_dict()


# ---------------------------------------------------------------- relay


@worker_init.connect
def _wake_streams_from_this_worker(**_: Any) -> None:
    """Alert events written here must wake the web processes' live streams."""
    from server import stream

    stream.install(listen=False)


# ---------------------------------------------------------------- tasks


@app.task(name=RUN_INITIATIVE)
def run_initiative(initiative_id: int) -> dict[str, Any]:
    """Check one initiative (and its neighbours) and reconcile the alerts it answers for.

    With `overlap_queue` on, N4's overlaps are left to the overlap worker: sent there
    once the other checks are committed.
    """
    if get_settings().overlap_queue:
        result = check_without_overlaps_now(int(initiative_id))
        if "skipped" not in result:
            app.send_task(RUN_OVERLAP, args=[int(initiative_id)])
    else:
        result = check_initiative_now(int(initiative_id))
    log.info("checked initiative %s: %s", initiative_id, _summary(result))
    return result


@app.task(name=RUN_OVERLAP)
def run_overlap(initiative_id: int) -> dict[str, Any]:
    """N4's overlaps of one initiative, from the one index the overlap worker holds."""
    result = check_overlaps_now(int(initiative_id))
    log.info("overlaps of initiative %s: %s", initiative_id, _summary(result))
    return result


@app.task(name=SWEEP)
def sweep() -> dict[str, Any]:
    """Re-send what the relay missed, then re-run every check over the whole workspace."""
    resent = relay_pending(limit=10_000, older_than_seconds=SWEEP_GRACE_SECONDS)
    result = check_everything_now()
    summary = _summary(result)
    # A sweep that found everything as it was says so only at DEBUG: an idle log stays quiet.
    quiet = not resent and summary == "no change"
    log.log(logging.DEBUG if quiet else logging.INFO, "sweep: resent %d outbox rows; %s", resent, summary)
    return {"resent": resent, **result}


@app.task(name=RELAY)
def relay() -> int:
    """Send the outbox rows that are still unsent."""
    return relay_pending()


def _summary(result: dict[str, Any]) -> str:
    return ", ".join(f"{k} {len(v)}" for k, v in result.items() if isinstance(v, list) and v) or "no change"
