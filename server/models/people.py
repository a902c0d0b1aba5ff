"""People, their server-side sessions, sign-in attempts and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, Relationship, SQLModel

from server.models.base import timestamp, utcnow, version_column
from server.models.organisations import Organisation

ROLES = ("admin", "coordinator", "desk_officer", "partner_reviewer", "field_contributor")

_version = version_column()


class User(SQLModel, table=True):
    __tablename__ = "person"
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=320)
    name: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=40)
    password_hash: str = Field(default="", max_length=300)
    active: bool = True
    date_format: str = Field(default="%d %b %Y", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    version: int = Field(default=1, sa_column=_version)

    organisation: Organisation = Relationship(sa_relationship_kwargs={"lazy": "joined"})

    @property
    def government(self) -> str:
        return self.organisation.government_key


class AuthSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds a token whose SHA-256 is the id."""

    __tablename__ = "auth_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="person.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    user_agent: str = Field(default="", max_length=300)


class SigninAttempt(SQLModel, table=True):
    """A failed sign-in, kept for the per-account and per-address throttle."""

    __tablename__ = "signin_attempt"

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(index=True, max_length=320)
    client: str = Field(index=True, max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp(index=True))


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored.

    `ref` names the token in lists and in `accord tokens revoke` (a new token carries it
    after `acc_`, so its holder can tell which row it is); `scopes` is a space-separated
    subset of read, write and sign-off (read always among them).
    """

    __tablename__ = "api_token"

    id: str = Field(primary_key=True, max_length=64)
    ref: str = Field(unique=True, index=True, max_length=16)
    user_id: int = Field(foreign_key="person.id", index=True)
    label: str = Field(default="", max_length=200)
    scopes: str = Field(default="read", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    expires_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
