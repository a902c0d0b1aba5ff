"""Organisations (departments, states, humanitarian organisations, multilateral bodies)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from server.models.base import version_column

ORG_KINDS = ("department", "state", "humanitarian_org", "multilateral")

_version = version_column()


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __mapper_args__ = {"version_id_col": _version}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=40)
    # A government groups a state and its departments; an organisation with none is its own.
    government: str | None = Field(default=None, index=True, max_length=120)
    version: int = Field(default=1, sa_column=_version)

    @property
    def government_key(self) -> str:
        return self.government or self.key
