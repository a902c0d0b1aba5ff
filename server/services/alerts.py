"""Alerts as people meet them: list, read, acknowledge, dismiss with a reason.

An alert is visible to whoever may see at least one of the tracks it concerns. Someone
who may see only some of them reads the view the check wrote for a track they see
(which names the other side's organisation and crisis, never its content); the full
message and evidence are for those who see every track. The system resolves and
reopens alerts (`server.services.reconcile`); people acknowledge and dismiss them, and a
dismissal goes into the decision log with its reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import true
from sqlmodel import Session, col, select

from server import events
from server.models import Alert, AlertInitiative, Initiative, LogEntry, User
from server.models.base import utcnow
from server.services import access, ledger
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound

LIVE = ("open", "acknowledged")
PRINCIPLE_ORDER = ("D1", "D2", "D3", "D4", "D5", "N1", "N2", "N3", "N4", "N5")
PARTIAL_FALLBACK = "This alert also concerns a track that is not shared with you."


@dataclass(frozen=True)
class AlertView:
    """An alert as one person may read it."""

    id: int
    principle: str
    kind: str
    severity: str
    status: str
    message: str
    evidence: tuple[str, ...]
    remedy: str
    words: str
    subjects: tuple[str, ...]
    # The tracks of the alert this person may see: (id, key), sorted by key.
    initiatives: tuple[tuple[int, str], ...]
    # True when the person sees only some of the alert's tracks, and so its view.
    partial: bool
    version: int
    created_at: datetime
    updated_at: datetime
    dismiss_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _concerned(db: Session, alert_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Every track each alert concerns, as (id, key)."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not alert_ids:
        return out
    rows = db.exec(
        select(AlertInitiative.alert_id, Initiative.id, Initiative.key)
        .join(Initiative, col(Initiative.id) == AlertInitiative.initiative_id)
        .where(col(AlertInitiative.alert_id).in_(alert_ids))
    ).all()
    for alert_id, iid, key in rows:
        if iid is not None:
            out[alert_id].append((iid, key))
    return out


def _visible_ids(db: Session, actor: User | None, initiative_ids: Iterable[int]) -> set[int]:
    ids = set(initiative_ids)
    if not ids:
        return set()
    rows = db.exec(select(Initiative.id).where(col(Initiative.id).in_(ids), _own_clause(actor))).all()
    return {i for i in rows if i is not None}


def _present(alert: Alert, concerned: list[tuple[int, str]], visible: set[int]) -> AlertView:
    assert alert.id is not None
    seen = sorted((pair for pair in concerned if pair[0] in visible), key=lambda p: p[1])
    hidden_keys = {key for iid, key in concerned if iid not in visible}
    partial = bool(hidden_keys)
    message, evidence, remedy = alert.message, tuple(alert.evidence), alert.remedy
    if partial:
        view = next((alert.views[key] for _, key in seen if key in alert.views), None)
        if view is not None:
            message = str(view.get("message", ""))
            evidence = tuple(str(e) for e in view.get("evidence", ()))
            remedy = str(view.get("remedy", ""))
        else:
            message, evidence, remedy = PARTIAL_FALLBACK, (), ""
    return AlertView(
        id=alert.id,
        principle=alert.principle,
        kind=alert.kind,
        severity=alert.severity,
        status=alert.status,
        message=message,
        evidence=evidence,
        remedy=remedy,
        words=alert.words,
        # The key of a track the person may not see is itself not theirs to read.
        subjects=tuple(s for s in alert.subjects if s not in hidden_keys),
        initiatives=tuple(seen),
        partial=partial,
        version=alert.version,
        created_at=alert.created_at,
        updated_at=alert.updated_at,
        dismiss_reason=alert.dismiss_reason,
    )


def _own_clause(actor: User | None) -> Any:
    """Tracks whose alerts the actor reads: those of their own government.

    An alert is the owning government's own assessment, and its text may quote items
    that stay home (an internal metric, a resource line). So a partner reads the alerts
    of its own tracks (and, through a finding's views, blind notices about others),
    never those of a track that was only shared with it.
    """
    if actor is None:
        return true()
    return access.home_clause(actor)


def _visible_alert_ids(actor: User | None) -> Any:
    """Alert ids with at least one of the actor's own government's tracks, as a subquery."""
    return (
        select(AlertInitiative.alert_id)
        .join(Initiative, col(Initiative.id) == AlertInitiative.initiative_id)
        .where(_own_clause(actor))
    )


def list_visible(
    db: Session,
    actor: User | None,
    statuses: Iterable[str] | None = LIVE,
    initiative_id: int | None = None,
    principle: str | None = None,
    limit: int = 500,
    initiative_ids: Iterable[int] | None = None,
) -> list[AlertView]:
    """The alerts the actor may see, newest first; optionally of one track or principle."""
    q = select(Alert).where(col(Alert.id).in_(_visible_alert_ids(actor)))
    if statuses is not None:
        q = q.where(col(Alert.status).in_(list(statuses)))
    if principle is not None:
        q = q.where(Alert.principle == principle)
    tracks = list(initiative_ids or ()) + ([initiative_id] if initiative_id is not None else [])
    if initiative_id is not None or initiative_ids is not None:
        q = q.where(
            col(Alert.id).in_(
                select(AlertInitiative.alert_id).where(col(AlertInitiative.initiative_id).in_(tracks))
            )
        )
    alerts = list(db.exec(q.order_by(col(Alert.updated_at).desc(), col(Alert.id).desc()).limit(limit)).all())
    concerned = _concerned(db, [a.id for a in alerts if a.id is not None])
    visible = _visible_ids(db, actor, {iid for pairs in concerned.values() for iid, _ in pairs})
    return [_present(a, concerned[a.id], visible) for a in alerts if a.id is not None]


def _load(db: Session, actor: User | None, alert_id: int, lock: bool = False) -> tuple[Alert, AlertView]:
    q = select(Alert).where(Alert.id == alert_id, col(Alert.id).in_(_visible_alert_ids(actor)))
    if lock and db.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    alert = db.exec(q).first()
    if alert is None or alert.id is None:
        raise NotFound("No such alert")
    concerned = _concerned(db, [alert.id])[alert.id]
    view = _present(alert, concerned, _visible_ids(db, actor, (iid for iid, _ in concerned)))
    return alert, view


def get(db: Session, actor: User | None, alert_id: int) -> AlertView:
    """One alert as the actor may read it; `NotFound` if they may see none of its tracks."""
    return _load(db, actor, alert_id)[1]


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def by_severity(views: Iterable[AlertView]) -> list[AlertView]:
    """Most severe first; the order given (newest first) within one severity."""
    return sorted(views, key=lambda v: SEVERITY_ORDER.get(v.severity, 3))


def grouped_by_principle(views: Iterable[AlertView]) -> dict[str, list[AlertView]]:
    """Alerts grouped for the inbox, in the paper's order of principles."""
    groups: dict[str, list[AlertView]] = defaultdict(list)
    for v in by_severity(views):
        groups[v.principle].append(v)
    rank = {p: n for n, p in enumerate(PRINCIPLE_ORDER)}
    return {p: groups[p] for p in sorted(groups, key=lambda p: (rank.get(p, len(rank)), p))}


def _check_version(alert: Alert, version: int | None) -> None:
    if version is not None and alert.version != version:
        raise Conflict("Someone else changed this alert after you opened it", version=alert.version)


def publish_change(db: Session, alert: Alert, kind: str, initiative_ids: Iterable[int]) -> None:
    """Tell the live streams of each concerned track that the alert changed.

    The payload names the alert and nothing of its content: the audience is per track,
    and a viewer of one track may not see what the alert says of the other.
    """
    for iid in initiative_ids:
        events.publish(
            db,
            kind,
            "alerts",
            initiative_id=iid,
            alert_id=alert.id,
            principle=alert.principle,
            status=alert.status,
        )


def _publish(db: Session, alert: Alert, kind: str) -> None:
    assert alert.id is not None
    publish_change(db, alert, kind, [iid for iid, _ in _concerned(db, [alert.id])[alert.id]])


def acknowledge(db: Session, actor: User, alert_id: int, version: int | None = None) -> AlertView:
    """Say that someone has seen the alert and is on it; it stays until its cause goes."""
    alert, _ = _load(db, actor, alert_id, lock=True)
    _check_version(alert, version)
    if alert.status == "acknowledged":
        return get(db, actor, alert_id)
    if alert.status != "open":
        raise Conflict(f"This alert is {alert.status}; only an open alert can be acknowledged")
    alert.status = "acknowledged"
    alert.acknowledged_by_id = actor.id
    alert.updated_at = utcnow()
    db.add(alert)
    db.flush()
    _publish(db, alert, "alert.acknowledged")
    return get(db, actor, alert_id)


def _editable_track(db: Session, actor: User, view: AlertView) -> Initiative | None:
    for iid, _ in view.initiatives:
        initiative = db.get(Initiative, iid)
        if initiative is not None and access.can_edit(db, actor, initiative):
            return initiative
    return None


def dismiss(db: Session, actor: User, alert_id: int, reason: str, version: int | None = None) -> AlertView:
    """Set the alert aside with a reason, which the decision log keeps.

    It stays dismissed while its evidence is unchanged; new evidence reopens it.
    Only someone who may change one of its tracks may dismiss it.
    """
    alert, view = _load(db, actor, alert_id, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "say why this alert can be set aside")
    _check_version(alert, version)
    if alert.status not in LIVE:
        raise Conflict(f"This alert is {alert.status}; only an open or acknowledged alert can be dismissed")
    track = _editable_track(db, actor, view)
    if track is None:
        raise NotAllowed("Only those who may change one of the alert's tracks may dismiss it")
    alert.status = "dismissed"
    alert.dismissed_by_id = actor.id
    alert.dismiss_reason = reason
    alert.updated_at = utcnow()
    db.add(alert)
    db.flush()
    ledger.append(
        db,
        LogEntry(
            entry_type="dismissal",
            initiative_id=track.id,
            date=date.today(),
            kind=None,
            text=reason,
            org_id=actor.organisation_id,
            actor_id=actor.id,
            actor_name=actor.name,
            payload={
                "alert_id": alert.id,
                "principle": alert.principle,
                "kind": alert.kind,
                "evidence_hash": alert.evidence_hash,
            },
            prev_hash="",
            entry_hash="",
        ),
    )
    _publish(db, alert, "alert.dismissed")
    return get(db, actor, alert_id)
