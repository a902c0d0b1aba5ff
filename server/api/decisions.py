"""The decision log over JSON: read it, log a decision, see and give sign-offs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api import schemas
from server.api.http import (
    DB_INT_MAX,
    LIMIT_DEFAULT,
    PAGE_HEADERS,
    Cursor,
    DecisionId,
    InitiativeId,
    Limit,
    decode_cursor,
    encode_cursor,
    id_filter,
    page,
)
from server.auth import CurrentUser, SessionDep, token_scope
from server.services import decisions
from server.services.decisions import DecisionData, LogFilters
from server.services.validation import CAPS

router = APIRouter(tags=["decisions"])


class DecisionIn(DecisionData):
    """A decision, or with `supersedes` the correction of an earlier one."""

    supersedes: int | None = Field(default=None, ge=1, le=DB_INT_MAX)


class SignoffIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    declined: bool = False
    reason: str | None = Field(default=None, max_length=CAPS["reason"])
    # Kept within the track's own government (only its people may ask for it).
    internal: bool = False
    # Sign for the department that delegated its sign-off to the caller.
    delegation_id: int | None = Field(default=None, ge=1, le=DB_INT_MAX)


@router.get("/decisions", responses={200: {"headers": PAGE_HEADERS}})
def decision_log(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    initiative_id: int | None = id_filter("Only this track's entries"),
    org_id: int | None = id_filter("Only entries by or touching this organisation"),
    kind: Annotated[str | None, Query(max_length=20, description="A decision's kind")] = None,
    entry_type: Annotated[
        str | None, Query(max_length=20, description="`decision`, `signoff`, `decline`, `grant`, ...")
    ] = None,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.LogEntryOut]:  # type: ignore[valid-type]
    """The log entries of the tracks the caller may see, newest first (by id, descending)."""
    filters = LogFilters(initiative_id, org_id, kind, entry_type)
    found = decisions.entries(db, user, filters, limit=limit + 1, before=decode_cursor(cursor))
    if len(found) > limit:
        found = found[:limit]
        nxt = request.url.include_query_params(cursor=encode_cursor(found[-1].id or 0), limit=limit)
        response.headers["Link"] = f'<{nxt}>; rel="next"'
    home = decisions.home_track_ids(db, user, found)
    return [schemas.entry(e, home=e.initiative_id in home) for e in found]


@router.get("/decisions/waiting", responses={200: {"headers": PAGE_HEADERS}})
def waiting_for_me(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.Waiting]:
    """Decisions that still wait for the caller's organisation to sign off, newest first."""
    found = page(
        request,
        response,
        decisions.waiting_for(db, user),
        limit,
        cursor,
        key=lambda w: w[0].id or 0,
        newest_first=True,
    )
    return [schemas.Waiting(decision=schemas.entry(e), status=schemas.status(state)) for e, state in found]


@router.post("/initiatives/{initiative_id}/decisions", status_code=201)
def log_decision(
    initiative_id: InitiativeId, data: DecisionIn, db: SessionDep, user: CurrentUser
) -> schemas.LogEntryOut:  # type: ignore[valid-type]
    """Log a decision on a track (the proposer's sign-off comes with it)."""
    fields = DecisionData.model_validate(data.model_dump(exclude={"supersedes"}))
    return schemas.entry(decisions.log(db, user, initiative_id, fields, supersedes_id=data.supersedes))


@router.get("/decisions/{decision_id}/status")
def decision_status(decision_id: DecisionId, db: SessionDep, user: CurrentUser) -> schemas.SignoffStatus:
    """Who must sign off the decision, who has, and who is missing."""
    return schemas.status(decisions.status(db, user, decision_id))


@router.post("/decisions/{decision_id}/signoff", status_code=201)
@token_scope("sign-off")
def sign_off(
    decision_id: DecisionId, data: SignoffIn, db: SessionDep, user: CurrentUser
) -> schemas.LogEntryOut:  # type: ignore[valid-type]
    """Sign off (or, with `declined` and a reason, decline) for the caller's organisation."""
    return schemas.entry(
        decisions.sign_off(
            db, user, decision_id, data.declined, data.reason, data.internal, data.delegation_id
        )
    )
