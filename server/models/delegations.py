"""Delegated sign-off: a department hands its sign-off to a delegate for a scope and a time."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from server.models.base import timestamp, utcnow, version_column

_version = version_column()


class Delegation(SQLModel, table=True):
    """A department's sign-off, given to one person or another department.

    The scope is one initiative, one crisis, or (neither) everything of the department;
    it holds from `starts_on` to `ends_on`, both included, unless revoked earlier. The
    delegate is a person (by name, and by id when the person has an account) or an
    organisation. A revocation never undoes the sign-offs made while it held.
    """

    __tablename__ = "delegation"
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    department_id: int = Field(foreign_key="organisation.id", index=True)
    delegate_person: str | None = Field(default=None, max_length=200)
    delegate_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    delegate_org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    scope_initiative_id: int | None = Field(default=None, foreign_key="initiative.id")
    scope_crisis_id: int | None = Field(default=None, foreign_key="crisis.id")
    starts_on: date
    ends_on: date
    granted_by: str = Field(max_length=200)
    granted_by_id: int | None = Field(default=None, foreign_key="person.id")
    revoked_on: date | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="person.id")
    # Set once the log holds the entry saying the delegation ran out (or was revoked).
    ended_logged: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    version: int = Field(default=1, sa_column=_version)
