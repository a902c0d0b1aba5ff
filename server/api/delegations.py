"""Delegated sign-off over JSON: list, create and revoke a department's delegations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from server.api.http import DB_INT_MAX, id_filter, id_path
from server.auth import CurrentUser, SessionDep
from server.models import Delegation
from server.services import delegations

router = APIRouter(tags=["delegations"])
DelegationId = Annotated[int, id_path("A delegation's id")]


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(default=None, ge=1, le=DB_INT_MAX)


class DelegationOut(BaseModel):
    """A delegation of a department's sign-off, as its government reads it."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    key: str
    department: str
    delegate: str
    scope: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    by: str
    revoked: dt.date | None
    state: str = Field(description="active, future, ended or revoked")
    version: int


def _out(v: delegations.DelegationView) -> DelegationOut:
    return DelegationOut.model_validate(
        {
            "id": v.row.id,
            "key": v.key,
            "department": v.department,
            "delegate": v.delegate,
            "scope": v.scope,
            "from": v.starts_on,
            "to": v.ends_on,
            "by": v.granted_by,
            "revoked": v.revoked_on,
            "state": v.state,
            "version": v.row.version,
        }
    )


def _one(db: SessionDep, user: CurrentUser, row: Delegation) -> DelegationOut:
    return next(_out(v) for v in delegations.listing(db, user) if v.row.id == row.id)


@router.get("/delegations")
def list_delegations(
    db: SessionDep,
    user: CurrentUser,
    initiative_id: int | None = id_filter("Only those whose scope takes in this track"),
) -> list[DelegationOut]:
    """The delegations of the caller's own government (of one track's scope, if named)."""
    return [_out(v) for v in delegations.listing(db, user, initiative_id=initiative_id)]


@router.post("/delegations", status_code=201)
def create_delegation(data: delegations.DelegationData, db: SessionDep, user: CurrentUser) -> DelegationOut:
    """Name a person or another department to sign for a department, on a track, a crisis or everything."""
    return _one(db, user, delegations.create(db, user, data))


@router.post("/delegations/{delegation_id}/revoke")
def revoke_delegation(
    delegation_id: DelegationId,
    db: SessionDep,
    user: CurrentUser,
    data: RevokeIn = Body(default_factory=RevokeIn),
) -> DelegationOut:
    """Revoke today; sign-offs made under it on earlier days stay valid."""
    return _one(db, user, delegations.revoke(db, user, delegation_id, data.version))
