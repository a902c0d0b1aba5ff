"""The decision log over JSON: read it, log a decision, see and give sign-offs."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from server.api import schemas
from server.auth import CurrentUser, SessionDep, token_scope
from server.services import decisions
from server.services.decisions import DecisionData, LogFilters
from server.services.validation import CAPS

router = APIRouter(tags=["decisions"])


class DecisionIn(DecisionData):
    """A decision, or with `supersedes` the correction of an earlier one."""

    supersedes: int | None = None


class SignoffIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    declined: bool = False
    reason: str | None = Field(default=None, max_length=CAPS["reason"])
    # Kept within the track's own government (only its people may ask for it).
    internal: bool = False
    # Sign for the department that delegated its sign-off to the caller.
    delegation_id: int | None = None


@router.get("/decisions")
def decision_log(
    db: SessionDep,
    user: CurrentUser,
    initiative_id: int | None = None,
    org_id: int | None = None,
    kind: str | None = None,
    entry_type: str | None = None,
) -> list[dict[str, Any]]:
    """The log entries of the tracks the caller may see, newest first."""
    filters = LogFilters(initiative_id, org_id, kind, entry_type)
    rows = decisions.entries(db, user, filters)
    home = decisions.home_track_ids(db, user, rows)
    return [schemas.entry(e, home=e.initiative_id in home) for e in rows]


@router.get("/decisions/waiting")
def waiting_for_me(db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Decisions that still wait for the caller's organisation to sign off."""
    return [
        {"decision": schemas.entry(e), "status": asdict(state)}
        for e, state in decisions.waiting_for(db, user)
    ]


@router.post("/initiatives/{initiative_id}/decisions", status_code=201)
def log_decision(initiative_id: int, data: DecisionIn, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    fields = DecisionData.model_validate(data.model_dump(exclude={"supersedes"}))
    return schemas.entry(decisions.log(db, user, initiative_id, fields, supersedes_id=data.supersedes))


@router.get("/decisions/{decision_id}/status")
def decision_status(decision_id: int, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Who must sign off the decision, who has, and who is missing."""
    state = decisions.status(db, user, decision_id)
    return asdict(state) | {"missing": [asdict(r) for r in state.missing]}


@router.post("/decisions/{decision_id}/signoff", status_code=201)
@token_scope("sign-off")
def sign_off(decision_id: int, data: SignoffIn, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Sign off (or, with `declined` and a reason, decline) for the caller's organisation."""
    return schemas.entry(
        decisions.sign_off(
            db, user, decision_id, data.declined, data.reason, data.internal, data.delegation_id
        )
    )
