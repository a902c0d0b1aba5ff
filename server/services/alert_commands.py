"""What people do with an alert: acknowledge it, or set it aside with a reason.

Acknowledging says that someone is on it; it stays until its cause goes. A dismissal
is one government's: it needs a reason, which that government's decision log keeps
and only it reads; another government concerned by the same alert still reads it as
open until it sets it aside itself. When every government concerned has, the alert
itself is dismissed. A dismissal is governed:

- it may carry an expiry date: on that date the sweep reopens the alert if its cause
  is still there (`reconcile.lapse_dismissals`);
- a high-severity alert is set aside only when a second department of the same
  government confirms it; until then the dismissal is awaiting confirmation and the
  alert still counts as open;
- it holds while the evidence is unchanged; new evidence reopens the alert, and the
  reader is shown what changed (`server.services.reconcile`).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from server.models import Alert, AlertDismissal, AlertInitiative, Initiative, LogEntry, Organisation, User
from server.models.base import utcnow
from server.services import alerts, audience, ledger, policy, workspace_meta
from server.services.alerts import LIVE, AlertView
from server.services.errors import Conflict, Invalid, NotAllowed
from server.services.validation import check_text, problem


def _check_version(alert: Alert, version: int | None) -> None:
    if version is not None and alert.version != version:
        raise Conflict("Someone else changed this alert after you opened it", version=alert.version)


def _home_tracks(db: Session, actor: User, view: AlertView) -> list[Initiative]:
    ids = [iid for iid, _ in view.initiatives]
    if not ids:
        return []
    return list(
        db.exec(select(Initiative).where(col(Initiative.id).in_(ids)).order_by(col(Initiative.id))).all()
    )


def acknowledge(db: Session, actor: User, alert_id: int, version: int | None = None) -> AlertView:
    """Say that someone has seen the alert and is on it; it stays until its cause goes."""
    alert, view = alerts.load(db, actor, alert_id, lock=True)
    _check_version(alert, version)
    if view.status == "acknowledged":
        return view
    if view.status != "open" or alert.status != "open":
        raise Conflict(f"This alert is {view.status}; only an open alert can be acknowledged")
    alert.status = "acknowledged"
    alert.acknowledged_by_id = actor.id
    alert.updated_at = utcnow()
    db.add(alert)
    db.flush()
    alerts.publish_change(
        db, alert, "alert.acknowledged", [t.id for t in _home_tracks(db, actor, view) if t.id]
    )
    return alerts.get(db, actor, alert_id)


def _governments(db: Session, alert_id: int) -> set[str]:
    """The governments whose tracks the alert concerns."""
    rows = db.exec(
        select(Organisation)
        .join(Initiative, col(Initiative.owner_id) == Organisation.id)
        .where(
            col(Initiative.id).in_(
                select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == alert_id)
            )
        )
    ).all()
    return {o.government_key for o in rows}


def _all_held(db: Session, alert: Alert) -> bool:
    """Whether every government the alert concerns holds a confirmed dismissal of its evidence."""
    held = {
        d.government
        for d in db.exec(select(AlertDismissal).where(AlertDismissal.alert_id == alert.id)).all()
        if d.evidence_hash == alert.evidence_hash and d.state == "held"
    }
    assert alert.id is not None
    return _governments(db, alert.id) <= held


def _log(db: Session, actor: User, track: Initiative, alert: Alert, text: str, **extra: object) -> None:
    ledger.append(
        db,
        LogEntry(
            entry_type="dismissal",
            initiative_id=track.id,
            date=date.today(),
            kind=None,
            text=text,
            org_id=actor.organisation_id,
            actor_id=actor.id,
            actor_name=actor.name,
            payload={
                "alert_id": alert.id,
                "principle": alert.principle,
                "kind": alert.kind,
                "evidence_hash": alert.evidence_hash,
                **extra,
            },
            prev_hash="",
            entry_hash="",
        ),
    )


def dismiss(
    db: Session,
    actor: User,
    alert_id: int,
    reason: str,
    version: int | None = None,
    expires_on: date | None = None,
) -> AlertView:
    """Set the alert aside for the actor's government, with a reason its decision log keeps.

    Only someone who may change one of the alert's tracks may dismiss it. With
    `expires_on`, the alert reopens on that date if its cause is still there. A
    high-severity alert waits for a second department to confirm (`confirm`).
    """
    alert, view = alerts.load(db, actor, alert_id, lock=True)
    reason = check_text("reason", reason, "reason")
    if not reason:
        raise Invalid.field("reason", "say why this alert can be set aside")
    if expires_on is not None and problem(expires_on):
        raise Invalid.field("expires_on", str(problem(expires_on)))
    if expires_on is not None and expires_on <= workspace_meta.today(db):
        raise Invalid.field("expires_on", "choose a date after today, or none")
    _check_version(alert, version)
    if view.status not in LIVE:
        raise Conflict(f"This alert is {view.status}; only an open or acknowledged alert can be dismissed")
    aud = audience.of(actor)
    mine = _home_tracks(db, actor, view)
    track = next((t for t in mine if policy.may_edit(db, actor, t, aud)), None)
    if track is None or aud.home_government is None:
        raise NotAllowed("Only those who may change one of the alert's tracks may dismiss it")
    row = db.exec(
        select(AlertDismissal).where(
            AlertDismissal.alert_id == alert_id, AlertDismissal.government == aud.home_government
        )
    ).first() or AlertDismissal(
        alert_id=alert_id, government=aud.home_government, reason="", evidence_hash=""
    )
    row.reason = reason
    row.evidence_hash = alert.evidence_hash
    row.dismissed_by_id = actor.id
    row.created_at = utcnow()
    row.state = "awaiting" if alert.severity == "high" else "held"
    row.expires_on = expires_on
    row.org_id = actor.organisation_id
    row.confirmed_by_id = row.confirmed_org_id = None
    row.confirmed_at = row.ended_at = None
    row.principle, row.severity = alert.principle, alert.severity
    row.message, row.evidence, row.changes = alert.message, list(alert.evidence), {}
    db.add(row)
    db.flush()
    if _all_held(db, alert):
        alert.status = "dismissed"
        alert.dismissed_by_id = actor.id
        alert.updated_at = utcnow()
        db.add(alert)
        db.flush()
    _log(
        db,
        actor,
        track,
        alert,
        reason,
        expires_on=expires_on.isoformat() if expires_on else None,
        awaiting_confirmation=row.state == "awaiting",
    )
    # Only the dismissing government's tracks hear of it: for the others nothing changed.
    alerts.publish_change(db, alert, "alert.dismissed", [t.id for t in mine if t.id is not None])
    return alerts.get(db, actor, alert_id)


def may_confirm(actor: User | None, row: AlertDismissal | None) -> bool:
    """Whether the actor may confirm this dismissal (`policy.may_confirm_dismissal`), now."""
    if row is None or row.state != "awaiting":
        return False
    return policy.may_confirm_dismissal(actor, row.government, row.org_id)


def confirm(db: Session, actor: User, alert_id: int, version: int | None = None) -> AlertView:
    """Confirm the actor's government's dismissal of a high-severity alert, as a second department."""
    alert, view = alerts.load(db, actor, alert_id, lock=True)
    _check_version(alert, version)
    aud = audience.of(actor)
    row = db.exec(
        select(AlertDismissal).where(
            AlertDismissal.alert_id == alert_id, AlertDismissal.government == (aud.home_government or "")
        )
    ).first()
    if row is None or row.state != "awaiting" or row.evidence_hash != alert.evidence_hash:
        raise Conflict("No dismissal of this alert awaits confirmation")
    if not may_confirm(actor, row):
        raise NotAllowed(
            "A second department of the same government, other than the one that dismissed it, confirms"
        )
    mine = _home_tracks(db, actor, view)
    if not mine:
        raise NotAllowed("Only the alert's own government confirms its dismissal")
    row.state = "held"
    row.confirmed_by_id = actor.id
    row.confirmed_org_id = actor.organisation_id
    row.confirmed_at = utcnow()
    db.add(row)
    db.flush()
    if _all_held(db, alert):
        alert.status = "dismissed"
        alert.dismissed_by_id = row.dismissed_by_id
        alert.updated_at = utcnow()
        db.add(alert)
        db.flush()
    _log(db, actor, mine[0], alert, f"confirmed: {row.reason}", confirms=True)
    alerts.publish_change(db, alert, "alert.dismissed", [t.id for t in mine if t.id is not None])
    return alerts.get(db, actor, alert_id)
