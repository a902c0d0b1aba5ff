"""Initiatives: create, edit, close, link, and the items behind them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import and_, delete, func, or_
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from server import events
from server.models import (
    Alert,
    AlertInitiative,
    Comment,
    CoordinationLink,
    Crisis,
    Dependency,
    FieldReport,
    Initiative,
    InitiativeParty,
    LeverageTool,
    Metric,
    Organisation,
    Party,
    RedLine,
    ResourceLine,
    SharingGrant,
    StaffLine,
    User,
)
from server.models.base import utcnow
from server.models.initiatives import LINE_MODELS
from server.services import access
from server.services.errors import Conflict, Invalid, NotFound
from server.services.validation import parse

EDITABLE = (
    "title",
    "description",
    "kind",
    "crisis_id",
    "start",
    "end",
    "status",
    "aims",
    "objectives",
    "impact_assessment",
    "compliance_monitoring",
)


def new_key(prefix: str, text: str = "") -> str:
    """A readable, unique external reference for a record made in the app."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return f"{prefix}-{slug + '-' if slug else ''}{secrets.token_hex(3)}"


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(v).strip() for v in value if str(v).strip()]


class InitiativeData(BaseModel):
    """What a person fills in for an initiative."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=300)
    description: str = ""
    kind: Literal["humanitarian", "political", "security", "economic"]
    crisis_id: int
    start: date | None = None
    end: date | None = None
    status: Literal["draft", "active", "paused", "closed"] = "active"
    aims: list[str] = []
    objectives: list[str] = []
    impact_assessment: bool = False
    compliance_monitoring: bool = False
    party_ids: list[int] = []

    _split = field_validator("aims", "objectives", mode="before")(_lines)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _blank_date(cls, v: Any) -> Any:
        return None if v == "" else v

    @model_validator(mode="after")
    def _dates(self) -> InitiativeData:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the end date is before the start date")
        return self


def _flush_versioned(db: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a `Conflict`.

    The version read before the write can be overtaken by a concurrent save between the
    check and the UPDATE; the UPDATE's `WHERE version = ...` then matches no row.
    """
    try:
        db.flush()
    except StaleDataError:
        raise Conflict("Someone else saved this at the same moment; reload and try again") from None


def _check_refs(db: Session, data: InitiativeData) -> None:
    if db.get(Crisis, data.crisis_id) is None:
        raise Invalid.field("crisis_id", "choose a crisis")
    if data.party_ids:
        found = set(db.exec(select(Party.id).where(col(Party.id).in_(data.party_ids))).all())
        for n, pid in enumerate(data.party_ids):
            if pid not in found:
                raise Invalid.field(f"party_ids[{n}]", "unknown party")


def party_ids(db: Session, initiative_id: int) -> list[int]:
    return list(
        db.exec(select(InitiativeParty.party_id).where(InitiativeParty.initiative_id == initiative_id)).all()
    )


def _set_parties(db: Session, initiative_id: int, ids: list[int]) -> None:
    db.execute(delete(InitiativeParty).where(col(InitiativeParty.initiative_id) == initiative_id))
    for pid in dict.fromkeys(ids):
        db.add(InitiativeParty(initiative_id=initiative_id, party_id=pid))


def _touched(db: Session, initiative: Initiative, kind: str, actor: User | None, **payload: Any) -> None:
    """Record the change for the live streams and ask the workers to re-check."""
    events.publish(db, kind, "initiative", initiative_id=initiative.id, key=initiative.key, **payload)
    events.check_initiative(db, initiative.id)


def create(
    db: Session, actor: User | None, data: InitiativeData | dict[str, Any], owner_id: int | None = None
) -> Initiative:
    """A new initiative owned by the actor's organisation (or `owner_id` for an admin)."""
    data = parse(InitiativeData, data)
    access.require_role(actor, "admin", "coordinator", "desk_officer")
    _check_refs(db, data)
    if actor is not None:
        owner_id = actor.organisation_id if owner_id is None or actor.role == "desk_officer" else owner_id
        owner = db.get(Organisation, owner_id)
        if owner is None or owner.government_key != actor.government:
            raise Invalid.field("owner_id", "choose an organisation of your own government")
    if owner_id is None:
        raise Invalid.field("owner_id", "name the owning organisation")
    values = data.model_dump(exclude={"party_ids"})
    initiative = Initiative(
        key=new_key("t", data.title),
        owner_id=owner_id,
        created_by_id=actor.id if actor else None,
        updated_by_id=actor.id if actor else None,
        **values,
    )
    db.add(initiative)
    db.flush()
    assert initiative.id is not None
    _set_parties(db, initiative.id, data.party_ids)
    db.flush()
    _touched(db, initiative, "initiative.created", actor)
    return initiative


