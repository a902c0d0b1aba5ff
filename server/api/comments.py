"""Comments on tracks over JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from server.api import schemas
from server.auth import CurrentUser, SessionDep
from server.services import comments
from server.services.comments import CommentData

router = APIRouter(tags=["comments"])


@router.get("/initiatives/{initiative_id}/comments")
def list_comments(initiative_id: int, db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [schemas.comment(c) for c in comments.listing(db, user, initiative_id)]


@router.post("/initiatives/{initiative_id}/comments", status_code=201)
def add_comment(initiative_id: int, data: CommentData, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Comment on a track (home, or a partner with a comment grant); `internal` stays home."""
    return schemas.comment(comments.add(db, user, initiative_id, data))


@router.delete("/comments/{comment_id}", status_code=204)
def remove_comment(comment_id: int, db: SessionDep, user: CurrentUser) -> Response:
    comments.remove(db, user, comment_id)
    return Response(status_code=204)
