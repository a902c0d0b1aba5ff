"""Initiatives: record, edit, open, pause and close a track.

The items behind a track live in `initiative_lines`, coordination links and
dependencies in `initiative_links`, and reading in `initiative_queries`; this module
names them too, so that callers say `initiatives.view`, `initiatives.add_line`, ...
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from sqlalchemy import delete
from sqlmodel import Session, col, select

from server import generation
from server.models import Crisis, Initiative, InitiativeParty, Organisation, Party, User
from server.models.base import utcnow
from server.services import policy
from server.services.errors import Conflict, Invalid
from server.services.initiative_common import editable, flush_versioned, new_key, split_lines, touched
from server.services.initiative_lines import (
    LINE_DATA,
    add_line,
    get_line,
    infer_metric_kind,
    remove_line,
    set_internal,
    update_line,
)
from server.services.initiative_links import link_coordinated, set_dependencies, unlink_coordinated
from server.services.initiative_queries import (
    Filters,
    InitiativeView,
    get_by_key,
    listing,
    require_visible_ids,
    view,
)
from server.services.validation import (
    CAPS,
    ITEMS_MAX,
    Bounded,
    Day,
    Id,
    parse,
    reversed_dates,
    text,
    text_or_blank,
)

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


class InitiativeData(Bounded):
    """What a person fills in for an initiative."""

    title: str = text("title", 3)
    description: str = text_or_blank("description")
    kind: Literal["humanitarian", "political", "security", "economic"]
    crisis_id: Id
    start: Day | None = None
    end: Day | None = None
    status: Literal["draft", "active", "paused", "closed"] = "active"
    aims: list[Annotated[str, Field(max_length=CAPS["item"])]] = Field(default=[], max_length=ITEMS_MAX)
    objectives: list[Annotated[str, Field(max_length=CAPS["item"])]] = Field(default=[], max_length=ITEMS_MAX)
    impact_assessment: bool = False
    compliance_monitoring: bool = False
    party_ids: list[Id] = Field(default=[], max_length=ITEMS_MAX)

    _split = field_validator("aims", "objectives", mode="before")(split_lines)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _blank_date(cls, v: Any) -> Any:
        return None if v == "" else v

    @model_validator(mode="after")
    def _dates(self) -> InitiativeData:
        if self.start and self.end and self.end < self.start:
            both = reversed_dates({"start": self.start, "end": self.end})
            raise Invalid("; ".join(f"{e.loc}: {e.message}" for e in both), both)
        return self


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
    db.execute(
        delete(InitiativeParty)
        .where(col(InitiativeParty.initiative_id) == initiative_id)
        .execution_options(**{generation.SCOPES: (initiative_id,)})
    )
    for pid in dict.fromkeys(ids):
        db.add(InitiativeParty(initiative_id=initiative_id, party_id=pid))


def create(
    db: Session, actor: User | None, data: InitiativeData | dict[str, Any], owner_id: int | None = None
) -> Initiative:
    """A new initiative owned by the actor's organisation (or `owner_id` for an admin)."""
    data = parse(InitiativeData, data)
    policy.require_role(actor, *policy.EDITOR_ROLES)
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
    touched(db, initiative, "initiative.created")
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
    initiative = editable(db, actor, initiative_id)
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
    # Which fields changed (their names, not their values) tell the dashboard what happened.
    changed = [name for name in EDITABLE if getattr(initiative, name) != getattr(data, name)]
    for name in EDITABLE:
        setattr(initiative, name, getattr(data, name))
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)
    flush_versioned(db)
    assert initiative.id is not None
    _set_parties(db, initiative.id, data.party_ids)
    db.flush()
    touched(db, initiative, "initiative.updated", fields=changed)
    return initiative


def set_status(db: Session, actor: User | None, initiative_id: int, status: str, version: int) -> Initiative:
    """Open, pause or close an initiative."""
    initiative = editable(db, actor, initiative_id)
    if status not in ("draft", "active", "paused", "closed"):
        raise Invalid.field("status", "choose draft, active, paused or closed")
    if initiative.version != version:
        raise Conflict("Someone else saved this initiative after you opened it", version=initiative.version)
    initiative.status = status
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)
    flush_versioned(db)
    touched(db, initiative, "initiative.status", status=status)
    return initiative


__all__ = [
    "EDITABLE",
    "LINE_DATA",
    "Filters",
    "InitiativeData",
    "InitiativeView",
    "add_line",
    "create",
    "editable",
    "get_by_key",
    "get_line",
    "infer_metric_kind",
    "link_coordinated",
    "listing",
    "new_key",
    "party_ids",
    "remove_line",
    "require_visible_ids",
    "set_dependencies",
    "set_internal",
    "set_status",
    "snapshot_fields",
    "unlink_coordinated",
    "update",
    "update_line",
    "view",
]