def snapshot_fields(db: Session, initiative: Initiative) -> dict[str, Any]:
    """The editable fields as they are now, for conflict reports."""
    assert initiative.id is not None
    values = {name: getattr(initiative, name) for name in EDITABLE}
    values["party_ids"] = sorted(party_ids(db, initiative.id))
    return values


def update(
    db: Session,
    actor: User | None,
    initiative_id: int,
    data: InitiativeData | dict[str, Any],
    version: int,
) -> Initiative:
    """Save an edit made from `version`; a stale version is a `Conflict` listing what changed."""
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    data = parse(InitiativeData, data)
    _check_refs(db, data)
    if initiative.version != version:
        current = snapshot_fields(db, initiative)
        raise Conflict(
            "Someone else saved this initiative after you opened it",
            current=current,
            version=initiative.version,
            changed=sorted(k for k, v in data.model_dump().items() if current.get(k) != v),
        )
    for name in EDITABLE:
        setattr(initiative, name, getattr(data, name))
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)
    _flush_versioned(db)
    assert initiative.id is not None
    _set_parties(db, initiative.id, data.party_ids)
    db.flush()
    _touched(db, initiative, "initiative.updated", actor)
    return initiative


def set_status(db: Session, actor: User | None, initiative_id: int, status: str, version: int) -> Initiative:
    """Open, pause or close an initiative."""
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    if status not in ("draft", "active", "paused", "closed"):
        raise Invalid.field("status", "choose draft, active, paused or closed")
    if initiative.version != version:
        raise Conflict("Someone else saved this initiative after you opened it", version=initiative.version)
    initiative.status = status
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)
    _flush_versioned(db)
    _touched(db, initiative, "initiative.status", actor, status=status)
    return initiative


# ---------------------------------------------------------------- items behind it


class RedLineData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    text: str = Field(min_length=3)
    trigger: Literal["pause", "recalibrate", "withdraw"] | None = None
    internal: bool = False

    @field_validator("trigger", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return None if v == "" else v


class StaffData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    fte: float = Field(gt=0, le=100)
    until: date | None = None
    dedicated: bool = True
    internal: bool = False


class ResourceData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Literal["funding", "staff", "logistics"]
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, max_length=10)
    until: date | None = None
    dedicated: bool = False
    org_id: int | None = None
    internal: bool = False


class LeverageData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Literal["incentive", "sanction", "conditionality", "suspension", "aid_offer"]
    description: str = ""
    status: Literal["proposed", "active", "lifted"] = "proposed"
    do_no_harm_assessment: bool = False
    org_id: int | None = None
    internal: bool = False


class MetricData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=3)
    kind: Literal["outcome", "output", "symbolic"] | None = None
    target: str | None = None
    internal: bool = False


LINE_DATA: dict[str, type[BaseModel]] = {
    "red_lines": RedLineData,
    "staff": StaffData,
    "resources": ResourceData,
    "leverage": LeverageData,
    "metrics": MetricData,
}


def _blank_to_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in data.items()}


def infer_metric_kind(name: str) -> str:
    from server.domain.metric_kinds import infer

    return str(infer(name)[0])


def add_line(db: Session, actor: User | None, initiative_id: int, part: str, data: dict[str, Any]) -> Any:
    """Add a red line, staff line, resource, leverage tool or metric to an initiative."""
    if part not in LINE_MODELS:
        raise NotFound("No such part of an initiative")
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    values = parse(LINE_DATA[part], _blank_to_none(data) if isinstance(data, dict) else data).model_dump()
    for ref in ("org_id",):
        if values.get(ref) is not None and db.get(Organisation, values[ref]) is None:
            raise Invalid.field(ref, "unknown organisation")
    if part == "metrics" and values.get("kind") is None:
        values["kind"] = infer_metric_kind(values["name"])
        values["kind_inferred"] = True
    line = LINE_MODELS[part](initiative_id=initiative_id, created_by_id=actor.id if actor else None, **values)
    db.add(line)
    _bump(db, initiative, actor)
    db.flush()
    _touched(db, initiative, f"initiative.{part}.added", actor)
    return line


def get_line(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int
) -> tuple[Initiative, Any]:
    """One item behind an initiative the actor may see, with the initiative.

    `NotFound` if the item is absent, belongs to another initiative, or is internal and
    the actor works abroad: an internal item does not exist for a partner.
    """
    if part not in LINE_MODELS:
        raise NotFound("No such part of an initiative")
    initiative = access.get_initiative(db, actor, initiative_id)
    line = db.get(LINE_MODELS[part], line_id)
    if line is None or line.initiative_id != initiative_id:
        raise NotFound("No such item")
    if line.internal and not access.is_home(actor, initiative, db):
        raise NotFound("No such item")
    return initiative, line


