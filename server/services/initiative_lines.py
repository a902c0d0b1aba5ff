"""The items behind a track: red lines, staff, resources, leverage tools and metrics.

Each may be marked internal: it then stays within the track's own government, and a
change to it is news only there.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete
from sqlmodel import Session, col

from server import generation
from server.models import Initiative, MetricActual, Organisation, Party, User
from server.models.initiatives import LINE_MODELS
from server.services import audience, policy
from server.services.errors import Conflict, Invalid, NotFound
from server.services.initiative_common import bump, editable, flush_versioned, touched
from server.services.validation import (
    CAPS,
    Amount,
    Bounded,
    Day,
    Id,
    blanks_as_none,
    parse,
    text,
    text_or_blank,
)


class RedLineData(Bounded):
    text: str = text("item", 3)
    trigger: Literal["pause", "recalibrate", "withdraw"] | None = None
    internal: bool = False

    @field_validator("trigger", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return None if v == "" else v


class StaffData(Bounded):
    org_id: Id
    fte: float = Field(gt=0, le=100, allow_inf_nan=False)
    until: Day | None = None
    dedicated: bool = True
    internal: bool = False


class ResourceData(Bounded):
    kind: Literal["funding", "staff", "logistics"]
    amount: Amount | None = None
    currency: str | None = Field(default=None, max_length=10)
    until: Day | None = None
    dedicated: bool = False
    org_id: Id | None = None
    internal: bool = False


class LeverageData(Bounded):
    kind: Literal["incentive", "sanction", "conditionality", "suspension", "aid_offer"]
    description: str = text_or_blank("description")
    status: Literal["proposed", "active", "lifted"] = "proposed"
    do_no_harm_assessment: bool = False
    org_id: Id | None = None
    # The party it aims at (None: every party of the track) and when it runs (None: the track's dates).
    party_id: Id | None = None
    start: Day | None = None
    end: Day | None = None
    internal: bool = False


class MetricData(Bounded):
    name: str = text("name", 3)
    kind: Literal["outcome", "output", "symbolic"] | None = None
    target: str | None = Field(default=None, max_length=CAPS["short"])
    baseline_value: float | None = Field(default=None, allow_inf_nan=False)
    baseline_date: Day | None = None
    target_value: float | None = Field(default=None, allow_inf_nan=False)
    target_date: Day | None = None
    direction: Literal["up", "down"] = "up"
    internal: bool = False

    @field_validator("direction", mode="before")
    @classmethod
    def _default_direction(cls, v: Any) -> Any:
        return "up" if v is None or v == "" else v


LINE_DATA: dict[str, type[BaseModel]] = {
    "red_lines": RedLineData,
    "staff": StaffData,
    "resources": ResourceData,
    "leverage": LeverageData,
    "metrics": MetricData,
}


def infer_metric_kind(name: str) -> str:
    from server.domain.metric_kinds import infer

    return str(infer(name)[0])


def _within_track(initiative: Initiative, values: dict[str, Any]) -> None:
    """A staff or resource line cannot run out before the track it serves has started."""
    until = values.get("until")
    if until is not None and initiative.start is not None and until < initiative.start:
        raise Invalid.field("until", f"Ends before the track starts ({initiative.start:%d %B %Y})")


def _known(part: str) -> None:
    if part not in LINE_MODELS:
        raise NotFound("No such part of an initiative")


def _check(db: Session, values: dict[str, Any]) -> None:
    """What the fields of one item say together, and the records they name."""
    if values.get("org_id") is not None and db.get(Organisation, values["org_id"]) is None:
        raise Invalid.field("org_id", "unknown organisation")
    if values.get("party_id") is not None and db.get(Party, values["party_id"]) is None:
        raise Invalid.field("party_id", "unknown party")
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        raise Invalid.field("end", "the end date is before the start date")
    if (values.get("baseline_value") is None) != (values.get("baseline_date") is None):
        missing = "baseline_date" if values.get("baseline_date") is None else "baseline_value"
        raise Invalid.field(missing, "give the baseline's value and the date it was measured, or neither")


def add_line(db: Session, actor: User | None, initiative_id: int, part: str, data: dict[str, Any]) -> Any:
    """Add a red line, staff line, resource, leverage tool or metric to an initiative."""
    _known(part)
    initiative = editable(db, actor, initiative_id)
    values = parse(LINE_DATA[part], blanks_as_none(data)).model_dump()
    _within_track(initiative, values)
    _check(db, values)
    if part == "metrics" and values.get("kind") is None:
        values["kind"] = infer_metric_kind(values["name"])
        values["kind_inferred"] = True
    line = LINE_MODELS[part](initiative_id=initiative_id, created_by_id=actor.id if actor else None, **values)
    db.add(line)
    bump(db, initiative, actor, internal=bool(line.internal))
    db.flush()
    touched(db, initiative, f"initiative.{part}.added", home_only=bool(line.internal))
    return line


def get_line(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int
) -> tuple[Initiative, Any]:
    """One item behind an initiative the actor may see, with the initiative.

    `NotFound` if the item is absent, belongs to another initiative, or is internal and
    the actor works abroad: an internal item does not exist for a partner.
    """
    _known(part)
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    return initiative, aud.line(db, initiative, part, line_id)


def _editable_line(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int
) -> tuple[Initiative, Any]:
    """An item the actor may see (else `NotFound`) and change (else `NotAllowed`)."""
    _known(part)
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    line = aud.line(db, initiative, part, line_id)
    policy.require_edit(db, actor, initiative, aud)
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
    """Edit one item behind an initiative, from the version the person saw.

    An edit that does not say whether the item is internal leaves that as it was: an
    internal item never reaches partners because a client left the field out.
    """
    initiative, line = _editable_line(db, actor, initiative_id, part, line_id)
    if isinstance(data, dict) and "internal" not in data:
        data = {**data, "internal": bool(line.internal)}
    values = parse(LINE_DATA[part], blanks_as_none(data)).model_dump()
    _within_track(initiative, values)
    _check(db, values)
    if line.version != version:
        raise Conflict("Someone else changed this item after you opened it", version=line.version)
    if part == "metrics":
        if values.get("kind") is None:
            values["kind"] = infer_metric_kind(values["name"])
            values["kind_inferred"] = True
        else:
            values["kind_inferred"] = False
    was_internal = bool(line.internal)
    for name, value in values.items():
        setattr(line, name, value)
    db.add(line)
    bump(db, initiative, actor, internal=was_internal and bool(line.internal))
    flush_versioned(db)
    # An item that was and stays internal changed only at home; one that leaves or
    # joins the partners' view changes what they read.
    touched(db, initiative, f"initiative.{part}.updated", home_only=was_internal and bool(line.internal))
    return line


def remove_line(db: Session, actor: User | None, initiative_id: int, part: str, line_id: int) -> None:
    initiative, line = _editable_line(db, actor, initiative_id, part, line_id)
    internal = bool(line.internal)
    if part == "metrics":
        # Its measured values are part of it and go with it.
        db.execute(
            delete(MetricActual)
            .where(col(MetricActual.metric_id) == line.id)
            .execution_options(**{generation.SCOPES: (initiative_id,)})
        )
    db.delete(line)
    bump(db, initiative, actor, internal=internal)
    db.flush()
    touched(db, initiative, f"initiative.{part}.removed", home_only=internal)


def set_internal(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int, internal: bool
) -> Any:
    """Mark one item behind a track as internal (or not), without touching the rest of it."""
    _, line = get_line(db, actor, initiative_id, part, line_id)
    data = line.model_dump(include=set(LINE_DATA[part].model_fields))
    data["internal"] = internal
    return update_line(db, actor, initiative_id, part, line_id, data, line.version)
