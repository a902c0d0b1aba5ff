"""Alerts as people read them: list, read, group; what each reader's government sees.

An alert is read through the tracks it concerns that belong to the reader's own
government (the visibility layer's rule: an alert is that government's own
assessment). Someone who sees only some of its tracks reads the view the check wrote
for a track they see (which names the other side's organisation and crisis, never
its content); the full message and evidence are for those who see every track.

Each government sets an alert aside for itself: its dismissal and reason stay with
it (`AlertDismissal`), so another government concerned still reads the alert as
open. The system resolves and reopens alerts (`server.services.reconcile`); people
acknowledge and dismiss them (`server.services.alert_commands`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, or_, true
from sqlmodel import Session, col, select

from server import events
from server.models import Alert, AlertDismissal, AlertInitiative, Initiative, User
from server.services import audience, policy
from server.services.errors import NotFound
from server.services.pages import Window
from server.services.policy import GOVERNMENT_WIDE_ROLES

LIVE = ("open", "acknowledged")
PRINCIPLE_ORDER = ("D1", "D2", "D3", "D4", "D5", "N1", "N2", "N3", "N4", "N5")
PARTIAL_FALLBACK = "This alert also concerns a track that is not shared with you."
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


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
    # The reader's own government's reason, when it set the alert aside.
    dismiss_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The reader's government's dismissal: awaiting a second department's confirmation
    # (the alert still counts as open), its expiry, and whether the reader may confirm it.
    awaiting_confirmation: bool = False
    dismissal_expires: date | None = None
    may_confirm: bool = False
    # When a dismissal of the reader's government was undone by new evidence, or ran
    # out: why ("evidence" or "expiry") and what changed ("added", "removed" lines).
    reopened: dict[str, Any] = field(default_factory=dict)


def concerned(db: Session, alert_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
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


def own_dismissals(db: Session, aud: audience.Audience, alerts: Iterable[Alert]) -> dict[int, AlertDismissal]:
    """The reader's government's dismissal row of each of these alerts, in whatever state."""
    by_id = {a.id: a for a in alerts if a.id is not None}
    if not by_id or aud.home_government is None:
        return {}
    rows = db.exec(
        select(AlertDismissal).where(
            col(AlertDismissal.alert_id).in_(by_id), AlertDismissal.government == aud.home_government
        )
    ).all()
    return {r.alert_id: r for r in rows}


def holds(row: AlertDismissal, alert: Alert) -> bool:
    """A dismissal sets the alert aside while confirmed (or not needing it) and its evidence is unchanged."""
    return row.state == "held" and row.evidence_hash == alert.evidence_hash


def holds_clause(aud: audience.Audience) -> ColumnElement[bool]:
    """`holds` as a query: the reader's government's `AlertDismissal` rows that set their
    alert aside (held, on the alert's present evidence). The counts, filters and pages read
    it; `holds` judges rows already read. The two say the same."""
    if aud.home_government is None:
        return false()
    return and_(
        col(AlertDismissal.alert_id) == col(Alert.id),
        col(AlertDismissal.government) == aud.home_government,
        col(AlertDismissal.evidence_hash) == col(Alert.evidence_hash),
        col(AlertDismissal.state) == "held",
    )


def dismissals(db: Session, aud: audience.Audience, alerts: Iterable[Alert]) -> dict[int, AlertDismissal]:
    """The reader's government's dismissals of these alerts that still hold."""
    alerts = list(alerts)
    by_id = {a.id: a for a in alerts if a.id is not None}
    return {k: r for k, r in own_dismissals(db, aud, alerts).items() if holds(r, by_id[k])}


def status_clause(aud: audience.Audience, wanted: Iterable[str] | None) -> ColumnElement[bool]:
    """The filter for `Alert` rows whose status for the reader (`reader_status`) is one of `wanted`."""
    if wanted is None:
        return true()
    wanted = set(wanted)
    if aud.system:
        return col(Alert.status).in_(sorted(wanted))
    own = exists(select(AlertDismissal.id).where(holds_clause(aud)))
    parts: list[ColumnElement[bool]] = []
    if "open" in wanted:
        parts.append(and_(col(Alert.status).in_(("open", "dismissed")), ~own))
    if "acknowledged" in wanted:
        parts.append(and_(col(Alert.status) == "acknowledged", ~own))
    if "dismissed" in wanted:
        parts.append(and_(col(Alert.status) != "resolved", own))
    if "resolved" in wanted:
        parts.append(col(Alert.status) == "resolved")
    return or_(*parts) if parts else false()


def reader_status(alert: Alert, own: AlertDismissal | None, system: bool = False) -> str:
    """The alert's status for a reader whose government's live dismissal is `own`."""
    if system or alert.status == "resolved":
        return alert.status
    if own is not None:
        return "dismissed"
    # Set aside by the other governments concerned, not by the reader's.
    return "open" if alert.status == "dismissed" else alert.status


def _present(
    alert: Alert, tracks: list[tuple[int, str]], visible: set[int], status: str, reason: str | None
) -> AlertView:
    assert alert.id is not None
    seen = sorted((pair for pair in tracks if pair[0] in visible), key=lambda p: p[1])
    partial = any(iid not in visible for iid, _ in tracks)
    message, evidence, remedy = alert.message, tuple(alert.evidence), alert.remedy
    subjects = tuple(alert.subjects)
    if partial:
        view = next((alert.views[key] for _, key in seen if key in alert.views), None)
        if view is not None:
            message = str(view.get("message", ""))
            evidence = tuple(str(e) for e in view.get("evidence", ()))
            remedy = str(view.get("remedy", ""))
        else:
            message, evidence, remedy = PARTIAL_FALLBACK, (), ""
        # A blind reader is told of its own tracks only: the other keys of the finding
        # (another's track, a party only the other side engages) are not its to read.
        own_keys = {key for _, key in seen}
        subjects = tuple(s for s in alert.subjects if s in own_keys)
    return AlertView(
        id=alert.id,
        principle=alert.principle,
        kind=alert.kind,
        severity=alert.severity,
        status=status,
        message=message,
        evidence=evidence,
        remedy=remedy,
        words=alert.words,
        subjects=subjects,
        initiatives=tuple(seen),
        partial=partial,
        version=alert.version,
        created_at=alert.created_at,
        updated_at=alert.updated_at,
        dismiss_reason=reason,
    )


def present(db: Session, actor: User | None, alerts: list[Alert]) -> list[AlertView]:
    """These alerts (which the actor may read) as the actor reads them."""
    aud = audience.of(actor)
    tracks = concerned(db, [a.id for a in alerts if a.id is not None])
    # The tracks through which the reader reads alerts: those of its own government.
    visible = aud.home_ids(db, {iid for pairs in tracks.values() for iid, _ in pairs})
    rows = own_dismissals(db, aud, alerts)
    out = []
    for a in alerts:
        assert a.id is not None
        row = rows.get(a.id)
        mine = row if row is not None and holds(row, a) else None
        status = reader_status(a, mine, aud.system)
        view = _present(a, tracks[a.id], visible, status, mine.reason if mine else None)
        if row is not None and row.evidence_hash == a.evidence_hash and row.state in ("held", "awaiting"):
            view = replace(
                view,
                dismiss_reason=row.reason,
                awaiting_confirmation=row.state == "awaiting",
                dismissal_expires=row.expires_on,
                may_confirm=row.state == "awaiting"
                and policy.may_confirm_dismissal(actor, row.government, row.org_id),
            )
        elif row is not None and row.state in ("reopened", "expired") and a.status != "resolved":
            changes = dict(row.changes or {})
            if view.partial:
                # A blind reader is told that the evidence changed, not the other side's lines.
                changes = {"why": changes.get("why", "evidence")}
            view = replace(view, reopened=changes)
        out.append(view)
    return out


@dataclass(frozen=True)
class Filters:
    """What an alerts list keeps: the reader's status (`live`: open and acknowledged), and
    optionally one track, one department owning a track, one principle, one severity."""

    status: str = "live"
    initiative_id: int | None = None
    department: int | None = None
    principle: str | None = None
    severity: str | None = None

    def statuses(self) -> tuple[str, ...] | None:
        if self.status in ("open", "acknowledged", "dismissed", "resolved"):
            return (self.status,)
        return None if self.status == "all" else LIVE


def mine(actor: User | None) -> int | None:
    """The department whose alerts are the reader's own: its organisation's; the whole home
    government's (None) for coordinators and admins, as for the dashboard's tracks."""
    if actor is None or actor.role in GOVERNMENT_WIDE_ROLES:
        return None
    return actor.organisation_id


def filtered(aud: audience.Audience, f: Filters) -> Any:
    """The ids of the alerts the reader reads that pass `f`, as a query."""
    q = select(Alert.id).where(col(Alert.id).in_(aud.alert_ids()), status_clause(aud, f.statuses()))
    if f.principle:
        q = q.where(Alert.principle == f.principle)
    if f.severity:
        q = q.where(Alert.severity == f.severity)
    # Tracks and departments are matched among the reader's home tracks only: an alert is
    # never found through a track the reader reads it without.
    on = select(AlertInitiative.alert_id).join(
        Initiative, col(Initiative.id) == AlertInitiative.initiative_id
    )
    if f.initiative_id is not None:
        q = q.where(col(Alert.id).in_(on.where(col(Initiative.id) == f.initiative_id, aud.home())))
    if f.department is not None:
        q = q.where(col(Alert.id).in_(on.where(col(Initiative.owner_id) == f.department, aud.home())))
    return q


def count(db: Session, actor: User | None, f: Filters | None = None) -> int:
    """How many alerts the reader reads that pass `f`: the one count of the dashboard, the
    navigation and the inbox."""
    aud = audience.of(actor)
    inner = filtered(aud, f or Filters(department=mine(actor))).subquery()
    return int(db.exec(select(func.count()).select_from(inner)).one())


def page(
    db: Session, actor: User | None, f: Filters, limit: int = 20, offset: int = 0, severe_first: bool = False
) -> list[AlertView]:
    """One page of the alerts that pass `f`, in the paper's order of principles, then by
    kind (so an alert's repeats on other tracks sit together), most severe and newest first;
    `severe_first`: most severe and newest first, whatever the principle."""
    aud = audience.of(actor)
    severity = case(
        *((col(Alert.severity) == k, v) for k, v in SEVERITY_ORDER.items()), else_=len(SEVERITY_ORDER)
    )
    rows = list(
        db.exec(
            select(Alert)
            .where(col(Alert.id).in_(filtered(aud, f)))
            .order_by(
                *(() if severe_first else (col(Alert.principle), col(Alert.kind))),
                severity,
                col(Alert.updated_at).desc(),
                col(Alert.id).desc(),
            )
            .limit(limit)
            .offset(offset)
        ).all()
    )
    return present(db, actor, rows)


def list_visible(
    db: Session,
    actor: User | None,
    statuses: Iterable[str] | None = LIVE,
    initiative_id: int | None = None,
    principle: str | None = None,
    limit: int = 500,
    initiative_ids: Iterable[int] | None = None,
    window: Window | None = None,
) -> list[AlertView]:
    """The alerts the actor may read, newest first; optionally of some tracks or one principle.

    `statuses` are the reader's (a government's own dismissal makes it dismissed for it).
    With a `window`, one page of them by id instead (`server.services.pages`).
    """
    aud = audience.of(actor)
    q = select(Alert).where(col(Alert.id).in_(aud.alert_ids()), status_clause(aud, statuses))
    if principle is not None:
        q = q.where(Alert.principle == principle)
    tracks = list(initiative_ids or ()) + ([initiative_id] if initiative_id is not None else [])
    if initiative_id is not None or initiative_ids is not None:
        q = q.where(
            col(Alert.id).in_(
                select(AlertInitiative.alert_id).where(col(AlertInitiative.initiative_id).in_(tracks))
            )
        )
    if window is not None:
        q = window.apply(q, col(Alert.id))
    else:
        q = q.order_by(col(Alert.updated_at).desc(), col(Alert.id).desc()).limit(limit)
    return present(db, actor, list(db.exec(q).all()))


def load(db: Session, actor: User | None, alert_id: int, lock: bool = False) -> tuple[Alert, AlertView]:
    """The alert row and the actor's view of it; `NotFound` if the actor may not read it."""
    q = select(Alert).where(Alert.id == alert_id, col(Alert.id).in_(audience.of(actor).alert_ids()))
    if lock and db.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    alert = db.exec(q).first()
    if alert is None or alert.id is None:
        raise NotFound("No such alert")
    return alert, present(db, actor, [alert])[0]


def get(db: Session, actor: User | None, alert_id: int) -> AlertView:
    """One alert as the actor may read it; `NotFound` if they may see none of its tracks."""
    return load(db, actor, alert_id)[1]


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


def publish_change(db: Session, alert: Alert, kind: str, initiative_ids: Iterable[int]) -> None:
    """Tell the live streams of each concerned track's own government that the alert changed.

    The payload names the alert and nothing of its content, and only the track's home
    hears of it: alerts are read at home.
    """
    for iid in initiative_ids:
        events.publish(
            db,
            kind,
            "alerts",
            initiative_id=iid,
            home_only=True,
            alert_id=alert.id,
            principle=alert.principle,
            status=alert.status,
        )


# The commands live apart; `alerts.acknowledge` and `alerts.dismiss` still read well.
from server.services.alert_commands import acknowledge, confirm, dismiss  # noqa: E402

__all__ = [
    "LIVE",
    "AlertView",
    "Filters",
    "acknowledge",
    "confirm",
    "count",
    "dismiss",
    "get",
    "list_visible",
    "mine",
    "page",
    "present",
]
