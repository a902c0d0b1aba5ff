"""Sharing grants over JSON: list, share, withdraw."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api import schemas
from server.auth import CurrentUser, SessionDep
from server.services import sharing
from server.services.sharing import GrantData

router = APIRouter(tags=["sharing"])


@router.get("/initiatives/{initiative_id}/grants")
def list_grants(initiative_id: int, db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The live grants of a track (empty for a partner: whom else it is shared with stays home)."""
    return [schemas.grant(g) for g in sharing.grants(db, user, initiative_id)]


@router.post("/initiatives/{initiative_id}/grants", status_code=201)
def share(initiative_id: int, data: GrantData, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Share a track with an organisation, a government or a person, at a level."""
    return schemas.grant(sharing.grant(db, user, initiative_id, data))


@router.post("/grants/{grant_id}/withdraw")
def withdraw(grant_id: int, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Withdraw a grant; it takes effect on the partner's next read and open stream."""
    return schemas.grant(sharing.withdraw(db, user, grant_id))
