"""API tokens: a signed-in person gets a bearer token for scripts and integrations."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from server.auth import CurrentUser, SessionDep
from server.services import sessions

router = APIRouter(tags=["tokens"])


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(default="", max_length=200)


class TokenOut(BaseModel):
    token: str
    label: str


@router.post("/tokens", status_code=201)
def create_token(db: SessionDep, user: CurrentUser, body: TokenRequest | None = None) -> TokenOut:
    """A new API token for the caller; it is shown once and only its hash is kept."""
    label = body.label if body else ""
    return TokenOut(token=sessions.create_api_token(db, user, label), label=label)
