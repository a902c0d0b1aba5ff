"""Findings to alerts: upsert on the fingerprint, resolve, reopen, publish.

An alert is identified by its fingerprint (principle:kind:sorted subjects), which the
table holds unique, so a task run twice or two workers on the same check make one
alert: on PostgreSQL the insert is `ON CONFLICT DO NOTHING` followed by a locked read;
elsewhere a savepoint absorbs the `IntegrityError`.

Within the run's scope (the alerts that concern the focus tracks, or every alert for
the sweep) an open or acknowledged alert that no finding produced is resolved; one
that a finding produces again reopens. A dismissed alert stays dismissed while its
evidence hash (over message and evidence) is unchanged and reopens when it changes;
each government's dismissal of it is then marked reopened with what changed (the
lines of evidence added and removed), which its readers are shown. The sweep also
lapses dismissals whose expiry date has come (`lapse_dismissals`): the alert reopens
if its cause is still there.
Every change publishes an `alerts` event for each track the alert concerns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, insert, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server import generation
from server.domain.snapshot import Finding
from server.models import Alert, AlertDismissal, AlertInitiative
from server.models.base import utcnow
from server.services import alerts as alert_service

LIVE = ("open", "acknowledged")


@dataclass
class Outcome:
    """What one reconcile changed, by fingerprint."""

    raised: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence_hash(f: Finding) -> str:
    """The hash that decides whether a dismissed alert's evidence changed (the time that
    has merely passed is not a change: `Finding.settled`)."""
    body = f.settled or json.dumps({"message": f.message, "evidence": list(f.evidence)}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def _views(f: Finding) -> dict[str, Any]:
    return {
        key: {"message": v.message, "evidence": list(v.evidence), "remedy": v.remedy}
        for key, v in sorted(f.views.items())
    }


def _content(f: Finding) -> dict[str, Any]:
    return {
        "principle": f.principle,
        "kind": f.kind,
        "subjects": list(f.subjects),
        "severity": f.severity,
        "message": f.message,
        "evidence": list(f.evidence),
        "remedy": f.remedy,
        "words": f.words,
        "views": _views(f),
        "evidence_hash": evidence_hash(f),
    }


# A new alert reaches a track's answers only through its alert_initiative rows, written in
# the same transaction and placed on their tracks themselves (`server.generation`).
_ON_NO_TRACK: dict[str, Any] = {generation.SCOPES: ()}


def _lock_existing(db: Session, fingerprint: str) -> Alert | None:
    q = select(Alert).where(Alert.fingerprint == fingerprint).execution_options(populate_existing=True)
    if db.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    return db.exec(q).first()


def _insert(db: Session, fingerprint: str, content: dict[str, Any]) -> bool:
    """Insert the alert unless another run did first; True if this run made it."""
    now = utcnow()
    values = {
        **content,
        "fingerprint": fingerprint,
        "status": "open",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = (
            pg_insert(Alert)
            .values(values)
            .on_conflict_do_nothing(index_elements=["fingerprint"])
            .returning(col(Alert.id))
            .execution_options(**_ON_NO_TRACK)
        )
        return db.execute(stmt).first() is not None
    try:
        with db.begin_nested():
            db.execute(insert(Alert).values(values).execution_options(**_ON_NO_TRACK))
        return True
    except IntegrityError:
        return False


def _set_initiatives(db: Session, alert_id: int, wanted: set[int]) -> None:
    have = set(
        db.exec(select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == alert_id)).all()
    )
    gone = have - wanted
    if gone:
        db.execute(
            delete(AlertInitiative)
            .where(col(AlertInitiative.alert_id) == alert_id, col(AlertInitiative.initiative_id).in_(gone))
            .execution_options(**{generation.SCOPES: sorted(gone)})
        )
    for iid in sorted(wanted - have):
        db.add(AlertInitiative(alert_id=alert_id, initiative_id=iid))


def _concerned(db: Session, alert_id: int) -> list[int]:
    return sorted(
        db.exec(select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == alert_id)).all()
    )


def _finding_ids(f: Finding, ids: dict[str, int]) -> set[int]:
    keys = set(f.initiatives) or {s for s in f.subjects if s in ids}
    return {ids[k] for k in keys if k in ids}


def upsert(db: Session, f: Finding, ids: dict[str, int], out: Outcome) -> Alert:
    """Make the finding's alert exist and say what the finding says."""
    fp = f.fingerprint
    content = _content(f)
    wanted = _finding_ids(f, ids)
    created = _insert(db, fp, content)
    alert = _lock_existing(db, fp)
    assert alert is not None and alert.id is not None
    if created:
        _set_initiatives(db, alert.id, wanted)
        db.flush()
        out.raised.append(fp)
        alert_service.publish_change(db, alert, "alert.raised", sorted(wanted))
        return alert

    before = _concerned(db, alert.id)
    changed = any(getattr(alert, k) != v for k, v in content.items())
    if alert.evidence_hash != content["evidence_hash"]:
        _undo_dismissals(db, alert, content)
    kind: str | None = None
    if alert.status == "resolved":
        kind = "alert.reopened"
    elif alert.status == "dismissed" and alert.evidence_hash != content["evidence_hash"]:
        kind = "alert.reopened"
    elif changed or set(before) != wanted:
        kind = "alert.updated"
    if kind is None:
        out.unchanged += 1
        return alert
    for k, v in content.items():
        setattr(alert, k, v)
    if kind == "alert.reopened":
        alert.status = "open"
        alert.resolved_at = None
        alert.acknowledged_by_id = None
        out.reopened.append(fp)
    else:
        out.updated.append(fp)
    alert.updated_at = utcnow()
    db.add(alert)
    _set_initiatives(db, alert.id, wanted)
    db.flush()
    # Those who saw the alert on a track it no longer concerns must see it go too.
    alert_service.publish_change(db, alert, kind, sorted(set(before) | wanted))
    return alert


