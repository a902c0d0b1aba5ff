"""API tokens: a signed-in person makes, lists and revokes bearer tokens for scripts.

A token is made and revoked only from a signed-in session (or `accord tokens`): a token
never mints or ends tokens. Listing one's own tokens is a read like any other.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.schemas import UtcDateTime
from server.auth import CurrentUser, SessionDep, token_scope
from server.models import ApiToken
from server.services import sessions

router = APIRouter(tags=["tokens"])

Scope = Literal["read", "write", "sign-off"]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(default="", max_length=200, description="What the token is for")
    scopes: list[Scope] = Field(
        default_factory=lambda: ["read"],
        description="read (every token), write (changes other than sign-offs), sign-off",
    )
    expires_in_days: int = Field(default=sessions.DEFAULT_TOKEN_DAYS, ge=1, le=sessions.MAX_TOKEN_DAYS)


class TokenInfo(BaseModel):
    ref: str
    label: str
    scopes: list[str]
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    state: Literal["live", "expired", "revoked"]


class TokenOut(TokenInfo):
    token: str = Field(description="The token itself, shown this once; only its hash is kept")


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        ref=row.ref,
        label=row.label,
        scopes=row.scopes.split(),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        state=sessions.token_state(row),  # type: ignore[arg-type]
    )


@router.post("/tokens", status_code=201)
@token_scope("session")
def create_token(db: SessionDep, user: CurrentUser, body: TokenRequest | None = None) -> TokenOut:
    """A new API token for the caller, shown once; from a signed-in session only."""
    body = body or TokenRequest()
    token = sessions.create_api_token(db, user, body.label.strip(), body.scopes, body.expires_in_days)
    row = sessions.api_token_by_ref(db, sessions.ref_of(token))
    return TokenOut(token=token, **_info(row).model_dump())


@router.get("/tokens")
def list_tokens(db: SessionDep, user: CurrentUser) -> list[TokenInfo]:
    """The caller's tokens, newest first, ended ones included; never the tokens themselves."""
    assert user.id is not None
    return [_info(row) for row in sessions.api_tokens_of(db, user.id)]


@router.delete("/tokens/{ref}", status_code=204)
@token_scope("session")
def revoke_token(ref: str, db: SessionDep, user: CurrentUser) -> Response:
    """End one of the caller's tokens now; from a signed-in session only."""
    sessions.revoke_api_token(db, ref, user.id)
    return Response(status_code=204)
