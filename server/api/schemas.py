"""What the JSON API answers, built only from what a service let the caller see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from server.models import (
    Comment,
    CoordinationLink,
    FieldReport,
    Initiative,
    LogEntry,
    MetricActual,
    SharingGrant,
)
from server.services.initiatives import InitiativeView


class InitiativeSummary(BaseModel):
    id: int
    key: str
    title: str
    owner_id: int
    kind: str
    crisis_id: int
    status: str
    start: date | None
    end: date | None
    version: int
    updated_at: datetime


class InitiativeDetail(InitiativeSummary):
    description: str
    aims: list[str]
    objectives: list[str]
    impact_assessment: bool
    compliance_monitoring: bool
    owner: dict[str, Any]
    crisis: dict[str, Any]
    parties: list[dict[str, Any]]
    home: bool
    can_edit: bool
    can_comment: bool
    lines: dict[str, list[dict[str, Any]]]
    coordinated: list[InitiativeSummary]
    depends_on: list[InitiativeSummary]
    grants: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    field_reports: list[dict[str, Any]]


def summary(i: Initiative) -> InitiativeSummary:
    return InitiativeSummary.model_validate(i, from_attributes=True)


def detail(v: InitiativeView) -> InitiativeDetail:
    i = v.initiative
    return InitiativeDetail(
        **{**summary(i).model_dump(), "updated_at": v.changed_at or i.updated_at},
        description=i.description,
        aims=list(i.aims),
        objectives=list(i.objectives),
        impact_assessment=i.impact_assessment,
        compliance_monitoring=i.compliance_monitoring,
        owner={"id": v.owner.id, "key": v.owner.key, "name": v.owner.name},
        crisis={"id": v.crisis.id, "key": v.crisis.key, "name": v.crisis.name},
        parties=[{"id": p.id, "key": p.key, "name": p.name, "kind": p.kind} for p in v.parties],
        home=v.home,
        can_edit=v.can_edit,
        can_comment=v.can_comment,
        lines={part: [_line_of(v, part, row) for row in rows] for part, rows in v.lines.items()},
        coordinated=[summary(o) for o in v.coordinated],
        depends_on=[summary(o) for o in v.depends_on],
        grants=[grant(g) for g in v.grants],
        comments=[comment(c) for c in v.comments],
        field_reports=[report(r) for r in v.reports],
    )


def _line_of(v: InitiativeView, part: str, row: Any) -> dict[str, Any]:
    out = dict(row.model_dump(mode="json"))
    if part == "metrics":
        out["actuals"] = [actual(a) for a in v.actuals.get(row.id, [])]
    return out


def actual(a: MetricActual) -> dict[str, Any]:
    return {"id": a.id, "date": a.date.isoformat(), "value": a.value}


def grant(g: SharingGrant) -> dict[str, Any]:
    return g.model_dump(mode="json")


def comment(c: Comment) -> dict[str, Any]:
    return c.model_dump(mode="json")


def report(r: FieldReport) -> dict[str, Any]:
    return r.model_dump(mode="json")


def entry(e: LogEntry, home: bool = True) -> dict[str, Any]:
    """A log entry; abroad, which delegation a sign-off was made under is left out."""
    out = e.model_dump(mode="json")
    if not home and isinstance(out.get("payload"), dict) and "delegation" in out["payload"]:
        out["payload"] = {k: v for k, v in out["payload"].items() if k != "delegation"}
    return out


def link(row: CoordinationLink) -> dict[str, Any]:
    return row.model_dump(mode="json")


def line(row: Any) -> dict[str, Any]:
    return dict(row.model_dump(mode="json"))
