"""Crises, the parties to them, and the interlocutors with influence over parties."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from server.models.base import version_column

PARTY_KINDS = ("state", "armed_group", "de_facto_authority")

_crisis_version = version_column()
_party_version = version_column()
_interlocutor_version = version_column()


class Crisis(SQLModel, table=True):
    __tablename__ = "crisis"
    __mapper_args__ = {"version_id_col": _crisis_version}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=300)
    region: str | None = Field(default=None, max_length=300)
    version: int = Field(default=1, sa_column=_crisis_version)


class Party(SQLModel, table=True):
    __tablename__ = "party"
    __mapper_args__ = {"version_id_col": _party_version}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=40)
    version: int = Field(default=1, sa_column=_party_version)


class Interlocutor(SQLModel, table=True):
    __tablename__ = "interlocutor"
    __mapper_args__ = {"version_id_col": _interlocutor_version}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=300)
    version: int = Field(default=1, sa_column=_interlocutor_version)


class Influence(SQLModel, table=True):
    """An interlocutor has influence over a party."""

    __tablename__ = "influence"

    interlocutor_id: int = Field(foreign_key="interlocutor.id", primary_key=True)
    party_id: int = Field(foreign_key="party.id", primary_key=True)
