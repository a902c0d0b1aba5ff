"""Alerts over JSON: list, read, acknowledge, dismiss with a reason, confirm a dismissal; dismissals."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.http import (
    DB_INT_MAX,
    ETAG_HEADER,
    LIMIT_DEFAULT,
    PAGE_HEADERS,
    VERSIONED_STATUSES,
    AlertId,
    Cursor,
    IfMatch,
    Limit,
    id_filter,
    matched_version,
    next_page,
    precondition,
    set_etag,
    window,
)
from server.api.schemas import view_model
from server.auth import CurrentUser, SessionDep
from server.services import alerts, dismissals
from server.services.alerts import AlertView
from server.services.dismissals import DismissalRow
from server.services.validation import CAPS

router = APIRouter(tags=["alerts"])
AlertOut = view_model(AlertView, "Alert")
DismissalOut = view_model(DismissalRow, "Dismissal")
VERSIONED: dict[int | str, dict[str, Any]] = {
    200: {"headers": ETAG_HEADER},
    412: {"description": VERSIONED_STATUSES[412]},
}
Principle = Literal["D1", "D2", "D3", "D4", "D5", "N1", "N2", "N3", "N4", "N5"]


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(default=None, ge=1, le=DB_INT_MAX)


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(default="", max_length=CAPS["reason"])
    version: int | None = Field(default=None, ge=1, le=DB_INT_MAX)
    # The date the alert reopens if its cause is still there; none: until the evidence changes.
    expires_on: date | None = None


@router.get("/alerts", responses={200: {"headers": PAGE_HEADERS}})
def list_alerts(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    status: Literal["live", "all", "open", "acknowledged", "dismissed", "resolved"] = "live",
    initiative_id: int | None = id_filter("Only the alerts on this track"),
    principle: Principle | None = None,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[AlertOut]:  # type: ignore[valid-type]
    """The alerts on tracks the caller may see, by id; `status=all` includes dismissed and resolved."""
    statuses = None if status == "all" else alerts.LIVE if status == "live" else (status,)
    found = alerts.list_visible(db, user, statuses, initiative_id, principle, window=window(cursor, limit))
    return next_page(request, response, found, limit, key=lambda a: a.id)


@router.get("/alerts/{alert_id}", responses={200: {"headers": ETAG_HEADER}})
def get_alert(alert_id: AlertId, response: Response, db: SessionDep, user: CurrentUser) -> AlertOut:  # type: ignore[valid-type]
    """One alert; someone who sees only one of its tracks reads that track's view."""
    view = alerts.get(db, user, alert_id)
    set_etag(response, view.version)
    return view


@router.post("/alerts/{alert_id}/acknowledge", responses=VERSIONED)
def acknowledge(
    alert_id: AlertId,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
    data: AcknowledgeIn = Body(default_factory=AcknowledgeIn),
) -> AlertOut:  # type: ignore[valid-type]
    """Acknowledge an open alert; `If-Match` (or `version`) guards against a change since it was read."""
    with precondition(if_match):
        view = alerts.acknowledge(db, user, alert_id, _version(if_match, data.version))
    set_etag(response, view.version)
    return view


@router.post("/alerts/{alert_id}/dismiss", responses=VERSIONED)
def dismiss(
    alert_id: AlertId,
    data: DismissIn,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
) -> AlertOut:  # type: ignore[valid-type]
    """Dismiss with a reason, which the decision log keeps."""
    with precondition(if_match):
        view = alerts.dismiss(
            db, user, alert_id, data.reason, _version(if_match, data.version), data.expires_on
        )
    set_etag(response, view.version)
    return view


@router.post("/alerts/{alert_id}/confirm", responses=VERSIONED)
def confirm(
    alert_id: AlertId,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
    data: AcknowledgeIn = Body(default_factory=AcknowledgeIn),
) -> AlertOut:  # type: ignore[valid-type]
    """A second department of the same government confirms the dismissal of a high-severity alert."""
    with precondition(if_match):
        view = alerts.confirm(db, user, alert_id, _version(if_match, data.version))
    set_etag(response, view.version)
    return view


class DismissalCount(BaseModel):
    principle: str
    department: str
    count: int


class DismissalReport(BaseModel):
    """A government's dismissals in force and before, newest first, with counts."""

    government: str
    counts: list[DismissalCount]
    dismissals: list[DismissalOut]  # type: ignore[valid-type]


@router.get("/dismissals")
def list_dismissals(db: SessionDep, user: CurrentUser) -> DismissalReport:
    """The caller's government's dismissals, with counts per principle and department (coordinators, admins)."""
    rep = dismissals.report(db, user)
    return DismissalReport(
        government=rep.government,
        counts=[
            DismissalCount(principle=p, department=d, count=n) for (p, d), n in sorted(rep.counts.items())
        ],
        dismissals=[DismissalOut.model_validate(r, from_attributes=True) for r in rep.rows],
    )


def _version(if_match: str | None, body: int | None) -> int | None:
    matched = matched_version(if_match)
    return matched if matched is not None else body
