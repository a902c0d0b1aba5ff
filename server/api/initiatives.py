"""Initiatives (tracks) over JSON: list, read, create, edit, status, items, links."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict

from server.api import schemas
from server.auth import CurrentUser, SessionDep
from server.services import initiatives, metric_actuals
from server.services.errors import Invalid
from server.services.initiatives import Filters, InitiativeData

router = APIRouter(tags=["initiatives"])
Part = Literal["red_lines", "staff", "resources", "leverage", "metrics"]


class InitiativeUpdate(InitiativeData):
    """The edited initiative and the version it was edited from."""

    version: int


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["draft", "active", "paused", "closed"]
    version: int


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other_id: int


class InternalFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    internal: bool


@router.get("/initiatives")
def list_initiatives(
    db: SessionDep,
    user: CurrentUser,
    crisis_id: int | None = None,
    owner_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    has_alerts: bool | None = None,
    q: str | None = None,
    shared_with_us: bool = False,
) -> list[schemas.InitiativeSummary]:
    """The tracks the caller may see; `shared_with_us` keeps those shared by other governments."""
    filters = Filters(crisis_id, owner_id, kind, status, has_alerts, q, shared_with_us)
    return [schemas.summary(i) for i in initiatives.listing(db, user, filters)]


@router.get("/initiatives/by-key/{key}")
def get_initiative_by_key(key: str, db: SessionDep, user: CurrentUser) -> schemas.InitiativeDetail:
    found = initiatives.get_by_key(db, user, key)
    assert found.id is not None
    return schemas.detail(initiatives.view(db, user, found.id))


@router.get("/initiatives/{initiative_id}")
def get_initiative(initiative_id: int, db: SessionDep, user: CurrentUser) -> schemas.InitiativeDetail:
    return schemas.detail(initiatives.view(db, user, initiative_id))


@router.post("/initiatives", status_code=201)
def create_initiative(data: InitiativeData, db: SessionDep, user: CurrentUser) -> schemas.InitiativeSummary:
    return schemas.summary(initiatives.create(db, user, data))


@router.put("/initiatives/{initiative_id}")
def update_initiative(
    initiative_id: int, data: InitiativeUpdate, db: SessionDep, user: CurrentUser
) -> schemas.InitiativeSummary:
    """Save an edit; a stale `version` answers 409 with the current values and what changed."""
    fields = InitiativeData.model_validate(data.model_dump(exclude={"version"}))
    return schemas.summary(initiatives.update(db, user, initiative_id, fields, data.version))


@router.post("/initiatives/{initiative_id}/status")
def set_status(
    initiative_id: int, data: StatusChange, db: SessionDep, user: CurrentUser
) -> schemas.InitiativeSummary:
    return schemas.summary(initiatives.set_status(db, user, initiative_id, data.status, data.version))


@router.post("/initiatives/{initiative_id}/lines/{part}", status_code=201)
def add_line(
    initiative_id: int, part: Part, db: SessionDep, user: CurrentUser, data: dict[str, Any] = Body(...)
) -> dict[str, Any]:
    """Add a red line, staff line, resource, leverage tool or metric (`internal` keeps it home)."""
    return schemas.line(initiatives.add_line(db, user, initiative_id, part, data))


@router.put("/initiatives/{initiative_id}/lines/{part}/{line_id}")
def update_line(
    initiative_id: int,
    part: Part,
    line_id: int,
    db: SessionDep,
    user: CurrentUser,
    data: dict[str, Any] = Body(...),
) -> dict[str, Any]:
    """Edit an item from the `version` it was read at (in the body)."""
    fields = dict(data)
    version = fields.pop("version", None)
    if not isinstance(version, int):
        raise Invalid.field("version", "send the version the item was read at")
    return schemas.line(initiatives.update_line(db, user, initiative_id, part, line_id, fields, version))


@router.put("/initiatives/{initiative_id}/lines/{part}/{line_id}/internal")
def set_line_internal(
    initiative_id: int, part: Part, line_id: int, data: InternalFlag, db: SessionDep, user: CurrentUser
) -> dict[str, Any]:
    """Keep an item home (or share it with the track's partners again)."""
    return schemas.line(initiatives.set_internal(db, user, initiative_id, part, line_id, data.internal))


@router.delete("/initiatives/{initiative_id}/lines/{part}/{line_id}", status_code=204)
def remove_line(initiative_id: int, part: Part, line_id: int, db: SessionDep, user: CurrentUser) -> Response:
    initiatives.remove_line(db, user, initiative_id, part, line_id)
    return Response(status_code=204)


@router.get("/initiatives/{initiative_id}/metrics/{metric_id}/actuals")
def list_actuals(
    initiative_id: int, metric_id: int, db: SessionDep, user: CurrentUser
) -> list[dict[str, Any]]:
    """The values a metric was measured at, in date order (404 if the metric is not the caller's to see)."""
    return [schemas.actual(a) for a in metric_actuals.values(db, user, initiative_id, metric_id).actuals]


@router.post("/initiatives/{initiative_id}/metrics/{metric_id}/actuals", status_code=201)
def record_actual(
    initiative_id: int, metric_id: int, data: metric_actuals.ActualData, db: SessionDep, user: CurrentUser
) -> dict[str, Any]:
    """Record the value a metric stood at on a date, the end of the period measured."""
    return schemas.actual(metric_actuals.record(db, user, initiative_id, metric_id, data))


@router.delete("/initiatives/{initiative_id}/metrics/{metric_id}/actuals/{actual_id}", status_code=204)
def remove_actual(
    initiative_id: int, metric_id: int, actual_id: int, db: SessionDep, user: CurrentUser
) -> Response:
    metric_actuals.remove(db, user, initiative_id, metric_id, actual_id)
    return Response(status_code=204)


@router.post("/initiatives/{initiative_id}/coordinated", status_code=201)
def link_coordinated(
    initiative_id: int, data: LinkRequest, db: SessionDep, user: CurrentUser
) -> dict[str, Any]:
    return schemas.link(initiatives.link_coordinated(db, user, initiative_id, data.other_id))


@router.delete("/initiatives/{initiative_id}/coordinated/{other_id}", status_code=204)
def unlink_coordinated(initiative_id: int, other_id: int, db: SessionDep, user: CurrentUser) -> Response:
    initiatives.unlink_coordinated(db, user, initiative_id, other_id)
    return Response(status_code=204)
