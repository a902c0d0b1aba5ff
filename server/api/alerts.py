"""Alerts over JSON: list, read, acknowledge, dismiss with a reason, confirm a dismissal; dismissals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from server.auth import CurrentUser, SessionDep
from server.services import alerts, dismissals
from server.services.validation import CAPS

router = APIRouter(tags=["alerts"])


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = None


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(default="", max_length=CAPS["reason"])
    version: int | None = None
    # The date the alert reopens if its cause is still there; none: until the evidence changes.
    expires_on: date | None = None


@router.get("/alerts")
def list_alerts(
    db: SessionDep,
    user: CurrentUser,
    status: str = "live",
    initiative_id: int | None = None,
    principle: str | None = None,
) -> list[dict[str, Any]]:
    """The alerts on tracks the caller may see; `status=all` includes dismissed and resolved."""
    statuses = None if status == "all" else alerts.LIVE if status == "live" else (status,)
    return [asdict(v) for v in alerts.list_visible(db, user, statuses, initiative_id, principle)]


@router.get("/alerts/{alert_id}")
def get_alert(alert_id: int, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """One alert; someone who sees only one of its tracks reads that track's view."""
    return asdict(alerts.get(db, user, alert_id))


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    alert_id: int,
    db: SessionDep,
    user: CurrentUser,
    data: AcknowledgeIn = Body(default_factory=AcknowledgeIn),
) -> dict[str, Any]:
    return asdict(alerts.acknowledge(db, user, alert_id, data.version))


@router.post("/alerts/{alert_id}/dismiss")
def dismiss(alert_id: int, data: DismissIn, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Dismiss with a reason, which the decision log keeps."""
    return asdict(alerts.dismiss(db, user, alert_id, data.reason, data.version, data.expires_on))


@router.post("/alerts/{alert_id}/confirm")
def confirm(
    alert_id: int,
    db: SessionDep,
    user: CurrentUser,
    data: AcknowledgeIn = Body(default_factory=AcknowledgeIn),
) -> dict[str, Any]:
    """A second department of the same government confirms the dismissal of a high-severity alert."""
    return asdict(alerts.confirm(db, user, alert_id, data.version))


@router.get("/dismissals")
def list_dismissals(db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The caller's government's dismissals, with counts per principle and department (coordinators, admins)."""
    rep = dismissals.report(db, user)
    return {
        "government": rep.government,
        "counts": [{"principle": p, "department": d, "count": n} for (p, d), n in sorted(rep.counts.items())],
        "dismissals": [asdict(r) for r in rep.rows],
    }
