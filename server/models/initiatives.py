"""Initiatives (tracks) and everything behind them: red lines, staff, resources,
leverage tools, metrics and their measured values, dependencies, coordination links
and sharing grants."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import json_list, timestamp, utcnow, version_column

INITIATIVE_KINDS = ("humanitarian", "political", "security", "economic")
STATUSES = ("draft", "active", "paused", "closed")
TRIGGERS = ("pause", "recalibrate", "withdraw")
RESOURCE_KINDS = ("funding", "staff", "logistics")
LEVERAGE_KINDS = ("incentive", "sanction", "conditionality", "suspension", "aid_offer")
LEVERAGE_STATUSES = ("proposed", "active", "lifted")
METRIC_KINDS = ("outcome", "output", "symbolic")
DIRECTIONS = ("up", "down")
GRANT_LEVELS = ("view", "comment", "sign-off")

_v = {name: version_column() for name in ("i", "r", "s", "res", "lev", "m")}


class Initiative(SQLModel, table=True):
    __tablename__ = "initiative"
    __mapper_args__ = {"version_id_col": _v["i"]}

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=120)
    owner_id: int = Field(foreign_key="organisation.id", index=True)
    title: str = Field(max_length=300)
    description: str = ""
    kind: str = Field(max_length=40)
    crisis_id: int = Field(foreign_key="crisis.id", index=True)
    start: date | None = None
    end: date | None = None
    status: str = Field(default="active", max_length=20, index=True)
    aims: list[str] = Field(default_factory=list, sa_column=json_list())
    objectives: list[str] = Field(default_factory=list, sa_column=json_list())
    impact_assessment: bool = False
    compliance_monitoring: bool = False
    # Coordinated tracks outside this workspace, known only by their keys.
    external_links: list[str] = Field(default_factory=list, sa_column=json_list())
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1, sa_column=_v["i"])


class InitiativeHomeChange(SQLModel, table=True):
    """The last change to what stays home behind a track (its internal items): when and by whom.

    Kept beside the track rather than on it, so that such a change moves neither the
    track's version nor its `updated_at`, which partners read: an internal change is not
    news abroad. The home reads the later of the two.
    """

    __tablename__ = "initiative_home_change"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")


class InitiativeParty(SQLModel, table=True):
    __tablename__ = "initiative_party"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    party_id: int = Field(foreign_key="party.id", primary_key=True, index=True)


class _Line(SQLModel):
    """Fields every item behind an initiative has: who added it, and whether it stays home."""

    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    # Internal items are never shown to partners, even on a shared track.
    internal: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")


class RedLine(_Line, table=True):
    __tablename__ = "red_line"
    __mapper_args__ = {"version_id_col": _v["r"]}

    id: int | None = Field(default=None, primary_key=True)
    text: str
    trigger: str | None = Field(default=None, max_length=20)
    version: int = Field(default=1, sa_column=_v["r"])


class StaffLine(_Line, table=True):
    __tablename__ = "staff_line"
    __mapper_args__ = {"version_id_col": _v["s"]}

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id")
    fte: float = 1.0
    until: date | None = None
    dedicated: bool = True
    version: int = Field(default=1, sa_column=_v["s"])


class ResourceLine(_Line, table=True):
    __tablename__ = "resource_line"
    __mapper_args__ = {"version_id_col": _v["res"]}

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    amount: float | None = None
    currency: str | None = Field(default=None, max_length=10)
    until: date | None = None
    dedicated: bool = False
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    version: int = Field(default=1, sa_column=_v["res"])


class LeverageTool(_Line, table=True):
    __tablename__ = "leverage_tool"
    __mapper_args__ = {"version_id_col": _v["lev"]}

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    description: str = ""
    status: str = Field(default="proposed", max_length=20)
    do_no_harm_assessment: bool = False
    org_id: int | None = Field(default=None, foreign_key="organisation.id")
    # The party it is aimed at (None: every party of the track) and the dates it is
    # proposed or applied for (None: the track's own).
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    start: date | None = None
    end: date | None = None
    version: int = Field(default=1, sa_column=_v["lev"])


class Metric(_Line, table=True):
    __tablename__ = "metric"
    __mapper_args__ = {"version_id_col": _v["m"]}

    id: int | None = Field(default=None, primary_key=True)
    name: str
    kind: str = Field(max_length=20)
    # True when Accord inferred the kind from the name and no person has confirmed it.
    kind_inferred: bool = False
    target: str | None = None
    # IATI's baseline and target: the value before the track began, the value aimed at
    # and by when, and which way is better.
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    direction: str = Field(default="up", max_length=10)
    version: int = Field(default=1, sa_column=_v["m"])


class MetricActual(SQLModel, table=True):
    """A value a metric was measured at, dated at the end of the period it measures.

    It is part of its metric: as visible as the metric, internal with it."""

    __tablename__ = "metric_actual"
    __table_args__ = (UniqueConstraint("metric_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", index=True)
    date: date
    value: float
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")


class Dependency(SQLModel, table=True):
    """An initiative depends on another (a concession of another track, say)."""

    __tablename__ = "dependency"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    depends_on_id: int = Field(foreign_key="initiative.id", primary_key=True)


class CoordinationLink(SQLModel, table=True):
    """Two tracks linked as coordinated; stored once, lower id first."""

    __tablename__ = "coordination_link"
    __table_args__ = (UniqueConstraint("a_id", "b_id"),)

    id: int | None = Field(default=None, primary_key=True)
    a_id: int = Field(foreign_key="initiative.id", index=True)
    b_id: int = Field(foreign_key="initiative.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    created_by_id: int | None = Field(default=None, foreign_key="person.id")


class SharingGrant(SQLModel, table=True):
    """An initiative shared with an organisation, a whole government, or one person."""

    __tablename__ = "sharing_grant"

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    government: str | None = Field(default=None, index=True, max_length=120)
    user_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    level: str = Field(default="view", max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    withdrawn_by_id: int | None = Field(default=None, foreign_key="person.id")


LINE_MODELS: dict[str, Any] = {
    "red_lines": RedLine,
    "staff": StaffLine,
    "resources": ResourceLine,
    "leverage": LeverageTool,
    "metrics": Metric,
}
