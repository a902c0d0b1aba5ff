"""Facts about the workspace itself, such as its name."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class WorkspaceMeta(SQLModel, table=True):
    __tablename__ = "workspace_meta"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=500)
