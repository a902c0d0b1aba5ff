"""Sharing grants over JSON: list, share, withdraw."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.api import schemas
from server.api.http import LIMIT_DEFAULT, PAGE_HEADERS, Cursor, GrantId, InitiativeId, Limit, page
from server.auth import CurrentUser, SessionDep
from server.services import sharing
from server.services.sharing import GrantData

router = APIRouter(tags=["sharing"])


@router.get("/initiatives/{initiative_id}/grants", responses={200: {"headers": PAGE_HEADERS}})
def list_grants(
    initiative_id: InitiativeId,
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.GrantOut]:  # type: ignore[valid-type]
    """The live grants of a track (empty for a partner: whom else it is shared with stays home)."""
    found = sharing.grants(db, user, initiative_id)
    return [schemas.grant(g) for g in page(request, response, found, limit, cursor, key=lambda g: g.id or 0)]


@router.post("/initiatives/{initiative_id}/grants", status_code=201)
def share(
    initiative_id: InitiativeId, data: GrantData, db: SessionDep, user: CurrentUser
) -> schemas.GrantOut:  # type: ignore[valid-type]
    """Share a track with an organisation, a government or a person, at a level."""
    return schemas.grant(sharing.grant(db, user, initiative_id, data))


@router.post("/grants/{grant_id}/withdraw")
def withdraw(grant_id: GrantId, db: SessionDep, user: CurrentUser) -> schemas.GrantOut:  # type: ignore[valid-type]
    """Withdraw a grant; it takes effect on the partner's next read and open stream."""
    return schemas.grant(sharing.withdraw(db, user, grant_id))
