"""Delegated sign-off over JSON: list, create and revoke a department's delegations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict

from server.auth import CurrentUser, SessionDep
from server.models import Delegation
from server.services import delegations

router = APIRouter(tags=["delegations"])


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = None


def _out(v: delegations.DelegationView) -> dict[str, Any]:
    return {
        "id": v.row.id,
        "key": v.key,
        "department": v.department,
        "delegate": v.delegate,
        "scope": v.scope,
        "from": v.starts_on.isoformat(),
        "to": v.ends_on.isoformat(),
        "by": v.granted_by,
        "revoked": v.revoked_on.isoformat() if v.revoked_on else None,
        "state": v.state,
        "version": v.row.version,
    }


def _one(db: SessionDep, user: CurrentUser, row: Delegation) -> dict[str, Any]:
    return next(_out(v) for v in delegations.listing(db, user) if v.row.id == row.id)


@router.get("/delegations")
def list_delegations(
    db: SessionDep, user: CurrentUser, initiative_id: int | None = None
) -> list[dict[str, Any]]:
    """The delegations of the caller's own government (of one track's scope, if named)."""
    return [_out(v) for v in delegations.listing(db, user, initiative_id=initiative_id)]


@router.post("/delegations", status_code=201)
def create_delegation(data: delegations.DelegationData, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Name a person or another department to sign for a department, on a track, a crisis or everything."""
    return _one(db, user, delegations.create(db, user, data))


@router.post("/delegations/{delegation_id}/revoke")
def revoke_delegation(
    delegation_id: int,
    db: SessionDep,
    user: CurrentUser,
    data: RevokeIn = Body(default_factory=RevokeIn),
) -> dict[str, Any]:
    """Revoke today; sign-offs made under it on earlier days stay valid."""
    return _one(db, user, delegations.revoke(db, user, delegation_id, data.version))
