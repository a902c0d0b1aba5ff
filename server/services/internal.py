"""What stays home: the parts of a shared track a partner never reads.

Items behind a track (red lines, staff, resources, leverage tools, metrics) and
comments carry an `internal` flag, which `initiatives.view`, `comments.listing` and
the workspace export honour. The decision log also holds entries about the sharing
itself (grants, withdrawals, coordination requests): whom else a track is shared
with, and with whom its owner talks, is the owner's business, so a partner's read of
the log leaves them out.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from server.models import Initiative, LogEntry, Organisation, User
from server.models.initiatives import LINE_MODELS
from server.services import access, decisions
from server.services.errors import NotFound

HOME_ONLY_ENTRIES = ("grant", "withdrawal", "coordination", "dismissal")


def home_initiative_ids(db: Session, actor: User | None) -> set[int] | None:
    """The ids of the tracks of the actor's own government (`None`: the system, all)."""
    if actor is None:
        return None
    if actor.role == "field_contributor":
        return set()
    own = select(Organisation.id).where(
        (Organisation.government == actor.government)
        | (col(Organisation.government).is_(None) & (Organisation.key == actor.government))
    )
    return {i for i in db.exec(select(Initiative.id).where(col(Initiative.owner_id).in_(own))).all() if i}


def log_entries(
    db: Session, actor: User | None, filters: decisions.LogFilters | None = None, limit: int = 300
) -> list[LogEntry]:
    """The decision log as the actor may read it: partners get decisions and sign-offs only."""
    rows = decisions.entries(db, actor, filters, limit)
    home = home_initiative_ids(db, actor)
    if home is None:
        return rows
    return [e for e in rows if e.entry_type not in HOME_ONLY_ENTRIES or e.initiative_id in home]


def set_internal(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int, internal: bool
) -> Any:
    """Mark one item behind a track as internal (or not), without touching the rest of it."""
    from server.services import initiatives

    if part not in LINE_MODELS:
        raise NotFound("No such part of an initiative")
    initiative = access.get_initiative(db, actor, initiative_id)
    line = db.get(LINE_MODELS[part], line_id)
    if line is None or line.initiative_id != initiative_id:
        raise NotFound("No such item")
    if line.internal and not access.is_home(actor, initiative, db):
        raise NotFound("No such item")
    data = line.model_dump(include=set(initiatives.LINE_DATA[part].model_fields))
    data["internal"] = internal
    return initiatives.update_line(db, actor, initiative_id, part, line_id, data, line.version)
