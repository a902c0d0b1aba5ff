"""Blind overlap notices and coordination requests over JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Body

from server.auth import CurrentUser, SessionDep
from server.services import coordination
from server.services.coordination import AcceptData, DeclineData, RequestData

router = APIRouter(tags=["coordination"])


@router.get("/coordination/notices")
def notices(db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Overlaps of the caller's tracks with tracks it may not see: the other side and the crisis only."""
    return [asdict(n) for n in coordination.notices(db, user)]


@router.get("/coordination/requests")
def list_requests(db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [asdict(r) for r in coordination.listing(db, user)]


@router.get("/coordination/requests/{request_id}")
def get_request(request_id: int, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return asdict(coordination.get(db, user, request_id))


@router.post("/coordination/requests", status_code=201)
def request_coordination(data: RequestData, db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Ask the other owners named by an overlap notice to coordinate."""
    rows = coordination.request(db, user, data)
    return [{"id": r.id, "status": r.status} for r in rows]


@router.post("/coordination/requests/{request_id}/accept")
def accept(
    request_id: int, db: SessionDep, user: CurrentUser, data: AcceptData = Body(default_factory=AcceptData)
) -> dict[str, Any]:
    """Agree to coordinate: both tracks are linked; `share_level` shares one's own track back."""
    return asdict(coordination.accept(db, user, request_id, data))


@router.post("/coordination/requests/{request_id}/decline")
def decline(request_id: int, data: DeclineData, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return asdict(coordination.decline(db, user, request_id, data))
