"""The outbox (work for the workers) and the event table (live updates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from server.models.base import json_dict, timestamp, utcnow


class OutboxRow(SQLModel, table=True):
    """A task to send after the change that wrote it commits."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    task: str = Field(max_length=120)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_dict())
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True, index=True))
    attempts: int = 0
    last_error: str | None = None


class Event(SQLModel, table=True):
    """Something people watching may need to see; the id is the SSE cursor."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60)
    # The block of the page to refresh (`decision_log`, `alerts`, ...).
    block: str = Field(max_length=60)
    # Audience: who may see `initiative_id`, or the members of `org_id`.
    initiative_id: int | None = Field(default=None, foreign_key="initiative.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    # Only the track's own government receives it (alerts, internal items, sharing).
    home_only: bool = False
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_dict())
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
