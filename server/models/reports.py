"""Field reports filed by humanitarian organisations, local actors and embassies."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from server.models.base import timestamp, utcnow

SOURCE_KINDS = ("ngo", "un", "local_actor", "embassy")


class FieldReport(SQLModel, table=True):
    __tablename__ = "field_report"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    initiative_id: int | None = Field(default=None, foreign_key="initiative.id", index=True)
    crisis_id: int = Field(foreign_key="crisis.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    date: date
    source_kind: str = Field(max_length=20)
    text: str
    red_line_breached: str | None = None
    filed_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())


class Comment(SQLModel, table=True):
    __tablename__ = "comment"

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    org_id: int = Field(foreign_key="organisation.id")
    text: str
    internal: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
