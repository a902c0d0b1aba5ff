"""`GET /events`: the signed-in user's live stream (Server-Sent Events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from server import stream
from server.auth import CurrentUser, SessionDep
from server.services.validation import ID_MAX

router = APIRouter(tags=["events"])


@router.get("/events", response_class=StreamingResponse)
def events(
    user: CurrentUser,
    db: SessionDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[
        int | None, Query(description="Resume after this event id (for clients without headers).")
    ] = None,
) -> StreamingResponse:
    """Events the user may see, each naming the page block to refresh; resumes after `Last-Event-ID`."""
    assert user.id is not None
    user_id = user.id
    # The stream reads in short sessions of its own; the request's must not stay open for hours.
    db.close()
    stream.install()
    cursor = stream.parse_last_event_id(last_event_id)
    if cursor is None and after is not None and 0 <= after <= ID_MAX:
        cursor = after
    return StreamingResponse(
        stream.sse(user_id, cursor),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"},
    )
