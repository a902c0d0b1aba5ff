"""Field reports: what humanitarian organisations and local actors see on the ground.

A report lies on a crisis, or on one track. A report on a track is as visible as the
track; a report on a crisis alone is read by everyone but field contributors. A
filer's organisation always reads its own reports. So a field contributor reads its
own reports and those on tracks shared with it, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from server import events
from server.models import Crisis, FieldReport, Initiative, Organisation, User
from server.services import audience, policy, workspace_meta
from server.services.errors import Invalid, NotFound
from server.services.initiative_common import new_key
from server.services.pages import Window
from server.services.validation import CAPS, Bounded, Day, OptionalId, parse, text

FILER_ROLES = ("admin", "coordinator", "desk_officer", "field_contributor")


class FieldReportData(Bounded):
    crisis_id: OptionalId = None
    initiative_id: OptionalId = None
    date: Day
    source_kind: Literal["ngo", "un", "local_actor", "embassy"]
    text: str = text("report", 3)
    red_line_breached: str | None = Field(default=None, max_length=CAPS["item"])

    @field_validator("red_line_breached", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return None if v == "" else v


def visible_clause(actor: User | None) -> ColumnElement[bool]:
    """The visibility filter for `FieldReport` rows (the visibility layer's)."""
    return audience.of(actor).reports()


def listing(
    db: Session,
    actor: User | None,
    crisis_id: int | None = None,
    initiative_id: int | None = None,
    mine: bool = False,
    limit: int = 500,
    window: Window | None = None,
) -> list[FieldReport]:
    """The reports the actor may read, newest first (by date; with a `window`, one page by id)."""
    q = select(FieldReport).where(visible_clause(actor))
    if crisis_id:
        q = q.where(FieldReport.crisis_id == crisis_id)
    if initiative_id:
        q = q.where(FieldReport.initiative_id == initiative_id)
    if mine and actor is not None:
        q = q.where(FieldReport.org_id == actor.organisation_id)
    if window is not None:
        return list(db.exec(window.apply(q, col(FieldReport.id))).all())
    return list(
        db.exec(q.order_by(col(FieldReport.date).desc(), col(FieldReport.id).desc()).limit(limit)).all()
    )


def get(db: Session, actor: User | None, report_id: int) -> FieldReport:
    row = db.exec(select(FieldReport).where(FieldReport.id == report_id, visible_clause(actor))).first()
    if row is None:
        raise NotFound("No such field report")
    return row


def get_by_key(db: Session, actor: User | None, key: str) -> FieldReport:
    row = db.exec(select(FieldReport).where(FieldReport.key == key, visible_clause(actor))).first()
    if row is None:
        raise NotFound("No such field report")
    return row


def file(db: Session, actor: User, data: FieldReportData | dict[str, Any]) -> FieldReport:
    """File a report on a crisis, or on a track the actor may see."""
    data = parse(FieldReportData, data)
    latest = max(workspace_meta.today(db), date.today())
    if data.date > latest:
        raise Invalid.field("date", f"A report cannot be dated after today ({latest:%d %B %Y})")
    crisis_id = data.crisis_id
    if data.initiative_id is not None:
        # Visibility first: a track the actor may not see is NotFound, whatever the role.
        initiative = audience.of(actor).track(db, data.initiative_id)
        if crisis_id is not None and crisis_id != initiative.crisis_id:
            raise Invalid.field("crisis_id", "a report on a track lies on that track's crisis")
        crisis_id = initiative.crisis_id
    policy.require_role(actor, *FILER_ROLES)
    if crisis_id is None:
        raise Invalid.field("crisis_id", "choose a crisis or a track")
    if db.get(Crisis, crisis_id) is None:
        raise Invalid.field("crisis_id", "unknown crisis")
    row = FieldReport(
        key=new_key("fr", data.text[:30]),
        initiative_id=data.initiative_id,
        crisis_id=crisis_id,
        org_id=actor.organisation_id,
        date=data.date,
        source_kind=data.source_kind,
        text=data.text,
        red_line_breached=data.red_line_breached,
        filed_by_id=actor.id,
    )
    db.add(row)
    db.flush()
    if row.initiative_id is not None:
        events.publish(db, "report.filed", "reports", initiative_id=row.initiative_id, report_id=row.id)
        events.check_initiative(db, row.initiative_id)
    else:
        events.publish(db, "report.filed", "reports", org_id=actor.organisation_id, report_id=row.id)
        # A crisis-wide report grounds every track on the crisis (D1): re-check them.
        for iid in db.exec(select(Initiative.id).where(Initiative.crisis_id == crisis_id)).all():
            events.check_initiative(db, iid)
    return row


@dataclass
class ReportRow:
    """One report as the reports page lists it."""

    report: FieldReport
    crisis: str
    organisation: str
    # The track the report lies on, only while the reader may see that track: a report
    # the reader's organisation filed on a track no longer shared keeps the track unnamed.
    track: Initiative | None


@dataclass
class ReportsPage:
    rows: list[ReportRow]
    crises: list[Crisis]  # reference data: every crisis may be reported on
    can_file: bool
    today: date


def page(db: Session, actor: User) -> ReportsPage:
    """The reports the actor may read, newest first, and what the filing form offers."""
    reports = listing(db, actor)
    crises = list(db.exec(select(Crisis).order_by(Crisis.name)).all())
    crisis_names = {c.id: c.name for c in crises}
    org_ids = {r.org_id for r in reports if r.org_id is not None}
    orgs = {
        o.id: o.name for o in db.exec(select(Organisation).where(col(Organisation.id).in_(org_ids))).all()
    }
    track_ids = {r.initiative_id for r in reports if r.initiative_id is not None}
    tracks = {
        t.id: t
        for t in db.exec(
            select(Initiative).where(col(Initiative.id).in_(track_ids), audience.of(actor).tracks())
        ).all()
    }
    rows = [
        ReportRow(
            report=r,
            crisis=crisis_names.get(r.crisis_id, ""),
            organisation=orgs.get(r.org_id, "") if r.org_id is not None else "",
            track=tracks.get(r.initiative_id) if r.initiative_id is not None else None,
        )
        for r in reports
    ]
    return ReportsPage(rows=rows, crises=crises, can_file=actor.role in FILER_ROLES, today=date.today())