def what_changed(
    before_message: str, before: list[str], after_message: str, after: list[str]
) -> dict[str, Any]:
    """The lines of evidence added and removed (and the message, when it changed)."""
    out: dict[str, Any] = {
        "added": [e for e in after if e not in before],
        "removed": [e for e in before if e not in after],
    }
    if before_message != after_message:
        out["message_before"] = before_message
    return out


def _undo_dismissals(db: Session, alert: Alert, content: dict[str, Any]) -> None:
    """New evidence undoes every dismissal of the alert, each told what changed."""
    rows = db.exec(
        select(AlertDismissal).where(
            AlertDismissal.alert_id == alert.id, col(AlertDismissal.state).in_(("held", "awaiting"))
        )
    ).all()
    for row in rows:
        row.state = "reopened"
        row.ended_at = utcnow()
        row.changes = {
            "why": "evidence",
            **what_changed(row.message, list(row.evidence), content["message"], content["evidence"]),
        }
        db.add(row)


def lapse_dismissals(db: Session, today: dt.date, current: set[str], out: Outcome | None = None) -> list[int]:
    """End every dismissal whose expiry date has come; reopen its alert if the cause is still there.

    `current` holds the fingerprints the whole workspace's checks find now (the
    sweep's). When the cause has gone, nothing reopens and the dismissal is left as it
    is (it lapses on a later sweep if the cause comes back). Returns the ids of the
    alerts reopened.
    """
    rows = list(
        db.exec(
            select(AlertDismissal).where(
                col(AlertDismissal.state).in_(("held", "awaiting")),
                col(AlertDismissal.expires_on).is_not(None),
                col(AlertDismissal.expires_on) <= today,
            )
        ).all()
    )
    reopened: list[int] = []
    for row in rows:
        alert = db.get(Alert, row.alert_id)
        assert alert is not None and alert.id is not None
        if alert.status == "resolved" or alert.fingerprint not in current:
            # The cause is gone: nothing reopens, and the dismissal stays as it was.
            continue
        row.state = "expired"
        row.ended_at = utcnow()
        assert row.expires_on is not None
        row.changes = {"why": "expiry", "expired_on": row.expires_on.isoformat()}
        db.add(row)
        db.flush()
        if alert.status == "dismissed":
            alert.status = "open"
            alert.acknowledged_by_id = None
        alert.updated_at = utcnow()
        db.add(alert)
        db.flush()
        reopened.append(alert.id)
        if out is not None:
            out.reopened.append(alert.fingerprint)
        alert_service.publish_change(db, alert, "alert.reopened", _concerned(db, alert.id))
    return reopened


def in_scope(db: Session, focus_ids: set[int] | None, focus_keys: set[str] | None) -> list[Alert]:
    """The live alerts a run with this focus answers for (all of them with no focus)."""
    q = select(Alert).where(col(Alert.status).in_(LIVE))
    if focus_ids is None:
        return list(db.exec(q).all())
    concerning = select(AlertInitiative.alert_id).where(col(AlertInitiative.initiative_id).in_(focus_ids))
    alerts = list(db.exec(q.where(or_(col(Alert.id).in_(concerning)))).all())
    # An alert that names a focus track among its subjects is in scope too.
    if focus_keys:
        seen = {a.id for a in alerts}
        for a in db.exec(q.where(col(Alert.id).not_in(concerning))).all():
            if a.id not in seen and focus_keys & set(a.subjects):
                alerts.append(a)
    return alerts


def finding_in_scope(f: Finding, focus_keys: set[str] | None) -> bool:
    return focus_keys is None or bool(focus_keys & (set(f.initiatives) | set(f.subjects)))


def reconcile(
    db: Session,
    findings: list[Finding],
    ids: dict[str, int],
    focus_ids: set[int] | None,
    focus_keys: set[str] | None,
    answers_for: Callable[[str], bool] | None = None,
) -> Outcome:
    """Bring the alerts in scope in line with `findings`; the caller commits.

    `answers_for` (a test on fingerprints) narrows the run to the alerts it answers
    for: a run without N4's overlaps leaves their alerts to the run that has them.
    """
    out = Outcome()
    kept: set[str] = set()
    # A focused run sees only the neighbourhood; what it finds away from the focus is
    # left to the run that focuses there, or to the sweep.
    for f in sorted(findings, key=lambda f: f.fingerprint):
        if finding_in_scope(f, focus_keys) and (answers_for is None or answers_for(f.fingerprint)):
            upsert(db, f, ids, out)
            kept.add(f.fingerprint)
    for alert in in_scope(db, focus_ids, focus_keys):
        if alert.fingerprint in kept or (answers_for is not None and not answers_for(alert.fingerprint)):
            continue
        assert alert.id is not None
        alert.status = "resolved"
        alert.resolved_at = utcnow()
        alert.updated_at = alert.resolved_at
        db.add(alert)
        db.flush()
        out.resolved.append(alert.fingerprint)
        alert_service.publish_change(db, alert, "alert.resolved", _concerned(db, alert.id))
    return out