def update_line(
    db: Session,
    actor: User | None,
    initiative_id: int,
    part: str,
    line_id: int,
    data: dict[str, Any],
    version: int,
) -> Any:
    """Edit one item behind an initiative, from the version the person saw."""
    initiative, line = get_line(db, actor, initiative_id, part, line_id)
    access.require_edit(db, actor, initiative)
    values = parse(LINE_DATA[part], _blank_to_none(data)).model_dump()
    if line.version != version:
        raise Conflict("Someone else changed this item after you opened it", version=line.version)
    if part == "metrics":
        if values.get("kind") is None:
            values["kind"] = infer_metric_kind(values["name"])
            values["kind_inferred"] = True
        else:
            values["kind_inferred"] = False
    for name, value in values.items():
        setattr(line, name, value)
    db.add(line)
    _bump(db, initiative, actor)
    _flush_versioned(db)
    _touched(db, initiative, f"initiative.{part}.updated", actor)
    return line


def remove_line(db: Session, actor: User | None, initiative_id: int, part: str, line_id: int) -> None:
    initiative, line = get_line(db, actor, initiative_id, part, line_id)
    access.require_edit(db, actor, initiative)
    db.delete(line)
    _bump(db, initiative, actor)
    db.flush()
    _touched(db, initiative, f"initiative.{part}.removed", actor)


def _bump(db: Session, initiative: Initiative, actor: User | None) -> None:
    """A change behind an initiative is a change of it: others' stale edits must see it."""
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)


# ---------------------------------------------------------------- links


def link_coordinated(
    db: Session, actor: User | None, a_id: int, b_id: int, accepted_request: bool = False
) -> CoordinationLink:
    """Record that two tracks are coordinated; the actor must be able to edit the first.

    The second must be visible to the actor, unless the link comes from an accepted
    coordination request, where the two owners agreed without seeing each other's track.
    """
    if a_id == b_id:
        raise Invalid.field("other_id", "a track cannot be coordinated with itself")
    a = access.get_initiative(db, actor, a_id)
    access.require_edit(db, actor, a)
    b = access.get_initiative(db, None if accepted_request else actor, b_id)
    lo, hi = sorted((a_id, b_id))
    existing = db.exec(
        select(CoordinationLink).where(CoordinationLink.a_id == lo, CoordinationLink.b_id == hi)
    ).first()
    if existing:
        return existing
    row = CoordinationLink(a_id=lo, b_id=hi, created_by_id=actor.id if actor else None)
    db.add(row)
    db.flush()
    _touched(db, a, "initiative.coordinated", actor)
    _touched(db, b, "initiative.coordinated", actor)
    return row


def unlink_coordinated(db: Session, actor: User | None, a_id: int, b_id: int) -> None:
    a = access.get_initiative(db, actor, a_id)
    access.require_edit(db, actor, a)
    lo, hi = sorted((a_id, b_id))
    db.execute(
        delete(CoordinationLink).where(col(CoordinationLink.a_id) == lo, col(CoordinationLink.b_id) == hi)
    )
    b = db.get(Initiative, b_id)
    _touched(db, a, "initiative.coordinated", actor)
    if b is not None:
        _touched(db, b, "initiative.coordinated", actor)


def set_dependencies(db: Session, actor: User | None, initiative_id: int, depends_on: list[int]) -> None:
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    db.execute(delete(Dependency).where(col(Dependency.initiative_id) == initiative_id))
    for other in dict.fromkeys(depends_on):
        if other == initiative_id or db.get(Initiative, other) is None:
            raise Invalid.field("depends_on", "unknown initiative")
        db.add(Dependency(initiative_id=initiative_id, depends_on_id=other))
    _bump(db, initiative, actor)
    db.flush()
    _touched(db, initiative, "initiative.dependencies", actor)


# ---------------------------------------------------------------- reading


@dataclass
class InitiativeView:
    """An initiative as one person may see it: internal items only for its own government."""

    initiative: Initiative
    owner: Organisation
    crisis: Crisis
    parties: list[Party]
    home: bool
    can_edit: bool
    can_comment: bool
    lines: dict[str, list[Any]] = field(default_factory=dict)
    coordinated: list[Initiative] = field(default_factory=list)
    depends_on: list[Initiative] = field(default_factory=list)
    grants: list[SharingGrant] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    reports: list[FieldReport] = field(default_factory=list)


