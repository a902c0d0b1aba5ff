"""Dismissals per principle and department, for the coordinators of a government.

Who set which alerts aside, why, until when, and who confirmed: accountability for
what a government chose not to act on. A coordinator (or an admin) reads their own
government's dismissals only; nobody reads another government's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from server.models import Alert, AlertDismissal, Organisation, User
from server.services import audience, policy
from server.services.alerts import PRINCIPLE_ORDER
from server.services.errors import NotAllowed

STATES = ("held", "awaiting", "expired", "reopened")


@dataclass(frozen=True)
class DismissalRow:
    alert_id: int
    principle: str
    kind: str
    severity: str
    state: str
    department: str
    dismissed_by: str
    reason: str
    dismissed_at: dt.datetime
    expires_on: dt.date | None
    confirmed_by: str | None
    alert_status: str


@dataclass
class Report:
    government: str
    rows: list[DismissalRow]
    # (principle, department) -> count of dismissals in force (held or awaiting).
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    principles: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)


def may_read(actor: User | None) -> bool:
    return actor is None or (
        actor.role in policy.GOVERNMENT_WIDE_ROLES and audience.of(actor).home_government is not None
    )


def report(db: Session, actor: User) -> Report:
    """The actor's government's dismissals, newest first, and their counts by principle and department."""
    if not may_read(actor):
        raise NotAllowed("Only coordinators and admins read their government's dismissals")
    government = audience.of(actor).home_government
    assert government is not None
    found = db.exec(
        select(AlertDismissal, Alert)
        .join(Alert, col(Alert.id) == AlertDismissal.alert_id)
        .where(AlertDismissal.government == government)
        .order_by(col(AlertDismissal.created_at).desc(), col(AlertDismissal.id).desc())
    ).all()
    orgs = {o.id: o.name for o in db.exec(select(Organisation)).all()}
    people_ids = {d.dismissed_by_id for d, _ in found} | {d.confirmed_by_id for d, _ in found}
    people = {
        u.id: u.name
        for u in db.exec(select(User).where(col(User.id).in_([i for i in people_ids if i]))).all()
    }
    rows = []
    counts: Counter[tuple[str, str]] = Counter()
    for d, a in found:
        assert a.id is not None
        state = (
            d.state
            if d.evidence_hash == a.evidence_hash or d.state not in ("held", "awaiting")
            else "reopened"
        )
        dept = orgs.get(d.org_id, "unknown department") if d.org_id else "unknown department"
        rows.append(
            DismissalRow(
                alert_id=a.id,
                principle=a.principle,
                kind=a.kind,
                severity=a.severity,
                state=state,
                department=dept,
                dismissed_by=people.get(d.dismissed_by_id, "") if d.dismissed_by_id else "",
                reason=d.reason,
                dismissed_at=d.created_at,
                expires_on=d.expires_on,
                confirmed_by=people.get(d.confirmed_by_id) if d.confirmed_by_id else None,
                alert_status=a.status,
            )
        )
        if state in ("held", "awaiting"):
            counts[(a.principle, dept)] += 1
    rank = {p: n for n, p in enumerate(PRINCIPLE_ORDER)}
    return Report(
        government=government,
        rows=rows,
        counts=dict(counts),
        principles=sorted({p for p, _ in counts}, key=lambda p: (rank.get(p, 99), p)),
        departments=sorted({d for _, d in counts}),
    )
