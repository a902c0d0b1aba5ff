"""Comments on tracks over JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.api import schemas
from server.api.http import (
    LIMIT_DEFAULT,
    PAGE_HEADERS,
    CommentId,
    Cursor,
    InitiativeId,
    Limit,
    next_page,
    window,
)
from server.auth import CurrentUser, SessionDep
from server.services import comments
from server.services.comments import CommentData

router = APIRouter(tags=["comments"])


@router.get("/initiatives/{initiative_id}/comments", responses={200: {"headers": PAGE_HEADERS}})
def list_comments(
    initiative_id: InitiativeId,
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.CommentOut]:  # type: ignore[valid-type]
    """The comments on a track that the caller may read, oldest first."""
    found = comments.listing(db, user, initiative_id, window(cursor, limit))
    return [schemas.comment(c) for c in next_page(request, response, found, limit, key=lambda c: c.id or 0)]


@router.post("/initiatives/{initiative_id}/comments", status_code=201)
def add_comment(
    initiative_id: InitiativeId, data: CommentData, db: SessionDep, user: CurrentUser
) -> schemas.CommentOut:  # type: ignore[valid-type]
    """Comment on a track (home, or a partner with a comment grant); `internal` stays home."""
    return schemas.comment(comments.add(db, user, initiative_id, data))


@router.delete("/comments/{comment_id}", status_code=204, response_class=Response)
def remove_comment(comment_id: CommentId, db: SessionDep, user: CurrentUser) -> None:
    """Remove one's own comment (or, at home, one an editor may remove)."""
    comments.remove(db, user, comment_id)