def view(db: Session, actor: User | None, initiative_id: int) -> InitiativeView:
    """Everything about one initiative that the actor may see."""
    initiative = access.get_initiative(db, actor, initiative_id)
    home = access.is_home(actor, initiative, db)
    owner = db.get(Organisation, initiative.owner_id)
    crisis = db.get(Crisis, initiative.crisis_id)
    assert owner is not None and crisis is not None and initiative.id is not None
    parties = list(
        db.exec(
            select(Party)
            .join(InitiativeParty, col(InitiativeParty.party_id) == Party.id)
            .where(InitiativeParty.initiative_id == initiative_id)
            .order_by(Party.name)
        ).all()
    )
    out = InitiativeView(
        initiative=initiative,
        owner=owner,
        crisis=crisis,
        parties=parties,
        home=home,
        can_edit=access.can_edit(db, actor, initiative),
        can_comment=access.can_comment(db, actor, initiative),
    )
    for part, model in LINE_MODELS.items():
        q = select(model).where(model.initiative_id == initiative_id)
        if not home:
            q = q.where(model.internal == False)  # noqa: E712
        out.lines[part] = list(db.exec(q.order_by(model.id)).all())
    visible = access.visible_clause(actor)
    linked = select(CoordinationLink).where(
        or_(col(CoordinationLink.a_id) == initiative_id, col(CoordinationLink.b_id) == initiative_id)
    )
    other_ids = [lk.b_id if lk.a_id == initiative_id else lk.a_id for lk in db.exec(linked).all()]
    if other_ids:
        out.coordinated = list(
            db.exec(select(Initiative).where(col(Initiative.id).in_(other_ids), visible)).all()
        )
    dep_ids = list(
        db.exec(select(Dependency.depends_on_id).where(Dependency.initiative_id == initiative_id)).all()
    )
    if dep_ids:
        out.depends_on = list(
            db.exec(select(Initiative).where(col(Initiative.id).in_(dep_ids), visible)).all()
        )
    if home:
        out.grants = list(
            db.exec(
                select(SharingGrant)
                .where(SharingGrant.initiative_id == initiative_id, col(SharingGrant.withdrawn_at).is_(None))
                .order_by(col(SharingGrant.id))
            ).all()
        )
    cq = select(Comment).where(Comment.initiative_id == initiative_id)
    if not home:
        cq = cq.where(Comment.internal == False)  # noqa: E712
    out.comments = list(db.exec(cq.order_by(col(Comment.id))).all())
    rq = select(FieldReport).where(FieldReport.initiative_id == initiative_id)
    out.reports = list(db.exec(rq.order_by(col(FieldReport.date).desc())).all())
    return out


@dataclass
class Filters:
    crisis_id: int | None = None
    owner_id: int | None = None
    kind: str | None = None
    status: str | None = None
    has_alerts: bool | None = None
    q: str | None = None
    shared_with_us: bool = False


def listing(
    db: Session, actor: User | None, filters: Filters | None = None, limit: int = 500
) -> list[Initiative]:
    """The initiatives the actor may see, filtered and searched, newest change first."""
    f = filters or Filters()
    q = select(Initiative).where(access.visible_clause(actor))
    if f.crisis_id:
        q = q.where(Initiative.crisis_id == f.crisis_id)
    if f.owner_id:
        q = q.where(Initiative.owner_id == f.owner_id)
    if f.kind:
        q = q.where(Initiative.kind == f.kind)
    if f.status:
        q = q.where(Initiative.status == f.status)
    if f.q:
        like = f"%{f.q.lower()}%"
        q = q.where(
            or_(func.lower(Initiative.title).like(like), func.lower(Initiative.description).like(like))
        )
    if f.shared_with_us and actor is not None:
        q = q.where(access.grant_clause(actor), ~access.home_clause(actor))
    if f.has_alerts is not None:
        open_alert = (
            select(AlertInitiative.initiative_id)
            .join(Alert, col(Alert.id) == AlertInitiative.alert_id)
            .where(col(Alert.status).in_(("open", "acknowledged")))
        )
        cond = col(Initiative.id).in_(open_alert)
        q = q.where(cond if f.has_alerts else ~cond)
    return list(db.exec(q.order_by(col(Initiative.updated_at).desc()).limit(limit)).all())


def get_by_key(db: Session, actor: User | None, key: str) -> Initiative:
    return access.get_initiative_by_key(db, actor, key)


def require_visible_ids(db: Session, actor: User | None, ids: list[int]) -> list[Initiative]:
    rows = list(
        db.exec(select(Initiative).where(col(Initiative.id).in_(ids), access.visible_clause(actor))).all()
    )
    if len(rows) != len(set(ids)):
        raise NotFound("No such initiative")
    return rows


__all__ = ["and_", "LeverageTool", "Metric", "RedLine", "ResourceLine", "StaffLine"]
