"""What the admin screens keep: a government's own settings, and the log of admin changes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from server.models.base import timestamp, utcnow, version_column

_version = version_column()


class GovernmentSetting(SQLModel, table=True):
    """Settings a government's admins choose for its people (one row per government)."""

    __tablename__ = "government_setting"
    __mapper_args__ = {"version_id_col": _version}

    government: str = Field(primary_key=True, max_length=120)
    # The level a new sharing grant starts at in the sharing form (`view`, `comment`, `sign-off`).
    share_level: str = Field(default="view", max_length=20)
    version: int = Field(default=1, sa_column=_version)


class AdminEntry(SQLModel, table=True):
    """One change made through the admin screens: who, what, of whom, when.

    `government` is whose admins read it; a change to the workspace itself (its name,
    its judging date) has none and every admin reads it.
    """

    __tablename__ = "admin_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp(index=True))
    government: str | None = Field(default=None, index=True, max_length=120)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor_name: str = Field(default="", max_length=200)
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=320)
    detail: str = Field(default="", max_length=500)
