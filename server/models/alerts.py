"""Alerts raised by the checks, and blind coordination requests between owners."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import json_dict, json_list, timestamp, utcnow, version_column

ALERT_STATUSES = ("open", "acknowledged", "dismissed", "resolved")

_version = version_column()


class Alert(SQLModel, table=True):
    __tablename__ = "alert"
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    # principle:kind:sorted subjects — a task run twice or concurrently makes one alert.
    fingerprint: str = Field(unique=True, index=True, max_length=500)
    principle: str = Field(max_length=4, index=True)
    kind: str = Field(max_length=60)
    subjects: list[str] = Field(default_factory=list, sa_column=json_list())
    severity: str = Field(max_length=10)
    message: str
    evidence: list[str] = Field(default_factory=list, sa_column=json_list())
    remedy: str = ""
    words: str = ""
    views: dict[str, Any] = Field(default_factory=dict, sa_column=json_dict())
    evidence_hash: str = Field(max_length=64)
    status: str = Field(default="open", max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    resolved_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    acknowledged_by_id: int | None = Field(default=None, foreign_key="person.id")
    dismissed_by_id: int | None = Field(default=None, foreign_key="person.id")
    dismiss_reason: str | None = None
    version: int = Field(default=1, sa_column=_version)


class AlertDismissal(SQLModel, table=True):
    """One government's dismissal of an alert, with the reason it keeps to itself.

    An alert may concern tracks of several governments; each reads it through its own
    tracks and sets it aside for itself. A dismissal holds while the alert's evidence
    hash is the one it was dismissed with.
    """

    __tablename__ = "alert_dismissal"
    __table_args__ = (UniqueConstraint("alert_id", "government"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    government: str = Field(max_length=120)
    reason: str
    evidence_hash: str = Field(max_length=64)
    dismissed_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    # held: set aside; awaiting: a high-severity alert waiting for a second department
    # of the same government to confirm (still open until then); expired: its date came
    # with the cause still there; reopened: the evidence changed (`changes` says how).
    state: str = Field(default="held", max_length=20)
    expires_on: date | None = None
    # The department that dismissed it, and the one that confirmed it.
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    confirmed_by_id: int | None = Field(default=None, foreign_key="person.id")
    confirmed_org_id: int | None = Field(default=None, foreign_key="organisation.id")
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    principle: str = Field(default="", max_length=4)
    severity: str = Field(default="", max_length=10)
    # What the alert said when it was set aside, to tell what changed when it reopens.
    message: str = ""
    evidence: list[str] = Field(default_factory=list, sa_column=json_list())
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=json_dict())
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))


class AlertInitiative(SQLModel, table=True):
    """The tracks an alert concerns; whoever may see one of them may see the alert."""

    __tablename__ = "alert_initiative"

    alert_id: int = Field(foreign_key="alert.id", primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True, index=True)


class CoordinationRequest(SQLModel, table=True):
    """A request to coordinate, sent from one track's owner to another's."""

    __tablename__ = "coordination_request"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(default=None, foreign_key="alert.id")
    from_initiative_id: int = Field(foreign_key="initiative.id")
    to_initiative_id: int = Field(foreign_key="initiative.id")
    status: str = Field(default="pending", max_length=20)
    reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    answered_by_id: int | None = Field(default=None, foreign_key="person.id")
