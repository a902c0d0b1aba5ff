"""The decision log: append-only, hash-chained entries and the signed head checkpoint."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from server.models.base import json_dict, json_list, timestamp, utcnow

DECISION_KINDS = ("agreement", "disengagement", "leverage", "other")
# Every kind of entry the log holds. Decisions and their corrections carry a key;
# sign-offs and declines name the decision entry and the hash they approve.
ENTRY_TYPES = (
    "decision",
    "signoff",
    "decline",
    "grant",
    "withdrawal",
    "dismissal",
    "coordination",
)


class LogEntry(SQLModel, table=True):
    __tablename__ = "decision_log"

    id: int | None = Field(default=None, primary_key=True)
    entry_type: str = Field(max_length=20, index=True)
    key: str | None = Field(default=None, index=True, max_length=120)
    initiative_id: int | None = Field(default=None, foreign_key="initiative.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decision_log.id", index=True)
    decision_hash: str | None = Field(default=None, max_length=64)
    supersedes_id: int | None = Field(default=None, foreign_key="decision_log.id", index=True)
    date: date
    kind: str | None = Field(default=None, max_length=20)
    text: str = ""
    touches: list[str] = Field(default_factory=list, sa_column=json_list())
    org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor_name: str = Field(default="", max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_dict())
    # A decision, sign-off or decline kept within the track's own government: partners
    # never read it. Set when the entry is appended, like every other field.
    internal: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64, unique=True)


class LogCheckpoint(SQLModel, table=True):
    """The head of the chain, sealed with an HMAC of the secret key.

    It is rewritten with every append in the same transaction; a truncated tail or a
    forged entry appended by someone without the key no longer matches it.
    """

    __tablename__ = "decision_log_checkpoint"

    id: int = Field(default=1, primary_key=True)
    count: int = 0
    head_hash: str = Field(default="", max_length=64)
    mac: str = Field(default="", max_length=64)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
