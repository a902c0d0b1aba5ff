"""Blind overlap notices and coordination requests over JSON."""

from __future__ import annotations

from fastapi import APIRouter, Body, Request, Response

from server.api import schemas
from server.api.http import LIMIT_DEFAULT, PAGE_HEADERS, Cursor, Limit, RequestId, next_page, page, window
from server.api.schemas import view_model
from server.auth import CurrentUser, SessionDep
from server.services import coordination
from server.services.coordination import AcceptData, DeclineData, Notice, RequestData, RequestView

router = APIRouter(tags=["coordination"])
NoticeOut = view_model(Notice, "OverlapNotice")
RequestOut = view_model(RequestView, "CoordinationRequest")


@router.get("/coordination/notices", responses={200: {"headers": PAGE_HEADERS}})
def notices(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[NoticeOut]:  # type: ignore[valid-type]
    """Overlaps of the caller's tracks with tracks it may not see: the other side and the crisis only."""
    found = coordination.notices(db, user)
    return page(request, response, found, limit, cursor, key=lambda n: n.alert_id)


@router.get("/coordination/requests", responses={200: {"headers": PAGE_HEADERS}})
def list_requests(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[RequestOut]:  # type: ignore[valid-type]
    """The coordination requests the caller's tracks sent or received."""
    found = coordination.listing(db, user, window(cursor, limit))
    return next_page(request, response, found, limit, key=lambda r: r.id)


@router.get("/coordination/requests/{request_id}")
def get_request(request_id: RequestId, db: SessionDep, user: CurrentUser) -> RequestOut:  # type: ignore[valid-type]
    return coordination.get(db, user, request_id)


@router.post("/coordination/requests", status_code=201)
def request_coordination(
    data: RequestData, db: SessionDep, user: CurrentUser
) -> list[schemas.RequestCreated]:
    """Ask the other owners named by an overlap notice to coordinate."""
    rows = coordination.request(db, user, data)
    return [schemas.RequestCreated(id=r.id or 0, status=r.status) for r in rows]


@router.post("/coordination/requests/{request_id}/accept")
def accept(
    request_id: RequestId,
    db: SessionDep,
    user: CurrentUser,
    data: AcceptData = Body(default_factory=AcceptData),
) -> RequestOut:  # type: ignore[valid-type]
    """Agree to coordinate: both tracks are linked; `share_level` shares one's own track back."""
    return coordination.accept(db, user, request_id, data)


@router.post("/coordination/requests/{request_id}/decline")
def decline(request_id: RequestId, data: DeclineData, db: SessionDep, user: CurrentUser) -> RequestOut:  # type: ignore[valid-type]
    return coordination.decline(db, user, request_id, data)
